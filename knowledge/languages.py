"""The knowledge base's two content languages, and the one place that knows which fields are translated.

django-modeltranslation stores a translated field (``title``) as one column per language
(``title_en``, ``title_nb``); the plain name reads the active language's column.
"""

from django.conf import settings
from django.db.models import Model
from django.utils.translation import get_language, gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

# The content languages: every translated field has a column per code.
LANGUAGES = [("en", _("English")), ("nb", _("Norwegian Bokmål"))]
LANGUAGE_CODES = [code for code, _label in LANGUAGES]

LANGUAGE_NAMES = dict(LANGUAGES)


def translated_fields(model: type[Model] | Model) -> tuple[str, ...]:
    """The plain names of ``model``'s translated fields (empty for a model without any)."""
    try:
        return tuple(translator.get_options_for_model(model if isinstance(model, type) else type(model)).all_fields)
    except NotRegistered:
        return ()


def column(name: str, language: str) -> str:
    """The column of translated field ``name`` in one language: ``title``, ``nb`` → ``title_nb``."""
    return f"{name}_{language}"


def per_language(name: str) -> list[str]:
    """The columns of a translated field, one per language: ``title`` → ``title_en``, ``title_nb``."""
    return [column(name, code) for code in LANGUAGE_CODES]


def split_language(column: str, model: type[Model]) -> tuple[str, str | None]:
    """``title_nb`` → (``title``, ``nb``) for a translated field's column; anything else → (column, None)."""
    base, _sep, code = column.rpartition("_")
    if code in LANGUAGE_NAMES and base in translated_fields(model):
        return base, code
    return column, None


def active_language() -> str:
    """The language code of the request (or of ``translation.override``), without any region."""
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def other_languages(language: str) -> list[str]:
    return [code for code in LANGUAGE_CODES if code != language]


def reading_order(language: str) -> list[str]:
    """``language`` first, then the others: the order in which a reader's text is looked for."""
    return [language, *other_languages(language)]


def localized_with_language(obj: object, name: str, language: str) -> tuple[str, str]:
    """``obj``'s text for field ``name`` in ``language``, else in the other language, else empty;
    with the language the text is in (``language`` when there is none).

    ``obj`` may be a model instance or a historical record (which has the columns, not the plain name).
    """
    for code in reading_order(language):
        value = getattr(obj, column(name, code), None)
        if value:
            return value, code
    return "", language


def localized(obj: object, name: str, language: str) -> str:
    """``obj``'s text for field ``name`` in ``language``, else in the other language, else empty."""
    return localized_with_language(obj, name, language)[0]
