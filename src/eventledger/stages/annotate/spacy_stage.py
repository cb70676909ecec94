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


_TERMINAL = frozenset(".!?:;\"”’'")
LINE_BREAKS = "eventledger_line_breaks"
# Tags a line never ends on when it stands alone: it goes on ("said on",
# "the", "and", "it was") on the next line.
_OPEN_ENDS = frozenset(
    {"IN", "DT", "CC", "TO", "MD", "PRP", "PRP$", "WDT", "WP", "WRB", "POS", "RP", "EX",
     "VBD", "VBZ", "VBP", "HYPH"}
)  # fmt: skip


_BULLETS = frozenset({"-", "•", "*", "–", "—", "·"})


def mark_line_breaks(doc: Any) -> Any:
    """Start a sentence after a line that stands alone: a headline, a caption, a
    byline or a printed date ("Shelling hits clinic in north Halba" above
    "The ministry says ..."), so that its words never become the subject
    of the next line's sentence.

    A line stands alone when it is its paragraph's first line or follows one
    ending a sentence, is short, does not end a sentence itself, and the next
    line opens with a capital; hard-wrapped wire copy ("said on" / "Thursday")
    has no such lines. Boundaries set here are kept by the parser."""
    text = doc.text
    line_start = 0
    complete_before = True  # the previous line ended a sentence (or there is none)
    for tok in doc:
        if "\n" not in tok.text and "\n" not in tok.whitespace_:
            continue
        end = tok.idx + len(tok.text) if "\n" in tok.whitespace_ else tok.idx
        line = text[line_start:end].strip()
        nxt_i = tok.i + 1
        while nxt_i < len(doc) and doc[nxt_i].is_space:
            nxt_i += 1
        if line and nxt_i < len(doc):
            nxt = doc[nxt_i]
            last = tok if not tok.is_space else doc[tok.i - 1] if tok.i else tok
            alone = (
                complete_before
                and len(line) <= 120
                and line[-1] not in _TERMINAL
                and line[-1] != ","
                and last.tag_ not in _OPEN_ENDS
                and (
                    nxt.text[:1].isupper()
                    or nxt.text[:1].isdigit()
                    # a list item under a section's title ("Fighting" / "- A Russian ...")
                    or (
                        nxt.text in _BULLETS
                        and nxt.i + 1 < len(doc)
                        and doc[nxt.i + 1].text[:1].isupper()
                    )
                )
            )
            # a list item starts a sentence, whatever the line before ended with
            item = (
                nxt.text in _BULLETS and nxt.i + 1 < len(doc) and doc[nxt.i + 1].text[:1].isupper()
            )
            if alone or item:
                nxt.is_sent_start = True
            if item:
                doc[nxt.i + 1].is_sent_start = False  # the mark and its item are one
        if line:
            complete_before = line[-1] in _TERMINAL
        line_start = text.find("\n", tok.idx) + 1
    return doc


@lru_cache(maxsize=4)
def load_nlp(name: str) -> Any:
    import spacy
    from spacy.language import Language

    from eventledger.stages.annotate.dateline import NAME as DATELINE
    from eventledger.stages.annotate.sentence_cap import NAME as SENTENCE_CAP

    if not Language.has_factory(LINE_BREAKS):
        Language.component(LINE_BREAKS, func=mark_line_breaks)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ConfigError(
            f"cannot load the spaCy pipeline {name!r}: {exc}. Install it (the default is "
            "pinned in requirements/model.txt) or set nlp_model to one that is installed."
        ) from exc
    if "parser" in nlp.pipe_names and LINE_BREAKS not in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS, before="parser")
    # A wire dateline never runs into the lede's parse ("KYIV, Aug 12 - A missile ...").
    if "parser" in nlp.pipe_names and DATELINE not in nlp.pipe_names:
        nlp.add_pipe(DATELINE, before="parser")
    # Sentences of bounded length keep every rule stage linear in the text.
    if "parser" in nlp.pipe_names and SENTENCE_CAP not in nlp.pipe_names:
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
