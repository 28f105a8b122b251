from django.shortcuts import render
from django.views.decorators.http import require_safe

from knowledge.access import kb_read_required

from .search import MAX_QUERY_LENGTH, SearchQueryError, search_knowledge_base

# Offered when a search finds nothing, and on the empty search page: one per language and kind.
SUGGESTIONS = ["CMO", "budget", "lege", "kvalitet", "quality of care", "medisinsk sjef"]


@require_safe
@kb_read_required
def search(request):
    """The search page: a box, and results grouped by role with the matching words highlighted."""
    raw = request.GET.get("q")
    context = {
        "query": (raw or "")[:MAX_QUERY_LENGTH],
        "max_length": MAX_QUERY_LENGTH,
        "suggestions": SUGGESTIONS,
        "results": None,
        "error": None,
    }
    status = 200
    if raw is not None:
        try:
            context["results"] = search_knowledge_base(raw, language=request.LANGUAGE_CODE)
        except SearchQueryError as error:
            context["error"] = error.message
            status = 400 if error.code == "too_long" else 200
    return render(request, "search/search_results.html", context, status=status)
