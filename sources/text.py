"""A source's text as sentences, and where in it each cited passage lies.

Coverage counts sentences, so the text is cut into them once, the same way everywhere: line by
line (a heading or a list item is a sentence of its own), and within a line by pysbd's rule-based
sentence boundaries (Danish rules for Norwegian, the closest language it knows). A line holding
no letter or digit (a lone bullet) is no sentence.

Excerpts match a source whitespace and quote style aside (``knowledge.rules``), so finding a
passage searches the normalised text and maps the match back to the original characters.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import pysbd

from knowledge.rules import _QUOTES, excerpt_passages

SEGMENTER_LANGUAGE = {"en": "en", "nb": "da"}


@dataclass
class Sentence:
    number: int  # 1, 2, … in reading order: the sentence's anchor (#s-<number>) and form value
    start: int
    end: int
    text: str
    cited_by: list = field(default_factory=list)  # the rows whose excerpt touches this sentence
    marks: list = field(default_factory=list)  # "states nothing about a role" marks on it
    pieces: list = field(default_factory=list)  # the text cut where citations begin and end (for display)

    @property
    def covered(self) -> bool:
        return bool(self.cited_by or self.marks)


@lru_cache(maxsize=2)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=SEGMENTER_LANGUAGE.get(language, "en"), clean=False, char_span=True)


@lru_cache(maxsize=32)
def _split(text: str, language: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if any(ch.isalnum() for ch in line):
            for piece in _segmenter(language).segment(line):
                start, end = _trim(line, piece.start, piece.end)
                if any(ch.isalnum() for ch in line[start:end]):
                    spans.append((offset + start, offset + end))
        offset += len(line)
    return tuple(spans)


_BULLETS = set("•‣◦▪·*-–—")


def _trim(line: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace, nor the bullet of a list item."""
    while start < end and (line[start].isspace() or line[start] in _BULLETS):
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str, language: str) -> list[Sentence]:
    """The sentences of ``text``, numbered from 1, with their character offsets."""
    return [Sentence(n, start, end, text[start:end]) for n, (start, end) in enumerate(_split(text, language), 1)]


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` with whitespace runs as one space and quotes straight, and where each character came from."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text.translate(_QUOTES)):
        if char.isspace():
            if not chars or chars[-1] == " ":
                continue
            char = " "
        chars.append(char)
        offsets.append(index)
    return "".join(chars), offsets


def passage_spans(excerpt: str, text: str) -> list[tuple[int, int]]:
    """Where each passage of ``excerpt`` occurs in ``text`` (every occurrence), as (start, end) offsets."""
    normalised, offsets = _normalised_with_offsets(text)
    spans = []
    for passage in excerpt_passages(excerpt):
        at = normalised.find(passage)
        while at != -1:
            spans.append((offsets[at], offsets[at + len(passage) - 1] + 1))
            at = normalised.find(passage, at + 1)
    return spans


def overlapping(sentence_list: list[Sentence], start: int, end: int) -> list[Sentence]:
    return [s for s in sentence_list if s.start < end and start < s.end]
