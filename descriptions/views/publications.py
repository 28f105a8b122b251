"""A role's publications as records: the list, each as it was published, and any two compared."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from governance import diff, queries
from governance.models import ReviewEvent
from knowledge.access import kb_read_required
from roles.models import Role

from .review import sheet_context


@require_safe
@kb_read_required
def publication_list(request, slug):
    role = get_object_or_404(Role, slug=slug)
    publications = list(queries.publications_of(role))
    context = {
        "role": role,
        "publications": publications,
        "events": ReviewEvent.objects.filter(role=role).select_related("user")[:50]
        if request.user.is_authenticated
        else [],
    }
    return render(request, "governance/publication_list.html", context)


@require_safe
@kb_read_required
def publication_detail(request, slug, number):
    role = get_object_or_404(Role, slug=slug)
    publication = queries.publication(role, number)
    if publication is None:
        raise Http404
    context = sheet_context(request, publication.snapshot) | {"publication": publication}
    return render(request, "descriptions/role_detail.html", context)


@require_safe
@kb_read_required
def publication_compare(request, slug):
    role = get_object_or_404(Role, slug=slug)
    numbers = list(queries.publications_of(role).values_list("number", flat=True))
    error = None
    older = newer = differences = None
    pair: tuple[int, int] | None = None
    try:
        pair = int(request.GET.get("from", "")), int(request.GET.get("to", ""))
    except ValueError:
        error = bool(request.GET) or None
    if pair is not None:
        first, second = pair
        older, newer = queries.publication(role, min(first, second)), queries.publication(role, max(first, second))
        if older is None or newer is None:
            error = True
        else:
            differences = diff.compare(older.snapshot, newer.snapshot)
    context = {
        "role": role,
        "numbers": numbers,
        "older": older,
        "newer": newer,
        "differences": differences,
        "error": error,
    }
    return render(request, "governance/publication_compare.html", context, status=400 if error else 200)
