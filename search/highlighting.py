"""Which words of a text match the query, and the text cut to a snippet with those words marked."""

import html
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

from .terms import WORD

SNIPPET_LENGTH = 240


def word_matches(word: str, terms: list[str]) -> bool:
    """Whether a word of a text is, or is a form or near-spelling of, one of the query's terms.

    Mirrors what the database matched: words the term begins or holds, and shared stems
    ("lege" / "legen"). A misspelt term is marked through its correction, which the terms include.
    """
    return _word_matches(word.casefold(), tuple(terms))


def forget_words() -> None:
    """Start a search afresh: drop what earlier searches worked out about their words."""
    _word_matches.cache_clear()


@lru_cache(maxsize=4096)
def _word_matches(word: str, terms: tuple[str, ...]) -> bool:
    # Texts repeat their words and a page highlights hundreds of them: each (word, query) is
    # worked out once per search (search_knowledge_base forgets them as it starts).
    for term in terms:
        if len(term) < 3:
            if word.startswith(term):
                return True
            continue
        if term in word:
            return True
        if word[:3] != term[:3]:  # most words: no shared beginning of three letters, nothing more to see
            continue
        prefix = len(_common_prefix(word, term))
        if prefix >= 3 and prefix >= min(len(word), len(term)) - 2:
            return True
    return False


def _common_prefix(a: str, b: str) -> str:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return a[:length]


def matched_terms(text: str, terms: list[str]) -> set[str]:
    """The terms that some word of the text matches."""
    words = {word.casefold() for word in WORD.findall(text)}
    return {term for term in terms if any(_word_matches(word, (term,)) for word in words)}


def has_match(text: str, terms: list[str]) -> bool:
    searched = tuple(terms)
    return any(_word_matches(word.casefold(), searched) for word in WORD.findall(text))


def snippet(text: str, terms: list[str], length: int = SNIPPET_LENGTH) -> str:
    """A long text cut down to a window around its first match, with ellipses."""
    if len(text) <= length:
        return text
    searched = tuple(terms)
    first = next((m.start() for m in WORD.finditer(text) if _word_matches(m.group().casefold(), searched)), 0)
    start = max(0, first - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    return ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")


def highlight(text: str, terms: list[str]) -> SafeString:
    """The text escaped, with every matching word wrapped in ``<mark>``: safe to put in a page as is."""
    # html.escape is what django.utils.html.escape calls, without its lazy-string wrapper (a page
    # of results escapes thousands of pieces).
    parts, last = [], 0
    searched = tuple(terms)
    for found in WORD.finditer(text):
        if _word_matches(found.group().casefold(), searched):
            parts.append(html.escape(text[last : found.start()]))
            parts.append(f"<mark>{html.escape(found.group())}</mark>")
            last = found.end()
    parts.append(html.escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the text was escaped above
