"""Adding, changing, deleting and reordering a role's duties on their edit pages."""

from django.urls import reverse

from responsibilities.models import Duty, DutyCategory

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
    duty = Duty.objects.get(title_en="Chair the patient safety committee")
    assert response.url == _edit_page(cmo, f"duties-{duty.pk}")  # the new row, where its confirmation sits
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
