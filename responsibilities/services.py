"""Writes to the responsibility matrix: an activity and its cells, under the matrix's rules.

The rules — exactly one role accountable (A) and at least one responsible (R) per activity — span
rows, and "exactly one A" cannot hold while an activity is written cell by cell: a new activity has
no A until its first cell is written, and handing the A from one role to another passes through
none or two. So every write here names the cells it changes *as a set*: ``activity_create`` takes
the activity's initial cells, ``activity_update`` takes any number of cell changes (set or change a
role's letter, take a role out) with or without changes to the activity itself, and the rules are
checked once, on the cells as the whole change leaves them, before the transaction commits. A
single cell set on the matrix page is a set of one.

The activity's row is locked first (``select_for_update``; on SQLite the IMMEDIATE transaction
already serialises writers), so two editors changing the same activity take turns and each
checks the rules against what the other committed. A change is refused only for a rule it breaks:
an activity that already breaks one (its accountable role was deleted) can still be edited, and is
shown as breaking it until an editor fixes it. Each row is written through ``knowledge.services``:
the version check, the citation rule, history and the knowledge base's version.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from knowledge import services
from roles.models import Role

from .models import Activity, Assignment, RuleBreak, rule_breaks

NEW_CELL = 0  # the expected version of a cell the user saw empty


@dataclass
class CellChange:
    """A role's cell in an activity: its new values (``letter``, ``duty``, citation), or ``None`` to empty it.

    ``expected_version``: the cell's version the user saw (``NEW_CELL``: they saw it empty;
    ``None``: no check).
    """

    role: Role
    data: dict | None
    expected_version: int | None = None


_REFUSALS = {
    RuleBreak.NO_ACCOUNTABLE: lambda: _("no role would be accountable (A); an activity needs exactly one"),
    RuleBreak.SEVERAL_ACCOUNTABLE: lambda: _("more than one role would be accountable (A); an activity has one"),
    RuleBreak.NO_RESPONSIBLE: lambda: _("no role would be responsible (R); an activity needs at least one"),
}


def refusal(activity: Activity, breaks: Iterable[RuleBreak]) -> str:
    """The message that refuses a change, naming the activity and each rule the change would break."""
    problems = "; ".join(_REFUSALS[rule]() for rule in breaks)
    return _("Refused for the activity “%(activity)s”: %(problems)s.") % {"activity": activity, "problems": problems}


def _letters(activity: Activity) -> list[str]:
    return list(Assignment.objects.filter(activity=activity).values_list("letter", flat=True))


def _check_roles_once(activity: Activity, changes: list[CellChange]) -> None:
    seen: set[int] = set()
    for change in changes:
        if change.role.pk in seen:
            raise ValidationError(
                _("%(role)s appears more than once in the activity “%(activity)s”; a role takes one part in it.")
                % {"role": change.role, "activity": activity}
            )
        seen.add(change.role.pk)


def _apply(activity: Activity, change: CellChange, *, user, reason: str | None) -> None:
    current = Assignment.objects.filter(activity=activity, role=change.role).first()
    if current is not None and change.expected_version == NEW_CELL:
        raise services.StaleEdit(current, NEW_CELL)
    if change.data is None:
        if current is not None:
            expected = change.expected_version
            services.content_delete(instance=current, user=user, expected_version=expected, reason=reason)
        return
    if current is None:
        data = {"editorial": True, **change.data, "activity": activity, "role": change.role}
        services.content_create(model=Assignment, data=data, user=user, reason=reason)
    else:
        services.content_update(
            instance=current, data=change.data, user=user, expected_version=change.expected_version, reason=reason
        )


def _check_rules(activity: Activity, before: list[RuleBreak]) -> None:
    broken = [rule for rule in rule_breaks(_letters(activity)) if rule not in before]
    if broken:
        raise ValidationError(refusal(activity, broken), code="raci_rule")


@transaction.atomic
def activity_create(*, data: dict, cells: list[CellChange], user, reason: str | None = None) -> Activity:
    """A new activity with its initial cells, which must keep the rules (one A, at least one R).

    Without a ``position`` it goes last in its category.
    """
    if "position" not in data and data.get("category") is not None:
        last = Activity.objects.filter(category=data["category"]).aggregate(last=Max("position"))["last"]
        data = {**data, "position": (last or 0) + 1}
    activity = services.content_create(model=Activity, data=data, user=user, reason=reason)
    _check_roles_once(activity, cells)
    for change in cells:
        _apply(activity, change, user=user, reason=reason)
    _check_rules(activity, before=[])
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    user,
    data: dict | None = None,
    expected_version: int | None = None,
    cells: list[CellChange] | None = None,
    reason: str | None = None,
) -> Activity:
    """Change an activity and/or any of its cells together; refused if the result breaks a rule it kept.

    ``expected_version`` is the activity's version, checked when ``data`` changes the activity.
    """
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    before = rule_breaks(_letters(locked))
    if data:
        locked = services.content_update(
            instance=locked, data=data, user=user, expected_version=expected_version, reason=reason
        )
    cells = cells or []
    _check_roles_once(locked, cells)
    for change in cells:
        _apply(locked, change, user=user, reason=reason)
    _check_rules(locked, before)
    return locked


@transaction.atomic
def activity_delete(*, activity: Activity, user, expected_version: int | None, reason: str | None = None) -> None:
    """Delete an activity and its cells (each cell's deletion is recorded in its history)."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    # A stale version is refused by the activity's own delete below, undoing the cells' deletions with it.
    for cell in Assignment.objects.filter(activity=locked).order_by("pk"):
        services.content_delete(instance=cell, user=user, expected_version=cell.version, reason=reason)
    services.content_delete(instance=locked, user=user, expected_version=expected_version, reason=reason)
