"""The benchmark's floor view (routed only when ``KB_BENCH_FLOOR`` is on; see docs/performance.md)."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

_FLOOR_BODIES: dict[int, bytes] = {}


@require_safe
def floor(request):
    """The benchmark's floor: the cheapest Django response of a given size (``?bytes=N``, at most 4 MB).

    Routed only when ``KB_BENCH_FLOOR`` is on (``make bench`` turns it on for its own server); it goes
    through the same middleware as every page, so the gap between it and a real endpoint is the cost
    of that endpoint's own work.
    """
    try:
        size = min(max(int(request.GET.get("bytes", "0")), 0), 4 * 1024 * 1024)
    except ValueError:
        return JsonResponse({"error": "bytes must be a whole number"}, status=400)
    body = _FLOOR_BODIES.get(size)
    if body is None:
        body = _FLOOR_BODIES.setdefault(size, b"x" * size)
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
