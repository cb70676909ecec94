"""Repairs for what the small parser gets wrong in news copy, shared by the stages."""

from __future__ import annotations

from typing import Any

_SAY_LEMMAS = frozenset({"say", "tell", "add", "report", "confirm", "state"})


def unparsed_speakers(span: Any) -> set[int]:
    """The heads of the nouns that speak for a verb of speech the parse left without
    a subject: in "..., killing 30 people, two witnesses and a health worker told
    Reuters" the small model makes the witnesses and the health worker more of the
    killed; the conjuncts after the list's last comma are who told it."""
    out: set[int] = set()
    for verb in span:
        if verb.lemma_.lower() not in _SAY_LEMMAS or verb.tag_ not in ("VBD", "VBZ", "VBP"):
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children):
            continue
        prev = verb.i - 1
        if prev < span.start:
            continue
        last = span.doc[prev]
        while last.dep_ in ("compound", "amod", "nummod", "det") and last.head.i > last.i:
            last = last.head
        if last.dep_ != "conj" or last.pos_ not in ("NOUN", "PROPN"):
            continue
        chain = [last]
        while chain[-1].dep_ == "conj":
            chain.append(chain[-1].head)
        chain.reverse()  # first conjunct (what the verb before acted on) first
        commas = [k for k in range(1, len(chain)) if span.doc[chain[k].left_edge.i - 1].text == ","]
        start = commas[-1] if commas else len(chain) - 1
        out.update(t.i for t in chain[start:])
    return out
