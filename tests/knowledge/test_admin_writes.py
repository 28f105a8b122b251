"""The admin writes through the write layer: version-checked saves, history with user and reason, the version bump."""

import pytest
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin

from knowledge import services, version as kb_version
from knowledge.admin_writes import VersionedAdminMixin, VersionedInlineMixin
from knowledge.contents import content_models
from responsibilities.models import Duty
from roles.models import Role, RoleTitle

CONFLICT = "Someone else saved this while you were editing"
MISSING = "arrived without the version of the row it was loaded from"


def change_url(instance) -> str:
    meta = instance._meta
    return f"/admin/{meta.app_label}/{meta.model_name}/{instance.pk}/change/"


@pytest.fixture
def physician(kb):
    return Role.objects.get(slug="physician")


def test_every_content_model_and_every_inline_of_one_writes_through_the_versioned_admin():
    for model in content_models():
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, VersionedAdminMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, InlineModelAdmin) and issubclass(inline, VersionedInlineMixin), inline


def test_an_admin_save_goes_through_the_services_with_history_and_a_version_bump(anna, physician, admin_payload):
    page = anna.get(change_url(physician))
    before = kb_version.current()

    response = anna.post(change_url(physician), admin_payload(page, summary_en="Looks after patients."))

    assert response.status_code == 302
    physician.refresh_from_db()
    assert (physician.summary_en, physician.version) == ("Looks after patients.", page.context["original"].version + 1)
    latest = physician.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (anna.user, "Changed in the admin")
    assert kb_version.current() > before


def test_a_stale_admin_save_is_refused_side_by_side_keeping_the_input(anna, bjorn, physician, admin_payload):
    annas_page = anna.get(change_url(physician))
    bjorns_page = bjorn.get(change_url(physician))
    saved = bjorn.post(
        change_url(physician), admin_payload(bjorns_page, summary_en="Summary by Bjorn", title_nb="Lege (Bjorn)")
    )
    assert saved.status_code == 302
    physician.refresh_from_db()
    after_bjorn = (physician.summary_en, physician.title_nb, physician.version, physician.history.count())
    version_before = kb_version.current()

    refused = anna.post(change_url(physician), admin_payload(annas_page, summary_en="Summary by Anna"))

    assert refused.status_code == 200
    html = refused.content.decode()
    assert CONFLICT in html
    conflict = refused.context["conflict"]
    assert [(row.saved, row.yours) for row in conflict.clashes] == [("Summary by Bjorn", "Summary by Anna")]
    assert [(row.saved, row.taken) for row in conflict.taken] == [("Lege (Bjorn)", True)]
    form = refused.context["adminform"].form
    assert form["summary_en"].value() == "Summary by Anna"  # the input is kept
    assert form["title_nb"].value() == "Lege (Bjorn)"  # an untouched field takes the newer value
    assert int(form["version"].value()) == physician.version
    physician.refresh_from_db()
    assert (physician.summary_en, physician.title_nb, physician.version, physician.history.count()) == after_bjorn
    assert kb_version.current() == version_before  # nothing was written, not even the bump

    # Saving the form as shown again is a deliberate choice, and goes through.
    again = anna.post(change_url(physician), admin_payload(refused))
    assert again.status_code == 302
    physician.refresh_from_db()
    assert (physician.summary_en, physician.title_nb) == ("Summary by Anna", "Lege (Bjorn)")


def test_a_stale_inline_row_refuses_the_whole_admin_save(anna, physician, admin_payload):
    page = anna.get(change_url(physician))
    duty = Duty.objects.filter(role=physician).order_by("category__position", "position", "pk").first()
    services.content_update(instance=duty, data={"title_en": "Changed elsewhere"}, user=None, expected_version=None)
    index = [form.instance.pk for form in page.context["inline_admin_formsets"][4].formset.forms].index(duty.pk)

    refused = anna.post(
        change_url(physician),
        admin_payload(page, summary_en="Anna's summary", **{f"duties-{index}-title_en": "Changed by Anna"}),
    )

    assert refused.status_code == 200
    assert CONFLICT in refused.content.decode()
    clashes = refused.context["conflict"].clashes
    assert [(row.saved, row.yours) for row in clashes] == [("Changed elsewhere", "Changed by Anna")]
    assert "This concerns the duty “Changed elsewhere”." in refused.content.decode()
    physician.refresh_from_db()
    duty.refresh_from_db()
    assert physician.summary_en != "Anna's summary"  # the role's own change was undone with it
    assert duty.title_en == "Changed elsewhere"


def test_rows_someone_else_changed_meanwhile_but_the_user_did_not_are_left_as_they_are(anna, physician, admin_payload):
    page = anna.get(change_url(physician))
    duty = Duty.objects.filter(role=physician).order_by("category__position", "position", "pk").first()
    services.content_update(instance=duty, data={"title_en": "Changed elsewhere"}, user=None, expected_version=None)

    response = anna.post(change_url(physician), admin_payload(page, summary_en="Anna's summary"))

    assert response.status_code == 302
    physician.refresh_from_db()
    duty.refresh_from_db()
    assert (physician.summary_en, duty.title_en) == ("Anna's summary", "Changed elsewhere")


def test_two_sessions_changing_different_rows_of_a_role_both_save_and_leave_the_role_alone(
    anna, bjorn, physician, admin_payload
):
    annas_page, bjorns_page = anna.get(change_url(physician)), bjorn.get(change_url(physician))
    first, second = (form.instance for form in annas_page.context["inline_admin_formsets"][4].formset.forms[:2])

    by_bjorn = bjorn.post(change_url(physician), admin_payload(bjorns_page, **{"duties-0-title_en": "Bjorn's duty"}))
    by_anna = anna.post(change_url(physician), admin_payload(annas_page, **{"duties-1-title_en": "Anna's duty"}))

    assert (by_bjorn.status_code, by_anna.status_code) == (302, 302)
    assert Duty.objects.get(pk=first.pk).title_en == "Bjorn's duty"
    assert Duty.objects.get(pk=second.pk).title_en == "Anna's duty"
    assert Role.objects.get(pk=physician.pk).version == physician.version  # the role itself was not written


def test_an_admin_save_without_its_version_is_refused(anna, physician, admin_payload):
    page = anna.get(change_url(physician))
    before = (physician.summary_en, physician.version)
    payload = admin_payload(page, summary_en="Saved blindly")
    del payload["version"]

    response = anna.post(change_url(physician), payload)

    assert response.status_code == 200
    assert MISSING in response.content.decode()
    physician.refresh_from_db()
    assert (physician.summary_en, physician.version) == before


def test_an_inline_row_without_its_version_is_refused(anna, physician, admin_payload):
    page = anna.get(change_url(physician))
    title = RoleTitle.objects.filter(role=physician).order_by("pk").first()
    index = [form.instance.pk for form in page.context["inline_admin_formsets"][0].formset.forms].index(title.pk)
    payload = admin_payload(page, **{f"titles-{index}-title": "Renamed blindly"})
    del payload[f"titles-{index}-version"]

    response = anna.post(change_url(physician), payload)

    assert response.status_code == 200
    assert MISSING in response.content.decode()
    title.refresh_from_db()
    assert title.title != "Renamed blindly"


def test_adding_a_role_with_a_title_in_the_admin_records_both_in_the_history(anna, kb, admin_payload):
    page = anna.get("/admin/roles/role/add/")
    payload = admin_payload(
        page,
        slug="ward-doctor",
        title_en="Ward doctor",
        title_nb="Avdelingslege",
        level="clinician",
        editorial="on",
        **{
            "titles-TOTAL_FORMS": "1",
            "titles-0-language": "en",
            "titles-0-kind": "alternative",
            "titles-0-title": "Ward physician",
            "titles-0-editorial": "on",
        },
    )

    response = anna.post("/admin/roles/role/add/", payload)

    assert response.status_code == 302, response.context and response.context["errors"]
    role = Role.objects.get(slug="ward-doctor")
    title = role.titles.get()
    for row in (role, title):
        latest = row.history.latest()
        assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
            "+",
            anna.user,
            "Added in the admin",
        )


def test_an_admin_delete_is_recorded_in_the_history_and_bumps_the_version(anna, physician):
    duty = Duty.objects.filter(role=physician).first()
    url = f"/admin/responsibilities/duty/{duty.pk}/delete/"
    assert f'name="version" value="{duty.version}"' in anna.get(url).content.decode()
    before = kb_version.current()

    response = anna.post(url, {"post": "yes", "version": duty.version})

    assert response.status_code == 302
    assert not Duty.objects.filter(pk=duty.pk).exists()
    deleted = Duty.history.filter(id=duty.pk).latest()
    assert (deleted.history_type, deleted.history_user, deleted.history_change_reason) == (
        "-",
        anna.user,
        "Deleted in the admin",
    )
    assert kb_version.current() > before


def test_an_admin_delete_without_a_version_is_refused(anna, physician):
    duty = Duty.objects.filter(role=physician).first()

    response = anna.post(f"/admin/responsibilities/duty/{duty.pk}/delete/", {"post": "yes"}, follow=True)

    assert Duty.objects.filter(pk=duty.pk).exists()
    assert not Duty.history.filter(id=duty.pk, history_type="-").exists()
    assert "Nothing was deleted" in response.content.decode()


def test_an_admin_delete_of_a_row_changed_since_is_refused(anna, physician):
    duty = Duty.objects.filter(role=physician).first()
    shown = duty.version
    services.content_update(instance=duty, data={"title_en": "Changed meanwhile"}, user=None, expected_version=None)

    response = anna.post(
        f"/admin/responsibilities/duty/{duty.pk}/delete/", {"post": "yes", "version": shown}, follow=True
    )

    assert Duty.objects.filter(pk=duty.pk).exists()
    assert "Someone else saved this in the meantime" in response.content.decode()
    assert "Nothing was deleted" in response.content.decode()


def test_bulk_delete_goes_through_the_services_row_by_row(anna, physician):
    duties = list(Duty.objects.filter(role=physician).order_by("pk")[:2])
    selected = [duty.pk for duty in duties]
    confirmation = anna.post(
        "/admin/responsibilities/duty/", {"action": "delete_selected", "_selected_action": selected}
    )
    for duty in duties:
        assert f'name="version-{duty.pk}" value="{duty.version}"' in confirmation.content.decode()
    before = kb_version.current()

    response = anna.post(
        "/admin/responsibilities/duty/",
        {
            "action": "delete_selected",
            "_selected_action": selected,
            "post": "yes",
            **{f"version-{duty.pk}": duty.version for duty in duties},
        },
    )

    assert response.status_code == 302
    assert not Duty.objects.filter(pk__in=selected).exists()
    for pk in selected:
        deleted = Duty.history.filter(id=pk).latest()
        assert (deleted.history_type, deleted.history_user, deleted.history_change_reason) == (
            "-",
            anna.user,
            "Deleted in the admin",
        )
    assert kb_version.current() > before


@pytest.mark.parametrize("tamper", ["missing", "stale"])
def test_bulk_delete_with_one_row_missing_or_stale_deletes_nothing(anna, physician, tamper):
    duties = list(Duty.objects.filter(role=physician).order_by("pk")[:2])
    versions = {f"version-{duty.pk}": duty.version for duty in duties}
    if tamper == "missing":
        del versions[f"version-{duties[1].pk}"]
    else:
        services.content_update(instance=duties[1], data={"title_en": "Changed"}, user=None, expected_version=None)
    before = kb_version.current()

    response = anna.post(
        "/admin/responsibilities/duty/",
        {"action": "delete_selected", "_selected_action": [d.pk for d in duties], "post": "yes", **versions},
        follow=True,
    )

    assert Duty.objects.filter(pk__in=[d.pk for d in duties]).count() == 2
    assert not Duty.history.filter(id__in=[d.pk for d in duties], history_type="-").exists()
    assert "Nothing was deleted" in response.content.decode()
    assert kb_version.current() == before


def test_reverting_from_the_admin_history_goes_through_the_services(anna, physician, admin_payload):
    original = physician.summary_en
    physician = services.content_update(
        instance=physician, data={"summary_en": "A newer summary"}, user=None, expected_version=None
    )
    record = physician.history.filter(summary_en=original).latest()
    url = f"/admin/roles/role/{physician.pk}/history/{record.history_id}/"
    page = anna.get(url)
    form = page.context["adminform"].form
    assert int(form["version"].value()) == physician.version  # checked against the row as it is now

    response = anna.post(url, admin_payload(page))

    assert response.status_code == 302
    physician.refresh_from_db()
    assert physician.summary_en == original
    latest = physician.history.latest()
    assert latest.history_user == anna.user
    assert latest.history_change_reason.startswith("Reverted in the admin to the version of")
