"""A role's history: every change with who, when and a field-by-field diff; revert and restore."""

from django.urls import reverse

from responsibilities.models import Duty
from roles.models import ReportingLine, Role, RoleTitle

from kb_testing import form_payload


def _change_duty_title(client, duty, title_en):
    url = reverse("responsibilities:duties_edit", args=[duty.role.slug, duty.pk])
    response = client.post(url, form_payload(client.get(url).context["form"], title_en=title_en))
    assert response.status_code == 302


def _entries(client, role, page=None):
    url = reverse("descriptions:history", args=[role.slug])
    return client.get(url, {"page": page} if page else {}).context["entries"]


def test_history_lists_a_change_with_the_editors_username_and_a_diff(editor_client, editor, duty):
    old_title = duty.title_en
    _change_duty_title(editor_client, duty, "Set the direction")

    response = editor_client.get(reverse("descriptions:history", args=[duty.role.slug]))

    newest = response.context["entries"][0]
    assert (newest.who, newest.change_type, newest.kind_label, newest.what) == (
        "editor",
        "Changed",
        "Duty",
        "Set the direction",
    )
    assert [(c.label, c.language, c.old, c.new) for c in newest.changes] == [
        ("Title", "en", old_title, "Set the direction")
    ]
    html = response.content.decode()
    assert "by editor," in html
    assert f'<td class="old" lang="en"><del>{old_title}</del></td>' in html
    assert '<td class="new" lang="en"><ins>Set the direction</ins></td>' in html


def test_history_names_load_kb_for_the_shipped_knowledge_base(reader_client, cmo):
    entries = _entries(reader_client, cmo)

    assert entries
    assert {entry.who for entry in entries} == {"load_kb"}
    assert {entry.change_type for entry in entries} == {"Created"}


def test_history_is_newest_first_and_paginated(reader_client, cmo):
    first_page = _entries(reader_client, cmo)
    second_page = _entries(reader_client, cmo, page=2)

    assert len(first_page) == 25
    dates = [e.record.history_date for e in first_page + second_page]
    assert dates == sorted(dates, reverse=True)
    first_keys = {(e.track.key, e.record.history_id) for e in first_page}
    assert not first_keys & {(e.track.key, e.record.history_id) for e in second_page}


def test_history_covers_the_role_its_titles_facts_duties_qualifications_and_lines(reader_client, cmo):
    url = reverse("descriptions:history", args=[cmo.slug])
    page = reader_client.get(url).context["page"]
    kinds = set()
    for number in page.paginator.page_range:
        kinds |= {entry.track.key for entry in reader_client.get(url, {"page": number}).context["entries"]}

    assert kinds == {"role", "titles", "facts", "duties", "qualifications", "lines"}


def test_history_page_costs_a_fixed_number_of_queries(editor_client, cmo, duty, django_assert_max_num_queries):
    _change_duty_title(editor_client, duty, "One")
    _change_duty_title(editor_client, Duty.objects.get(pk=duty.pk), "Two")
    url = reverse("descriptions:history", args=[cmo.slug])

    with django_assert_max_num_queries(19):
        editor_client.get(url)
    with django_assert_max_num_queries(19):
        editor_client.get(url, {"page": 2})


def test_revert_restores_the_earlier_value_and_is_recorded(editor_client, editor, duty):
    original = duty.title_en
    _change_duty_title(editor_client, duty, "A worse title")
    entries = _entries(editor_client, duty.role)
    created = next(e for e in entries if e.record.id == duty.pk and e.record.history_type == "+")
    assert created.may_revert

    response = editor_client.post(
        reverse("descriptions:revert", args=[duty.role.slug, "duties", created.record.history_id]),
        {"version": created.current_version},
    )

    assert response.status_code == 302
    assert response.url == reverse("descriptions:history", args=[duty.role.slug])
    duty.refresh_from_db()
    assert duty.title_en == original
    latest = duty.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith("Reverted to the version of")
    assert "Reverted “" in editor_client.get(response.url).content.decode()


def test_revert_of_a_role_restores_both_languages(editor_client, cmo):
    url = reverse("descriptions:edit", args=[cmo.slug])
    page = editor_client.get(url)
    editor_client.post(url, form_payload(page.context["form"], page.context["titles"], summary_nb="Endret"))
    created = cmo.history.earliest()

    editor_client.post(
        reverse("descriptions:revert", args=[cmo.slug, "role", created.history_id]), {"version": cmo.version + 1}
    )

    cmo.refresh_from_db()
    assert (cmo.summary_nb, cmo.version) == (created.summary_nb, 3)


def test_a_stale_revert_is_refused(editor_client, duty):
    _change_duty_title(editor_client, duty, "Second")
    created = duty.history.earliest()

    response = editor_client.post(
        reverse("descriptions:revert", args=[duty.role.slug, "duties", created.history_id]), {"version": 1}
    )

    duty.refresh_from_db()
    assert duty.title_en == "Second"
    assert "changed again since you loaded the history" in editor_client.get(response.url).content.decode()


def test_readers_cannot_revert(reader_client, duty):
    created = duty.history.earliest()

    response = reader_client.post(
        reverse("descriptions:revert", args=[duty.role.slug, "duties", created.history_id]), {"version": duty.version}
    )

    assert response.status_code == 403


def test_a_history_entry_of_another_role_cannot_be_reverted_through_this_one(editor_client, duty):
    created = duty.history.earliest()

    response = editor_client.post(
        reverse("descriptions:revert", args=["physician", "duties", created.history_id]), {"version": duty.version}
    )

    assert response.status_code == 404


def test_an_unknown_history_kind_is_404(editor_client, cmo):
    assert editor_client.post(reverse("descriptions:revert", args=[cmo.slug, "nonsense", 1])).status_code == 404


def test_restore_brings_back_a_deleted_duty(editor_client, editor, duty):
    delete_url = reverse("responsibilities:duties_delete", args=[duty.role.slug, duty.pk])
    editor_client.post(delete_url, {"version": duty.version})
    entries = _entries(editor_client, duty.role)
    deleted = entries[0]
    assert (deleted.change_type, deleted.what, deleted.may_restore) == ("Deleted", duty.title_en, True)

    response = editor_client.post(
        reverse("descriptions:restore", args=[duty.role.slug, "duties", deleted.record.history_id])
    )

    assert response.status_code == 302
    restored = Duty.objects.get(pk=duty.pk)
    assert (restored.title_en, restored.category_id, restored.excerpt, restored.seed_key) == (
        duty.title_en,
        duty.category_id,
        duty.excerpt,
        duty.seed_key,
    )
    latest = restored.history.first()
    assert (latest.history_user, latest.history_type) == (editor, "+")
    assert latest.history_change_reason.startswith("Restored from the history")
    # The deletion entry no longer offers a restore: the duty exists again.
    assert not _entries(editor_client, duty.role)[1].may_restore


def test_restore_brings_back_a_deleted_title_and_reporting_line(editor_client, cmo):
    title = RoleTitle.objects.filter(role=cmo).first()
    line = ReportingLine.objects.filter(superior=cmo).first()
    deleted = [("titles", RoleTitle, title.pk), ("lines", ReportingLine, line.pk)]
    title.delete()
    line.delete()

    for key, model, pk in deleted:
        record = model.history.get(id=pk, history_type="-")
        editor_client.post(reverse("descriptions:restore", args=[cmo.slug, key, record.history_id]))
        assert model.objects.filter(pk=pk).exists(), key


def test_restoring_a_line_that_would_now_close_a_cycle_is_refused_with_a_message(editor_client, cmo):
    medical_director = Role.objects.get(slug="medical-director")
    line = ReportingLine.objects.get(subordinate=medical_director, superior=cmo, kind="reports_to")
    line_pk = line.pk
    line.delete()
    ReportingLine.objects.create(subordinate=cmo, superior=medical_director, kind="reports_to", editorial=True)
    record = ReportingLine.history.get(id=line_pk, history_type="-")

    response = editor_client.post(reverse("descriptions:restore", args=[cmo.slug, "lines", record.history_id]))

    assert response.status_code == 302
    assert not ReportingLine.objects.filter(pk=line_pk).exists()
    assert (
        "Could not restore: This line would close a reporting cycle" in editor_client.get(response.url).content.decode()
    )


def test_only_a_deletion_can_be_restored(editor_client, duty):
    created = duty.history.earliest()

    response = editor_client.post(reverse("descriptions:restore", args=[duty.role.slug, "duties", created.history_id]))

    assert response.status_code == 302
    assert "Only a deletion can be restored." in editor_client.get(response.url).content.decode()


def test_history_shows_translated_labels_in_norwegian(editor_client, duty):
    _change_duty_title(editor_client, duty, "Something new")
    url = reverse("descriptions:history", args=[duty.role.slug]).replace("/roles/", "/nb/roles/", 1)

    newest = editor_client.get(url).context["entries"][0]

    assert newest.changes[0].language_name == "Engelsk"
