"""The demo organisation's responsibility matrix: one activity per department, under the matrix's rules.

Each department of ``descriptions.demo`` gets "Procedures followed in <department>": the director's
superior (the division's ACMO, or the CMO) accountable, the director and the first physician
responsible, the second physician consulted and the third informed — so every demo activity keeps
the rules (one A, at least one R) at any cut of the organisation. Rows are editorial, keyed
``demo:activity:<director's index>`` and ``demo:assignment:<director's index>:<n>``, and created
in bulk with their history, like the rest of the demo.
"""

from django.db import models

from responsibilities.models import Activity, Assignment, Letter
from roles.models import Role

from . import demo_bulk

PREFIX = "demo:"
CHANGE_REASON = "Generated demo organisation"
FIRST_POSITION = 1000  # after the shipped activities of the category
CATEGORY = "governance"
# The department's people, in the order of the plan, and the part each takes.
PARTS = [("superior", Letter.ACCOUNTABLE), ("director", Letter.RESPONSIBLE)]
PHYSICIAN_PARTS = [Letter.RESPONSIBLE, Letter.CONSULTED, Letter.INFORMED]


def _key(kind: str, index: int, suffix: str = "") -> str:
    return f"{PREFIX}{kind}:{index:07d}{suffix}"


def remove_after(n: int, removed_roles: models.QuerySet) -> None:
    """Delete the demo activities of departments from index ``n`` on, and every cell of a removed role.

    Raw deletes with their history, as the rest of the demo is removed (see ``descriptions.demo``).
    """
    cells = Assignment._default_manager.filter(
        models.Q(role__in=removed_roles)
        | models.Q(seed_key__startswith=f"{PREFIX}assignment:", seed_key__gte=_key("assignment", n))
    )
    cells._raw_delete(cells.db)
    activities = Activity._default_manager.filter(
        seed_key__startswith=f"{PREFIX}activity:", seed_key__gte=_key("activity", n)
    )
    activities._raw_delete(activities.db)
    for kind, model in (("assignment", Assignment), ("activity", Activity)):
        history = model.history.filter(seed_key__startswith=f"{PREFIX}{kind}:", seed_key__gte=_key(kind, n))
        history._raw_delete(history.db)


def generate(plan: list, ids: dict[str, int], categories: dict[str, int]) -> dict[str, int]:
    """Create the missing demo activities and cells of ``plan`` (the demo's roles); returns the counts."""
    physicians: dict[str, list] = {}
    for role in plan:
        physicians.setdefault(role.superior_slug, []).append(role)
    existing = set(
        Activity._default_manager.filter(seed_key__startswith=f"{PREFIX}activity:").values_list("seed_key", flat=True)
    )
    wanted_activities = []
    cells: dict[str, list[tuple[str, int, str]]] = {}
    for role in plan:
        if role.level != Role.Level.DEPARTMENT_LEAD or role.slug not in ids or role.superior_slug not in ids:
            continue
        key = _key("activity", role.index)
        people = [(role.superior_slug, Letter.ACCOUNTABLE), (role.slug, Letter.RESPONSIBLE)]
        people += [
            (physician.slug, letter)
            for physician, letter in zip(physicians.get(role.slug, []), PHYSICIAN_PARTS, strict=False)
            if physician.slug in ids
        ]
        cells[key] = [
            (_key("assignment", role.index, f":{n}"), ids[slug], letter) for n, (slug, letter) in enumerate(people, 1)
        ]
        if key in existing:
            continue
        department_en = role.title_en.removeprefix("Medical Director, ")
        department_nb = role.title_nb.removeprefix("Medisinsk direktør, ")
        wanted_activities.append(
            dict(
                seed_key=key,
                slug=f"{role.slug.removesuffix('-director')}-procedures",
                category_id=categories[CATEGORY],
                title_en=f"Procedures followed in {department_en}",
                title_nb=f"Prosedyrer følges i {department_nb}",
                description_en=f"Making sure all procedures are followed in {role.unit_en}.",
                description_nb=f"Sikre at alle prosedyrer følges i {role.unit_nb}.",
                position=FIRST_POSITION + role.index,
            )
        )
    _create(Activity, "activity", wanted_activities)
    activity_ids = dict(Activity._default_manager.filter(seed_key__in=list(cells)).values_list("seed_key", "pk"))
    existing_cells = set(
        Assignment._default_manager.filter(seed_key__startswith=f"{PREFIX}assignment:").values_list(
            "seed_key", flat=True
        )
    )
    wanted_cells = [
        dict(
            seed_key=cell_key,
            activity_id=activity_ids[key],
            role_id=role_pk,
            letter=letter,
            editorial=True,
            source_id=None,
            excerpt="",
        )
        for key, rows in cells.items()
        if key in activity_ids
        for cell_key, role_pk, letter in rows
        if cell_key not in existing_cells
    ]
    _create(Assignment, "assignment", wanted_cells)
    return {"activity": len(wanted_activities), "assignment": len(wanted_cells)}


def _create(model, kind: str, rows: list[dict]) -> None:
    demo_bulk.create_with_history(model, rows, seed_prefix=f"{PREFIX}{kind}:", change_reason=CHANGE_REASON)
