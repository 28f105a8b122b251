"""A source as its readers see it: its sentences, the facts that cite each, and its coverage.

Read in a fixed number of queries: the sources, then one query per kind of citing row (for all
the sources at once), whatever the number of sources, sentences or citations.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from knowledge.citations import citing_models
from knowledge.contents import references
from knowledge.models import Cited, Source

from . import text as t
from .links import fix_url, owner_role
from .models import SentenceMark


@dataclass
class Citation:
    """One row citing a source: what it is, whose, where it is fixed, and where its passages lie."""

    number: int
    row: Cited
    spans: list[tuple[int, int]]
    url: str
    role: object = None

    @property
    def kind(self) -> str:
        return str(self.row._meta.verbose_name)

    @property
    def matches(self) -> bool:
        return bool(self.spans)


@dataclass
class SourceReading:
    source: Source
    sentences: list[t.Sentence]
    citations: list[Citation] = field(default_factory=list)
    marks: list[SentenceMark] = field(default_factory=list)

    @property
    def covered(self) -> int:
        return sum(1 for sentence in self.sentences if sentence.covered)

    @property
    def coverage(self) -> float:
        """Share of the sentences cited or marked, 0–1 (a text without sentences counts as covered)."""
        return self.covered / len(self.sentences) if self.sentences else 1.0

    @property
    def percent(self) -> int:
        # Floor, so a source shows 100 % only when every sentence is covered.
        return int(self.coverage * 100)

    @property
    def uncovered(self) -> list[t.Sentence]:
        return [sentence for sentence in self.sentences if not sentence.covered]

    def paragraphs(self) -> list[list[tuple[str, object]]]:
        """The text line by line, each line as pieces: ("text", str) between sentences, ("sentence", Sentence)."""
        text = self.source.text
        by_start = {sentence.start: sentence for sentence in self.sentences}
        lines: list[list[tuple[str, object]]] = []
        offset = 0
        for line in text.splitlines(keepends=True):
            end = offset + len(line.rstrip("\r\n"))
            pieces: list[tuple[str, object]] = []
            position = offset
            while position < end:
                sentence = by_start.get(position)
                if sentence is not None:
                    pieces.append(("sentence", sentence))
                    position = sentence.end
                    continue
                following = min((s for s in by_start if position < s < end), default=end)
                pieces.append(("text", text[position:following]))
                position = following
            if any(kind == "sentence" or str(value).strip() for kind, value in pieces):
                lines.append(pieces)
            offset += len(line)
        return lines

    def pieces_of(self, sentence: t.Sentence) -> list[tuple[str, list[Citation], list[Citation]]]:
        """A sentence cut where citations begin and end: (text, citations covering it, citations ending with it)."""
        cuts = {sentence.start, sentence.end}
        for citation in sentence.cited_by:
            for start, end in citation.spans:
                cuts.update(point for point in (start, end) if sentence.start < point < sentence.end)
        points = sorted(cuts)
        pieces = []
        for start, end in zip(points, points[1:], strict=False):
            covering = [c for c in sentence.cited_by if any(s < end and start < e for s, e in c.spans)]
            ending = [c for c in covering if any(e == end or (e > end == sentence.end) for _s, e in c.spans)]
            pieces.append((self.source.text[start:end], covering, ending))
        return pieces


def _citing_rows(sources: list[Source]) -> dict[int, list[Cited]]:
    rows: dict[int, list[Cited]] = defaultdict(list)
    for model in citing_models(Source):
        if model is SentenceMark:
            continue
        owners = [name for name in references(model) if name != "source"]
        queryset = model._default_manager.filter(source__in=sources).exclude(excerpt="").select_related(*owners)
        for row in queryset.order_by("pk"):
            rows[row.source_id or 0].append(row)
    return rows


def _marks(sources: list[Source]) -> dict[int, list[SentenceMark]]:
    marks: dict[int, list[SentenceMark]] = defaultdict(list)
    for mark in SentenceMark.objects.filter(source__in=sources).order_by("pk"):
        marks[mark.source_id or 0].append(mark)
    return marks


def read_sources(sources: QuerySet[Source] | list[Source]) -> list[SourceReading]:
    sources = list(sources)
    rows, marks = _citing_rows(sources), _marks(sources)
    return [_reading(source, rows[source.pk], marks[source.pk]) for source in sources]


def read_source(source: Source) -> SourceReading:
    return read_sources([source])[0]


def _reading(source: Source, rows: list[Cited], marks: list[SentenceMark]) -> SourceReading:
    sentences = t.sentences(source.text, source.language)
    reading = SourceReading(source=source, sentences=sentences, marks=marks)
    for number, row in enumerate(rows, 1):
        spans = t.passage_spans(row.excerpt, source.text)
        citation = Citation(number=number, row=row, spans=spans, url=fix_url(row), role=owner_role(row))
        reading.citations.append(citation)
        for start, end in spans:
            for sentence in t.overlapping(sentences, start, end):
                if citation not in sentence.cited_by:
                    sentence.cited_by.append(citation)
    for mark in marks:
        # A mark covers whole sentences only: "close" marked must not cover "working closely".
        for start, end in t.passage_spans(mark.excerpt, source.text):
            for sentence in t.overlapping(sentences, start, end):
                if start <= sentence.start and sentence.end <= end and mark not in sentence.marks:
                    sentence.marks.append(mark)
    for sentence in sentences:
        sentence.pieces = reading.pieces_of(sentence)
    return reading
