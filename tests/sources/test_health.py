"""/health/ and its API: each kind of problem, planted, is reported with a link to where it is fixed."""

import pytest

from knowledge import services
from knowledge.models import Source
from responsibilities.models import Duty, DutyCategory
from roles.models import Role
from sources import checks


def _duty(editor, role, title, **extra):
    data = {
        "role": role,
        "category": DutyCategory.objects.first(),
        "title_en": title,
        "title_nb": title,
        "editorial": True,
        **extra,
    }
    return services.content_create(model=Duty, data=data, user=editor)


@pytest.fixture
def planted(kb, editor):
    """One problem of every kind the health page reports."""
    director = Role.objects.get(slug="medical-director")
    physician = Role.objects.get(slug="physician")
    lonely = services.content_create(
        model=Role,
        data={
            "slug": "lonely-role",
            "title_en": "Lonely role",
            "title_nb": "Ensom rolle",
            "level": "clinician",
            "editorial": True,
        },
        user=editor,
    )
    editorial = _duty(editor, director, "Approves the rota for the radiology night shifts")
    _duty(editor, director, "Approve the rota for radiology night shifts")  # near-duplicate within a role
    _duty(editor, physician, "Approves the rotas for the radiology night shift")  # … and across roles
    stale = Duty.objects.filter(source__isnull=False).first()
    Duty.objects.filter(pk=stale.pk).update(excerpt="Words the source never said")  # bypassing the rules
    source = services.content_create(
        model=Source,
        data={"slug": "notes", "title": "Notes", "language": "en", "text": "Nobody cites this."},
        user=editor,
    )
    return {"lonely": lonely, "editorial": editorial, "stale": stale, "source": source, "director": director}


def _section(key):
    return next(section for section in checks.health() if section.key == key)


def test_the_shipped_knowledge_base_is_healthy_but_for_its_editorial_rows(kb):
    sections = {section.key: section.total for section in checks.health()}
    assert sections["stale_citations"] == sections["roles_without_duties"] == sections["roles_without_lines"] == 0
    assert sections["near_duplicates"] == 0 and sections["coverage"] == 0


def test_a_fact_with_no_source_is_reported(planted):
    urls = [finding.url for finding in _section("uncited").findings]
    editorial = planted["editorial"]
    assert f"/roles/medical-director/duties/{editorial.pk}/edit/" in urls


def test_a_citation_that_no_longer_matches_is_reported(planted):
    findings = _section("stale_citations").findings
    stale = planted["stale"]
    assert [finding.url for finding in findings] == [f"/roles/{stale.role.slug}/duties/{stale.pk}/edit/"]


def test_a_role_without_duties_or_lines_is_reported(planted):
    assert [f.url for f in _section("roles_without_duties").findings] == ["/roles/lonely-role/edit/#duties"]
    assert [f.url for f in _section("roles_without_lines").findings] == ["/roles/lonely-role/edit/#lines"]


def test_near_duplicate_duties_are_reported_within_and_across_roles(planted):
    messages = [finding.message for finding in _section("near_duplicates").findings]
    assert len(messages) == 3, messages
    assert sum("within Medical Director" in message for message in messages) == 1, messages
    assert sum("across roles" in message for message in messages) == 2


def test_a_source_below_full_coverage_is_reported(planted):
    findings = _section("coverage").findings
    assert [(f.message, f.url) for f in findings] == [("Notes: 0 % covered, 1 sentences left", "/sources/notes/")]


def test_the_editorial_share_counts_each_roles_rows(planted):
    shares = {share.role.slug: share for share in checks.editorial_share()}
    assert (shares["lonely-role"].editorial, shares["lonely-role"].total) == (1, 1)
    assert shares["medical-director"].editorial >= 2


def test_the_page_lists_every_finding_with_its_link(editor_client, planted, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        response = editor_client.get("/health/")
    page = response.content.decode()
    assert response.status_code == 200
    for url in ["/roles/lonely-role/edit/#duties", "/roles/lonely-role/edit/#lines", "/sources/notes/"]:
        assert f'href="{url}"' in page
    assert "Duties that say nearly the same" in page and "Editorial share per role" in page


def test_the_page_is_in_norwegian_under_nb(editor_client, planted):
    page = editor_client.get("/nb/health/").content.decode()
    assert "Kunnskapsbasens helse" in page and "Oppgaver som sier nesten det samme" in page


def test_the_page_is_for_editors(reader_client, anon_client, kb):
    assert reader_client.get("/health/").status_code == 403
    assert anon_client.get("/health/").status_code == 302


def test_the_api_reports_the_same_findings(token_client, planted):
    body = token_client.get("/api/v1/health/").json()
    counts = {section["key"]: section["count"] for section in body["sections"]}
    assert counts["roles_without_duties"] == counts["roles_without_lines"] == counts["coverage"] == 1
    assert counts["near_duplicates"] == 3 and counts["stale_citations"] == 1
    lines = next(s for s in body["sections"] if s["key"] == "roles_without_lines")
    assert lines["findings"] == [
        {"message": "Lonely role", "url": "http://testserver/roles/lonely-role/edit/#lines", "role": "lonely-role"}
    ]
