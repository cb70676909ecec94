"""Event arguments from a trained model: who did it, to whom, with what.

The rules take an attack's perpetrator, target and weapon from the trigger's
own clause. A report often names them elsewhere: the group in the next
sentence ("The FMLN has claimed ..."), the victims in an apposition or a
list, the weapon in a description of the device. This stage reads every
noun phrase of the report and asks a linear model (trained on the MUC-4
training documents' role fillers, `scripts/train_roles.py`, see
docs/models.md) whether it is a perpetrator, a victim (people), a physical
target or a weapon of the attack the report tells; phrases it is sure of
join the attack told last before them as actors marked `source = "model"`;
a phrase the rules already hold in that role (the same words, or words
over them: "the rebels" for "rebels") adds nothing, and the rules' actor is
marked as confirmed by the model.

Candidates (`candidates`): each noun-phrase head with its left modifiers
("the urban guerrillas"), that phrase without a leading determiner, number or
possessive, the whole phrase with its complements ("members of the Shining
Path") when it is short, and a trailing personal name ("defense minister
Enrique Lopez" -> "Enrique Lopez"). Features (`span_features`): the head
word and its part of speech, entity label and dependency; the governing
verb or preposition and the path to it ("nsubjpass>kill", "pobj:by"); the
phrase's words; the words beside it; the verbs of its sentence; where the
sentence sits in the report. The model's vector is the binary presence of
its known features scaled to unit length, as `textmodel.TextModel` does.

Only reports where the events stage found an attack gain arguments (a report
with no attack has no one to attach them to), and only to events that are told (asserted
or historical) and are no battle between armed forces.

`events.roles_model.v2` (the default pipeline's) gives the phrases to the
report's own attacks only: the asserted ones, the historical ones only when the
report asserts none. The model reads the whole report and cannot say which
attack a phrase is about; a background attack told in passing ("an earlier
strike had wounded him") is told in one clause the rules already read, and a
phrase given to it by proximity ties it to the main attack's hospital or
victims. Neither version changes an event's place, date, type or the rules'
actors beyond marking a phrase the rules hold as confirmed (`source =
"rules+model"`); the stages after it (health-care coding, incident linking)
leave the model's own actors (`source = "model"`) aside, so the stage adds
arguments and changes no other decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from eventledger.models import Actor, Event, Evidence, Place
from eventledger.pipeline import Document, register
from eventledger.stages.events.assembly import dateline_end
from eventledger.stages.events.textmodel import TextModel, load_model

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = [
    "CONFIRMED",
    "FOUND",
    "ROLE_LABELS",
    "RolesModel",
    "RolesModelV2",
    "candidates",
    "span_features",
]

MODEL = "event_roles"
# The model's labels, and the ledger's actor role each becomes.
ROLE_LABELS = {
    "perpetrator": "perpetrator",
    "victim": "victim",
    "target": "target",
    "weapon": "weapon",
}
_NOUNS = {"NOUN", "PROPN"}
_LEADING = {"DET", "NUM", "PRON"}
_MAX_TOKENS = 12
_TOLD = ("asserted", "historical")
# `Actor.source` of a phrase the model found that the rules did not, and of a
# rules' actor the model agrees with (its record is otherwise left as it was).
FOUND = "model"
CONFIRMED = "rules+model"
# First words of a phrase naming those an attack befalls, never its doer.
_HARMED = frozenset(
    {"staff", "doctor", "doctors", "nurse", "nurses", "patient", "patients", "medic", "medics",
     "civilian", "civilians", "child", "children", "women", "villagers", "residents",
     "worshippers", "students", "pupils"}
)  # fmt: skip
# What befalls an attack's victims and targets: never its doer's as well.
_SUFFERED = frozenset({"victim", "target"})
# A battle is a fight between armed forces: no victim or target to gain.
_NOT_ATTACKS = ("Battles",)


def candidates(sent: Any) -> Iterator[tuple[int, int, str]]:
    """(first token index, end token index, kind) of the candidate phrases of
    one spaCy sentence (token indexes are the Doc's)."""
    seen: set[tuple[int, int]] = set()

    def emit(a: int, b: int, kind: str) -> Iterator[tuple[int, int, str]]:
        if a < b and (a, b) not in seen and b - a <= _MAX_TOKENS:
            seen.add((a, b))
            yield a, b, kind

    doc = sent.doc
    for tok in sent:
        if tok.pos_ not in _NOUNS or tok.dep_ == "compound":
            continue
        left = tok.i
        for child in tok.lefts:
            left = min(left, child.left_edge.i)
        yield from emit(left, tok.i + 1, "base")
        bare = left
        while bare < tok.i and (
            doc[bare].pos_ in _LEADING or doc[bare].dep_ in ("det", "poss", "nummod")
        ):
            bare += 1
        yield from emit(bare, tok.i + 1, "bare")
        if tok.right_edge.i > tok.i:
            yield from emit(left, tok.right_edge.i + 1, "full")
        if tok.ent_type_ == "PERSON":
            # the name a title or description runs into ("U.S. citizen John Doe")
            first = tok.i
            while first > left and doc[first - 1].ent_type_ == "PERSON":
                first -= 1
            if first > bare:
                yield from emit(first, tok.i + 1, "name")


def _verb_above(tok: Any) -> tuple[Any, str]:
    """The nearest verb governing `tok`, and the dependency path up to it."""
    path = [tok.dep_]
    cur = tok
    for _ in range(6):
        if cur.head is cur:
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur, ">".join(path)
        path.append(cur.dep_ if cur.dep_ != "prep" else f"prep:{cur.lower_}")
    return None, ">".join(path)


def span_features(
    sent: Any, a: int, b: int, kind: str, sent_index: int, verbs: list[str] | None = None
) -> list[str]:
    """The model's features of the candidate phrase doc[a:b] in sentence `sent`;
    `verbs`: the sentence's `sentence_verbs`, when the caller has them already."""
    doc = sent.doc
    toks = doc[a:b]
    head = toks.root
    gov = head.head
    feats = [
        f"k={kind}",
        f"h={head.lemma_.lower()}",
        f"hp={head.pos_}",
        f"he={head.ent_type_ or '-'}",
        f"hd={head.dep_}",
        f"kh={kind}_{head.ent_type_ or head.pos_}",
        f"n={min(b - a, 6)}",
        f"si={min(sent_index, 6)}",
        f"cap={int(all(t.pos_ == 'PROPN' for t in toks))}",
    ]
    if gov is not head:
        feats.append(f"g={gov.lemma_.lower()}")
        feats.append(f"gd={head.dep_}_{gov.lemma_.lower()}")
        if head.dep_ == "pobj":
            feats.append(f"pp={gov.head.lemma_.lower()}_{gov.lower_}")
    verb, path = _verb_above(head)
    feats.append(f"path={path}")
    if verb is not None:
        lemma = verb.lemma_.lower()
        feats.append(f"v={lemma}")
        feats.append(f"vp={path}>{lemma}")
        if any(c.dep_ == "auxpass" for c in verb.children):
            feats.append(f"vpass={path}")
    for t in toks:
        feats.append(f"w={t.lower_}")
    feats.append(f"wf={toks[0].lower_}")
    if a > sent.start:
        feats.append(f"l={doc[a - 1].lower_}")
    if b < sent.end:
        feats.append(f"r={doc[b].lower_}")
    feats.extend(sentence_verbs(sent) if verbs is None else verbs)
    ents = {t.ent_type_ for t in toks if t.ent_type_}
    feats.extend(f"e={e}" for e in sorted(ents))
    return feats


def sentence_verbs(sent: Any) -> list[str]:
    """The features every candidate of `sent` shares: the lemmas of its verbs."""
    return [f"sv={t.lemma_.lower()}" for t in sent if t.pos_ == "VERB"]


def predict_roles(model: TextModel, doc: Document) -> list[tuple[str, float, int, int]]:
    """(label, probability, start char, end char) of every candidate phrase of
    `doc` the model gives a role over its cut; overlapping phrases of one
    label keep the likelier, and one phrase keeps one label."""
    head = model.heads["role"]
    labels = head.labels
    cuts = model.thresholds.get("role", {})
    rows: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    si = 0
    for offset, sdoc in doc.paragraphs:
        for sent in sdoc.sents:
            # read once a sentence, not once for each of its candidates
            verbs = sentence_verbs(sent)
            for a, b, kind in candidates(sent):
                rows.append(span_features(sent, a, b, kind, si, verbs))
                span = sdoc[a:b]
                spans.append((offset + span.start_char, offset + span.end_char))
            si += 1
    found: list[tuple[str, float, int, int]] = []
    if not rows:
        return found
    # every candidate of the document scored in one go
    z = model.scores_many(rows)[:, head.offset : head.offset + len(labels)]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    prob = e / e.sum(axis=1, keepdims=True)
    best = np.argmax(prob[:, 1:], axis=1) + 1  # labels[0] is "none"
    for (start, end), k, probs in zip(spans, best.tolist(), prob, strict=True):
        label = labels[k]
        if probs[k] >= float(cuts.get(label, 1.0)):
            found.append((label, float(probs[k]), start, end))
    found.sort(key=lambda x: -x[1])
    kept: list[tuple[str, float, int, int]] = []
    for label, p, s, e in found:
        if any(s < ke and ks < e for _, _, ks, ke in kept):
            continue
        kept.append((label, p, s, e))
    return sorted(kept, key=lambda x: x[2])


@register("events.roles_model.v1")
class RolesModel:
    """Add the model's perpetrators, victims, targets and weapons to the attacks."""

    requires: tuple[str, ...] = ("doc.events", "doc.paragraphs")
    assigns: tuple[str, ...] = ("event.actors",)
    # event types with no victim, target or weapon to gain
    not_attacks: tuple[str, ...] = _NOT_ATTACKS

    def __init__(self, settings: Settings | None = None) -> None:
        self.model: TextModel = load_model(MODEL)

    def __call__(self, doc: Document) -> Document:
        attacks = self.attacks_of(doc)
        if not attacks:
            return doc
        dateline = self.dateline_of(doc.text)
        # towns and areas the report names: a place is no victim ("victim: Taung Zin")
        towns = [
            (m.start, m.end)
            for m in doc.places
            if isinstance(m.value, Place) and m.value.name and not m.value.facility
        ]
        # sentences that tell only events of other times ("rights groups accused the
        # army of drone strikes that killed hundreds", a background attack): their
        # phrases are those events', not the attack told before them
        own = {
            doc.sentence_at(v.start)
            for e in doc.events
            if e.factuality == "asserted"
            for v in e.evidence
        }
        own |= {doc.sentence_at(v.start) for e in attacks for v in e.evidence}
        elsewhere = [
            (sent.start, sent.end)
            for si in {doc.sentence_at(v.start) for e in doc.events for v in e.evidence} - own
            if si is not None
            for sent in [doc.sentences[si]]
        ]
        for label, _p, start, end in predict_roles(self.model, doc):
            if dateline[0] <= start < dateline[1]:
                continue  # "ADDIS ABABA, Jan 30 -": where the reporter was, no actor
            if any(a <= start < b for a, b in elsewhere):
                continue
            role = ROLE_LABELS[label]
            if role == "victim" and any(a <= start and end <= b for a, b in towns):
                continue
            if role == "perpetrator" and next(iter(_words(doc.text[start:end])), "") in _HARMED:
                continue  # "the staff of treating soldiers": who is attacked, never the doer
            if role in _SUFFERED and any(
                a.role == "perpetrator" and v.start < end and start < v.end
                for e in attacks
                for a in e.actors
                for v in a.evidence
            ):
                continue  # the rules' perpetrator is no victim or target as well
            held = [a for e in attacks for a in e.actors if a.role == role]
            same = self.same_as(held, doc.text, start, end)
            if same:  # an actor the events hold already: the model confirms the rules' one
                for actor in same:
                    if actor.source is None:
                        actor.source = CONFIRMED
                continue
            event = _nearest(attacks, start)
            event.actors.append(
                Actor(
                    role=role,
                    name=doc.text[start:end],
                    evidence=[Evidence.of(doc.id, doc.text, start, end)],
                    source=FOUND,
                )
            )
        return doc

    def dateline_of(self, text: str) -> tuple[int, int]:
        """The dateline's span whose phrases join no event (v1: none)."""
        return (0, 0)

    def attacks_of(self, doc: Document) -> list[Event]:
        """The events the model's phrases may join: the told attacks."""
        return [e for e in doc.events if e.factuality in _TOLD and e.type not in self.not_attacks]

    def same_as(self, held: list[Actor], text: str, start: int, end: int) -> list[Actor]:
        """The actors of `held` that the phrase text[start:end] is: those it overlaps."""
        return [a for a in held if any(v.start < end and start < v.end for v in a.evidence)]


@register("events.roles_model.v2")
class RolesModelV2(RolesModel):
    """v1's phrases, given to the report's asserted attacks when it has any, and one
    actor per person or thing however often the report names it."""

    # neither a protest nor an arrest, a looting or a handover of ground (ACLED's
    # strategic developments) has a victim or a weapon; v1 gave them the report's
    not_attacks = (*_NOT_ATTACKS, "Protests", "Strategic developments")

    def dateline_of(self, text: str) -> tuple[int, int]:
        """The dateline line's span, up to where the body starts."""
        end = dateline_end(text)
        return (text.rfind("\n", 0, max(end - 1, 0)) + 1, end) if end else (0, 0)

    def attacks_of(self, doc: Document) -> list[Event]:
        """The asserted attacks; the historical ones only when the report asserts none
        (a background attack is told in a clause the rules already read)."""
        told = super().attacks_of(doc)
        return [e for e in told if e.factuality == "asserted"] or told

    def same_as(self, held: list[Actor], text: str, start: int, end: int) -> list[Actor]:
        """The actors of `held` the phrase overlaps, and those the model found whose words
        it repeats or runs inside ("Escobar Gaviria" after "Pablo Escobar Gaviria",
        "the guerrillas" after "urban guerrillas"): the same person or thing named
        again is one actor. A rules' actor elsewhere in the report is matched by
        overlap only: matching it by its words too, which keeps the rules' phrase in
        place of the model's, scored MUC-4 dev CEAF-REE 39.4 against 40.3."""
        words = _words(text[start:end])
        return [
            a
            for a in held
            if any(v.start < end and start < v.end for v in a.evidence)
            or (
                a.source == FOUND
                and (_runs_inside(words, _words(a.name)) or _runs_inside(_words(a.name), words))
            )
        ]


def _words(text: str) -> list[str]:
    """The phrase's words as they are compared: lower case, no articles or punctuation."""
    return [w for w in re.findall(r"\w+", text.lower()) if w not in ("a", "an", "the")]


def _runs_inside(part: list[str], whole: list[str]) -> bool:
    """Whether the words `part` run, in order and together, inside `whole`."""
    n = len(part)
    return n > 0 and any(whole[i : i + n] == part for i in range(len(whole) - n + 1))


def _nearest(events: list[Event], start: int) -> Event:
    """The attack told last before `start` (the first one when none precedes it)."""
    before = [e for e in events if e.evidence and e.evidence[0].start <= start]
    if before:
        return max(before, key=lambda e: e.evidence[0].start)
    return min(events, key=lambda e: e.evidence[0].start if e.evidence else 0)
