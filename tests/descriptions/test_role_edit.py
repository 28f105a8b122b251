"""Editing a role with its titles, and creating a role from the directory."""

from django.urls import reverse

from roles.models import ReportingLine, Role, RoleTitle

from kb_testing import form_payload


def _edit(client, role):
    url = reverse("descriptions:edit", args=[role.slug])
    response = client.get(url)
    return url, response.context["form"], response.context["titles"]


def test_editor_saves_both_languages_of_a_role(editor_client, editor, cmo):
    url, form, titles = _edit(editor_client, cmo)

    response = editor_client.post(
        url, form_payload(form, titles, summary_en="Leads the physicians.", summary_nb="Leder legene.")
    )

    assert response.status_code == 302
    assert response.url == url
    cmo.refresh_from_db()
    assert (cmo.summary_en, cmo.summary_nb) == ("Leads the physicians.", "Leder legene.")
    assert cmo.version == 2
    assert cmo.history.first().history_user == editor
    assert "Saved the role" in editor_client.get(url).content.decode()


def test_edit_page_shows_each_language_side_by_side_with_its_lang(editor_client, cmo):
    html = editor_client.get(reverse("descriptions:edit", args=[cmo.slug])).content.decode()

    assert 'name="title_en"' in html and 'name="title_nb"' in html
    assert 'lang="nb"' in html and 'lang="en"' in html
    assert "Title (Norwegian Bokmål)" in html


def test_titles_are_added_changed_and_deleted_with_the_role_in_one_save(editor_client, cmo):
    url, form, titles = _edit(editor_client, cmo)
    first, doomed = titles.forms[0], titles.forms[1]
    extra = titles.forms[-1]
    changes = {
        first.add_prefix("title"): first.instance.title + " (changed)",
        doomed.add_prefix("DELETE"): "on",
        extra.add_prefix("language"): "en",
        extra.add_prefix("kind"): "alternative",
        extra.add_prefix("title"): "Top doctor",
    }

    response = editor_client.post(url, form_payload(form, titles, **changes))

    assert response.status_code == 302
    names = set(RoleTitle.objects.filter(role=cmo).values_list("title", flat=True))
    assert first.instance.title + " (changed)" in names
    assert doomed.instance.title not in names
    assert "Top doctor" in names
    added = RoleTitle.objects.get(role=cmo, title="Top doctor")
    assert added.editorial is True  # a title the team adds is editorial unless it cites a source


def test_field_errors_are_shown_next_to_the_field_and_nothing_is_saved(editor_client, cmo):
    url, form, titles = _edit(editor_client, cmo)

    response = editor_client.post(url, form_payload(form, titles, title_en="", occupation_codes="12"))

    assert response.status_code == 200
    assert response.context["form"].errors["title_en"] == ["This field is required."]
    assert response.context["form"].errors["occupation_codes"] == [
        "Enter four-digit ISCO-08 codes separated by commas."
    ]
    html = response.content.decode()
    assert 'id="id_occupation_codes_error"' in html
    assert 'value="12"' in html  # the user's input stays in the field
    cmo.refresh_from_db()
    assert cmo.version == 1


def test_field_errors_come_in_the_users_language(editor_client, cmo):
    url = reverse("descriptions:edit", args=[cmo.slug])
    form = editor_client.get(url).context["form"]
    titles = editor_client.get(url).context["titles"]
    nb_url = reverse("descriptions:edit", args=[cmo.slug]).replace("/roles/", "/nb/roles/", 1)

    response = editor_client.post(nb_url, form_payload(form, titles, title_en=""))

    assert response.status_code == 200
    assert response.context["form"].errors["title_en"] != ["This field is required."]


def test_an_excerpt_that_is_not_in_the_source_is_refused_by_the_shared_rule(editor_client, cmo):
    url, form, titles = _edit(editor_client, cmo)

    response = editor_client.post(url, form_payload(form, titles, excerpt="Words the source never said."))

    assert response.status_code == 200
    assert response.context["form"].errors["excerpt"] == [
        f"This excerpt does not occur in “{cmo.source.title}”. Quote the source word for word."
    ]


def test_a_stale_role_form_is_refused_keeping_the_newer_value_and_the_users_input(editor_client, cmo):
    url, form, titles = _edit(editor_client, cmo)
    # Someone else saves first.
    cmo.summary_en = "Saved by someone else."
    cmo.save()

    response = editor_client.post(url, form_payload(form, titles, summary_en="My careful wording."))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this while you were editing" in html
    assert "Saved by someone else." in html  # the newer value is shown…
    assert "My careful wording." in html  # …next to the user's input, which stays in the form
    assert response.context["form"]["summary_en"].value() == "My careful wording."
    rows = response.context["conflict"].rows
    assert [(r.label, r.saved, r.yours) for r in rows] == [
        ("Summary (English)", "Saved by someone else.", "My careful wording.")
    ]
    cmo.refresh_from_db()
    assert cmo.summary_en == "Saved by someone else."

    # The form now carries the newer version, so saving again deliberately wins.
    again = editor_client.post(url, form_payload(response.context["form"], response.context["titles"]))
    assert again.status_code == 302
    cmo.refresh_from_db()
    assert cmo.summary_en == "My careful wording."


def test_a_stale_title_refuses_the_whole_save(editor_client, cmo):
    url, form, titles = _edit(editor_client, cmo)
    title = titles.forms[0].instance
    RoleTitle.objects.filter(pk=title.pk).update(version=title.version + 1, title="Renamed elsewhere")

    response = editor_client.post(url, form_payload(form, titles, summary_en="Not saved either."))

    assert response.status_code == 200
    assert "Renamed elsewhere" in response.content.decode()
    cmo.refresh_from_db()
    assert cmo.summary_en != "Not saved either."


def test_directory_offers_create_a_new_role_to_editors_only(client, editor_client, kb):
    link = f'href="{reverse("descriptions:create")}"'

    assert link in editor_client.get(reverse("descriptions:directory")).content.decode()
    assert link not in client.get(reverse("descriptions:directory")).content.decode()


def test_editor_creates_a_role_with_its_titles(editor_client, editor, kb):
    url = reverse("descriptions:create")
    page = editor_client.get(url)
    titles = page.context["titles"]
    extra = titles.forms[0]
    data = form_payload(
        page.context["form"],
        titles,
        slug="head-of-surgery",
        title_en="Head of surgery",
        title_nb="Kirurgisjef",
        level="department_lead",
        **{
            extra.add_prefix("language"): "nb",
            extra.add_prefix("kind"): "preferred",
            extra.add_prefix("title"): "Kirurgisjef",
        },
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302
    role = Role.objects.get(slug="head-of-surgery")
    assert response.url == reverse("descriptions:edit", args=[role.slug])
    assert role.editorial is True
    assert role.position == Role.objects.exclude(pk=role.pk).count() + 1
    assert list(role.titles.values_list("language", "kind", "title")) == [("nb", "preferred", "Kirurgisjef")]
    assert role.history.get().history_user == editor


def test_a_new_role_cannot_take_the_reserved_slug_new(editor_client, kb):
    page = editor_client.get(reverse("descriptions:create"))
    data = form_payload(
        page.context["form"], page.context["titles"], slug="new", title_en="New", title_nb="Ny", level="clinician"
    )

    response = editor_client.post(reverse("descriptions:create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == ["This address is reserved; choose another slug."]


def test_a_new_role_with_a_taken_slug_is_refused(editor_client, kb):
    page = editor_client.get(reverse("descriptions:create"))
    data = form_payload(
        page.context["form"],
        page.context["titles"],
        slug="physician",
        title_en="Doctor",
        title_nb="Lege",
        level="clinician",
    )

    response = editor_client.post(reverse("descriptions:create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == ["Role with this Slug already exists."]


def test_edit_page_costs_a_fixed_number_of_queries(editor_client, cmo, django_assert_max_num_queries):
    for n in range(5):
        RoleTitle.objects.create(role=cmo, language="en", title=f"Extra title {n}", editorial=True)

    with django_assert_max_num_queries(13):
        editor_client.get(reverse("descriptions:edit", args=[cmo.slug]))


def test_the_edit_page_lists_every_row_with_its_actions(editor_client, cmo, duty):
    html = editor_client.get(reverse("descriptions:edit", args=[cmo.slug])).content.decode()

    assert f'action="{reverse("responsibilities:duties_move", args=[cmo.slug, duty.pk])}"' in html
    assert f'href="{reverse("responsibilities:duties_edit", args=[cmo.slug, duty.pk])}"' in html
    assert f'href="{reverse("roles:qualifications_add", args=[cmo.slug])}"' in html
    for line in ReportingLine.objects.filter(superior=cmo):
        assert f'href="{reverse("roles:lines_edit", args=[cmo.slug, line.pk])}"' in html


def test_a_title_deleted_in_the_meantime_is_not_brought_back_by_a_later_save(editor_client, cmo):
    url, form, titles = _edit(editor_client, cmo)
    gone = titles.forms[0].instance
    payload = form_payload(form, titles, summary_en="Leads the physicians.")
    RoleTitle.objects.filter(pk=gone.pk).delete()  # another editor deletes it meanwhile

    response = editor_client.post(url, payload)

    assert response.status_code == 200
    assert "This title was deleted in the meantime" in response.content.decode()
    assert not RoleTitle.objects.filter(role=cmo, title=gone.title, language=gone.language).exists()
    cmo.refresh_from_db()
    assert cmo.summary_en != "Leads the physicians."


def test_a_title_row_naming_another_roles_title_is_refused_not_added(editor_client, cmo):
    url, form, titles = _edit(editor_client, cmo)
    row = titles.forms[0]
    other = RoleTitle.objects.exclude(role=cmo).first()
    before = set(RoleTitle.objects.values_list("pk", "role_id", "title", "version"))

    response = editor_client.post(
        url, form_payload(form, titles, **{row.add_prefix("id"): str(other.pk), row.add_prefix("title"): "Tampered"})
    )

    assert response.status_code == 200
    assert "This title was deleted in the meantime" in response.content.decode()
    assert set(RoleTitle.objects.values_list("pk", "role_id", "title", "version")) == before


def test_ticking_delete_on_a_title_deleted_in_the_meantime_saves(editor_client, cmo):
    url, form, titles = _edit(editor_client, cmo)
    gone = titles.forms[0]
    payload = form_payload(form, titles, **{gone.add_prefix("DELETE"): "on"})
    RoleTitle.objects.filter(pk=gone.instance.pk).delete()

    assert editor_client.post(url, payload).status_code == 302


def test_saving_a_role_unchanged_saves_nothing(editor_client, seed_id):
    physician = Role.objects.get(slug="physician")  # no abbreviation in either language
    url, form, titles = _edit(editor_client, physician)

    assert editor_client.post(url, form_payload(form, titles)).status_code == 302

    physician.refresh_from_db()
    assert physician.version == 1
    assert physician.history.count() == 1
