"""Adding, changing and reordering a role's qualifications, key facts and reporting lines on their edit pages."""

from django.urls import reverse

from knowledge.models import Source
from roles.models import Qualification, ReportingLine, Role, RoleFact

from kb_testing import form_payload


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


def test_sources_are_offered_for_citations(editor_client, cmo):
    form = editor_client.get(reverse("roles:facts_add", args=[cmo.slug])).context["form"]

    assert set(form.fields["source"].queryset) == set(Source.objects.all())
