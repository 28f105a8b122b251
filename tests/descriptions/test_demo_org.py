"""generate_demo_org builds a realistic, deterministic demo organisation and touches nothing else."""

import io

from django.core.management import call_command

from descriptions.demo import generate_demo_org
from responsibilities.models import Duty
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle

CONTENT = (Role, RoleTitle, RoleFact, Qualification, ReportingLine, Duty)


def snapshot():
    return {model.__name__: sorted(model.objects.values_list("seed_key", "version").order_by()) for model in CONTENT}


def test_the_demo_org_has_the_asked_number_of_roles_under_the_real_cmo(kb):
    generate_demo_org(120)

    demo = Role.objects.filter(seed_key__startswith="demo:")
    assert demo.count() == 120
    assert Role.objects.count() == 124
    assert set(demo.values_list("level", flat=True)) == {"senior_leader", "department_lead", "clinician"}
    acmo_superiors = ReportingLine.objects.filter(subordinate__slug__startswith="demo-acmo-").values_list(
        "superior__slug", flat=True
    )
    assert set(acmo_superiors) == {"chief-medical-officer"}
    director = Role.objects.get(slug="demo-cardiology-fjordby-director")
    assert director.title_en == "Medical Director, Cardiology, Fjordby"
    assert director.title_nb == "Medisinsk direktør, Kardiologi, Fjordby"
    assert director.lines_up.get().superior.slug == "demo-acmo-medicine"
    assert director.lines_down.filter(subordinate__level="clinician").count() >= 12


def test_every_demo_role_has_ten_duties_five_qualifications_and_both_languages_all_editorial(kb):
    generate_demo_org(40)

    for role in Role.objects.filter(seed_key__startswith="demo:"):
        assert role.duties.count() == 10
        assert role.qualifications.count() == 5
        assert sorted(role.titles.values_list("language", flat=True)) == ["en", "nb"]
        assert role.title_en and role.title_nb and role.summary_en and role.summary_nb
    for model in CONTENT:
        demo = model.objects.filter(seed_key__startswith="demo:")
        assert demo.exists()
        assert not demo.filter(editorial=False).exists()
    categories = set(Duty.objects.filter(seed_key__startswith="demo:").values_list("category__slug", flat=True))
    assert len(categories) >= 8
    assert not Duty.objects.filter(seed_key__startswith="demo:", title_nb="").exists()


def test_running_again_with_the_same_number_changes_nothing(kb):
    generate_demo_org(60)
    before = snapshot()

    report = generate_demo_org(60)

    assert not report.changed
    assert snapshot() == before


def test_another_number_adds_or_removes_only_demo_rows(kb):
    real = {model.__name__: set(model.objects.values_list("pk", "version")) for model in CONTENT}
    generate_demo_org(30)
    small = snapshot()

    generate_demo_org(90)
    generate_demo_org(30)

    assert snapshot() == small
    for model in CONTENT:
        assert real[model.__name__] <= set(model.objects.values_list("pk", "version"))


def test_the_organisation_is_deterministic(kb):
    generate_demo_org(50)
    first = list(Duty.objects.filter(seed_key__startswith="demo:").values_list("seed_key", "title_en", "category_id"))
    generate_demo_org(0)
    generate_demo_org(50)

    again = list(Duty.objects.filter(seed_key__startswith="demo:").values_list("seed_key", "title_en", "category_id"))
    assert sorted(again) == sorted(first)


def test_demo_rows_are_created_with_history_and_clear_removes_rows_and_history(kb):
    generate_demo_org(25)
    assert Duty.history.filter(seed_key__startswith="demo:", history_type="+").count() == 250

    call_command("generate_demo_org", "--clear")

    for model in CONTENT:
        assert not model.objects.filter(seed_key__startswith="demo:").exists()
        assert not model.history.filter(seed_key__startswith="demo:").exists()
    assert Role.objects.count() == 4


def test_the_command_loads_the_knowledge_base_when_it_is_missing(empty_kb):
    call_command("generate_demo_org", "--roles", "10")

    assert Role.objects.filter(slug="chief-medical-officer").exists()
    assert Role.objects.filter(seed_key__startswith="demo:").count() == 10


def test_the_command_reports_what_it_created_in_plain_english(kb):
    out = io.StringIO()
    call_command("generate_demo_org", "--roles", "30", stdout=out)

    report = out.getvalue()
    assert "Demo organisation: 30 roles. Created 30 roles, " in report
    assert " duties" in report and " activities" in report
    assert "activitys" not in report and "dutys" not in report
