"""Adding, changing, deleting and reordering a role's duties, qualifications, key facts and reporting lines."""

from django.urls import reverse

from knowledge.models import Source
from responsibilities.models import Duty, DutyCategory
from roles.models import Qualification, ReportingLine, Role, RoleFact

from kb_testing import form_payload


def _edit_page(role, anchor):
    return f"{reverse('descriptions:edit', args=[role.slug])}#{anchor}"


def test_editor_adds_a_duty_at_the_end_of_the_list(editor_client, editor, cmo):
    url = reverse("responsibilities:duties_add", args=[cmo.slug])
    page = editor_client.get(url)
    category = DutyCategory.objects.get(slug="quality-safety")
    last = max(Duty.objects.filter(role=cmo).values_list("position", flat=True))

    response = editor_client.post(
        url,
        form_payload(
            page.context["form"],
            category=category.pk,
            title_en="Chair the patient safety committee",
            title_nb="Lede pasientsikkerhetsutvalget",
            involvement="performs",
        ),
    )

    assert response.status_code == 302
    assert response.url == _edit_page(cmo, "duties")
    duty = Duty.objects.get(title_en="Chair the patient safety committee")
    assert (duty.role, duty.category, duty.position, duty.editorial) == (cmo, category, last + 1, True)
    assert duty.history.get().history_user == editor
    assert "Added “Chair the patient safety committee”." in editor_client.get(response.url).content.decode()


def test_editor_changes_a_duty(editor_client, duty):
    url = reverse("responsibilities:duties_edit", args=[duty.role.slug, duty.pk])
    form = editor_client.get(url).context["form"]

    response = editor_client.post(url, form_payload(form, title_en="Set the vision", title_nb="Sette visjonen"))

    assert response.status_code == 302
    duty.refresh_from_db()
    assert (duty.title_en, duty.title_nb, duty.version) == ("Set the vision", "Sette visjonen", 2)
    assert "Saved “Set the vision”." in editor_client.get(response.url).content.decode()


def test_duty_form_shows_field_errors_and_keeps_the_input(editor_client, duty):
    url = reverse("responsibilities:duties_edit", args=[duty.role.slug, duty.pk])
    form = editor_client.get(url).context["form"]

    response = editor_client.post(url, form_payload(form, title_en="", title_nb="Beholdt tekst", involvement="bogus"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title_en"] == ["This field is required."]
    assert errors["involvement"] == ["Select a valid choice. bogus is not one of the available choices."]
    assert "Beholdt tekst" in response.content.decode()


def test_citation_fields_are_editable_and_checked_against_the_source(editor_client, duty):
    url = reverse("responsibilities:duties_edit", args=[duty.role.slug, duty.pk])
    form = editor_client.get(url).context["form"]

    unsourced = editor_client.post(url, form_payload(form, source="", excerpt="", editorial=None))
    invented = editor_client.post(url, form_payload(form, excerpt="Ingen kilde sier dette."))

    assert unsourced.context["form"].errors["editorial"] == [
        "A fact without a source must be marked as editorial (written by the team)."
    ]
    assert invented.context["form"].errors["excerpt"] == [
        f"This excerpt does not occur in “{duty.source.title}”. Quote the source word for word."
    ]
    # A shorter passage of the same source is fine.
    shorter = duty.excerpt.split()[0:3]
    ok = editor_client.post(url, form_payload(form, excerpt=" ".join(shorter)))
    assert ok.status_code == 302


def test_a_stale_duty_form_is_refused_showing_the_newer_value_beside_the_users_input(editor_client, duty):
    url = reverse("responsibilities:duties_edit", args=[duty.role.slug, duty.pk])
    form = editor_client.get(url).context["form"]
    duty.title_en = "Their newer title"
    duty.save()

    response = editor_client.post(url, form_payload(form, title_en="My title"))

    assert response.status_code == 200
    conflict = response.context["conflict"]
    assert [(r.label, r.saved, r.yours) for r in conflict.rows] == [
        ("Title (English)", "Their newer title", "My title")
    ]
    html = response.content.decode()
    assert "Someone else saved this while you were editing" in html
    assert 'value="My title"' in html
    assert f'name="version" value="{duty.version}"' in html
    duty.refresh_from_db()
    assert duty.title_en == "Their newer title"

    # Saving again (now against the newer version) keeps the user's input.
    again = editor_client.post(url, form_payload(response.context["form"]))
    assert again.status_code == 302
    duty.refresh_from_db()
    assert duty.title_en == "My title"


def test_saving_a_duty_deleted_meanwhile_keeps_the_input_and_offers_to_add_it(editor_client, duty):
    url = reverse("responsibilities:duties_edit", args=[duty.role.slug, duty.pk])
    form = editor_client.get(url).context["form"]
    duty.delete()

    response = editor_client.post(url, form_payload(form, title_en="Typed before the deletion"))

    assert response.status_code == 409
    html = response.content.decode()
    assert "This item was deleted while you were editing it" in html
    assert 'value="Typed before the deletion"' in html
    assert f'action="{reverse("responsibilities:duties_add", args=[duty.role.slug])}"' in html


def test_editor_deletes_a_duty_after_confirming(editor_client, duty):
    url = reverse("responsibilities:duties_delete", args=[duty.role.slug, duty.pk])
    confirm = editor_client.get(url)
    assert f'name="version" value="{duty.version}"' in confirm.content.decode()

    response = editor_client.post(url, {"version": duty.version})

    assert response.status_code == 302
    assert not Duty.objects.filter(pk=duty.pk).exists()
    assert "You can restore it from the history." in editor_client.get(response.url).content.decode()


def test_deleting_a_duty_changed_meanwhile_is_refused(editor_client, duty):
    url = reverse("responsibilities:duties_delete", args=[duty.role.slug, duty.pk])
    seen_version = duty.version
    duty.title_en = "Changed meanwhile"
    duty.save()

    response = editor_client.post(url, {"version": seen_version})

    assert response.status_code == 200
    assert "Someone else saved this item in the meantime" in response.content.decode()
    assert "Changed meanwhile" in response.content.decode()
    assert Duty.objects.filter(pk=duty.pk).exists()


def _duties_of(role, category):
    return list(Duty.objects.filter(role=role, category=category).order_by("position").values_list("pk", flat=True))


def test_moving_a_duty_down_swaps_it_with_the_next_in_its_category(editor_client, cmo):
    category = DutyCategory.objects.get(slug="physician-relations")
    before = _duties_of(cmo, category)
    first = Duty.objects.get(pk=before[0])
    url = reverse("responsibilities:duties_move", args=[cmo.slug, first.pk])

    response = editor_client.post(url, {"direction": "down", "version": first.version})

    assert response.status_code == 302
    assert _duties_of(cmo, category) == [before[1], before[0], *before[2:]]
    assert Duty.history.filter(id=first.pk).first().history_change_reason == "Reordered"


def test_a_duty_does_not_move_past_the_end_of_its_category(editor_client, cmo):
    category = DutyCategory.objects.get(slug="physician-relations")
    before = _duties_of(cmo, category)
    first = Duty.objects.get(pk=before[0])
    all_positions = dict(Duty.objects.filter(role=cmo).values_list("pk", "position"))

    response = editor_client.post(
        reverse("responsibilities:duties_move", args=[cmo.slug, first.pk]),
        {"direction": "up", "version": first.version},
    )

    assert response.status_code == 302
    assert dict(Duty.objects.filter(role=cmo).values_list("pk", "position")) == all_positions


def test_a_move_based_on_a_stale_order_is_refused(editor_client, cmo):
    category = DutyCategory.objects.get(slug="physician-relations")
    before = _duties_of(cmo, category)
    second = Duty.objects.get(pk=before[1])
    seen_version = second.version
    second.save()  # someone else changed it

    response = editor_client.post(
        reverse("responsibilities:duties_move", args=[cmo.slug, second.pk]),
        {"direction": "up", "version": seen_version},
    )

    assert response.status_code == 302
    assert _duties_of(cmo, category) == before
    assert "The list changed since you loaded the page" in editor_client.get(response.url).content.decode()


def test_a_move_without_a_direction_changes_nothing(editor_client, duty):
    response = editor_client.post(reverse("responsibilities:duties_move", args=[duty.role.slug, duty.pk]), {})

    assert response.status_code == 302
    assert Duty.objects.get(pk=duty.pk).version == duty.version


def test_editor_adds_and_moves_a_qualification(editor_client, cmo):
    url = reverse("roles:qualifications_add", args=[cmo.slug])
    form = editor_client.get(url).context["form"]

    response = editor_client.post(
        url,
        form_payload(
            form,
            kind="experience",
            requirement="preferred",
            text_en="Ten years of clinical leadership",
            text_nb="Ti års klinisk ledelse",
            minimum_years=10,
        ),
    )

    assert response.status_code == 302
    added = Qualification.objects.get(text_en="Ten years of clinical leadership")
    assert added.position == Qualification.objects.filter(role=cmo).count()
    move = editor_client.post(
        reverse("roles:qualifications_move", args=[cmo.slug, added.pk]), {"direction": "up", "version": added.version}
    )
    assert move.status_code == 302
    order = list(Qualification.objects.filter(role=cmo).order_by("position").values_list("pk", flat=True))
    assert order[-2] == added.pk


def test_qualification_with_negative_years_is_refused(editor_client, cmo):
    url = reverse("roles:qualifications_add", args=[cmo.slug])
    form = editor_client.get(url).context["form"]

    response = editor_client.post(
        url, form_payload(form, kind="experience", text_en="x", text_nb="x", minimum_years=-2)
    )

    assert response.status_code == 200
    assert "minimum_years" in response.context["form"].errors


def test_editor_adds_and_changes_a_key_fact(editor_client, cmo):
    url = reverse("roles:facts_add", args=[cmo.slug])
    form = editor_client.get(url).context["form"]

    created = editor_client.post(
        url, form_payload(form, kind="scope", text_en="Hospital-wide", text_nb="Hele sykehuset")
    )

    assert created.status_code == 302
    fact = RoleFact.objects.get(text_en="Hospital-wide")
    edit_url = reverse("roles:facts_edit", args=[cmo.slug, fact.pk])
    changed = editor_client.post(edit_url, form_payload(editor_client.get(edit_url).context["form"], text_nb="Helse"))
    assert changed.status_code == 302
    fact.refresh_from_db()
    assert fact.text_nb == "Helse"


def test_a_reporting_line_that_closes_a_cycle_is_refused_naming_the_cycle(editor_client, cmo):
    physician = Role.objects.get(slug="physician")
    url = reverse("roles:lines_add", args=[cmo.slug])
    form = editor_client.get(url).context["form"]

    response = editor_client.post(url, form_payload(form, subordinate=cmo.pk, superior=physician.pk, kind="reports_to"))

    assert response.status_code == 200
    assert response.context["form"].errors["superior"] == [
        "This line would close a reporting cycle: "
        "Chief Medical Officer → Physician → Medical Director → Chief Medical Officer."
    ]
    assert "Chief Medical Officer → Physician → Medical Director → Chief Medical Officer" in response.content.decode()
    assert not ReportingLine.objects.filter(subordinate=cmo, superior=physician).exists()


def test_changing_a_line_into_a_cycle_is_refused(editor_client, cmo):
    physician = Role.objects.get(slug="physician")
    line = ReportingLine.objects.get(subordinate=physician, superior=cmo, kind="oversees")
    url = reverse("roles:lines_edit", args=[cmo.slug, line.pk])
    form = editor_client.get(url).context["form"]

    response = editor_client.post(url, form_payload(form, subordinate=cmo.pk, superior=physician.pk, kind="reports_to"))

    assert response.status_code == 200
    assert "would close a reporting cycle" in response.context["form"].errors["superior"][0]


def test_a_dotted_line_is_added_between_the_role_and_another(editor_client, cmo):
    acmo = Role.objects.get(slug="associate-chief-medical-officer")
    url = reverse("roles:lines_add", args=[cmo.slug])
    form = editor_client.get(url).context["form"]

    response = editor_client.post(
        url, form_payload(form, subordinate=acmo.pk, superior=cmo.pk, kind="dotted", note_en="Quality work")
    )

    assert response.status_code == 302
    assert ReportingLine.objects.get(subordinate=acmo, superior=cmo, kind="dotted").note_en == "Quality work"


def test_a_line_must_touch_the_role_being_edited(editor_client, cmo):
    acmo = Role.objects.get(slug="associate-chief-medical-officer")
    physician = Role.objects.get(slug="physician")
    url = reverse("roles:lines_add", args=[cmo.slug])
    form = editor_client.get(url).context["form"]

    response = editor_client.post(url, form_payload(form, subordinate=physician.pk, superior=acmo.pk, kind="dotted"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "One end of the line must be Chief Medical Officer, the role you are editing."
    ]


def test_a_duplicate_line_is_refused_with_a_field_error_not_a_crash(editor_client, cmo):
    acmo = Role.objects.get(slug="associate-chief-medical-officer")
    url = reverse("roles:lines_add", args=[cmo.slug])
    form = editor_client.get(url).context["form"]

    response = editor_client.post(url, form_payload(form, subordinate=acmo.pk, superior=cmo.pk, kind="reports_to"))

    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_edit_page_lists_every_row_with_its_actions(editor_client, cmo, duty):
    html = editor_client.get(reverse("descriptions:edit", args=[cmo.slug])).content.decode()

    assert f'action="{reverse("responsibilities:duties_move", args=[cmo.slug, duty.pk])}"' in html
    assert f'href="{reverse("responsibilities:duties_edit", args=[cmo.slug, duty.pk])}"' in html
    assert f'href="{reverse("roles:qualifications_add", args=[cmo.slug])}"' in html
    for line in ReportingLine.objects.filter(superior=cmo):
        assert f'href="{reverse("roles:lines_edit", args=[cmo.slug, line.pk])}"' in html


def test_sources_are_offered_for_citations(editor_client, cmo):
    form = editor_client.get(reverse("roles:facts_add", args=[cmo.slug])).context["form"]

    assert set(form.fields["source"].queryset) == set(Source.objects.all())


def test_a_stale_save_takes_the_newer_value_of_fields_the_user_did_not_touch(editor_client, duty):
    url = reverse("responsibilities:duties_edit", args=[duty.role.slug, duty.pk])
    form = editor_client.get(url).context["form"]
    duty.title_en = "Their title"
    duty.description_nb = "Deres beskrivelse"
    duty.save()

    response = editor_client.post(url, form_payload(form, title_en="My title"))

    conflict = response.context["conflict"]
    assert [(r.label, r.saved, r.yours) for r in conflict.clashes] == [("Title (English)", "Their title", "My title")]
    assert [(r.label, r.saved) for r in conflict.taken] == [("Description (Norwegian Bokmål)", "Deres beskrivelse")]
    refreshed = response.context["form"]
    assert (refreshed["title_en"].value(), refreshed["description_nb"].value()) == ("My title", "Deres beskrivelse")

    editor_client.post(url, form_payload(refreshed))

    duty.refresh_from_db()
    assert (duty.title_en, duty.description_nb) == ("My title", "Deres beskrivelse")
