"""Editing that helps: different-field edits merge, true conflicts are labelled, marks and wording guide editors."""

import pytest
from django.urls import reverse

from knowledge import services
from roles.models import Qualification, ReportingLine, Role, RoleFact

from kb_testing import form_payload


def _edit(client, role, fact):
    url = reverse("roles:facts_edit", args=[role.slug, fact.pk])
    return url, client.get(url).context["form"]


def test_edits_to_different_fields_of_one_row_merge_silently(editor_client, editor, cmo):
    fact = RoleFact.objects.filter(role=cmo).exclude(text_nb="").first()
    url, form = _edit(editor_client, cmo, fact)  # the form is opened on this version…
    services.content_update(  # …someone else changes the Norwegian text meanwhile
        instance=fact, data={"text_nb": "Ny norsk tekst"}, user=editor, expected_version=fact.version
    )

    response = editor_client.post(url, form_payload(form, text_en="New English text"), follow=True)

    fact.refresh_from_db()
    assert (fact.text_en, fact.text_nb) == ("New English text", "Ny norsk tekst")
    assert "together with the changes someone else made" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"#facts-{fact.pk}")


def test_a_true_conflict_lists_only_the_fields_both_changed(editor_client, editor, cmo):
    fact = RoleFact.objects.filter(role=cmo).exclude(text_nb="").first()
    url, form = _edit(editor_client, cmo, fact)
    services.content_update(
        instance=fact, data={"text_en": "Their English"}, user=editor, expected_version=fact.version
    )

    response = editor_client.post(url, form_payload(form, text_en="My English", text_nb="Min norske"))

    assert response.status_code == 200
    conflict = response.context["conflict"]
    assert [row.label for row in conflict.clashes] == ["Text (English)"]
    assert conflict.taken == []  # the Norwegian text only I changed: kept, not called a conflict
    fact.refresh_from_db()
    assert fact.text_en == "Their English"


def test_the_saved_row_carries_its_confirmation(editor_client, cmo):
    fact = RoleFact.objects.filter(role=cmo).first()
    url, form = _edit(editor_client, cmo, fact)

    page = editor_client.post(url, form_payload(form, text_en="Changed " + "word " * 30), follow=True).content.decode()

    row = page.split(f'id="facts-{fact.pk}"')[1].split("</li>")[0]
    assert 'class="message row-message success" role="status"' in row
    assert "Saved “Changed word" in row and "…”" in row  # cut at a word, with an ellipsis
    assert ("Changed " + "word " * 30).strip() in row  # the list shows the full text
    header = page.split('<main id="main"')[1].split("<h1")[0]
    assert "Saved" not in header


@pytest.mark.parametrize("kind", ["licence", "education", "certification"])
def test_minimum_years_are_refused_outside_experience(editor_client, cmo, kind):
    url = reverse("roles:qualifications_add", args=[cmo.slug])
    form = editor_client.get(url).context["form"]

    response = editor_client.post(url, form_payload(form, kind=kind, text_en="x", text_nb="x", minimum_years=5))

    assert response.status_code == 200
    assert "apply to experience only" in str(response.context["form"].errors["minimum_years"])
    assert not Qualification.objects.filter(text_en="x").exists()


def test_minimum_years_on_a_licence_are_a_problem_in_the_api(editor, cmo):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(editor)
    payload = {"role": cmo.slug, "kind": "licence", "text_en": "Licence", "text_nb": "Lisens", "minimum_years": 5}
    payload["editorial"] = True

    response = client.post("/api/v1/qualifications/", payload, format="json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "minimum_years" in response.content.decode()


def test_changing_one_language_marks_the_other_until_it_is_edited(client, editor, cmo):
    fact = RoleFact.objects.filter(role=cmo).exclude(text_nb="").first()
    fact = services.content_update(
        instance=fact, data={"text_en": fact.text_en + " (revised)"}, user=editor, expected_version=fact.version
    )
    assert fact.stale_translation == "nb"

    norwegian = client.get(f"/nb/roles/{cmo.slug}/").content.decode()
    english = client.get(f"/roles/{cmo.slug}/").content.decode()
    assert "kan være utdatert" in norwegian
    assert "may be out of date" not in english

    fact = services.content_update(
        instance=fact, data={"text_nb": fact.text_nb + " (revidert)"}, user=editor, expected_version=fact.version
    )
    assert fact.stale_translation == ""
    assert "kan være utdatert" not in client.get(f"/nb/roles/{cmo.slug}/").content.decode()


def test_english_standing_in_on_the_norwegian_page_is_marked(client, editor, cmo):
    fact = RoleFact.objects.filter(role=cmo).first()
    services.content_update(instance=fact, data={"text_nb": ""}, user=editor, expected_version=fact.version)

    norwegian = client.get(f"/nb/roles/{cmo.slug}/").content.decode()

    assert "ikke oversatt ennå" in norwegian


def test_a_dotted_line_up_is_worded_as_such(client, editor, cmo):
    physician = Role.objects.get(slug="physician")
    ReportingLine.objects.filter(subordinate=cmo).delete()
    services.content_create(
        model=ReportingLine,
        data={"subordinate": cmo, "superior": physician, "kind": "dotted", "editorial": True},
        user=editor,
    )

    page = client.get(f"/roles/{cmo.slug}/").content.decode()
    reports_to = page.split("<h3>Reports to</h3>")[1].split("</ul>")[0]

    assert "No one: this is a top-level role." not in reports_to
    assert "No one by a formal (solid) line." in reports_to
    assert "Reports by a dotted (functional) line to" in reports_to


def test_revert_asks_first_then_reverts(editor_client, editor, cmo):
    fact = RoleFact.objects.filter(role=cmo).first()
    first = fact.history.order_by("history_date").first()
    original = fact.text_en
    services.content_update(instance=fact, data={"text_en": "Changed"}, user=editor, expected_version=fact.version)
    url = reverse("descriptions:revert", args=[cmo.slug, "facts", first.history_id])

    confirm = editor_client.get(url)

    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Revert to an earlier version?" in body and "<del>Changed</del>" in body
    fact.refresh_from_db()
    assert fact.text_en == "Changed"  # nothing happened yet
    editor_client.post(url, {"version": fact.version})
    fact.refresh_from_db()
    assert fact.text_en == original


def test_dates_read_the_same_on_every_page(editor_client, editor, cmo):
    from django.utils import timezone

    fact = RoleFact.objects.filter(role=cmo).first()
    services.content_update(instance=fact, data={"text_en": "Dated"}, user=editor, expected_version=fact.version)
    moment = timezone.localtime(fact.history.latest("history_date").history_date)

    english = editor_client.get(reverse("descriptions:history", args=[cmo.slug])).content.decode()
    norwegian = editor_client.get("/nb" + reverse("descriptions:history", args=[cmo.slug])).content.decode()

    assert f"{moment.day} {moment:%B %Y}, {moment:%H:%M}" in english
    assert f"{moment.day}. " in norwegian and f"{moment.year} kl. {moment:%H:%M}" in norwegian
