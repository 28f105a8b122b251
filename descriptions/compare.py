"""Side-by-side comparison of two or three roles: which roles to compare, and the aligned rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _, ngettext

from roles.models import Qualification, Role, RoleFact

MIN_ROLES, MAX_ROLES = 2, 3


@dataclass
class Selection:
    slugs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors and MIN_ROLES <= len(self.slugs) <= MAX_ROLES


def parse_selection(values: list[str], known: dict[str, str]) -> Selection:
    """Slugs from ``?roles=a,b`` or repeated ``?roles=a&roles=b`` (the picker), checked against ``known``.

    ``known`` maps slug to title. Every problem is reported, so the reader can fix them all at once.
    """
    slugs = [slug.strip() for value in values for slug in value.split(",") if slug.strip()]
    selection = Selection()
    seen = set()
    duplicates, unknown = [], []
    for slug in slugs:
        if slug in seen:
            if slug not in duplicates:
                duplicates.append(slug)
            continue
        seen.add(slug)
        if slug not in known:
            unknown.append(slug)
        else:
            selection.slugs.append(slug)
    if unknown:
        selection.errors.append(
            ngettext("There is no role “%(slugs)s”.", "There are no roles “%(slugs)s”.", len(unknown))
            % {"slugs": "”, “".join(unknown)}
        )
    if duplicates:
        selection.errors.append(
            ngettext(
                "%(titles)s was chosen more than once; each role is shown once.",
                "%(titles)s were chosen more than once; each role is shown once.",
                len(duplicates),
            )
            % {"titles": ", ".join(known.get(slug, slug) for slug in duplicates)}
        )
    if not slugs:
        return selection  # nothing asked yet: just show the picker
    distinct = len(seen)
    if distinct < MIN_ROLES:
        selection.errors.append(str(_("Choose at least two roles to compare.")))
    elif distinct > MAX_ROLES:
        selection.errors.append(
            str(_("Choose at most three roles to compare; you chose %(count)d.") % {"count": distinct})
        )
    return selection


@dataclass
class Row:
    """One aligned row: a heading and, for each role, the items it has there."""

    key: str
    heading: str
    cells: list[dict]  # {"role": ..., "items": [...]}, in the order of the roles
    only: Role | None = None  # set when just one of the roles has anything in this row


def _rows(roles: list[Role], groups: list[tuple[str, str]], items_by_role: list[dict]) -> list[Row]:
    rows = []
    for key, heading in groups:
        cells = [{"role": role, "items": items.get(key, [])} for role, items in zip(roles, items_by_role, strict=True)]
        filled = [cell["role"] for cell in cells if cell["items"]]
        if filled:
            rows.append(Row(key=key, heading=heading, cells=cells, only=filled[0] if len(filled) == 1 else None))
    return rows


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class Comparison:
    roles: list[Role]
    columns: list[dict]  # per role: {"role", "scope" (its scope facts), "duty_count"}
    duty_rows: list[Row]
    qualification_rows: list[Row]
    marks_unique: bool = False  # True when some items are shared, so the unshared ones are marked


def build_comparison(roles: list[Role]) -> Comparison:
    """Align the roles' duties by category and qualifications by kind (prefetched data only).

    Each duty and qualification gets ``unique`` set to True when none of the other roles has
    one with the same wording (and the roles share some wording at all), so the template can
    mark what only one role has. Rows whose category or kind only one role has are marked too.
    """
    duties = [list(role.duties.all()) for role in roles]
    qualifications = [list(role.qualifications.all()) for role in roles]
    marks_unique = False
    for items, attribute in ((duties, "title"), (qualifications, "text")):
        wordings = [{_normal(getattr(item, attribute)) for item in group} for group in items]
        # When the roles share no wording at all, marking every item "only here" would be noise.
        shared = any(wordings[i] & wordings[j] for i in range(len(items)) for j in range(i + 1, len(items)))
        marks_unique = marks_unique or shared
        for i, group in enumerate(items):
            others = set().union(*(w for j, w in enumerate(wordings) if j != i))
            for item in group:
                item.unique = shared and _normal(getattr(item, attribute)) not in others

    categories = {}
    duties_by_role = []
    for group in duties:
        by_category: dict = {}
        for duty in group:
            categories[duty.category.slug] = duty.category
            by_category.setdefault(duty.category.slug, []).append(duty)
        duties_by_role.append(by_category)
    category_groups = [
        (c.slug, c.name) for c in sorted(categories.values(), key=lambda category: (category.position, category.slug))
    ]

    requirement_order = {Qualification.Requirement.REQUIRED: 0, Qualification.Requirement.PREFERRED: 1}
    quals_by_role = []
    for group in qualifications:
        by_kind: dict = {}
        for q in sorted(group, key=lambda q: requirement_order.get(q.requirement, 2)):
            by_kind.setdefault(q.kind, []).append(q)
        quals_by_role.append(by_kind)

    return Comparison(
        roles=roles,
        columns=[
            {
                "role": role,
                "scope": [fact for fact in role.facts.all() if fact.kind == RoleFact.Kind.SCOPE],
                "duty_count": len(group),
            }
            for role, group in zip(roles, duties, strict=True)
        ],
        duty_rows=_rows(roles, category_groups, duties_by_role),
        qualification_rows=_rows(roles, list(Qualification.Kind.choices), quals_by_role),
        marks_unique=marks_unique,
    )
