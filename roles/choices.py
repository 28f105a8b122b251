"""The fixed lists a role's rows choose from: levels, contract bases, kinds of title, fact, qualification and line."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleLevel(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    SENIOR_LEADER = "senior_leader", _("Senior leader")
    DEPARTMENT_LEAD = "department_lead", _("Department lead")
    CLINICIAN = "clinician", _("Clinician")


class ContractBasis(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    FIXED_TERM = "fixed_term", _("Fixed term")
    LOCUM = "locum", _("Locum")
    SECONDMENT = "secondment", _("Secondment")


class TitleKind(models.TextChoices):
    PREFERRED = "preferred", _("Preferred title")
    ALTERNATIVE = "alternative", _("Alternative title")
    ABBREVIATION = "abbreviation", _("Abbreviation")


class FactKind(models.TextChoices):
    OVERVIEW = "overview", _("Overview")
    SCOPE = "scope", _("Scope and authority")
    COMPENSATION = "compensation", _("Compensation")


class QualificationKind(models.TextChoices):
    EDUCATION = "education", _("Education")
    LICENCE = "licence", _("Licence")
    CERTIFICATION = "certification", _("Certification")
    EXPERIENCE = "experience", _("Experience")
    SKILL = "skill", _("Skill")
    TRAIT = "trait", _("Personal trait")


class Requirement(models.TextChoices):
    REQUIRED = "required", _("Required")
    PREFERRED = "preferred", _("Preferred")


class LineKind(models.TextChoices):
    REPORTS_TO = "reports_to", _("Reports to (solid line)")
    DOTTED = "dotted", _("Dotted (functional) line")
    OVERSEES = "oversees", _("Overseen by")
    LIAISON = "liaison", _("Liaison")
