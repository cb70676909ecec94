"""Document-level event assembly: choose each event's place and date from all
the sentences that describe it, and fold the mentions of one attack into one
event (ACLED's unit: one date, one location, one pair of actors).

The sentence-level pass in `rules.py` finds event mentions and merges the
obvious repeats. What it cannot see is the document: the lede names the town,
a later sentence the hospital; "the attack" three paragraphs down is the same
attack. This module works on the mentions' resolved places and dates only
(no parse beyond the trigger's clause), so it costs little.

Conventions (eventledger's own, written for this stage):
- Place: a mention in the trigger's own clause first, then the most specific
  one in the event's sentences (a town or facility over a province over a
  country); demonyms and continents never place an event; a wire dateline
  ("AMMAN:") places it only when nothing else does. An event placed only at
  a country or province, or at a facility without a town, takes the town the
  report is about (its *focus*: the precise place it names most, the lede
  counting double) when that town lies in the same country; its attachment
  is then `document`.
- Date: resolved dates only; not an open "since ..." range, not the
  dateline, never a date after publication; a date governed by a verb of
  speech ("a nurse said on Sunday") loses to the event's own ("late on
  Saturday").
- Folding: two asserted events of the attack families fold when their dates
  agree (equal, or either unknown) and their places agree (within 25 km, the
  same unresolved name, or one a country or province holding the other);
  two named facilities that differ, two distinct days or two distant towns
  stay apart.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from math import cos, radians, sqrt
from typing import Any

from eventledger.data import load_toml
from eventledger.models import Place, When
from eventledger.pipeline import Document, Mention
from eventledger.stages.annotate.dateline import MONTH
from eventledger.stages.places.gazetteer import consonant_skeleton, normalize

__all__ = [
    "VIOLENCE",
    "WATERS",
    "disaster_report",
    "ACCIDENT",
    "ATTACK_FAMILIES",
    "TAKEN_TO",
    "Focus",
    "dateline_end",
    "dates_agree",
    "document_focus",
    "links_elsewhere",
    "places_agree",
    "pick_date",
    "pick_place",
    "REGION_WORDS",
    "refine_to_focus",
    "sequenced_heads",
    "specificity",
    "speech_governed",
    "told_elsewhere",
]

# Families of triggers that can name parts of one attack (a strike, the
# killings in it, the burning of houses, the abduction of survivors).
ATTACK_FAMILIES = frozenset({"violence", "battle", "abduction", "arrest", "property", "occupation"})
SAME_PLACE_KM = 25.0
# Two differently named towns each placed at its own gazetteer point are two
# places beyond this distance ("a strike in Deir al-Balah", "a drone hit a car
# in Khan Younis", 12 km apart); nearer, they may be one town's two spellings or
# a neighbourhood and its city.
DISTINCT_TOWNS_KM = 5.0
_SPEECH = frozenset(
    {"say", "tell", "report", "announce", "confirm", "add", "state", "claim", "deny", "write",
     "tweet", "post", "note", "explain", "declare", "insist", "allege", "accuse", "publish",
     "see", "release", "issue", "quote", "cite", "show", "reveal", "disclose", "warn",
     "acknowledge", "admit", "recount", "describe", "testify", "condemn", "denounce"}
)  # fmt: skip
_NOT_PLACING = ("demonym", "continent only")
# "WASHINGTON:", "HALBA - ", "GENEVA/ADEN, YEMEN, MAY 2, 2024 —",
# "Kampala [Uganda], June 2 :", "HALBA, Oct 18 (Reuters) -", "EL FASHER, Sudan -",
# "Geneva, 3 February 2025 –".
_DATELINE = re.compile(
    r"[\s\W]{0,3}(?:[A-Z][A-Z0-9.,/'’\- ]{1,60}[A-Z0-9]|"
    # "Sept 12 -", "10 June 2024 -": a dateline that gives only the day
    r"(?:" + MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+" + MONTH + r"(?:\s+\d{4})?)"
    r"(?=\s*(?:\([^)\n]{1,40}\))?\s*(?:—|–|-{1,2})\s)|"
    # "KHAN YUNIS, Gaza Strip -": the town in capitals, its country or region not
    # ("GOMA, Democratic Republic of Congo, Nov 2 -": "of", "the", "and" join its words)
    r"[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3},\s*[A-Z][\w.'’\-]+"
    r"(?:\s(?:(?:of|the|and)\s){0,2}[A-Z][\w.'’\-]+){0,3}"
    # "MAIDUGURI, Nigeria, June 30 (Reuters) -": and the day it was filed
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?|"
    r"[A-Z][\w.'’\-]+(?:\s[A-Z][\w.'’\-]+){0,2}(?:\s*\[[^\]\n]{1,30}\])?"
    # "Kampala, June 2", "Geneva, 3 February 2025": month first or day first
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{4})?))?)"
    r"\s*(?:\([^)\n]{1,40}\))?\s*(?::|—|–|-{1,2})\s"
    # "Port Sudan, Sudan -", "Bogota, Colombia -": a place with its country, a dash
    r"|[\s\W]{0,3}[A-Z][\w.'’\-]+(?:\s[A-Z][\w.'’\-]+){0,2}(?:,\s*[A-Z][\w.'’\-]+"
    r"(?:\s[A-Z][\w.'’\-]+){0,2}){1,2}\s*(?:\([^)\n]{1,40}\))?\s*(?:—|–|-{1,2})\s(?=[A-Z])"
)
# Words that make an unresolved name an area ("Darfur region"), coarser than a town.
REGION_WORDS = re.compile(
    r"\b(?:region|state|province|governorate|oblast|district|territory|county)s?\b",
    re.IGNORECASE,
)
# Words of a first-order area or larger: such a name is not placed inside a province.
_AREA_WORDS = re.compile(r"\b(?:region|state|province|governorate|oblast)s?\b", re.IGNORECASE)
# Seas, gulfs and straits lie in no land area: "the Gulf of Aden", "the Red Sea".
WATERS = re.compile(r"\b(?:sea|gulf|ocean|strait|straits|bay|channel)\b", re.IGNORECASE)
# A dateline on a line of its own, "HALBA, October 18.", or with its agency,
# "HALBA, October 18. /AGENCY/. The army said ...".
_DATELINE_LINE = re.compile(
    r"[\s\W]{0,3}[A-Z][A-Z.'’\- ]{1,40}[A-Z],\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})"
    r"(?:,\s*\d{4})?\.?(?:[ \t]*/[A-Z][A-Za-z\-]{1,20}/\.?[ \t]+|[ \t]*(?:\n|$))"
)
_TOPONYM_WORDS = re.compile(
    r"\b(?:village|town|city|township|district|region|state|province|governorate|territory|"
    r"county|municipality|oblast|camp|neighbourhood|neighborhood|area|valley|island)s?\b",
    re.IGNORECASE,
)


# A line that points to another story ("READ: ...", "Related: ...", "ALSO
# READ - ..."): the page's links, not the report's own words.
_ELSEWHERE = re.compile(
    r"\s*(?:read(?: more| also)?|also read|related(?: stories| story| articles?)?|see also|"
    r"more on this|recommended|watch|listen)\s*[:|\-\u2013\u2014>»]",
    re.IGNORECASE,
)


def links_elsewhere(text: str, start: int) -> bool:
    """Whether the line that holds char `start` points to another story."""
    line = text.rfind("\n", 0, start) + 1
    return _ELSEWHERE.match(text, line) is not None


def _headline_label(line: str, matched: str) -> bool:
    """ "Ukraine: Russian missile strike on Dnipro clinic kills two" is a headline
    with its topic, not a dateline: a title-case word (or a country's letters,
    "DRC: M23 rebels seize town"), then a short line with no sentence end (a
    paragraph after the colon is a dateline's: "GENEVA: The agency said ...")."""
    word = matched.strip(" \t:—–-")
    return (
        ":" in matched
        and re.fullmatch(r"[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*){0,2}", word) is not None
        and len(line) < 120
        and not line.rstrip().endswith((".", '"', "”"))
    )


def dateline_end(text: str) -> int:
    """Char offset where a wire dateline ("WASHINGTON:", "HALBA - ") at the start of the
    body ends, or 0 when the text opens with none. Only the first 4 lines that hold
    anything are looked at (a headline, a byline and a standfirst may come first)."""
    pos, seen = 0, 0
    while seen < 4 and pos < len(text):
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        if not text[pos:line_end].strip():
            pos = line_end + 1
            continue
        seen += 1
        m = _DATELINE.match(text, pos, line_end) or _DATELINE_LINE.match(text, pos, line_end + 1)
        if m and not _headline_label(text[pos:line_end], m.group(0)):
            return m.end()
        if line_end - pos > 120:
            return 0  # a paragraph of prose: no dateline above the body
        pos = line_end + 1
    return 0


def _km(a: Place, b: Place) -> float:
    x = radians(b.lon - a.lon) * cos(radians((a.lat + b.lat) / 2))  # type: ignore[operator]
    y = radians(b.lat - a.lat)  # type: ignore[operator]
    return 6371.0 * sqrt(x * x + y * y)


def _precise(p: Place) -> bool:
    return p.lat is not None and p.precision is not None and p.precision <= 3


def _coarse(p: Place) -> bool:
    """A district, province, region or country (or a place only resolved that far)."""
    return p.precision is not None and p.precision >= 3


def _norm(name: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (name or "").lower()).split())


def _bare(name: str | None) -> str:
    """A name without its place-type words ("Deir Hafa village" -> "deir hafa")."""
    return " ".join(_TOPONYM_WORDS.sub(" ", _norm(name)).split())


@functools.lru_cache(maxsize=1)
def _org_aliases() -> tuple[tuple[str, str], ...]:
    """(alias, name) of the actor dictionary's organisations, longest alias first:
    "the MSF hospital" and "the Doctors Without Borders hospital" are one."""
    pairs = []
    for actor in load_toml("actors.toml").get("actor", []):
        name = _norm(actor["name"])
        for alias in [actor["name"], *actor.get("aliases", ())]:
            if len(alias) >= 3:
                pairs.append((_norm(alias), name))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _facility_key(name: str | None) -> str:
    """A facility name for comparing: place words dropped, organisation names
    read through the actor dictionary."""
    key = _norm(name)
    for alias, canonical in _org_aliases():
        if alias and re.search(rf"\b{re.escape(alias)}\b", key):
            key = re.sub(rf"\b{re.escape(alias)}\b", canonical, key)
            break
    return " ".join(_TOPONYM_WORDS.sub(" ", key).split())


# Words of a facility's kind: what is left of its name without them names it.
_FACILITY_KIND = re.compile(
    r"\b(?:regional|district|general|referral|teaching|provincial|county|state|central|"
    r"municipal|rural|main|field|hospital|clinic|health|medical|centre|center|post|"
    r"complex|point|ambulance|station)\b"
)


def _spelt_alike(a: str, b: str) -> bool:
    """Facility keys that differ only as transliterations do ("al ahli al arabi",
    "ahli arab"; "kamal adwan", "kamel edwan"): the same consonants, in order."""
    sa, sb = consonant_skeleton(normalize(a)), consonant_skeleton(normalize(b))
    return len(sa) >= 3 and sa == sb


def _town_named(p: Place) -> str:
    """The facility key of a place, or "" for one named only by its town
    ("Beni health centre", "Dnipro clinic": a health centre in Beni, which
    may be the Mamove health centre told elsewhere)."""
    key = _facility_key(p.facility)
    rest = " ".join(_FACILITY_KIND.sub(" ", key).split())
    town = _bare(p.name)
    if key and (not rest or (town and rest == town)):
        return ""
    return key


def placing(p: Place) -> bool:
    """Whether a place mention may place an event at all."""
    if p.reason and p.reason.startswith(_NOT_PLACING):
        return False
    return bool(p.name or p.facility)


def specificity(p: Place) -> float:
    """How much a mention says about where: a point over a named facility over an
    unresolved toponym over a province over a country."""
    if _precise(p):
        return 3.0
    if p.facility:
        return 2.5
    if p.precision is None and p.name:
        # Not in the gazetteer: trusted with a place word ("Deir Hafa village") or
        # when the gazetteer knows the name, only abroad (a local village).
        known = bool(p.reason and p.reason.startswith("only candidate is a small place"))
        return 2.0 if known or _TOPONYM_WORDS.search(p.name) else 1.2
    if p.geonames_id is None and p.reason and "is not in the gazetteer: located at" in p.reason:
        return 2.0  # a town the gazetteer lacks, placed in the area named with it
    if p.precision is not None and p.precision <= 5:
        return 1.0
    return 0.5


@dataclass(slots=True)
class Focus:
    """The precise places a report is about, most named first."""

    places: list[Place]
    # The dateline's town: where the reporter filed from, used only for a
    # facility the report names with no town when it names no town at all.
    dateline: list[Place] = field(default_factory=list)

    def within(self, p: Place) -> Place | None:
        """The report's focus place inside coarse place `p` (same country, same
        admin-1 when `p` is one), or None."""
        for f in self.places:
            if p.country and f.country and f.country != p.country:
                continue
            if p.precision == 4 and p.admin1 and f.admin1 and _norm(f.admin1) != _norm(p.admin1):
                continue
            if not p.country and f.country is None:
                continue
            return f
        return None


# Where the wounded were taken, not where they were hurt: "evacuated to".
TAKEN_TO = (
    r"\b(?:evacuated|taken|transferred|transported|rushed|brought|airlifted|referred|moved)"
    r"\s+to\s+"
)
_DESTINATION = re.compile(TAKEN_TO + r"(?:[\w\-']+\s+){0,4}?(?:in|at)?\s*$", re.IGNORECASE)
# "students travelling by road to a conference in the city of Enugu", "a bus
# bound for Kano": where the victims were going, not where they were attacked
_JOURNEY_TO = re.compile(
    r"\b(?:travell?(?:ing|ed)|heading|headed|bound|en\s+route|on\s+(?:their|its|his|her)\s+way)"
    r"\s+(?:[\w\-']+\s+){0,2}?(?:to|for)\s+(?:[\w\-']+\s+){0,6}?(?:in|of|at)?\s*$",
    re.IGNORECASE,
)
# "residents fled towards the town of Sake", "took refuge in Goma": where the
# people went, not where the attack was
_FLED_TO = re.compile(
    r"\b(?:(?:fled|flee|fleeing|escaped)\s+(?:[\w\-']+\s+){0,3}?(?:to|towards?|into)"
    r"|(?:sought|took|taking|seeking)\s+refuge\s+(?:in|at))"
    r"\s+(?:[\w\-']+\s+){0,5}?(?:in|of|at)?\s*$",
    re.IGNORECASE,
)
# "Kaya, 40 kilometres away": a place told by its distance from the scene.
_DISTANCE_AFTER = re.compile(
    r"[\s,(]+(?:some |about |around )?\d+\s*(?:km|kilomet(?:re|er)s?|miles?)\s+(?:away|from)\b",
    re.IGNORECASE,
)


# "according to medics at X Hospital", "a doctor at X Hospital told ...": the
# speaker's workplace, where the casualties were counted, not what was hit
_STAFF = r"(?:medics?|doctors?|nurses?|paramedics?|surgeons?|staff|officials?|sources?|director)"
_SPEAKER_AT = re.compile(
    r"\b(?:according\s+to|said|says|told|quoted)\s+(?:[\w\-']+\s+){0,3}?"
    + _STAFF
    + r"\s+(?:at|from|in)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_STAFF_AT = re.compile(r"\b" + _STAFF + r"\s+(?:at|from)\s+(?:the\s+)?$", re.IGNORECASE)
_SAID_AFTER = re.compile(r"[^.;]{0,30}?\b(?:said|says|told)\b", re.IGNORECASE)
# "X Hospital, where the casualties were taken": where the wounded went
_CARED_AFTER = re.compile(
    r",?\s+where\s+(?:[\w\-']+\s+){1,4}?(?:were|was|are|is|had\s+been|have\s+been)\s+"
    r"(?:being\s+)?(?:taken|treated|brought|admitted|rushed|evacuated|transferred|counted)\b",
    re.IGNORECASE,
)


# "reinforcements sent from the town of Banibangou", "fighters who came from Mali":
# where someone came from, not where the attack was
_ORIGIN = re.compile(
    r"\b(?:sent|dispatched|deployed|came|come|coming|arrived|arriving|travell?(?:ed|ing)|"
    r"crossed|crossing|infiltrated|"
    r"fled|fleeing|returning|returned|hail(?:s|ed|ing)?|originally|native)\s+from\s+"
    r"(?:the\s+)?(?:(?:nearby|neighbouring|neighboring)\s+)?(?:(?:town|city|village|base|camp)\s+of\s+)?$",
    re.IGNORECASE,
)


# "treated 15 wounded people at a hospital it supports in Saada city": where the
# wounded were cared for
_TREATED_IN = re.compile(
    r"\b(?:treated|treating|admitted|hospitali[sz]ed|cared\s+for|receiving\s+treatment)\b"
    r"[^.;]{0,60}\b(?:hospitals?|clinics?|health\s+(?:centres?|centers?|facilit\w+))\b"
    r"[^.;]{0,30}\b(?:in|at)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def told_elsewhere(text: str, start: int, end: int) -> bool:
    """Whether the place mention at [start, end) is where the wounded were taken
    ("evacuated to hospitals in Kaya", "Al-Awda Hospital, where the wounded were
    treated"), a speaker's workplace ("according to medics at Al-Awda Hospital",
    "a doctor at Nasser Hospital said") or told by its distance from the scene
    ("Kaya, 40 kilometres away"): not the place of the attack."""
    before = text[max(0, start - 80) : start]
    after = text[end : end + 80]
    return bool(
        _DESTINATION.search(before)
        or _JOURNEY_TO.search(before)
        or _FLED_TO.search(before)
        or _DISTANCE_AFTER.match(after)
        or _CARED_AFTER.match(after)
        or _SPEAKER_AT.search(before)
        or _ORIGIN.search(before)
        or _TREATED_IN.search(before)
        or (_STAFF_AT.search(before) and _SAID_AFTER.match(after))
    )


def document_focus(doc: Document) -> Focus:
    """Precise places of the document ranked by mentions (lede paragraphs count double;
    the dateline only when it is the only one)."""
    counts: Counter[tuple[Any, ...]] = Counter()
    first: dict[tuple[Any, ...], tuple[int, Place]] = {}
    dl = dateline_end(doc.text)
    filed: list[Place] = []
    named: set[str] = set()  # countries the report's own places (not its dateline) lie in
    for m in doc.places:
        p = m.value
        if isinstance(p, Place) and _precise(p) and m.start < dl and not p.facility:
            filed.append(p)
        if isinstance(p, Place) and p.country and m.start >= dl:
            named.add(p.country)
        if not isinstance(p, Place) or not _precise(p) or m.start < dl:
            continue
        if told_elsewhere(doc.text, m.start, m.end):
            continue  # where the wounded were taken is not what the report is about
        key = (p.geonames_id, round(p.lat or 0, 1), round(p.lon or 0, 1))
        para = doc.sentences[m.sentence].paragraph if 0 <= m.sentence < len(doc.sentences) else 9
        counts[key] += 2 if para <= 1 else 1
        first.setdefault(key, (m.start, p))
    ranked = sorted(counts, key=lambda k: (-counts[k], first[k][0]))
    places = [_town_of(first[k][1]) for k in ranked]
    # a dateline's town in capitals ("DEIR AL-BALAH") takes its name in title case
    # (only from the country the report is about: "GENEVA (Reuters) - shelling
    # hit the Saudi Teaching Hospital" is no hospital in Geneva)
    dateline = [
        replace(t, name=t.name.title()) if t.name and t.name.isupper() else t
        for t in (_town_of(p) for p in filed[-1:] if p.country in named)
    ]
    return Focus(places, dateline)


def _town_of(p: Place) -> Place:
    """The town part of a precise mention (its facility dropped)."""
    return replace(p, facility=None, evidence=list(p.evidence), attachment=None)


def pick_place(mentions: list[tuple[Mention, bool, bool, int]], dateline: int) -> Place | None:
    """The event's place from (mention, in the trigger's clause, in its first sentence,
    distance to the trigger) tuples (`refine_to_focus` then places a coarse one)."""
    usable = [t for t in mentions if isinstance(t[0].value, Place) and placing(t[0].value)]
    body = [t for t in usable if t[0].start >= dateline]
    usable = body or usable
    if not usable:
        return None
    areas_placed = any(
        t[0].value.precision in (3, 4) and t[0].value.lat is not None for t in usable
    )

    def score(t: tuple[Mention, bool, bool, int]) -> tuple[float, int]:
        m, in_clause, first, dist = t
        p: Place = m.value  # type: ignore[assignment]
        # "raided the Ibn Sina hospital in the city of Jenin": the facility at
        # its town says more than the town alone
        named = 0.2 if p.facility and _precise(p) else 0.0
        spec = specificity(p)
        if (
            areas_placed
            and p.lat is None
            and p.precision is None
            and not p.facility
            and _AREA_WORDS.search(p.name or "")
        ):
            # "Iraq's semi-autonomous Kurdish region", unresolved: a first-order
            # area or wider says less than a province the gazetteer places
            spec = 0.45
        return (spec + 1.5 * in_clause + 0.5 * first + named, -dist)

    best = max(usable, key=score)
    if best[0].value.precision == 6:
        # "in Iraq's Kurdish region ... the field in Sulaymaniyah province": a
        # country alone says less than the area or town in it the event also names
        inside = [
            t
            for t in usable
            if t[0].value.lat is not None and t[0].value.country == best[0].value.country
        ]
        best = max(inside, key=score, default=best)
    place: Place = best[0].value  # type: ignore[assignment]
    if (
        place.lat is None
        and place.country is None
        # a name the gazetteer lacks, or a facility told with no town ("the
        # Bikolo health centre in the West Gojjam zone")
        and bool(place.name) != bool(place.facility)
        # "the Darfur region" holds provinces: it is never placed inside one,
        # and "the Gulf of Aden" inside none
        and not _AREA_WORDS.search(place.name or "")
        and not WATERS.search(place.name or "")
    ):
        # "the attack happened in the Mohmand district" (not in the gazetteer) in a
        # report that names one province: placed in that area, as UCDP and ACLED
        # place what they cannot find at the area they know (precision 4)
        areas = {
            (t[0].value.country, t[0].value.admin1): t[0].value
            for t in usable
            if t[0].value.precision == 4 and t[0].value.lat is not None
        }
        if len(areas) == 1:
            (area,) = areas.values()
            place = replace(
                area,
                name=place.name or area.name,
                facility=place.facility,
                geonames_id=None,
                evidence=list(place.evidence) + list(area.evidence),
                reason=f"{place.name or place.facility} is not in the gazetteer: located "
                f"at {area.name}, the area the report names with it",
            )
    attachment = "sentence" if best[2] or best[1] else "context"
    if best[0].start < dateline:
        attachment = "dateline"  # only where the reporter filed from
    if place.facility is None and _precise(place):
        # "a strike on the Al-Amal Hospital ... in Halba": the town places
        # it, the facility in the trigger's clause says what was hit there.
        hit = next(
            (
                t[0].value
                for t in sorted(usable, key=lambda t: t[3])
                if t[1] and t[0].value.facility and t[0].value.lat is None
            ),
            None,
        )
        if hit is not None and hit.country in (None, place.country):
            place = replace(
                place,
                facility=hit.facility,
                precision=max(place.precision or 2, 2),
                geo_precision=2,
                evidence=list(place.evidence) + list(hit.evidence),
                reason=f"{hit.facility} is not in the gazetteer: located at {place.name}",
            )
    return replace(place, attachment=attachment)


_AT_FOCUS = "the town the report is about"


def refine_to_focus(place: Place, focus: Focus) -> Place:
    """A coarse place, or a facility without its town, at the report's focus
    town inside it (attachment `document`); any other place unchanged."""
    if _precise(place):
        return place
    if place.lat is None and place.precision is None and place.country is None and place.name:
        # "stormed the restaurant at Lido beach" (a name the gazetteer lacks, in
        # no country its sentences name) in a report about one town of one
        # country: near that town, its name kept (as an area places what it holds)
        countries = {f.country for f in focus.places}
        if (
            len(countries) == 1
            and None not in countries
            and not place.facility
            # "the Darfur region" holds towns: it is never placed at one
            and not _AREA_WORDS.search(place.name)
        ):
            town = focus.places[0]
            return replace(
                town,
                name=place.name,
                geonames_id=None,
                precision=2,
                geo_precision=2,
                reason=f"{place.name} is not in the gazetteer: placed near {town.name}, "
                + _AT_FOCUS,
                attachment="document",
                evidence=list(place.evidence) + list(town.evidence),
            )
    if place.lat is None and place.name and not place.facility and _AREA_WORDS.search(place.name):
        # "the Eastern region" the gazetteer does not know: which towns lie in it is
        # unknown, so no town of the report is taken for it
        return place
    town = focus.within(place) if (place.country or place.precision) else None
    if town is None and place.facility and place.precision == 4 and place.admin1:
        # "Al-Aqsa Martyrs Hospital in central Gaza", filed from a town in it
        town = Focus([t for t in focus.dateline if t.admin1]).within(place)
    if town is None and place.facility and place.country is None and place.name is None:
        # "DEIR AL-BALAH (AP) - ... the courtyard of Al-Aqsa Martyrs Hospital in
        # central Gaza": with no town told, the one it was filed from
        town = (focus.places or focus.dateline or [None])[0]
    if town is not None:
        why = (
            f"the report names {place.facility or place.name} without a town it "
            f"locates; placed at {town.name}, the town the report is about"
        )
        return replace(
            town,
            facility=place.facility,
            precision=2 if place.facility else town.precision,
            geo_precision=2 if place.facility else town.geo_precision,
            reason=why,
            attachment="document",
            evidence=list(place.evidence) + list(town.evidence),
        )
    return place


def speech_governed(tok: Any) -> bool:
    """Whether a date token hangs from a verb of speech ("said on Sunday"), or
    follows one right after, whatever the parse hung it from ("The group said on
    Monday its forces had killed ...", parsed as killed on Monday)."""
    if tok.dep_ in ("poss", "compound", "nmod") and tok.head.pos_ == "NOUN":
        return False  # "condemns yesterday's attack": the day of the noun it modifies
    # back over the preposition ("on") to the word before the phrase
    first = tok.nbor(-1) if tok.i > 0 and tok.nbor(-1).dep_ == "prep" else tok
    before = first.nbor(-1) if first.i > 0 else None
    if (
        before is not None
        and before.pos_ in ("VERB", "AUX")
        and before.lemma_.lower() in _SPEECH
        and before.tag_ in ("VBD", "VBZ", "VBP", "VBN")
    ):
        return True
    cur = tok
    for _ in range(4):
        if cur.head is cur:
            return False
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            if _updates_a_toll(cur):
                return True  # "the death toll ... rose to 12 on Thursday": the count's day
            if cur.lemma_.lower() in _CLOSING_VERBS:
                return True  # "forces ended a siege ... on Monday": the day it ended
            return cur.lemma_.lower() in _SPEECH and not _trailing_attribution(cur, tok)
    return False


_CLOSING_VERBS = frozenset({"end", "conclude", "lift", "break"})
_TOLL_VERBS = frozenset({"rise", "climb", "reach", "increase", "jump", "mount", "grow", "hit"})
_TOLL_NOUNS = frozenset({"toll", "number", "count", "tally"})


def _updates_a_toll(verb: Any) -> bool:
    """ "The death toll from the strike rose to 12": a verb that updates a count."""
    return verb.lemma_.lower() in _TOLL_VERBS and any(
        c.dep_ == "nsubj" and c.lemma_.lower() in _TOLL_NOUNS for c in verb.children
    )


def _trailing_attribution(speech: Any, tok: Any) -> bool:
    """ "... burned houses in the village on Friday, local sources told Lusa":
    the parse hangs the date from the verb of speech after it, but a date
    that stands between the report's content and its trailing attribution is
    the content's ("On Monday, police said gunmen had ..." is the telling's:
    there the content comes after the date)."""
    return speech.i > tok.i and any(
        c.dep_ in ("ccomp", "parataxis") and c.left_edge.i < tok.i for c in speech.children
    )


def usable_date(w: When, published: str | None) -> bool:
    if w.start is None or w.rule == "dateline" or w.rule.startswith("since"):
        return False
    if w.text.lower().startswith("since"):
        return False
    return not (published and len(published) >= 10 and w.start > published[:10])


_PRECISION_WEIGHT = {"day": 1.0, "week": 0.5, "month": 0.3, "year": 0.1}


# Conjunctions of an adverbial clause that tells an earlier or later deed:
# "MSF evacuated its staff on Thursday after an air strike hit the hospital".
_SEQUENCE_MARKS = frozenset({"after", "following", "before", "since", "until"})


def sequenced_heads(anchors: list[Any]) -> set[int]:
    """Verbs whose clause holds the event only in a subordinate "after ..."
    clause: a date that hangs from one of them dates that other deed."""
    heads: set[int] = set()
    for tok in anchors:
        cur = tok
        for _ in range(6):
            if cur.head is cur:
                break
            if cur.dep_ == "advcl" and any(
                c.dep_ in ("mark", "prep") and c.lower_ in _SEQUENCE_MARKS for c in cur.children
            ):
                heads.add(cur.head.i)
                break
            cur = cur.head
    # "were shot on Tuesday after gangs opened fire": the main clause tells
    # the event too, so its date is the event's
    own = {t.i for t in anchors} | {c.i for t in anchors for c in t.conjuncts}
    return heads - own


def _governor(tok: Any) -> Any:
    cur = tok
    for _ in range(4):
        if cur.head is cur:
            return None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return None


def pick_date(
    mentions: list[tuple[Mention, bool, bool, int, Any]],
    published: str | None,
    told: bool = False,
    elsewhere: set[int] | None = None,
) -> When | None:
    """The event's date from (mention, in clause, in first sentence, distance, token).

    `elsewhere` holds the verbs (token indices, from `sequenced_heads`) whose
    dates are another deed's: like a day of the telling, they are taken only
    when nothing else dates the event, and then as "telling"."""
    usable = [
        t for t in mentions if isinstance(t[0].value, When) and usable_date(t[0].value, published)
    ]
    if not usable:
        return None

    def aside(tok: Any) -> bool:
        if tok is None:
            return False
        if speech_governed(tok):
            return True
        gov = _governor(tok) if elsewhere else None
        return gov is not None and gov.i in elsewhere  # type: ignore[operator]

    def score(t: tuple[Mention, bool, bool, int, Any]) -> tuple[float, int]:
        m, in_clause, first, dist, tok = t
        w: When = m.value  # type: ignore[assignment]
        s = _PRECISION_WEIGHT.get(w.precision or "", 0.0) + 1.5 * in_clause + 0.5 * first
        if aside(tok):
            s -= 1.2
        return (s, -dist)

    # A date that hangs from a verb of speech or of report dates the telling
    # ("a nurse said on Sunday", "a document seen on Thursday"): it is taken
    # (`told=True`) only when neither the event's sentences nor its context
    # give a date of their own; in the news the two are often the same day.
    if not told:
        usable = [t for t in usable if not aside(t[4])]
        if not usable:
            return None
    best = max(usable, key=score)
    if told and aside(best[4]):
        # the day the report was told: weaker than any date of the event itself
        return replace(best[0].value, attachment="telling")  # type: ignore[type-var]
    return replace(best[0].value, attachment="sentence" if best[2] or best[1] else "context")  # type: ignore[type-var]


def dates_agree(a: When | None, b: When | None) -> bool:
    """Same range, one inside the other's coarser range, or either unknown."""
    if a is None or b is None or a.start is None or b.start is None:
        return True
    if "telling" in (a.attachment, b.attachment):
        return True  # a day of the telling says little about the day of the event
    if (a.start, a.end) == (b.start, b.end):
        return True
    for x, y in ((a, b), (b, a)):
        if x.precision in ("month", "year", "week") and y.precision == "day":
            if x.start <= y.start and (x.end is None or y.start <= x.end):  # type: ignore[operator]
                return True
    return False


def _borrowed(p: Place) -> bool:
    """A place the gazetteer lacks, given the point of a town the report puts it
    near (places.gazetteer's near anchors): its point is the town's, not its own.
    Not one placed near the report's focus town for want of anything better
    (`refine_to_focus`): nothing says it lies apart from that town."""
    return (
        p.precision == 2
        and p.geonames_id is None
        and p.lat is not None
        and not p.facility
        and _AT_FOCUS not in (p.reason or "")
    )


def distinct_towns(a: Place, b: Place) -> bool:
    """Two towns, each at its own point and named otherwise, more than
    `DISTINCT_TOWNS_KM` apart: never one attack's place, however near."""
    na, nb = _bare(a.name), _bare(b.name)
    return bool(
        na
        and nb
        and not (na == nb or na in nb or nb in na)
        and a.precision == b.precision == 1
        and _precise(a)
        and _precise(b)
        and a.geonames_id != b.geonames_id
        and _km(a, b) > DISTINCT_TOWNS_KM
    )


def distinct_sites(a: Place, b: Place) -> bool:
    """Two towns (`distinct_towns`), or two places in different first-order
    divisions, each placed that far at least ("in the Kherson region ...", "a
    drone strike on Sumy"): never one attack's place."""
    if distinct_towns(a, b):
        return True
    if a.lat is None or b.lat is None or (a.precision or 9) > 4 or (b.precision or 9) > 4:
        return False
    return bool(
        a.admin1 and b.admin1 and (a.country, _norm(a.admin1)) != (b.country, _norm(b.admin1))
    )


def places_agree(a: Place | None, b: Place | None) -> bool:
    """Whether two event places can be one attack's place."""
    if a is None or b is None or "dateline" in (a.attachment, b.attachment):
        return True  # a dateline says where the reporter was, not where it happened
    fa, fb = _town_named(a), _town_named(b)
    if fa and fb and fa != fb and not (fa in fb or fb in fa) and not _spelt_alike(fa, fb):
        return False  # two named facilities
    na, nb = _bare(a.name), _bare(b.name)
    named_alike = bool(na and nb and (na == nb or na in nb or nb in na))
    if (_borrowed(a) or _borrowed(b)) and na and nb and not named_alike:
        return False  # a camp placed at the town it is near is not that town
    if _precise(a) and _precise(b):
        if distinct_towns(a, b):
            return False  # two towns, each at its own point: two attacks, however near
        return _km(a, b) <= SAME_PLACE_KM
    if named_alike:
        return True
    for x, y in ((a, b), (b, a)):
        if x.name is None and x.country is None:
            return True  # a facility with no town: nothing says it is elsewhere
        unresolved = x.precision is None and x.lat is None
        vague = unresolved and (
            not _TOPONYM_WORDS.search(x.name or "") or bool(REGION_WORDS.search(x.name or ""))
        )
        if _coarse(x) or vague:
            if x.country is None or y.country is None or x.country == y.country:
                if (
                    x.precision == 4
                    and y.admin1
                    and x.admin1
                    and _norm(x.admin1) != _norm(y.admin1)
                ):
                    continue
                return True
    return False


# A report about a natural disaster: its headline or lede has one of these, and no
# word of violence, so its "strikes", "injured" and "killed" are the disaster's.
_DISASTERS = re.compile(
    r"\b(?:earthquakes?|quakes?|tremors?|aftershocks?|floods?|flooding|cyclones?|hurricanes?|"
    r"typhoons?|tsunamis?|landslides?|mudslides?|storms?|wildfires?|avalanches?|eruptions?|"
    r"volcan\w*|magnitude)\b",
    re.IGNORECASE,
)
VIOLENCE = re.compile(
    r"\b(?:attack\w*|gunm[ae]n|militants?|insurgents?|rebels?|jihadists?|bomb\w*|shell\w*|"
    r"air ?strikes?|drones?|missiles?|rockets?|raid\w*|troops|soldiers|forces|army|police|"
    r"fighters?|gangs?|shot|shoot\w*|gunfire|abduct\w*|kidnap\w*|explosives?|grenades?|"
    r"mortars?|artillery|massacre\w*|ambush\w*|clash\w*|armed)\b",
    re.IGNORECASE,
)


# What tells an accident: a fire that broke out, a cylinder or a tank that
# exploded, an electrical fault.
ACCIDENT = re.compile(
    r"\b(?:fire|blaze)\s+(?:that\s+|which\s+)?(?:had\s+)?(?:broke|breaks|broken)\s+out\b"
    # not "a tear gas canister", which police fire
    r"|\bcaught\s+fire\b|\b(?<!tear )(?:oxygen|gas|cooking[- ]gas|fuel)\s+(?:cylinder|tank)s?\b"
    r"|\bshort[- ]circuit|\belectrical\s+(?:fault|fire)|\bgas\s+leak",
    re.IGNORECASE,
)


def disaster_report(text: str) -> bool:
    """Whether a report is about a natural disaster or an accident: its opening
    (headline and lede, the first 600 characters) names one and no act of
    violence ("a fire that broke out at a hospital's intensive care unit")."""
    opening = text[:600]
    # soldiers and police dig survivors out of rubble too: only acts count here
    acts = [m.group(0).lower() for m in VIOLENCE.finditer(opening)]
    told = _DISASTERS.search(opening) or ACCIDENT.search(opening)
    return bool(told) and not [a for a in acts if a not in _RESCUERS]


_RESCUERS = frozenset({"troops", "soldiers", "forces", "army", "police"})
