from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from knowledge.access import kb_read_required

from .search import KINDS, MAX_PAGE, MAX_QUERY_LENGTH, SearchQueryError, search_knowledge_base
from .sections import sections

# Offered when a search finds nothing, and on the empty search page: one per language and kind.
SUGGESTIONS = ["CMO", "budget", "lege", "kvalitet", "salary", "medisinsk sjef", "who manages the budget"]
# Matches of each kind on the overview (each kind says how many match and links to all of them), and
# on a page of one kind.
OVERVIEW_SIZE = 10
PAGE_SIZE = 25


@require_safe
@kb_read_required
def search(request):
    """The search page: a box, results grouped by role with the matching words highlighted, counts per kind.

    ``?kind=duty`` (any kind) shows every match of one kind, ``page`` by page.
    """
    raw = request.GET.get("q")
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else None
    page_text = request.GET.get("page", "1")
    page = int(page_text) if page_text.isascii() and page_text.isdigit() else 1
    context = {
        "query": (raw or "")[:MAX_QUERY_LENGTH],
        "max_length": MAX_QUERY_LENGTH,
        "suggestions": SUGGESTIONS,
        "results": None,
        "sections": [],
        "error": None,
    }
    status = 200
    if raw is not None:
        try:
            results = search_knowledge_base(
                raw,
                language=request.LANGUAGE_CODE,
                limit=PAGE_SIZE if kind else OVERVIEW_SIZE,
                kind=kind,
                page=min(max(page, 1), MAX_PAGE),
            )
        except SearchQueryError as error:
            context["error"] = error.message
            status = 400 if error.code == "too_long" else 200
        else:
            if results.past_the_last_page:
                raise Http404("No matches on this page.")
            context["results"] = results
            context["sections"] = sections(results)
    return render(request, "search/search_results.html", context, status=status)
