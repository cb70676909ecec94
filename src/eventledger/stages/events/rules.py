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
- Merging is done in two passes. Within a sentence, triggers of one clause
  chain merge whatever date or place mention sits nearest each ("a shell
  killed two nurses and wounded four others"), unless two triggers have their
  own different subjects and each names an attack in its own right ("a shell
  killed ..., as artillery fire hit ..."). Across sentences, an event merges
  into an earlier one of the same factuality when the types are compatible and
  the date (when both come from their own sentence) and place agree; a
  definite event noun with no date of its own ("the strike") refers back.
  Historical mentions never merge across sentences.
- The merged event takes the type of its most telling trigger (`_TYPE_PRIORITY`):
  a weapon over a bare "killed"; a raid with detentions is Arrests, with an
  abduction an abduction; a shooting during clashes is the armed clash.
- Generic words that name no incident of their own give no event: adjectives
  and nominal uses ("the wounded", "wounded civilians"), plural nouns in
  background ("a series of attacks"), and a bare generic noun that did not
  merge ("a direct attack on a medical facility", said of the told incident).
  A sentence that tallies incidents over a period ("have been detained since
  the start of the year") gives historical events.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from eventledger.data import load_toml
from eventledger.models import Actor, Event, Evidence, Place, When
from eventledger.pipeline import Document, Mention, Sentence, register
from eventledger.stages.annotate.parse_fixes import unparsed_speakers
from eventledger.stages.events.acled_cues import crowd_control
from eventledger.stages.events.assembly import (
    ACCIDENT,
    ATTACK_FAMILIES,
    REGION_WORDS,
    VIOLENCE,
    WATERS,
    Focus,
    dateline_end,
    dates_agree,
    disaster_report,
    distinct_sites,
    document_focus,
    links_elsewhere,
    pick_date,
    pick_place,
    places_agree,
    refine_to_focus,
    sequenced_heads,
    specificity,
    speech_governed,
    told_elsewhere,
)
from eventledger.stages.places.resolver import COUNTRY_ONLY, OFFSET_FROM_TOWN

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["EventRules", "Trigger", "load_taxonomy"]

_SPEECH_VERBS = frozenset(
    {"say", "tell", "report", "announce", "confirm", "add", "state", "claim", "write", "tweet"}
)
# Verbs by which one party charges another with a deed.
_ACCUSING_VERBS = frozenset({"accuse", "blame", "charge", "condemn", "denounce"})
_FUTURE_HEADS = frozenset({"plan", "intend", "prepare", "vow", "aim", "seek"})
# Heads that turn the attack they govern into something else (a threat, an order).
_NOT_ATTACK_HEADS = frozenset({"threaten", "order", "warn", "demand", "urge", "call", "ask"})
# Verbs that say a conflict goes on, and the words that would date one day of it
# ("clashes continued on Tuesday" is that day's fighting).
_LASTING_STATES = frozenset({"continue", "persist", "drag", "grind"})
_WARFARE = frozenset({"fighting", "clash", "war", "conflict", "violence", "hostility", "battle"})
_DAY_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight "
    "overnight morning evening night".split()
)
_MODALS_HYPOTHETICAL = frozenset({"could", "would", "might", "may", "should"})
_MODALS_FUTURE = frozenset({"will", "shall", "'ll"})
_NOBODY = frozenset({"nobody", "none"})
_HISTORICAL = re.compile(
    # "an earlier attack", not "revising up an earlier toll of 70"
    r"\b(?:(?:previous(?:ly)?|prior|an earlier)"
    r"(?! (?:reported )?(?:death )?(?:toll|figure|estimate|count|tally|report|statement))|"
    r"earlier (?:raid|attack|strike|incident)s?|"
    r"in a similar|a similar|similar|last year|years? ago|in the past|once before|"
    r"in recent (?:days|weeks|months|years|fighting)|repeatedly)\b",
    re.IGNORECASE,
)
_MONTH_OF_YEAR = re.compile(
    r"(?<!since )\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december),?\s+(?:of\s+)?last\s+year\b",
    re.IGNORECASE,
)
# "last week" dates an attack; it is background only beside a later attack the
# report is news of (`_background`), not when it is the news itself ("30 people
# were killed last week when armed men attacked a mine, the operator said").
_LAST_PERIOD = re.compile(r"\blast (?:week|month)\b", re.IGNORECASE)
_COMPARISON = re.compile(
    r"\b(?:one of |among )?the (?:\w+est|most \w+|worst|largest|highest)\b[^,.;]*?"
    r"\b(?:in recent (?:days|weeks|months|years)|in (?:years|decades|months)|"
    r"since \w+(?: \w+)?|so far|on record)",
    re.IGNORECASE,
)
# A sentence that counts incidents over a period rather than telling one.
_TALLY = re.compile(
    r"\b(?:since|so far|to date|this year|over the (?:past|last)(?: \w+)? "
    r"(?:days|weeks|months|years|decades?)"
    # "have been attacked more than 60 times", "has been repeatedly shelled"
    r"|\d[\d,]*\s+times|(?:several|many|dozens\s+of|hundreds\s+of)\s+times|repeatedly)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
# "who reject the 2016 peace deal": a year that names a thing, not when the deed was
_YEAR_AS_MODIFIER = re.compile(r"\b(?:the|a|its|their|his|her)\s+(?:19|20)\d\d\s+(?=[a-z])")
# When triggers of one incident merge, the event takes the type of the most
# telling one (ACLED codes one event per incident): a weapon decides over a
# bare "killed"; a raid in which people were detained is coded as Arrests,
# one in which they were abducted as an abduction.
_TYPE_PRIORITY = {
    s: i
    for i, s in enumerate(
        (
            "Chemical weapon",
            "Air/drone strike",
            "Shelling/artillery/missile attack",
            "Grenade",
            "Suicide bomb",  # "the blast" a suicide bomber set off is no mere IED
            "Remote explosive/landmine/IED",
            "Armed clash",
            "Sexual violence",
            "Abduction/forced disappearance",
            "Arrests",
            "Attack",
            "Looting/property destruction",
            "Non-violent transfer of territory",
        )
    )
}
# Nouns that name a weapon only through their modifier ("artillery fire").
# Parts of a facility: a hit on one is a hit on the facility.
_PART_NOUNS = frozenset(
    {"courtyard", "gate", "entrance", "wall", "roof", "floor", "wing", "ward", "yard", "building"}
)
# Posts held in an organisation: health personnel when it is a health facility.
_ROLE_NOUNS = frozenset(
    {"director", "manager", "head", "chief", "administrator", "employee", "staffer", "worker"}
)
# Munitions that aircraft fire as well as guns and launchers on the ground.
_AIR_LAUNCHED = frozenset({"missile", "rocket"})
# Nouns that carry or move something: a health resource when what they carry is one.
_CARRIER_NOUNS = frozenset(
    {"delivery", "transport", "transportation", "shipment", "consignment", "convoy", "truck",
     "lorry", "vehicle", "supply"}
)  # fmt: skip
# UCDP where_prec at or above which a place is a region or country.
_COARSE_PRECISION = 4
_GENERIC_FACILITY_WORDS = frozenset(
    {"the", "hospital", "clinic", "centre", "center", "health", "medical", "its", "city", "s"}
)
_AGENT_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# Heads that name anyone at all: a perpetrator only as "armed men", "masked gunmen".
_PLAIN_PEOPLE = frozenset({"people", "person", "man", "men", "woman", "women", "individual"})
_HOSTILE = frozenset(
    {"armed", "masked", "unidentified", "unknown", "suspected", "hooded", "uniformed", "gun"}
)
# Nouns counted as victims far more than as doers ("two police officers were hurt").
_VICTIM_NOUNS = frozenset({"officer", "member", "person", "people", "guard", "youth", "woman"})
# Modifiers that name the attacker of a trigger or weapon noun ("a junta air strike").
_OWNER_WORDS = frozenset(
    {"junta", "military", "paramilitary", "regime", "army", "rebel", "militia", "insurgent",
     "jihadist", "militant", "coalition", "gang", "police", "government", "enemy", "terrorist"}
)  # fmt: skip
# Verbs of damage that are no trigger of their own.
_DAMAGING = frozenset({"destroy", "damage", "wreck", "demolish", "raze", "flatten"})
_WEAPON_HEADS = frozenset({"fire", "round", "barrage", "attack", "strike", "device"})
# Families a generic trigger (killed, wounded, attack) can join.
# Mishaps that kill without an attacker.
_MISHAPS = frozenset(
    {"crash", "accident", "collision", "flood", "flooding", "earthquake", "landslide", "storm",
     "avalanche", "stampede", "drowning", "lightning", "mudslide", "cyclone", "hurricane",
     "typhoon", "tsunami", "heatwave", "cholera", "outbreak", "disease", "famine", "drought",
     "rain", "rains", "collapse", "quake", "tremor", "aftershock", "eruption", "wildfire"}
)  # fmt: skip
# Who gives care, and may turn patients away on strike or when full.
_CARE_PROVIDERS = frozenset(
    {"hospital", "clinic", "facility", "centre", "center", "doctor", "nurse", "staff", "pharmacy"}
)
_BURNED_PEOPLE = frozenset(
    {"patient", "people", "person", "child", "victim", "civilian", "resident", "man", "woman"}
)
# A sentence that tells an accident also tells a wilful deed when it says so
# ("set fire", "gunmen"): then its triggers stand.
_WILFUL = re.compile(
    r"\b(?:set\s+(?:fire|ablaze|alight)|torch\w*|arson\w*|attack\w*|bomb\w*|shell\w*|"
    r"strikes?|struck|gunmen|militants|rebels|assailants|deliberate\w*)\b",
    re.IGNORECASE,
)
# What one battles or fights that is no armed foe.
_NO_FOES = frozenset(
    {"fire", "blaze", "flame", "wildfire", "inferno", "flood", "disease", "illness", "cancer",
     "cholera", "measles", "malaria", "outbreak", "epidemic", "virus", "hunger", "famine",
     "poverty", "corruption", "addiction", "drought",
     # "has been battling jihadi violence for years": a policy, no fight told
     "violence", "insurgency", "terrorism", "extremism", "crime", "banditry", "militancy"}
)  # fmt: skip
# How long an attack lasted, written on it ("a two-day attack"): no day of its own.
_LASTING = re.compile(r"(?:\w+|\d+)-(?:day|week|month)", re.IGNORECASE)
_NEWS_ATTACKS = frozenset(
    {"attack", "raid", "strike", "airstrike", "killing", "shooting", "incident", "bombing",
     "assault", "abduction", "kidnapping", "massacre", "explosion", "blast", "ambush",
     "shelling", "it"}
)  # fmt: skip
_PERIODS = frozenset({"day", "week", "month", "year"})
_GENERIC_JOINS = frozenset({"violence", "abduction", "arrest", "battle"})
# Trigger keys that join a raid as one incident.
_RAID_JOINS = frozenset({"arrest", "abduction", "looting", "occupation"})
# Forms the pinned model's lemmatizer gets wrong in some parses ("raped" -> "rap").
_LEMMA_FIXES = {"raped": "rape", "raping": "rape", "rapes": "rape"}
_WEAPON_TYPES = {
    "Air/drone strike": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Chemical weapon": "Explosions/Remote violence",
    "Attack": "Violence against civilians",
}

# The PLOVER mode of each weapon sub-type ("Attack": a gun, a knife or a club,
# firearms as the generic attack triggers' default: "hit by a bullet" is no air
# strike).
_WEAPON_MODES = {
    "Attack": "firearms",
    "Air/drone strike": "aerial",
    "Shelling/artillery/missile attack": "heavy-weapons",
    "Remote explosive/landmine/IED": "explosion",
    "Grenade": "explosion",
    "Chemical weapon": "CBRN",
}


def load_taxonomy() -> dict[str, Any]:
    """The packaged taxonomy (data/taxonomy.toml), parsed once per process."""
    return load_toml("taxonomy.toml")


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
    subject: int | None = None  # doc index of the trigger's own explicit subject
    token: Any = None  # the trigger token (spaCy), for clause tests while merging
    # Every merged trigger token with its paragraph's char offset, for clause tests.
    anchors: list[tuple[Any, int]] = field(default_factory=list)
    # The type comes from a bare "strike" or "bombing" (no air or drone word, no
    # weapon): it says no more than "hit", and a weapon told of the same attack
    # retypes it ("a car bomb ... blamed ... for the bombing").
    bare_strike: bool = False
    # Families of the triggers folded into this one (its own included through
    # `told_families`): "killing 12 and abducting dozens" has told an abduction.
    families: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)  # the same for the triggers' keys
    points: list[Place] = field(default_factory=list)  # see `told_points`

    def told_families(self) -> set[str]:
        return self.families | {self.trigger.family}

    def told_keys(self) -> set[str]:
        return self.keys | {self.trigger.key}

    def told_points(self) -> list[Place]:
        """The points (towns, facilities at their town) of the mentions folded
        in, its own included: "barrel bombs hit a hospital in the Idlib
        countryside", then "on a hospital in Kafr Nabl" puts the attack at that
        town, so a strike told at another town of the province is not joined
        to it through the province (no chain of weak links)."""
        own = self.event.place
        if own is None or own.attachment == "dateline" or own.lat is None:
            return self.points  # where the reporter filed from places nothing
        if specificity(own) < 3.0 and not (own.precision == 4 and own.admin1):
            return self.points  # a country says nothing of which province
        return [*self.points, own]


class _Lexicon:
    """Lookup tables built once from the taxonomy."""

    def __init__(self, taxonomy: dict[str, Any]) -> None:
        ev = taxonomy["events"]
        self.verbs: dict[str, Trigger] = {}
        self.nouns: dict[str, Trigger] = {}
        # a verb that is a trigger only with one of its objects, per trigger
        # ("seized medicine" loots, "seized 20 students" abducts)
        self.object_verbs: dict[str, list[tuple[frozenset[str], Trigger]]] = {}
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
                self.object_verbs.setdefault(verb, []).append((frozenset(objects), trig))
            for verb, parts in t.get("with_particle", {}).items():
                self.particles[verb] = frozenset(parts)
        self.weapons = {w: sub for sub, words in ev["weapons"].items() for w in words}
        health = ev["health"]
        self.resources = {w: r for r, words in health["resources"].items() for w in words}
        self.worker_indicators: dict[str, str] = dict(health["worker_indicators"])
        self.vicinity = frozenset(health["vicinity"])
        self.agents = frozenset(ev.get("actors", {}).get("agents", ()))


# Stores and goods that are care's only when told so ("a medical warehouse").
_GENERIC_STORES = frozenset({"warehouse", "depot", "supplies"})
_CARE_MARKS = frozenset(
    {"medical", "health", "medicine", "medicines", "pharmaceutical", "drug", "vaccine",
     "hospital", "who", "unicef", "msf", "icrc", "insulin", "oxygen", "medication",
     "surgical"}
)  # fmt: skip


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
    while left.i < tok.i and (left.tag_ in ("WRB", "IN") or left.is_punct):
        # "when suspected ADF rebels attacked": the parse hangs the clause's
        # "when" on the subject's modifier; it is no part of the doer's name
        left = left.doc[left.i + 1]
    return left.idx, tok.idx + len(tok.text)


# The rest of an organisation's title-case name after its head word: "for the
# Support of Islam and Muslims (JNIM)", "of Sudan", "for Peace".
_NAME_GOES_ON = re.compile(
    r"\s+(?:for|of)\s+(?:the\s+)?[A-Z][\w'’\-]*"
    r"(?:\s+(?:(?:of|and|for|the|in)\s+)*[A-Z][\w'’\-]*)*(?:\s+\([A-Z][A-Za-z\-]{1,9}\))?"
)
# Participles that tie a doer to the group it belongs to.
_AFFILIATION = frozenset({"link", "affiliate", "loyal", "ally", "belong", "tie", "associate"})


def _not_where_it_was(ev: Event, countries: list[Mention]) -> None:
    """Drop a perpetrator that is only the name of the country the attack was in:
    "South Sudan ambush", "Mali attack" say where, as "Russian strike on Kyiv" or
    "Israel strike on Gaza" (a country elsewhere) say who."""
    where = ev.place.country if ev.place is not None else None
    if where is None:
        return
    spans = {
        (m.start, m.end)
        for m in countries
        # the country's own name, not a name the resolver could only put in it
        if m.value.country == where and m.value.reason == COUNTRY_ONLY
    }
    ev.actors = [
        a
        for a in ev.actors
        if not (
            a.role == "perpetrator"
            and a.evidence
            and all((e.start, e.end) in spans for e in a.evidence)
        )
    ]


def _named_by_attachment(tok: Any, agents: frozenset[str] | set[str]) -> int | None:
    """Paragraph-relative end of a generic doer with the group it belongs to
    ("dissidents of the former FARC", "fighters from the RSF", "militants
    linked to Islamic State", "members of a local militia"), or None: the
    group is who did it."""
    if tok.pos_ == "PROPN" and tok.is_title:
        # "the Group for the Support of Islam and Muslims (JNIM)": a name's own
        # title-case words, however the parse hangs them
        m = _NAME_GOES_ON.match(tok.doc.text, tok.idx + len(tok.text))
        if m:
            return m.end()
    for c in tok.rights:
        if c.dep_ == "appos" and c.pos_ == "PROPN" and c.left_edge.i == tok.i + 1:
            # "the Sudanese paramilitary Rapid Support Forces": the name the
            # descriptor runs into, parsed as its apposition (not ", RSF," after it)
            return c.idx + len(c.text)
        if c.dep_ == "prep" and c.lower_ in ("of", "from"):
            head = next((g for g in c.children if g.dep_ == "pobj"), None)
        elif c.dep_ in ("acl", "amod") and c.lemma_.lower() in _AFFILIATION:
            prep = next((g for g in c.children if g.dep_ == "prep"), None)
            head = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep else None
        else:
            continue
        if head is None or c.right_edge.i - tok.i > 9:
            return None
        if head.lemma_.lower() in agents or any(
            t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "NORP") for t in head.subtree
        ):
            end = c.right_edge
            doc = tok.doc
            if (
                end.i + 3 < len(doc)
                and doc[end.i + 1].text == "("
                and doc[end.i + 3].text == ")"
                and doc[end.i + 2].is_upper
            ):
                end = doc[end.i + 3]  # "... Muslims (JNIM)": its initials too
            return end.idx + len(end.text)
        return None
    return None


# How far before a report's news an attack it also tells is background.
_BACKGROUND_DAYS = 60
_NEWS_FAMILIES = frozenset({"violence", "battle", "abduction"})


def _told_last_period(cand: _Candidate, doc: Document) -> bool:
    """Whether a sentence that tells the candidate dates it "last week" or "last month"."""
    return any(
        _LAST_PERIOD.search(doc.text[s.start : s.end])
        for s in doc.sentences
        if any(s.start <= e.start < s.end for e in cand.event.evidence)
    )


def _background(merged: list[_Candidate], doc: Document) -> None:
    """An attack the report dates months before its news ("fighting erupted
    in November", in a report on a June attack) is background: historical.
    The news is the latest asserted date that lies within the background
    window of publication; a retrospective ("ten years ago") has none, so
    its old attacks stay asserted."""
    pub = _iso_day(doc.article.published)
    if pub is None:
        return
    ends = []
    for cand in merged:
        when = cand.event.date
        if cand.event.factuality == "asserted" and when is not None:
            end = _iso_day(when.end or when.start)
            if end is not None:
                ends.append((cand, end))
    # the news must be an attack: a report of an arrest or a trial months
    # after a shooting is still that shooting's report
    recent = [
        end
        for cand, end in ends
        if (pub - end).days <= _BACKGROUND_DAYS and cand.trigger.family in _NEWS_FAMILIES
    ]
    if not recent:
        return
    news = max(recent)
    for cand, end in ends:
        if (news - end).days > _BACKGROUND_DAYS:
            cand.event.factuality = "historical"
        elif end < news and _told_last_period(cand, doc):
            cand.event.factuality = "historical"  # "the group attacked a school last week"


def _shared_day(merged: list[_Candidate], doc: Document) -> None:
    """An attack told without a day ("a two-day attack on camps for displaced
    people") takes the day of an attack on the same targets named again with the
    definite article ("the camps were attacked on Friday"): a coreferent mention,
    where a report often gives the day it left out of its lede (attachment
    `coreference`). Only between asserted attacks, from a day told in its own
    sentence."""
    for cand in merged:
        ev = cand.event
        if ev.factuality != "asserted" or cand.trigger.family not in ATTACK_FAMILIES:
            continue
        if ev.date is not None and ev.date.start is not None:
            continue
        heads = {_head_lemma(doc, e) for a in ev.actors if a.role == "target" for e in a.evidence}
        heads.discard(None)
        if not heads:
            continue
        for other in merged:
            when = other.event.date
            if (
                other is cand
                or other.event.factuality != "asserted"
                or when is None
                or when.start is None
                or when.attachment != "sentence"
            ):
                continue
            again = any(
                c.dep_ in ("nsubjpass", "dobj")
                and c.lemma_.lower() in heads
                and any(
                    d.dep_ == "det" and d.lower_ in ("the", "these", "those") for d in c.children
                )
                for tok, _ in other.anchors
                for c in tok.children
            )
            if again:
                ev.date = dataclasses.replace(when, attachment="coreference")
                break


def _head_lemma(doc: Document, ev: Evidence) -> str | None:
    """The lemma of the head word of an evidence span ("camps" of "famine-hit camps
    for displaced people"), from its sentence's parse."""
    si = doc.sentence_at(ev.start)
    if si is None:
        return None
    sent = doc.sentences[si]
    span = sent.span.doc.char_span(
        ev.start - sent.offset, ev.end - sent.offset, alignment_mode="expand"
    )
    return span.root.lemma_.lower() if span is not None and len(span) else None


def _shared_doer(merged: list[_Candidate], doc: Document) -> None:
    """An attack told without its doer ("the camps were attacked on Friday")
    takes the perpetrator of the attack told just before it in the report on
    the same day ("the RSF launched an offensive on the camps on Friday"): a
    report names the attacker once and goes on about what it did. Only an
    asserted attack dated in its own sentence borrows, only from an earlier
    asserted attack dated the same (or told in the lede without a day); the
    actor keeps the evidence of where it is named. One pass, in text order:
    the latest donor of each day and the latest undated lede donor are kept."""
    by_day: dict[str, tuple[int, _Candidate]] = {}
    lede: tuple[int, _Candidate] | None = None
    order = sorted(merged, key=lambda c: c.triggers[0].start if c.triggers else 0)
    for n, cand in enumerate(order):
        ev = cand.event
        attack = ev.factuality == "asserted" and cand.trigger.family in ATTACK_FAMILIES
        has_doer = any(a.role == "perpetrator" for a in ev.actors)
        if (
            attack
            and not has_doer
            and ev.date is not None
            and ev.date.start is not None
            # its own day, not one lent by the lede; or "another strike" of those told
            and (ev.date.attachment == "sentence" or _another(cand))
        ):
            found = [d for d in (by_day.get(ev.date.start), lede) if d is not None]
            if found:
                donor = max(found, key=lambda d: d[0])[1]
                for a in donor.event.actors:
                    if a.role == "perpetrator":
                        ev.actors.append(dataclasses.replace(a, evidence=list(a.evidence)))
        elif attack and has_doer:
            if ev.date is not None and ev.date.start is not None:
                by_day[ev.date.start] = (n, cand)
            elif _in_lede(cand, doc):
                lede = (n, cand)


def _in_lede(cand: _Candidate, doc: Document) -> bool:
    """Whether an event is told in the report's first two paragraphs."""
    return any(doc.sentences[si].paragraph <= 1 for si in cand.sentences)


def _iso_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# Words that make a strike one from the air ("an air strike", "a drone strike").
_AIR_WORDS = frozenset(
    {"air", "aerial", "drone", "helicopter", "jet", "warplane", "aircraft", "plane", "airstrike"}
)
# Nouns of shooting whose modifier names the shooter: "killed by Israeli fire".
_FIRE_WORDS = frozenset({"fire", "shot", "shots", "bullet", "sniper", "gunfire", "shooting"})
# Munitions that, dropped, come from the air: "dropped bombs on the village".
_DROPPED = frozenset({"bomb", "explosive", "explosives", "grenade", "munition"})


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
        disaster = disaster_report(doc.text)
        for si, sent in doc.iter_sentences():
            if links_elsewhere(doc.text, sent.start):
                continue  # "READ: Attack on a hospital ...": another story's headline
            if disaster and not VIOLENCE.search(doc.text[sent.start : sent.end]):
                continue  # "a 6.1 earthquake strikes Aceh, killing one": no attack
            for tok in sent.span:
                trig, extent = self._match(tok)
                if trig is None:
                    continue
                if _roundup(tok):
                    _sum_over_time(tok, figures_by_sent.get(si, ()), sent, doc)
                    continue
                if _descriptive(tok, trig) or _not_an_event(tok):
                    continue
                if (
                    trig.family == "riot"
                    and tok.pos_ == "NOUN"
                    and tok.dep_ == "nsubj"
                    and self._match(tok.head)[0] is not None
                ):
                    continue  # "a mob set fire to the clinic": the mob is that deed's doer
                cand = self._candidate(
                    doc, si, sent, tok, extent, trig, places, figures_by_sent, pub_year
                )
                if cand is not None:
                    candidates.append(cand)
        merged = self._merge(candidates, doc, dates, places)
        focus = document_focus(doc)
        dateline = dateline_end(doc.text)
        for cand in merged:
            self._settle(cand, doc, dates, places, focus, dateline)
        merged = self._fold(merged, doc, dates, places, focus, dateline)
        _shared_day(merged, doc)
        _background(merged, doc)
        countries = [m for m in doc.places if isinstance(m.value, Place) and m.value.precision == 6]
        for cand in merged:
            _fighters_only(cand.event)
            _not_where_it_was(cand.event, countries)
        # "KHAN YUNIS, Gaza Strip - An airstrike ...": the dateline's town parses
        # as a subject, but it is where the reporter was, no actor. Only the
        # dateline's own line: the headline above it names actors like any sentence
        # ("Rebels kill 18 in raid on village").
        line_start = doc.text.rfind("\n", 0, max(dateline - 1, 0)) + 1 if dateline else 0
        for cand in merged:
            kept = []
            for a in cand.event.actors:
                own = [_past_dateline(doc, e, line_start, dateline) for e in a.evidence]
                own = [e for e in own if e is not None]
                if own or not a.evidence:
                    if (
                        own
                        and own[0].text != a.name
                        and a.evidence
                        and a.evidence[0].text == a.name
                    ):
                        a.name = own[0].text  # "MOGADISHU — Al-Shabaab militants": the militants
                    a.evidence = own
                    kept.append(a)
            cand.event.actors = kept
        _shared_doer(merged, doc)
        self._blamed_later(merged, doc)
        for cand in merged:
            cand.event.id = doc.new_id("ev")
        self._link(doc, merged, figures_by_sent)
        doc.events.extend(c.event for c in merged)
        return doc

    def _blamed_later(self, merged: list[_Candidate], doc: Document) -> None:
        """Who a later sentence blames, for no deed it names ("The network
        blamed the paramilitary RSF."), is the perpetrator of the attack told
        last before it, when that attack has none; in the paragraph or the two
        before, like a stray toll."""
        told = sorted(
            ((t.start, k), c)
            for k, c in enumerate(merged)
            if c.event.factuality == "asserted" and c.trigger.family in ATTACK_FAMILIES
            for t in c.triggers
        )
        if not told:
            return
        for _, sent in doc.iter_sentences():
            for t in sent.span:
                if t.lemma_.lower() not in ("blame", "accuse") or t.pos_ != "VERB":
                    continue
                objects = [c for c in t.children if c.dep_ == "dobj"]
                if any(c.dep_ == "neg" for c in t.children) or any(
                    c.dep_ == "prep" and c.lower_ in ("for", "of", "over", "on")
                    for h in (t, *objects)  # "accused the military of ...", however parsed
                    for c in h.children
                ):
                    continue  # "denied blaming", "blamed X for the floods": not this attack
                accused = [c for c in objects if self._agentive(c)]
                # "residents blamed Russian and Syrian government warplanes": whose they are
                accused += [
                    o for c in objects if self._weapon(c) is not None for o in self._owners(c)
                ]
                before = [(start, c) for (start, _), c in told if start < sent.start]
                if not accused or not before:
                    continue
                start, cand = before[-1]
                tsi = doc.sentence_at(start)
                if tsi is None or sent.paragraph - doc.sentences[tsi].paragraph > 2:
                    continue
                if any(a.role == "perpetrator" for a in cand.event.actors):
                    continue
                by = _subject(t)
                claimant = None
                if by is not None:
                    ca, _ = _phrase(by)
                    # "residents and rescuers blamed ...": every one who blames
                    last = max(
                        (g for g in by.conjuncts if g.i > by.i), key=lambda g: g.i, default=by
                    )
                    claimant = doc.text[sent.offset + ca : sent.offset + last.idx + len(last.text)]
                for who in accused:
                    a, b = _phrase(who)
                    ev = doc.evidence(sent.offset + a, sent.offset + b)
                    _add_actor(
                        cand.event.actors,
                        Actor(
                            "perpetrator", ev.text, evidence=[ev], alleged=True, claimant=claimant
                        ),
                    )

    # -- detection ---------------------------------------------------------

    def _match(self, tok: Any) -> tuple[Trigger | None, Any]:
        lemma = _LEMMA_FIXES.get(tok.lower_, tok.lemma_.lower())
        if tok.pos_ == "VERB" and tok.tag_ == "VBG" and tok.dep_ in ("nsubj", "csubj"):
            if tok.head.lemma_.lower() == "be":
                return None, None  # "Killing civilians is a war crime": a statement
            # "Fighting in Omdurman killed ...": a gerund subject of a deed is the noun
            # ("since fighting intensified" tells a state, no event)
            trig = self.lex.nouns.get(tok.lower_)
            if trig is not None and tok.head.lemma_.lower() in self.lex.verbs:
                return trig, tok
        if tok.pos_ == "VERB":
            for objects, trig in self.lex.object_verbs.get(lemma, ()):
                obj = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "oprd", "acomp")]
                if any(c.lemma_.lower() in objects for c in obj):
                    # "the students ... were seized": the verb alone, not the subject
                    return trig, obj[0] if obj[0].i > tok.i else tok
                # "set the market on fire": the deed with its target before "on fire"
                # (the parse hangs "on fire" on the verb or on its object)
                heads = [tok, *(c for c in tok.children if c.dep_ == "dobj")]
                on = [
                    g
                    for h in heads
                    for c in h.children
                    if c.dep_ == "prep" and c.lower_ == "on"
                    for g in c.children
                    if g.dep_ == "pobj" and g.lemma_.lower() in objects
                ]
                if on:
                    return trig, on[0]
            trig = self.lex.verbs.get(lemma)
            if trig is not None and lemma in self.lex.particles:
                if not any(
                    # the small model parses some particles as adverbs ("turned away")
                    (c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in ("away", "back")))
                    and c.lower_ in self.lex.particles[lemma]
                    for c in tok.children
                ):
                    return None, None
            return trig, tok
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "compound":
            for key in _noun_key(tok):
                if key == "mine" and _a_pit(tok):
                    return None, None  # "a gold mine", "attacked the mine": a place
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
        # Towns and areas of this sentence (paragraph-relative spans): "the Kunduz
        # hospital strike" says where, not who; a country may ("Russia's strike").
        towns = [
            (m.start - off, m.end - off)
            for m in places.get(si, [])
            if isinstance(m.value, Place) and (m.value.precision or 0) <= 5
        ]

        def add(role: str, t: Any, accuser: Any = None, alleged: bool = False) -> None:
            if (
                role == "perpetrator"
                and any(a <= t.idx < b for a, b in towns)
                # a name the gazetteer lacks may be a capitalised doer ("ABUJA, Nigeria
                # — Gunmen attacked ...") or a group's acronym ("M23 shells")
                and t.lemma_.lower() not in self.lex.agents
                and not _ACRONYM.fullmatch(t.text)
            ):
                return
            a, b = _phrase(t)
            if role == "perpetrator" and t.lemma_.lower() in self.lex.agents:
                b = _named_by_attachment(t, self.lex.agents) or b
            ev = doc.evidence(off + a, off + b)
            actor = Actor(role=role, name=ev.text, evidence=[ev], alleged=alleged)
            if accuser is not None:
                ca, cb = _phrase(accuser)
                actor.claimant = doc.text[off + ca : off + cb]
            _add_actor(actors, actor)

        subj, obj, agent, extra = self._arguments(tok)
        if subj is not None and _shot_dead_headline(tok):
            subj = None  # "polio team guard shot dead in ...": the one shot, no doer
        if (
            trig.generic
            and subj is not None
            and (subj.lower_ in _NOBODY or any(c.lower_ == "no" for c in subj.children))
        ):
            return None  # "no one was hurt" reports an absence, not an event
        accuser = _accuser_of(tok)  # "the army accused the RSF of shelling ..."
        for role, t in (("perpetrator", subj), ("perpetrator", agent)):
            if t is None:
                continue
            if (w := self._weapon(t)) is not None:
                weapon_sub = weapon_sub or w
                add("weapon", t)
                # "a Russian missile hit ...": the weapon's owner is the perpetrator;
                # "a drone launched by the Houthi group struck ...": who launched it
                for owner in self._owners(t) + _launched_by(t):
                    add("perpetrator", owner)
                if any(c.dep_ == "poss" and c.lower_ in _OWN for c in t.children):
                    # "the coalition said its aircraft had hit the building"
                    speaker = _speaker_of(tok)
                    if speaker is not None and self._agentive(speaker):
                        add("perpetrator", speaker)
            elif t.pos_ == "PRON" and t.lower_ in _OWN_SUBJECTS and t is subj:
                # "the Israeli military said it had struck a commander": the
                # speaker owns the deed; "the military denied it had bombed the
                # hospital": the deed it is charged with, and denies
                speaker = _speaker_of(tok)
                if speaker is not None and self._agentive(speaker):
                    add("perpetrator", speaker)
                elif (denier := _denier_of(tok)) is not None and self._agentive(denier):
                    add("perpetrator", denier, alleged=True)
            elif (
                t.pos_ != "PRON"
                and not any(
                    k in self.lex.nouns and self.lex.nouns[k].family != "riot" for k in _noun_key(t)
                )  # "the attack killed ..." is no doer; "a mob" is one
                and self._agentive(t)
            ):
                if accuser is not None and t is subj:
                    add(role, t, accuser[0], True)
                else:
                    add(role, t)
            elif t.lemma_.lower() in _FIRE_WORDS:
                # "killed by Israeli fire": whose fire it was
                for owner in self._owners(t):
                    add("perpetrator", owner)
        if tok.lemma_.lower() == "bomber" and tok.pos_ == "NOUN" and self._weapon(tok) is None:
            add("perpetrator", tok)  # "an al-Shabaab suicide bomber blew himself up": the doer
        if not any(a.role == "perpetrator" for a in actors):
            # "a junta air strike", "Israeli strikes", "Russia's strike on ...":
            # the attacker written as a modifier of the trigger noun.
            for owner in self._owners(tok):
                add("perpetrator", owner)
        if not any(a.role == "perpetrator" for a in actors) and tok.pos_ == "NOUN":
            # "the RSF carried out a two-day attack", "rebels launched an assault":
            # the subject of a light verb whose object is the trigger noun.
            doer = _light_verb_subject(tok)
            if doer is not None and self._weapon(doer) is not None:
                # "Russian warplanes carried out the strike": the weapon's owner
                add("weapon", doer)
                for owner in self._owners(doer):
                    add("perpetrator", owner)
            elif doer is not None and self._agentive(doer):
                add("perpetrator", doer)
            # "the attack blamed on ADF rebels": the accused, as the report gives it
            for accused, accuser, alleged in _blamed_on(tok):
                if self._agentive(accused):
                    add("perpetrator", accused, accuser, alleged)
        if _denier_of(tok) is not None:
            # "the military denies bombing the hospital": charged with it, not its own word
            for a in actors:
                if a.role == "perpetrator":
                    a.alleged = True
        if tok.pos_ == "NOUN" and trig.generic and (w := self._weapon(tok)) is not None:
            # "a drone attack", "a mortar attack": the weapon named on it
            weapon_sub = weapon_sub or w
        for t in extra:
            if t.lemma_.lower() in self.lex.weapons:
                weapon_sub = weapon_sub or self.lex.weapons[t.lemma_.lower()]
                add("weapon", t)
        targets = []
        accused = {a.i for a, _, _ in _blamed_on(tok)}
        for t in obj:
            if t.pos_ == "PRON" or (t.i == extent.i != tok.i and t.lower_ in ("fire", "ablaze")):
                continue  # "opened fire": the object that makes the trigger is no target
            if t.i in accused:
                continue  # "blamed the attack on the RSF": the accused, not what was attacked
            if (
                t.ent_type_ in ("DATE", "TIME")
                or t.lower_ in _NOBODY
                or t.lower_ == "one"
                and any(c.lower_ == "no" for c in t.children)
            ):
                continue  # "on Wednesday night", "no one was injured": no one was hit
            if t.lower_ == "place" and t.head.lemma_.lower() == "take":
                continue  # "the attack took place at ...": where, not whom
            if (w := self._weapon(t)) is not None:
                # "detonated a car bomb", "hurled grenades": the object is the weapon
                weapon_sub = weapon_sub or w
                add("weapon", t)
                continue
            targets.append(t)
            add("target", t)
        if tok.pos_ == "VERB":
            # "a bomb placed in the car went off and killed ...": a weapon named
            # anywhere in the trigger verb's own clause is the event's weapon;
            # it does not re-type the event (its role in the clause is unsure)
            for t in tok.subtree:
                if t.pos_ == "NOUN" and t.dep_ != "compound" and t.i != tok.i:
                    if self._weapon(t) is not None and _own_clause(t, tok):
                        add("weapon", t)
        resources, vicinity = self._health(tok, targets)
        # Victims and facilities come from the trigger's own clause: "a shell
        # killed two nurses ..., as artillery fire hit residential districts"
        # gives the nurses to the shell only.
        lo, hi = _clause_span(tok)
        sent_figs = [
            f
            for f in figures_by_sent.get(si, [])
            if f.evidence and lo <= f.evidence[0].start - off < hi
        ]
        for fig in sent_figs:
            if fig.group:
                _add_actor(actors, Actor("victim", fig.group, evidence=list(fig.evidence)))
                if fig.group == "health_workers" and _health_staff(fig.text, sent.span.text):
                    resources.add("personnel")
                elif fig.group == "patients":
                    resources.add("patients")
        for m in places.get(si, []):
            value = m.value
            if isinstance(value, Place) and value.facility and lo <= m.start - off < hi:
                if told_elsewhere(doc.text, m.start, m.end):
                    continue  # "the wounded were taken to X hospital": care, not a target
                if _NEARBY.search(doc.text[max(0, m.start - 30) : m.start]):
                    vicinity = True  # "hit their ambulance near Al-Shifa Hospital"
                    continue
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
            # the PLOVER mode follows the weapon too: "hit by an artillery shell" is
            # heavy weapons, not the aerial default of a bare "hit"
            plover["mode"] = _WEAPON_MODES.get(weapon_sub, plover.get("mode"))
            heavy = weapon_sub != "Attack"
            trig = dataclasses.replace(
                trig,
                who=("violence with heavy weapons",)
                if heavy
                else ("violence with individual weapons",),
            )
        elif trig.generic and _by_crowd_control(tok):
            # "police fired tear gas at marching doctors, injuring three": a protest
            # broken up (ACLED), with lethal force when people were killed
            type_, plover = "Protests", {"event": "PROTEST", "mode": "demonstrate"}
            subtype = (
                "Excessive force against protesters"
                if tok.lemma_.lower() == "kill"
                else "Protest with intervention"
            )
        elif (
            tok.pos_ == "NOUN" and tok.lemma_.lower() in _AIR_LAUNCHED and self._from_aircraft(tok)
        ):
            # "destroyed by missiles fired by warplanes": the munition names an air strike
            type_, subtype = _WEAPON_TYPES["Air/drone strike"], "Air/drone strike"
            plover["mode"] = _WEAPON_MODES["Air/drone strike"]
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
        own_subj = next((c.i for c in tok.children if c.dep_ == "nsubj"), None)
        return _Candidate(
            event,
            trig,
            {si},
            [trig_ev],
            weapon=weapon_sub is not None,
            resources=resources,
            subject=own_subj,
            token=tok,
            anchors=[(tok, off)],
            bare_strike=(
                tok.pos_ == "NOUN"
                # "blamed ... for the bombing": a bomb's as much as an aircraft's
                and tok.lemma_.lower() in ("strike", "bombing")
                and weapon_sub is None
                and not any(c.lemma_.lower() in _AIR_WORDS for c in tok.lefts)
                # "a missile strike": the phrase is a trigger of its own type
                and not any(f"{c.lemma_.lower()} strike" in self.lex.nouns for c in tok.lefts)
            ),
        )

    @staticmethod
    def _arguments(tok: Any) -> tuple[Any, list[Any], Any, list[Any]]:
        """(subject, objects, passive agent, instruments) of a trigger."""
        subj = agent = None
        objs: list[Any] = []
        extra: list[Any] = []
        for c in tok.children:
            if c.dep_ == "nsubj":
                subj = c if subj is None or c.pos_ != "ADJ" else subj
            elif c.dep_ in ("dobj", "nsubjpass"):
                if not (c.lower_ in ("fire", "ablaze") and tok.lemma_.lower() == "set"):
                    objs.append(c)  # "set fire to the clinic": the fire is the deed
            elif c.dep_ == "agent":
                agent = next((g for g in c.children if g.dep_ == "pobj"), None)
            elif c.dep_ == "prep":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                if c.lower_ in ("to", "on") and tok.lemma_.lower() == "set":
                    objs.append(pobj)  # "set fire to a clinic": what burned
                elif c.lower_ in ("on", "against", "of", "at", "into") and tok.pos_ == "NOUN":
                    if pobj.ent_type_ not in ("DATE", "TIME"):  # "a raid on Sunday night"
                        objs.append(pobj)
                elif c.lower_ == "by" and tok.pos_ == "NOUN":
                    agent = pobj
                elif c.lower_ in ("with", "by", "in"):
                    extra.append(pobj)
            elif c.dep_ in ("compound", "amod") and (
                c.ent_type_ == "NORP"
                # a named group or country, not a word of the weapon's own name
                # ("Iskander-M ballistic missiles", tagged ORG whole)
                or (c.ent_type_ in ("ORG", "GPE") and c.pos_ == "PROPN" and tok.ent_iob_ != "I")
            ):
                subj = subj or c  # "an Israeli raid"
        if subj is not None:
            subj = _past_dateline_subject(subj)
        if tok.dep_ == "advcl" and tok.tag_ == "VBG" and tok.head.lemma_.lower() in _DAMAGING:
            # "a device destroyed an ambulance, injuring the driver": what the
            # deed destroyed was hit too
            objs += [c for c in tok.head.children if c.dep_ in ("dobj", "nsubjpass")]
        if subj is None and tok.pos_ == "VERB":
            cur = tok
            # subject carried over coordinated or subordinate verbs, never from
            # the verb of speech a report hangs from ("..., the coordinator said")
            passive = _befalls_a_pronoun(tok)
            while (
                subj is None
                and not passive
                and cur.dep_ in ("conj", "advcl", "xcomp")
                and cur.head is not cur
            ):
                cur = cur.head
                if cur.lemma_.lower() in _SPEECH_VERBS | _ACCUSING_VERBS:
                    break  # the accuser is no doer: "the army accused X of ..., killing 23"
                if _befalls_a_pronoun(cur):
                    break
                subj = _subject(cur)
            if (
                subj is None
                and tok.dep_ == "pcomp"
                and tok.head.lower_ in ("of", "for")
                and tok.head.head.lemma_.lower() in _ACCUSING_VERBS
            ):
                # "the army accused the RSF of shelling a camp": the accused
                subj = next((c for c in tok.head.head.children if c.dep_ == "dobj"), None)
            if subj is None and tok.dep_ in ("acl", "relcl"):
                # "An airstrike killed ..." parsed as a reduced relative; but in
                # "7 militants killed in blasts" the noun is the participle's patient
                if tok.tag_ != "VBN" or any(c.dep_ == "dobj" for c in tok.children):
                    subj = tok.head
        if tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "pobj") and tok.head.pos_ == "VERB":
            # "the hospital was hit in an airstrike": the clause's patient is the target
            objs += [
                c for c in tok.head.children if c.dep_ in ("dobj", "nsubjpass") and c is not tok
            ]
        return subj, objs, agent, extra

    def _agentive(self, tok: Any) -> bool:
        """Whether a subject can be a perpetrator: a named person, group or
        place, or a noun that names people, forces or organisations; never a
        count of people ("28 people", "two police officers": victims, in a
        small clause or a passive the parse gets wrong) nor bare "people"."""
        lemma = tok.lemma_.lower()
        counted = any(c.dep_ == "nummod" or c.like_num for c in tok.children) or tok.like_num
        if tok.like_num or tok.ent_type_ in ("CARDINAL", "QUANTITY"):
            return False
        if counted and lemma not in self.lex.agents - _PLAIN_PEOPLE - _VICTIM_NOUNS:
            return False  # "28 people", "three civilians"; "two gunmen" stay doers
        if lemma in _PLAIN_PEOPLE - {"man", "men"} or (lemma in ("man", "men") and not counted):
            return any(
                c.dep_ in ("amod", "compound") and c.lemma_.lower() in _HOSTILE
                for c in tok.children
            )
        if tok.ent_type_ in _AGENT_LABELS:
            return True
        if lemma in _QUALIFIED_AGENTS and not any(
            c.dep_ in ("amod", "compound", "nmod") for c in tok.children
        ):
            return False  # "the security services" are doers; "while the service was on" not
        if tok.pos_ == "PROPN" and lemma.endswith("s") and lemma[:-1] in self.lex.agents:
            return True  # "HALBA — Militants attacked": a capitalised plural read as a name
        if (
            tok.pos_ == "PROPN"
            and not tok.ent_type_
            and _ACRONYM.fullmatch(tok.text)
            and not tok.is_sent_start
        ):
            return True  # "The RSF carried out the attack": an acronym names a group
        return lemma in self.lex.agents or tok.lower_ in self.lex.agents

    def _owners(self, tok: Any) -> list[Any]:
        """Modifiers of a trigger or weapon noun that name who used it: a nationality,
        an armed group or force ("junta", "paramilitary"), a possessor ("Russia's")."""
        if tok.pos_ not in ("NOUN", "PROPN"):
            return []
        out = []
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nmod")]
        # "a US AC-130 gunship": the owner modifies the model name before the noun
        mods += [
            g for c in mods if c.dep_ == "compound" for g in c.children if g.dep_ == "compound"
        ]
        # a word of the weapon's own name is no owner: "Iskander-M ballistic missiles",
        # which the small model tags ORG whole
        named = tok.ent_type_ in ("ORG", "GPE") and tok.ent_iob_ == "I"
        for c in mods:
            if c.i > tok.i:
                continue
            if c.lemma_.lower() in _OWNER_WORDS or c.ent_type_ == "NORP":
                out.append(c)
            elif c.ent_type_ in ("ORG", "GPE") and not named and not _model_name(c):
                out.append(c)
        # "Russian and Syrian government warplanes": both nationalities, and the
        # government word the second one names
        more = [
            g for c in out if c.ent_type_ == "NORP" for g in c.conjuncts if g.ent_type_ == "NORP"
        ]
        if more:
            told = {g.i for g in more}
            out = [c for c in out if not (c.lemma_.lower() in _OWNER_WORDS and c.i - 1 in told)]
            out += [g for g in more if g not in out]
        # "Al-Shabaab": "Al" is a word of the owner's name, no owner of its own
        return [c for c in out if not any(o is not c and o.left_edge.i <= c.i < o.i for o in out)]

    def _weapon(self, tok: Any) -> str | None:
        """The sub-type a weapon noun implies, also through its modifier ("artillery fire")."""
        lemma = tok.lemma_.lower()
        if _crowd_controlling(tok):
            return None  # "tear gas shells", "rubber bullets": crowd control, no attack's weapon
        for c in tok.lefts:  # "barrel bombs", "a cluster bomb": the kind named
            if c.dep_ not in ("compound", "amod"):
                continue
            # "a guided bomb": the participle as written ("guided", lemma "guide")
            for word in (c.lemma_.lower(), c.lower_):
                if f"{word} {lemma}" in self.lex.weapons:
                    return self.lex.weapons[f"{word} {lemma}"]
        if lemma in _AIR_LAUNCHED and self._from_aircraft(tok):
            return "Air/drone strike"  # "warplane missiles", "a missile fired by a jet"
        if lemma in _DROPPED and tok.dep_ == "dobj" and tok.head.lemma_.lower() == "drop":
            return "Air/drone strike"  # "the military dropped bombs on the monastery"
        if lemma == "mine" and _a_pit(tok):
            return None  # "armed men attacked a gold mine": a place, no weapon
        if lemma in self.lex.weapons:
            return self.lex.weapons[lemma]
        if tok.lemma_.lower() in _WEAPON_HEADS:
            for c in tok.lefts:
                if c.dep_ in ("compound", "amod") and c.lemma_.lower() in self.lex.weapons:
                    return self.lex.weapons[c.lemma_.lower()]
        return None

    def _from_aircraft(self, tok: Any) -> bool:
        """Whether a munition is told as an aircraft's: by a modifier ("warplane
        missiles") or by who or what fired it ("missiles fired by warplanes")."""
        air = [tok.lefts]
        for c in tok.children:
            if c.dep_ == "acl":  # "fired by ...", "launched from ..."
                for p in c.children:
                    if p.dep_ == "agent" or (p.dep_ == "prep" and p.lower_ == "from"):
                        air.append(g for g in p.children if g.dep_ == "pobj")
        return any(
            self.lex.weapons.get(t.lemma_.lower()) == "Air/drone strike"
            for group in air
            for t in group
            if t.dep_ in ("compound", "amod", "pobj")
        )

    def _resource(self, tok: Any) -> str | None:
        for key in _noun_key(tok):
            if key in self.lex.resources:
                if key in _GENERIC_STORES and not self._holds_care(tok):
                    return None  # "a warehouse storing weapons", "food supplies"
                return self.lex.resources[key]
        for c in tok.lefts:  # "the Siverskyi Maternity Centre"
            if c.dep_ == "compound" and self.lex.resources.get(c.lemma_.lower()) == "facility":
                return "facility"
        if tok.lemma_.lower() in _ROLE_NOUNS and self._of_facility(tok):
            return "personnel"  # "the director of a hospital", "the head of surgery at a clinic"
        if tok.lemma_.lower() in _CARRIER_NOUNS:
            # "the delivery of medicines", "medicine transport", "a truck carrying
            # vaccines": what is carried makes it a health resource
            for c in tok.children:
                if c.dep_ == "compound" and (r := self._resource(c)):
                    return r
                if c.dep_ == "prep" and c.lower_ == "of" or c.dep_ == "acl":
                    for g in c.children:
                        if g.dep_ in ("pobj", "dobj") and (r := self._resource(g)):
                            return r
        if tok.lemma_.lower() in _PART_NOUNS:  # "the courtyard of the hospital"
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
                    if pobj is not None and pobj.lemma_.lower() not in _PART_NOUNS:
                        return self._resource(pobj)
        return None

    def _holds_care(self, tok: Any) -> bool:
        """Whether a store or its goods are told as care's: "a medical warehouse",
        "a WHO depot", "a warehouse storing medicines", "supplies of insulin"."""
        for c in tok.children:
            if c.dep_ in ("compound", "amod", "nmod", "poss") and (
                c.lemma_.lower() in _CARE_MARKS or c.lower_ in _CARE_MARKS
            ):
                return True
            if c.dep_ in ("acl", "relcl", "prep"):
                for g in c.children:
                    if g.dep_ in ("dobj", "pobj") and (
                        g.lemma_.lower() in _CARE_MARKS
                        or (
                            g.lemma_.lower() not in _GENERIC_STORES
                            and self.lex.resources.get(g.lemma_.lower()) == "supplies"
                        )
                    ):
                        return True
        return False

    def _of_facility(self, tok: Any) -> bool:
        """Whether an "of" or "at" phrase on `tok` (or on the noun of its "of"
        phrase) names a health facility."""
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("of", "at"):
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                if self._resource(pobj) == "facility":
                    return True
                if prep.lower_ == "of" and pobj.lemma_.lower() not in _ROLE_NOUNS:
                    if self._of_facility(pobj):
                        return True
        return False

    def _health(self, tok: Any, targets: list[Any]) -> tuple[set[str], bool]:
        """WHO resources hit directly, and whether a facility was only in the vicinity."""
        resources: set[str] = set()
        vicinity = False
        speakers = unparsed_speakers(tok.sent) if targets else set()
        for t in targets:
            r = self._resource(t)
            if r:
                resources.add(r)
            for conj in t.conjuncts:
                if conj.i not in speakers and (r2 := self._resource(conj)):
                    resources.add(r2)
        for anchor in [tok, *targets]:
            for prep in anchor.children:
                if prep.dep_ != "prep" and prep.dep_ != "advmod":
                    continue
                pobjs = [g for g in prep.subtree if g.dep_ == "pobj"]
                if prep.lower_ in self.lex.vicinity:
                    if any(self._resource(p) == "facility" for p in pobjs):
                        vicinity = True
                elif (
                    prep.lower_ in ("in", "at", "inside", "into", "on", "during")
                    and anchor is tok
                    or (prep.lower_ in ("to", "into") and anchor is not tok)
                ):  # "denied ambulances access to the hospital"
                    for p in pobjs[:1]:
                        # "during the reopening of the hospital": through one "of"
                        of = [
                            g
                            for c in p.children
                            if c.dep_ == "prep" and c.lower_ == "of"
                            for g in c.children
                            if g.dep_ == "pobj"
                        ]
                        for q in [p, *of[:1]]:
                            if r := self._resource(q):
                                resources.add(r)
                                break
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
        destroyed = any(t.lemma_ in ("destroy", "raze", "flatten", "torch") for t in span)
        for ind in trig.indicators:
            if ind.startswith("health workers") and "personnel" not in resources:
                continue
            if ind.startswith("facility "):
                continue  # decided below, from the facility being hit itself
            indicators.append(ind)
        if "facility" in resources:
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
        if (
            tok.pos_ == "NOUN"
            and tok.dep_ == "nsubj"
            and tok.lemma_.lower() in _WARFARE
            and head.lemma_.lower() in _LASTING_STATES
            and not any(t.lower_ in _DAY_WORDS for t in head.subtree)
        ):
            return None  # "the fighting continues": a state of war, no deed told
        verb = tok if tok.pos_ == "VERB" else None
        if any(c.dep_ == "neg" for c in tok.children):
            return "negated"
        if verb is not None:
            auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
            if (
                tok.tag_ == "VB"
                and "to" in auxes
                and (
                    tok.dep_ in ("relcl", "acl")
                    or (tok.dep_ == "advcl" and head.lemma_ in _NOT_ATTACK_HEADS | _FUTURE_HEADS)
                )
            ):
                return "future"  # "called for a strike to protest the killing": a purpose
            if tok.dep_ == "xcomp":
                auxes |= {c.lower_ for c in head.children if c.dep_ == "aux"}
                if head.lemma_ in _FUTURE_HEADS or head.lower_ == "going":
                    return "future"
            if auxes & _MODALS_FUTURE:
                return "future"
            if auxes & _MODALS_HYPOTHETICAL:
                return "hypothetical"
        if _days_after(tok):
            return "historical"  # "the raid came two weeks after bandits killed 20": earlier news
        if _charged_with_many(tok) and not any(t.lower_ in _DAY_WORDS for t in sent.span):
            # "rights groups have accused the military of carrying out drone strikes
            # that killed hundreds": a record charged, no one attack told
            return "historical"
        if _judged(tok):
            return "historical"  # "the court found that his fighters had attacked ..."
        if _remembered(tok) or _what_began_a_war(tok):
            # "the tenth anniversary of the air strike that destroyed its hospital",
            # "the offensive, launched after militants attacked Israel on Oct. 7"
            return "historical"
        if _asked_about(tok):
            return None  # "without saying where or how he was killed": no deed told here
        cur = tok
        for _ in range(4):
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in cur.children):
                return "hypothetical"
            if cur.head is cur:
                break
            cur = cur.head
        # "one of the highest tolls in recent months" compares; it tells no past event
        text = _COMPARISON.sub(" ", _without_others_clauses(sent.span, tok))
        if sent.paragraph <= 1:
            # "executed 500 people in March last year, a UN report said" opening a
            # report dates its news: how far back is `_background`'s call
            text = _MONTH_OF_YEAR.sub(" ", text)
        if _HISTORICAL.search(text):
            return "historical"
        if _TALLY.search(text) and _perfect(tok):
            return "historical"  # "have been detained ... since the start of the year": a tally
        if pub_year is not None and any(
            int(y) < pub_year for y in _YEAR.findall(_YEAR_AS_MODIFIER.sub(" ", text))
        ):
            return "historical"
        if _recorded_tally(tok):
            return "historical"  # "the agency recorded 1,520 attacks ..., killing 750": statistics
        return "asserted"

    # -- merge, attachment, links -----------------------------------------

    def _merge(
        self,
        candidates: list[_Candidate],
        doc: Document,
        dates: dict[int, list[Mention]],
        places: dict[int, list[Mention]],
    ) -> list[_Candidate]:
        # where the wounded were taken, or the victims were going, places no mention
        here = {
            si: [m for m in ms if not told_elsewhere(doc.text, m.start, m.end)]
            for si, ms in places.items()
        }
        for cand in candidates:
            self._attach(cand, doc, dates, here)
        # One sentence first: the triggers of one clause chain ("a shell killed
        # two nurses and wounded four others") are one event whatever date or
        # place mention sits nearest each of them.
        # Only clauses sharing a sentence can merge: they are found through an
        # index by sentence (in list order), so a long text stays linear.
        seen: dict[int, set[Evidence]] = {}  # evidence of each merged actor, by id()
        clauses: list[_Candidate] = []
        by_sentence: dict[int, list[int]] = {}
        for cand in candidates:
            near = sorted({k for si in cand.sentences for k in by_sentence.get(si, ())})
            at = next((k for k in near if _same_clause(clauses[k], cand)), None)
            if at is None:
                at = len(clauses)
                clauses.append(cand)
                added = cand.sentences
            else:
                added = cand.sentences - clauses[at].sentences
                _absorb(clauses[at], cand, seen)
            for si in added:
                by_sentence.setdefault(si, []).append(at)
        # Then the document: repeats of the same incident in later sentences.
        kept: list[_Candidate] = []
        for cand in clauses:
            host = next(
                (k for k in kept if not k.sentences & cand.sentences and _compatible(k, cand)),
                None,
            )
            if host is None:
                kept.append(cand)
                continue
            _absorb(host, cand, seen)
        return kept

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
            how = d[1]
            if how == "sentence" and _telling_day(doc, d[0]):
                how = "telling"  # "gunmen abducted 20 students, police said on Sunday"
            ev.date = dataclasses.replace(d[0].value, attachment=how)
        if p is not None and isinstance(p[0].value, Place):
            # a dateline places nothing, and no other town is kept apart from it
            how = "dateline" if p[0].start < dateline_end(doc.text) else p[1]
            ev.place = dataclasses.replace(p[0].value, attachment=how)

    def _settle(
        self,
        cand: _Candidate,
        doc: Document,
        dates: dict[int, list[Mention]],
        places: dict[int, list[Mention]],
        focus: Focus,
        dateline: int,
    ) -> None:
        """Choose the event's place and date from all the sentences that describe it
        (assembly.py): the trigger's clause first, then specificity; the context
        (paragraph before, lede) only when its own sentences say nothing."""
        ev = cand.event
        historical = ev.factuality == "historical"
        first = doc.sentence_at(cand.triggers[0].start)
        clauses = [(off + a, off + b) for tok, off in cand.anchors for a, b in [_clause_span(tok)]]
        starts = [t.start for t in cand.triggers]

        # "Israel strikes southern Lebanon": the doer's country places nothing
        doers = [(v.start, v.end) for a in ev.actors if a.role == "perpetrator" for v in a.evidence]

        def described(mentions: dict[int, list[Mention]], sents: list[int], own: bool) -> list:
            out = []
            for si in sents:
                for m in mentions.get(si, []):
                    if not _may_anchor(doc.text, m, dateline):
                        continue
                    if any(a <= m.start < b for a, b in doers):
                        continue
                    in_clause = own and any(a <= m.start < b for a, b in clauses)
                    dist = min(abs(m.start - s) for s in starts) if own else 10_000 + abs(si)
                    out.append((m, in_clause, own and si == first, dist))
            return out

        own = sorted(cand.sentences)
        context = [] if historical else _context_sentences(doc, own, dateline)
        # "In a separate incident, bandits killed four farmers": no place of the
        # attack told before it
        place_context = [] if _apart(cand) else context
        own_places = described(places, own, True)
        place = pick_place(own_places, dateline)
        if (
            place is not None
            and place.lat is None
            and place.country is None
            and place.name
            and not WATERS.search(place.name)  # "the Gulf of Aden" lies in no country
        ):
            # "near the town of Boni in central Mali": a town the gazetteer lacks, in
            # the country its sentence names (still no coordinates: a country has none)
            # the country named nearest the town ("Israel strikes ... south Lebanon
            # town": Lebanon), not the first the sentence names
            at = next(
                (m.start for m, *_ in own_places if getattr(m.value, "name", None) == place.name),
                0,
            )
            told = [
                m
                for si in own
                for m in places.get(si, [])
                # not "crossed from neighbouring Somalia": where the attackers came
                # from, nor "Veloria struck the town of X": who struck it
                if not told_elsewhere(doc.text, m.start, m.end)
                and not any(a <= m.start < b for a, b in doers)
            ]
            country = min(
                (
                    m
                    for m in told
                    if isinstance(m.value, Place)
                    and m.value.precision == 6
                    and m.value.country
                    and (m.value.name or "")[:1].isupper()  # a name, not "state"
                ),
                key=lambda m: abs(m.start - at),
                default=None,
            )
            country = country.value if country is not None else None
            if country is not None:
                place = dataclasses.replace(
                    place,
                    country=country.country,
                    reason=f"{place.reason or 'not in the gazetteer'}; in {country.name}, "
                    "the country its sentence names",
                    evidence=[*place.evidence, *country.evidence],
                )
        # the context sentence nearest the event that places anything decides
        # when its own sentences say nothing, or only a country or province
        # that the context's place may lie in
        coarse = place is not None and specificity(place) < 2.0
        for si in place_context if (place is None or coarse) and not historical else ():
            found = pick_place(described(places, [si], False), dateline)
            if found is None or (place is not None and found.attachment == "dateline"):
                continue  # where the reporter filed from says nothing of a place told
            if place is None or (
                specificity(found) >= 2.0
                and found.country in (None, place.country)
                # "a base in the department of Cauca": a town of another province
                # is not where in Cauca
                and not (
                    place.precision in (3, 4)
                    and place.admin1
                    and found.admin1
                    and found.admin1 != place.admin1
                )
            ):
                place = found
            break
        if place is not None and not historical and specificity(place) < 3.0:
            # still coarse, or a facility without its town: the report's focus town
            place = refine_to_focus(place, focus)
        if place is not None or not historical:
            ev.place = place
        pub = doc.article.published
        if any(_remembered(tok) for tok, _ in cand.anchors):
            # "marked on Saturday the tenth anniversary of the strike": the day of
            # the marking, not of the strike, which the report does not give
            ev.date = None
            return
        own_dates = _with_tokens(doc, described(dates, own, True))
        elsewhere = sequenced_heads([tok for tok, _ in cand.anchors])
        date = pick_date(own_dates, pub, elsewhere=elsewhere)
        for si in context if date is None else ():
            if (
                date := pick_date(_with_tokens(doc, described(dates, [si], False)), pub)
            ) is not None:
                break
        if date is None:
            date = pick_date(own_dates, pub, told=True, elsewhere=elsewhere)
        if date is not None:
            ev.date = date
        elif ev.date is not None and ev.date.start is not None:
            ev.date = None  # only an open range, a dateline or a future day was near it

    def _fold(
        self,
        cands: list[_Candidate],
        doc: Document,
        dates: dict[int, list[Mention]],
        places: dict[int, list[Mention]],
        focus: Focus,
        dateline: int,
    ) -> list[_Candidate]:
        """Fold the mentions of one attack told across the report into one event."""
        kept: list[_Candidate] = []
        for cand in cands:
            host = next((k for k in kept if _same_attack(k, cand)), None)
            if host is None:
                # only an event that stands on its own can host the others
                if _stands(cand):
                    kept.append(cand)
                continue
            # Folded only for sharing a day and a place: the attack keeps its own
            # type, unless people were abducted in it and no one was killed or
            # wounded (ACLED codes the abduction; `_outranks`).
            kin = bool(
                _families_merge(host, cand)
                or {"property", "abduction"} & {host.trigger.family, cand.trigger.family}
            )
            _absorb(host, cand, retype=kin)
            if cand.event.factuality == "asserted":
                host.event.factuality = "asserted"  # told as the report's own news
            self._settle(host, doc, dates, places, focus, dateline)
        return kept

    @staticmethod
    def _link(
        doc: Document, cands: list[_Candidate], figures_by_sent: dict[int, list[Any]]
    ) -> None:
        # Indexed once, so linking stays linear in the number of sentences,
        # triggers and claims: each candidate's trigger starts by sentence,
        # the owners of each sentence, and every trigger ordered by start.
        starts: list[dict[int, list[int]]] = []
        owners_of: dict[int, list[int]] = {}
        triggers: list[tuple[int, int, int]] = []
        for k, cand in enumerate(cands):
            by_sent: dict[int, list[int]] = {}
            for t in cand.triggers:
                si = doc.sentence_at(t.start)
                if si is not None:
                    by_sent.setdefault(si, []).append(t.start)
                triggers.append((t.start, t.end, k))
            starts.append(by_sent)
            for si in cand.sentences:
                owners_of.setdefault(si, []).append(k)
        for si, figs in figures_by_sent.items():
            owners = owners_of.get(si, [])
            for fig in figs:
                if not owners:
                    break
                pos = fig.evidence[0].start
                k = min(owners, key=lambda k: min(abs(a - pos) for a in starts[k].get(si, ())))
                best = cands[k]
                fig.event_id = best.event.id
                best.event.figure_ids.append(fig.id)
        _link_stray_tolls(doc, cands, figures_by_sent)
        triggers.sort()
        trigger_starts = [t[0] for t in triggers]
        for claim in doc.claims:
            spans = [claim.content_evidence] if claim.content_evidence else claim.evidence
            linked: set[int] = set()
            for s in spans:
                if s is None:
                    continue
                j = bisect_left(trigger_starts, s.start)
                while j < len(triggers) and triggers[j][0] < s.end:
                    if triggers[j][1] <= s.end:
                        linked.add(triggers[j][2])
                    j += 1
            for k in sorted(linked):
                cands[k].event.claim_ids.append(claim.id)


# Tolls a sentence may give with no event word of its own: "the Observatory
# put the toll at seven", "the dead were later counted at 12".
_TOLL_KINDS = frozenset({"killed", "injured", "missing", "hostages"})


def _link_stray_tolls(
    doc: Document, cands: list[_Candidate], figures_by_sent: dict[int, list[Any]]
) -> None:
    """A toll in a sentence that tells no event ("The Observatory put the toll
    at seven") counts the attack told last before it: an asserted one, in the
    paragraph or the two before. A cumulative count, a count of something
    else and the same toll told again ("rescuers recovered 12 bodies") stay
    unlinked."""
    told = sorted(
        (t.start, k)
        for k, c in enumerate(cands)
        if c.event.factuality == "asserted"
        for t in c.triggers
    )
    if not told:
        return
    starts = [s for s, _ in told]
    linked: dict[str | None, list[Any]] = {}
    for figs in figures_by_sent.values():
        for fig in figs:
            if fig.event_id is not None:
                linked.setdefault(fig.event_id, []).append(fig)
    for si, figs in figures_by_sent.items():
        para = doc.sentences[si].paragraph
        for fig in figs:
            if fig.event_id is not None or fig.kind not in _TOLL_KINDS:
                continue
            if fig.scope != "incident" or not fig.evidence:
                continue
            j = bisect_left(starts, fig.evidence[0].start) - 1
            if j < 0:
                continue
            start, k = told[j]
            tsi = doc.sentence_at(start)
            if tsi is None or para - doc.sentences[tsi].paragraph > 2:
                continue
            ev = cands[k].event
            same = (fig.kind, fig.group, fig.min)  # "15 bodies" after "at least 15 killed"
            if any((f.kind, f.group, f.min) == same for f in linked.get(ev.id, ())):
                continue  # "rescuers had recovered 12 bodies": the toll told again
            fig.event_id = ev.id
            ev.figure_ids.append(fig.id)
            linked.setdefault(ev.id, []).append(fig)


def _context_sentences(doc: Document, own: list[int], dateline: int) -> list[int]:
    """Sentences that may lend an event a place or date: the ones before its first
    sentence in its paragraph (nearest first), then the first two paragraphs;
    `dateline`: where the report's dateline ends (`dateline_end`)."""
    if not own:
        return []
    si = own[0]
    para = doc.sentences[si].paragraph
    out = []
    for j in range(si - 1, -1, -1):
        if doc.sentences[j].paragraph != para:
            break
        out.append(j)
    lede = [j for j, s in enumerate(doc.sentences) if s.paragraph <= 1 and j not in own][:6]
    # a headline says less than the lede below it ("Gunmen kill 7 at mosque in
    # northwest Nigeria" over "... at a mosque in Zamfara state"): asked last;
    # a dateline on its own ("ADDIS ABABA, Oct 15 -") says where the reporter
    # was, after all of them
    out += sorted(lede, key=lambda j: _headline(doc, j))
    out.sort(key=lambda j: doc.sentences[j].end <= dateline)  # stable: the rest keep their order
    return list(dict.fromkeys(out))


def _headline(doc: Document, si: int) -> bool:
    """Whether sentence `si` is a headline: alone in the first paragraph, with no
    closing punctuation, above a body."""
    s = doc.sentences[si]
    if s.paragraph != 0 or len(doc.sentences) < 2:
        return False
    if sum(1 for x in doc.sentences if x.paragraph == 0) != 1:
        return False
    return not doc.text[s.start : s.end].rstrip().endswith((".", "!", "?", '"', "”"))


_LOCATIVE_OPENING = re.compile(
    r"(?i:in|at|near|outside|around|inside)\s+(?:the\s+)?"
    r"(?:(?i:town|village|city|district|area)\b|[A-Z])"  # "near Boni", too
)
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|across|throughout|inside|into|outside|on|of|from|over|around|"
    r"within)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)


# What a mine that is a weapon may be called: "a landmine", "an anti-tank mine".
_WEAPON_MINE_WORDS = frozenset(
    {"land", "anti", "personnel", "antipersonnel", "tank", "antitank", "anti-personnel",
     "anti-tank", "naval", "sea", "roadside", "improvised", "unexploded", "-", "a", "an", "the"}
)  # fmt: skip
# Verbs whose object is a place, not what they are done with: "attacked a mine".
_PLACE_OBJECT_VERBS = frozenset(
    {"attack", "raid", "storm", "seize", "capture", "overrun", "occupy", "enter", "close",
     "run", "own", "operate", "visit", "shut", "reopen", "work", "loot", "burn"}
)  # fmt: skip


def _a_pit(tok: Any) -> bool:
    """Whether "mine" names a pit dug for ore ("a gold mine", "attacked the mine")."""
    if any(
        c.dep_ in ("compound", "amod", "nmod") and c.lower_ not in _WEAPON_MINE_WORDS
        for c in tok.lefts
    ):
        return True
    if tok.dep_ == "poss":
        return True  # "the mine's operator"
    return tok.dep_ in ("dobj", "pobj") and tok.head.lemma_.lower() in _PLACE_OBJECT_VERBS | {
        "at",
        "in",
        "inside",
        "near",
        "from",
        "into",
    }


def _past_dateline_subject(subj: Any) -> Any:
    """The subject a wire dateline hides: "MOGADISHU — Al-Shabaab militants attacked"
    parses with the dateline's town in capitals as the subject and the doers as its
    apposition, after the dash."""
    if not (subj.text.isupper() and len(subj.text) > 2 and subj.i < 8):
        return subj
    dash = [c for c in subj.children if c.dep_ == "punct" and c.text in ("—", "–", "-", "--", ":")]
    appos = [c for c in subj.children if c.dep_ == "appos" and dash and c.i > dash[0].i]
    return appos[0] if appos else subj


def _past_dateline(doc: Document, ev: Evidence, line_start: int, dateline: int) -> Evidence | None:
    """The part of an actor's evidence after the dateline: none when it lies within
    the dateline ("KHAN YUNIS" as a subject), the words after it when the parse ran
    the dateline into the subject ("MOGADISHU — Al-Shabaab militants attacked")."""
    if not line_start <= ev.start < dateline:
        return ev
    if ev.end <= dateline:
        return None
    start = dateline
    while start < ev.end and not doc.text[start].isalnum():
        start += 1
    return doc.evidence(start, ev.end) if start < ev.end else None


def _may_anchor(text: str, m: Mention, dateline: int) -> bool:
    """Whether a mention may give an event its date or place.

    A date on a line of its own ("Jun 26, 2021" under a headline) is the page's
    date, and a dateline's date the filing's. A country or province placing
    an event must be where something happened ("in Yemen", "across the Gaza
    Strip"), not the subject of a sentence ("the US estimated ...")."""
    v = m.value
    if isinstance(v, When):
        if m.start < dateline:
            return False
        line_start = text.rfind("\n", 0, m.start) + 1
        line_end = text.find("\n", m.end)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        return len(line.strip(" .,\t")) > len(text[m.start : m.end]) + 12
    before = text[max(0, m.start - 80) : m.start]
    if isinstance(v, Place) and v.reason and OFFSET_FROM_TOWN in v.reason:
        return True  # "40 km north of Bor": the point the distance and direction tell
    if _DISTANCE_FROM.search(before):
        return False  # "100km outside the city of Tripoli": a reference point, not the place
    if told_elsewhere(text, m.start, m.end):
        return False  # "the injured were evacuated to hospitals in Kaya, 40 km away"
    if isinstance(v, Place) and v.facility and (v.lat is None or (v.precision or 0) >= 3):
        # "struck the Al-Noor Hospital in the town of Kafr Selim": what was hit, and
        # the town it stands in, unresolved but named (its reason says why); or
        # with no town ("raided the Ibn Sina hospital in the West Bank city of
        # Jenin"), for the town beside it to place
        return True
    if isinstance(v, Place) and v.lat is None or (v.precision or 0) >= 4:
        # the locative before it, or opening the mention itself ("near the town of Boni")
        return bool(
            _LOCATIVE.search(before[-48:]) or _LOCATIVE_OPENING.match(text[m.start : m.end])
        )
    # "Saba said, citing a local official", "officials in Kyiv said": who spoke
    # (or where), not where it happened
    return not _SPOKE_AFTER.match(text, m.end)


_SPOKE_AFTER = re.compile(
    r"\s+(?:said|says|reported|reports|told|added|announced|quoted)\b(?!\s+(?:by|to\s+be)\b)"
)


def _without_others_clauses(span: Any, tok: Any) -> str:
    """The sentence's text with the relative clauses on other words than the
    trigger blanked: "blamed the attack on the RSF, which has been fighting the army
    since April 2023" dates the RSF's war, not the attack ("clashes that have killed
    200 since May" still tells when the clashes were)."""
    chars = list(span.text)
    base = span[0].idx
    for t in span:
        if t.dep_ == "relcl" and t.head.i != tok.i and not t.left_edge.i <= tok.i <= t.right_edge.i:
            a, b = t.left_edge.idx - base, t.right_edge.idx + len(t.right_edge.text) - base
            chars[a:b] = " " * (b - a)
    return "".join(chars)


# Agent nouns that name a force only with what qualifies them ("the intelligence
# service", "a criminal band"): bare, a church service or a music band.
_QUALIFIED_AGENTS = frozenset({"service", "services", "band"})
_DISTANCE_FROM = re.compile(
    r"\d+\s*(?:km|kilomet(?:re|er)s?|miles?)\b[^.;\n]{0,60}$", re.IGNORECASE
)


def _telling_day(doc: Document, m: Mention) -> bool:
    """Whether a date mention hangs from a verb of speech ("police said on Sunday")."""
    ((*_, tok),) = _with_tokens(doc, [(m,)])
    return tok is not None and speech_governed(tok)


def _with_tokens(doc: Document, mentions: list) -> list:
    """Add to each (mention, ...) tuple the root token of the mention's span."""
    out = []
    for t in mentions:
        m = t[0]
        sent = doc.sentences[m.sentence]
        span = sent.span.doc.char_span(
            m.start - sent.offset, m.end - sent.offset, alignment_mode="expand"
        )
        out.append((*t, span.root if span is not None and len(span) else None))
    return out


def _same_day(a: When | None, b: When | None, own_words: bool = True) -> bool:
    """Both dated to one and the same day (by the events' own sentences when
    `own_words`: a battle is told apart from an abduction the day shares)."""
    if a is None or b is None or a.start is None or a.start != b.start:
        return False
    if not a.precision == b.precision == "day" or "telling" in (a.attachment, b.attachment):
        return False
    return not own_words or a.attachment == b.attachment == "sentence"


def _stands(c: _Candidate) -> bool:
    """A trigger that may not stand alone ("hit", "search") and a bare generic
    noun ("a direct attack on a medical facility", said of an incident already
    told) is kept only inside an event it joined."""
    if not (c.trigger.alone or c.merged or c.weapon):
        return False
    return not (
        c.trigger.generic
        and not c.merged
        and not c.weapon
        and c.token is not None
        and c.token.pos_ != "VERB"
        # "the militia carried out an attack": a deed with its doer
        and _light_verb_subject(c.token) is None
    )


def _same_attack(host: _Candidate, cand: _Candidate) -> bool:
    """Whether two events of one report are one attack (assembly.py's folding rule)."""
    h, c = host.event, cand.event
    if {h.factuality, c.factuality} == {"asserted", "historical"}:
        # a retrospective's "on October 3, 2015, airstrikes hit the hospital"
        # (historical by its year) and its "the attack killed 42": one attack
        # when both are told on one precise day at one place
        if not (
            h.date is not None
            and c.date is not None
            and h.date.precision == c.date.precision == "day"
            and h.date.start == c.date.start
        ):
            return False
    elif h.factuality != c.factuality or h.factuality != "asserted":
        return False
    if (
        host.sentences & cand.sentences
        and host.subject is not None
        and cand.subject is not None
        and host.subject != cand.subject
        # "The assailants burned the centre and killed patients": the host took
        # "killed" in, and with it the subject the two verbs share
        and cand.subject not in {_shared_subject(tok) for tok, _ in host.anchors}
    ):
        return False  # the sentence pass kept them apart ("a shell ..., as artillery fire ...")
    families = {host.trigger.family, cand.trigger.family}
    if _crowd_that_attacked(host, cand) or _crowd_that_attacked(cand, host):
        # "a mob attacked the village ... police fired tear gas to disperse the mob"
        return dates_agree(h.date, c.date) and places_agree(h.place, c.place)
    # ambulances kept from the wounded during a raid are part of that raid
    foldable = families <= ATTACK_FAMILIES or (
        families <= ATTACK_FAMILIES | {"obstruction"} and bool(families & ATTACK_FAMILIES)
    )
    if not foldable or _one_of_several(cand) or _apart(cand):
        return False
    if _distinct_sites(host, cand):
        return False  # "the strike on the school" and "a strike on a house"
    if not (dates_agree(h.date, c.date) and places_agree(h.place, c.place)):
        return False
    if _elsewhere(host, c.place):
        return False
    if c.date is None and cand.trigger.family == "abduction" and "abduction" in host.families:
        # "killing 12 and abducting dozens ... a resident said 31 people were
        # kidnapped": an undated deed of a kind the attack already told is more
        # of that attack, not a second one
        return True
    # Kinds of one attack: the same family, a generic trigger, a raid with its
    # detentions, or the burning and looting that went with it; and violence of
    # any kind on the very same day at the very same place (the shooting in a
    # mass abduction).
    return (
        _families_merge(host, cand)
        or "property" in families
        # an arrest is an event of its own (ACLED's Arrests), even the same day
        or ("arrest" not in families and _same_day(h.date, c.date, own_words="battle" in families))
    )


def _befalls_a_pronoun(verb: Any) -> bool:
    """Whether a passive verb befalls a pronoun ("the soldiers were on their way
    when they were hit by a landmine and then fired upon"): the subject above it
    is who the pronoun names, the patient, never the doer ("its aircraft had
    struck a site and the hospital had not been targeted" climbs on)."""
    return any(c.dep_ == "nsubjpass" and c.pos_ == "PRON" for c in verb.children)


def _crowd_that_attacked(host: _Candidate, cand: _Candidate) -> bool:
    """Whether a riot mention ("the mob") names the doer of an attack told in the
    report ("a mob attacked a village"): the same crowd, not a riot of its own."""
    if cand.trigger.family != "riot" or host.trigger.family not in ATTACK_FAMILIES:
        return False
    words = {tok.lemma_.lower() for tok, _ in cand.anchors}
    return any(
        a.role == "perpetrator" and a.name.lower().split()[-1] in words for a in host.event.actors
    )


def _add_actor(
    actors: list[Actor], new: Actor, seen: dict[int, set[Evidence]] | None = None
) -> None:
    """Add `new`, or its evidence to the actor of the same role and name.

    `seen` keeps each actor's evidence as a set (by the actor's id()) while many
    events merge, so that adding stays linear.
    """
    for a in actors:
        if (a.role, a.name.lower()) == (new.role, new.name.lower()):
            if seen is None:
                have = set(a.evidence)
            elif (have := seen.get(id(a))) is None:
                have = seen[id(a)] = set(a.evidence)
            fresh = [e for e in new.evidence if e not in have]
            a.evidence += fresh
            have.update(fresh)
            return
    actors.append(new)


def _own_clause(t: Any, verb: Any) -> bool:
    """Whether token `t` belongs to `verb`'s clause, not to a clause nested in it."""
    cur = t
    while cur.i != verb.i:
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("amod", "acl"):
            return False
        cur = cur.head
    return True


def _perfect(tok: Any) -> bool:
    """Whether the trigger (or the verb governing a trigger noun) is in a perfect tense."""
    for t in (tok, tok.head):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("have", "has") for c in t.children):
            return True
    return False


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


_DENYING_VERBS = frozenset({"deny", "reject", "dismiss"})


def _denier_of(tok: Any) -> Any:
    """The subject of "denied" whose complement is the trigger ("the military denied
    bombing the hospital", "denied it had bombed it"), or None."""
    verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head
    for gov, link in ((tok.head, tok.dep_), (verb.head, verb.dep_)):
        if link in ("xcomp", "pcomp", "ccomp", "dobj") and gov.lemma_.lower() in _DENYING_VERBS:
            return _subject(gov)
    return None


def _reporting_verb(head: Any) -> Any:
    """The verb of speech whose content holds `head` ("X said", "X told Y"),
    up through the content clause and the small model's loose "dep" arcs."""
    cur = head
    for _ in range(3):
        if cur.dep_ not in ("ccomp", "parataxis", "dep") or cur.head is cur:
            return None
        cur = cur.head
        if cur.lemma_.lower() in _SPEECH_VERBS:
            return cur
    return None


def _clause_span(tok: Any) -> tuple[int, int]:
    """Paragraph-relative char span of the clause a trigger belongs to."""
    head = tok
    if tok.pos_ != "VERB" and tok.head.pos_ in ("VERB", "AUX") and tok.head is not tok:
        head = tok.head  # "an airstrike on the hospital killed ...": the verb's clause
    while head.dep_ == "conj" and head.head is not head:
        head = head.head  # coordinated verbs share the clause of the first
    left, right = head.left_edge, head.right_edge
    speech = _reporting_verb(head)
    if speech is not None and speech.i > head.i:
        # "... burned houses in the village on Friday, local sources told Lusa":
        # the parse hangs "on Friday" from the trailing verb of speech; what
        # stands before the speaker is still the report's content
        subj = next((c for c in speech.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        stop = subj.left_edge.i if subj is not None and subj.i > head.i else speech.i
        right = head.doc[max(right.i, stop - 1)]
    return left.idx, right.idx + len(right.text)


def _descriptive(tok: Any, trig: Trigger) -> bool:
    """Whether a generic trigger names no event of its own: "the wounded",
    "wounded civilians", a plural "attacks" in a background sentence."""
    if not trig.generic:
        return False
    if tok.pos_ == "VERB":
        return (
            tok.dep_ in ("amod", "acomp")
            or tok.tag_ == "JJ"
            or any(c.dep_ == "det" for c in tok.children)
        )
    if tok.tag_ in ("NNS", "NNPS"):
        # "the RSF launched assaults on the town on Friday": a deed with its doer;
        # "the attacks happened on Friday and Saturday": when the told ones were
        return _light_verb_subject(tok) is None and not _told_when(tok)
    return False


# Verbs that say when or where something happened, and no more.
_HAPPENING = frozenset({"happen", "occur", "unfold"})


def _told_when(tok: Any) -> bool:
    """ "The attacks happened on Friday", "the raids took place at dawn": the
    definite plural of attacks already told, the subject of a verb that says
    only when or where they were."""
    verb = tok.head
    if tok.dep_ != "nsubj" or not any(
        c.dep_ == "det" and c.lower_ in ("the", "these", "those", "both") for c in tok.children
    ):
        return False
    lemma = verb.lemma_.lower()
    return lemma in _HAPPENING or (
        lemma == "take" and any(c.dep_ == "dobj" and c.lower_ == "place" for c in verb.children)
    )


# A strike by workers, not from the air: "went on strike", "an indefinite strike".
_LABOUR_STRIKE_MODS = frozenset(
    {"indefinite", "general", "hunger", "labour", "labor", "nationwide", "national",
     "industrial", "warning", "sympathy", "wildcat", "doctor", "worker", "nurse", "teacher",
     "union", "staff", "day", "week", "month", "planned", "threatened", "sit"}
)  # fmt: skip
# Verbs whose subject or object "strike" is a work stoppage, not a bombing.
_STRIKE_SPANS = frozenset(
    {"begin", "start", "end", "last", "continue", "suspend", "stage", "call", "resume", "join",
     "extend", "announce", "observe", "declare", "hold", "postpone", "threaten"}
)  # fmt: skip
# What a work stoppage is about: "a strike over unpaid wages".
_LABOUR_CAUSES = frozenset(
    {"wage", "pay", "salary", "arrear", "allowance", "condition", "bonus", "pension", "contract",
     "dispute", "demand", "grievance"}
)  # fmt: skip
_WORKERS = frozenset(
    {"medic", "doctor", "nurse", "worker", "teacher", "staff", "employee", "union", "intern",
     "driver", "clinician", "physician", "pharmacist", "lecturer"}
)  # fmt: skip
# Subjects that "target" or "hit" no one physically ("sanctions targeting a commander").
_ABSTRACT_SUBJECTS = frozenset(
    {"sanction", "measure", "law", "policy", "ban", "tax", "tariff", "campaign", "legislation",
     "restriction", "order", "report", "investigation", "rule", "programme", "program", "cut"}
)  # fmt: skip


# Nouns whose "of" names what they show or allege, not an event the report tells.
_DEPICTIONS = frozenset(
    {"footage", "video", "image", "photo", "picture", "evidence", "allegation", "accusation",
     "charge", "record", "documentation", "depiction", "glorification", "denial", "threat"}
)  # fmt: skip
_LIGHT_VERBS = frozenset(
    {"carry", "launch", "conduct", "stage", "mount", "unleash", "commit", "perpetrate",
     "execute", "claim"}
)  # fmt: skip


def _shot_dead_headline(tok: Any) -> bool:
    """A headline's passive without its auxiliary: "guard shot dead in Bajaur" (the
    verb with "dead" and no object of its own, no auxiliary)."""
    return (
        tok.pos_ == "VERB"
        and any(c.dep_ in ("oprd", "acomp") and c.lower_ == "dead" for c in tok.children)
        and not any(c.dep_ in ("dobj", "aux", "auxpass") for c in tok.children)
    )


def _light_verb_subject(tok: Any) -> Any:
    """The subject of "carried out / launched / claimed <trigger noun>", or the agent
    of "<trigger noun> was carried out by ...", if any."""
    if tok.dep_ == "nsubjpass" and tok.head.lemma_.lower() in _LIGHT_VERBS - {"claim"}:
        # "the strike on the camp was carried out by a military aircraft"
        return next(
            (g for a in tok.head.children if a.dep_ == "agent" for g in a.children
             if g.dep_ == "pobj"),
            None,
        )  # fmt: skip
    if tok.dep_ not in ("dobj", "pobj"):
        return None
    verb = tok.head if tok.dep_ == "dobj" else tok.head.head
    if verb.lemma_.lower() not in _LIGHT_VERBS or any(c.dep_ == "neg" for c in verb.children):
        return None
    subj = _subject(verb)
    if subj is not None and (
        subj.lower_ in _NOBODY or any(c.lower_ in ("no", "none") for c in subj.children)
    ):
        return None  # "no group has claimed the abduction": nobody named
    return subj


def _subject(verb: Any) -> Any:
    """The verb's own subject, if it has one ("Sudan's paramilitary Rapid Support
    Forces attacked": not the descriptor the parse makes a second subject)."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return next((c for c in subjects if c.pos_ != "ADJ"), subjects[0] if subjects else None)


def _accuser_of(tok: Any) -> tuple[Any] | None:
    """(who accuses,) when the trigger is the deed of an accusation ("the army
    accused the RSF of shelling a camp"), else None."""
    if tok.dep_ == "pcomp" and tok.head.lower_ in ("of", "for"):
        verb = tok.head.head
        if verb.lemma_.lower() in _ACCUSING_VERBS:
            # "the RSF denied responsibility and accused the army of ...": the
            # subject of the first of the coordinated verbs
            who = _subject(verb) or (_subject(verb.head) if verb.dep_ == "conj" else None)
            return (who,)
    return None


def _charged_with_many(tok: Any) -> bool:
    """Whether the trigger is a plural deed an accusation charges ("accused the
    army of carrying out drone strikes", "accused them of attacks on clinics"), or
    the verb of a relative clause on one ("drone strikes that killed hundreds")."""
    if tok.dep_ == "relcl" and tok.head.tag_ == "NNS":
        tok = tok.head
    if tok.tag_ != "NNS":
        return False
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in _DOING_VERBS and tok.head.dep_ == "pcomp":
        tok = tok.head  # "of carrying out drone strikes"
    elif tok.dep_ != "pobj":
        return False
    prep = tok.head
    if prep.lower_ not in ("of", "for"):
        return False
    # the parse hangs "of" on the verb or on the accused ("accused the military of")
    verb = prep.head.head if prep.head.dep_ == "dobj" else prep.head
    return verb.lemma_.lower() in _ACCUSING_VERBS


_DOING_VERBS = frozenset({"carry", "conduct", "launch", "commit", "perpetrate", "stage"})


def _blamed_on(tok: Any) -> list[tuple[Any, Any, bool]]:
    """(the named party, who names it or None, whether it is only accused) for
    "the attack blamed on X" / "attributed to X", "blamed X for the attack" /
    "accused X of the attack" / "held X responsible for the attack", "..., the
    ministry said, blaming X" (all accusations), and "X claimed responsibility for
    the attack" (its own word: not an accusation)."""
    out: list[tuple[Any, Any, bool]] = []
    for c in tok.children:
        if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in ("blame", "attribute"):
            for prep in c.children:
                if prep.dep_ == "prep" and prep.lower_ in ("on", "to"):
                    out += [(g, None, True) for g in prep.children if g.dep_ == "pobj"]
    if (
        tok.dep_ == "nsubjpass"
        and tok.head.lemma_.lower() == "claim"
        and not any(c.dep_ == "neg" for c in tok.head.children)
    ):
        # "the attack was claimed by JNIM": its own word, as with "claimed responsibility"
        out += [
            (g, None, False)
            for a in tok.head.children
            if a.dep_ == "agent"
            for g in a.children
            if g.dep_ == "pobj"
        ]
    out += [(g, None, False) for g in _admitted_by(tok)]
    if tok.dep_ == "pobj" and tok.head.lower_ == "behind" and tok.head.head.lemma_ == "be":
        # "X was behind the attack": responsible for it, in whoever's words; "the
        # military denied it was behind the attack": charged with it, and denying
        clause = tok.head.head
        subj = _subject(clause)
        denier = _subject(clause.head) if clause.head.lemma_.lower() in _DENYING_VERBS else None
        if subj is not None and subj.pos_ == "PRON" and denier is not None:
            out.append((denier, None, True))
        elif (
            subj is not None
            and subj.pos_ != "PRON"
            and not any(c.dep_ == "neg" for c in clause.children)
        ):
            told = _reporting_verb(clause)  # "officials said rebels were behind it"
            out.append((subj, _subject(told) if told is not None else None, told is not None))
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in ("blame", "pin"):
        # "the minister blamed the attack on the ELN": the accused after "on",
        # which the parse hangs on the verb or on the attack
        verb = tok.head
        if not any(c.dep_ == "neg" for c in verb.children):
            out += [
                (g, _subject(verb), True)
                for p in [*verb.children, *tok.children]
                if p.dep_ == "prep" and p.lower_ == "on"
                for g in p.children
                if g.dep_ == "pobj"
            ]
    prep = tok.head
    if tok.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ == "for":
        # "the group claimed responsibility for the attack"
        noun = prep.head
        if noun.lemma_.lower() == "responsibility" and noun.dep_ == "dobj":
            verb = noun.head
            if verb.lemma_.lower() in ("claim", "admit", "accept") and not any(
                c.dep_ == "neg" for c in verb.children
            ):
                out += [
                    (g, None, False)
                    for g in verb.children
                    if g.dep_ == "nsubj"
                    and g.pos_ != "PRON"
                    and g.lower_ not in _NOBODY
                    and not any(c.lower_ in ("no", "none") for c in g.children)
                ]  # never "no group has claimed responsibility"
    for t in tok.sent:
        # "..., a health official said, blaming the federal army": blame with no
        # other deed named, in the sentence that tells the attack
        # ("..., with the army blaming the RSF": the blame under "with")
        if (
            t.lemma_.lower() == "blame"
            and t.pos_ == "VERB"
            and t.dep_ in ("advcl", "conj", "pcomp")
        ):
            if not any(c.dep_ == "prep" for c in t.children):
                who = _subject(t) or _subject(t.head)  # "..., a health official said, blaming"
                out += [(g, who, True) for g in t.children if g.dep_ == "dobj"]
    if tok.dep_ == "pobj" and prep.dep_ == "prep":
        verb = prep.head
        if verb.dep_ == "dobj" and (verb.head.lemma_.lower(), prep.lower_) in _ACCUSE:
            # "accused rebels of the attack": "of" hangs on the accused
            return [*out, (verb, _subject(verb.head), True)]
        if verb.pos_ == "ADJ" and verb.lower_ == "responsible" and prep.lower_ == "for":
            verb = verb.head  # "held the army responsible for the attack"
            ok = verb.lemma_.lower() == "hold"
        else:
            ok = (verb.lemma_.lower(), prep.lower_) in _ACCUSE
        if ok and verb.pos_ == "VERB":
            out += [(g, _subject(verb), True) for g in verb.children if g.dep_ == "dobj"]
    return out


# What a party calls its own deed when it owns it: "the coalition said the strike
# was a mistake", "the army admitted the raid was an error".
_MISTAKES = frozenset({"mistake", "error", "accident"})
_ADMITTING_VERBS = frozenset({"say", "admit", "acknowledge", "concede"})
_ADMISSIONS = frozenset({"statement", "admission", "acknowledgement", "acknowledgment"})


def _admitted_by(tok: Any) -> list[Any]:
    """Who owns the attack by calling it a mistake: the subject of "said / admitted
    (that) the strike was a mistake", or the possessor of "the coalition's statement
    that the attack was a mistake". Only the trigger as the subject of "was a
    mistake", so "a mistake by the army" (someone else's word) and "it would be a
    mistake to strike" give no one."""
    clause = tok.head
    if tok.dep_ != "nsubj" or clause.lemma_.lower() != "be":
        return []
    if not any(c.dep_ == "attr" and c.lemma_.lower() in _MISTAKES for c in clause.children):
        return []
    if any(c.dep_ == "neg" for c in clause.children) or clause.dep_ not in ("ccomp", "acl"):
        return []  # "denied the strike was a mistake", "said it was not a mistake"
    gov = clause.head
    if gov.pos_ == "VERB" and gov.lemma_.lower() in _ADMITTING_VERBS:
        if any(c.dep_ == "neg" for c in gov.children):
            return []
        return [c for c in gov.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
    # "the coalition's statement that ...": the clause of the statement noun, which
    # the parse may hang on the verb the statement is an argument of
    nouns = [gov] + [g for c in gov.children if c.dep_ in ("agent", "prep") for g in c.children]
    for noun in nouns:
        if noun.pos_ == "NOUN" and noun.lemma_.lower() in _ADMISSIONS and noun.i < tok.i:
            return [c for c in noun.children if c.dep_ in ("poss", "nmod") and c.pos_ != "PRON"]
    return []


_ACCUSE = frozenset({("blame", "for"), ("accuse", "of"), ("accuse", "over"), ("blame", "over")})


def _health_staff(figure_text: str, sentence: str) -> bool:
    """Whether counted "staff" are health workers: a medic is one anywhere, "staff"
    only where the sentence is about health care ("the school's staff" is not)."""
    if not re.search(r"\bstaff\b", figure_text, re.IGNORECASE):
        return True
    return bool(_HEALTH_CONTEXT.search(sentence))


_HEALTH_CONTEXT = re.compile(
    r"hospital|clinic|medical|health|ambulance|\bMSF\b|Médecins|Medecins|nurs|doctor",
    re.IGNORECASE,
)


# Superlatives of time, not degree: "the latest attack" is the one being told.
_RECENCY = frozenset({"latest", "last", "newest", "earliest", "first"})


# Verbs by which a monitor counts attacks: "WHO recorded 1,520 attacks".
_TALLY_VERBS = frozenset({"record", "document", "register", "verify", "count", "log", "confirm"})


def _recorded_tally(tok: Any) -> bool:
    """Whether the trigger belongs to a count of attacks a monitor recorded ("the
    agency recorded 1,520 attacks on health facilities, killing 750 people"):
    statistics over a period, not one attack told."""
    verbs = [tok.head, tok] if tok.pos_ == "VERB" else [tok.head]
    for verb in verbs:
        if verb.lemma_.lower() not in _TALLY_VERBS:
            continue
        for obj in verb.children:
            if obj.dep_ not in ("dobj", "nsubjpass") or obj.tag_ != "NNS":
                continue
            if any(c.dep_ == "nummod" or c.lower_ in ("dozens", "hundreds") for c in obj.subtree):
                return True
    return False


# Pronouns by which a speaker tells its own deed.
_OWN = frozenset({"its", "their", "our"})
_OWN_SUBJECTS = frozenset({"it", "they", "we"})


def _speaker_of(tok: Any) -> Any:
    """The named subject of the verb of speech whose content holds the trigger
    ("The coalition said [its aircraft had hit ...]"), or None."""
    speech = _reporting_verb(tok if tok.pos_ in ("VERB", "AUX") else tok.head)
    if speech is None:
        return None
    subj = next((c for c in speech.children if c.dep_ == "nsubj"), None)
    return None if subj is None or subj.pos_ == "PRON" else subj


def _roundup(tok: Any) -> bool:
    """A sum of many attacks, not one: "Russian attacks killed five civilians
    and wounded 19 across Ukraine over the past day" (the attacks it sums are
    told one by one after it; the sum's figures stay, with no event of their own)."""
    while tok.dep_ == "compound" and tok.head.i != tok.i:  # "air strikes": the phrase's head
        tok = tok.head
    verb = tok.head if tok.dep_ == "nsubj" and tok.tag_ == "NNS" else tok
    heads = [verb, *verb.conjuncts]
    # the parse may make the verb a reduced relative of the attacks ("Israeli
    # strikes killed 38 across the Gaza Strip, ..., officials said": strikes
    # <acl killed, the strikes the subject of "said")
    heads += [
        c
        for h in {verb.i: verb, tok.i: tok}.values()
        for c in h.children
        if c.dep_ == "acl"
        and c.tag_ in ("VBD", "VBN")
        and any(g.dep_ == "dobj" for g in c.children)
    ]
    # the parse may hang "across Ukraine" on the object ("killed five civilians across ...")
    heads += [c for h in list(heads) for c in h.children if c.dep_ == "dobj"]
    if _over_places(heads, tok) or _in_several_attacks(heads):
        return True
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("across", "throughout")
        # over a country or its regions, not "across the street" or "the border"
        and any(
            g.dep_ == "pobj" and (g.ent_type_ in ("GPE", "LOC") or g.lemma_.lower() in _EXPANSES)
            for g in c.children
        )
        for h in heads
        for c in h.children
    )


def _over_places(heads: list[Any], tok: Any) -> bool:
    """ "Russian attacks kill four in Kherson and Donetsk regions": plural attacks
    told over two places at once are a sum of attacks, each told on its own."""
    plural = tok.tag_ == "NNS" or any(
        c.dep_ == "nsubj" and c.tag_ == "NNS" and c.lemma_.lower() in _ATTACK_NOUNS
        for h in heads
        for c in h.children
    )
    if not plural:
        return False
    for h in heads:
        for prep in h.children:
            if prep.dep_ != "prep" or prep.lower_ != "in":
                continue
            for g in prep.children:
                names = [t for t in g.subtree if t.ent_type_ in ("GPE", "LOC") or t.pos_ == "PROPN"]
                if g.dep_ == "pobj" and any(t.dep_ == "conj" for t in names):
                    return True
    return False


_ATTACK_NOUNS = frozenset(
    {"attack", "strike", "airstrike", "raid", "shelling", "bombardment", "drone", "missile"}
)
_SEVERAL = frozenset(
    {"two", "three", "four", "five", "six", "several", "multiple", "separate", "coordinated",
     "simultaneous", "twin", "series"}
)  # fmt: skip


# A series told in one town or on one day ("in a series of attacks in the town
# of Gwoza on Saturday") is that town's attack of the day, told as one.
_LOCAL_SERIES = re.compile(
    r"\b(?:town|city|village|camp|district|neighbou?rhood)\s+of\b|"
    r"(?<!said )(?<!says )(?<!told )\bon\s+(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b",
    re.IGNORECASE,
)


def _in_several_attacks(heads: list[Any]) -> bool:
    """ "killed at least 30 civilians in two separate attacks in the north over
    the weekend", "in a series of raids": a sum of attacks, each told on its own."""
    if not heads or _LOCAL_SERIES.search(heads[0].sent.text):
        return False
    nouns = _ATTACK_NOUNS | {"ambush", "assault", "bombing"}
    for h in heads:
        for prep in h.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "during"):
                continue
            for g in prep.children:
                if g.dep_ != "pobj":
                    continue
                if g.lemma_.lower() == "series":
                    return any(c.dep_ == "prep" and c.lower_ == "of" for c in g.children)
                if (
                    g.tag_ == "NNS"
                    and g.lemma_.lower() in nouns
                    and any(
                        c.dep_ in ("nummod", "amod") and c.lower_ in _SEVERAL for c in g.children
                    )
                ):
                    return True
    return False


def _sum_over_time(tok: Any, figures: Any, sent: Sentence, doc: Document) -> None:
    """The counts a roundup's verb sums ("killed at least 38 across the Gaza
    Strip on Tuesday") are no one incident's toll: cumulative, as of the report.
    A count listed under "including" stays as it is: it may be the one attack
    the report then tells ("including 14 in a school in Nuseirat")."""
    while tok.dep_ == "compound" and tok.head.i != tok.i:
        tok = tok.head
    verb = tok.head if tok.dep_ == "nsubj" else tok
    heads = [verb, *verb.conjuncts]
    heads += [c for h in {verb.i: verb, tok.i: tok}.values() for c in h.children if c.dep_ == "acl"]
    off = sent.offset
    spans = [
        (off + o.left_edge.idx, off + o.right_edge.idx + len(o.right_edge.text))
        for h in heads
        for o in h.children
        if o.dep_ == "dobj"
    ]
    listed = [
        (off + c.idx, off + c.right_edge.idx + len(c.right_edge.text))
        for h in heads
        for o in [h, *(g for g in h.children if g.dep_ == "dobj")]
        for c in o.children
        if c.dep_ == "prep" and c.lower_ in ("including", "among")
    ]
    for fig in figures:
        at = fig.evidence[0].start if fig.evidence else -1
        if fig.scope != "incident" or not any(a <= at < b for a, b in spans):
            continue
        if any(a <= at < b for a, b in listed):
            continue
        fig.scope = "cumulative"
        fig.as_of = fig.as_of or (doc.article.published or "")[:10] or None


# Nouns of a trend: what they measure is many events, none told ("a drop in strikes").
_CHANGE_NOUNS = frozenset(
    {"drop", "decline", "decrease", "fall", "reduction", "increase", "rise", "surge", "spike",
     "upsurge", "escalation", "uptick", "lull", "halt", "spate", "rate"}
)  # fmt: skip


# Who judges past deeds, and the verbs of their judgement: a deed a court found
# or convicted someone of is established history, not the news of an attack.
_JUDGES = frozenset(
    {"court", "tribunal", "judge", "jury", "panel", "inquiry", "commission", "prosecutor",
     "prosecution", "verdict", "judgment", "judgement", "ruling"}
)  # fmt: skip
_JUDGEMENTS = frozenset(
    {"find", "convict", "sentence", "acquit", "rule", "conclude", "establish", "indict", "charge"}
)
# "Prosecutors said fighters under his command stormed the hospital": a trial's case
_ALLEGING = frozenset({"say", "allege", "argue", "tell", "claim", "state"})


def _remembered(tok: Any) -> bool:
    """Whether a trigger is what an anniversary or a commemoration is of ("the
    tenth anniversary of the air strike that destroyed its hospital")."""
    cur = tok
    for _ in range(4):
        if cur.dep_ == "pobj" and cur.head.lower_ == "of":
            return cur.head.head.lemma_.lower() in _REMEMBRANCE
        if cur.head is cur:
            return False
        cur = cur.head
    return False


_REMEMBRANCE = frozenset({"anniversary", "commemoration", "remembrance", "memory"})


def _what_began_a_war(tok: Any) -> bool:
    """Whether a trigger is what a war or an offensive began after ("the offensive,
    launched after militants attacked Israel on Oct. 7"): its cause, told as background."""
    if tok.pos_ != "VERB":
        return False
    # read off the words, however the parse hangs "after" ("which launched after
    # Hamas-led militants attacked")
    before = tok.doc[max(tok.sent.start, tok.i - 14) : tok.i].text_with_ws
    if _BEGAN_AFTER.search(before):
        return True
    # "..., killing about 1,200 people": what went with that deed
    return tok.dep_ in ("advcl", "conj") and tok.head is not tok and _what_began_a_war(tok.head)


_BEGAN_AFTER = re.compile(
    r"\b(?:launched|began|begun|started|erupted|broke\s+out)\s+(?:days?\s+|weeks?\s+)?"
    r"after\s+(?:[\w\-'’]+\s+){0,4}$",
    re.IGNORECASE,
)


_WH = frozenset({"where", "how", "when", "why", "whether", "who", "what"})


def _asked_about(tok: Any) -> bool:
    """A trigger in an embedded question ("did not say how he was killed",
    "without saying where the strike hit"): what is not told."""
    if tok.dep_ not in ("ccomp", "xcomp") or tok.pos_ != "VERB":
        return False
    wh = any(
        t.lower_ in _WH and t.i < tok.i
        for c in tok.children
        if c.dep_ in ("advmod", "mark", "nsubj", "nsubjpass", "dobj")
        for t in [c, *c.conjuncts]
    )
    return wh and tok.head.lemma_.lower() in _SAYING


_SAYING = frozenset({"say", "tell", "specify", "explain", "know", "clarify", "disclose", "reveal"})


def _judged(tok: Any) -> bool:
    """Whether a trigger is told inside a court's finding or sentence ("the court
    found that fighters had attacked the hospital", "convicted him of killing")."""
    cur = tok
    for _ in range(4):
        if cur.head is cur:
            return False
        cur = cur.head
        if cur.lemma_.lower() in _JUDGEMENTS | _ALLEGING and any(
            c.dep_ in ("nsubj", "nsubjpass", "agent")
            and (
                c.lemma_.lower() in _JUDGES
                or any(g.lemma_.lower() in _JUDGES for g in c.subtree if g.dep_ == "pobj")
            )
            for c in cur.children
        ):
            return True
    return False


# Gatherings an attack may target, and the verbs that attack them.
_GATHERINGS = frozenset(
    {"rally", "protest", "demonstration", "march", "gathering", "sit-in", "funeral", "wedding"}
)
# Nouns of a deed that a gathering can be the scene of.
_BLASTS = frozenset(
    {"blast", "explosion", "bombing", "attack", "strike", "shooting", "stampede", "bomb",
     "airstrike", "raid", "ambush"}
)  # fmt: skip
_STRIKING = frozenset(
    {"strike", "attack", "hit", "target", "bomb", "storm", "raid", "shell", "fire", "explode",
     "blow", "disperse", "open", "ram", "shoot", "kill", "wound", "injure", "detonate"}
)  # fmt: skip


def _trend(tok: Any) -> bool:
    """ "a sharp drop in air strikes", "a surge of attacks": many events measured, none
    told; also "a drop in strikes and shelling", where the parse coordinates
    "shelling" with the drop itself."""
    first = tok
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    if first.i != tok.i and first.lemma_.lower() in _CHANGE_NOUNS:
        return True
    return (
        first.dep_ == "pobj"
        and first.head.lower_ in ("in", "of")
        and first.head.head.lemma_.lower() in _CHANGE_NOUNS
    )


# What sets a facility beside the attack, not in it: "near Al-Shifa Hospital".
_NEARBY = re.compile(
    r"(?:\bnear(?:\s+to)?|\boutside|\bclose\s+to|\bnext\s+to|\bin\s+the\s+vicinity\s+of|"
    r"\bopposite|\bbehind|\bin\s+front\s+of|\bmetres\s+from|\bmeters\s+from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _nobody(tok: Any) -> bool:
    """ "no one", "nobody", "none": the subject or object that says no one was hurt."""
    if tok.lower_ in ("nobody", "none"):
        return True
    return tok.lower_ == "one" and any(c.lower_ == "no" for c in tok.children)


_EXPANSES = frozenset(
    {"country", "nation", "region", "province", "state", "city", "territory", "district", "area"}
)


# What one strikes that is no target: "struck a deal", "strike a balance".
_STRUCK_IDIOMS = frozenset(
    {"blow", "deal", "chord", "balance", "note", "tone", "pose", "agreement", "bargain", "match",
     "compromise", "accord", "pact", "nerve"}
)  # fmt: skip


# What police fire at a crowd: no attack by itself (ACLED codes the protest).
_CROWD_CONTROL = frozenset({"gas", "teargas", "canister", "cannon"})


_HARM_NOUNS = frozenset({"injury", "wound", "burn", "trauma", "amputation", "fracture"})


# What is done with a bomb or a mine before it goes off.
_LAYING = frozenset(
    {
        "plant",
        "lay",
        "place",
        "hide",
        "bury",
        "conceal",
        "defuse",
        "find",
        "discover",
        "seize",
        "dismantle",
        "clear",
    }
)
# Deeds that last: told with how long, they are a state ("besieged for months").
_HOLDING = frozenset({"besiege", "blockade", "encircle", "surround"})
_SPANS = frozenset({"day", "week", "month", "year", "decade"})
# What a kind of deed is said to be when no one deed is told: "kidnappings for
# ransom are common", "air strikes are a daily occurrence".
_HABITUAL = frozenset(
    {"common", "frequent", "rife", "rampant", "routine", "commonplace", "widespread",
     "regular", "rare", "endemic", "occurrence", "norm", "everyday"}
)  # fmt: skip


# Wars as wholes: what they "have killed" is a running total, no deed told.
_WHOLE_WARS = frozenset({"war", "conflict", "insurgency", "crisis", "occupation", "uprising"})


def _toll_of_a_war(tok: Any) -> bool:
    """ "The war has killed 40,000 people", "the conflict began in 2023 and has
    since killed ...": a war's toll, summed over its course. "Fighting in the city
    killed 15" stays a deed: fighting can be one day's."""
    if tok.pos_ != "VERB":
        return False
    subj = _subject(tok)
    if subj is None and tok.dep_ == "conj":
        subj = _subject(tok.head)  # "began in April 2023 and has killed"
    if subj is not None and subj.lemma_.lower() in _WHOLE_WARS:
        return True
    # "more than 35,000 Palestinians have been killed in the Israeli offensive":
    # killed in a war as a whole, told in the perfect
    return _perfect(tok) and any(
        c.dep_ == "prep"
        and c.lower_ in ("in", "during", "since")
        and any(
            g.dep_ == "pobj" and g.lemma_.lower() in _WHOLE_WARS | {"offensive"} for g in c.children
        )
        for c in tok.children
    )


def _habitual(tok: Any) -> bool:
    """A bare plural deed that is the subject of "are common", "have become
    frequent", "remain rife": a statement about a kind of deed, no event."""
    if tok.tag_ != "NNS" or tok.dep_ != "nsubj":
        return False
    if any(c.dep_ in ("det", "poss", "nummod") for c in tok.children):
        return False  # "the kidnappings were common knowledge": those told
    verb = tok.head
    if verb.lemma_.lower() not in ("be", "become", "remain", "grow"):
        return False
    return any(
        c.dep_ in ("acomp", "attr", "oprd")
        and (
            c.lemma_.lower() in _HABITUAL
            or any(
                m.dep_ in ("amod", "advmod") and m.lemma_.lower() in _HABITUAL for m in c.children
            )
        )
        for c in verb.children
    )


def _not_an_event(tok: Any) -> bool:
    """A trigger word that names a state, a labour dispute, a measure or a comparison,
    not an attack: "went on an indefinite strike", "under siege since May", "the
    besieged city", "sanctions targeting the commander", "the heaviest bombardment
    in months"."""
    lemma = tok.lemma_.lower()
    if (
        tok.pos_ == "NOUN"
        and tok.dep_ in ("nsubjpass", "dobj")
        and tok.head.lemma_.lower() in _LAYING
    ):
        return True  # "the mine had been planted on the road": laid, not yet gone off
    if tok.pos_ == "NOUN" and _intercepted(tok):
        return True  # "it had shot down 12 of 15 missiles": what air defence downed
    if tok.pos_ == "NOUN" and any(
        c.dep_ in ("amod", "compound") and c.lower_ in ("nuclear", "atomic") for c in tok.children
    ):
        return True  # "lowering the threshold for a nuclear strike": a doctrine, no deed
    if (
        tok.dep_ == "acl"
        and tok.tag_ == "VBN"
        and tok.head.lower_ in ("those", "these", "all", "some", "many", "most")
    ):
        return True  # "some of those abducted were released": the victims, no new deed
    if (
        tok.pos_ in ("NOUN", "VERB")  # "shelling" is tagged either way
        and tok.dep_ in ("pobj", "pcomp")
        and tok.head.lower_ == "from"
        and (
            tok.head.head.lemma_.lower() in _HARM_NOUNS
            or (tok.head.i > 0 and tok.head.nbor(-1).lemma_.lower() in _HARM_NOUNS)
        )
        and not any(c.dep_ in ("det", "poss", "nummod") for c in tok.children)
    ):
        return True  # "patients arrive with injuries from shelling": a kind of wound
    if lemma in ("battle", "fight") and any(
        g.lemma_.lower() in _NO_FOES or g.lower_ in _NO_FOES  # "measles", lemma "measle"
        for c in tok.children
        for g in ([c] if c.dep_ == "dobj" else c.children if c.dep_ == "prep" else [])
    ):
        return True  # "firefighters battling a blaze", "the fight against cholera"
    if tok.pos_ == "NOUN" and _crowd_controlling(tok):
        return True  # "fired tear gas shells to disperse the mob": no shelling
    if (
        lemma == "burn"
        and not any(c.dep_ in ("dobj", "nsubjpass", "agent") for c in tok.children)
        and (subj := _subject(tok)) is not None
        and subj.lemma_.lower() in _BURNED_PEOPLE
    ):
        return True  # "patients burned in their beds": what befell them, not a deed
    if lemma == "turn" and any(
        c.dep_ in ("prt", "advmod") and c.lower_ == "away" for c in tok.children
    ):
        who = _subject(tok) or next(
            (c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None
        )
        if who is not None and who.lemma_.lower() in _CARE_PROVIDERS:
            return True  # "hospitals were forced to turn away patients": care refused, no attack
    sent_text = tok.sent.text
    if ACCIDENT.search(sent_text) and not _WILFUL.search(sent_text):
        # "a fire that broke out at a hospital's intensive care unit killed 82",
        # "caused by an exploding oxygen cylinder": an accident, no attack
        return True
    if lemma in ("fire", "shoot", "use") and any(
        c.dep_ == "dobj"
        and (
            c.lemma_.lower() in _CROWD_CONTROL
            or _crowd_controlling(c)  # "tear gas shells", "rubber bullets"
            or (c.lemma_.lower() == "shot" and any(m.lower_ == "warning" for m in c.children))
        )
        for c in tok.children
    ):
        return True  # "police fired tear gas", "fired warning shots": crowd control
    if lemma in ("kill", "injure", "wound") and any(
        g.lemma_.lower() in _MISHAPS
        for c in tok.children
        if c.dep_ == "prep" and c.lower_ in ("in", "by", "during")
        for g in c.children
        if g.dep_ == "pobj"
    ):
        return True  # "killed in a car crash", "injured in a stampede": no attack
    if lemma in ("kill", "injure", "wound") and any(
        c.dep_ == "nsubj"
        and (
            c.lemma_.lower() in _MISHAPS
            or c.lower_ in _MISHAPS
            # "a fire at a factory killed 12 workers", unless someone set it
            or (
                c.lemma_.lower() in ("fire", "blaze")
                and not any(
                    g.dep_ in ("acl", "relcl", "agent", "compound", "amod") for g in c.children
                )
            )
        )
        for c in tok.children
    ):
        return True  # "floods killed 30 people": no attacker
    if _trend(tok) or _habitual(tok) or _toll_of_a_war(tok):
        return True
    if lemma in _GATHERINGS and tok.pos_ == "NOUN":
        verb = tok.head.head if tok.dep_ == "pobj" else tok.head
        if tok.dep_ in ("dobj", "pobj", "nsubjpass") and verb.lemma_.lower() in _STRIKING:
            return True  # "a suicide bomber struck a rally": the rally was the target
        if (
            tok.dep_ == "pobj"
            and tok.head.lower_ in ("at", "on", "near", "outside", "during")
            and tok.head.head.pos_ == "NOUN"
            and tok.head.head.lemma_.lower() in _BLASTS
        ):
            return True  # "a bomb blast at an election rally": where it went off
    if lemma == "strike" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in _STRUCK_IDIOMS for c in tok.children
    ):
        return True  # "struck a blow to investors", "struck a deal"
    if tok.pos_ in ("NOUN", "PROPN"):
        first = tok
        while first.dep_ == "conj" and first.head is not first:
            first = first.head  # "footage of looting, arson and murder"
        if first.dep_ == "pobj" and first.head.lower_ == "of":
            if first.head.head.lemma_.lower() in _DEPICTIONS:
                return True  # what a video or an accusation shows, not an event told
        mods = {
            c.lemma_.lower().split("-")[-1]
            for c in tok.children
            if c.dep_ in ("amod", "compound", "nmod", "npadvmod")
        }
        if lemma == "strike":
            if tok.head.lower_ == "on" and tok.dep_ == "pobj":
                return True  # "go on strike"
            if mods & _LABOUR_STRIKE_MODS or any("-day" in c.lower_ for c in tok.children):
                return True
            if tok.dep_ in ("nsubj", "dobj") and tok.head.lemma_.lower() in _STRIKE_SPANS:
                return True  # "the strike will begin", "staged a strike": a stoppage
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ == "by":
                    who = next((g for g in prep.children if g.dep_ == "pobj"), None)
                    if who is not None and who.lemma_.lower() in _WORKERS:
                        return True  # "a strike by the medics"
                if prep.dep_ == "prep" and prep.lower_ in ("over", "for"):
                    why = next((g for g in prep.children if g.dep_ == "pobj"), None)
                    if why is not None and why.lemma_.lower() in _LABOUR_CAUSES:
                        return True  # "extend strike over unpaid wages"
        if (
            tok.dep_ == "pobj"
            and tok.head.lower_ in ("under", "amid")
            and lemma
            in ("siege", "blockade", "occupation", "bombardment", "shelling", "attack", "fire")
        ):
            return True  # a state the place is in, or the background of the news
        if any(
            c.tag_ == "JJS" and c.dep_ == "amod" and c.lower_ not in _RECENCY for c in tok.children
        ) and any(c.lower_ == "the" for c in tok.children):
            return True  # "the heaviest bombardment in months": a comparison ("the latest" tells)
        return False
    if (
        tok.lower_ == "striking"
        and tok.i + 1 < len(tok.doc)
        and tok.nbor(1).lemma_.lower() in _WORKERS
    ):
        return True  # "police fired tear gas at striking doctors": on strike from work
    if tok.pos_ == "VERB":
        if tok.dep_ == "amod" and tok.tag_ == "VBN":
            return True  # "the besieged city", "occupied territory"
        if lemma in _HOLDING and any(
            (c.dep_ == "prep" and c.lower_ == "since")
            or (
                c.dep_ == "prep"
                and c.lower_ == "for"
                and any(g.lemma_.lower() in _SPANS for g in c.children)
            )
            for c in tok.children
        ):
            return True  # "which has besieged the city for months": a state, no deed
        if lemma in ("injure", "wound", "kill", "hurt") and any(
            c.dep_ in ("nsubjpass", "nsubj", "dobj") and _nobody(c) for c in tok.children
        ):
            return True  # "no one was injured", "killing nobody": nothing befell anyone
        subj = _subject(tok)
        if subj is not None and subj.lemma_.lower() in _ABSTRACT_SUBJECTS:
            return True
        if tok.dep_ == "acl" and tok.head.lemma_.lower() in _ABSTRACT_SUBJECTS:
            return True  # "sanctions targeting the commander"
        if lemma == "strike" and not any(c.dep_ in ("dobj", "nsubjpass") for c in tok.children):
            if subj is not None and subj.lemma_.lower() in _LABOUR_STRIKE_MODS | {"employee"}:
                return True  # "nurses are striking"
        if (
            lemma == "fire"
            and any(c.dep_ == "nsubj" for c in tok.children)
            and not any(c.dep_ in ("dobj", "nsubjpass", "ccomp") for c in tok.children)
            and not any(
                c.dep_ == "prep" and c.lower_ in ("at", "on", "upon", "into", "toward", "towards")
                for c in tok.children
            )
        ):
            return True  # "the striker fired wide": fired at nothing, no attack told
        if lemma == "search" and not any(c.dep_ == "dobj" for c in tok.children):
            if any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
                return True  # "police were searching for a man": a manhunt, not a raid
        if _shot_down(tok):
            # "60 drones were shot down", "it shot down 20 of 28 drones" (down
            # parsed as an adverb): an interception, not an attack
            return True
    return False


def _intercepted(tok: Any) -> bool:
    """Whether a munition noun is what air defence shot down or intercepted ("shot
    down 12 of 15 missiles", "the drones were intercepted")."""
    cur = tok
    if cur.dep_ == "pobj" and cur.head.lower_ == "of":
        cur = cur.head.head  # "12 of 15 missiles"
    if cur.dep_ not in ("dobj", "nsubjpass"):
        return False
    verb = cur.head
    return verb.lemma_.lower() in ("intercept", "down") or _shot_down(verb)


def _shot_down(verb: Any) -> bool:
    """ "shot down" (the small model parses "down" as a particle or an adverb)."""
    return verb.lemma_.lower() == "shoot" and any(
        c.dep_ in ("prt", "advmod") and c.lower_ == "down" for c in verb.children
    )


# Kinds of site an attack is told "on": two attacks on two kinds are two
# attacks (a part of a site, "the building", "the ward", says nothing).
_SITE_KINDS = frozenset(
    {"house", "home", "school", "hospital", "clinic", "market", "mosque", "church", "car",
     "vehicle", "bus", "truck", "convoy", "checkpoint", "base", "village", "ambulance",
     "restaurant", "hotel", "prison", "bakery", "farm", "factory", "university", "wedding",
     "funeral", "bridge", "port", "airport"}
)  # fmt: skip


def _sites_struck(cand: _Candidate) -> set[str]:
    """The kinds of site a candidate's attack nouns were told on ("the strike on
    the school": school)."""
    out = set()
    for tok, _ in cand.anchors:
        if tok.pos_ != "NOUN":
            continue
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("on", "against"):
                out.update(
                    g.lemma_.lower()
                    for g in c.children
                    if g.dep_ == "pobj" and g.lemma_.lower() in _SITE_KINDS
                )
    return out


def _distinct_sites(host: _Candidate, cand: _Candidate) -> bool:
    a, b = _sites_struck(host), _sites_struck(cand)
    return bool(a and b and not a & b)


_ORDINALS = frozenset({"second", "third", "fourth", "fifth"})
# A group's acronym: "RSF", "M23", "ISWAP".
_ACRONYM = re.compile(r"[A-Z][A-Z0-9\-]{1,7}")


def _crowd_controlling(tok: Any) -> bool:
    """Whether a munition is named as crowd control's: "tear gas shells", "rubber
    bullets", "stun grenades"."""
    return any(c.lemma_.lower() in _CROWD_CONTROL | _SOFT_ROUNDS for c in tok.lefts)


_SOFT_ROUNDS = frozenset({"rubber", "plastic", "smoke", "stun", "pepper"})


def _by_crowd_control(tok: Any) -> bool:
    """Whether a harm verb tells what crowd control did: "fired tear gas ...,
    injuring three", "three were hurt by tear gas canisters"."""
    deeds = [tok]
    if tok.dep_ in ("advcl", "conj", "xcomp") and tok.head.pos_ == "VERB":
        deeds.append(tok.head)  # "fired tear gas at the march, injuring three"
    for deed in deeds:
        for c in deed.children:
            if c.dep_ in ("dobj", "nsubj") and crowd_control(c):
                return True
            if c.dep_ in ("agent", "prep") and any(
                g.dep_ == "pobj" and crowd_control(g) for g in c.children
            ):
                return True
    return False


def _next_elsewhere(cand: _Candidate, there: Place | None) -> bool:
    """ "Hours later, a second blast hit the office ... in the nearby town of X":
    the next of a series, placed by its own sentence somewhere the attack before
    was not. A second strike told with no place of its own (the double tap on the
    rescuers) stays part of the first."""
    tok, here = cand.token, cand.event.place
    if tok is None or here is None or there is None or here.attachment != "sentence":
        return False
    if not any(c.dep_ == "amod" and c.lower_ in _ORDINALS for c in tok.children):
        return False
    return bool(here.name and there.name and here.name != there.name) and not (
        here.geonames_id is not None and here.geonames_id == there.geonames_id
    )


def _apart(cand: _Candidate) -> bool:
    """A trigger told as a different attack (`_another`), or opened by "Separately,"
    ("Separately, Russian shelling killed two civilians in ..."): an incident of its
    own, which, unlike "another strike", need not share the attacker told before."""
    if _another(cand):
        return True
    tok = cand.token
    if tok is None:
        return False
    verb = tok if tok.pos_ == "VERB" else tok.head
    return any(
        c.dep_ == "advmod" and c.lower_ == "separately"
        for v in (verb, verb.head)  # (the parse may hang it on the trailing "said")
        for c in v.children
    )


def _another(cand: _Candidate) -> bool:
    """A trigger told as a different attack: "another strike", "other strikes",
    "a separate attack", or a verb "in a separate incident" / "in another attack"."""
    tok = cand.token
    if tok is None:
        return False

    def marked(t: Any) -> bool:
        return any(
            (c.dep_ == "det" and c.lower_ == "another")
            or (c.dep_ == "amod" and c.lower_ in ("separate", "other", "different"))
            for c in t.children
        )

    if marked(tok):
        return True
    return tok.pos_ == "VERB" and any(
        g.dep_ == "pobj" and marked(g)
        for c in tok.children
        if c.dep_ == "prep" and c.lower_ == "in"
        for g in c.children
    )


# A weapon's model designation: "Iskander-M", "Kh-101", "S-300", "Shahed-136".
_MODEL = re.compile(r"[A-Z][A-Za-z]*-[A-Z0-9]{1,4}")


def _model_name(tok: Any) -> bool:
    """Whether the token belongs to an entity that is a weapon's model name."""
    if not tok.ent_type_:
        return False
    start = tok.i
    while start > 0 and tok.doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(tok.doc) and tok.doc[end].ent_iob_ == "I":
        end += 1
    return _MODEL.fullmatch(tok.doc[start:end].text) is not None


def _one_of_several(cand: _Candidate) -> bool:
    """A trigger said to be "one of several" (or many, dozens): it speaks for the
    other attacks as well, so it is no mere repeat of the one told before."""
    tok = cand.token
    if tok is None or tok.dep_ != "nsubj" or tok.head.lemma_ != "be":
        return False
    return any(
        a.dep_ == "attr"
        and a.lower_ == "one"
        and any(
            g.lower_ in ("several", "many", "dozens", "scores", "hundreds", "series")
            for p in a.children
            if p.dep_ == "prep" and p.lower_ == "of"
            for g in p.subtree
        )
        for a in tok.head.children
    )


def _days_after(tok: Any) -> bool:
    """A trigger told as what the news came days or more after ("the raid came two
    weeks after bandits killed 20 villagers", "the strike comes three days after a
    drone attack on the airport"): an earlier incident. Hours after may be the same
    day's; and "police arrested him two days after the shooting" tells the shooting
    as the incident, so only news that "came", "happened" or "followed" counts."""
    if tok.pos_ == "VERB":
        if not any(c.dep_ == "mark" and c.lower_ == "after" for c in tok.children):
            return False
        spans = [tok, *(c for c in tok.children if c.dep_ == "mark")]
        news = tok.head
    elif tok.dep_ == "pobj" and tok.head.lower_ == "after":
        spans = [tok.head]
        news = tok.head.head
    else:
        return False
    if news.lemma_.lower() not in ("come", "happen", "occur", "follow"):
        return False
    # the news must be an attack: "the arrest came a week after X was shot dead" is
    # still the shooting's report
    subject = _subject(news)
    if subject is None or subject.lemma_.lower() not in _NEWS_ATTACKS:
        return False
    return any(
        c.dep_ == "npadvmod" and c.lemma_.lower() in _PERIODS for t in spans for c in t.children
    )


def _families_merge(a: _Candidate, b: _Candidate) -> bool:
    """Whether two triggers can describe one incident (same family, a generic
    one, shots that hit no one in a kidnapping, burning in an attack, or a raid
    with the detentions, abductions or looting it involved)."""
    families = {a.trigger.family, b.trigger.family}
    if len(families) == 1:
        return True
    if _during(a, b) or _during(b, a):
        return True  # "shot during clashes": the shooting is part of the clashes
    if (_aimless(a) or _aimless(b)) and families == {"violence", "abduction"}:
        return True  # shots that hit no one in a kidnapping (never an arrest: police fire)
    if a.trigger.generic or b.trigger.generic:
        return _GENERIC_JOINS.issuperset(families)
    if "property" in families and families - {"property"} <= _GENERIC_JOINS:
        return True  # "several houses were burned" in the attack that killed 18
    keys = {a.trigger.key, b.trigger.key}
    return "raid" in keys and bool(keys & _RAID_JOINS)


def _aimless(c: _Candidate) -> bool:
    """Shots that hit no one ("the gunmen shot sporadically before taking the
    victims away"): part of the kidnapping they belong to (`_families_merge`)."""
    return c.trigger.key == "shooting" and not any(
        a.role in ("target", "victim") for a in c.event.actors
    )


def _both_specific(a: _Candidate, b: _Candidate) -> bool:
    """Whether both triggers name an attack in their own right (a weapon or a
    specific trigger of the same family), so two subjects mean two attacks."""
    specific_a = a.weapon or not a.trigger.generic
    specific_b = b.weapon or not b.trigger.generic
    return specific_a and specific_b and a.trigger.family == b.trigger.family


def _anaphoric(cand: _Candidate) -> bool:
    """A definite event noun with no date of its own ("the strike", "the
    abduction") refers back to an incident already told."""
    tok = cand.token
    if tok is None or tok.pos_ == "VERB":
        return False
    if cand.event.date is not None and cand.event.date.attachment == "sentence":
        return False
    return any(
        c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its", "their")
        for c in tok.children
    )


def _during(a: _Candidate, b: _Candidate) -> bool:
    """Whether trigger `b` is the object of "during"/"amid" attached to trigger `a`."""
    ta, tb = a.token, b.token
    if ta is None or tb is None or tb.dep_ != "pobj":
        return False
    prep = tb.head
    return prep.lower_ in ("during", "amid", "in") and prep.head.i == ta.i


def _same_clause(host: _Candidate, cand: _Candidate) -> bool:
    """Two triggers of one sentence that describe the same incident."""
    if not host.sentences & cand.sentences:
        return False
    if host.event.factuality != cand.event.factuality:
        return False
    if (
        host.subject is not None
        and cand.subject is not None
        and host.subject != cand.subject
        and _both_specific(host, cand)
    ):
        return False  # "a shell killed ..., as artillery fire hit ...": two subjects, two events
    a, b = host.token, cand.token
    if (
        a is not None
        and b is not None
        and a.pos_ != "VERB"
        and b.pos_ != "VERB"
        and not (a.is_ancestor(b) or b.is_ancestor(a) or b in a.conjuncts)
    ):
        return False  # "the abduction followed the kidnapping of a pharmacist": two incidents
    if a is not None and b is not None and (_doer_of_other(a, b) or _doer_of_other(b, a)):
        return False  # "shelling killed two in Kherson, while a drone attack ... killed two more"
    return _families_merge(host, cand)


def _doer_of_other(verb: Any, noun: Any) -> bool:
    """Whether trigger noun `noun` is the subject of another verb than trigger verb
    `verb`, which has a subject of its own: two deeds with two doers."""
    if verb.pos_ != "VERB" or noun.pos_ == "VERB" or noun.dep_ not in ("nsubj", "nsubjpass"):
        return False
    if noun.head.i == verb.i or noun.head.pos_ != "VERB" or verb.dep_ in ("relcl", "acl"):
        return False  # "... as a result of fire belts that targeted the hospital": one deed
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and c.i != noun.i and c.tag_ not in ("WDT", "WP")
        for c in verb.children
    )


# Verbs by which a weapon is put to use by its owner.
_LAUNCHING = frozenset({"launch", "fire", "operate", "drop", "deploy", "send", "fly", "plant"})


def _launched_by(weapon: Any) -> list[Any]:
    """The agents of a participle that says who used the weapon ("a drone
    launched by the Houthi group", "a bomb planted by militants")."""
    return [
        g
        for c in weapon.children
        if c.dep_ == "acl" and c.lemma_.lower() in _LAUNCHING
        for a in c.children
        if a.dep_ == "agent"
        for g in a.children
        if g.dep_ == "pobj"
    ]


def _fighters_only(ev: Event) -> None:
    """An attack whose only victims are soldiers or fighters ("militants
    ambushed an army convoy, killing 11 soldiers") is a battle between armed
    groups: ACLED keeps "Attack" for violence against civilians."""
    if ev.type != "Violence against civilians" or ev.subtype != "Attack" or ev.health_care:
        return
    victims = {a.name for a in ev.actors if a.role == "victim"}
    if victims == {"fighters"}:
        ev.type, ev.subtype = "Battles", "Armed clash"


def _shared_subject(tok: Any) -> int | None:
    """Doc index of a trigger's subject, or of the verb's it is coordinated with."""
    for t in (tok, tok.head if tok.dep_ == "conj" else None):
        subj = None if t is None else next((c.i for c in t.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return subj
    return None


def _elsewhere(host: _Candidate, place: Place | None) -> bool:
    """Whether a mention's town is another than every town the attack's folded
    mentions already placed it at (see `_Candidate.told_points`)."""
    if place is None or place.attachment == "dateline":
        return False
    # a province the mention lies in says nothing against it ("the Idlib
    # countryside", then "Kafr Nabl" and "Maarat al-Numan" in it)
    points = [
        p
        for p in host.points
        if not (p.precision == 4 and p.admin1 and p.admin1 == place.admin1 and p is not place)
        or place.precision == 4
    ]
    return bool(points) and all(distinct_sites(p, place) for p in points)


def _compatible(host: _Candidate, cand: _Candidate) -> bool:
    h, c = host.event, cand.event
    if h.factuality != c.factuality:
        return False
    if h.factuality == "historical":
        return False  # each past incident is its own, unless named twice in one sentence
    if (not host.trigger.alone or not cand.trigger.alone) and (
        host.trigger.family != cand.trigger.family
    ):
        return False  # "the patient was hit" joins no arrest told in another sentence
    if _one_of_several(cand) or _apart(cand):
        return False  # "the strike was one of several overnight", "another strike hit ..."
    if _distinct_sites(host, cand):
        return False  # "the strike on the school" and "a strike on a house"
    if _next_elsewhere(cand, h.place):
        return False  # "a second blast hit ... in the nearby town of X"
    if _anaphoric(cand) and _families_merge(host, cand):
        return True
    same_type = (h.type, h.subtype) == (c.type, c.subtype)
    flexible = _families_merge(host, cand) and (
        host.trigger.generic or cand.trigger.generic or host.trigger.key != cand.trigger.key
    )
    if not (same_type or flexible):
        return False
    if _elsewhere(host, c.place):
        return False  # a town another mention folded in already placed it at
    return _dates_agree(h.date, c.date) and _places_agree(h.place, c.place)


def _dates_agree(a: When | None, b: When | None) -> bool:
    """Same day range, or one of them unknown or only borrowed from the context
    (a date from the sentence before says little about this sentence's event)."""
    if a is None or b is None or {"context", "telling"} & {a.attachment, b.attachment}:
        return True
    if _LASTING.fullmatch(a.text or "") or _LASTING.fullmatch(b.text or ""):
        return True  # "a two-day attack": a span of days that holds the day told elsewhere
    if (a.start, a.end) == (b.start, b.end):
        return True
    # "overnight" (Saturday into Sunday) and "late on Saturday": ranges of a day or
    # two that overlap tell one night; two different days never agree
    days = [_iso_day(x) for x in (a.start, a.end or a.start, b.start, b.end or b.start)]
    if None in days:
        return False
    a0, a1, b0, b1 = days
    short = (a1 - a0).days <= 1 and (b1 - b0).days <= 1
    return short and a0 <= b1 and b0 <= a1


def _places_agree(a: Place | None, b: Place | None) -> bool:
    """Whether two place mentions can name one incident's place: unknown, the
    same name in any case ("JABALIA" in a dateline), a country that holds the
    other, or a facility named only generically ("the hospital")."""
    if a is None or b is None:
        return True
    if _norm(a.name) and _norm(a.name) == _norm(b.name):
        return True
    if a.geonames_id is not None and a.geonames_id == b.geonames_id:
        return True  # one town: "Odesa" and "the city's Kyivskyi district" in it
    for x, y in ((a, b), (b, a)):
        if x.name is None and x.facility and not _named_facility(x, y):
            return True  # "the Jabalia hospital" after "Al-Sabeel Hospital in Jabalia"
        coarse = (x.precision or 0) >= _COARSE_PRECISION or (
            x.name is not None and _norm(x.name) == _norm(x.country)
        )
        if (
            coarse
            and (y.country is None or _norm(y.country) == _norm(x.country))
            # "the Kharkiv region" holds no town of the Sumy region
            and not (
                x.precision == 4
                and y.precision in (1, 2, 4)  # a town's or a province's own admin-1
                and x.admin1
                and y.admin1
                and x.admin1 != y.admin1
            )
        ):
            return True  # a country or province and a place inside it
        if x.lat is None and x.country is None and REGION_WORDS.search(x.name or ""):
            return True  # "in Anglophone region": an area the gazetteer lacks holds it
    return False


def _norm(name: str | None) -> str:
    return " ".join((name or "").lower().replace("-", " ").split())


def _named_facility(x: Place, other: Place) -> bool:
    """Whether `x`'s facility carries a proper name that `other` does not share."""
    words = set(re.findall(r"[a-z]+", (x.facility or "").lower())) - _GENERIC_FACILITY_WORDS
    words -= set(re.findall(r"[a-z]+", _norm(other.name) + " " + _norm(other.facility)))
    return bool(words)


def _rank(cand: _Candidate) -> int:
    """Type priority when triggers merge: the lower, the more it says. Burning
    and looting never re-type the attack they were part of."""
    if cand.trigger.family == "property":
        return len(_TYPE_PRIORITY) + 2
    if cand.trigger.generic and not cand.weapon:
        return len(_TYPE_PRIORITY) + 1
    if cand.bare_strike:
        # "Russian strikes kill 9" is the missile strike the report tells
        return len(_TYPE_PRIORITY)
    return _TYPE_PRIORITY.get(cand.event.subtype or "", len(_TYPE_PRIORITY))


def _killing_in(kill: _Candidate, other: _Candidate) -> bool:
    # "stormed the village, killing 12": a killing folded in earlier counts too
    return "kill" in kill.told_keys() and other.trigger.family in ("abduction", "arrest")


def _outranks(cand: _Candidate, host: _Candidate) -> bool:
    """Whether the merged trigger re-types the event. People killed or wounded in
    an abduction or arrest make it an attack (ACLED codes an abduction or an
    arrest as such only without further violence), whichever is told first."""
    if _killing_in(host, cand):
        return False
    if _killing_in(cand, host):
        return True
    return _rank(cand) < _rank(host)


def _absorb(
    host: _Candidate,
    cand: _Candidate,
    seen: dict[int, set[Evidence]] | None = None,
    retype: bool = True,
) -> None:
    h, c = host.event, cand.event
    # the host's own trigger stays told when another re-types it: a killing folded
    # in before a shooting still makes a later abduction part of an attack
    host.families |= host.told_families()
    host.keys |= host.told_keys()
    if retype and _outranks(cand, host):
        h.type, h.subtype, h.plover = c.type, c.subtype, c.plover
        if h.health_care is not None:
            kept = h.health_care["attack_types"] if _killing_in(cand, host) else []
            h.health_care["attack_types"] = list(dict.fromkeys([*kept, *cand.trigger.who]))
        host.trigger = dataclasses.replace(cand.trigger, generic=False)
        host.weapon = host.weapon or cand.weapon
        host.bare_strike = cand.bare_strike
    host.families |= cand.told_families()
    host.keys |= cand.told_keys()
    host.merged = True
    host.sentences |= cand.sentences
    host.triggers += cand.triggers
    host.anchors += cand.anchors
    h.evidence += c.evidence
    for a in c.actors:
        _add_actor(h.actors, a, seen)
    if c.health_care:
        if h.health_care is None:
            h.health_care = {"attack_types": [], "resources": [], "indicators": []}
        for k in ("attack_types", "resources", "indicators"):
            h.health_care[k] = list(dict.fromkeys([*h.health_care[k], *c.health_care[k]]))
        if "vicinity affected" in h.health_care["indicators"] and any(
            i.startswith("facility ") for i in h.health_care["indicators"]
        ):
            h.health_care["indicators"].remove("vicinity affected")
    if h.date is None or (
        h.date.start is None and _LASTING.fullmatch(h.date.text or "") and c.date and c.date.start
    ):
        h.date = c.date  # "a two-day attack" then "the camps were attacked on Friday"
    host.points += cand.told_points()
    h.place = h.place or c.place
