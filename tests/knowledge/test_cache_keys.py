"""A cached response belongs to one release of the code: a deploy never serves the previous release's pages."""


def test_a_new_release_does_not_serve_responses_the_old_one_cached(kb, client, settings):
    settings.KB_RESPONSE_CACHE = True
    settings.KB_RELEASE = "release-1"
    client.get("/roles/physician/")
    cached = client.get("/roles/physician/")

    settings.KB_RELEASE = "release-2"
    fresh = client.get("/roles/physician/")

    assert cached["X-KB-Cache"] == "hit"
    assert "X-KB-Cache" not in fresh
    assert fresh["ETag"] != cached["ETag"]
    assert client.get("/roles/physician/")["X-KB-Cache"] == "hit"


def test_the_release_defaults_to_a_digest_of_the_code(tmp_path):
    from cmo_kb.release import code_digest

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text("one")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("anything")
    before = code_digest(tmp_path)

    (tmp_path / "tests" / "test_x.py").write_text("changed")
    unchanged = code_digest(tmp_path)
    (tmp_path / "app" / "views.py").write_text("two")

    assert unchanged == before
    assert code_digest(tmp_path) != before
