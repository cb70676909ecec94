"""Sentences, tokens, entities and the dependency parse, from spaCy.

The model is loaded once per process (cached by name) and fed paragraph by
paragraph through `nlp.pipe`, across all documents of a batch, so the parse
runs at the model's own batch speed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from eventledger.errors import ConfigError
from eventledger.pipeline import Document, Sentence, register

if TYPE_CHECKING:
    from eventledger.config import Settings


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, paragraph) for each run of non-blank lines.

    A single newline inside a paragraph is kept (spaCy sees it as whitespace);
    blank or whitespace-only lines separate paragraphs.
    """
    start = end = None
    pos = 0
    for line in text.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        if line.strip():
            if start is None:
                start = line_start
            end = line_start + len(line)
        elif start is not None:
            yield start, text[start:end]
            start = None
    if start is not None:
        yield start, text[start:end]


@lru_cache(maxsize=4)
def load_nlp(name: str) -> Any:
    import spacy

    from eventledger.stages.annotate.sentence_cap import NAME as SENTENCE_CAP

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ConfigError(
            f"cannot load the spaCy pipeline {name!r}: {exc}. Install it (the default is "
            "pinned in requirements/model.txt) or set nlp_model to one that is installed."
        ) from exc
    # Sentences of bounded length keep every rule stage linear in the text.
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(SENTENCE_CAP, before="parser")
    return nlp


@register("annotate.spacy.v1")
class SpacyAnnotator:
    requires: tuple[str, ...] = ("article.text",)
    assigns: tuple[str, ...] = ("doc.paragraphs", "doc.sentences")

    def __init__(self, settings: Settings) -> None:
        self.nlp = load_nlp(settings.nlp_model)
        self.batch_size = settings.nlp_batch_size

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        docs = list(docs)
        tasks = [
            (para, (i, offset)) for i, d in enumerate(docs) for offset, para in paragraphs(d.text)
        ]
        for d in docs:
            d.paragraphs, d.sentences = [], []
        parsed = self.nlp.pipe(tasks, as_tuples=True, batch_size=self.batch_size)
        for sdoc, (i, offset) in parsed:
            d = docs[i]
            p = len(d.paragraphs)
            d.paragraphs.append((offset, sdoc))
            for sent in sdoc.sents:
                if sent.text.strip():
                    d.sentences.append(
                        Sentence(
                            start=offset + sent.start_char,
                            end=offset + sent.end_char,
                            span=sent,
                            offset=offset,
                            paragraph=p,
                        )
                    )
        return iter(docs)
