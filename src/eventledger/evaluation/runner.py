"""Run the configured pipeline over plain texts from an external data set
(the benchmarks' shared entry point), and small helpers they share."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from eventledger.models import Article
from eventledger.pipeline import Document, Pipeline

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = [
    "ORG_LABELS",
    "CaseModel",
    "entity_at",
    "entity_label",
    "run_texts",
    "sentence_case",
    "tokens_in",
]

ORG_LABELS = frozenset({"ORG", "NORP"})
_SENTENCE_START = re.compile(r"(^|[.!?]\s+|\n\s*)([a-z])")


def sentence_case(text: str) -> str:
    """Upper-case the first letter of each sentence; keeps every offset.

    The parser and the named-entity model of the small English pipeline
    were trained on mixed-case news; an all-lower-case text loses most of
    its sentence boundaries. Only the first letter changes, so spans found
    in the result index the original text unchanged."""
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


_WORD = re.compile(r"[a-z][a-z']*")


class CaseModel:
    """Restores the likely case of each word of a lower-cased text from
    word-form log probabilities (`{form: logprob}`, e.g. spaCy's
    `en_lexeme_prob` lookup table); keeps every offset.

    For each lower-case word the most probable of its lower, Title and UPPER
    forms wins; a word none of whose forms is listed is taken for a name and
    title-cased (in news, unknown words are mostly proper names). Sentence
    starts are upper-cased as by `sentence_case`."""

    def __init__(self, probs: dict[str, float]) -> None:
        # the table's smallest value is a floor shared by its rarest forms:
        # such a form tells nothing about case ("farabundo", "roldan")
        floor = min(probs.values(), default=0.0)
        self.probs = {k: v for k, v in probs.items() if v > floor + 0.01}

    @classmethod
    def from_lookups(cls) -> CaseModel | None:
        """The model built on `spacy-lookups-data`'s English table, or None when absent."""
        try:
            from importlib import resources

            data = resources.files("spacy_lookups_data").joinpath("data/en_lexeme_prob.json.gz")
            return cls(json.loads(gzip.decompress(data.read_bytes())))
        except (ModuleNotFoundError, OSError, ValueError):
            return None

    def word(self, word: str) -> str:
        """The most probable cased form of one lower-case word."""
        forms = (word, word.title(), word.upper())
        scored = [(self.probs[f], f) for f in forms if f in self.probs]
        if not scored:
            return word.title()
        return max(scored)[1]

    def __call__(self, text: str) -> str:
        """The text with each word in its most probable case."""
        return sentence_case(_WORD.sub(lambda m: self.word(m.group(0)), text))


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
