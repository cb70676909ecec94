"""The unit of work that flows through the stages: one article and what the
stages found in it so far."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from eventledger.models import Article, Claim, Event, Evidence, Figure, Place, When

__all__ = ["Document", "Failure", "Mention"]


@dataclass(slots=True)
class Failure:
    """A stage that gave up on this document, and why."""

    stage: str
    message: str


@dataclass(slots=True)
class Mention:
    """A resolved date or place mention, anchored in the text, for later stages."""

    start: int
    end: int
    value: When | Place
    sentence: int  # index into Document.sentences


@dataclass(slots=True)
class Sentence:
    start: int  # char offset in the cleaned text
    end: int
    span: Any  # the spaCy Span; offsets inside it are relative to `offset`
    offset: int  # char offset of the paragraph the span belongs to
    paragraph: int


@dataclass(slots=True)
class Document:
    article: Article
    # Filled by the annotate stage: one spaCy Doc per paragraph, with the
    # paragraph's char offset in the cleaned text.
    paragraphs: list[tuple[int, Any]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    dates: list[Mention] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    _counters: dict[str, int] = field(default_factory=dict)
    # Per paragraph: its entities and their start tokens, built once (see sentence_ents).
    _ents: dict[int, tuple[list[int], tuple[Any, ...]]] = field(default_factory=dict, repr=False)

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    def new_id(self, prefix: str) -> str:
        """A record id unique in the ledger: article revision id + kind + counter."""
        n = self._counters.get(prefix, 0) + 1
        self._counters[prefix] = n
        return f"{self.article.id}:{prefix}{n}"

    def evidence(self, start: int, end: int) -> Evidence:
        return Evidence.of(self.article.id, self.article.text, start, end)

    def span_evidence(self, offset: int, obj: Any) -> Evidence:
        """Evidence for a spaCy Span or Token of the paragraph at char `offset`."""
        if hasattr(obj, "start_char"):
            start, end = obj.start_char, obj.end_char
        else:
            start, end = obj.idx, obj.idx + len(obj.text)
        return self.evidence(offset + start, offset + end)

    def sentence_at(self, char: int) -> int | None:
        """Index of the sentence holding char offset `char` (binary search)."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if char < s.start:
                hi = mid
            elif char >= s.end:
                lo = mid + 1
            else:
                return mid
        return None

    def sentence_ents(self, sentence: Sentence) -> list[Any]:
        """The named entities inside one sentence, as `sentence.span.ents` gives them.

        spaCy's `Span.ents` (and `Doc.ents`) walk the whole paragraph on every
        call, so asking each sentence of a long paragraph costs quadratic time.
        Here each paragraph's entities are listed once and sliced by sentence.
        """
        span = sentence.span
        index = self._ents.get(sentence.paragraph)
        if index is None:
            ents = tuple(span.doc.ents)
            index = self._ents[sentence.paragraph] = ([e.start for e in ents], ents)
        starts, ents = index
        out = []
        for k in range(bisect_left(starts, span.start), len(ents)):
            ent = ents[k]
            if ent.start >= span.end or ent.end > span.end:
                break
            out.append(ent)
        return out

    def iter_sentences(self) -> Iterator[tuple[int, Sentence]]:
        return enumerate(self.sentences)
