"""Run the configured pipeline over plain texts from an external data set
(the benchmarks' shared entry point), and small helpers they share."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from eventledger.models import Article
from eventledger.pipeline import Document, Pipeline

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["ORG_LABELS", "entity_at", "entity_label", "run_texts", "sentence_case", "tokens_in"]

ORG_LABELS = frozenset({"ORG", "NORP"})
_SENTENCE_START = re.compile(r"(^|[.!?]\s+|\n\s*)([a-z])")


def sentence_case(text: str) -> str:
    """Upper-case the first letter of each sentence; keeps every offset.

    The parser and the named-entity model of the small English pipeline
    were trained on mixed-case news; an all-lower-case text loses most of
    its sentence boundaries. Only the first letter changes, so spans found
    in the result index the original text unchanged."""
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def run_texts(
    items: Iterable[tuple[str, str, str | None]],
    settings: Settings,
    pipeline: Pipeline | None = None,
    batch_size: int = 16,
) -> Iterator[Document]:
    """Documents for `(id, text, published)` items, through every configured stage."""
    pipeline = pipeline or Pipeline.from_settings(settings)

    def docs() -> Iterator[Document]:
        for doc_id, text, published in items:
            article = Article(
                id=doc_id,
                key=doc_id,
                text=text,
                published=published,
                text_hash=hashlib.sha256(text.encode()).hexdigest(),
            )
            yield Document(article)

    yield from pipeline.pipe(docs(), batch_size=batch_size)


def entity_at(doc: Document, start: int, end: int) -> tuple[str, int, int] | None:
    """(label, start, end) of the first named entity overlapping [start, end), if any."""
    for offset, sdoc in doc.paragraphs:
        if offset > end or offset + len(sdoc.text) < start:
            continue
        for ent in sdoc.ents:
            a, b = offset + ent.start_char, offset + ent.end_char
            if a < end and start < b:
                return str(ent.label_), a, b
    return None


def entity_label(doc: Document, start: int, end: int) -> str | None:
    """The label of a named entity overlapping the char span [start, end), if any."""
    found = entity_at(doc, start, end)
    return found[0] if found else None


def tokens_in(doc: Document, start: int, end: int) -> list[Any]:
    """spaCy tokens of the document inside the char span [start, end)."""
    out = []
    for offset, sdoc in doc.paragraphs:
        for t in sdoc:
            a = offset + t.idx
            if start <= a < end:
                out.append(t)
    return out
