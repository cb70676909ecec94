"""Completing a tagged attribution from the parse: the cue's subject and the clause it governs.

The tagger finds many cues whose source or content it does not tag (a content it
cut short, a source it did not see). The parse the annotate stage made already
links a cue verb to its subject and to the clause it governs ("Officials said
that ..."), so a half-tagged attribution can be completed from there rather
than dropped. These helpers read those links; `assembled.py` decides when to
trust them.
"""

from __future__ import annotations

from typing import Any

from eventledger.pipeline import Document
from eventledger.stages.claims.rules import paragraph_length

__all__ = ["cue_head", "governed_span", "subject_span", "tokens_at"]

Span = tuple[int, int]

_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# Dependents that hold what a cue verb reports, when the lexicon does not say:
# PolNeAR's contents include objects ("questioned [the integrity of the vote]").
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj"})
_EDGE_PUNCT = frozenset({",", ";", ":", "-", "—", "–", "."})


def tokens_at(doc: Document, span: Span) -> tuple[int, Any] | None:
    """The paragraph offset and the spaCy tokens covering a char span (None when the
    span crosses paragraphs)."""
    for offset, sdoc in doc.paragraphs:
        end = offset + paragraph_length(sdoc)
        if offset <= span[0] and span[1] <= end:
            piece = sdoc.char_span(span[0] - offset, span[1] - offset, alignment_mode="expand")
            return (offset, piece) if piece is not None and len(piece) else None
    return None


def cue_head(tokens: Any) -> Any:
    """The token of a cue span that the rest hangs from ("has" + "said": "said")."""
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    verbal = [t for t in roots if t.pos_ in ("VERB", "NOUN")]
    return (verbal or roots or list(tokens))[-1]


def _extent(offset: int, tokens: list[Any]) -> Span | None:
    """Char span from the first to the last of `tokens`, edge punctuation left out."""
    toks = sorted(tokens, key=lambda t: t.i)
    while toks and toks[0].text in _EDGE_PUNCT:
        toks = toks[1:]
    while toks and toks[-1].text in _EDGE_PUNCT:
        toks = toks[:-1]
    if not toks:
        return None
    return offset + toks[0].idx, offset + toks[-1].idx + len(toks[-1].text)


def subject_span(offset: int, head: Any) -> Span | None:
    """The subject noun phrase of a cue verb (through "was quoted as saying" and a
    coordinated "... and said"), whole: PolNeAR sources are whole phrases."""
    cur = head
    for _ in range(3):
        subjects = [c for c in cur.children if c.dep_ in _SUBJECTS]
        if subjects:
            before = [c for c in subjects if c.i < cur.i]
            subj = max(before, key=lambda c: c.i) if before else subjects[0]
            if subj.pos_ in ("PRON", "DET") and subj.lower_ in ("it", "there", "this", "that"):
                return None
            return _extent(offset, list(subj.subtree))
        if cur.dep_ not in ("conj", "xcomp", "advcl", "pcomp", "prep") or cur.head is cur:
            return None
        cur = cur.head
    return None


def governed_span(
    offset: int, cue: Any, head: Any, deps: frozenset[str] | None = None
) -> Span | None:
    """The clause a cue verb governs ("said [that the talks failed]"), whole; the
    object of a preposition the cue ends with ("spoke about [her ties]"); None
    when it governs none."""
    wanted = deps or _CONTENT_DEPS
    last = cue[-1]
    if last.dep_ == "prep" and last.head.i == head.i:
        kids = [c for c in last.children if c.dep_ in ("pobj", "pcomp")]
    else:
        # An object comes after its cue; a clause may come before ("..., he said").
        kids = [
            c for c in head.children if (c.dep_ in wanted and c.i > last.i) or c.dep_ == "ccomp"
        ]
    if not kids:
        return None
    return _extent(offset, [t for k in kids for t in k.subtree])
