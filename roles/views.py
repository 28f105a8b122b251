from itertools import groupby

from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import queries
from .access import kb_read_required
from .jsonld import jsonld_script, role_occupation
from .models import Qualification, ReportingLine, Role


@require_safe
@kb_read_required
def directory(request):
    roles = list(queries.roles_for_directory())
    levels = [(Role.Level(level).label, list(group)) for level, group in groupby(roles, key=lambda r: r.level)]
    return render(request, "roles/role_list.html", {"roles": roles, "levels": levels})


@require_safe
@kb_read_required
def detail(request, slug):
    role = queries.role_with_everything(slug)
    duties = list(role.duties.all())
    qualifications = list(role.qualifications.all())
    lines_up = list(role.lines_up.all())
    lines_down = list(role.lines_down.all())
    titles = list(role.titles.all())
    facts = list(role.facts.all())
    language = request.LANGUAGE_CODE
    context = {
        "role": role,
        "facts": facts,
        "titles": [t for t in titles if t.language == language],
        "other_titles": [t for t in titles if t.language != language],
        "duty_groups": [(category, list(group)) for category, group in groupby(duties, key=lambda d: d.category)],
        "required": [q for q in qualifications if q.requirement == Qualification.Requirement.REQUIRED],
        "preferred": [q for q in qualifications if q.requirement == Qualification.Requirement.PREFERRED],
        "reports_to": [line for line in lines_up if line.kind == ReportingLine.Kind.REPORTS_TO],
        "other_lines_up": [line for line in lines_up if line.kind != ReportingLine.Kind.REPORTS_TO],
        "direct_reports": [line for line in lines_down if line.kind == ReportingLine.Kind.REPORTS_TO],
        "other_lines_down": [line for line in lines_down if line.kind != ReportingLine.Kind.REPORTS_TO],
        "sources": queries.cited_sources([role], titles, facts, duties, qualifications, lines_up, lines_down),
        "jsonld": jsonld_script(role_occupation(role, url=request.build_absolute_uri(role.get_absolute_url()))),
    }
    return render(request, "roles/role_detail.html", context)
