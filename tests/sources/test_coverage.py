"""Sentences, where citations lie in them, and coverage — the shipped sources are fully covered."""

import pytest

from knowledge import services
from knowledge.models import Source
from responsibilities.models import Duty, DutyCategory
from roles.models import Role
from sources import text as t
from sources.models import SentenceMark
from sources.reading import read_source


def test_text_is_cut_into_sentences_line_by_line():
    sentences = t.sentences("Heading\n\n  • First one. Second one.\n•\n", "en")
    assert [s.text for s in sentences] == ["Heading", "First one.", "Second one."]
    assert [s.number for s in sentences] == [1, 2, 3]


def test_a_passage_is_found_whatever_its_whitespace_and_quotes():
    text = "He said “hello”\n   to   the board. Then left."
    spans = t.passage_spans('said "hello" to the board', text)
    assert [text[start:end] for start, end in spans] == ["said “hello”\n   to   the board"]


@pytest.mark.parametrize("slug", ["associate-chief-medical-officer", "hva-gjor-en-medisinsk-sjef"])
def test_the_shipped_sources_are_fully_covered(kb, slug):
    reading = read_source(Source.objects.get(slug=slug))
    assert reading.sentences
    assert [s.text for s in reading.uncovered] == []
    assert reading.percent == 100
    assert all(citation.matches for citation in reading.citations)


def _new_source(editor, text="The head of surgery leads surgery. She chairs the theatre committee. Close."):
    return services.content_create(
        model=Source, data={"slug": "surgery", "title": "Surgery", "language": "en", "text": text}, user=editor
    )


def test_coverage_rises_with_a_citation_and_a_mark(kb, editor):
    source = _new_source(editor)
    assert read_source(source).percent == 0
    role = Role.objects.get(slug="medical-director")
    category = DutyCategory.objects.first()
    data = {
        "role": role,
        "category": category,
        "title_en": "Leads surgery",
        "title_nb": "Leder kirurgi",
        "source": source,
        "excerpt": "leads surgery",
    }
    services.content_create(model=Duty, data=data, user=editor)
    reading = read_source(source)
    assert (reading.covered, len(reading.sentences)) == (1, 3)
    assert reading.sentences[0].pieces == [
        ("The head of surgery ", [], []),
        ("leads surgery", reading.citations, reading.citations),
        (".", [], []),
    ]
    data = {"source": source, "excerpt": "Close.", "reason_en": "A button.", "reason_nb": "En knapp."}
    services.content_create(model=SentenceMark, data=data, user=editor)
    assert read_source(source).covered == 2


def test_a_mark_covers_whole_sentences_only(kb, editor):
    source = _new_source(editor, "Close. They work closely together.")
    services.content_create(
        model=SentenceMark, data={"source": source, "excerpt": "Close", "reason_en": "A button."}, user=editor
    )
    reading = read_source(source)
    assert [s.covered for s in reading.sentences] == [False, False]


def test_a_source_correction_that_would_lose_a_mark_is_refused_listing_it(kb, editor):
    source = _new_source(editor)
    services.content_create(
        model=SentenceMark, data={"source": source, "excerpt": "Close.", "reason_en": "A button."}, user=editor
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.content_update(instance=source, data={"text": "Nothing else."}, user=editor, expected_version=1)
    assert any("Close." in message for message in refused.value.messages)


def test_a_mark_needs_a_reason(kb, editor):
    from django.core.exceptions import ValidationError

    source = _new_source(editor)
    with pytest.raises(ValidationError, match="Say why"):
        services.content_create(model=SentenceMark, data={"source": source, "excerpt": "Close."}, user=editor)
