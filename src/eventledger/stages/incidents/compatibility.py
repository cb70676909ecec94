"""Can two reports describe one attack? Dates, places and facility names compared
at whatever precision each report reached.

Dates: a day stated as a calendar date is exact; a day resolved from a word
relative to publication ("on Friday", "overnight", "yesterday") may be one
off (a Saturday report about "Friday evening"; a strike across midnight); a
day that is merely the day of the report ("today", "said on Monday") may be
the day of a statement made up to a week after the attack. Two exact,
different days never agree. Places: one report's place may contain the other's (facility
within town within admin-1 within country); different countries or
admin-1 regions, different named facilities or two points far apart never
agree.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from datetime import date, timedelta
from importlib import resources

from eventledger.models import Place, When

__all__ = [
    "date_bounds",
    "dates_compatible",
    "days_apart",
    "facilities_match",
    "facility_words",
    "is_exact_day",
    "km_between",
    "places_compatible",
]

# Date rules that read a calendar date in the text: the day is exact.
EXACT_RULES = frozenset({"absolute", "month-day", "month-day-future", "numeric", "synthetic"})
# Rules whose day is that of the report itself: the event may be earlier.
REPORT_DAY_RULES = frozenset({"today", "weekday-same-as-publication"})
# How long before a report-day date ("police said on Wednesday", "today") the
# attack may lie: such a date is the day of the telling, an upper bound on the
# attack's, as much as an undated report's publication day is. Follow-ups and
# press conferences come days after the attack (a Wednesday briefing on a
# weekend shooting). The week matches the linker's look-back for undated
# reports; set on the GVC dev split (3- and 4-day lags among same-incident
# reports, no different-incident pair of one place and week joined by it).
REPORT_DAY_LOOKBACK_DAYS = 7
# Rules that count back from publication: off by one across midnight or time zones.
RELATIVE_RULES = frozenset(
    {"weekday-past", "weekday-future", "yesterday", "tomorrow", "overnight", "last-night",
     "days-ago", "tonight"}
)  # fmt: skip
# A point of a town or finer (UCDP where_prec 1-3); coarser ones stand for an area.
POINT_PRECISION = 3
EARTH_RADIUS_KM = 6371.0
# Words that say what kind of place a facility is, not which one.
FACILITY_KINDS = frozenset(
    """the a an of and for in at hospital hospitals clinic clinics centre center medical
    health healthcare maternity children childrens child women womens general central main
    district regional provincial national field trauma teaching university specialist
    specialized surgical emergency care primary facility unit ward building complex
    camp school market mosque church station post office headquarters""".split()
)
# Arabic and similar articles written before a name ("Al-Rahma", "El Shifa").
ARTICLES = frozenset({"al", "el", "ar", "as", "ash", "at", "ad", "an", "az", "le", "la"})


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def is_exact_day(when: When | None) -> bool:
    """A single day read from a calendar date in the text (or of unknown rule)."""
    return bool(
        when
        and when.precision == "day"
        and when.start
        and when.attachment != "telling"
        and (when.rule in EXACT_RULES or when.rule not in RELATIVE_RULES | REPORT_DAY_RULES)
    )


def _range(when: When | None) -> tuple[date, date] | None:
    """The first and last day a date states; None when it states none."""
    if when is None:
        return None
    start, end = _day(when.start), _day(when.end)
    start, end = start or end, end or start
    return None if start is None or end is None else (start, end)


def date_bounds(when: When | None, max_days: int) -> tuple[date, date] | None:
    """The days the event may fall on: its range, widened by what its rule leaves open."""
    found = _range(when)
    if found is None or when is None:
        return None
    before, after = _slack(when, max_days)
    return found[0] - timedelta(days=before), found[1] + timedelta(days=after)


def _slack(when: When, max_days: int) -> tuple[int, int]:
    """Days the true date may lie before and after the stated one, by its rule."""
    if when.precision == "day" and (when.rule in REPORT_DAY_RULES or when.attachment == "telling"):
        # the day of the report ("police said Tuesday"): the event may be earlier
        return max(max_days, REPORT_DAY_LOOKBACK_DAYS), 1 if when.rule in RELATIVE_RULES else 0
    if when.precision == "day" and when.rule in RELATIVE_RULES:
        return 1, 1
    return 0, 0


def dates_compatible(a: When | None, b: When | None, max_days: int) -> bool:
    """True unless the two dates cannot be one day: unknown dates never conflict.

    The gap between the two ranges may be bridged by the looser of the two
    rules on that side (not by both: two relative days two apart differ).
    """
    if a is None or b is None:
        return True
    ra, rb = _range(a), _range(b)
    if ra is None or rb is None:
        return True
    if ra[0] > rb[0]:
        (a, ra), (b, rb) = (b, rb), (a, ra)
    gap = (rb[0] - ra[1]).days
    if gap <= 0:
        return True
    return gap <= max(_slack(a, max_days)[1], _slack(b, max_days)[0])


def days_apart(a: When | None, b: When | None) -> int:
    """Days between the two dates' stated ranges, without slack: 0 when they
    overlap or either is unknown."""
    ra, rb = _range(a), _range(b)
    if ra is None or rb is None:
        return 0
    return max(0, (rb[0] - ra[1]).days, (ra[0] - rb[1]).days)


def km_between(a: Place, b: Place) -> float | None:
    """Great-circle distance of two placed points; None when either has none."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _fold(text: str) -> str:
    """Lower case without accents or apostrophes: "Ḩalab" -> "halab"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"['’‘`ʿʾ]", "", plain).casefold().strip()


@functools.lru_cache(maxsize=16384)
def _spelling(word: str) -> str:
    """One spelling for transliteration variants: doubled letters and a final h
    after a vowel dropped, common vowel digraphs folded ("Rahmah" ~ "Rahma",
    "Shifaa" ~ "Shifa", "Quds" ~ "Kuds")."""
    w = word
    for a, b in (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ie", "i"), ("ph", "f"), ("q", "k")):
        w = w.replace(a, b)
    w = re.sub(r"(.)\1+", r"\1", w)
    if len(w) > 3 and w.endswith("h") and w[-2] in "aeiouy":
        w = w[:-1]
    if len(w) > 3 and w.endswith("y"):
        w = w[:-1] + "i"
    return w


@functools.lru_cache(maxsize=1)
def _nationalities() -> frozenset[str]:
    """Words of country names and nationalities ("Yemen", "Afghan"): they describe
    where a facility is, never which one it is."""
    data = resources.files("eventledger").joinpath("data")
    text = data.joinpath("demonyms.tsv").read_text("utf-8")
    words = {_fold(line.split("\t")[0]) for line in text.splitlines() if line and line[0] != "#"}
    words |= {w + "s" for w in words}
    countries = json.loads(data.joinpath("countries.geojson").read_text("utf-8"))
    for feature in countries["features"]:
        words.update(_fold(feature["properties"]["name"]).split())
    return frozenset(words)


@functools.lru_cache(maxsize=16384)
def facility_words(name: str) -> frozenset[str]:
    """The words that say which facility a name is, spelled one way: "the Al-Rahmah
    Maternity Hospital" -> {"rahma"}. Empty for a name that is only a kind."""
    words = re.split(r"[\s\-–/,.()]+", _fold(name))
    return frozenset(
        _spelling(w)
        for w in words
        if w
        and w not in FACILITY_KINDS
        and w not in ARTICLES
        and w not in _nationalities()
        and not w.isdigit()
    )


def _place_words(place: Place | None) -> frozenset[str]:
    """The words of a place's own name and region: "Kharkiv hospital" names a town."""
    if place is None:
        return frozenset()
    return frozenset().union(*(facility_words(n) for n in (place.name, place.admin1) if n))


def facilities_match(a: Place | None, b: Place | None) -> bool | None:
    """True when two places' facility names name one facility ("Al-Rahma" and "the
    Al Rahmah Hospital"), False when they name two, None when either has none or
    says only what kind of place it is ("the hospital", "the Afghan hospital")."""
    if a is None or b is None or not a.facility or not b.facility:
        return None
    towns = _place_words(a) | _place_words(b)
    wa, wb = facility_words(a.facility) - towns, facility_words(b.facility) - towns
    if not wa or not wb:
        return None
    if wa <= wb or wb <= wa:
        return True
    # "Kamal Adwan" and "Kamal Udwan": one name in two vowels (long enough to tell)
    ba, bb = {_bones(w) for w in wa}, {_bones(w) for w in wb}
    return ba == bb and sum(len(x) for x in ba) >= 5 and all(len(x) >= 2 for x in ba)


def _bones(word: str) -> str:
    """A facility word without its vowels: transliterations differ mostly there."""
    return re.sub(r"[aeiou]", "", word)


def _same(a: str | None, b: str | None) -> bool | None:
    if not a or not b:
        return None
    return _fold(a) == _fold(b)


def places_compatible(a: Place | None, b: Place | None, far_km: float) -> bool:
    """True unless the places cannot hold one attack: other countries, other admin-1
    regions, two named facilities that differ, or two town-level points far apart."""
    if a is None or b is None:
        return True
    if _same(a.country, b.country) is False:
        return False
    if facilities_match(a, b) is False:
        return False
    if a.geonames_id and a.geonames_id == b.geonames_id:
        return True
    km = km_between(a, b)
    precise = (a.precision or 9) <= POINT_PRECISION and (b.precision or 9) <= POINT_PRECISION
    if km is not None and precise and km > far_km:
        return False
    return _same(a.admin1, b.admin1) is not False or (km is not None and km <= far_km)
