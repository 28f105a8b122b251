"""Roles and what defines them: titles, qualifications, reporting lines and key facts.

Every fact cites the source passage it came from or is marked editorial (``knowledge.models.Cited``).
"""

import datetime
import textwrap
import zlib

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models, router
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from knowledge import rules, version
from knowledge.models import LANGUAGES, Cited, Exchange, TranslationTracked, bounded_text, choices_constraint

from .addresses import role_url
from .choices import ContractBasis, FactKind, LineKind, QualificationKind, Requirement, RoleLevel, TitleKind

# Addresses the site uses under /roles/ for pages of its own: no role may take them.
RESERVED_SLUGS = frozenset({"new", "pdf"})


class RoleOwned:
    """A row shown only with its role (its page, PDF and API detail): a write changes that role's pages."""

    role: "Role"

    def cache_scopes(self, change: str) -> set[str]:
        return {version.role_scope(self.role.slug)}


def validate_unreserved_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved; choose another slug."), code="reserved")


class Role(TranslationTracked, Cited):
    Level = RoleLevel
    ContractBasis = ContractBasis
    exchange = Exchange(section="roles", order=("slug",), seed_section="roles", seed_key="role")
    feed_role = "slug"  # the change feed names the role a change is about (knowledge.feed)

    slug = models.SlugField(_("slug"), max_length=80, unique=True, validators=[validate_unreserved_slug])
    title = models.CharField(_("title"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    summary = bounded_text(_("summary"), 1000, blank=True)
    description = bounded_text(_("description"), 5000, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    occupation_codes = models.CharField(
        _("ISCO-08 codes"),
        max_length=100,
        blank=True,
        validators=[RegexValidator(r"^\d{4}(,\d{4})*$", _("Enter four-digit ISCO-08 codes separated by commas."))],
        help_text=_("International Standard Classification of Occupations, e.g. 1342 or 2211,2212."),
    )
    # What a job description states besides the sources: editorial, optional, shown when set.
    department = models.CharField(
        _("department"), max_length=200, blank=True, help_text=_("The department or unit the role belongs to.")
    )
    grade = models.CharField(
        _("grade or band"), max_length=60, blank=True, help_text=_("The pay grade or band, e.g. Consultant or 8d.")
    )
    contract_basis = models.CharField(_("contract basis"), max_length=20, choices=ContractBasis.choices, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # The published version and its review cycle (written by publishing and sign-off, not by forms):
    # kept on the row so every read of a role has them without another query.
    publication = models.PositiveIntegerField(_("publication"), default=0, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    published_by = models.CharField(_("approved by"), max_length=150, blank=True, editable=False)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True, editable=False)
    review_interval_months = models.PositiveSmallIntegerField(_("review interval (months)"), default=12, editable=False)
    unseeded_fields = ("publication", "published_at", "published_by", "last_reviewed", "review_interval_months")

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            choices_constraint("level", RoleLevel, "role_level_valid"),
            models.CheckConstraint(
                condition=models.Q(contract_basis="") | models.Q(contract_basis__in=ContractBasis.values),
                name="role_contract_basis_valid",
            ),
            Cited.citation_constraint("role_cited_or_editorial"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return role_url(self.slug)

    @property
    def review_due(self) -> datetime.date | None:
        """The date the role is next due for review: its interval after it was last reviewed."""
        if self.last_reviewed is None:
            return None
        return add_months(self.last_reviewed, self.review_interval_months)

    @property
    def occupation_code_list(self) -> list[str]:
        return [code for code in self.occupation_codes.split(",") if code]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved ``months`` ahead; the 31st becomes the month's last day where it has fewer."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


class RoleTitle(RoleOwned, Cited):
    """A name people use for a role, in one language: the preferred title, a synonym or an abbreviation."""

    Kind = TitleKind
    exchange = Exchange(
        section="titles",
        order=("role", "language", "kind", "title"),
        seed_section="titles",
        seed_key="title",
    )

    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.CASCADE, related_name="titles")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ALTERNATIVE)

    class Meta:
        ordering = ["role", "language", "kind", "title"]
        verbose_name = _("role title")
        verbose_name_plural = _("role titles")
        constraints = [
            models.UniqueConstraint(fields=["role", "language", "title"], name="roletitle_unique_per_language"),
            models.UniqueConstraint(
                fields=["role", "language"],
                condition=models.Q(kind="preferred"),
                name="roletitle_one_preferred_per_language",
            ),
            choices_constraint("kind", TitleKind, "roletitle_kind_valid"),
            choices_constraint("language", LANGUAGES, "roletitle_language_valid"),
            Cited.citation_constraint("roletitle_cited_or_editorial"),
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"


def shorten(text: str, width: int = 80) -> str:
    """``text`` cut at a word boundary to at most ``width`` characters, with an ellipsis when cut."""
    return textwrap.shorten(text, width=width, placeholder=" …")


class RoleFact(RoleOwned, TranslationTracked, Cited):
    """A statement about a role as a whole: what it is, its scope, its pay, how it differs from another."""

    Kind = FactKind
    exchange = Exchange(
        section="facts", order=("role", "position"), seed_section="facts", seed_key="fact", numbered_within="role"
    )

    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.CASCADE, related_name="facts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = bounded_text(_("text"), 1000)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["role", "position", "pk"]
        verbose_name = _("key fact")
        verbose_name_plural = _("key facts")
        constraints = [
            choices_constraint("kind", FactKind, "rolefact_kind_valid"),
            Cited.citation_constraint("rolefact_cited_or_editorial"),
        ]

    def __str__(self):
        return shorten(self.text)


class Qualification(RoleOwned, TranslationTracked, Cited):
    Kind = QualificationKind
    exchange = Exchange(
        section="qualifications",
        order=("role", "position"),
        seed_section="qualifications",
        seed_key="qualification",
        numbered_within="role",
    )

    Requirement = Requirement

    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = bounded_text(_("text"), 1000)
    requirement = models.CharField(
        _("requirement"), max_length=10, choices=Requirement.choices, default=Requirement.REQUIRED
    )
    minimum_years = models.PositiveSmallIntegerField(
        _("minimum years"), null=True, blank=True, help_text=_("Only for experience: the years it takes at least.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["role", "position", "pk"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            choices_constraint("kind", QualificationKind, "qualification_kind_valid"),
            choices_constraint("requirement", Requirement, "qualification_requirement_valid"),
            Cited.citation_constraint("qualification_cited_or_editorial"),
        ]

    def __str__(self):
        return shorten(self.text)

    def clean(self):
        super().clean()
        if self.minimum_years is not None and self.kind != QualificationKind.EXPERIENCE:
            raise ValidationError(
                {
                    "minimum_years": _(
                        "Minimum years apply to experience only; a %(kind)s has none. Clear the field or "
                        "choose the kind “Experience”."
                    )
                    % {"kind": self.get_kind_display().lower()}
                }
            )


class ReportingLine(TranslationTracked, Cited):
    """A typed line of the org chart: ``subordinate`` answers to ``superior`` in the way ``kind`` says."""

    def cache_scopes(self, change: str) -> set[str]:
        # The org chart and both roles' pages (through "structure"); the directory shows no lines.
        return {version.STRUCTURE}

    Kind = LineKind
    exchange = Exchange(
        section="reporting_lines",
        order=("subordinate", "superior", "kind"),
        seed_section="lines",
        seed_key="line",
    )
    feed_role = "subordinate.slug"  # a line belongs to the role that reports (knowledge.feed)

    subordinate = models.ForeignKey(
        Role, verbose_name=_("subordinate role"), on_delete=models.CASCADE, related_name="lines_up"
    )
    superior = models.ForeignKey(
        Role, verbose_name=_("superior role"), on_delete=models.CASCADE, related_name="lines_down"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REPORTS_TO)
    note = bounded_text(_("note"), 1000, blank=True)

    class Meta:
        ordering = ["superior__position", "subordinate__position", "kind"]
        verbose_name = _("reporting line")
        verbose_name_plural = _("reporting lines")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(subordinate=models.F("superior")), name="reportingline_not_self"
            ),
            models.UniqueConstraint(fields=["subordinate", "superior", "kind"], name="reportingline_unique"),
            choices_constraint("kind", LineKind, "reportingline_kind_valid"),
            Cited.citation_constraint("reportingline_cited_or_editorial"),
        ]

    def __str__(self):
        return f"{self.subordinate} → {self.superior} ({self.get_kind_display()})"

    # The kind's label reads from the subordinate's side ("Overseen by"); these read from
    # either end of the line, so the superior's page can say "Oversees Physician".
    SUBORDINATE_SIDE: dict[str, Promise] = {
        Kind.REPORTS_TO: _("Reports to"),
        Kind.DOTTED: _("Reports by a dotted (functional) line to"),
        Kind.OVERSEES: _("Overseen by"),
        Kind.LIAISON: _("Liaison with"),
    }
    SUPERIOR_SIDE: dict[str, Promise] = {
        Kind.REPORTS_TO: _("Direct report"),
        Kind.DOTTED: _("Dotted-line (functional) report from"),
        Kind.OVERSEES: _("Oversees"),
        Kind.LIAISON: _("Liaison with"),
    }

    @property
    def label_from_subordinate(self):
        return self.SUBORDINATE_SIDE.get(self.kind, self.get_kind_display())

    @property
    def label_from_superior(self):
        return self.SUPERIOR_SIDE.get(self.kind, self.get_kind_display())

    def clean(self):
        super().clean()
        validate_reporting_line(
            subordinate_id=self.subordinate_id,
            superior_id=self.superior_id,
            kind=self.kind,
            exclude_pk=self.pk,
            solid_lines=getattr(self, "_solid_lines", None),
        )

    @classmethod
    def prepare_clean(cls, rows: list["ReportingLine"]) -> None:
        """Before many lines are cleaned at once (a restore checks them all), read the solid lines once.

        Each line's cycle check then walks that one list instead of querying it again; and when the
        solid lines hold no cycle at all, no line can close one, so the walk is skipped.
        """
        lines = SolidLines(
            cls.objects.filter(kind=cls.Kind.REPORTS_TO).values_list("pk", "subordinate_id", "superior_id")
        )
        for row in rows:
            row._solid_lines = lines  # type: ignore[attr-defined]  # read back by clean()


class SolidLines:
    """Every solid line as (id, subordinate id, superior id), read once for a bulk check."""

    def __init__(self, lines):
        self.lines = list(lines)
        self.acyclic = not rules.has_cycle((sub, sup) for _pk, sub, sup in self.lines)

    def edges_without(self, pk) -> list[tuple[int, int]]:
        return [(sub, sup) for line_pk, sub, sup in self.lines if line_pk != pk]


# Any fixed number, the same in every process: the key of the PostgreSQL lock that solid-line writers share.
SOLID_LINES_LOCK = zlib.crc32(b"roles.reportingline.solid")


def serialise_solid_line_writes() -> None:
    """Make writers of solid lines take turns until their transaction ends.

    Two transactions adding A→B and B→A at the same time would each read the lines without the
    other's and each find no cycle. On PostgreSQL a transaction-level advisory lock makes the
    second wait until the first commits, then read its line. SQLite needs nothing: its writers'
    transactions begin with the database's write lock (``transaction_mode`` IMMEDIATE).
    """
    connection = connections[router.db_for_write(ReportingLine)]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SOLID_LINES_LOCK])


def validate_reporting_line(*, subordinate_id, superior_id, kind, exclude_pk=None, solid_lines=None) -> None:
    """Refuse a self-line, and a solid line that would close a cycle (naming the cycle).

    ``solid_lines`` (a ``SolidLines``) stands in for reading the lines from the database, when many
    lines are checked at once and all of them are already among those lines.
    """
    if subordinate_id is None or superior_id is None:
        return
    if subordinate_id == superior_id:
        raise ValidationError({"superior": _("A role cannot report to itself.")})
    if kind != ReportingLine.Kind.REPORTS_TO or (solid_lines is not None and solid_lines.acyclic):
        return
    serialise_solid_line_writes()
    if solid_lines is not None:
        edges = solid_lines.edges_without(exclude_pk)
    else:
        edges = (
            ReportingLine.objects.filter(kind=ReportingLine.Kind.REPORTS_TO)
            .exclude(pk=exclude_pk)
            .values_list("subordinate_id", "superior_id")
        )
    cycle = rules.find_cycle(edges, subordinate=subordinate_id, superior=superior_id)
    if cycle:
        titles = dict(Role.objects.filter(pk__in=cycle).values_list("pk", "title"))
        path = " → ".join(titles[pk] for pk in cycle)
        raise ValidationError(
            {"superior": _("This line would close a reporting cycle: %(path)s.") % {"path": path}},
            code="cycle",
        )
