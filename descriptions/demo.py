"""A synthetic hospital-group organisation under the real knowledge base, for benchmarks and scale tests.

``generate_demo_org(n)`` makes the organisation hold exactly ``n`` demo roles: associate chief
medical officers (one per division) under the real CMO, then department after department — a
medical director reporting to the division's ACMO (or straight to the CMO) and the department's
physicians reporting to that director — each with titles, an overview fact, ~10 duties across the
real duty categories and ~5 qualifications, all in English and Norwegian Bokmål — and a responsibility
matrix with one activity per department (``descriptions.demo_raci``).

The organisation is one fixed, endless sequence of roles cut after the first ``n``, and every row is
derived from its role's place in that sequence with a seeded random generator, so:

* running it again with the same ``n`` changes nothing;
* a larger ``n`` only adds the roles after the old cut (and their rows), a smaller one only removes
  the roles after the new cut;
* ``n = 0`` (``--clear``) removes every demo row.

Every demo row is marked ``editorial`` (nothing in it comes from a source) and carries a seed key
``demo:<kind>:<role index>…``; rows of the real knowledge base are never touched. Demo rows are
created with their history (one "created" record each) in bulk, below the ORM
(``descriptions.demo_bulk``: COPY on PostgreSQL); removing them removes them and their history
outright — they are synthetic, so there is nothing to audit.
"""

import random
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.utils import translation

import governance.services as governance
from knowledge import feed, version as kb_version
from knowledge.models import Cited
from knowledge.seed import load_knowledge_base
from responsibilities.models import Duty, DutyCategory
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle

from . import demo_bulk, demo_raci
from .demo_data import (
    DIVISIONS,
    LEADER_DUTIES,
    LEADER_QUALIFICATIONS,
    PHYSICIAN_DUTIES,
    PHYSICIAN_QUALIFICATIONS,
    SITES,
    SPECIALTIES,
)

PREFIX = "demo:"
CHANGE_REASON = "Generated demo organisation"
CMO_SLUG = "chief-medical-officer"
FIRST_POSITION = 1000  # demo roles sort after the real ones…
# …and by level, like the real ones (the directory groups consecutive roles of a level).
LEVEL_BLOCK = {"senior_leader": 0, "department_lead": 1_000_000, "clinician": 2_000_000}


@dataclass
class DemoRole:
    index: int
    slug: str
    level: str
    title_en: str
    title_nb: str
    abbreviation: str
    summary_en: str
    summary_nb: str
    unit_en: str
    unit_nb: str
    specialty_en: str
    specialty_nb: str
    superior_slug: str
    leader: bool
    department_en: str = ""
    department_nb: str = ""


def _department(d: int):
    """The d-th department of the group: a specialty at a site (a second unit once every site has one)."""
    specialty = SPECIALTIES[d % len(SPECIALTIES)]
    site = SITES[(d // len(SPECIALTIES)) % len(SITES)]
    unit = d // (len(SPECIALTIES) * len(SITES))
    suffix = f" {unit + 1}" if unit else ""
    return specialty, site, suffix


def plan_roles(n: int) -> list[DemoRole]:
    """The first ``n`` roles of the demo organisation's fixed sequence."""
    result: list[DemoRole] = []
    for key, name_en, name_nb in DIVISIONS:
        if len(result) >= n:
            return result
        result.append(
            DemoRole(
                index=len(result),
                slug=f"demo-acmo-{key}",
                level=Role.Level.SENIOR_LEADER,
                title_en=f"Associate Chief Medical Officer for {name_en}",
                title_nb=f"Assisterende medisinsk sjef for {name_nb}",
                abbreviation="ACMO",
                summary_en=f"Leads the medical directors of the {name_en} division on behalf of the CMO.",
                summary_nb=f"Leder de medisinske direktørene i divisjon for {name_nb} på vegne av medisinsk sjef.",
                unit_en=f"the {name_en} division",
                unit_nb=f"divisjon for {name_nb}",
                specialty_en="a clinical specialty",
                specialty_nb="en klinisk spesialitet",
                superior_slug=CMO_SLUG,
                leader=True,
                department_en=f"{name_en} division",
                department_nb=f"Divisjon for {name_nb}",
            )
        )
    d = 0
    while len(result) < n:
        (key, name_en, name_nb, division), site, suffix = _department(d)
        dept_slug = f"demo-{key}-{site.lower().replace('å', 'a').replace('ø', 'o')}{suffix.replace(' ', '-')}"
        dept_en = f"{name_en}, {site}{suffix}"
        dept_nb = f"{name_nb}, {site}{suffix}"
        director_slug = f"{dept_slug}-director"
        # What the department's director and physicians share: the unit they work in and its specialty.
        department = {
            "abbreviation": "",
            "unit_en": f"the {name_en.lower()} department",
            "unit_nb": f"avdeling for {name_nb.lower()}",
            "specialty_en": name_en.lower(),
            "specialty_nb": name_nb.lower(),
            "department_en": dept_en,
            "department_nb": dept_nb,
        }
        result.append(
            DemoRole(
                index=len(result),
                slug=director_slug,
                level=Role.Level.DEPARTMENT_LEAD,
                title_en=f"Medical Director, {dept_en}",
                title_nb=f"Medisinsk direktør, {dept_nb}",
                summary_en=f"Medical leader of the {name_en.lower()} department at {site} Hospital{suffix}.",
                summary_nb=f"Medisinsk leder for avdeling for {name_nb.lower()} ved {site} sykehus{suffix}.",
                superior_slug=f"demo-acmo-{division}" if division else CMO_SLUG,
                leader=True,
                **department,
            )
        )
        physicians = random.Random(f"department:{d}").randint(12, 28)
        for p in range(1, physicians + 1):
            if len(result) >= n:
                break
            result.append(
                DemoRole(
                    index=len(result),
                    slug=f"{dept_slug}-physician-{p}",
                    level=Role.Level.CLINICIAN,
                    title_en=f"Physician {p}, {dept_en}",
                    title_nb=f"Lege {p}, {dept_nb}",
                    summary_en=f"Physician in {name_en.lower()} at {site} Hospital{suffix}.",
                    summary_nb=f"Lege i {name_nb.lower()} ved {site} sykehus{suffix}.",
                    superior_slug=director_slug,
                    leader=False,
                    **department,
                )
            )
        d += 1
    return result


def _key(kind: str, index: int, suffix: str = "") -> str:
    return f"{PREFIX}{kind}:{index:07d}{suffix}"


# Each demo kind, its model, and (for children) how rows of a removed role are found.
KINDS: list[tuple[str, type[Cited]]] = [
    ("role", Role),
    ("title", RoleTitle),
    ("fact", RoleFact),
    ("qualification", Qualification),
    ("line", ReportingLine),
    ("duty", Duty),
]


def _build_children(role: DemoRole, role_pk: int, ids: dict, categories: dict) -> dict[tuple[str, str], dict]:
    """Every row that belongs to ``role`` (its fields), keyed by seed key (deterministic for the role's index)."""
    rng = random.Random(f"role:{role.index}")
    fmt = {
        "unit": role.unit_en,
        "unit_nb": role.unit_nb,
        "specialty": role.specialty_en,
        "specialty_nb": role.specialty_nb,
    }
    cited = {"editorial": True, "source_id": None, "excerpt": ""}
    rows: dict[tuple[str, str], dict] = {}
    for language, title in (("en", role.title_en), ("nb", role.title_nb)):
        rows[("title", _key("title", role.index, f":{language}"))] = dict(
            role_id=role_pk, language=language, kind=RoleTitle.Kind.PREFERRED, title=title, **cited
        )
    rows[("fact", _key("fact", role.index, ":1"))] = dict(
        role_id=role_pk,
        kind=RoleFact.Kind.OVERVIEW,
        text_en=role.summary_en,
        text_nb=role.summary_nb,
        position=1,
        **cited,
    )
    if role.superior_slug in ids:  # an editor may have removed the superior
        rows[("line", _key("line", role.index, ":1"))] = dict(
            subordinate_id=role_pk,
            superior_id=ids[role.superior_slug],
            kind=ReportingLine.Kind.REPORTS_TO,
            **cited,
        )
    duty_templates = LEADER_DUTIES if role.leader else PHYSICIAN_DUTIES
    chosen = sorted(rng.sample(range(len(duty_templates)), k=min(10, len(duty_templates))))
    for position, t in enumerate(chosen, start=1):
        category, involvement, title_en, title_nb, text_en, text_nb = duty_templates[t]
        rows[("duty", _key("duty", role.index, f":{position:02d}"))] = dict(
            role_id=role_pk,
            category_id=categories[category],
            involvement=involvement,
            position=position,
            title_en=title_en.format(**fmt),
            title_nb=title_nb.format(**fmt),
            description_en=text_en.format(**fmt),
            description_nb=text_nb.format(**fmt),
            **cited,
        )
    qualification_templates = LEADER_QUALIFICATIONS if role.leader else PHYSICIAN_QUALIFICATIONS
    chosen = sorted(rng.sample(range(len(qualification_templates)), k=5))
    for position, t in enumerate(chosen, start=1):
        kind, requirement, years, text_en, text_nb = qualification_templates[t]
        rows[("qualification", _key("qualification", role.index, f":{position:02d}"))] = dict(
            role_id=role_pk,
            kind=kind,
            requirement=requirement,
            minimum_years=years,
            position=position,
            text_en=text_en.format(**fmt),
            text_nb=text_nb.format(**fmt),
            **cited,
        )
    return rows


def _demo_rows(model: type[Cited], kind: str) -> models.QuerySet:
    return model._default_manager.filter(seed_key__startswith=f"{PREFIX}{kind}:")


def _remove_after(n: int) -> int:
    """Delete demo roles from index ``n`` on, their rows, any row pointing at them, and their history.

    Raw deletes: the history's delete signal would write a record per row, and demo rows are
    synthetic — their history goes too. Returns the number of roles removed.
    """
    removed = _demo_rows(Role, "role").filter(seed_key__gte=_key("role", n))
    removed_ids = list(removed.values_list("pk", flat=True))
    if not removed_ids:
        return 0
    removed_pks = Role._default_manager.filter(seed_key__startswith=f"{PREFIX}role:", seed_key__gte=_key("role", n))
    demo_raci.remove_after(n, removed_pks)
    governance.forget_roles(removed_ids)
    for kind, model in reversed(KINDS[1:]):
        if model is ReportingLine:
            owned = models.Q(subordinate__in=removed_pks) | models.Q(superior__in=removed_pks)
        else:
            owned = models.Q(role__in=removed_pks)
        stale = model._default_manager.filter(
            owned | models.Q(seed_key__startswith=f"{PREFIX}{kind}:", seed_key__gte=_key(kind, n))
        )
        stale._raw_delete(stale.db)
    for kind, model in KINDS:
        history = model.history.filter(seed_key__startswith=f"{PREFIX}{kind}:", seed_key__gte=_key(kind, n))
        history._raw_delete(history.db)
    roles = Role._default_manager.filter(pk__in=removed_ids)
    roles._raw_delete(roles.db)
    return len(removed_ids)


@dataclass
class DemoReport:
    created: dict = field(default_factory=dict)
    removed_roles: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.removed_roles or any(self.created.values()))


@transaction.atomic
def generate_demo_org(n: int) -> DemoReport:
    """Make the database hold exactly the first ``n`` roles of the demo organisation (0 removes it)."""
    if n < 0:
        raise ValueError("The number of demo roles cannot be negative.")
    if n and not Role._default_manager.filter(slug=CMO_SLUG).exists():
        load_knowledge_base()
    report = DemoReport()
    report.removed_roles = _remove_after(n)
    plan = plan_roles(n)

    with translation.override("en"):
        existing_roles = set(_demo_rows(Role, "role").values_list("seed_key", flat=True))
        new_roles = [
            dict(
                seed_key=_key("role", role.index),
                slug=role.slug,
                level=role.level,
                title_en=role.title_en,
                title_nb=role.title_nb,
                abbreviation_en=role.abbreviation,
                abbreviation_nb="AMS" if role.abbreviation else "",
                summary_en=role.summary_en,
                summary_nb=role.summary_nb,
                department_en=role.department_en,
                department_nb=role.department_nb,
                occupation_codes="1342" if role.leader else "2212",
                position=FIRST_POSITION + LEVEL_BLOCK[role.level] + role.index,
                editorial=True,
            )
            for role in plan
            if _key("role", role.index) not in existing_roles
        ]
        report.created["role"] = _create(Role, "role", new_roles)

        ids = dict(Role._default_manager.filter(slug__in=[CMO_SLUG]).values_list("slug", "pk"))
        ids.update(_demo_rows(Role, "role").values_list("slug", "pk"))
        categories = dict(DutyCategory._default_manager.values_list("slug", "pk"))
        existing = {kind: set(_demo_rows(model, kind).values_list("seed_key", flat=True)) for kind, model in KINDS[1:]}
        wanted: dict[str, list] = {kind: [] for kind, _ in KINDS[1:]}
        for role in plan:
            if role.slug not in ids:  # an editor renamed or removed the demo role: leave it be
                continue
            for (kind, key), row in _build_children(role, ids[role.slug], ids, categories).items():
                if key not in existing[kind]:
                    row["seed_key"] = key
                    wanted[kind].append(row)
        for kind, model in KINDS[1:]:
            report.created[kind] = _create(model, kind, wanted[kind])
        report.created.update(demo_raci.generate(plan, ids, categories))

    if report.changed:
        kb_version.bump()
        feed.record_event(feed.KB_BULK_LOADED, data={"created": dict(report.created)})
        if connection.vendor == "postgresql":  # fresh planner statistics after a bulk load
            with connection.cursor() as cursor:
                for _kind, model in KINDS:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return report


def _create(model: type[Cited], kind: str, rows: list[dict]) -> int:
    return demo_bulk.create_with_history(model, rows, seed_prefix=f"{PREFIX}{kind}:", change_reason=CHANGE_REASON)
