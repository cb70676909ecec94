"""Health-care coding from a trained model, on each event's own sentences.

The rules of `events.rules.v1` decide first; the model (trained on Insecurity
Insight's incident descriptions, see docs/models.md) only adds what they
left out, and only where the sentences themselves name what the addition is
about:
- an indicator on a facility (destroyed, damaged, forceful entry,
  occupation) needs a health facility named in the sentences; one on health
  workers (killed, injured, kidnapped, arrested) needs health personnel
  named; access obstructed needs any health resource (facility, transport,
  personnel, patients). A health ministry giving a toll names none of these,
  so "12 people were killed, the health ministry said" gains nothing;
- the weapon: the coding's `weapon` (Insecurity Insight's "weapon carried or
  used") where the rules' trigger names none; the PLOVER mode only where the
  rules gave none, or the firearms default of a generic trigger ("attacked");
- the perpetrator's type only on a perpetrator the actors dictionary could not
  type (on any asserted event), or on the phrase naming the doer of a
  health-care event whose rules found no perpetrator;
- a report in which the rules found no event at all may get one health-care
  event from the model (`_fallback`), with no date or place.
Every addition to a health-care event is listed under `health_care["model"]`,
so a reader can tell the model's coding from the rules' (the type it gives
the perpetrator of any other event, like the actors dictionary's, is not). Probabilities under the thresholds chosen
on the dev sample (kept in the model file) add nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from eventledger.data import load_toml
from eventledger.models import Actor, Event
from eventledger.pipeline import Document, register
from eventledger.stages.events.assembly import TAKEN_TO, VIOLENCE, disaster_report
from eventledger.stages.events.textmodel import TextModel, load_model

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["HealthCareModel", "HealthCareModelV3"]

MODEL = "healthcare"
_FACILITY_INDICATORS = frozenset(
    {"facility destroyed", "facility damaged", "forceful entry", "occupation"}
)
_WORKER_INDICATORS = frozenset(
    {"health workers killed", "health workers injured", "health workers kidnapped",
     "health workers arrested"}
)  # fmt: skip
# The WHO resources whose naming lets the model code an event as health care
# (supplies and warehouses are too often other goods).
_GATE_RESOURCES = ("facility", "transport", "personnel", "patients")
_WEAPON_MODES = {
    "firearms": "firearms",
    "aerial": "aerial",
    "heavy": "heavy-weapons",
    "explosive": "explosion",
    "arson": "arson",
}
# A trigger that itself names gunfire: its firearms mode is the rules' own finding.
_FIREARM_TRIGGER = re.compile(r"shoot|shot|gun|fire", re.I)
# Taxonomy triggers whose type a model-found event takes: by weapon first,
# then by the most telling indicator (as the rules' _TYPE_PRIORITY).
_WEAPON_TRIGGERS = {
    "aerial": "air_strike",
    "heavy": "shelling",
    "explosive": "explosive",
    "arson": "arson",
    "firearms": "shooting",
}
_INDICATOR_TRIGGERS = (
    ("health workers kidnapped", "abduction"),
    ("health workers arrested", "arrest"),
    ("health workers killed", "attack"),
    ("health workers injured", "attack"),
    ("forceful entry", "raid"),
    ("occupation", "occupation"),
    ("access obstructed", "obstruction"),
    ("facility destroyed", "attack"),
    ("facility damaged", "attack"),
)
# Words that make a sentence tell something other than an act that happened.
_NOT_TOLD = frozenset({"threaten", "threat", "plan", "warn", "fear", "deny", "allege", "if"})
# Verbs whose subject reports rather than does ("MSF said ...").
_SPEECH_VERBS = frozenset(
    {"say", "tell", "report", "announce", "confirm", "add", "state", "claim", "accuse",
     "condemn", "deny", "call", "warn", "describe", "write", "urge", "blame"}
)  # fmt: skip
# Nouns whose nationality modifier names the attacker ("Russian shelling").
_ATTACK_NOUNS = frozenset(
    {"strike", "airstrike", "shelling", "bombardment", "bombing", "attack", "raid", "fire",
     "missile", "rocket", "drone", "warplane", "jet", "aircraft", "artillery", "tank",
     "helicopter", "gunship", "plane",
     "force", "forces", "troop", "troops", "soldier", "army", "military", "navy", "shell"}
)  # fmt: skip
_FALLBACK_WEAPONS = frozenset({"aerial", "heavy", "explosive", "arson"})
# A sentence that tallies or recalls (as the rules' historical cues): no incident of its own.
_BACKGROUND = re.compile(
    r"\b(?:since|so far|to date|this year|last (?:year|month|week)|in recent|over the past|"
    r"years? ago|previous(?:ly)?|earlier|in total|a total of|at least \d+ (?:attacks|incidents))\b(?!-)",
    re.I,
)
_ACTOR_TYPES = frozenset({"military", "government", "armed_group"})
# Agent nouns the taxonomy's list (written for the actors dictionary) leaves
# out, which head the doer of a passive act: "arrested by security officials",
# "turned back by the occupiers", "detained by the authorities".
_MORE_AGENTS = frozenset({"official", "authority", "authorities", "occupier", "junta"})
# Nouns too generic to name a doer alone ("men" are as often victims), which
# do when a modifier says they were armed or unknown: "by three armed men".
_GENERIC_AGENTS = frozenset({"man", "men", "individual", "person", "people", "group", "youth"})
_ARMED = frozenset({"armed", "unidentified", "unknown", "masked", "unnamed", "suspected"})
# Verbs whose passive agent runs, backs or serves the victim rather than
# attacking it ("a hospital run by MSF"): their "by" phrase names no doer.
_SUPPORT_VERBS = frozenset(
    {"run", "operate", "support", "manage", "fund", "build", "own", "back", "staff", "sponsor",
     "provide", "supply", "serve", "use", "treat", "visit", "evacuate", "report", "document",
     "confirm", "condemn", "organise", "organize", "establish", "found", "lead", "host",
     "donate", "deliver", "rescue", "admit", "transport", "escort", "protect", "guard"}
)  # fmt: skip


def _resource_patterns() -> dict[str, re.Pattern[str]]:
    resources = load_toml("taxonomy.toml")["events"]["health"]["resources"]
    extra = {  # forms the taxonomy's lemma lists leave to the parser
        "facility": ["hospitals", "clinics", "health centres", "health centers",
                     "health facilities", "medical facilities", "dispensaries"],
        "personnel": ["doctors", "nurses", "medics", "paramedics", "surgeons", "health workers",
                      "healthcare workers", "medical workers", "midwives", "health staff",
                      "medical personnel", "health personnel", "vaccinator", "vaccinators"],
        "patients": ["patients"],
    }  # fmt: skip
    out = {}
    for kind in _GATE_RESOURCES:
        words = sorted({*resources.get(kind, []), *extra.get(kind, [])}, key=len, reverse=True)
        alts = [re.escape(w) for w in words] + _MORE_RESOURCES.get(kind, [])
        out[kind] = re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.I)
    return out


# Health resources that the taxonomy's lemma lists (written for the parser)
# leave out: named facilities by their service, medical professions, teams.
_MORE_RESOURCES = {
    "facility": [
        r"(?:health(?:[- ]?care)?|medical|maternity|diagnostic|rehabilitation|prosthetics?|"
        r"surgical|trauma|dialysis|vaccination|emergency medical|ambulance)\s+"
        r"(?:centres?|centers?|complex(?:es)?|units?|posts?|stations?|facilit(?:y|ies)|"
        r"buildings?|wards?)",
        r"polyclinics?",
        r"blood banks?",
        r"pharmacies",
    ],
    "transport": [
        r"(?:health|medical) (?:transport|convoys?|vehicles?|evacuations?)",
        r"health[- ]?care delivery",
        r"(?:health|medical) (?:care|services)",
    ],
    "personnel": [
        r"(?:ophthalmolog|gynaecolog|gynecolog|radiolog|cardiolog|anaesthes|anesthes|"
        r"neurolog|patholog|epidemiolog|pharmac|dent|physiotherap|psychiatr|p(?:a)?ediatric)"
        r"(?:ists?|ians?)",
        r"physicians?",
        r"medical (?:students?|volunteers?|teams?|staffers?|officers?)",
        r"health (?:volunteers?|teams?|professionals?|staffers?)",
        r"ambulance (?:drivers?|workers?|staff)",
        r"first responders?",
    ],
}


@register("events.healthcare_model.v2")
class HealthCareModel:
    """Add the model's health-care indicators, weapon and perpetrator type to events."""

    requires: tuple[str, ...] = ("doc.events", "actor.type")
    assigns: tuple[str, ...] = ("event.health_care", "event.plover", "actor.type")

    def __init__(self, settings: Settings | None = None) -> None:
        self.model: TextModel = load_model(MODEL)
        self.patterns = _resource_patterns()
        taxonomy = load_toml("taxonomy.toml")["events"]
        self.agents = frozenset(taxonomy.get("actors", {}).get("agents", ())) - {
            "man", "men", "woman", "women", "individual", "person", "people", "member",
            "officer", "guard", "crew", "service", "services", "unit", "group", "youth",
        }  # fmt: skip
        self.agents |= _MORE_AGENTS

    def __call__(self, doc: Document) -> Document:
        asserted = [e for e in doc.events if e.factuality == "asserted"]
        for event in asserted:
            text = _own_sentences(doc, event)
            # where the wounded were taken names care, not a target
            cared = _SPOKEN_FROM_CARE.sub(" ", _TAKEN_FOR_CARE.sub(" ", text))
            named = {k for k, rx in self.patterns.items() if rx.search(cared)}
            if not named and not event.health_care:
                self._type_perpetrator(event, self.model.predict(text))
                continue
            self.code(event, text, named, doc)
        if not doc.events:  # a historical or negated event is the rules' reading: kept
            event = self._fallback(doc)
            if event is not None:
                doc.events.append(event)
        return doc

    def _fallback(self, doc: Document) -> Event | None:
        """The report's health-care incident, when the rules found no event at all.

        Each sentence that names a health resource, tells no negated,
        hypothetical or threatened act, tallies or recalls nothing ("since",
        "this year", "previously"), and on which the model codes an
        indicator or a weapon other than firearms (its default) above its
        threshold, is evidence of one event (a report
        the rules could not read tells one incident far more often than
        several). Its type is the taxonomy's for the weapon or the most
        telling indicator; no date or place is attached. An event made from
        nothing has its own cuts (the model file's "new_event": searched on dev
        keeping each field's precision at least 0.8), not those for coding the
        events the rules found."""
        cut = self.model.thresholds.get("new_event") or self.model.thresholds
        found: list[tuple[Any, set[str], dict[str, dict[str, float]], list[str]]] = []
        disaster = disaster_report(doc.text)
        for _, sent in doc.iter_sentences():
            text = doc.text[sent.start : sent.end]
            if disaster and not VIOLENCE.search(text):
                continue  # an earthquake's injured, treated at a hospital: no attack
            named = {k for k, rx in self.patterns.items() if rx.search(text)}
            if not named or not _told(text, sent) or not _tells_a_deed(text):
                continue
            probs = self.model.predict(text)
            inds = [
                ind
                for ind, p in probs["indicators"].items()
                if p >= cut.get(ind, 1.0)
                and (ind not in _FACILITY_INDICATORS or "facility" in named)
                and (ind not in _WORKER_INDICATORS or "personnel" in named)
            ]
            weapon, pw = _top(probs["weapon"])
            # a confident weapon other than II's default (firearms) tells an attack too
            armed = weapon in _FALLBACK_WEAPONS and pw >= cut.get("weapon", 1.0)
            if inds or armed:
                found.append((sent, named, probs, inds))
        if not found:
            return None
        indicators = list(dict.fromkeys(i for f in found for i in f[3]))
        weapon, pw = _top(found[0][2]["weapon"])
        told = " ".join(doc.text[f[0].start : f[0].end] for f in found)
        weapon = (
            weapon if pw >= cut.get("weapon", 1.0) and self.weapon_fits(told, weapon) else "none"
        )
        key = _WEAPON_TRIGGERS.get(weapon) or next(
            (k for ind, k in _INDICATOR_TRIGGERS if ind in indicators), "attack"
        )
        trig = load_toml("taxonomy.toml")["events"]["triggers"][key]
        sents = [f[0] for f in found]
        plover = dict(trig.get("plover") or {})
        coding: dict[str, Any] = {
            "attack_types": list(trig.get("who", [])),
            "resources": sorted(set().union(*(f[1] for f in found))),
            "indicators": indicators,
        }
        by_model: dict[str, Any] = {"name": self.name, "indicators": indicators, "event": True}  # type: ignore[attr-defined]
        if weapon in _WEAPON_MODES:
            coding["weapon"] = by_model["weapon_carried"] = weapon
            if plover.get("event") == "ASSAULT":
                plover["mode"] = by_model["weapon"] = _WEAPON_MODES[weapon]
        coding["model"] = by_model
        event = Event(
            id=doc.new_id("ev"),
            document_id=doc.id,
            type=trig["type"],
            subtype=trig.get("subtype"),
            trigger=sents[0].span.root.text,
            health_care=coding,
            plover=plover,
            evidence=[doc.evidence(s.start, s.end) for s in sents],
        )
        perp, pp = _top(found[0][2]["perpetrator"])
        if perp in _ACTOR_TYPES and pp >= cut.get("perpetrator", 1.0):
            actor = self._doer(doc, event)
            if actor is not None:
                actor.type = by_model["perpetrator"] = perp
                event.actors.append(actor)
        # the counts told in the event's sentences are its figures (as the rules link theirs)
        for fig in doc.figures:
            if fig.event_id is None and any(
                s.start <= e.start < s.end for e in fig.evidence for s in sents
            ):
                fig.event_id = event.id
                event.figure_ids.append(fig.id)
        return event

    def _type_perpetrator(self, event: Event, probs: dict[str, dict[str, float]]) -> None:
        """Type the perpetrator the rules found and the dictionary could not type.

        Who did it is read the same way in any attack, so this needs no health
        resource; it never adds a perpetrator to an event outside health care."""
        perp, pp = _top(probs["perpetrator"])
        if perp not in _ACTOR_TYPES or pp < self.model.thresholds.get("perpetrator", 1.0):
            return
        actor = _sole_perpetrator(event)
        if actor is not None and actor.type in (None, "unknown"):
            actor.type = perp

    def code(self, event: Event, text: str, named: set[str], doc: Document | None = None) -> None:
        """Add the model's findings on `text` (the event's sentences) to `event`.

        On an event the rules coded as health care the cuts tuned for the stage
        apply; one the rules did not code becomes health care only under the
        stricter cuts of the model file's "recode" (chosen for precision on whole
        descriptions): calling an attack one on health care is the model's own claim."""
        probs = self.model.predict(text)
        cut = self.model.thresholds
        if not event.health_care:
            cut = cut.get("recode") or cut
        added: dict[str, Any] = {}
        have = set((event.health_care or {}).get("indicators", []))
        new = []
        for ind, p in probs["indicators"].items():
            if p < cut.get(ind, 1.0) or ind in have:
                continue
            if ind in _FACILITY_INDICATORS and "facility" not in named:
                continue
            if ind in _WORKER_INDICATORS and "personnel" not in named:
                continue
            new.append(ind)
        if new:
            added["indicators"] = new
        elif not event.health_care:
            # the rest is coded only on an event it or the rules code as health care
            self._type_perpetrator(event, probs)
            return
        weapon, pw = _top(probs["weapon"])
        if (
            weapon in _WEAPON_MODES
            and pw >= cut.get("weapon", 1.0)
            and self.weapon_fits(text, weapon)
        ):
            if _weapon_open(event):
                mode = _WEAPON_MODES[weapon]
                event.plover = {**(event.plover or {"event": "ASSAULT"}), "mode": mode}
                added["weapon"] = mode
            if _rules_weapon(event) is None:
                # Insecurity Insight's "weapon carried or used" is apart from the
                # event's mode: an arrest at gunpoint is an arrest carried out with firearms
                added["weapon_carried"] = weapon
        perp, pp = _top(probs["perpetrator"])
        if perp in _ACTOR_TYPES and pp >= cut.get("perpetrator", 1.0):
            actor = _sole_perpetrator(event)
            has_any = any(a.role == "perpetrator" for a in _rules_actors(event))
            if actor is None and not has_any and doc is not None:
                actor = self._doer(doc, event)
                if actor is not None:
                    event.actors.append(actor)
            if actor is not None and actor.type in (None, "unknown"):
                actor.type = perp
                added["perpetrator"] = perp
        if not added:
            return
        hc = dict(event.health_care or {"attack_types": [], "resources": sorted(named)})
        hc["indicators"] = [*hc.get("indicators", []), *added.get("indicators", [])]
        if "weapon_carried" in added:
            hc["weapon"] = added["weapon_carried"]
        hc["model"] = {"name": self.name, **added}  # type: ignore[attr-defined]
        event.health_care = hc

    def weapon_fits(self, text: str, weapon: str) -> bool:
        """Whether the model's weapon may be coded on `text` (always, in v2)."""
        return True

    def _doer(self, doc: Document, event: Event) -> Actor | None:
        """The phrase of the event's sentences that names who did it, for the model to type.

        A phrase headed by an agent noun of the taxonomy ("forces", "militants";
        never a weapon, a place, or a bare name): the passive agent ("damaged by
        Russian forces") first, then a subject that is not one of a speech verb
        ("soldiers stormed ..."; not "MSF said"); else a nationality modifying
        an attack or weapon noun ("Russian shelling"). Never a health resource
        (the victims) nor a pronoun."""
        found: list[tuple[int, Any]] = []
        for si in _sentence_indices(doc, event):
            sent = doc.sentences[si]
            for tok in sent.span:
                if self.patterns["personnel"].fullmatch(tok.lower_) or tok.pos_ == "PRON":
                    continue
                lemma = tok.lemma_.lower()
                agent_noun = (lemma in self.agents or tok.lower_ in self.agents) and tok.pos_ in (
                    "NOUN", "PROPN"
                )  # fmt: skip
                passive = tok.dep_ == "pobj" and tok.head.dep_ == "agent"
                if passive and tok.head.head.lemma_.lower() in _SUPPORT_VERBS:
                    continue
                if passive and (
                    agent_noun
                    # "by three armed men", "by an unidentified group"
                    or (
                        lemma in _GENERIC_AGENTS
                        and any(c.lower_ in _ARMED for c in tok.lefts if c.dep_ == "amod")
                    )
                    # a named group or force: "abducted by the Northern Front"
                    or (tok.ent_type_ in ("ORG", "NORP") and tok.pos_ == "PROPN")
                ):
                    found.append((0, (sent, tok)))
                elif agent_noun and tok.dep_ == "pobj" and tok.head.lower_ == "by":
                    # "arrested from a hospital by Myanmar military": "by" hung on the noun
                    found.append((1, (sent, tok)))
                elif (
                    agent_noun
                    and tok.dep_ == "nsubj"
                    and tok.head.lemma_.lower() not in _SPEECH_VERBS
                    # "hospitals in which the organization works": a description
                    and tok.head.dep_ != "relcl"
                ):
                    found.append((1, (sent, tok)))
                elif (
                    tok.ent_type_ == "NORP"
                    and tok.dep_ in ("amod", "compound")
                    and tok.head.lemma_.lower() in _ATTACK_NOUNS
                ):
                    found.append((2, (sent, tok)))
                elif (
                    agent_noun
                    and tok.dep_ == "compound"
                    and tok.head.lemma_.lower() in _ATTACK_NOUNS
                ):
                    # "National Army artillery fire": the force that fired, with its modifiers
                    found.append((3, (sent, tok)))
        if not found:
            return None
        prio, (sent, tok) = min(found, key=lambda f: f[0])
        if prio == 2:  # "Russian shelling": the modifier alone names the doer
            span = tok.doc[tok.i : tok.i + 1]
        else:
            left = min(
                (t.i for t in tok.lefts if t.dep_ in ("amod", "compound", "nmod")), default=tok.i
            )
            span = tok.doc[left : tok.i + 1]
        ev = doc.span_evidence(sent.offset, span)
        return Actor(role="perpetrator", name=ev.text, evidence=[ev])


_TAKEN_FOR_CARE = re.compile(
    TAKEN_TO + r"(?:[\w\-']+\s+){0,6}?(?:hospitals?|clinics?|health\s+(?:centres?|centers?|posts?|"
    r"facilit(?:y|ies))|medical\s+(?:centres?|centers?|facilit(?:y|ies)))\b",
    re.IGNORECASE,
)


# Who tells of the attack from a place of care ("a hospital official said",
# "according to medics at Al-Awda Hospital", "the director of the ambulance
# service told AFP") names no health resource that was hit.
_CARE_WORDS = r"(?:hospitals?|clinics?|health|medical|ambulance)"
_SPOKEN_FROM_CARE = re.compile(
    # "a hospital official said", "an Al-Shifa Hospital doctor told AFP": the
    # speaker right before the verb of speech
    r"\b(?:(?:a|an|the)\s+)?(?:(?-i:[A-Z])[\w\-']*\s+){0,3}"
    + _CARE_WORDS
    + r"(?:\s+\w+)?\s+(?:officials?|sources?|director|spokes(?:man|woman|person)|workers?|"
    r"staff(?:er)?s?|doctors?|chief|head)\b(?=\s+(?:has\s+|had\s+)?(?:said|says|told|tells|added)\b)"
    # "according to medics at Al-Awda Hospital"
    r"|\baccording\s+to\s+(?:[\w\-']+\s+){0,7}?(?:at|from|of)\s+(?:the\s+|an?\s+)?"
    r"(?:[\w\-']+\s+){0,4}?" + _CARE_WORDS + r"\b(?:\s+\w+)?"
    # "..., medics said", "according to local doctors": care staff who tell of it
    r"|\b(?:(?:local|palestinian|hospital)\s+)?(?:medics|doctors|paramedics|nurses)"
    r"(?=\s+(?:said|say|says|told|tell|added|reported)\b)"
    r"|\baccording\s+to\s+(?:(?:local|palestinian|hospital)\s+)?(?:medics|doctors|paramedics|nurses)\b"
    # "a doctors' group and activists said", "the Sudan Doctors Network": a body
    # of care workers that tells of the attack
    r"|\b(?:doctors|medical|physicians|nurses|medics)['’]?\s+(?:group|network|union|syndicate|"
    r"association|committee|council|body|federation)\b",
    re.IGNORECASE,
)


# What an act of violence against health care is told with; a sentence without
# one ("health workers are exhausted", "doctors went on strike") tells none,
# and police dispersing a march with tear gas is a protest's policing.
_DEED = re.compile(
    r"\b(?:attack\w*|assault\w*|struck|strikes?\b(?! over)|shell(?:ed|ing|s)|bomb\w*|"
    r"shot|shoot\w*|gun(?:fire|men|man)|open(?:ed)? fire|fired (?:on|at|into)|raid\w*|"
    r"storm(?:ed|ing)|loot\w*|abduct\w*|kidnap\w*|kill\w*|wound\w*|injur\w*|"
    r"burn(?:ed|t|ing)|torch\w*|set (?:fire|ablaze)|destroy\w*|damag\w*|beat(?:en|ing)?|"
    r"arrest\w*|detain\w*|seiz\w*|occup(?:ied|y)|missiles?|rockets?|drones?|explo\w*|"
    r"blast|threat\w*|intimidat\w*|harass\w*|rap(?:e|ed)|execut\w*|"
    # obstruction and military use: access blocked, a facility taken over
    r"block\w*|obstruct\w*|prevent\w*|den(?:y|ied|ying)|stopp(?:ed|ing)|turned back|"
    r"refus\w*|restrict\w*|siege|besieg\w*|checkpoints?|cordon\w*|closed|clos(?:e|ing|ure)|"
    r"took over|taken over|tak(?:e|ing) over|station\w*|convert\w*|used (?:it )?as|"
    r"commandeer\w*|requisition\w*|confiscat\w*|evict\w*|expel\w*|forced|"
    r"searched|search(?:es|ing)?|interrogat\w*|questioned|extort\w*|rob(?:bed|bery|beries)?|"
    r"stole|stolen|theft|vandali\w*|hostages?|captive|disappear\w*|missing|torture\w*|"
    r"violen(?:ce|t)|target\w*|hit|murder\w*|thr(?:ew|own|ow)|taken|took|removed|smash\w*|"
    r"surround\w*|evacuat\w*|ordered|burns?|poison\w*|break-in|broke into|broken into|"
    r"sentenced|imprison\w*|jailed|suspend\w*|turned into|moved|impacted|affected|died|"
    r"dead|shut down|lynch\w*|stabb\w*|slapp\w*|punch\w*|insult\w*|abus\w*|assaulted)\b",
    re.IGNORECASE,
)
_DISPERSAL = re.compile(r"\b(?:tear[- ]?gas|water cannons?|rubber bullets?)\b", re.IGNORECASE)


def _tells_a_deed(text: str) -> bool:
    """Whether a sentence names an act of violence (not only a crowd dispersed, nor
    the kind of wounds patients come with: "injuries from shelling")."""
    return bool(_DEED.search(_WOUND_KIND.sub(" ", _DISPERSAL.sub(" ", text))))


# "gunshot wounds and injuries from shelling": what wounds are, no act told
_WOUND_KIND = re.compile(
    r"\b(?:injur(?:y|ies)|wounds?|burns?|trauma)\s+(?:caused\s+by|from)\s+"
    r"(?:(?:air|aerial|artillery|drone|heavy|indiscriminate)\s+)?"
    r"(?:shelling|bombing|bombardments?|air\s*strikes?|strikes|explosions?|gunfire|shrapnel)\b"
    r"|\b(?:gunshot|bullet|shrapnel|blast|stab)\s+(?:wounds?|injur(?:y|ies))\b",
    re.IGNORECASE,
)


def _told(text: str, sent: Any) -> bool:
    """Whether a sentence tells an act that happened: nothing negated, hypothetical,
    threatened, tallied or recalled."""
    if _BACKGROUND.search(text):
        return False
    return not any(t.dep_ == "neg" or t.lemma_.lower() in _NOT_TOLD or _modal(t) for t in sent.span)


def _modal(tok: Any) -> bool:
    """A modal verb ("could", "may"), not the month the tagger also reads as one
    ("damaged in May 2022": the month hangs on a verb or noun, a modal is its auxiliary)."""
    return bool(tok.tag_ == "MD" and tok.dep_ in ("aux", "auxpass", "ROOT", "conj"))


def _sentence_indices(doc: Document, event: Event) -> list[int]:
    return sorted({si for e in event.evidence if (si := doc.sentence_at(e.start)) is not None})


def _own_sentences(doc: Document, event: Event) -> str:
    """The text of the sentences that hold the event's evidence, in order."""
    seen: list[int] = []
    for ev in event.evidence:
        si = doc.sentence_at(ev.start)
        if si is not None and si not in seen:
            seen.append(si)
    if not seen:
        return " ".join(e.text for e in event.evidence)
    return " ".join(doc.text[doc.sentences[i].start : doc.sentences[i].end] for i in sorted(seen))


def _weapon_open(event: Event) -> bool:
    """Whether the rules left the weapon to be found: no mode, or a generic firearms default."""
    plover = event.plover or {}
    if plover.get("event", "ASSAULT") != "ASSAULT":
        return False
    mode = plover.get("mode")
    return mode is None or (mode == "firearms" and not _FIREARM_TRIGGER.search(event.trigger or ""))


def _rules_actors(event: Event) -> list[Actor]:
    """The event's actors but those the trained argument stage alone found (the
    coding is the same with that stage in the pipeline or not)."""
    return [a for a in event.actors if not a.model_only]


def _sole_perpetrator(event: Event) -> Actor | None:
    """The event's one perpetrator; None when it has none or several (which one the
    model's category is about is then unknown)."""
    perps = [a for a in _rules_actors(event) if a.role == "perpetrator"]
    return perps[0] if len(perps) == 1 else None


def _rules_weapon(event: Event) -> str | None:
    """The weapon category the rules' own trigger names, if any."""
    mode = (event.plover or {}).get("mode")
    if mode == "firearms":
        return "firearms" if _FIREARM_TRIGGER.search(event.trigger or "") else None
    return {v: k for k, v in _WEAPON_MODES.items()}.get(mode or "")


def _top(probs: dict[str, float]) -> tuple[str, float]:
    label = max(probs, key=lambda k: probs[k])
    return label, probs[label]


@register("events.healthcare_model.v3")
class HealthCareModelV3(HealthCareModel):
    """v2, and a health-care event's coding says who Insecurity Insight would say did it.

    The sheet codes a perpetrator category (state forces, an armed group) for
    most incidents even where the description names nobody ("a health worker
    was injured in an undisclosed location"): the coders read it from where
    and how the attack happened. A ledger actor needs a phrase that names the
    doer, so the model's category goes to the coding instead, beside its
    weapon carried or used: `health_care["perpetrator_type"]` (military,
    government or armed_group), only on an asserted health-care event whose
    perpetrators are untyped or absent, under the model's perpetrator cut.
    The actors are left as v2 leaves them."""

    def weapon_fits(self, text: str, weapon: str) -> bool:
        """Firearms, the sheet's most common weapon, is no guess where the sentences
        name a weapon of another kind and no gunfire: tear gas, a knife, sticks;
        and a bomb, a shell or an aircraft is none where they name gunfire and no
        weapon of that kind ("hit by open fire": "hit" alone reads as shelling)."""
        if weapon == "firearms":
            return not _OTHER_WEAPON.search(text) or bool(_GUNFIRE.search(text))
        kind = _WEAPON_WORDS.get(weapon)
        return kind is None or not _GUNFIRE.search(text) or bool(kind.search(text))

    def __call__(self, doc: Document) -> Document:
        doc = super().__call__(doc)
        cut = self.model.thresholds.get("perpetrator", 1.0)
        for event in doc.events:
            if event.factuality != "asserted" or not event.health_care:
                continue
            _gunfire_argument_is_the_weapon(event)
            if _typed_doer(event):
                continue
            perp, pp = _top(self.model.predict(_own_sentences(doc, event))["perpetrator"])
            if perp not in _ACTOR_TYPES or pp < cut:
                continue
            hc = dict(event.health_care)
            hc["perpetrator_type"] = perp
            hc["model"] = {**(hc.get("model") or {}), "name": self.name, "perpetrator_type": perp}
            event.health_care = hc
        return doc


def _gunfire_argument_is_the_weapon(event: Event) -> None:
    """The coding's weapon carried or used is firearms where the rules' firearms mode
    comes from a weapon argument that names gunfire ("hit by bullets"), not from the
    default of a generic trigger."""
    hc = event.health_care or {}
    if hc.get("weapon") or (event.plover or {}).get("mode") != "firearms":
        return
    if any(a.role == "weapon" and _GUNFIRE.search(a.name) for a in _rules_actors(event)):
        event.health_care = {**hc, "weapon": "firearms"}


def _typed_doer(event: Event) -> bool:
    """Whether one of the event's perpetrators already has a type (the rules', the
    dictionary's or the model's own through a doer phrase)."""
    return any(a.role == "perpetrator" and a.type in _ACTOR_TYPES for a in _rules_actors(event))


# Weapons outside the five the coding names (the sheet's less-lethal and melee
# weapons), and words that tell gunfire all the same.
_OTHER_WEAPON = re.compile(
    r"\b(?:tear[- ]?gas|pepper spray|rubber bullets?|water cannons?|batons?|clubs|sticks?|"
    r"stones?|rocks|knives|knife|machetes?|axes?|bows? and arrows|fists?)\b",
    re.I,
)
_GUNFIRE = re.compile(
    r"\b(?:gun\w*|shot|shoot\w*|(?<!rubber )bullets?|rifles?|firearms?|snipers?|"
    r"(?:live|open|sniper|machine[- ]?gun) fire|live ammunition)\b",
    re.I,
)
# Words that name a weapon of each of the coding's kinds other than firearms.
_WEAPON_WORDS = {
    "aerial": re.compile(
        r"\b(?:air[- ]?strikes?|air raids?|warplanes?|jets?|aircraft|helicopters?|drones?|"
        r"planes?|bombs?|bomb(?:ed|ing|ings|ardments?))\b",
        re.I,
    ),
    "heavy": re.compile(
        r"\b(?:shell\w*|artillery|rockets?|missiles?|mortars?|tanks?|bombard\w*)\b", re.I
    ),
    "explosive": re.compile(
        r"\b(?:explo\w+|bombs?|ieds?|(?:land)?mines?|grenades?|blasts?|detonat\w+)\b", re.I
    ),
}
