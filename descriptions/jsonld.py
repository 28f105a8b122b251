"""A role as schema.org ``Occupation`` in JSON-LD, for search engines and knowledge graphs.

Built from a role loaded with ``sheet.role_with_everything`` (no further queries),
in the active language. Used by the API and embedded in the role page.
"""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from knowledge.languages import active_language
from roles.models import Qualification, Role, RoleTitle

ISCO_08 = {
    "@type": "DefinedTermSet",
    "name": "International Standard Classification of Occupations (ISCO-08)",
    "url": "https://www.ilo.org/public/english/bureau/stat/isco/isco08/",
}

# Which qualification kinds feed which Occupation property.
SKILL_KINDS = {Qualification.Kind.SKILL, Qualification.Kind.TRAIT}
EDUCATION_KINDS = {Qualification.Kind.EDUCATION, Qualification.Kind.LICENCE, Qualification.Kind.CERTIFICATION}


def role_occupation(role: Role, *, url: str) -> dict:
    language = active_language()
    titles = list(role.titles.all())
    qualifications = list(role.qualifications.all())
    alternate = [t.title for t in titles if t.language == language and t.kind != RoleTitle.Kind.PREFERRED]
    if role.abbreviation and role.abbreviation not in alternate:
        alternate.append(role.abbreviation)
    data = {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "@id": url,
        "url": url,
        "identifier": role.slug,
        "name": role.title,
        "alternateName": alternate,
        "description": role.description or role.summary,
        "inLanguage": language,
        "occupationalCategory": [
            {
                "@type": "CategoryCode",
                "codeValue": code,
                "inCodeSet": ISCO_08,
            }
            for code in role.occupation_code_list
        ],
        "responsibilities": [duty.title for duty in role.duties.all()],
        "qualifications": [q.text for q in qualifications if q.kind not in SKILL_KINDS],
        "skills": [q.text for q in qualifications if q.kind in SKILL_KINDS],
        "educationRequirements": [
            {
                "@type": "EducationalOccupationalCredential",
                "credentialCategory": q.get_kind_display(),
                "description": q.text,
            }
            for q in qualifications
            if q.kind in EDUCATION_KINDS
        ],
        "experienceRequirements": [
            {
                "@type": "OccupationalExperienceRequirements",
                "description": q.text,
                **({"monthsOfExperience": q.minimum_years * 12} if q.minimum_years else {}),
            }
            for q in qualifications
            if q.kind == Qualification.Kind.EXPERIENCE
        ],
    }
    return data


_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def jsonld_script(data: dict) -> str:
    """``<script type="application/ld+json">`` with the JSON escaped so no text can end the element."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
