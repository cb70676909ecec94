from __future__ import annotations

from dataclasses import dataclass

import pytest

from eventledger.models import Article
from eventledger.pipeline import Document
from eventledger.pipeline.document import Sentence


@dataclass
class _Ent:
    start: int
    end: int


class _CountingDoc:
    """A paragraph whose entity list counts how often it is built."""

    def __init__(self, ents: list[_Ent]) -> None:
        self._ents = ents
        self.reads = 0

    @property
    def ents(self) -> tuple[_Ent, ...]:
        self.reads += 1
        return tuple(self._ents)


@dataclass
class _Span:
    doc: _CountingDoc
    start: int
    end: int


def _document(bounds: list[tuple[int, int]], ents: list[_Ent]) -> tuple[Document, _CountingDoc]:
    para = _CountingDoc(ents)
    doc = Document(Article(id="d", key="d", text="x"))
    doc.sentences = [Sentence(s, e, _Span(para, s, e), 0, 0) for s, e in bounds]
    return doc, para


@pytest.mark.parametrize(
    ("bounds", "ents", "expected"),
    [
        ([(0, 5), (5, 9)], [_Ent(1, 2), _Ent(3, 5), _Ent(6, 8)], [[(1, 2), (3, 5)], [(6, 8)]]),
        # An entity across a sentence end belongs to neither sentence (as Span.ents).
        ([(0, 5), (5, 9)], [_Ent(4, 6)], [[], []]),
        ([(0, 3), (3, 6)], [], [[], []]),
    ],
)
def test_document_sentence_ents_slices_the_paragraph_entities(bounds, ents, expected) -> None:
    doc, _ = _document(bounds, ents)
    got = [[(e.start, e.end) for e in doc.sentence_ents(s)] for s in doc.sentences]
    assert got == expected


def test_document_sentence_ents_lists_a_paragraph_entities_once() -> None:
    # 1,000 sentences of one paragraph: its entity list is built once, not per sentence.
    bounds = [(i * 3, i * 3 + 3) for i in range(1000)]
    doc, para = _document(bounds, [_Ent(i * 3, i * 3 + 1) for i in range(1000)])
    assert sum(len(doc.sentence_ents(s)) for s in doc.sentences) == 1000
    assert para.reads == 1


def test_document_sentence_ents_matches_spacy(make_doc) -> None:
    doc = make_doc(
        "Shelling hit Halba on Tuesday. Two died in Kharkiv on 12 March. "
        "The United Nations said aid reached El Fasher.\n\nA raid in Nyala followed."
    )
    assert len(doc.sentences) == 4
    for s in doc.sentences:
        assert [e.text for e in doc.sentence_ents(s)] == [e.text for e in s.span.ents]
