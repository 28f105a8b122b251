"""The pages refuse a write that arrives without the version of the row it was based on: nothing is written."""

import pytest
from django.urls import reverse

from knowledge import version as kb_version
from responsibilities.models import Duty
from roles.models import Role

MISSING = "arrived without the version of the row it was loaded from"


@pytest.fixture
def cmo(kb):
    return Role.objects.get(slug="chief-medical-officer")


@pytest.fixture
def duty(cmo):
    return Duty.objects.filter(role=cmo).order_by("category__position", "position", "pk").first()


def _unchanged(*rows):
    return [(type(row), row.pk, row.version) for row in rows]


def _now(*rows):
    return [(type(row), row.pk, type(row).objects.get(pk=row.pk).version) for row in rows]


def test_the_role_edit_page_refuses_a_post_without_the_roles_version(editor_client, cmo, form_payload):
    url = reverse("descriptions:edit", args=[cmo.slug])
    page = editor_client.get(url)
    payload = form_payload(page.context["form"], page.context["titles"], summary_en="Saved blindly")
    del payload["version"]
    before = kb_version.current()

    response = editor_client.post(url, payload)

    assert response.status_code == 200
    assert MISSING in response.content.decode()
    cmo.refresh_from_db()
    assert cmo.summary_en != "Saved blindly"
    assert kb_version.current() == before


def test_the_role_edit_page_refuses_a_title_without_its_version(editor_client, cmo, form_payload):
    url = reverse("descriptions:edit", args=[cmo.slug])
    page = editor_client.get(url)
    title = page.context["titles"].forms[0]
    payload = form_payload(page.context["form"], page.context["titles"], **{title.add_prefix("title"): "Renamed"})
    del payload[title.add_prefix("version")]

    response = editor_client.post(url, payload)

    assert response.status_code == 200
    assert MISSING in response.content.decode()
    assert _now(title.instance) == _unchanged(title.instance)


def test_an_item_edit_page_refuses_a_post_without_the_items_version(editor_client, duty, form_payload):
    url = reverse("responsibilities:duties_edit", args=[duty.role.slug, duty.pk])
    page = editor_client.get(url)
    payload = form_payload(page.context["form"], title_en="Saved blindly")
    del payload["version"]

    response = editor_client.post(url, payload)

    assert response.status_code == 200
    assert MISSING in response.content.decode()
    duty.refresh_from_db()
    assert duty.title_en != "Saved blindly"


def test_deleting_an_item_without_its_version_is_refused(editor_client, duty):
    response = editor_client.post(reverse("responsibilities:duties_delete", args=[duty.role.slug, duty.pk]), {})

    assert MISSING in response.content.decode()
    assert Duty.objects.filter(pk=duty.pk).exists()


def test_moving_an_item_without_its_version_is_refused(editor_client, duty):
    siblings = list(Duty.objects.filter(role=duty.role).values_list("pk", "position"))
    url = reverse("responsibilities:duties_move", args=[duty.role.slug, duty.pk])

    response = editor_client.post(url, {"direction": "down"}, follow=True)

    assert MISSING in response.content.decode()
    assert list(Duty.objects.filter(role=duty.role).values_list("pk", "position")) == siblings


def test_reverting_without_the_items_version_is_refused(editor_client, duty):
    created = duty.history.earliest()
    before = _unchanged(duty)
    url = reverse("descriptions:revert", args=[duty.role.slug, "duties", created.history_id])

    response = editor_client.post(url, {}, follow=True)

    assert MISSING in response.content.decode()
    assert _now(duty) == before
    assert duty.history.count() == 1
