"""ACLED's full scope, opt-in: every one of its 25 sub-event types, not attacks only.

The default events stage tells attacks (and the protests and arrests around
them). This stage, run right after `events.rules.v1`, reads each sentence for
the cues of `acled_cues` and

- retypes an event of the sentence that the cue says more about: a grenade,
  a chemical agent or a suicide bomber names the explosion's weapon; rape
  the attack's kind; a mob or vigilantes its doers; a town captured in the
  fighting makes the clash a change of territory; a seized weapon the rules
  read as a bomb is a disrupted one; a protest's events take the coding
  that what happened at it gives (`protest_subtype`);
- adds an event for what the rules do not tell (an agreement, a base set up,
  troops deployed, weapons seized, territory taken, a protest broken up),
  when no event of the sentence stands above it in the parse: "the
  ceasefire held despite shelling" is an agreement, "shelling broke the
  ceasefire" is shelling.

Each event keeps ACLED's event type, sub-event type and a PLOVER coding; the
cue's words join its evidence. Not in the default pipeline: the ledger's
purpose is attacks, and it must not start listing agreements and
deployments beside them unless asked (docs/models.md, "ACLED sub-event type").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventledger.models import Actor, Event, Evidence, Place, When
from eventledger.pipeline import Document, Sentence, register
from eventledger.stages.events.acled_cues import (
    CUE_FINDERS,
    armed,
    crowd_control,
    depth,
    protest_subtype,
    protest_told,
    weapons_of,
)

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["AcledWide", "SUBTYPES"]

# ACLED event type of each sub-event type this stage gives, with its PLOVER event and mode.
SUBTYPES: dict[str, tuple[str, str, str | None]] = {
    "Peaceful protest": ("Protests", "PROTEST", "demonstrate"),
    "Protest with intervention": ("Protests", "PROTEST", "demonstrate"),
    "Excessive force against protesters": ("Protests", "PROTEST", "demonstrate"),
    "Violent demonstration": ("Riots", "PROTEST", "riot"),
    "Mob violence": ("Riots", "ASSAULT", "beat"),
    "Agreement": ("Strategic developments", "AGREE", None),
    "Change to group/activity": ("Strategic developments", "MOBILIZE", "troops"),
    "Disrupted weapons use": ("Strategic developments", "COERCE", "seize"),
    "Headquarters or base established": ("Strategic developments", "MOBILIZE", "troops"),
    "Non-violent transfer of territory": ("Strategic developments", "RETREAT", "withdraw"),
    "Government regains territory": ("Battles", "COERCE", "seize"),
    "Non-state actor overtakes territory": ("Battles", "COERCE", "seize"),
    "Chemical weapon": ("Explosions/Remote violence", "ASSAULT", "CBRN"),
    "Grenade": ("Explosions/Remote violence", "ASSAULT", "explosion"),
    "Suicide bomb": ("Explosions/Remote violence", "ASSAULT", "explosion"),
    "Sexual violence": ("Violence against civilians", "ASSAULT", "sexual"),
    "Air/drone strike": ("Explosions/Remote violence", "ASSAULT", "aerial"),
    "Arrests": ("Strategic developments", "COERCE", "arrest"),
}

_VIOLENT = frozenset({"Explosions/Remote violence", "Violence against civilians", "Battles"})
_TERRITORY = frozenset(
    {"Government regains territory", "Non-state actor overtakes territory",
     "Non-violent transfer of territory"}
)  # fmt: skip


# Events a mob's deed (or an aircraft's) in their sentence retypes.
_MOB_RETYPES = frozenset(
    {"Attack", "Violent demonstration", "Armed clash", "Abduction/forced disappearance"}
)
_AERIAL_RETYPES = frozenset(
    {"Shelling/artillery/missile attack", "Attack", "Remote explosive/landmine/IED"}
)


# Cues that say what a violent event was, never an event beside it.
_QUALIFIERS = frozenset(
    {"Chemical weapon", "Grenade", "Suicide bomb", "Sexual violence", "Mob violence",
     "Air/drone strike"}
)  # fmt: skip


def _retypes(cue: str, event: Event) -> bool:
    """Whether a cue of the event's own sentence says what the event is."""
    sub, type_ = event.subtype or "", event.type
    if cue in ("Chemical weapon", "Grenade"):
        return type_ in _VIOLENT and sub not in ("Abduction/forced disappearance", "Arrests")
    if cue == "Suicide bomb":
        return type_ == "Explosions/Remote violence" or sub == "Attack"
    if cue == "Sexual violence":
        return sub == "Attack"
    if cue == "Mob violence":
        return sub in _MOB_RETYPES
    if cue == "Air/drone strike":
        return sub in _AERIAL_RETYPES
    if cue in _TERRITORY:
        return sub in ("Armed clash", "Attack", "Non-violent transfer of territory")
    return False


@register("events.acled_wide.v1")
class AcledWide:
    """Type events by all of ACLED's sub-event types and add the non-violent ones."""

    requires: tuple[str, ...] = ("doc.sentences", "doc.events")
    assigns: tuple[str, ...] = ("doc.events", "event.type", "event.subtype", "event.plover")

    def __init__(self, settings: Settings | None = None) -> None:
        self.finders = CUE_FINDERS

    def __call__(self, doc: Document) -> Document:
        by_sentence = self._events_by_sentence(doc)
        added: list[tuple[int, Event]] = []
        for si, sent in doc.iter_sentences():
            own = by_sentence.get(si, [])
            cues = self.cues(sent)
            for ev, tok in own:
                self._clash(ev, tok)
            self._protest(doc, si, sent, own, cues, added)
            for subtype, tok in cues:
                hit = [ev for ev, _ in own if _retypes(subtype, ev)]
                if not hit and subtype == "Disrupted weapons use":
                    # "police seized two landmines": the rules' bomb is the seized weapon
                    inside = {t.i for o in weapons_of(tok) for t in o.subtree}
                    hit = [ev for ev, t in own if t is not None and t.i in inside]
                for ev in hit:
                    _set(ev, subtype)
                    ev.evidence.append(doc.span_evidence(sent.offset, tok))
                if hit:
                    continue
                if subtype in _QUALIFIERS and any(ev.type in _VIOLENT for ev, _ in own):
                    continue  # the weapon or doer of a violent event already typed otherwise
                top = min((depth(t) for _, t in own if t is not None), default=None)
                if top is not None and depth(tok) >= top:
                    continue  # the sentence tells another event above it in the parse
                added.append((sent.start, self._new(doc, si, sent, tok, subtype)))
                own = [*own, (added[-1][1], tok)]
                break  # one new event a sentence: ACLED codes one event per report
        _insert(doc, added)
        return doc

    @staticmethod
    def _clash(event: Event, tok: Any) -> None:
        """ACLED's "Attack" is on civilians: one on soldiers, police or fighters
        (or their base, post or convoy) is an armed clash."""
        if event.subtype != "Attack" or tok is None:
            return
        if armed(tok):
            event.type, event.subtype = "Battles", "Armed clash"
            event.plover = {**(event.plover or {}), "event": "ASSAULT", "mode": "firearms"}

    def cues(self, sent: Sentence) -> list[tuple[str, Any]]:
        """(sub-event type, token) of every cue in the sentence, the most telling first.

        The finders' order ranks them: the weapon or the victims' harm a cue
        names ("chlorine" over "helicopters") before what a sentence says
        around it; then text order.
        """
        out = []
        for tok in sent.span:
            for rank, find in enumerate(self.finders):
                sub = find(tok)
                if sub is not None:
                    out.append((rank, tok.i, sub, tok))
                    break
        return [(sub, tok) for _, _, sub, tok in sorted(out, key=lambda c: c[:2])]

    def _protest(
        self,
        doc: Document,
        si: int,
        sent: Sentence,
        own: list[tuple[Event, Any]],
        cues: list[tuple[str, Any]],
        added: list[tuple[int, Event]],
    ) -> None:
        """Code the sentence's protest by what happened at it, retyping its events."""
        told = [t for t in sent.span if protest_told(t)]
        if not told:
            # "police fired tear gas at the crowds": crowd control tells a protest
            told = [t for t in sent.span if crowd_control(t)]
        if not told:
            return
        window = list(sent.span)
        nxt = doc.sentences[si + 1] if si + 1 < len(doc.sentences) else None
        if nxt is not None and nxt.paragraph == sent.paragraph:
            window += list(nxt.span)
        subtype = protest_subtype(window)
        hit = False
        for ev, _ in own:
            if ev.type in ("Protests", "Riots") and ev.subtype not in ("Mob violence",):
                _set(ev, subtype)
                hit = True
            elif subtype != "Peaceful protest" and (
                ev.subtype in ("Attack", "Armed clash", "Arrests")
            ):
                _set(ev, subtype)  # the shooting or the arrests at a protest are its coding
                hit = True
        if not hit and told:
            tok = told[0]
            added.append((sent.start, self._new(doc, si, sent, tok, subtype)))
            own.append((added[-1][1], tok))

    @staticmethod
    def _events_by_sentence(doc: Document) -> dict[int, list[tuple[Event, Any]]]:
        """Each sentence's events (by their first trigger) with the trigger's token."""
        out: dict[int, list[tuple[Event, Any]]] = {}
        for ev in doc.events:
            if not ev.evidence:
                continue
            start = ev.evidence[0].start
            si = doc.sentence_at(start)
            if si is None:
                continue
            sent = doc.sentences[si]
            tok = next((t for t in sent.span if sent.offset + t.idx >= start), None)
            out.setdefault(si, []).append((ev, tok))
        return out

    @staticmethod
    def _new(doc: Document, si: int, sent: Sentence, tok: Any, subtype: str) -> Event:
        """A new event of `subtype` told by `tok`, with its doer, date and place."""
        ev = doc.span_evidence(sent.offset, tok)
        event = Event(
            id=doc.new_id("ev"),
            document_id=doc.id,
            type="",
            subtype=None,
            trigger=ev.text,
            factuality=_factuality(tok),
            evidence=[ev],
        )
        _set(event, subtype)
        for s in (c for c in tok.children if c.dep_ == "nsubj" and c.pos_ != "PRON"):
            # the whole noun phrase: "dozens of former fighters", not "dozens"
            right = s.right_edge
            span = doc.evidence(sent.offset + s.left_edge.idx, sent.offset + right.idx + len(right))
            event.actors.append(Actor("perpetrator", span.text, evidence=[span]))
        for m in doc.dates:
            if m.sentence == si and isinstance(m.value, When) and event.date is None:
                event.date = m.value
        for m in doc.places:
            if m.sentence == si and isinstance(m.value, Place) and event.place is None:
                event.place = m.value
        return event


def _set(event: Event, subtype: str) -> None:
    """Give `event` the sub-type, its ACLED event type and its PLOVER coding."""
    type_, plover_event, mode = SUBTYPES[subtype]
    event.type, event.subtype = type_, subtype
    event.plover = {**(event.plover or {}), "event": plover_event, "mode": mode}


_FUTURE = frozenset({"will", "shall", "'ll"})
_HYPOTHETICAL = frozenset({"could", "would", "might", "may", "should"})
_NOT_YET = frozenset({"plan", "intend", "threaten", "vow", "urge", "call", "ask", "demand",
                      "propose", "want", "seek", "hope", "prepare", "aim"})  # fmt: skip


def _factuality(tok: Any) -> str:
    """Asserted, negated, future or hypothetical, from the cue's own verb."""
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if any(c.dep_ == "neg" for c in verb.children) or any(
        c.lower_ in ("no", "never") for c in tok.children
    ):
        return "negated"
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxes & _FUTURE:
        return "future"
    if auxes & _HYPOTHETICAL:
        return "hypothetical"
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _NOT_YET:
        return "future"
    return "asserted"


def _insert(doc: Document, added: list[tuple[int, Event]]) -> None:
    """Put each new event before the events told from its sentence on."""
    for start, event in added:
        at = next(
            (k for k, ev in enumerate(doc.events) if _first(ev) >= start and ev is not event),
            len(doc.events),
        )
        if event in doc.events:
            continue
        doc.events.insert(at, event)


def _first(event: Event) -> int:
    ev: list[Evidence] = event.evidence
    return ev[0].start if ev else 1 << 62
