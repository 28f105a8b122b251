"""The directory /: every role as a card, grouped by level, with the search box on top."""

import pytest

from roles.models import Role


def test_it_shows_every_role_as_a_card_grouped_by_level(client, kb):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    levels = [label for label, _ in response.context["levels"]]
    assert levels == ["Executive", "Senior leader", "Department lead", "Clinician"]
    assert html.index(">Executive</h2>") < html.index(">Senior leader</h2>") < html.index(">Clinician</h2>")
    assert (
        '<h3><a href="/roles/chief-medical-officer/">Chief Medical Officer</a> '
        '<abbr class="abbr" title="Chief Medical Officer">CMO</abbr></h3>'
    ) in html
    assert '<span class="badge level-badge">Executive</span>' in html
    assert '<p class="summary">Typically the physician in charge at most hospitals.</p>' in html
    assert '<p class="meta">23 duties</p>' in html
    assert '<p class="meta">1 duty</p>' in html
    assert "Roles 1–4 of 4" in html


def test_search_box_is_at_the_top(client, kb):
    html = client.get("/").content.decode()

    form = html.index('<form class="search-form" role="search" method="get" action="/search/">')
    assert form < html.index('class="level"')
    assert '<input type="search" id="search-q" name="q" value=""' in html


def test_norwegian_directory(client, kb):
    html = client.get("/nb/").content.decode()

    assert '<html lang="nb">' in html
    assert '<a href="/nb/roles/chief-medical-officer/">Medisinsk sjef</a>' in html
    assert 'action="/nb/search/"' in html
    assert "Vanligvis legen som har ansvaret på de fleste sykehus." in html


def test_long_summary_is_cut_to_one_line_of_card(client, kb):
    Role.objects.filter(slug="physician").update(summary_en="word " * 100)

    html = client.get("/").content.decode()

    card = html.split('href="/roles/physician/"')[1].split("</li>")[0]
    summary = card.split('<p class="summary">')[1].split("</p>")[0]
    assert len(summary) <= 160
    assert summary.endswith("…")


def test_a_summary_that_fits_is_shown_whole(client, kb):
    Role.objects.filter(slug="physician").update(summary_en="x" * 159 + "é")

    html = client.get("/").content.decode()

    card = html.split('href="/roles/physician/"')[1].split("</li>")[0]
    assert f'<p class="summary">{"x" * 159}é</p>' in card


def test_departments_are_escaped_and_the_chosen_one_selected(client, kb):
    Role.objects.filter(slug="physician").update(department='Ward "A" <b>&</b>')

    html = client.get("/", {"department": 'Ward "A" <b>&</b>'}).content.decode()

    assert '<option value="Ward &quot;A&quot; &lt;b&gt;&amp;&lt;/b&gt;" selected>' in html
    assert "<b>&</b>" not in html


def test_level_labels_are_in_the_reader_s_language(client, kb):
    english = client.get("/").content.decode()
    norwegian = client.get("/nb/").content.decode()

    assert '<span class="badge level-badge">Executive</span>' in english
    assert '<span class="badge level-badge">Toppleder</span>' in norwegian
    assert "Toppleder" not in english and "Executive</span>" not in norwegian


def test_empty_knowledge_base_says_so(client, empty_kb):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "No roles have been added yet." in html
    assert "When editors add roles, they appear here" in html


def test_empty_knowledge_base_offers_editors_a_way_to_add_a_role(admin_client, empty_kb):
    html = admin_client.get("/").content.decode()

    assert '<a href="/roles/new/">Add the first role</a>' in html


@pytest.mark.parametrize("url", ["/", "/nb/"])
def test_query_count_is_constant(client, kb, django_assert_num_queries, url):
    # The directory's version, the matching ids in order, the page's roles with their duty counts,
    # the filters' two lists; then, while nothing the directory shows changes, the version and the roles.
    with django_assert_num_queries(5):
        client.get(url)
    with django_assert_num_queries(2):
        client.get(f"{url}?view=table")


def test_a_duty_moved_to_another_category_moves_its_role_in_the_category_filter(client, kb, editor):
    from knowledge import services
    from responsibilities.models import Duty, DutyCategory

    duty = Duty.objects.filter(role__slug="physician").first()
    other = DutyCategory.objects.exclude(pk=duty.category_id).exclude(duties__role__slug="physician").first()
    url = f"/?category={other.slug}&view=table"
    assert "/roles/physician/" not in client.get(url).content.decode()  # kept for the next read

    services.content_update(instance=duty, data={"category": other}, user=editor, expected_version=None)

    assert "/roles/physician/" in client.get(url).content.decode()


def test_directory_lists_the_four_roles(client, kb):
    response = client.get("/")
    assert response.status_code == 200
    for title in ["Chief Medical Officer", "Associate Chief Medical Officer", "Medical Director", "Physician"]:
        assert title in response.content.decode()
    assert '<html lang="en">' in response.content.decode()


def test_directory_in_norwegian(client, kb):
    response = client.get("/nb/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb">' in body
    assert "Medisinsk sjef" in body and "Assisterende medisinsk sjef" in body and "Lege" in body
    assert "Medisinske lederroller" in body  # the interface itself is translated, not only the content


def test_directory_with_no_roles_says_so(client, empty_kb):
    assert "No roles have been added yet." in client.get("/").content.decode()


def test_directory_query_count_is_fixed(client, kb, django_assert_num_queries):
    # The version, the ordered ids, the roles with their duty counts, the filters' categories and departments.
    with django_assert_num_queries(5):
        client.get("/")
