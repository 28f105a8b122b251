"""What a search is for: the query cleaned up, its words, and the limits on both."""

import re

from django.utils.translation import gettext, ngettext

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

WORD = re.compile(r"\w+")


class SearchQueryError(ValueError):
    """The query cannot be searched for; ``message`` says why in words a reader understands."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def clean_query(raw: str | None) -> str:
    """The query with whitespace collapsed, or SearchQueryError when it is blank, too long or wordless."""
    query = " ".join((raw or "").split())
    if not query:
        raise SearchQueryError("blank", gettext("Type a word or two to search for, such as a title or a duty."))
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            "too_long",
            ngettext(
                "Your search is too long: use at most %(max)d character.",
                "Your search is too long: use at most %(max)d characters.",
                MAX_QUERY_LENGTH,
            )
            % {"max": MAX_QUERY_LENGTH},
        )
    if not search_terms(query):
        raise SearchQueryError("no_words", gettext("Search for words: letters or digits."))
    return query


def search_terms(query: str) -> list[str]:
    """The distinct words of the query, lower-cased, at most MAX_TERMS of them."""
    terms: list[str] = []
    for word in WORD.findall(query.casefold()):
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]
