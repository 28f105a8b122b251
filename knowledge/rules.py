"""The knowledge base's invariants, each in one place.

Model ``clean()``, forms and API serializers all call these, so a rule cannot
drift between the pages, the admin and the API.
"""

import re
from collections import defaultdict, deque

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WHITESPACE = re.compile(r"\s+")
# Typographic and straight quotes count as the same character, so an editor can type either.
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
# One citation may quote several passages of the same source, joined by an ellipsis.
EXCERPT_SEPARATOR = "…"


# Characters no stored text may hold: those XML 1.0 forbids (C0 controls but tab and line breaks,
# U+FFFE/U+FFFF, lone surrogates — one in a title made the whole org chart SVG unreadable), NUL
# (PostgreSQL cannot store it), and the bidirectional overrides, embeddings and isolates that
# can make a title read differently from what it is (U+202A–U+202E, U+2066–U+2069).
_FORBIDDEN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def validate_plain_text(value: str) -> None:
    """Refuse text holding a character that cannot be shown or that changes how the text reads."""
    found = _FORBIDDEN_TEXT.search(value)
    if found is None:
        return
    character = found.group()
    code = f"U+{ord(character):04X}"
    if character in _BIDI_CONTROLS:
        message = _(
            "Remove the invisible text-direction character (%(code)s): it can make the text read "
            "differently from what it says."
        )
    else:
        message = _(
            "Remove the invisible control character (%(code)s); it cannot be shown or printed. "
            "Text pasted from a word processor often carries one."
        )
    raise ValidationError(message % {"code": code}, code="forbidden_character")


def normalize_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text.translate(_QUOTES)).strip()


def excerpt_passages(excerpt: str) -> list[str]:
    return [part for part in (normalize_whitespace(p) for p in excerpt.split(EXCERPT_SEPARATOR)) if part]


def excerpt_occurs_in(excerpt: str, text: str) -> bool:
    """True when every passage of ``excerpt`` occurs verbatim in ``text``, whitespace aside."""
    passages = excerpt_passages(excerpt)
    haystack = normalize_whitespace(text)
    return bool(passages) and all(passage in haystack for passage in passages)


def validate_citation(*, source, excerpt: str, editorial: bool) -> None:
    """A fact either cites a verbatim excerpt of its source or is marked editorial."""
    if source is None and excerpt.strip():
        raise ValidationError({"source": _("Choose the source this excerpt comes from.")})
    if source is not None and not excerpt.strip():
        raise ValidationError({"excerpt": _("Quote the passage of the source this fact comes from.")})
    if source is None and not editorial:
        raise ValidationError(
            {"editorial": _("A fact without a source must be marked as editorial (written by the team).")}
        )
    if source is not None and not excerpt_occurs_in(excerpt, source.text):
        raise ValidationError(
            {
                "excerpt": _("This excerpt does not occur in “%(source)s”. Quote the source word for word.")
                % {"source": source.title}
            }
        )


def find_cycle(edges, *, subordinate, superior) -> list | None:
    """Return the cycle a new solid line ``subordinate`` → ``superior`` would close, or None.

    ``edges`` is an iterable of existing solid lines as (subordinate, superior) pairs.
    The result starts and ends with ``subordinate``: [sub, superior, …, sub].
    """
    if subordinate == superior:
        return [subordinate, subordinate]
    up = defaultdict(list)
    for child, parent in edges:
        up[child].append(parent)
    # Breadth-first search upwards from the new superior; reaching the subordinate means a cycle.
    came_from = {superior: None}
    queue = deque([superior])
    while queue:
        node = queue.popleft()
        if node == subordinate:
            path = []
            while node is not None:
                path.append(node)
                node = came_from[node]
            return [subordinate, *reversed(path)]
        for parent in up[node]:
            if parent not in came_from:
                came_from[parent] = node
                queue.append(parent)
    return None


def has_cycle(edges) -> bool:
    """True when the directed graph of ``edges`` ((from, to) pairs) holds a cycle (Kahn's algorithm)."""
    edges = list(edges)
    onward = defaultdict(list)
    incoming: dict = defaultdict(int)
    nodes: set = set()
    for start, end in edges:
        onward[start].append(end)
        incoming[end] += 1
        nodes.update((start, end))
    ready = deque(node for node in nodes if not incoming[node])
    removed = 0
    while ready:
        node = ready.popleft()
        removed += 1
        for end in onward[node]:
            incoming[end] -= 1
            if not incoming[end]:
                ready.append(end)
    return removed < len(nodes)
