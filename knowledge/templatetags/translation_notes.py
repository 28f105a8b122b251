"""``{% translation_note row "text" %}``: a text that may be out of date, or that stands in for another language.

Reads only values already loaded on the row (a deferred column is not fetched), so a list of
rows costs no extra query.
"""

from django import template
from django.template.loader import render_to_string

from knowledge.languages import LANGUAGE_NAMES, active_language, column, other_languages

register = template.Library()
NOTE = "knowledge/_translation_note.html"


def _name_in_text(code: str) -> str:
    """A language's name inside a sentence: Norwegian writes language names in lower case."""
    name = str(LANGUAGE_NAMES.get(code, ""))
    return name.lower() if active_language() == "nb" else name


def _loaded(row, name: str) -> str:
    return row.__dict__.get(name) or ""


@register.simple_tag
def translation_note(row, field: str = "text", editor: bool = False) -> str:
    """For readers, about the language of the page; for editors (``editor=True``), about either language.

    Most rows have nothing to say: they cost a few lookups, not a template of their own (the role page
    asks once per fact, duty and qualification).
    """
    language = active_language()
    stale = _loaded(row, "stale_translation")
    if editor:
        if not stale:
            return ""
        return render_to_string(NOTE, {"stale": stale, "stale_name": LANGUAGE_NAMES.get(stale, ""), "editor": True})
    own = _loaded(row, column(field, language))
    standing_in = ""
    if not own and column(field, language) in row.__dict__:
        standing_in = next((code for code in other_languages(language) if _loaded(row, column(field, code))), "")
    stale = stale if own and stale == language else ""
    if not (stale or standing_in):
        return ""
    note = {
        "stale": stale,
        "changed_name": _name_in_text(next(iter(other_languages(language)), "")),
        "standing_in": standing_in,
        "standing_in_name": _name_in_text(standing_in),
        "editor": False,
    }
    return render_to_string(NOTE, note)
