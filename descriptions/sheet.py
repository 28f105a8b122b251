"""The role sheet: one role with everything that describes it, as every reader of a whole role shows it.

The role page, the PDF job description, the JSON-LD and the API's role detail all start
from ``role_with_everything`` (seven queries, whatever the role holds) and the page and
the PDF lay out the same ``RoleSheet``, so they cannot group or leave out rows differently.
"""

from dataclasses import dataclass, fields
from functools import cache
from itertools import groupby

from django.db.models import QuerySet
from django.http import Http404

from knowledge import timestamps
from knowledge.compiled import CompiledQuery, attach
from knowledge.models import Source
from responsibilities.models import Duty, DutyCategory
from roles import isco
from roles.models import Qualification, ReportingLine, Role, RoleFact, RoleTitle


def relations() -> dict[str, QuerySet]:
    """What a sheet shows of each of the role's relations, in the order it shows it.

    Each model's own ordering without its leading "role": the rows are one role's, and ordering by
    the role would join its table and its ordering.
    """
    return {
        "duties": Duty.objects.select_related("category", "source").order_by("category__position", "position", "pk"),
        "titles": RoleTitle.objects.select_related("source").order_by("language", "kind", "title"),
        "facts": RoleFact.objects.select_related("source").order_by("position", "pk"),
        "qualifications": Qualification.objects.select_related("source").order_by("position", "pk"),
        "lines_up": ReportingLine.objects.select_related("superior", "source").order_by("kind", "superior__position"),
        "lines_down": ReportingLine.objects.select_related("subordinate", "source").order_by(
            "kind", "subordinate__position"
        ),
    }


def roles(*, with_timestamps: bool = False) -> QuerySet[Role]:
    """The roles as a sheet reads them: with their source, and the API's ``created_at`` and ``updated_at``."""
    return (timestamps.annotate(Role.objects.all()) if with_timestamps else Role.objects.all()).select_related("source")


# Where each read's slug and role go in the compiled queries: values no slug or key has.
_SLUG = "\x00slug"
_ROLE = -1


@cache
def _compiled() -> tuple[dict[bool, CompiledQuery], dict[str, tuple[CompiledQuery, QuerySet]]]:
    """The sheet's queries, compiled once per process (``knowledge.compiled``)."""
    by_slug = {flag: CompiledQuery(roles(with_timestamps=flag).filter(slug=_SLUG), _SLUG) for flag in (False, True)}
    related = {}
    for name, rows in relations().items():
        key = Role._meta.get_field(name).field.attname  # type: ignore[union-attr]
        related[name] = (CompiledQuery(rows.filter(**{key: _ROLE}), _ROLE), rows)
    return by_slug, related


def role_with_everything(slug: str, *, with_timestamps: bool = False) -> Role:
    """One role with its titles, facts, qualifications, duties and lines, or 404. Seven queries.

    The role ``roles()`` with each of ``relations()`` prefetched would be, read with SQL compiled
    once: compiling these queries and prefetching cost more than the database reading them.
    ``with_timestamps`` adds the role's ``created_at`` and ``updated_at`` (the API's).
    """
    by_slug, related = _compiled()
    found = by_slug[with_timestamps].rows(slug)
    if not found:
        raise Http404(f"No {Role._meta.object_name} matches the given query.")
    role = found[0]
    for name, (compiled, rows) in related.items():
        attach(role, name, compiled.rows(role.pk, using=role._state.db), rows)
    return role


def cited_sources(*fact_groups) -> list[Source]:
    """The distinct sources behind the given facts, in a stable order."""
    sources = {fact.source.pk: fact.source for group in fact_groups for fact in group if fact.source_id}
    return sorted(sources.values(), key=lambda source: source.slug)


@dataclass
class RoleSheet:
    role: Role
    titles: list[RoleTitle]  # the other names in the reader's language (not the heading's title or abbreviation)
    other_titles: list[RoleTitle]  # names in the other language
    facts: list[RoleFact]
    duties: list[Duty]
    duty_groups: list[tuple[DutyCategory, list[Duty]]]
    required: list[Qualification]
    preferred: list[Qualification]
    reports_to: list[ReportingLine]
    other_lines_up: list[ReportingLine]
    direct_reports: list[ReportingLine]
    other_lines_down: list[ReportingLine]
    sources: list[Source]
    occupations: list[tuple[str, str]]

    @property
    def duty_count(self) -> int:
        return len(self.duties)

    def context(self) -> dict:
        """The sheet as template variables (``role``, ``duty_groups``, …)."""
        return {f.name: getattr(self, f.name) for f in fields(self)} | {"duty_count": self.duty_count}

    def characters(self) -> int:
        """How much text the sheet shows: the role's own texts, every row's text and every quoted excerpt."""
        role = self.role
        texts = [role.title, role.summary, role.description, role.excerpt]
        for row in [*self.facts, *self.required, *self.preferred]:
            texts += [row.text, row.excerpt]
        for duty in self.duties:
            texts += [duty.title, duty.description, duty.excerpt]
        for line in [*self.reports_to, *self.other_lines_up, *self.direct_reports, *self.other_lines_down]:
            texts += [line.note, line.excerpt]
        return sum(len(text or "") for text in texts)

    def cited_in_order(self) -> list:
        """Every row that quotes a source, in the order the sheet shows them (for numbered notes)."""
        groups = [[self.role], self.facts, self.reports_to, self.other_lines_up, self.direct_reports]
        groups += [self.other_lines_down, self.duties, self.required, self.preferred]
        return [row for group in groups for row in group if row.source_id and row.excerpt]


def role_sheet(role: Role, language: str) -> RoleSheet:
    """The sheet of a role loaded by ``role_with_everything``; no further queries."""
    titles = list(role.titles.all())
    duties = list(role.duties.all())
    qualifications = list(role.qualifications.all())
    lines_up = list(role.lines_up.all())
    lines_down = list(role.lines_down.all())
    facts = list(role.facts.all())
    solid = ReportingLine.Kind.REPORTS_TO
    shown = {role.title.casefold(), (role.abbreviation or "").casefold()}
    return RoleSheet(
        role=role,
        titles=[t for t in titles if t.language == language and t.title.casefold() not in shown],
        other_titles=[t for t in titles if t.language != language],
        facts=facts,
        duties=duties,
        duty_groups=[(category, list(group)) for category, group in groupby(duties, key=lambda d: d.category)],
        required=[q for q in qualifications if q.requirement == Qualification.Requirement.REQUIRED],
        preferred=[q for q in qualifications if q.requirement == Qualification.Requirement.PREFERRED],
        reports_to=[line for line in lines_up if line.kind == solid],
        other_lines_up=[line for line in lines_up if line.kind != solid],
        direct_reports=[line for line in lines_down if line.kind == solid],
        other_lines_down=[line for line in lines_down if line.kind != solid],
        sources=cited_sources([role], titles, facts, duties, qualifications, lines_up, lines_down),
        occupations=isco.occupations(role.occupation_code_list),
    )
