"""Submitting, returning, publishing and signing off; publications kept as records."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Draft, Publication, ReviewEvent
from roles.models import Role, RoleFact

from kb_testing import form_payload


def _draft_fact(client, role, text):
    fact = RoleFact.objects.filter(role=role).first()
    url = reverse("roles:facts_edit", args=[role.slug, fact.pk])
    client.post(url, form_payload(client.get(url).context["form"], text_en=text))
    return fact


def _post(client, name, role, **data):
    return client.post(reverse(f"descriptions:{name}", args=[role.slug]), data, follow=True)


def test_the_shipped_knowledge_base_is_publication_1_of_each_role(cmo, client):
    assert cmo.publication == 1 and cmo.last_reviewed is not None
    assert Publication.objects.filter(number=1).count() == Role.objects.count()
    page = client.get(cmo.get_absolute_url()).content.decode()
    assert "Publication 1, effective" in page and "next review" in page


def test_submit_return_fix_publish(editor_client, approver_client, cmo, client):
    fact = _draft_fact(editor_client, cmo, "Reviewed overview")
    draft = Draft.objects.get(role=cmo)
    _post(editor_client, "draft-submit", cmo, note="Please check", draft_version=draft.version)
    draft.refresh_from_db()
    assert draft.state == "submitted" and draft.note == "Please check"

    queue = approver_client.get(reverse("descriptions:reviews")).content.decode()
    assert cmo.title in queue
    review = approver_client.get(reverse("descriptions:review", args=[cmo.slug])).content.decode()
    assert "Reviewed overview" in review and "Key facts" in review
    _post(approver_client, "return", cmo, comment="Say who it covers", draft_version=draft.version)
    draft.refresh_from_db()
    assert draft.state == "returned" and draft.comment == "Say who it covers"

    _draft_fact(editor_client, cmo, "Reviewed overview, for every department")
    draft.refresh_from_db()
    _post(editor_client, "draft-submit", cmo, note="Fixed", draft_version=draft.version)
    assert "Reviewed overview" not in client.get(cmo.get_absolute_url()).content.decode()
    draft.refresh_from_db()
    response = _post(approver_client, "publish", cmo, note="Annual update", draft_version=draft.version)

    assert b"Published." in response.content
    fact.refresh_from_db()
    cmo.refresh_from_db()
    assert fact.text_en == "Reviewed overview, for every department"
    assert (cmo.publication, cmo.published_by, cmo.last_reviewed) == (2, "Ada Approver", timezone.localdate())
    assert not Draft.objects.filter(role=cmo).exists()
    publication = Publication.objects.get(role=cmo, number=2)
    assert publication.note == "Annual update" and publication.author_name == "editor"
    assert "for every department" in client.get(cmo.get_absolute_url()).content.decode()
    kinds = list(ReviewEvent.objects.filter(role=cmo).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["submitted", "returned", "submitted", "published"]
    history = fact.history.first()
    assert history.history_change_reason == "Published (publication 2)"


def test_a_draft_that_changed_since_the_approver_opened_it_is_not_published(editor_client, approver_client, cmo):
    fact = _draft_fact(editor_client, cmo, "First")
    opened = Draft.objects.get(role=cmo).version
    _draft_fact(editor_client, cmo, "Second")

    response = _post(approver_client, "publish", cmo, draft_version=opened)

    assert "The draft changed since you opened it" in response.content.decode()
    fact.refresh_from_db()
    assert fact.text_en != "Second" and Draft.objects.filter(role=cmo).exists()


def test_an_author_cannot_approve_their_own_draft(editing_approver, cmo):
    _draft_fact_by(editing_approver, cmo)
    draft = Draft.objects.get(role=cmo)
    try:
        services.draft_publish(draft=draft, note="", user=editing_approver, expected_version=draft.version)
    except services.ReviewRefused as refused:
        assert refused.code == "self"
    else:
        raise AssertionError("self-approval was accepted")
    assert not Publication.objects.filter(role=cmo, number=2).exists()


def test_a_superuser_may_approve_their_own_draft_and_it_is_recorded(superuser, cmo):
    _draft_fact_by(superuser, cmo)
    draft = Draft.objects.get(role=cmo)
    publication = services.draft_publish(draft=draft, note="", user=superuser, expected_version=draft.version)
    assert publication.self_approved and publication.number == 2


def _draft_fact_by(user, role):
    fact = RoleFact.objects.filter(role=role).first()
    services.draft_record(
        role=role,
        op="update",
        model=RoleFact,
        instance=fact,
        data={"text_en": "Mine"},
        user=user,
        expected_version=fact.version,
    )


def test_editors_cannot_publish_and_nothing_to_publish_is_refused(editor_client, approver, cmo):
    assert editor_client.get(reverse("descriptions:reviews")).status_code == 403
    assert editor_client.post(reverse("descriptions:publish", args=[cmo.slug])).status_code == 403
    draft = Draft.objects.create(role=cmo)
    try:
        services.draft_publish(draft=draft, note="", user=approver, expected_version=None)
    except services.ReviewRefused as refused:
        assert refused.code == "empty"
    else:
        raise AssertionError("an empty draft was published")


def test_sign_off_sets_last_reviewed_and_the_overdue_filter_follows(approver_client, cmo, client):
    Role.objects.filter(pk=cmo.pk).update(last_reviewed=datetime.date(2020, 1, 1))
    assert cmo.title in client.get("/?review=overdue").content.decode()
    assert cmo.title in approver_client.get(reverse("descriptions:reviews")).content.decode()

    cmo.refresh_from_db()
    _post(approver_client, "sign-off", cmo, version=cmo.version, note="Still right")

    cmo.refresh_from_db()
    assert cmo.last_reviewed == timezone.localdate()
    assert cmo.review_due == cmo.last_reviewed.replace(year=cmo.last_reviewed.year + 1)
    assert cmo.title not in client.get("/?review=overdue").content.decode()
    assert ReviewEvent.objects.filter(role=cmo, kind="signed_off", text="Still right").exists()


def test_a_publication_is_shown_as_published_and_compared(editor_client, approver_client, cmo, client):
    fact = _draft_fact(editor_client, cmo, "Second publication text")
    old_text = RoleFact.objects.get(pk=fact.pk).text_en
    draft = Draft.objects.get(role=cmo)
    _post(approver_client, "publish", cmo, draft_version=draft.version)

    first = client.get(reverse("descriptions:publication", args=[cmo.slug, 1])).content.decode()
    assert old_text[:40] in first and "Second publication text" not in first
    listing = client.get(reverse("descriptions:publications", args=[cmo.slug])).content.decode()
    assert "Publication 2" in listing and "Publication 1" in listing
    compared = client.get(reverse("descriptions:publication-compare", args=[cmo.slug]) + "?from=1&to=2")
    assert compared.status_code == 200 and "Second publication text" in compared.content.decode()
    assert client.get(reverse("descriptions:publication-compare", args=[cmo.slug]) + "?from=1&to=9").status_code == 400
    assert client.get(reverse("descriptions:publication", args=[cmo.slug, 9])).status_code == 404


def test_anonymous_reads_cost_no_more_queries_with_a_draft(editor_client, cmo, client, settings):
    settings.KB_RESPONSE_CACHE = False
    url = cmo.get_absolute_url()
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    _draft_fact(editor_client, cmo, "Draft text")
    with CaptureQueriesContext(connection) as after:
        page = client.get(url)
    assert len(after) == len(before)
    assert "Draft text" not in page.content.decode()


def test_the_response_cache_keeps_serving_the_published_page_while_the_draft_changes(
    editor_client, cmo, client, response_cache_on
):
    url = cmo.get_absolute_url()
    first = client.get(url)
    _draft_fact(editor_client, cmo, "Draft text")
    second = client.get(url)
    assert second["X-KB-Cache"] == "hit"
    assert second.content == first.content


def test_a_publication_reaches_the_change_feed_after_the_changes_it_applied(superuser, cmo, client):
    since = client.get(reverse("api:changes"), {"since": "latest"}).json()["next_cursor"]
    fact = RoleFact.objects.filter(role=cmo).first()
    _draft_fact_by(superuser, cmo)
    draft = Draft.objects.get(role=cmo)
    services.draft_publish(draft=draft, note="Yearly", user=superuser, expected_version=draft.version)

    events = client.get(reverse("api:changes"), {"since": since}).json()["changes"]
    kinds = [(event["type"], event.get("object_id") or event.get("id")) for event in events]
    assert [kind for kind, _id in kinds] == ["role_fact.updated", "role.updated", "publication.created"], kinds
    published = events[-1]
    assert published["role"] == cmo.slug and published["data"]["number"] == 2
    assert str(fact.pk) in str(events[0])


def test_the_history_lists_a_publication_and_what_it_changed(editor_client, approver_client, cmo):
    _draft_fact(editor_client, cmo, "Second publication text")
    draft = Draft.objects.get(role=cmo)
    _post(approver_client, "publish", cmo, draft_version=draft.version)

    response = editor_client.get(reverse("descriptions:history", args=[cmo.slug]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Second publication text" in page and "Published (publication 2)" in page
    assert "+00:00" not in page  # the publication's time reads as a date, not a raw timestamp
