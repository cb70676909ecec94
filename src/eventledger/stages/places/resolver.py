"""Toponyms and health facilities found in the text, geocoded against the gazetteer.

Detection: spaCy GPE/LOC/FAC entities, facility patterns ("the Al-Awda
Hospital in Jabalia", "the main hospital in the north of the city") and, for
names spaCy misses ("in/near <Name>", a proper noun after a verb or "and", a
PERSON-tagged name conjoined to a place), only those the gazetteer places in a
country the document is about. Resolution uses an explicit parent ("Rafah,
Gaza"), then nearness to the document's other places (a same-named candidate
within 100 km of them wins: spatial minimality), then the document's country
and admin-1 focus (AP state abbreviations such as "Tenn." count), and a
population prior only when one candidate dominates; otherwise the place stays
unresolved and says which candidates competed. A small village that is the
only candidate, in a country the story is not about, is left unresolved.
Demonyms ("Turkish") and continents name the area, never a point for it. "Gaza" alone is the Strip, "Gaza City" the city.
A country is never given coordinates; an admin-1 division only GeoNames' own
point for it, when a dump supplied one.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from math import asin, atan2, cos, degrees, radians, sin, sqrt
from typing import TYPE_CHECKING, Any

from eventledger.models import Place
from eventledger.pipeline import Document, Mention, register
from eventledger.stages.annotate.dateline import DATELINE
from eventledger.stages.places.gazetteer import (
    Admin1,
    Candidate,
    Gazetteer,
    continent_of,
    normalize,
    us_state_code,
)

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["OFFSET_FROM_TOWN", "PlaceResolver", "geo_precision", "where_prec"]

# The reason of a point told by its distance and direction from a town.
OFFSET_FROM_TOWN = "the town's point moved by the distance and direction told"

COUNTRY_ONLY = "country only: no centroid is used"
ADMIN1_ONLY = "first-order admin division only: no centroid is used"
GAZA_STRIP = "'Gaza' without 'City' is read as the Gaza Strip (first-order admin division)"
NOT_IN_GAZETTEER = "not in gazetteer"
CONTINENT_ONLY = "continent only: no centroid is used"
DEMONYM = "demonym: the country it names, no centroid is used"
# A candidate this close to another place the document names is the one meant
# ("Paris" beside "Henry County" towns is Paris, Tennessee): spatial minimality.
NEAR_OTHERS_KM = 100.0
SMALL_OUTSIDE_FOCUS = 20_000
# A town abroad smaller than this, in no country the story is about, is a
# namesake (a surname that is also the name of a village far away).
NAMESAKE_ABROAD = 100_000

# "Syria's Idlib", "Yemen’s Hajjah": the owner and the place it holds.
_POSSESSIVE = re.compile(r"(.+?)['’]s\s+(.+)$")
# Arabic articles a transliterated name may open with: "al-", "el-", "ash-".
_ARTICLE = r"(?:[Aa]l|[Ee]l|[Aa]d|[Aa]sh|[Aa]n|[Aa]r|[Aa]s)"
_WORD = r"(?:" + _ARTICLE + r"-)?[A-Z][\w'’]*"
_NAME = _WORD + r"(?:(?:\s+(?:al|el|ad|ash|an|ar|as)\s+|\s+|-)" + _WORD + r"){0,4}"
# Words that open a sentence before a comma: "However, the police said ...".
_CONNECTIVES = frozenset(
    {"however", "meanwhile", "separately", "earlier", "later", "moreover", "nevertheless",
     "still", "instead", "overall", "elsewhere", "today", "yesterday", "also", "then",
     "afterwards", "nonetheless", "furthermore", "besides", "indeed", "locally"}
)  # fmt: skip
# Last words of the name of a force or an organisation, never of a place.
_BODIES = frozenset(
    {"forces", "force", "army", "front", "movement", "party", "group", "council", "brigade",
     "brigades", "militia", "militias", "network", "ministry", "agency", "union", "command",
     "police", "guard", "guards", "corps", "committee", "authority", "government"}
)  # fmt: skip
# "the city's", "the town's" right before a name: a part of the town told before.
_THE_TOWNS = re.compile(r"\bthe\s+(?:city|town|capital|village)['’]s\s+(?:[a-z\-]+\s+)?$")
# A nationality right before a kind of place, a word apart at most ("the
# southern Lebanese town of", "the Lebanese border town of").
_DEMONYM_BEFORE = re.compile(r"\b([A-Z][\w\-]+)\s+(?:[a-z\-]+\s+)?$")
# A name that opens with an Arabic article: "el-Fasher", "Al-Hasakah", "ar-Raqqa".
_ARTICLED = re.compile(r"\b(?:" + _ARTICLE + r"|[Aa]z)-[A-Z][\w'’]*\b(?!-)")
# A capitalised word right before a name: its first name or title ("Omar al-Bashir").
_PROPER_BEFORE = re.compile(r"[A-Z][\w.'’]*\s+$")
_FAC_KW = (
    r"(?i:field\s+hospital|hospital|clinic|medical\s+(?:centre|center|complex|point)|"
    r"health\s+(?:centre|center|clinic|post)|ambulance\s+(?:station|centre|center))\b"
)
# "the Kumbo regional hospital", "Bor county hospital": the grade of a public
# hospital, lower-cased between the town that names it and the word
_FAC_GRADE = (
    r"(?:(?:regional|district|general|referral|teaching|provincial|county|state|central|"
    r"municipal|rural|military|university|maternity|children's|specialist)\s+)?"
)
_FAC_KW_END = re.compile(r"\s+" + _FAC_GRADE + _FAC_KW + r"$")
# Words that open no facility name: "Six Hospitals", "All hospitals", "The hospital".
_NOT_FACILITY_NAMES = frozenset(
    "the a an all some many several most two three four five six seven eight nine ten "
    "dozens hundreds its their this that these those other another".split()
)
# Place-type words after a name ("Amhara region", "Deir Hafa village"): the kind
# decides how the name is resolved. Regions are admin-1 divisions; districts
# and townships are admin-2 or -3 (a town of that name gives precision 3).
_KIND_WORDS = (
    # "the Faskari local government area", "Gwoza LGA": Nigeria's second-order areas
    r"local\s+government\s+area|local\s+government|LGA|"
    "region|province|state|governorate|oblast|district|township|territory|county|"
    "municipality|village|town|city|camp|neighbourhood|neighborhood|countryside"
)
_KIND_SUFFIX = re.compile(r"\s+(?P<kind>" + _KIND_WORDS + r")$", re.IGNORECASE)
# "the Idlib countryside", "Aleppo's western countryside": the governorate
# around the city, as Syrian and Iraqi reports use the word
# What a speaker's name is followed by, and the titles that open one: after a
# comma, no area that holds the place before it.
_SPEAKER_AFTER = re.compile(
    r"\s+(?:said|says|told|added|reported|wrote|announced|confirmed|stated)\b"
)
_TITLES = frozenset(
    "governor president minister mayor spokesman spokeswoman spokesperson general colonel col "
    "lt lieutenant captain capt major chief commander police sheikh dr doctor mr mrs ms".split()
)
_SETTLEMENT_WORDS = frozenset({"city", "town", "village", "hamlet", "capital", "port", "suburb"})
_REGION_KINDS = frozenset(
    {"region", "province", "state", "governorate", "oblast", "countryside", "department"}
)
_ADMIN2_KINDS = frozenset(
    {"district", "township", "territory", "county", "municipality", "local government area",
     "local government", "lga"}
)  # fmt: skip
# Names before "State" that are no state ("Islamic State").
_NOT_KIND_NAMES = frozenset({"islamic", "the", "this", "that", "member", "nation", "police"})
_LOC_AFTER = (
    r"(?:,\s*|\s+)(?:(?:in|at)\s+|(?P<near>near|outside)\s+)"
    # atomic, and not an owner: "the hospital in Haiti's capital" names no town
    r"(?:the\s+(?:town|city|village|camp)\s+of\s+)?(?P<town>(?>" + _NAME + r"))(?<!['’]s)"
)
_NEAR_BEFORE = re.compile(
    r"(?:\bnear|\boutside|\bclose\s+to|\bon\s+the\s+outskirts\s+of|\bbetween|"
    r"\b(?:north|south|east|west)(?:-?(?:east|west))?\s+of|"
    r"\b\d+\s*(?:km|kilometres|kilometers|miles)\s+(?:\w+\s+)?(?:from|of))\s+(?:the\s+)?"
    r"(?:(?:city|town|village|camp)\s+of\s+)?$",
    re.IGNORECASE,
)
_MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
_SEA = frozenset({"OCN", "SEA", "GULF", "BAY", "STRT", "CHN", "SD"})
_REGION = frozenset(
    {"RGN", "RGNE", "AREA", "DSRT", "PLN", "VAL", "MTS", "PEN", "ISLS", "STM", "RDGE", "ZN", "ZNB"}
)
_COUNTRY = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"})
_FACILITY_FEATURES = frozenset({"HSP", "HSPC", "HSPD", "HSPL", "CTRM", "CMP", "CMPRF"})
# A facility named only by its place in a town mentioned before it.
_UNNAMED_FACILITY = re.compile(
    r"\b(?:the\s+)?(?:(?:main|central|only|largest|biggest|local|last|general)\s+)?"
    r"(?:field\s+hospital|hospital|clinic|health\s+(?:centre|center))\s+in\s+the\s+"
    r"(?:(?:north|south)(?:east|west)?|east|west|centre|center|middle)(?:ern)?\s+"
    r"(?:part\s+)?of\s+the\s+(?P<kind>city|town|camp|village)\b",
    re.IGNORECASE,
)
_DIRECTION = re.compile(
    r"^(?:northern|southern|eastern|western|central|north-?eastern|north-?western|"
    r"south-?eastern|south-?western)\s+(?=[A-Z])"
)
# Tokens after which spaCy's small model often misses a toponym ("stormed Jabalia",
# "Jabalia and Beit Lahia"): kept only when the gazetteer places them in focus.
_LIST_WORDS = frozenset({"and", "or", ","})
# A name found only by "in <Name>" is trusted outside the story's focus when the
# story has none and the gazetteer knows a city at least this big by that name.
_CITY_POPULATION = 100_000
_NOT_PLACE_ENTS = frozenset({"PERSON", "ORG", "NORP", "DATE", "TIME", "MONEY", "CARDINAL"})


def where_prec(feature: str, near: bool = False) -> int:
    """UCDP GED where_prec for a gazetteer feature code (2 when only near it)."""
    if feature == "ADM1":
        return 4
    if feature.startswith("ADM"):
        return 3
    if feature in _COUNTRY:
        return 6
    if feature in _SEA:
        return 7
    if feature in _REGION:
        return 5
    return 2 if near else 1


def geo_precision(prec: int | None) -> int | None:
    """ACLED geo_precision from UCDP where_prec: 1→1, 2→2, 3 and 4→3, 5-7→None (ACLED has no code)."""
    return {1: 1, 2: 2, 3: 3, 4: 3}.get(prec) if prec is not None else None


@dataclass(slots=True)
class _Spot:
    start: int  # the mention's span in the text
    end: int
    sentence: int
    name: str | None  # the toponym, None for a facility with no town
    facility: str | None = None
    near: bool = False
    parent: str | None = None
    parent_span: tuple[int, int] | None = None
    fallback: bool = False  # found by "in <Name>" only: kept if the gazetteer agrees
    of_context: str | None = None  # "city", "town"...: the facility is in one named before
    settlement: bool = False  # named as one: "the town of X", "the city of X"
    area: tuple[str | None, str | None] | None = None  # the one region its sentence names
    kind: str | None = None  # told before the name: "the province of X", "the district of X"


@dataclass(slots=True)
class _Context:
    """What the document is about: country and admin-1 focus counts."""

    countries: Counter[str]
    admins: Counter[tuple[str, str]]
    # Points of the document's other toponyms, resolved without this context: (key, lat, lon).
    points: list[tuple[str, float, float]] = field(default_factory=list)
    # Countries named by a name that is also a division elsewhere ("Niger", "Georgia"):
    # no focus of their own, but a town found only by "in <Name>" may lie in one.
    ambiguous: set[str] = field(default_factory=set)
    # Countries each sentence names outright, with where: "In Mali, a strike near Gao".
    sentence_countries: dict[int, list[tuple[int, str]]] = field(default_factory=dict)


@register("places.gazetteer.v1")
class PlaceResolver:
    """Fill `doc.places` with geocoded toponyms and facilities (precision as UCDP where_prec)."""

    requires: tuple[str, ...] = ("doc.sentences",)
    assigns: tuple[str, ...] = ("doc.places",)
    ranker: Any = None  # see places.ranked.v1

    def __init__(
        self, settings: Settings | None = None, gazetteer: Gazetteer | None = None
    ) -> None:
        if gazetteer is None:
            if settings is None:
                raise TypeError("PlaceResolver needs settings or a gazetteer")
            gazetteer = Gazetteer.open(settings)
        self.gazetteer = gazetteer
        self._facility = re.compile(
            r"(?P<fac>" + _NAME + r"\s+" + _FAC_GRADE + _FAC_KW + r")(?:" + _LOC_AFTER + r")?"
        )
        self._facility_of = re.compile(
            r"(?P<fac>" + _FAC_KW + r"\s+of\s+(?:the\s+)?(?P<town>" + _NAME + r"))"
        )
        self._name = re.compile(_NAME)
        # Toponyms the phrase itself marks, whatever spaCy tagged: "the besieged
        # city of Chernihiv", "Ethiopia's northern Amhara region", "Deir Hafa village".
        self._of_kind = re.compile(
            r"\b(?:city|town|village|hamlet|camp|capital|port|suburb|neighbou?rhood|quarter|"
            r"district|province|region|state|department|"
            # the whole name, atomic: a shorter one must not slip past the check
            # after it ("the capital of North Darfur province" is no city "North")
            r"governorate|township|municipality)\s+of\s+(?P<name>(?>" + _NAME + r"))"
            # "the Tabayin township of Sagaing region": "of" tells what holds it
            r"\b(?!\s+(?i:region|province|state|governorate|oblast)\b)"
        )
        self._owned = re.compile(
            r"(?P<owner>" + _NAME + r")['’]s\s+(?:[a-z][a-z\-]+\s+){0,3}(?P<name>" + _NAME + r")"
            r"(?:\s+(?P<kind>" + _KIND_WORDS + r")\b)?"
        )
        self._kinded = re.compile(
            r"(?P<name>" + _NAME + r")\s+(?P<kind>(?i:" + _KIND_WORDS + r"))\b"
        )
        self._parent = re.compile(r",\s*(?:in\s+)?(?:the\s+)?(?P<parent>" + _NAME + r")")
        self._in_parent = re.compile(
            r"\s+in\s+(?:the\s+)?(?P<parent>" + _NAME + r"(?:\s+(?i:" + _KIND_WORDS + r"))?)\b"
        )
        # Names spaCy missed: after a locative preposition, or followed by a
        # parent ("El Fasher, in North Darfur"); kept only if the gazetteer agrees.
        self._prep = re.compile(
            # "In Kharkiv, ..." opens a sentence as often as "in Kharkiv" ends one
            r"\b(?i:in|near|outside|at|to|from|into|across|around|between|"
            r"on(?=\s+the\s+(?:[a-z]+ern\s+)?(?:outskirts|edge))|"
            # "villages west of Aleppo": a place reckoned from the town
            r"(?:north|south)(?:-?(?:east|west))?\s+of|(?:east|west)\s+of)\s+"
            r"(?:the\s+)?"
            # "in the centre of Kharkiv", "on the outskirts of Goma": a part of the place
            # ("on the western edge of Goma": the side named too)
            r"(?i:(?:[a-z]+ern\s+)?"
            r"(?:centre|center|heart|outskirts|edge|suburbs|south|north|east|west)\s+of\s+)?"
            # "in central Mali": the direction word left out of the name
            r"(?:(?:northern|southern|eastern|western|central|north-?eastern|north-?western|"
            r"south-?eastern|south-?western)\s+)?(?P<name>"
            + _NAME
            + r")|(?P<pname>"
            + _NAME
            + r")(?=,\s*(?:in\s+)?(?:the\s+)?"
            + _WORD
            + r")"
        )

    def __call__(self, doc: Document) -> Document:
        spots = self._detect(doc)
        ctx = self._context(spots)
        focus = ctx.countries
        doc.places = []
        last_town: Place | None = None
        # Names the text itself marks as places (an entity, a dateline, "the
        # village of X"): a capitalised word after "in" is trusted when it is one.
        # "Zamzam camp" vouches for a later bare "in Zamzam".
        trusted = {normalize(s.name) for s in spots if not s.fallback and s.name}
        trusted |= {normalize(_core(s.name)) for s in spots if not s.fallback and s.name}
        surnames = _person_surnames(doc)
        # A name the report also gives as a region ("Magway Region") is that
        # region when it stands alone ("an air strike in Magway"), not a town
        # of the same name.
        regions: dict[str, tuple[Place, int]] = {}  # a region, where it is first named
        resolved: list[Place | None] = []
        by_sentence: dict[int, list[Place]] = {}
        for spot in spots:
            place = None
            if spot.name and not spot.facility and spot.of_context is None:
                k = _KIND_SUFFIX.search(spot.name)
                if k is not None and k.group("kind").lower() in _REGION_KINDS:
                    place = self._resolve(spot, ctx)
                    if place.precision == 4:
                        regions.setdefault(normalize(_core(spot.name)), (place, spot.start))
                        by_sentence.setdefault(spot.sentence, []).append(place)
            resolved.append(place)
        for spot in spots:
            # "In the Donetsk region, one person was killed in Kostiantynivka":
            # the one region its sentence names holds the town, if it can
            areas = {(p.country, p.admin1) for p in by_sentence.get(spot.sentence, ())}
            if len(areas) == 1 and spot.parent is None:
                spot.area = areas.pop()
        for spot, place in zip(spots, resolved, strict=True):
            if _BASED.match(doc.text, spot.end) or _OUTLET_AFTER.match(doc.text, spot.end):
                # "the Paris-based agency" says where an agency sits, and "the
                # Saba news agency" is the agency's name
                continue
            if place is not None:
                pass
            elif spot.of_context is not None:
                place = self._at_context_town(spot, last_town)
            elif (
                not spot.facility
                and spot.name
                and not spot.settlement  # "the city of Kherson" after "the Kherson region"
                and (told := regions.get(normalize(_DIRECTION.sub("", spot.name)))) is not None
                # "a hospital in Kharkiv ... the Kharkiv region this week": the
                # region named after the town does not make the town the region
                # (a headline's "Yemen's Saada" is the lede's "Saada governorate")
                and (told[1] < spot.start or spot.sentence == 0)
            ):
                place = dataclasses.replace(told[0], name=spot.name, evidence=[])
            else:
                place = self._resolve(spot, ctx)
            if spot.facility and place.precision in (3, 4):
                # "the Bali district hospital in the North-West region": at its
                # name's town, when that town lies in the area told
                town = self._town_in_facility_name(spot, ctx)
                if town is not None and (town.country, town.admin1) == (
                    place.country,
                    place.admin1,
                ):
                    place = town
            if spot.fallback and normalize(spot.name or "") in trusted:
                pass
            elif spot.fallback and (
                place.lat is None
                or (focus.get(place.country or "", 0) == 0 and place.country not in ctx.ambiguous)
            ):
                if place.reason == COUNTRY_ONLY and place.country:
                    pass  # "in central Mali": a country's name is no mistaken word
                elif not (not focus and self._a_city(spot.name or "", place)):
                    continue  # a capitalised word the gazetteer places outside the story: not trusted
            if self._named_like_a_person(spot, place, surnames, ctx):
                continue
            if place.lat is not None and place.precision == 1 and place.facility is None:
                last_town = place
            named_at = doc.text.find(spot.name, spot.start, spot.end) if spot.name else -1
            named_at = spot.start if named_at < 0 else named_at
            place = _moved_by(place, doc.text[max(0, named_at - 90) : named_at])
            place.evidence = [doc.evidence(spot.start, spot.end)]
            if spot.parent_span:
                place.evidence.append(doc.evidence(*spot.parent_span))
            doc.places.append(Mention(spot.start, spot.end, place, spot.sentence))
        self._near_anchors(doc, ctx)
        _one_sense(doc)
        return doc

    def _near_anchors(self, doc: Document, ctx: _Context) -> None:
        def resolve(start: int, end: int, si: int) -> Place | None:
            sent = doc.sentences[si]
            place = self._resolve(self._spot(doc.text, sent.start, sent.end, start, end, si), ctx)
            ok = place.lat is not None and place.precision in (1, 2) and place.facility is None
            return place if ok and ctx.countries.get(place.country or "", 0) > 0 else None

        _place_near_anchors(doc, resolve)

    # -- detection --------------------------------------------------------------

    def _detect(self, doc: Document) -> list[_Spot]:
        text = doc.text
        spots: list[_Spot] = []
        for i, sent in enumerate(doc.sentences):
            base = sent.start
            stext = text[sent.start : sent.end]
            taken: list[tuple[int, int]] = []

            def free(s: int, e: int, taken: list[tuple[int, int]] = taken) -> bool:
                return not any(s < te and ts < e for ts, te in taken)

            for rx in (self._facility, self._facility_of):
                for m in rx.finditer(stext):
                    s, e = base + m.start(), base + m.end()
                    if not free(s, e):
                        continue
                    if m.group("fac").lower().startswith("the "):
                        s += 4
                    fac = _strip_the(m.group("fac"))
                    if fac.split()[0].lower() in _NOT_FACILITY_NAMES:
                        continue
                    named = _FAC_KW_END.sub("", fac)
                    if named != fac and (
                        self.gazetteer.country_code(named) or self.gazetteer.demonym_country(named)
                    ):
                        continue  # "a Sudan hospital", "a Ukrainian clinic": no name of its own
                    town = m.group("town")
                    owned = _POSSESSIVE.match(fac) if rx is self._facility else None
                    if owned:  # "Gaza's Al-Shifa Hospital"
                        owner, fac = owned.group(1), owned.group(2)
                        town = town or owner
                    parent = None
                    owned = _POSSESSIVE.match(town) if town else None
                    if owned and self.gazetteer.country_code(owned.group(1)):
                        # "a hospital in Yemen's Hajjah province": the country contains the town
                        parent, town = owned.group(1), owned.group(2)
                    if rx is self._facility_of:
                        fac = m.group("fac")
                    near = bool(m.groupdict().get("near"))
                    spots.append(_Spot(s, e, i, town, facility=fac, near=near, parent=parent))
                    taken.append((s, e))
            for m in _UNNAMED_FACILITY.finditer(stext):
                s, e = base + m.start(), base + m.end()
                if free(s, e):
                    fac = _strip_the(m.group(0))
                    s = e - len(fac)
                    spots.append(_Spot(s, e, i, None, facility=fac, of_context=m.group("kind")))
                    taken.append((s, e))
            for m in self._owned.finditer(stext):
                owner = m.group("owner")
                if not self.gazetteer.country_code(owner) or m.group("name") == owner:
                    continue  # "Gaza's Al-Shifa Hospital" is the facility pass's
                if m.group("name").split()[0].lower() in _MONTHS_DAYS | _NOT_FACILITY_NAMES:
                    continue
                name = m.group("name")
                if not m.group("kind") and (
                    name.split()[-1].lower() in _BODIES or (name.isupper() and len(name) <= 6)
                ):
                    continue  # "Sudan's paramilitary Rapid Support Forces", "Sudan's RSF"
                s, e = base + m.start("name"), base + m.end("kind" if m.group("kind") else "name")
                if not free(s, e):
                    continue
                taken.append((s, e))
                spot = _Spot(s, e, i, text[s:e], parent=owner)
                spot.parent_span = (base + m.start("owner"), base + m.end("owner"))
                spots.append(spot)
            for rx in (self._of_kind, self._kinded):
                for m in rx.finditer(stext):
                    name = m.group("name")
                    first = name.split()[0].lower()
                    if first in _NOT_FACILITY_NAMES or first in _NOT_KIND_NAMES:
                        continue
                    if first in _MONTHS_DAYS or self.gazetteer.demonym_country(name):
                        continue
                    if rx is self._kinded and self.gazetteer.country_code(name):
                        continue  # "a south Lebanon town": a town of that country, unnamed
                    kind = m.group(0).split()[0].lower()
                    if (
                        rx is self._of_kind
                        and kind in ("state", "department")
                        and not self.gazetteer.admin1(name)
                    ):
                        continue  # "the department of Health": no division of that name
                    end = "kind" if rx is self._kinded else "name"
                    s, e = base + m.start("name"), base + m.end(end)
                    inner = _KIND_SUFFIX.search(name) if rx is self._kinded else None
                    if inner is not None and inner.start() > 0:
                        e = base + m.start("name") + len(name)  # "a Magway Region village"
                    if not free(s, e):
                        continue
                    taken.append((s, e))
                    spot = self._spot(text, sent.start, sent.end, s, e, i)
                    # "the town of Hajjah": a town, not the province named after it
                    spot.settlement = rx is self._of_kind and m.group(0).split()[0].lower() in (
                        _SETTLEMENT_WORDS
                    )
                    if rx is self._of_kind and kind in _REGION_KINDS | _ADMIN2_KINDS:
                        spot.kind = kind
                    owner = _OWNER_BEFORE.search(stext[: m.start()])
                    if (
                        rx is self._of_kind
                        and kind in _PARTS_OF_TOWN
                        and owner is not None
                        and spot.parent is None
                        and self.gazetteer.lookup(owner.group("owner"))
                    ):
                        # "the southern Khartoum neighbourhood of Mayo": a part of that town
                        spot.parent = owner.group("owner")
                        spot.parent_span = (base + owner.start("owner"), base + owner.end("owner"))
                    elif (
                        rx is self._kinded
                        and _PART_OF_TOWN.search(stext[m.start() : m.end("kind")])
                        and _THE_TOWNS.search(stext, 0, m.start())
                    ):
                        # "the city's Kyivskyi district": a part of the town told before
                        spot.of_context = "city"
                    elif rx is self._of_kind and spot.parent is None:
                        # "the southern Lebanese town of Aitaroun": in that country
                        dem = _DEMONYM_BEFORE.search(stext, 0, m.start())
                        code = self.gazetteer.demonym_country(dem.group(1)) if dem else None
                        if code:
                            spot.parent = self.gazetteer.country_name(code)
                    spots.append(spot)
            for m in _CAPITAL_OF.finditer(stext):
                # "in Somalia's capital", "the Sudanese capital": the capital city,
                # when no name follows to say it ("Somalia's capital Mogadishu")
                owner = m.group("owner") or m.group("demonym")
                code = self.gazetteer.country_code(owner) or self.gazetteer.demonym_country(owner)
                city = self.gazetteer.capital(code) if code else None
                s, e = base + m.start(), base + m.end()
                if city is None or not free(s, e):
                    continue
                taken.append((s, e))
                spot = _Spot(s, e, i, city, parent=self.gazetteer.country_name(code))
                spot.settlement = True
                spots.append(spot)
            if (
                sent.start < 400
                and DATELINE.match(text[sent.start : sent.start + 80])
                and (m := _CAPS_NAME.match(stext)) is not None
                and free(base + m.start("name"), base + m.end("name"))
                and self.gazetteer.lookup(m.group("name"))
            ):
                # "PESHAWAR: Gunmen opened fire ...": a dateline's town, in capitals,
                # which the small model leaves untagged (kept if the story agrees)
                s, e = base + m.start("name"), base + m.end("name")
                taken.append((s, e))
                spot = _Spot(s, e, i, m.group("name"))
                spot.fallback = True
                spots.append(spot)
            if (m := _LABEL.match(stext)) is not None and self.gazetteer.country_code(
                m.group("name")
            ):
                # "Mali: On 7 March, ...": a digest's entry opens with its country
                s, e = base + m.start("name"), base + m.end("name")
                if free(s, e):
                    taken.append((s, e))
                    spots.append(_Spot(s, e, i, m.group("name")))
            for m in _COUNTRY_PHRASES.finditer(stext):
                s, e = base + m.start(), base + m.end()
                if free(s, e):
                    taken.append((s, e))
                    spots.append(self._spot(text, sent.start, sent.end, s, e, i))
            for m in _POSSESSOR.finditer(stext):
                # "Mali's health ministry", "Niger's army": the small model tags an
                # unfamiliar country PERSON; the country still tells what the story
                # is about (its towns found only by "in <Name>" need that focus)
                words = m.group("name").split()
                for k in range(len(words)):
                    name = " ".join(words[k:])
                    if self.gazetteer.country_code(name):
                        s = base + m.start("name") + len(m.group("name")) - len(name)
                        e = s + len(name)
                        if free(s, e):
                            taken.append((s, e))
                            spots.append(_Spot(s, e, i, name))
                        break
            for ent in doc.sentence_ents(sent):
                if ent.label_ not in ("GPE", "LOC", "FAC"):
                    continue
                if _EVENT_WORDS.search(ent.text) or len(ent.text.strip()) <= 2:
                    continue  # "Jihadist Attack" in a headline, "DR" cut from "DR Congo"
                s, e = sent.offset + ent.start_char, sent.offset + ent.end_char
                if not free(s, e):
                    continue
                taken.append((s, e))
                spots.append(self._spot(text, sent.start, sent.end, s, e, i))
            for m in _ARTICLED.finditer(stext):
                # "attacked el-Fasher", "shelled al-Fashir": the small model tags an
                # Arabic name with its article as a person or an organisation; one
                # the gazetteer knows by that very name, in the story's country, is
                # kept (`fallback`); an alternate name is too loose ("al-Sadr" is
                # one of Sadr City's, "al-Jazeera" one of a town's). "Omar
                # al-Bashir": a name after another is a person's.
                s, e = base + m.start(), base + m.end()
                if not free(s, e) or _PROPER_BEFORE.search(stext, 0, m.start()):
                    continue
                key = normalize(m.group(0))
                if not any(normalize(c.name) == key for c in self.gazetteer.lookup(m.group(0))):
                    continue
                taken.append((s, e))
                spot = self._spot(text, sent.start, sent.end, s, e, i)
                spot.fallback = True
                spots.append(spot)
            for m in self._prep.finditer(stext):
                g = "name" if m.group("name") else "pname"
                s, e = base + m.start(g), base + m.end(g)
                if not free(s, e) or m.group(g).lower() in _MONTHS_DAYS | _CONNECTIVES:
                    continue  # "However, the Zamfara police ...": no place before the comma
                taken.append((s, e))
                spot = self._spot(text, sent.start, sent.end, s, e, i)
                spot.fallback = True
                spots.append(spot)
            for tok in sent.span[1:]:
                # Proper nouns right after a verb or in a list ("stormed Jabalia",
                # "Jabalia and Beit Lahia"), which the small model often leaves untagged.
                if tok.pos_ != "PROPN":
                    continue
                if tok.ent_type_ in _NOT_PLACE_ENTS and not _conj_of_place(tok):
                    continue
                prev = tok.nbor(-1)
                if prev.pos_ == "PROPN" or not (prev.pos_ == "VERB" or prev.lower_ in _LIST_WORDS):
                    continue
                m = self._name.match(stext, sent.offset + tok.idx - base)
                if m is None:
                    continue
                s, e = base + m.start(), base + m.end()
                if not free(s, e) or m.group(0).lower() in _MONTHS_DAYS:
                    continue
                taken.append((s, e))
                spot = self._spot(text, sent.start, sent.end, s, e, i)
                spot.fallback = True
                spots.append(spot)
        spots.sort(key=lambda sp: sp.start)
        return spots

    def _a_city(self, name: str, place: Place) -> bool:
        """Whether "in <Name>", in a story that names no country, is a city of 100,000
        or more by its own name ("Fighting in Omdurman", the name mis-tagged as a
        nationality): a name that big is rarely anything else; a demonym, or a city's
        alternate name ("Hamas"), never counts."""
        if place.lat is None or place.geonames_id is None or self.gazetteer.demonym_country(name):
            return False
        return any(
            c.geonameid == place.geonames_id
            and c.population >= _CITY_POPULATION
            and normalize(c.name) == normalize(name)  # its own name, not an alternate one
            for c in self.gazetteer.lookup(name)
        )

    def _named_like_a_person(
        self, spot: _Spot, place: Place, surnames: frozenset[str], ctx: _Context
    ) -> bool:
        """A one-word name the document also gives as a person's surname ("Marsavious
        Frazier" ... "in Frazier's hand"), resolved outside every admin-1 region the
        document is about: that person again, not a town of the same name far away.
        Inside the document's region the town stands ("Jackson" in a Mississippi story)."""
        if not spot.name or spot.facility or normalize(spot.name) not in surnames:
            return False
        if not ctx.admins or place.lat is None:
            return False
        regions = {self.gazetteer.admin1_name(c, code) for c, code in ctx.admins}
        return place.admin1 not in regions

    def resolve_spans(self, doc: Document, spans: list[tuple[int, int]]) -> list[Place]:
        """Resolve given toponym spans (gold ones, say) in the document's own context."""
        ctx = self._context(self._detect(doc))
        text = doc.text
        out = []
        for s, e in spans:
            i = doc.sentence_at(s)
            lo, hi = (
                (doc.sentences[i].start, doc.sentences[i].end) if i is not None else (0, len(text))
            )
            spot = self._spot(text, lo, max(hi, e), s, e, -1 if i is None else i)
            place = self._resolve(spot, ctx)
            place.evidence = [doc.evidence(s, e)]
            out.append(place)
        return out

    def _spot(self, text: str, s_start: int, s_end: int, s: int, e: int, i: int) -> _Spot:
        name = text[s:e]
        if name.lower().startswith("the "):
            s, name = s + 4, name[4:]
        owner = None
        if name.endswith(("'s", "’s")):
            e, name = e - 2, name[:-2]  # "Kharkiv's largest hospital"
        m = _OWNED.match(name)
        if m and (
            self.gazetteer.country_code(m.group(1))
            # "Kharkiv's Saltivskyi district": a part of the town that owns it
            or (_PART_OF_TOWN.search(m.group(2)) and self.gazetteer.lookup(m.group(1)))
            # "Kaduna State's Kajuru district": a division named as one holds it,
            # and "Manipur's Bishnupur district" one named alone
            or (_KIND_SUFFIX.search(m.group(1)) and self.gazetteer.admin1(_core(m.group(1))))
            or (_KIND_SUFFIX.search(m.group(2)) and self.gazetteer.admin1(m.group(1)))
        ):
            owner, name, s = m.group(1), m.group(2), s + m.start(2)  # "Syria's Idlib"
        spot = _Spot(s, e, i, name)
        if owner:
            spot.parent = owner
            return spot
        before = _NEAR_BEFORE.search(text[max(s_start, s - 40) : s])
        if before:
            spot.near = True
            spot.start = s - (len(before.group(0)))
        if _AREA_AFTER.match(text, e, s_end):
            spot.near = True  # "a village in the Bukkuyum area": near the town, not at it
        m = self._parent.match(text, e, s_end)
        if m and not self._may_hold(m.group("parent"), text, m.end("parent")):
            m = None
        if m and not m.group("parent").endswith(("'s", "’s")):
            # "Kumbo, in Cameroon's North-West region": the division, not its owner
            spot.parent = self._unowned(m.group("parent"))
            spot.parent_span = (m.start("parent"), m.end("parent"))
        elif (m := self._in_parent.match(text, e, s_end)) is not None:
            # "the town of Kuriga in Kaduna state": without a comma, only a
            # country or a first-order division is taken as what holds it
            parent = self._unowned(m.group("parent"))
            gaz = self.gazetteer
            kind = _KIND_SUFFIX.search(parent)
            if (
                gaz.country_code(parent)
                or gaz.admin1(_core(parent))
                # "in Sagaing region": a division by its kind word, however GeoNames spells it
                or (kind is not None and kind.group("kind").lower() in _REGION_KINDS)
            ):
                spot.parent = parent
                spot.parent_span = (m.start("parent"), m.end("parent"))
        return spot

    def _may_hold(self, parent: str, text: str, end: int) -> bool:
        """Whether what follows a place after a comma may be the area holding it:
        not a speaker (", Governor Oleksandr Prokudin said"), a title or a
        nationality (", Russian shelling killed ...")."""
        if _SPEAKER_AFTER.match(text, end):
            return False
        first = parent.split()[0].lower().rstrip(".")
        return first not in _TITLES and not self.gazetteer.demonym_country(parent.split()[0])

    def _unowned(self, parent: str) -> str:
        """ "Iraq's Salahuddin province" -> "Salahuddin province": the country
        that owns a division is not part of its name (it counts in the story's
        focus like any country named)."""
        m = _OWNED.match(parent)
        return m.group(2) if m and self.gazetteer.country_code(m.group(1)) else parent

    # -- resolution -------------------------------------------------------------

    def _context(self, spots: list[_Spot]) -> _Context:
        """Countries and admin-1 divisions the document is about: named ones and unambiguous toponyms."""
        focus: Counter[str] = Counter()
        admins: Counter[tuple[str, str]] = Counter()
        gaz = self.gazetteer
        looked_up: set[str] = set()
        ambiguous: set[str] = set()
        for spot in spots:
            if spot.fallback:
                continue
            for name in (spot.name, spot.parent):
                if not name:
                    continue
                name = _core(name)
                code = gaz.country_code(name)
                if code:
                    # "Georgia" is also a US state: such a name says nothing on its own.
                    others = {a.country for a in gaz.admin1(name) if a.country != code}
                    if others:
                        ambiguous |= others | {code}
                    else:
                        focus[code] += 2
                    continue
                if _is_gaza(_DIRECTION.sub("", name)):
                    focus["PS"] += 1  # not Mozambique's Gaza province, in a news story
                    continue
                state = us_state_code(name)
                if state:
                    admins[("US", state)] += 2
                    focus["US"] += 1
                    continue
                areas = gaz.admin1(name)
                if len(areas) == 1:
                    admins[(areas[0].country, areas[0].code)] += 2
                    focus[areas[0].country] += 1
                    continue
                if normalize(name) in looked_up:
                    continue  # a town named five times is one piece of evidence
                looked_up.add(normalize(name))
                cands = gaz.lookup(name)
                countries = {c.country for c in cands} or {a.country for a in areas}
                if len(countries) == 1:
                    focus[countries.pop()] += 1
                held = {(c.country, c.admin1) for c in cands if c.admin1}
                if len(held) == 1:
                    admins[held.pop()] += 1
        ctx = _Context(focus, admins, ambiguous=ambiguous)
        for spot in spots:
            # "In Mali, ..." is found by its preposition alone: a country's name still counts.
            code = gaz.country_code(spot.name) if spot.name else None
            if code and code not in ambiguous:
                ctx.sentence_countries.setdefault(spot.sentence, []).append((spot.start, code))
        # A first pass without spatial evidence gives the points the second
        # pass measures each candidate against.
        seen: set[str] = set()
        for spot in spots:
            if spot.fallback or not spot.name or spot.facility or spot.of_context:
                continue
            key = normalize(spot.name)
            if key in seen:
                continue
            seen.add(key)
            place = self._resolve(spot, ctx)
            if place.lat is not None and place.lon is not None:
                ctx.points.append((key, place.lat, place.lon))
        return ctx

    def _at_context_town(self, spot: _Spot, town: Place | None) -> Place:
        """An unnamed facility ("the main hospital in the north of the city"), or a
        part of town ("the city's Kyivskyi district"), at the town named before."""
        if spot.name and not spot.facility:
            if town is None:
                return Place(name=spot.name, reason="a part of 'the city', no town named before")
            return _at_point_of(
                town,
                spot.name,
                None,
                geonames_id=town.geonames_id,  # inside that town
                reason=f"a part of 'the city': located at {town.name}, the town named before it",
            )
        if town is None:
            return Place(
                name=None,
                facility=spot.facility,
                reason=f"facility located only in 'the {spot.of_context}', and no town named before it",
            )
        return _at_point_of(
            town,
            town.name,
            spot.facility,
            geonames_id=town.geonames_id,
            reason=(
                f"unnamed facility in part of 'the {spot.of_context}': located at {town.name}, "
                "the town named before it, not at the facility itself"
            ),
        )

    def _resolve(self, spot: _Spot, ctx: _Context) -> Place:
        gaz = self.gazetteer
        focus = ctx.countries
        name = spot.name
        fac_hit = self._facility_candidate(spot, focus) if spot.facility else None
        if fac_hit is not None:
            return self._place(
                name or fac_hit.name, fac_hit, spot, where_prec(fac_hit.feature, spot.near)
            )
        if name is None:
            town = self._town_in_facility_name(spot, ctx)
            if town is not None:
                return town
            return Place(
                name=None,
                facility=spot.facility,
                reason="facility not in gazetteer and no town named with it",
            )
        state = us_state_code(name)
        area = gaz.admin1_entry("US", state) if state else None
        if area is not None:
            return self._admin1_place(name, spot, area, ADMIN1_ONLY)
        continent = gaz.continent(name)
        if continent is not None:
            return Place(
                name=name,
                facility=spot.facility,
                precision=7,
                geo_precision=None,
                geonames_id=continent[1],
                reason=CONTINENT_ONLY,
            )
        code = gaz.country_code(name) or gaz.country_code(_DIRECTION.sub("", name))
        demonym = None if code else gaz.demonym_country(name)
        if demonym and name[:1].isupper():
            return Place(
                name=name,
                facility=spot.facility,
                country=demonym,
                precision=6,
                geo_precision=None,
                geonames_id=gaz.country_geonameid(demonym),
                reason=DEMONYM,
            )
        if code:
            # "Georgia" in a story about the US is the state, not the country.
            states = [a for a in gaz.admin1(name) if focus.get(a.country, 0) > focus.get(code, 0)]
            if len(states) == 1:
                return self._admin1_place(name, spot, states[0], ADMIN1_ONLY)
            return Place(
                name=name,
                facility=spot.facility,
                country=code,
                precision=6,
                geo_precision=None,
                geonames_id=gaz.country_geonameid(code),
                reason=COUNTRY_ONLY,
            )
        bare = _DIRECTION.sub("", name)  # "northern Gaza": the part is coarser than the whole
        if _is_gaza(bare) and focus.get("PS", 0) >= focus.get("MZ", 0):
            strip = [a for a in gaz.admin1("Gaza Strip") if a.country == "PS"]
            if strip:
                return self._admin1_place(name, spot, strip[0], GAZA_STRIP)
        kind = None
        whole = bare
        if (k := _KIND_SUFFIX.search(bare)) is not None and k.start() > 0:
            kind = " ".join(k.group("kind").lower().split())
            if kind in _REGION_KINDS or not gaz.lookup(bare):  # "Gaza City" is a name
                bare = bare[: k.start()]
        elif spot.kind is not None:
            kind = spot.kind  # "the northern province of Kunduz": the province, not its capital
        if kind is not None:
            if kind in _REGION_KINDS:
                areas = self._inside(gaz.admin1(bare), spot.parent)
                if len(areas) == 1 or (areas and len({a.country for a in areas}) == 1):
                    return self._admin1_place(name, spot, areas[0], ADMIN1_ONLY)
                for country in self._story_countries(spot, focus, least=1):
                    # "X Region" where GeoNames spells the division a letter apart
                    if (area := gaz.admin1_like(bare, country)) is not None:
                        return self._admin1_place(name, spot, area, ADMIN1_ONLY)
                # "Magwe Region": the division named after its capital, which the
                # gazetteer knows under that spelling
                towns = self._constrain(gaz.lookup(bare), spot.parent)
                held = {(c.country, c.admin1) for c in towns if c.admin1}
                if len(held) == 1:
                    country, code = held.pop()
                    if (area := gaz.admin1_entry(country, code)) is not None:
                        return self._admin1_place(name, spot, area, ADMIN1_ONLY)
                # "Salahuddin province" is a division, never the resort town of
                # that name in another one: unresolved rather than a wrong point
                return Place(name=name, facility=spot.facility, reason=NOT_IN_GAZETTEER)
        raw = gaz.lookup(bare)
        if not raw and not spot.fallback and (kind or _SPELLED_LIKE_A_TOWN.match(bare)):
            # A transliteration the gazetteer spells otherwise ("Kostantinivka"),
            # looked for only in the countries the story is about.
            for country in self._story_countries(spot, focus):
                if raw := gaz.lookup_like(bare, country):
                    break
        cands = self._constrain(raw, spot.parent)
        if spot.area is not None:
            country, area = spot.area
            inside = tuple(
                c
                for c in cands
                if c.country == country and gaz.admin1_name(c.country, c.admin1) == area
            )
            # "Sagaing region's Kani township": in that region's country, never a
            # namesake abroad (unresolved when the gazetteer lacks it there)
            cands = inside or tuple(c for c in cands if c.country == country)
        # A country named before the toponym in its own sentence holds it ("In
        # Mali, a strike near Gao"), however the story's other places lean; one
        # named after it is as often a neighbour ("San Diego ... the Mexican
        # border", "Mexico").
        named = {c for at, c in ctx.sentence_countries.get(spot.sentence, []) if at < spot.start}
        if not spot.parent and len({c.country for c in cands} & named) == 1:
            cands = tuple(c for c in cands if c.country in named)
        unfit = bool(spot.parent and raw and not self._fits(cands, spot.parent))
        # A learned ranker (places.ranked.v1) may pick among the candidates (all
        # of them when the "parent" fits none: a list, "Moscow, Russia Thursday").
        picked = (
            self.ranker.pick(self, spot, ctx, bare, raw if unfit else cands)
            if self.ranker
            else None
        )
        if isinstance(picked, Admin1) and spot.settlement:
            picked = None  # "the town of Hajjah": the text says it is a town
        if unfit and picked is None:
            return self._parent_place(name, spot, focus)
        if isinstance(picked, Admin1):
            return self._admin1_place(name, spot, picked, ADMIN1_ONLY)
        area = None if picked or spot.settlement else self._admin1_named(bare, cands, focus)
        if area is not None:
            return self._admin1_place(name, spot, area, ADMIN1_ONLY)
        if not cands and picked is None:
            if spot.parent:
                return self._parent_place(name, spot, focus)
            return self._admin1_or_unknown(bare, spot, focus, name)
        if whole != name:
            # "northern Kharkiv" is a part of the place, not its point.
            cands = tuple(
                c._replace(feature="RGN") if c.feature.startswith("PPL") else c for c in cands
            )
            if picked is not None and picked.feature.startswith("PPL"):
                picked = picked._replace(feature="RGN")
        chosen, why = (
            (picked, None)
            if picked
            else _choose(
                cands, focus, ctx.admins, _others(ctx.points, normalize(bare)), normalize(bare)
            )
        )
        if chosen is None:
            return Place(name=name, facility=spot.facility, reason=why)
        prec = where_prec(chosen.feature, spot.near)
        if spot.facility and prec == 1:
            prec = 2  # the facility itself is not in the gazetteer: located at its town
        if kind in _ADMIN2_KINDS and prec < 3:
            prec = 3  # "Halba township": the area around the town of that name
        return self._place(name, chosen, spot, prec)

    def _story_countries(self, spot: _Spot, focus: Counter[str], least: int = 2) -> list[str]:
        """The explicit parent country, else the story's leading focus countries."""
        code = self.gazetteer.country_code(spot.parent) if spot.parent else None
        if code:
            return [code]
        return [c for c, w in focus.most_common(2) if w >= least]

    def _fits(self, cands: tuple[Candidate, ...], parent: str) -> bool:
        """Whether the candidates `_constrain` kept lie inside the named parent."""
        code = self.gazetteer.country_code(parent)
        if code:
            return any(c.country == code for c in cands)
        areas = {(a.country, a.code) for a in self.gazetteer.admin1(_core(parent))}
        areas = areas or self._division_spelt_otherwise(parent, cands)
        areas |= {(p.country, p.admin1) for p in self.gazetteer.lookup(_core(parent))}
        return any((c.country, c.admin1) in areas for c in cands)

    def _division_spelt_otherwise(
        self, parent: str, cands: tuple[Candidate, ...]
    ) -> set[tuple[str, str]]:
        """ "Tuz Khurmatu in Salahuddin province", which GeoNames spells "Salah ad
        Din": the division by its kind word, spelt otherwise, in a candidate's country."""
        kind = _KIND_SUFFIX.search(parent)
        if kind is None or kind.group("kind").lower() not in _REGION_KINDS:
            return set()
        like = (self.gazetteer.admin1_like(_core(parent), c) for c in {c.country for c in cands})
        return {(a.country, a.code) for a in like if a is not None}

    def _inside(self, areas: tuple[Admin1, ...], parent: str | None) -> tuple[Admin1, ...]:
        """Admin-1 divisions inside an explicit parent country (all when none fits)."""
        code = self.gazetteer.country_code(parent) if parent else None
        inside = tuple(a for a in areas if a.country == code) if code else areas
        return inside or areas

    def _parent_place(self, name: str, spot: _Spot, focus: Counter[str]) -> Place:
        """A town the gazetteer does not hold inside a parent it does ("Deir Hafa,
        Idlib Governorate"): the parent's area, its precision, and the town's own name."""
        assert spot.parent is not None
        gaz = self.gazetteer
        code = gaz.country_code(spot.parent)
        why = f"{name} is not in the gazetteer: located at {spot.parent}, the area named with it"
        if code:
            return Place(
                name=name, facility=spot.facility, country=code, precision=6,
                geonames_id=None, reason=why + " (a country: no coordinates)",
            )  # fmt: skip
        kind = _KIND_SUFFIX.search(spot.parent)
        if _PART_OF_TOWN.search(name) and (kind is None or kind.group("kind").lower() == "city"):
            # a district or neighbourhood of a town the gazetteer holds ("Gaza City's
            # Zeitoun neighbourhood", "Kharkiv's Kyivskyi district"): the town's point,
            # near it (precision 2), before any division of the same name
            towns = gaz.lookup(spot.parent)
            town = _choose(towns, focus, None, None, normalize(spot.parent))[0] if towns else None
            if town is not None:
                place = self._place(name, town, spot, 2)
                place.geonames_id = None
                place.reason = f"{name} is not in the gazetteer: located at {spot.parent}, the town it is part of"
                return place
        areas = gaz.admin1(_core(spot.parent))
        if len({a.country for a in areas}) > 1:
            areas = tuple(a for a in areas if focus.get(a.country, 0) > 0) or areas
        if not areas and _KIND_SUFFIX.search(spot.parent):
            # "Sagaing region", which GeoNames spells "Sagain": a letter apart, in
            # a country the story is about
            like = (gaz.admin1_like(_core(spot.parent), c) for c in focus if focus[c] > 0)
            areas = tuple({a for a in like if a is not None})
        if len(areas) == 1:
            place = self._admin1_place(name, spot, areas[0], ADMIN1_ONLY)
            place.geonames_id = None
            place.reason = why
            return place
        return Place(name=name, facility=spot.facility, reason=why + ", which is ambiguous")

    def _town_in_facility_name(self, spot: _Spot, ctx: _Context) -> Place | None:
        """ "the Bali district hospital", "the Kunduz trauma centre": a facility named
        after its town, placed there (precision 2) when a town of that very name
        lies in the one country of the story's focus that has one (in a story that
        names no country, when it is the one city of that name)."""
        m = _FACILITY_TOWN.match(spot.facility or "")
        if m is None:
            return None
        town = m.group("town")
        key = normalize(town)
        same = [c for c in self.gazetteer.lookup(town) if normalize(c.name) == key]
        cands = tuple(c for c in same if ctx.countries.get(c.country, 0) > 0)
        if not ctx.countries:
            # a story that names no country: only a city, the one of that name
            cities = tuple(c for c in same if (c.population or 0) >= _CITY_POPULATION)
            cands = cities if len(cities) == 1 else ()
        if len({c.country for c in cands}) != 1:
            return None
        chosen, _ = _choose(cands, ctx.countries, ctx.admins, _others(ctx.points, key), key)
        if chosen is None:
            return None
        place = self._place(town, chosen, spot, 2)
        place.reason = (
            f"{spot.facility} is not in the gazetteer: located at {town}, its name's town"
        )
        return place

    def _place(self, name: str, c: Candidate, spot: _Spot, prec: int) -> Place:
        return Place(
            name=name,
            facility=spot.facility,
            lat=c.lat if prec <= 5 else None,
            lon=c.lon if prec <= 5 else None,
            admin1=self.gazetteer.admin1_name(c.country, c.admin1),
            country=c.country,
            precision=prec,
            geo_precision=geo_precision(prec),
            geonames_id=c.geonameid,
        )

    def _facility_candidate(self, spot: _Spot, focus: Counter[str]) -> Candidate | None:
        assert spot.facility is not None
        hits = [c for c in self.gazetteer.lookup(spot.facility) if c.feature in _FACILITY_FEATURES]
        if spot.name:
            towns = self.gazetteer.lookup(spot.name)
            near_town = [h for h in hits if any(_close(h, t) for t in towns)]
            hits = near_town or [h for h in hits if h.country in {t.country for t in towns}]
        elif focus:
            top = focus.most_common(1)[0][0]
            hits = [h for h in hits if h.country == top]
        return hits[0] if len(hits) == 1 else None

    def _constrain(self, cands: tuple[Candidate, ...], parent: str | None) -> tuple[Candidate, ...]:
        """Keep the candidates inside an explicit parent ("Rafah, Gaza"); all if none fit."""
        if not parent or not cands:
            return cands
        gaz = self.gazetteer
        code = gaz.country_code(parent)
        if code:
            inside = tuple(c for c in cands if c.country == code)
        else:
            areas = {(a.country, a.code) for a in gaz.admin1(parent)}
            areas = areas or self._division_spelt_otherwise(parent, cands)
            areas |= {(p.country, p.admin1) for p in gaz.lookup(parent)}
            inside = tuple(c for c in cands if (c.country, c.admin1) in areas)
        return inside or cands

    def _admin1_named(
        self, name: str, cands: tuple[Candidate, ...], focus: Counter[str]
    ) -> Admin1 | None:
        """The admin-1 division a name means when a town shares it ("Minnesota", "Darfur").

        The division wins unless a town of that name in the same country is a
        city of 50,000 or more ("Washington", "Jerusalem", "New York").
        """
        areas = self.gazetteer.admin1(name)
        if not areas:
            return None
        if len(areas) > 1:
            best = max(focus.get(a.country, 0) for a in areas)
            areas = tuple(a for a in areas if focus.get(a.country, 0) == best)
            if best == 0 or len(areas) > 1:
                return None
        a = areas[0]
        if normalize(a.name) != normalize(name) and not cands:
            return None  # matched a variant only; let the general path explain
        if any(c.country == a.country and c.population >= 50_000 for c in cands):
            return None
        if cands and focus.get(a.country, 0) == 0 and cands[0].country != a.country:
            return None
        # "BENI, Congo": the town in the country the story is about, not a
        # division abroad whose only focus is this very name
        if any(focus.get(c.country, 0) > focus.get(a.country, 0) for c in cands):
            return None
        return a

    def _admin1_place(self, name: str, spot: _Spot, a: Admin1, reason: str | None = None) -> Place:
        point = self.gazetteer.admin1_point(a.country, a.code)
        return Place(
            name=name,
            facility=spot.facility,
            lat=point[0] if point else None,
            lon=point[1] if point else None,
            admin1=a.name,
            country=a.country,
            precision=4,
            geo_precision=geo_precision(4),
            geonames_id=a.geonameid,
            # With GeoNames' own point for the division the place is resolved
            # (at precision 4); without one the reason says why there are no coordinates.
            reason=reason if point is None or reason != ADMIN1_ONLY else None,
        )

    def _admin1_or_unknown(
        self, name: str, spot: _Spot, focus: Counter[str], shown: str | None = None
    ) -> Place:
        shown = shown or name
        areas = self.gazetteer.admin1(name)
        if len({a.country for a in areas}) > 1 and focus:
            best = max(focus[a.country] for a in areas)
            areas = tuple(a for a in areas if focus[a.country] == best and best > 0)
        if len(areas) == 1:
            return self._admin1_place(shown, spot, areas[0], ADMIN1_ONLY)
        if areas:
            listed = ", ".join(f"{a.name} ({a.country})" for a in areas[:6])
            return Place(
                name=shown, facility=spot.facility, reason=f"ambiguous admin division: {listed}"
            )
        return Place(name=shown, facility=spot.facility, reason=NOT_IN_GAZETTEER)


# A facility named after its town: "the Bali district hospital", "Kunduz trauma centre".
_FACILITY_TOWN = re.compile(
    r"(?:the\s+)?(?P<town>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?)\s+(?i:district|general|"
    # not "city": "the Gaza City hospital" is a hospital of Gaza City
    r"regional|referral|teaching|central|provincial|county|municipal|maternity|"
    r"children['’]?s|trauma|rural|community)\b"
)
# "a village in the Bukkuyum area": around the town, not at it.
_AREA_AFTER = re.compile(r"\s+(?:area|areas|vicinity|outskirts)\b")
# A dateline's town in capitals: "PESHAWAR:", "KYIV (Reuters) -".
_CAPS_NAME = re.compile(r"\s*(?P<name>[A-Z][A-Z'’.\-]{2,}(?:\s+[A-Z][A-Z'’.\-]+){0,3})\b")
# A digest entry's label: "Mali: On 7 March, ...", "South Sudan - Gunmen ...".
_LABEL = re.compile(r"(?P<name>[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,4})\s*[:\u2013\u2014]\s")
# Country names of several words that the small model splits ("DR Congo").
_COUNTRY_PHRASES = re.compile(
    r"\b(?:DR Congo|D\.R\. Congo|Democratic Republic of (?:the )?Congo|"
    r"Central African Republic|South Sudan|Burkina Faso|Sierra Leone|Ivory Coast|"
    r"Saudi Arabia|Sri Lanka|occupied Palestinian territor(?:y|ies)|West Bank)\b"
)
# A part of a town: "Saltivskyi district", "the Zeitoun neighbourhood".
_PART_OF_TOWN = re.compile(r"\s(?i:district|neighbou?rhood|quarter|suburb)$")
# "Syria's Idlib", "Iraq's Salahuddin province": an owner and what it owns.
_OWNED = re.compile(r"(.+?)['’]s\s+(.+)$")
# "the southern Khartoum neighbourhood of Mayo": the town a part of town is named with
_PARTS_OF_TOWN = frozenset({"suburb", "neighbourhood", "neighborhood", "quarter", "district"})
_OWNER_BEFORE = re.compile(r"(?P<owner>[A-Z][\w'’\-]+(?:[ \-][A-Z][\w'’\-]+){0,2})\s+$")
# "Somalia's capital", "the Sudanese capital", with no name after it
_CAPITAL_OF = re.compile(
    r"\b(?:(?P<owner>[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,2})['’]s|the\s+(?P<demonym>[A-Z][\w\-]*))"
    r"\s+capital\b(?!\s*,?\s*(?:city\s+)?(?:of\s+)?[A-Z])"
)
_POSSESSOR = re.compile(r"\b(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})['’]s\s")
_OUTLET_AFTER = re.compile(
    r"\s+(?:[Nn]ews\s+)?(?:[Aa]gency|[Nn]ewspaper|[Tt]elevision|TV|[Rr]adio|[Bb]roadcaster)\b"
)
_BASED = re.compile(r"[-\u2010\u2011](?:based|born|bound|headquartered|registered)\b")
# Words that make an entity an event, not a place ("Jihadist Attack").
_EVENT_WORDS = re.compile(
    r"\b(?:attacks?|strikes?|raids?|bombings?|massacres?|killings?|shelling|explosions?|"
    r"war|offensive|clashes|crisis|conflict)\b",
    re.IGNORECASE,
)


# One capitalised word of six letters or more: a name worth a spelling-tolerant lookup.
_SPELLED_LIKE_A_TOWN = re.compile(r"^[A-Z][a-z'’\-]{5,}$")


def _core(name: str) -> str:
    """A name without a place-type word and a direction ("northern Amhara region" -> "Amhara")."""
    name = _DIRECTION.sub("", name)
    k = _KIND_SUFFIX.search(name)
    return name[: k.start()] if k is not None and k.start() > 0 else name


def _person_surnames(doc: Document) -> frozenset[str]:
    """The last words of the full names (two words or more) the document tags as
    people: a capitalised word found only by its position ("prompting Frazier to
    run") is that person named again, not a town of the same name."""
    out = set()
    for sent in doc.sentences:
        for ent in doc.sentence_ents(sent):
            if ent.label_ != "PERSON" or len(ent) < 2 or _conj_of_place(ent[0]):
                continue  # "Jabalia and Beit Lahia": the small model's place tagged PERSON
            if ent[-1].is_title:
                out.add(normalize(ent[-1].text))
    return frozenset(out)


def _conj_of_place(tok: Any) -> bool:
    """A token of a PERSON entity conjoined to a place ("Jabalia and Beit Lahia"): the
    small model's commonest miss on Arabic toponyms."""
    if tok.ent_type_ != "PERSON":
        return False
    # The entity around the token, from its IOB tags (tok.doc.ents walks the whole paragraph).
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    root = doc[start:end].root
    return root.dep_ == "conj" and root.head.ent_type_ in ("GPE", "LOC", "FAC")


def _is_gaza(name: str) -> bool:
    return name.lower() in ("gaza", "gaza strip")


def _others(points: list[tuple[str, float, float]], key: str) -> list[tuple[float, float]]:
    return [(lat, lon) for k, lat, lon in points if k != key]


def _nearest_to_others(
    cands: tuple[Candidate, ...], others: list[tuple[float, float]]
) -> Candidate | None:
    """The one candidate within NEAR_OTHERS_KM of the document's other places, if only one is."""
    if not others or len(cands) < 2:
        return None
    near = []
    for c in cands:
        d = min(_km(c.lat, c.lon, lat, lon) for lat, lon in others)
        if d <= NEAR_OTHERS_KM:
            near.append((d, c))
    if not near:
        return None
    near.sort(key=lambda x: x[0])
    # Two same-named places both near the story (a town and its suburb) are
    # the same answer at this scale; take the nearer.
    return near[0][1]


# "40 km (25 miles) ", "12 miles ": a distance as reports give it; and its heading
_DISTANCE = (
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>km|kilomet(?:re|er)s?|mi(?:les?)?)\b\.?"
    r"(?:\s*\([^)]{0,30}\))?\s+"
)
_HEADING = r"(?P<dir>(?:north|south)(?:-?(?:east|west))?|east|west)"
# "about 40 km (25 miles) north of the town of Bor": a point told from a town.
_OFFSET = re.compile(
    _DISTANCE
    + _HEADING
    + r"\s+of\s+(?:the\s+)?(?:(?:\w+\s+)?(?:town|city|village|capital)\s+of\s+)?$",
    re.IGNORECASE,
)


def _distance_km(m: re.Match[str]) -> float:
    """The kilometres of a `_DISTANCE` match."""
    n = float(m.group("n"))
    return n * 1.609 if m.group("unit").lower().startswith("mi") else n


def _moved_by(place: Place, before: str) -> Place:
    """The point a report tells by its distance and direction from a town ("40 km
    north of Bor"), as UCDP codes it: the town's point moved that far, with the
    precision of a place near a known one (3 past 50 km); the town's gazetteer id
    dropped, for the point is not the town."""
    m = _OFFSET.search(before)
    if m is None or place.lat is None or place.lon is None or (place.precision or 9) > 2:
        return place
    lead = re.sub(
        r"(?:\b(?:about|some|around|roughly|nearly|approximately|just)\s*)+$",
        "",
        before[: m.start()],
    )
    if lead.rstrip().endswith(","):
        return place  # "the village of X, 15 km north of Y": X is placed from Y (`_place_near_anchors`)
    km = _distance_km(m)
    if not 0 < km <= 100:  # farther, the town says too little of where
        return place
    lat, lon = _destination(
        place.lat, place.lon, km, _COMPASS[m.group("dir").lower().replace("-", "")]
    )
    prec = 2 if km <= 50 else 3
    return dataclasses.replace(
        place,
        lat=round(lat, 5),
        lon=round(lon, 5),
        precision=prec,
        geo_precision=geo_precision(prec),
        geonames_id=None,
        reason=f"{m.group(0).strip()} {place.name}: {OFFSET_FROM_TOWN}",
    )


def _choose(
    cands: tuple[Candidate, ...],
    focus: Counter[str],
    admins: Counter[tuple[str, str]] | None = None,
    others: list[tuple[float, float]] | None = None,
    key: str | None = None,
) -> tuple[Candidate | None, str | None]:
    """The candidate to use, or None and why (candidates are sorted by population)."""
    near = _nearest_to_others(cands, others or [])
    if near is not None:
        return near, None
    countries = list(dict.fromkeys(c.country for c in cands))
    # A name's own lookup adds 1 to its countries' focus: a country the story
    # is about weighs more than that.
    if focus and all(focus.get(k, 0) <= 1 for k in countries):
        lead, weight = focus.most_common(1)[0]
        # a big city on another continent found only by one of its other names
        # ("Taaka", a spelling of Dhaka) says less than the places found by their
        # own name ("Taka"): a village of the story's country the gazetteer lacks
        named = [c for c in cands if key is not None and normalize(c.name) == key]
        far = {c.country for c in cands if continent_of(c.country) != continent_of(lead)}
        weighed = [c for c in cands if c in named or c.country not in far] or list(cands)
        biggest = max(c.population for c in weighed)
        # matched only through an alternate spelling (a village sharing a city's alternate spelling)
        alternate = key is not None and not any(normalize(c.name) == key for c in cands)
        if lead not in countries and (
            (weight >= 3 and biggest < SMALL_OUTSIDE_FOCUS)
            or (weight >= 2 and (biggest < NAMESAKE_ABROAD or alternate))
        ):
            # A village abroad that shares a name with something in the story's
            # own country is likelier a gap in the gazetteer than a digression.
            where = ", ".join(countries)
            return None, (
                f"only candidate is a small place in {where} "
                f"(population {biggest}), outside the document's focus ({lead})"
            )
    if len(countries) > 1:
        scores = {k: focus.get(k, 0) for k in countries}
        best = max(scores.values())
        leaders = [k for k, v in scores.items() if v == best]
        if best > 0 and len(leaders) == 1:
            cands = tuple(c for c in cands if c.country == leaders[0])
        else:
            top = cands[0]
            rival = max(c.population for c in cands if c.country != top.country)
            # Population decides only when one place dwarfs the others (Paris, not Rafah).
            if top.population >= 50_000 and top.population >= 10 * max(rival, 1):
                cands = tuple(c for c in cands if c.country == top.country)
            else:
                listed = "; ".join(
                    f"{c.name} ({c.country}, population {c.population})" for c in cands[:5]
                )
                return None, f"ambiguous: {listed}; the document's country focus does not decide"
    if admins and len(cands) > 1:
        # Within a country, the admin-1 divisions the document names decide
        # ("Alexandria" in a story about Louisiana); population only breaks ties.
        best = max(admins.get((c.country, c.admin1 or ""), 0) for c in cands)
        if best > 0:
            cands = tuple(c for c in cands if admins.get((c.country, c.admin1 or ""), 0) == best)
    return cands[0], None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance in km: plenty at the scale of "near the story's other places"."""
    x = radians(lon2 - lon1) * cos(radians((lat1 + lat2) / 2))
    y = radians(lat2 - lat1)
    return 6371.0 * sqrt(x * x + y * y)


def _close(a: Candidate, b: Candidate, km: float = 25.0) -> bool:
    return _km(a.lat, a.lon, b.lat, b.lon) <= km


def _strip_the(s: str) -> str:
    return s[4:] if s.lower().startswith("the ") else s


# -- places the gazetteer lacks, placed by a town the report says is near ------

NEAR_ANCHOR_KM = 25.0
_COMPASS = {
    "north": 0, "northeast": 45, "east": 90, "southeast": 135,
    "south": 180, "southwest": 225, "west": 270, "northwest": 315,
}  # fmt: skip
# What may follow an unresolved name before the town it is near:
# "X camp, near Y", "X, just outside the town of Y", "X, 20 km north-east of Y",
# "X village, some 12 miles from Y".
_NEAR_AFTER = re.compile(
    r"(?:\s+(?:camps?|villages?|towns?|settlements?|area|neighbou?rhood))?,?\s+"
    r"(?:(?:which|that)\s+(?:is|lies)\s+|(?:located|situated|lying)\s+)?"
    r"(?:(?P<cue>(?:just\s+)?(?:near|outside|close\s+to|next\s+to|on\s+the\s+outskirts\s+of))"
    r"|(?:about\s+|some\s+|around\s+|roughly\s+|nearly\s+|just\s+)?"
    + _DISTANCE
    + r"(?:"
    + _HEADING
    + r"(?:ern)?\s+)?(?:of|from))"
    r"\s+(?:the\s+)?(?:(?:city|town|village|camp|provincial\s+capital|capital)\s+of\s+)?",
    re.IGNORECASE,
)
_NAME_AT = re.compile(_NAME)
# "the X and Y camps and the nearby city of Z": Z is near what the sentence names.
_NEARBY = re.compile(
    r"\bnearby\s+(?:(?:city|town|village|camp|settlement)\s+of\s+)?(?=[A-Z])", re.IGNORECASE
)


def _place_near_anchors(doc: Document, resolve: Callable[[int, int, int], Place | None]) -> None:
    """Give a place the gazetteer lacks (a village, a camp) the point of the town
    the report says it is near, at UCDP's precision 2 ("within about 25 km of a
    known point"): "Zamzam camp, near El Fasher"; "the Wadi Saleh camp and the
    nearby town of Y"; "the village of X, 15 km north of Y" (the point moved 15
    km north). A distance without a direction places it only up to 25 km away;
    farther than that, the name stays unresolved. The report's own words
    decide, so every mention of that name in the report gets the same point."""
    text = doc.text
    unresolved = [
        m
        for m in doc.places
        if isinstance(m.value, Place)
        and m.value.name
        and not m.value.facility
        and (
            (m.value.lat is None and m.value.reason == NOT_IN_GAZETTEER)
            # "Tin-Akof, about 30 km north of Djibo": a namesake the gazetteer
            # holds far from there is checked against the report's own words
            or (m.value.lat is not None and m.value.precision == 1)
        )
    ]
    if not unresolved:
        return
    towns = [
        m
        for m in doc.places
        if isinstance(m.value, Place)
        and m.value.lat is not None
        and m.value.precision in (1, 2)
        and m.value.facility is None
        and m.value.country
    ]
    # the name as written (to find it in other sentences) -> its index key
    keys = {_core(m.value.name).lower(): normalize(_core(m.value.name)) for m in unresolved}
    found: dict[str, tuple[Place, str]] = {}

    def town_at(pos: int, limit: int) -> Mention | None:
        return next((t for t in towns if t.start <= pos < t.end or pos <= t.start < limit), None)

    for si, sent in enumerate(doc.sentences):
        stext = text[sent.start : sent.end]
        low = stext.lower()
        for key, norm in keys.items():
            if norm in found:
                continue
            for km_ in re.finditer(r"\b" + re.escape(key) + r"\b", low):
                m = _NEAR_AFTER.match(stext, km_.end())
                if m is None:
                    continue
                anchor = town_at(sent.start + m.end(), sent.start + m.end() + 1)
                if anchor is not None and anchor.sentence == si:
                    town: Place | None = anchor.value
                else:  # a name the detector left out ("20 km north of Halba")
                    name = _NAME_AT.match(stext, m.end())
                    town = name and resolve(sent.start + m.end(), sent.start + name.end(), si)
                if town is None:
                    continue
                spot = _near_point(town, m)
                if spot is not None:
                    found[norm] = spot
                    break
            else:
                for nb in _NEARBY.finditer(stext):
                    before = low[: nb.start()]
                    if not re.search(r"\b" + re.escape(key) + r"\b", before):
                        continue
                    anchor = town_at(sent.start + nb.end(), sent.start + nb.end() + 1)
                    if anchor is not None and anchor.sentence == si:
                        town = anchor.value
                        found[norm] = (town, f"{town.name}, which the report calls nearby")
                        break
    for m in unresolved:
        hit = found.get(normalize(_core(m.value.name)))
        if hit is None:
            continue
        point, how = hit
        old = m.value
        if old.lat is not None:
            off = _km(old.lat, old.lon, point.lat, point.lon)  # type: ignore[arg-type]
            if off <= _NAMESAKE_KM:
                continue  # the gazetteer's place is where the report puts it
            why = f"the gazetteer's {old.name} lies {off:.0f} km from where the report puts it"
        else:
            why = f"{old.name} is not in the gazetteer"
        m.value = _at_point_of(
            point, old.name, old.facility, geonames_id=None, reason=f"{why}: placed at {how}"
        )
        m.value.attachment, m.value.evidence = old.attachment, old.evidence


# How far the gazetteer's place of a name may lie from where the report's own
# distance and direction put it before the report's words win.
_NAMESAKE_KM = 50.0


def _at_point_of(
    town: Place, name: str | None, facility: str | None, geonames_id: int | None, reason: str
) -> Place:
    """A place told only as at (or near) a town: the town's point, UCDP precision 2."""
    return Place(
        name=name,
        facility=facility,
        lat=town.lat,
        lon=town.lon,
        admin1=town.admin1,
        country=town.country,
        precision=2,
        geo_precision=geo_precision(2),
        geonames_id=geonames_id,
        reason=reason,
    )


def _near_point(town: Place, m: re.Match[str]) -> tuple[Place, str] | None:
    """The point a near-cue gives: the town's own, or moved by a distance and a direction."""
    if m.group("cue"):
        return town, f"{town.name}, which the report says it is {m.group('cue').lower()}"
    km = _distance_km(m)
    direction = (m.group("dir") or "").lower().replace("-", "")
    if not direction:
        if km > NEAR_ANCHOR_KM:
            return None  # somewhere on a circle around the town: no point
        return town, f"{town.name}, {m.group('n')} {m.group('unit')} from it"
    assert town.lat is not None and town.lon is not None
    lat, lon = _destination(town.lat, town.lon, km, _COMPASS[direction])
    moved = dataclasses.replace(town, lat=round(lat, 5), lon=round(lon, 5))
    return moved, f"{m.group('n')} {m.group('unit')} {direction} of {town.name}"


def _destination(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point `km` away from (lat, lon) on a bearing (degrees from north), on a sphere."""
    d = km / 6371.0
    b = radians(bearing)
    p1, l1 = radians(lat), radians(lon)
    p2 = asin(sin(p1) * cos(d) + cos(p1) * sin(d) * cos(b))
    l2 = l1 + atan2(sin(b) * sin(d) * cos(p1), cos(d) - sin(p1) * sin(p2))
    return degrees(p2), (degrees(l2) + 540) % 360 - 180


def _one_sense(doc: Document) -> None:
    """A name the report places once places every bare mention of it: the
    headline's "Tawila" is the lede's "Tawila, North Darfur". Only mentions the
    gazetteer could not place take it; a mention placed on its own keeps its place."""
    placed: dict[str, Place] = {}
    for m in doc.places:
        v = m.value
        if isinstance(v, Place) and v.name and v.lat is not None and not v.facility:
            placed.setdefault(normalize(_core(v.name)), v)
    if not placed:
        return
    for m in doc.places:
        v = m.value
        if not isinstance(v, Place) or not v.name or v.lat is not None or v.facility:
            continue
        if v.precision is not None and v.precision >= 6:
            continue  # a country or a continent is what it says
        same = placed.get(normalize(_core(v.name)))
        if same is not None:
            m.value = dataclasses.replace(same, name=v.name, evidence=v.evidence)
