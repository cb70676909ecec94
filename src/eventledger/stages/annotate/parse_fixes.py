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
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
        if subjects and not counted_subject(verb):
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
        if subjects and (chain[0].i == subjects[0].i or chain[0].i not in _subtree(subjects[0])):
            continue  # "the ministry and the army said": the subject's own conjuncts
        commas = [k for k in range(1, len(chain)) if span.doc[chain[k].left_edge.i - 1].text == ","]
        start = commas[-1] if commas else len(chain) - 1
        out.update(t.i for t in chain[start:])
    return out


def counted_subject(verb: Any) -> Any:
    """The subject of a verb of speech when it is a count of people ("killing at
    least 20 people ..., including four children, a resistance group and a
    local resident said": the small model makes the counted dead the subject,
    and the speakers more of the listed dead), else None."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if len(subjects) != 1 or subjects[0].i > verb.i:
        return None
    subj = subjects[0]
    if subj.like_num or any(c.dep_ == "nummod" for c in subj.children):
        return subj
    return None


def _subtree(tok: Any) -> set[int]:
    return {t.i for t in tok.subtree}
