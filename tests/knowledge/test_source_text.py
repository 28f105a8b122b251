"""A source's text keeps every excerpt cited from it: a change that would strand one is refused, naming the rows."""

import pytest
from django.core.exceptions import ValidationError

from knowledge import services
from knowledge.citations import citing_models
from knowledge.contents import content_models
from knowledge.models import Source
from responsibilities.models import Duty
from roles.models import Role

SOURCE = "associate-chief-medical-officer"


@pytest.fixture
def source(kb):
    return Source.objects.get(slug=SOURCE)


@pytest.fixture
def cited_duty(source):
    return Duty.objects.filter(source=source).select_related("role").order_by("pk").first()


def test_every_content_model_with_a_source_counts():
    expected = {model for model in content_models() if "source" in {f.name for f in model._meta.concrete_fields}}
    assert set(citing_models(Source)) == expected
    assert Duty in expected and Role in expected


def test_a_text_change_that_strands_an_excerpt_is_refused_naming_the_rows(source, cited_duty):
    passage = cited_duty.excerpt.split("…")[0].strip()
    before = (source.text, source.version, source.history.count())

    with pytest.raises(ValidationError) as refused:
        services.content_update(
            instance=source,
            data={"text": source.text.replace(passage, "")},
            user=None,
            expected_version=source.version,
        )

    messages = refused.value.message_dict["text"]
    assert "no longer contains the excerpts these rows cite" in messages[0]
    assert any(message.startswith(f"Duty of “{cited_duty.role}”: “{cited_duty.title[:40]}") for message in messages), (
        messages
    )
    source.refresh_from_db()
    assert (source.text, source.version, source.history.count()) == before


def test_a_text_change_that_keeps_every_excerpt_is_saved(source):
    changed = services.content_update(
        instance=source,
        data={"text": source.text + "\n\nA paragraph added later."},
        user=None,
        expected_version=source.version,
        reason="Added the closing paragraph",
    )

    assert changed.text.endswith("A paragraph added later.")
    assert changed.history.latest().history_change_reason == "Added the closing paragraph"


def test_the_admin_refuses_a_stranding_text_change_and_keeps_the_input(anna, source, cited_duty, admin_payload):
    url = f"/admin/knowledge/source/{source.pk}/change/"
    page = anna.get(url)
    passage = cited_duty.excerpt.split("…")[0].strip()
    new_text = source.text.replace(passage, "")

    response = anna.post(url, admin_payload(page, text=new_text))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "no longer contains the excerpts these rows cite" in " ".join(form.errors["text"])
    assert form["text"].value().replace("\r\n", "\n") == new_text.replace("\r\n", "\n")
    source.refresh_from_db()
    assert passage in source.text


def test_the_admin_saves_a_text_change_that_keeps_every_excerpt(anna, source, admin_payload):
    url = f"/admin/knowledge/source/{source.pk}/change/"
    page = anna.get(url)

    response = anna.post(url, admin_payload(page, text=source.text + "\n\nA paragraph added later."))

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.text.endswith("A paragraph added later.")
    assert source.history.latest().history_user == anna.user
