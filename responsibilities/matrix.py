"""Reading the responsibility matrix: activities as rows, roles as columns, letters in the cells.

The page, the API and the downloads all read it here, in a fixed number of queries whatever the
number of activities and roles: the activities (with their categories), their cells (with role,
duty and source), and — for the filters — the categories and the roles that take part in any.
"""

from dataclasses import dataclass, field
from itertools import groupby

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from roles.models import Role

from .models import Activity, Assignment, DutyCategory, Letter, RuleBreak, rule_breaks

# The order the role page lists a role's parts in, and the letters' order in the legend.
LETTER_ORDER = [Letter.ACCOUNTABLE, Letter.RESPONSIBLE, Letter.CONSULTED, Letter.INFORMED]


class UnknownFilter(ValueError):
    """A filter names a category or role that does not exist; ``errors`` maps the filter to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass
class Slot:
    """One cell of the table: a column's role and its part in the row's activity (None: no part)."""

    role: Role
    cell: Assignment | None


@dataclass
class MatrixRow:
    activity: Activity
    slots: list[Slot]  # one per column
    breaks: list[RuleBreak]

    @property
    def cells(self) -> list[Assignment]:
        return [slot.cell for slot in self.slots if slot.cell is not None]


@dataclass
class Matrix:
    roles: list[Role]
    rows: list[MatrixRow]
    page: Page | None = None
    groups: list[tuple[DutyCategory, list[MatrixRow]]] = field(default_factory=list)

    @property
    def assignments(self) -> list[Assignment]:
        return [cell for row in self.rows for cell in row.cells]


def filter_values(category: str | None, role: str | None) -> tuple[DutyCategory | None, Role | None]:
    """The category and role the filters name (blank: no filter), or ``UnknownFilter``. One query each."""
    errors = {}
    found_category = found_role = None
    if category:
        found_category = DutyCategory.objects.filter(slug=category).first()
        if found_category is None:
            errors["category"] = _("There is no duty category “%(slug)s”.") % {"slug": category}
    if role:
        found_role = Role.objects.filter(slug=role).first()
        if found_role is None:
            errors["role"] = _("There is no role “%(slug)s”.") % {"slug": role}
    if errors:
        raise UnknownFilter(errors)
    return found_category, found_role


def activities(category: DutyCategory | None = None, role: Role | None = None) -> QuerySet[Activity]:
    """The activities the filters select, in matrix order (by category, then position)."""
    queryset = Activity.objects.select_related("category").order_by("category__position", "position", "slug")
    if category is not None:
        queryset = queryset.filter(category=category)
    if role is not None:
        queryset = queryset.filter(Exists(Assignment.objects.filter(activity=OuterRef("pk"), role=role)))
    return queryset


def build(activity_list: list[Activity], *, page: Page | None = None) -> Matrix:
    """The matrix of these activities: their cells in one query, a column per role that takes part."""
    cells = list(
        Assignment.objects.filter(activity__in=[activity.pk for activity in activity_list])
        .select_related("role", "duty", "source")
        .order_by("role__position", "role__slug", "pk")
    )
    roles: dict[int, Role] = {}
    for cell in cells:
        roles.setdefault(cell.role_id, cell.role)
    columns = {role_id: index for index, role_id in enumerate(roles)}
    by_activity: dict[int, list[Assignment | None]] = {activity.pk: [None] * len(columns) for activity in activity_list}
    by_pk = {activity.pk: activity for activity in activity_list}
    for cell in cells:
        cell.activity = by_pk[cell.activity_id]  # the row's activity, already loaded: no query per cell
        by_activity[cell.activity_id][columns[cell.role_id]] = cell
    columns_roles = list(roles.values())
    rows = [
        MatrixRow(
            activity=activity,
            slots=[Slot(role, cell) for role, cell in zip(columns_roles, by_activity[activity.pk], strict=True)],
            breaks=rule_breaks(cell.letter for cell in by_activity[activity.pk] if cell is not None),
        )
        for activity in activity_list
    ]
    groups = [(category, list(group)) for category, group in groupby(rows, key=lambda row: row.activity.category)]
    return Matrix(roles=columns_roles, rows=rows, page=page, groups=groups)


def matrix_page(queryset: QuerySet[Activity], page_number, per_page: int) -> Matrix:
    page = Paginator(queryset, per_page).get_page(page_number)
    return build(list(page.object_list), page=page)


def filter_choices() -> tuple[list[DutyCategory], list[Role]]:
    """The categories that hold activities and the roles that take part in any: what the filters offer."""
    categories = list(DutyCategory.objects.filter(Exists(Activity.objects.filter(category=OuterRef("pk")))))
    roles = list(
        Role.objects.filter(Exists(Assignment.objects.filter(role=OuterRef("pk"))))
        .only("slug", "title_en", "title_nb", "abbreviation_en", "abbreviation_nb", "position")
        .order_by("position", "slug")
    )
    return categories, roles


def role_parts(role: Role) -> list[tuple[str, list[Assignment]]]:
    """A role's column: its cells grouped by letter (accountable first), each with its activity. One query."""
    cells = Assignment.objects.filter(role=role).select_related("activity__category", "duty", "source")
    by_letter: dict[str, list[Assignment]] = {letter: [] for letter in LETTER_ORDER}
    for cell in sorted(cells, key=lambda c: (c.activity.category.position, c.activity.position, c.activity.slug)):
        by_letter[cell.letter].append(cell)
    return [(letter, by_letter[letter]) for letter in LETTER_ORDER if by_letter[letter]]
