"""Adding a source and marking its passages, through the knowledge base's write layer."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from knowledge import services
from knowledge.models import Source

from .extract import check_text, normalise
from .models import SentenceMark


def unique_slug(title: str) -> str:
    base = (slugify(title)[:70].strip("-")) or "source"
    slug, n = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _stored_copy(text: str) -> Source | None:
    """A stored source with this text, as stored or once normalised (older sources were stored as shipped)."""
    twin = Source.objects.filter(checksum=Source.checksum_of(text)).first()
    if twin is None:
        stored = Source.objects.only("pk", "slug", "title", "text").iterator()
        twin = next((source for source in stored if normalise(source.text) == text), None)
    return twin


def source_add(*, title: str, language: str, text: str, user, origin: str = "", date=None, slug: str = "") -> Source:
    """A new source with its normalised text; refuses empty text and a copy of a source already stored."""
    text = normalise(text)
    try:
        check_text(text)
    except ValidationError as error:
        raise ValidationError({"text": error.messages}) from error
    twin = _stored_copy(text)
    if twin is not None:
        raise ValidationError(
            {
                "text": _("This text is stored already, as “%(title)s” (%(slug)s).")
                % {"title": twin.title, "slug": twin.slug}
            }
        )
    data = {"slug": slug or unique_slug(title), "title": title, "language": language, "text": text}
    data |= {"origin": origin, "date": date}
    return services.content_create(model=Source, data=data, user=user, reason=_("Source added"))


def mark_add(*, source: Source, excerpt: str, reason_en: str, reason_nb: str, user) -> SentenceMark:
    data = {"source": source, "excerpt": excerpt, "reason_en": reason_en, "reason_nb": reason_nb}
    return services.content_create(model=SentenceMark, data=data, user=user, reason=_("Marked as stating nothing"))


def mark_remove(*, mark: SentenceMark, user, expected_version: int | None) -> None:
    services.content_delete(instance=mark, user=user, expected_version=expected_version)
