"""The health page and its API: editors see what the knowledge base lacks and where to fix it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import checks

EDITOR_PERMISSION = "knowledge.change_source"


@require_safe
@login_required
def health_page(request):
    if not request.user.has_perm(EDITOR_PERMISSION):
        raise PermissionDenied
    sections = checks.health()
    context = {"sections": sections, "shares": checks.editorial_share(), "problems": sum(s.total for s in sections)}
    return render(request, "sources/health.html", context)
