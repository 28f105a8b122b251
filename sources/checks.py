"""The knowledge base's health: what is missing, stale or said twice, each finding with where to fix it.

Each check is a function returning a ``Section``; ``CHECKS`` lists them in the order the page and
the API show them. Another concern adds its own check by appending to ``CHECKS`` (for example the
roles overdue for review, which belong to the publication workflow). Every check reads in a fixed
number of queries; a section lists at most ``LISTED`` findings and counts the rest.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from knowledge.citations import citing_models
from knowledge.contents import references
from knowledge.models import Source
from knowledge.rules import excerpt_occurs_in
from responsibilities.models import Duty
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle

from .links import fix_url, owner_role
from .models import SentenceMark
from .reading import read_sources

LISTED = 100
# Two duties whose texts score at least this (rapidfuzz's token sort ratio, 0–100) say nearly the same.
NEAR_DUPLICATE_SCORE = 88
# Duties compared with each other at most (the comparison grows with the square of their number).
MAX_DUTIES_COMPARED = 2000
ROLE_FACT_MODELS = (RoleTitle, RoleFact, Qualification, Duty)


@dataclass
class Finding:
    message: str
    url: str
    role: Role | None = None


@dataclass
class Section:
    key: str
    title: str
    description: str
    findings: list[Finding] = field(default_factory=list)
    total: int = 0
    note: str = ""

    def add(self, finding: Finding) -> None:
        self.total += 1
        if len(self.findings) < LISTED:
            self.findings.append(finding)


def _describe(row) -> str:
    role = owner_role(row)
    text = Truncator(str(row)).chars(120)
    kind = str(row._meta.verbose_name).capitalize()
    if role is not None and role is not row:
        return _("%(kind)s of %(role)s: “%(text)s”") % {"kind": kind, "role": role, "text": text}
    return _("%(kind)s: “%(text)s”") % {"kind": kind, "text": text}


def _fact_models():
    return [model for model in citing_models(Source) if model is not SentenceMark]


def _with_owners(model):
    owners = [name for name in references(model) if name != "source"]
    return model._default_manager.select_related(*owners)


def uncited_facts() -> Section:
    section = Section("uncited", _("Facts with no source"), _("Rows marked editorial: no source states them."))
    for model in _fact_models():
        for row in _with_owners(model).filter(Q(source__isnull=True) | Q(excerpt="")).order_by("pk"):
            section.add(Finding(_describe(row), fix_url(row), owner_role(row)))
    return section


def stale_citations() -> Section:
    section = Section(
        "stale_citations",
        _("Citations whose excerpt no longer matches"),
        _("The excerpt does not occur in the source's current text: correct the excerpt or the source."),
    )
    sources = {source.pk: source for source in Source.objects.only("pk", "slug", "text")}
    for model in citing_models(Source):
        rows = _with_owners(model).filter(source__isnull=False).exclude(excerpt="").order_by("pk")
        for row in rows:
            source = sources[row.source_id]
            if not excerpt_occurs_in(row.excerpt, source.text):
                url = fix_url(row) if model is not SentenceMark else _source_url(source.slug)
                section.add(Finding(_describe(row), url, owner_role(row)))
    return section


def _source_url(slug: str) -> str:
    return reverse("sources:detail", kwargs={"slug": slug})


def roles_without_duties() -> Section:
    section = Section("roles_without_duties", _("Roles without duties"), _("Add what the role does."))
    for role in Role.objects.annotate(duty_total=Count("duties")).filter(duty_total=0).order_by("position", "slug"):
        section.add(Finding(str(role), _edit_url(role, "duties"), role))
    return section


def roles_without_lines() -> Section:
    section = Section(
        "roles_without_lines",
        _("Roles without any reporting line"),
        _("The role reports to no one and no one reports to it: add where it sits."),
    )
    linked = set(ReportingLine.objects.values_list("subordinate_id", flat=True))
    linked |= set(ReportingLine.objects.values_list("superior_id", flat=True))
    for role in Role.objects.exclude(pk__in=linked).order_by("position", "slug"):
        section.add(Finding(str(role), _edit_url(role, "lines"), role))
    return section


def _edit_url(role: Role, anchor: str) -> str:
    return f"{reverse('descriptions:edit', kwargs={'slug': role.slug})}#{anchor}"


def near_duplicate_duties() -> Section:
    section = Section(
        "near_duplicates",
        _("Duties that say nearly the same"),
        _("Within a role, merge them; across roles, check that both really do it (or make it one activity)."),
    )
    duties = list(Duty.objects.select_related("role").order_by("pk")[: MAX_DUTIES_COMPARED + 1])
    if len(duties) > MAX_DUTIES_COMPARED:
        duties = duties[:MAX_DUTIES_COMPARED]
        section.note = _("Only the first %(count)s duties were compared.") % {"count": MAX_DUTIES_COMPARED}
    # Compared in English, the language every duty is written in first.
    texts = [f"{getattr(d, 'title_en', '') or ''} {getattr(d, 'description_en', '') or ''}".lower() for d in duties]
    pairs = [
        (i, i + 1 + offset, score)
        for i, text in enumerate(texts[:-1])
        for _match, score, offset in process.extract(
            text, texts[i + 1 :], scorer=fuzz.token_sort_ratio, score_cutoff=NEAR_DUPLICATE_SCORE, limit=None
        )
    ]
    for i, j, score in sorted(pairs):
        first, second = duties[i], duties[j]
        where = _("within %(role)s") % {"role": first.role} if first.role_id == second.role_id else _("across roles")
        message = _(
            "“%(first)s” (%(first_role)s) and “%(second)s” (%(second_role)s), %(where)s: %(score)s %% alike"
        ) % {
            "first": first.title,
            "first_role": first.role,
            "second": second.title,
            "second_role": second.role,
            "where": where,
            "score": int(score),
        }
        section.add(Finding(message, fix_url(first), first.role))
    return section


def sources_below_full_coverage() -> Section:
    section = Section(
        "coverage",
        _("Sources below full coverage"),
        _("Sentences no fact cites and no editor has marked as stating nothing about a role."),
    )
    for reading in read_sources(Source.objects.order_by("title", "pk")):
        if reading.covered < len(reading.sentences):
            message = _("%(title)s: %(percent)s %% covered, %(count)s sentences left") % {
                "title": reading.source.title,
                "percent": reading.percent,
                "count": len(reading.sentences) - reading.covered,
            }
            section.add(Finding(message, _source_url(reading.source.slug)))
    return section


@dataclass
class RoleShare:
    role: Role
    editorial: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.editorial / self.total) if self.total else 0


def editorial_share() -> list[RoleShare]:
    """Per role, how many of its rows (the role, titles, key facts, qualifications, duties, lines) are editorial."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for model in ROLE_FACT_MODELS:
        for row in model._default_manager.values("role_id").annotate(
            total=Count("pk"), own=Count("pk", filter=Q(editorial=True))
        ):
            counts[row["role_id"]][0] += row["own"]
            counts[row["role_id"]][1] += row["total"]
    line_counts = ReportingLine.objects.values("subordinate_id").annotate(
        total=Count("pk"), own=Count("pk", filter=Q(editorial=True))
    )
    for line in line_counts:
        counts[line["subordinate_id"]][0] += line["own"]
        counts[line["subordinate_id"]][1] += line["total"]
    shares = []
    for role in Role.objects.order_by("position", "slug"):
        own, total = counts[role.pk]
        shares.append(RoleShare(role, own + int(role.editorial), total + 1))
    return shares


CHECKS: list[Callable[[], Section]] = [
    uncited_facts,
    stale_citations,
    roles_without_duties,
    roles_without_lines,
    near_duplicate_duties,
    sources_below_full_coverage,
]


def health() -> list[Section]:
    return [check() for check in CHECKS]
