"""Events from trigger verbs and nominals in the parse, typed by the taxonomy
(ACLED type/sub-type, PLOVER event/mode, WHO SSA and Insecurity Insight
health-care coding), with arguments, factuality, date/place attachment, and
the repeats of one report's main event merged.

Conventions (eventledger's own):
- A threat or an order ("threatened to storm", "ordered the evacuation") never
  yields the attack it names; "will"/"plans to" + attack yields a `future` event.
- `historical` events attach a date or place only from their own sentence:
  the context (paragraph, lede) describes the report's main event.
- Generic triggers (kill, wound, attack, hit) take the sub-type of their weapon
  or of the event they merge into; "hit"/"strike" alone with neither is dropped.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from eventledger.errors import ConfigError
from eventledger.models import Actor, Event, Evidence, Place, When
from eventledger.pipeline import Document, Mention, Sentence, register

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["EventRules", "Trigger", "load_taxonomy"]

_FUTURE_HEADS = frozenset({"plan", "intend", "prepare", "vow", "aim", "seek"})
# Heads that turn the attack they govern into something else (a threat, an order).
_NOT_ATTACK_HEADS = frozenset({"threaten", "order", "warn", "demand", "urge", "call", "ask"})
_MODALS_HYPOTHETICAL = frozenset({"could", "would", "might", "may", "should"})
_MODALS_FUTURE = frozenset({"will", "shall", "'ll"})
_NOBODY = frozenset({"nobody", "none"})
_HISTORICAL = re.compile(
    r"\b(?:previous(?:ly)?|prior|an earlier|earlier (?:raid|attack|strike|incident)s?|"
    r"in a similar|a similar|last year|years? ago|in the past|once before)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_WEAPON_TYPES = {
    "Air/drone strike": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Attack": "Violence against civilians",
}


@lru_cache(maxsize=1)
def load_taxonomy() -> dict[str, Any]:
    """The packaged taxonomy (data/taxonomy.toml), parsed once per process."""
    try:
        text = resources.files("eventledger").joinpath("data/taxonomy.toml").read_text("utf-8")
        return tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"cannot read the packaged taxonomy data/taxonomy.toml: {exc}. "
            "Reinstall eventledger (pip install -e .)."
        ) from exc


@dataclass(frozen=True, slots=True)
class Trigger:
    """One taxonomy entry: how a trigger word is typed and coded."""

    key: str
    type: str
    subtype: str | None
    plover: dict[str, Any]
    who: tuple[str, ...]
    indicators: tuple[str, ...]
    family: str
    generic: bool = False
    alone: bool = True
    health_only: bool = False


@dataclass(slots=True)
class _Candidate:
    event: Event
    trigger: Trigger
    sentences: set[int]
    triggers: list[Evidence]
    weapon: bool
    merged: bool = False
    resources: set[str] = field(default_factory=set)


class _Lexicon:
    """Lookup tables built once from the taxonomy."""

    def __init__(self, taxonomy: dict[str, Any]) -> None:
        ev = taxonomy["events"]
        self.verbs: dict[str, Trigger] = {}
        self.nouns: dict[str, Trigger] = {}
        self.object_verbs: dict[str, tuple[frozenset[str], Trigger]] = {}
        self.particles: dict[str, frozenset[str]] = {}
        for key, t in ev["triggers"].items():
            trig = Trigger(
                key=key,
                type=t["type"],
                subtype=t.get("subtype"),
                plover=dict(t.get("plover", {})),
                who=tuple(t.get("who", ())),
                indicators=tuple(t.get("indicators", ())),
                family=t.get("family", key),
                generic=t.get("generic", False),
                alone=t.get("alone", True),
                health_only=t.get("health_only", False),
            )
            for v in t.get("verbs", ()):
                self.verbs.setdefault(v, trig)
            for n in t.get("nouns", ()):
                self.nouns.setdefault(n, trig)
            for verb, objects in t.get("with_object", {}).items():
                self.object_verbs[verb] = (frozenset(objects), trig)
            for verb, parts in t.get("with_particle", {}).items():
                self.particles[verb] = frozenset(parts)
        self.weapons = {w: sub for sub, words in ev["weapons"].items() for w in words}
        health = ev["health"]
        self.resources = {w: r for r, words in health["resources"].items() for w in words}
        self.worker_indicators: dict[str, str] = dict(health["worker_indicators"])
        self.vicinity = frozenset(health["vicinity"])


def _noun_key(tok: Any) -> list[str]:
    mods = [c.lemma_.lower() for c in tok.lefts if c.dep_ in ("compound", "amod")]
    keys = []
    if mods:
        keys.append(f"{mods[-1]} {tok.lemma_.lower()}")
        keys.append(f"{mods[-1]} {tok.lower_}")
    keys += [tok.lower_, tok.lemma_.lower()]
    return keys


def _phrase(tok: Any) -> tuple[int, int]:
    """Paragraph-relative char span of a noun with its left modifiers ("Israeli forces")."""
    left = tok.left_edge
    if left.i > tok.i:
        left = tok
    return left.idx, tok.idx + len(tok.text)


@register("events.rules.v1")
class EventRules:
    """Detect, type, attach and merge events; file them as `doc.events`."""

    requires: tuple[str, ...] = (
        "doc.sentences",
        "doc.dates",
        "doc.places",
        "doc.claims",
        "doc.figures",
    )
    assigns: tuple[str, ...] = ("doc.events", "figure.event_id")

    def __init__(self, settings: Settings) -> None:
        taxonomy = load_taxonomy()
        self.taxonomy_version = taxonomy["version"]
        self.lex = _Lexicon(taxonomy)

    def __call__(self, doc: Document) -> Document:
        pub_year = int(doc.article.published[:4]) if _has_year(doc.article.published) else None
        dates = _by_sentence(doc.dates)
        places = _by_sentence(doc.places)
        figures_by_sent: dict[int, list[Any]] = {}
        for fig in doc.figures:
            si = doc.sentence_at(fig.evidence[0].start) if fig.evidence else None
            if si is not None:
                figures_by_sent.setdefault(si, []).append(fig)
        candidates: list[_Candidate] = []
        for si, sent in doc.iter_sentences():
            for tok in sent.span:
                trig, extent = self._match(tok)
                if trig is None:
                    continue
                cand = self._candidate(
                    doc, si, sent, tok, extent, trig, places, figures_by_sent, pub_year
                )
                if cand is not None:
                    candidates.append(cand)
        merged = self._merge(candidates, doc, dates, places)
        for cand in merged:
            cand.event.id = doc.new_id("ev")
        self._link(doc, merged, figures_by_sent)
        doc.events.extend(c.event for c in merged)
        return doc

    # -- detection ---------------------------------------------------------

    def _match(self, tok: Any) -> tuple[Trigger | None, Any]:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB":
            if lemma in self.lex.object_verbs:
                objects, trig = self.lex.object_verbs[lemma]
                obj = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "oprd", "acomp")]
                if any(c.lemma_.lower() in objects for c in obj):
                    return trig, obj[0]
            trig = self.lex.verbs.get(lemma)
            if trig is not None and lemma in self.lex.particles:
                if not any(
                    c.dep_ == "prt" and c.lower_ in self.lex.particles[lemma] for c in tok.children
                ):
                    return None, None
            return trig, tok
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "compound":
            for key in _noun_key(tok):
                if key in self.lex.nouns:
                    # a weapon that is the subject of a trigger verb is that event's weapon
                    if (
                        key in self.lex.weapons
                        and tok.dep_ in ("nsubj", "agent", "pobj")
                        and tok.head.pos_ == "VERB"
                        and (tok.head.lemma_.lower() in self.lex.verbs)
                    ):
                        return None, None
                    return self.lex.nouns[key], tok
        return None, None

    def _candidate(
        self,
        doc: Document,
        si: int,
        sent: Sentence,
        tok: Any,
        extent: Any,
        trig: Trigger,
        places: dict[int, list[Mention]],
        figures_by_sent: dict[int, list[Any]],
        pub_year: int | None,
    ) -> _Candidate | None:
        off = sent.offset
        factuality = self._factuality(tok, sent, pub_year)
        if factuality is None:
            return None
        actors: list[Actor] = []
        weapon_sub: str | None = None

        def add(role: str, t: Any) -> None:
            a, b = _phrase(t)
            ev = doc.evidence(off + a, off + b)
            _add_actor(actors, Actor(role=role, name=ev.text, evidence=[ev]))

        subj, obj, agent, extra = self._arguments(tok)
        if (
            trig.generic
            and subj is not None
            and (subj.lower_ in _NOBODY or any(c.lower_ == "no" for c in subj.children))
        ):
            return None  # "no one was hurt" reports an absence, not an event
        for role, t in (("perpetrator", subj), ("perpetrator", agent)):
            if t is None:
                continue
            if t.lemma_.lower() in self.lex.weapons:
                weapon_sub = weapon_sub or self.lex.weapons[t.lemma_.lower()]
                add("weapon", t)
            elif t.pos_ != "PRON" and not any(k in self.lex.nouns for k in _noun_key(t)):
                add(role, t)
        for t in extra:
            if t.lemma_.lower() in self.lex.weapons:
                weapon_sub = weapon_sub or self.lex.weapons[t.lemma_.lower()]
                add("weapon", t)
        targets = [t for t in obj if t.pos_ != "PRON"]
        for t in targets:
            add("target", t)
        resources, vicinity = self._health(tok, targets)
        sent_figs = figures_by_sent.get(si, [])
        for fig in sent_figs:
            if fig.group:
                _add_actor(actors, Actor("victim", fig.group, evidence=list(fig.evidence)))
                if fig.group == "health_workers":
                    resources.add("personnel")
                elif fig.group == "patients":
                    resources.add("patients")
        for m in places.get(si, []):
            value = m.value
            if isinstance(value, Place) and value.facility:
                ev = doc.evidence(m.start, m.end)
                _add_actor(actors, Actor("facility", value.facility, evidence=[ev]))
                key = value.facility.lower()
                if any(term in key for term, r in self.lex.resources.items() if r == "facility"):
                    resources.add("facility")
        if trig.health_only and not resources and not vicinity:
            return None
        type_, subtype, plover = trig.type, trig.subtype, dict(trig.plover)
        if trig.generic and weapon_sub:
            type_, subtype = _WEAPON_TYPES[weapon_sub], weapon_sub
            heavy = weapon_sub != "Attack"
            trig = dataclasses.replace(
                trig,
                who=("violence with heavy weapons",)
                if heavy
                else ("violence with individual weapons",),
            )
        start = min(tok.idx, extent.idx)
        end = max(tok.idx + len(tok.text), extent.idx + len(extent.text))
        for c in tok.lefts:
            if c.dep_ == "compound" and c.i == tok.i - 1:
                start = min(start, c.idx)  # "air strike"
        trig_ev = doc.evidence(off + start, off + end)
        event = Event(
            id="",
            document_id=doc.id,
            type=type_,
            subtype=subtype,
            trigger=trig_ev.text,
            factuality=factuality,
            health_care=self._health_care(trig, resources, vicinity, sent_figs, sent.span),
            plover=plover or None,
            actors=actors,
            evidence=[trig_ev],
        )
        return _Candidate(
            event, trig, {si}, [trig_ev], weapon=weapon_sub is not None, resources=resources
        )

    @staticmethod
    def _arguments(tok: Any) -> tuple[Any, list[Any], Any, list[Any]]:
        """(subject, objects, passive agent, instruments) of a trigger."""
        subj = agent = None
        objs: list[Any] = []
        extra: list[Any] = []
        for c in tok.children:
            if c.dep_ == "nsubj":
                subj = c
            elif c.dep_ in ("dobj", "nsubjpass"):
                objs.append(c)
            elif c.dep_ == "agent":
                agent = next((g for g in c.children if g.dep_ == "pobj"), None)
            elif c.dep_ == "prep":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                if c.lower_ in ("on", "against", "of", "at", "into") and tok.pos_ == "NOUN":
                    objs.append(pobj)
                elif c.lower_ == "by" and tok.pos_ == "NOUN":
                    agent = pobj
                elif c.lower_ in ("with", "by", "in"):
                    extra.append(pobj)
            elif c.dep_ in ("compound", "amod") and c.ent_type_ in ("NORP", "ORG", "GPE"):
                subj = subj or c  # "an Israeli raid"
        if subj is None and tok.pos_ == "VERB":
            cur = tok
            # subject carried over coordinated or subordinate verbs
            while subj is None and cur.dep_ in ("conj", "advcl", "xcomp") and cur.head is not cur:
                cur = cur.head
                subj = next((c for c in cur.children if c.dep_ == "nsubj"), None)
            if subj is None and tok.dep_ in ("acl", "relcl"):
                subj = tok.head  # "An airstrike killed ..." parsed as a reduced relative
        if tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "pobj") and tok.head.pos_ == "VERB":
            # "the hospital was hit in an airstrike": the clause's patient is the target
            objs += [
                c for c in tok.head.children if c.dep_ in ("dobj", "nsubjpass") and c is not tok
            ]
        return subj, objs, agent, extra

    def _resource(self, tok: Any) -> str | None:
        for key in _noun_key(tok):
            if key in self.lex.resources:
                return self.lex.resources[key]
        return None

    def _health(self, tok: Any, targets: list[Any]) -> tuple[set[str], bool]:
        """WHO resources hit directly, and whether a facility was only in the vicinity."""
        resources: set[str] = set()
        vicinity = False
        for t in targets:
            r = self._resource(t)
            if r:
                resources.add(r)
            for conj in t.conjuncts:
                if r2 := self._resource(conj):
                    resources.add(r2)
        for anchor in [tok, *targets]:
            for prep in anchor.children:
                if prep.dep_ != "prep" and prep.dep_ != "advmod":
                    continue
                pobjs = [g for g in prep.subtree if g.dep_ == "pobj"]
                if prep.lower_ in self.lex.vicinity:
                    if any(self._resource(p) == "facility" for p in pobjs):
                        vicinity = True
                elif prep.lower_ in ("in", "at", "inside", "into", "on") and anchor is tok:
                    for p in pobjs[:1]:
                        if r := self._resource(p):
                            resources.add(r)
        return resources, vicinity

    def _health_care(
        self,
        trig: Trigger,
        resources: set[str],
        vicinity: bool,
        figures: list[Any],
        span: Any,
    ) -> dict[str, Any] | None:
        if not resources and not vicinity:
            return None
        indicators: list[str] = []
        for ind in trig.indicators:
            if not ind.startswith("health workers") or "personnel" in resources:
                indicators.append(ind)
        if "facility" in resources:
            destroyed = any(t.lemma_ in ("destroy", "raze", "flatten") for t in span)
            if "violence with heavy weapons" in trig.who or destroyed:
                indicators.append("facility destroyed" if destroyed else "facility damaged")
        if vicinity and "facility" not in resources:
            indicators.append("vicinity affected")
            resources = resources | {"facility"}
        for fig in figures:
            if fig.group == "health_workers" and fig.kind in self.lex.worker_indicators:
                indicators.append(self.lex.worker_indicators[fig.kind])
        return {
            "attack_types": list(trig.who),
            "resources": sorted(resources),
            "indicators": list(dict.fromkeys(indicators)),
        }

    def _factuality(self, tok: Any, sent: Sentence, pub_year: int | None) -> str | None:
        """The trigger's factuality, or None when it names no event (a threat of one)."""
        head = tok.head
        if tok.dep_ in ("xcomp", "pobj", "dobj", "ccomp") and head.lemma_ in _NOT_ATTACK_HEADS:
            return None
        if tok.dep_ == "pobj" and head.head.lemma_ in _NOT_ATTACK_HEADS:
            return None
        verb = tok if tok.pos_ == "VERB" else None
        if any(c.dep_ == "neg" for c in tok.children):
            return "negated"
        if verb is not None:
            auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
            if tok.dep_ == "xcomp":
                auxes |= {c.lower_ for c in head.children if c.dep_ == "aux"}
                if head.lemma_ in _FUTURE_HEADS or head.lower_ == "going":
                    return "future"
            if auxes & _MODALS_FUTURE:
                return "future"
            if auxes & _MODALS_HYPOTHETICAL:
                return "hypothetical"
        cur = tok
        for _ in range(4):
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in cur.children):
                return "hypothetical"
            if cur.head is cur:
                break
            cur = cur.head
        text = sent.span.text
        if _HISTORICAL.search(text):
            return "historical"
        if pub_year is not None and any(int(y) < pub_year for y in _YEAR.findall(text)):
            return "historical"
        return "asserted"

    # -- merge, attachment, links -----------------------------------------

    def _merge(
        self,
        candidates: list[_Candidate],
        doc: Document,
        dates: dict[int, list[Mention]],
        places: dict[int, list[Mention]],
    ) -> list[_Candidate]:
        for cand in candidates:
            self._attach(cand, doc, dates, places)
        kept: list[_Candidate] = []
        for cand in candidates:
            host = next((k for k in kept if _compatible(k, cand)), None)
            if host is None:
                kept.append(cand)
                continue
            _absorb(host, cand)
        return [c for c in kept if c.trigger.alone or c.merged or c.weapon or not c.trigger.generic]

    @staticmethod
    def _attach(
        cand: _Candidate,
        doc: Document,
        dates: dict[int, list[Mention]],
        places: dict[int, list[Mention]],
    ) -> None:
        si = next(iter(cand.sentences))
        at = cand.triggers[0].start
        ev = cand.event
        d = _nearest(dates, si, at, doc, context=ev.factuality != "historical")
        p = _nearest(places, si, at, doc, context=ev.factuality != "historical")
        if d is not None and isinstance(d[0].value, When):
            ev.date = dataclasses.replace(d[0].value, attachment=d[1])
        if p is not None and isinstance(p[0].value, Place):
            ev.place = dataclasses.replace(p[0].value, attachment=p[1])

    @staticmethod
    def _link(
        doc: Document, cands: list[_Candidate], figures_by_sent: dict[int, list[Any]]
    ) -> None:
        for si, figs in figures_by_sent.items():
            owners = [c for c in cands if si in c.sentences]
            for fig in figs:
                if not owners:
                    break
                pos = fig.evidence[0].start
                best = min(
                    owners,
                    key=lambda c: min(
                        abs(e.start - pos) for e in c.triggers if doc.sentence_at(e.start) == si
                    ),
                )
                fig.event_id = best.event.id
                best.event.figure_ids.append(fig.id)
        for claim in doc.claims:
            spans = [claim.content_evidence] if claim.content_evidence else claim.evidence
            for cand in cands:
                if any(
                    s.start <= t.start and t.end <= s.end
                    for s in spans
                    if s is not None
                    for t in cand.triggers
                ):
                    cand.event.claim_ids.append(claim.id)


def _add_actor(actors: list[Actor], new: Actor) -> None:
    for a in actors:
        if (a.role, a.name.lower()) == (new.role, new.name.lower()):
            a.evidence += [e for e in new.evidence if e not in a.evidence]
            return
    actors.append(new)


def _has_year(published: str | None) -> bool:
    return bool(published and re.match(r"\d{4}", published))


def _by_sentence(mentions: list[Mention]) -> dict[int, list[Mention]]:
    out: dict[int, list[Mention]] = {}
    for m in mentions:
        out.setdefault(m.sentence, []).append(m)
    return out


def _nearest(
    mentions: dict[int, list[Mention]], si: int, at: int, doc: Document, context: bool
) -> tuple[Mention, str] | None:
    """The mention nearest the trigger in its sentence, else the paragraph before it, else the lede."""
    own = mentions.get(si)
    if own:
        return min(own, key=lambda m: abs(m.start - at)), "sentence"
    if not context:
        return None
    para = doc.sentences[si].paragraph
    for j in range(si - 1, -1, -1):
        if doc.sentences[j].paragraph != para:
            break
        if mentions.get(j):
            return mentions[j][-1], "context"
    lede = [
        m
        for j in sorted(mentions)
        if doc.sentences[j].paragraph == 0 and j < len(doc.sentences)
        for m in mentions[j]
    ]
    if lede:
        return lede[0], "context"
    return None


def _same(a: Any, b: Any, fields: tuple[str, ...]) -> bool:
    if a is None or b is None:
        return True
    return all(getattr(a, f) == getattr(b, f) for f in fields)


def _compatible(host: _Candidate, cand: _Candidate) -> bool:
    h, c = host.event, cand.event
    if h.factuality != c.factuality:
        return False
    if h.factuality == "historical" and not host.sentences & cand.sentences:
        return False  # each past incident is its own, unless named twice in one sentence
    same_type = (h.type, h.subtype) == (c.type, c.subtype)
    flexible = host.trigger.family == cand.trigger.family and (
        host.trigger.generic or cand.trigger.generic or host.trigger.key != cand.trigger.key
    )
    if not (same_type or flexible):
        return False
    return _same(h.date, c.date, ("start", "end")) and _same(h.place, c.place, ("name", "facility"))


def _absorb(host: _Candidate, cand: _Candidate) -> None:
    h, c = host.event, cand.event
    if (
        host.trigger.generic
        and not host.weapon
        and not cand.trigger.generic
        or (cand.weapon and not host.weapon and host.trigger.generic)
    ):
        h.type, h.subtype, h.plover = c.type, c.subtype, c.plover
        if h.health_care is not None:
            h.health_care["attack_types"] = list(cand.trigger.who)
        host.trigger = dataclasses.replace(cand.trigger, generic=False)
        host.weapon = host.weapon or cand.weapon
    host.merged = True
    host.sentences |= cand.sentences
    host.triggers += cand.triggers
    h.evidence += c.evidence
    for a in c.actors:
        _add_actor(h.actors, a)
    if c.health_care:
        if h.health_care is None:
            h.health_care = {"attack_types": [], "resources": [], "indicators": []}
        for k in ("attack_types", "resources", "indicators"):
            h.health_care[k] = list(dict.fromkeys([*h.health_care[k], *c.health_care[k]]))
        if "vicinity affected" in h.health_care["indicators"] and any(
            i.startswith("facility ") for i in h.health_care["indicators"]
        ):
            h.health_care["indicators"].remove("vicinity affected")
    h.date = h.date or c.date
    h.place = h.place or c.place
