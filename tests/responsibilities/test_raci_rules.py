"""The matrix's rules in the write layer: one A, at least one R, a role once per activity."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from knowledge.services import StaleEdit
from responsibilities import services
from responsibilities.models import Activity, Assignment, DutyCategory, RuleBreak, rule_breaks
from roles.models import Role


@pytest.fixture
def roles(kb):
    return {role.slug.split("-")[0]: role for role in Role.objects.all()}  # chief, associate, medical, physician


@pytest.fixture
def budget(kb):
    return Activity.objects.get(slug="budget")


def cell(role, letter, **extra):
    return services.CellChange(role=role, data={"letter": letter, "editorial": True, **extra})


def new_activity(roles, *cells):
    data = {
        "slug": "rota",
        "category": DutyCategory.objects.get(slug="operations"),
        "title_en": "Rota",
        "title_nb": "Turnus",
    }
    return services.activity_create(data=data, cells=list(cells), user=None)


def test_the_shipped_matrix_keeps_every_rule(kb):
    assert Activity.objects.count() == 8
    for activity in Activity.objects.all():
        assert rule_breaks(activity.assignments.values_list("letter", flat=True)) == [], activity


def test_rule_breaks_name_each_broken_rule():
    assert rule_breaks(["R", "C"]) == [RuleBreak.NO_ACCOUNTABLE]
    assert rule_breaks(["A", "A", "R"]) == [RuleBreak.SEVERAL_ACCOUNTABLE]
    assert rule_breaks(["A", "I"]) == [RuleBreak.NO_RESPONSIBLE]
    assert rule_breaks([]) == [RuleBreak.NO_ACCOUNTABLE, RuleBreak.NO_RESPONSIBLE]


def test_an_activity_is_created_with_its_cells(roles):
    activity = new_activity(
        roles, cell(roles["chief"], "A"), cell(roles["medical"], "R"), cell(roles["physician"], "I")
    )
    assert sorted(activity.assignments.values_list("letter", flat=True)) == ["A", "I", "R"]
    assert Assignment.history.filter(activity_id=activity.pk).count() == 3


@pytest.mark.parametrize(
    ("letters", "message"),
    [
        (("R", "C"), "no role would be accountable (A)"),
        (("A", "A", "R"), "more than one role would be accountable (A)"),
        (("A", "C"), "no role would be responsible (R)"),
    ],
)
def test_a_new_activity_breaking_a_rule_is_refused_naming_it(roles, letters, message):
    people = [roles["chief"], roles["associate"], roles["medical"]]
    with pytest.raises(ValidationError) as refused:
        new_activity(roles, *(cell(role, letter) for role, letter in zip(people, letters, strict=False)))
    assert "“Rota”" in refused.value.messages[0] and message in refused.value.messages[0]
    assert not Activity.objects.filter(slug="rota").exists()


def test_a_second_a_is_refused_and_nothing_changes(roles, budget):
    with pytest.raises(ValidationError, match="Refused for the activity “Budget”: more than one role"):
        services.activity_update(activity=budget, cells=[cell(roles["medical"], "A")], user=None)
    assert budget.assignments.get(role=roles["medical"]).letter == "C"


def test_taking_away_the_only_r_or_the_a_is_refused(roles, budget):
    with pytest.raises(ValidationError, match="no role would be responsible"):
        services.activity_update(activity=budget, cells=[services.CellChange(roles["associate"], None)], user=None)
    with pytest.raises(ValidationError, match="no role would be accountable"):
        services.activity_update(activity=budget, cells=[cell(roles["chief"], "C")], user=None)


def test_the_a_moves_to_another_role_in_one_change(roles, budget):
    services.activity_update(
        activity=budget,
        cells=[cell(roles["chief"], "C"), cell(roles["associate"], "A"), cell(roles["medical"], "R")],
        user=None,
    )
    letters = dict(budget.assignments.values_list("role__slug", "letter"))
    assert letters == {"chief-medical-officer": "C", "associate-chief-medical-officer": "A", "medical-director": "R"}


def test_a_role_named_twice_is_refused(roles, budget):
    with pytest.raises(ValidationError, match="appears more than once in the activity “Budget”"):
        services.activity_update(
            activity=budget, cells=[cell(roles["physician"], "I"), cell(roles["physician"], "C")], user=None
        )


def test_the_database_keeps_a_role_once_per_activity(roles, budget):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(activity=budget, role=roles["chief"], letter="R", editorial=True)


def test_the_database_refuses_an_unknown_letter(roles, budget):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(activity=budget, role=roles["physician"], letter="X", editorial=True)


def test_a_stale_cell_is_refused(roles, budget):
    current = budget.assignments.get(role=roles["medical"])
    change = services.CellChange(roles["medical"], {"letter": "I"}, expected_version=current.version + 1)
    with pytest.raises(StaleEdit):
        services.activity_update(activity=budget, cells=[change], user=None)
    filled = services.CellChange(roles["medical"], {"letter": "I"}, expected_version=services.NEW_CELL)
    with pytest.raises(StaleEdit):
        services.activity_update(activity=budget, cells=[filled], user=None)


def test_an_activity_that_already_breaks_a_rule_can_still_be_edited(roles, budget):
    budget.assignments.get(role=roles["chief"]).delete()  # as a deleted role would leave it
    services.activity_update(activity=budget, cells=[cell(roles["physician"], "I")], user=None)
    assert budget.assignments.get(role=roles["physician"]).letter == "I"


def test_a_cell_must_cite_or_be_editorial(roles, budget):
    change = services.CellChange(roles["physician"], {"letter": "I", "editorial": False})
    with pytest.raises(ValidationError):
        services.activity_update(activity=budget, cells=[change], user=None)


def test_a_cell_links_only_a_duty_of_its_role(roles, budget):
    other = roles["chief"].duties.first()
    with pytest.raises(ValidationError, match="Choose a duty of this role"):
        services.activity_update(activity=budget, cells=[cell(roles["physician"], "I", duty=other)], user=None)


def test_deleting_an_activity_deletes_its_cells_with_history(budget, editor):
    cells = list(budget.assignments.values_list("pk", flat=True))
    services.activity_delete(activity=budget, user=editor, expected_version=budget.version)
    assert not Assignment.objects.filter(pk__in=cells).exists()
    assert Assignment.history.filter(id__in=cells, history_type="-", history_user=editor).count() == len(cells)
