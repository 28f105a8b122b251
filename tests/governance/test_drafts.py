"""An editor's change goes into the role's draft; readers keep seeing the published version."""

from django.urls import reverse

from governance.models import Draft
from roles.models import RoleFact

from kb_testing import form_payload


def _edit_fact(client, fact, text):
    url = reverse("roles:facts_edit", args=[fact.role.slug, fact.pk])
    form = client.get(url).context["form"]
    return client.post(url, form_payload(form, text_en=text))


def test_an_editors_change_is_recorded_in_the_draft_not_the_rows(editor_client, cmo, client):
    fact = RoleFact.objects.filter(role=cmo).first()
    published = fact.text_en

    response = _edit_fact(editor_client, fact, "Drafted overview text")

    assert response.status_code == 302
    fact.refresh_from_db()
    assert fact.text_en == published
    draft = Draft.objects.get(role=cmo)
    assert [(op["op"], op["pk"], op["data"]["text_en"]) for op in draft.operations] == [
        ("update", fact.pk, "Drafted overview text")
    ]
    assert "Drafted overview text" not in client.get(cmo.get_absolute_url()).content.decode()
    page = editor_client.get(reverse("descriptions:draft", args=[cmo.slug])).content.decode()
    assert "Draft — not yet published" in page and "Drafted overview text" in page and published[:40] in page


def test_the_editor_keeps_editing_the_draft_and_a_stale_form_is_refused(editor_client, cmo):
    fact = RoleFact.objects.filter(role=cmo).first()
    url = reverse("roles:facts_edit", args=[cmo.slug, fact.pk])
    stale_form = editor_client.get(url).context["form"]
    _edit_fact(editor_client, fact, "First draft text")

    form = editor_client.get(url).context["form"]
    assert form["text_en"].value() == "First draft text"
    response = editor_client.post(url, form_payload(stale_form, text_en="Overwrites unseen"))

    assert response.status_code == 200 and response.context["conflict"] is not None
    assert Draft.objects.get(role=cmo).operations[0]["data"]["text_en"] == "First draft text"


def test_added_and_deleted_rows_wait_in_the_draft(editor_client, cmo):
    fact = RoleFact.objects.filter(role=cmo).first()
    count = RoleFact.objects.filter(role=cmo).count()
    delete = editor_client.post(reverse("roles:facts_delete", args=[cmo.slug, fact.pk]), {"version": fact.version})
    url = reverse("roles:facts_add", args=[cmo.slug])
    form = editor_client.get(url).context["form"]
    add = editor_client.post(url, form_payload(form, kind="scope", text_en="A new scope", text_nb="Et nytt omfang"))

    assert delete.status_code == add.status_code == 302
    assert RoleFact.objects.filter(role=cmo).count() == count
    assert [op["op"] for op in Draft.objects.get(role=cmo).operations] == ["delete", "create"]


def test_an_invalid_change_is_refused_before_it_reaches_the_draft(editor_client, cmo):
    fact = RoleFact.objects.filter(role=cmo).first()
    response = _edit_fact(editor_client, fact, "x" * 1001)
    assert response.status_code == 200
    assert not Draft.objects.filter(role=cmo).exists()


def test_without_review_an_edit_is_live_at_once(editor_client, cmo, settings):
    settings.KB_REVIEW_REQUIRED = False
    fact = RoleFact.objects.filter(role=cmo).first()
    _edit_fact(editor_client, fact, "Live at once")
    fact.refresh_from_db()
    assert fact.text_en == "Live at once" and not Draft.objects.exists()


def test_the_role_edit_page_edits_the_draft(editor_client, cmo):
    url = reverse("descriptions:edit", args=[cmo.slug])
    page = editor_client.get(url)
    payload = form_payload(page.context["form"], page.context["titles"], summary_en="A drafted summary")

    assert editor_client.post(url, payload).status_code == 302
    cmo.refresh_from_db()
    assert cmo.summary_en != "A drafted summary"
    again = editor_client.get(url).context["form"]
    assert again["summary_en"].value() == "A drafted summary"


def test_moving_a_row_is_recorded_in_the_draft(editor_client, cmo):
    first, second = RoleFact.objects.filter(role=cmo).order_by("position")[:2]
    response = editor_client.post(
        reverse("roles:facts_move", args=[cmo.slug, second.pk]), {"direction": "up", "version": second.version}
    )
    assert response.status_code == 302
    positions = {op["pk"]: op["data"]["position"] for op in Draft.objects.get(role=cmo).operations}
    assert positions == {second.pk: first.position, first.pk: second.position}
    assert RoleFact.objects.get(pk=first.pk).position == first.position
