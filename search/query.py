"""What a search looks for: the query's words in every form and synonym, the same on every database.

The words of the query become *units*: a phrase of the thesaurus ("medisinsk sjef") or one word.
A row matches when it matches every unit, and a unit matches through any of its alternatives: the
word itself (and, on SQLite, the words it begins), its English and Norwegian stems (snowball), the
nearest word of the knowledge base when it is misspelt, and every term of a thesaurus entry it
belongs to. Question words and other stop words are dropped when other words remain, so "who
manages the budget" searches for "manages budget".
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

from .models import ThesaurusEntry, split_terms
from .terms import WORD

STOP_WORDS = frozenset(
    # English
    "a an and are as at be by do does for from has have how i in is it of on or the to was what when where which"
    " who whom whose why with"
    # Norwegian (bokmål)
    " av de dem den der det du eller en er et for fra har hva hvem hvilken hvilke hvor hvordan hvorfor i jeg med"
    " og om på som til var".split()
)
# Matches counted per kind; past it the page says "more than".
COUNTED_MATCHES = 1000
# Words that ask rather than say what is looked for ("who is responsible for …").
QUESTION_WORDS = frozenset("who what which whom hvem hva hvilken hvilke".split())
# Words a question about duties wraps its subject in: dropped like stop words when others remain.
ASKING_WORDS = frozenset(
    "responsible responsibility charge handles handle does ansvar ansvarlig ansvaret har gjør tar seg".split()
)
_STEMMERS = {language: snowballstemmer.stemmer(language) for language in ("english", "norwegian")}


@lru_cache(maxsize=4096)
def stems(word: str) -> tuple[str, ...]:
    """The word's English and Norwegian stems that differ from it ("budgets" → "budget")."""
    found = []
    for stemmer in _STEMMERS.values():
        stem = stemmer.stemWord(word)
        if stem != word and len(stem) >= 3 and stem not in found:
            found.append(stem)
    return tuple(found)


def forms_of(stem: str, words: list[str], count: int) -> list[str]:
    """The first ``count`` of the words that are forms of the stem: an English or Norwegian stem of theirs is it.

    A stem's longer words are not all its forms: "diagnos" (of "diagnose") begins "diagnoses" and
    "diagnoser", but also "diagnostics", another word.
    """
    return [word for word in words if word == stem or stem in stems(word)][:count]


# How alike a misspelt word and a word of the knowledge base must be to stand for it (difflib's
# ratio): "chif"/"chief" 0.89, "medcal"/"medical" 0.92, "budegt"/"budget" 0.83.
SIMILARITY = 0.75


def nearest(term: str, candidates: list[str]) -> str | None:
    """The candidate most like the term (the shorter of two as like), if like enough."""
    best, best_ratio = None, SIMILARITY
    for word in dict.fromkeys(candidates):
        if word == term:
            continue
        ratio = SequenceMatcher(None, term, word).ratio()
        if ratio > best_ratio or (ratio == best_ratio and best is not None and len(word) < len(best)):
            best, best_ratio = word, ratio
    return best


def same_word(typed: str, word: str) -> bool:
    """Whether two words are one, or forms of one ("earn" and "earnings", "lønnen" and "lønn")."""
    return typed == word or bool({typed, *stems(typed)} & {word, *stems(word)})


@dataclass
class Unit:
    """One thing every match has: a word or phrase of the query, and what may stand for it."""

    text: str
    alternatives: list[tuple[str, ...]] = field(default_factory=list)  # each a phrase of words
    synonyms: list[str] = field(default_factory=list)  # from the thesaurus, for highlighting

    def searched(self, synonyms: bool = True) -> list[tuple[str, ...]]:
        """The alternatives, or without ``synonyms`` those that are no thesaurus synonym."""
        if synonyms:
            return self.alternatives
        return [phrase for phrase in self.alternatives if not self.is_synonym(phrase)]

    def is_synonym(self, phrase: tuple[str, ...]) -> bool:
        """Whether the alternative is a thesaurus synonym rather than the words as typed, a form or a fix."""
        return " ".join(phrase) in self.synonyms

    @property
    def words(self) -> list[str]:
        return [word for phrase in self.alternatives for word in phrase]


def is_question(terms: list[str]) -> bool:
    return bool(terms) and terms[0] in QUESTION_WORDS


def content_terms(terms: list[str]) -> list[str]:
    """The terms without stop words (in a question, the words it asks with), unless nothing is left."""
    dropped = STOP_WORDS | ASKING_WORDS if is_question(terms) else STOP_WORDS
    # A single letter goes too: it is usually left over from markup or an initial ("<b>budget</b>").
    kept = [term for term in terms if term not in dropped and len(term) > 1]
    return kept or terms


def thesaurus() -> list[list[tuple[str, ...]]]:
    """Every entry of the thesaurus as its terms, each a tuple of words. One query."""
    entries = []
    for text in ThesaurusEntry.objects.values_list("terms", flat=True):
        phrases = [tuple(WORD.findall(term)) for term in split_terms(text)]
        entries.append([phrase for phrase in phrases if phrase])
    return entries


def units(terms: list[str], entries: list[list[tuple[str, ...]]]) -> list[Unit]:
    """The query's words as units: thesaurus phrases first (longest match), then single words."""
    found: list[Unit] = []
    position = 0
    while position < len(terms):
        best: tuple[int, list[tuple[str, ...]]] | None = None
        for entry in entries:
            for phrase in entry:
                length = len(phrase)
                typed = terms[position : position + length]
                if len(typed) == length and all(map(same_word, typed, phrase)) and (best is None or length > best[0]):
                    best = (length, entry)
        if best:
            length, entry = best
            phrase = tuple(terms[position : position + length])
            others = [other for other in entry if other != phrase]
            unit = Unit(" ".join(phrase), [phrase], [" ".join(other) for other in others])
            unit.alternatives.extend(others)
            if length == 1:
                unit.alternatives.extend((stem,) for stem in stems(phrase[0]))
            found.append(unit)
            position += length
            continue
        term = terms[position]
        found.append(Unit(term, [(term,), *((stem,) for stem in stems(term))]))
        position += 1
    return found


def add_alternatives(found: list[Unit], alternatives: dict[str, list[str]]) -> None:
    """Add the word list's alternatives (longer forms, corrections) of single-word units."""
    for unit in found:
        for word in alternatives.get(unit.text, []):
            if (word,) not in unit.alternatives:
                unit.alternatives.append((word,))
