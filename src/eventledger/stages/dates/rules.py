"""Temporal expressions found by rules and spaCy, resolved against the publication date.

Relative forms (weekdays, "yesterday", "overnight", "last week", ...) are
resolved by our own rules; dateparser is used only as a cached fallback for
absolute dates our patterns do not read. A relative form with no publication
date to anchor it stays unresolved with a reason: never the publication date
by default. When metadata gives no publication date, a wire dateline
("KHARTOUM, June 3, 2024 (Reuters) -") may; one without a year gives none.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from eventledger.models import When
from eventledger.pipeline import Document, Mention, register

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = [
    "DateRules",
    "Dateline",
    "Resolution",
    "parse_published",
    "read_dateline",
    "resolve_expression",
    "resolve_text",
]

NO_ANCHOR = "no publication date to anchor a relative date"
NO_EARLIER_DAY = "no day named before it in the report to count back from"
SINCE_OPEN = "start known; no publication date to close the range"
AMBIGUOUS_NUMERIC = "numeric date reads both day-first and month-first"
NO_YEAR = "the dateline gives month and day but no year, so no full publication date"

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_ABBR = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"

# Ordered: the first pattern that matches at a position wins, longer forms first.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("iso", r"\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b"),
    ("past-week", r"\b(?:over|in|during)\s+the\s+(?:past|last)\s+(?:week|seven\s+days|7\s+days)\b"),
    (
        "weekday",
        r"\b(?:(?:early|late)\s+(?:on\s+)?)?(?:(?P<rel>last|next|this|on)\s+)?"
        + _WD
        + _PART
        + r"\b",
    ),
    ("numeric", r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:19|20)\d\d)\b"),
    ("numeric-ymd", r"\b(?P<y>(?:19|20)\d\d)/(?P<b>[01]?\d)/(?P<a>[0-3]?\d)\b"),
    (
        "ago",
        r"\b(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
        r"\s+(?P<unit>day|week|month|year|decade)s?\s+ago\b",
    ),
    (
        "since",
        r"\bsince\s+(?:(?P<year>(?:19|20)\d\d)|"
        + _MON.replace("?P<mon>", "?P<smon>")
        + r"(?:\s+(?P<sday>[0-3]?\d)(?:st|nd|rd|th)?)?"
        r"(?:,?\s+(?P<syear>(?:19|20)\d\d)|,?\s+(?:of\s+)?(?P<syrel>last|this)\s+year)?)\b",
    ),
    (
        "part-of-month",
        r"\b(?P<part>early|mid|late)[\s-]+(?:(?P<which>last|this)\s+month|"
        + _MON.replace("?P<mon>", "?P<pmon>")
        + r"(?:\s+(?P<pyear>(?:19|20)\d\d)|,?\s+(?:of\s+)?(?P<pyrel>last|this)\s+year)?)\b",
    ),
    # "overnight Friday" is Friday's night: the weekday resolves it, not "overnight"
    (
        "overnight",
        r"\bovernight\b(?!\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|"
        r"sunday)\b)",
    ),
    # "a day earlier", "two days before,", "the previous day": counted back from the
    # last day the report named, not from publication
    (
        "days-earlier",
        r"\b(?:(?P<n>a|one|two|three|four|five|six|\d)\s+(?P<unit>days?|weeks?)\s+"
        r"(?:earlier|before(?=\s*[,.;]))|the\s+(?:day|night)\s+before(?=\s*[,.;])|"
        r"the\s+previous\s+(?:day|night)|the\s+day\s+prior(?=\s*[,.;]))\b",
    ),
    ("last-night", r"\blast\s+night\b"),
    ("yesterday", r"\byesterday\b"),
    ("tomorrow", r"\btomorrow\b"),
    ("today", r"\b(?:earlier\s+)?today\b|\bthis\s+morning\b"),
    ("earlier-this-month", r"\b(?:earlier|so\s+far)\s+this\s+month\b"),
    ("earlier-this-week", r"\b(?:earlier|so\s+far)\s+this\s+week\b"),
    ("this-week", r"\bthis\s+week\b"),
    ("this-month", r"\bthis\s+month\b"),
    # "between April and November last year", "from April to June 2023": a span of months
    (
        "month-range",
        r"\b(?:between|from)\s+"
        + _MON.replace("?P<mon>", "?P<rmon1>")
        + r"\s+(?:and|to|until|through)\s+"
        + _MON.replace("?P<mon>", "?P<rmon2>")
        + r"(?:,?\s+(?P<ryear>(?:19|20)\d\d)|,?\s+(?:of\s+)?(?P<ryrel>last|this)\s+year)?\b",
    ),
    # "in March last year", "March of last year": the month of the year named
    (
        "month-year-rel",
        r"\b(?:in\s+)?(?P<mon>january|february|march|april|may|june|july|august|september|"
        r"october|november|december),?\s+(?:of\s+)?(?P<yrel>last|this)\s+year\b",
    ),
    ("this-year", r"\bthis\s+year\b"),
    ("last-week", r"\blast\s+week(?:end)?\b"),
    ("last-month", r"\blast\s+month\b"),
    ("last-year", r"\blast\s+year\b"),
    ("month-day-year", r"\b" + _MON + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?\b"),
    ("day-month-year", r"\b" + _DAY + r"\s+(?:of\s+)?" + _MON + r"(?:,?\s+" + _YEAR + r")?\b"),
    ("month-year", r"\b(?:in\s+)?" + _MON + r",?\s+" + _YEAR + r"\b"),
    (
        "month-rel",
        r"\b(?P<mrel>last|this|next|early|late)\s+(?P<mon>january|february|march|april|may|june|july|"
        r"august|september|october|november|december)\b",
    ),
    (
        "month",
        r"\bin\s+(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december)\b",
    ),
    ("year", r"\b(?:in|during)\s+" + _YEAR + r"\b"),
)

_COMPILED = tuple((kind, re.compile(p, re.IGNORECASE)) for kind, p in _PATTERNS)

# Words that put the governing verb in the future ("will", "is due to meet").
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_FUTURE_HEADS = frozenset({"due", "plan", "expect", "schedule", "set", "intend", "aim"})
_FUTURE_SENT = re.compile(
    r"\b(?:will|shall|is\s+due\s+to|are\s+due\s+to|plans?\s+to|is\s+expected\s+to|"
    r"is\s+scheduled\s+to|is\s+set\s+to|tomorrow)\b",
    re.IGNORECASE,
)
# Durations and clock times that are not calendar dates.
_NOT_A_DATE = re.compile(
    r"^(?:(?:about|around|some|nearly|almost|more\s+than|at\s+least|for|the\s+)?\s*"
    r"(?:\w+\s+)?(?:hours?|minutes?|seconds?|days?|weeks?|months?|years?|decades?)"
    r"(?:\s+(?:later|earlier|ago|before|after|long|old))?)$",
    re.IGNORECASE,
)


# "2009", "the year 2009", "2009's": a calendar year on its own.
_BARE_YEAR = re.compile(r"(?:the\s+(?:year\s+)?)?(?P<year>(?:19|20)\d\d)(?:['’]s)?", re.IGNORECASE)


# A month name alone, read only when spaCy calls it a DATE ("May" is also a verb).
_BARE_MONTH = re.compile(
    r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november|"
    r"december)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Resolution:
    """A resolved (or knowingly unresolved) date range for one expression."""

    start: date | None
    end: date | None
    precision: str | None
    rule: str
    reason: str | None = None


def parse_published(published: str | None) -> date | None:
    """The publication day from an ISO date or date-time string; None when absent or unreadable."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def _month_number(token: str) -> int:
    return MONTH_ABBR.index(token.lower()[:3]) + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_SAID_BEFORE = re.compile(
    r"\b(?:said|says|told|added|reported|announced|stated|confirmed)\s+(?:on\s+|late\s+)?$",
    re.IGNORECASE,
)


def _unanchored(rule: str) -> Resolution:
    return Resolution(None, None, None, rule, NO_ANCHOR)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve_weekday(m: re.Match[str], pub: date | None, future: bool) -> Resolution:
    wd = WEEKDAYS.index(m.group("wd").lower())
    rel = (m.group("rel") or "").lower()
    if rel == "next":
        future = True
    elif rel == "last":
        future = False
    if pub is None:
        return _unanchored("weekday-future" if future else "weekday-past")
    if future:
        delta = (wd - pub.weekday()) % 7 or 7
        day = pub + timedelta(days=delta)
        return Resolution(day, day, "day", "weekday-future")
    delta = (pub.weekday() - wd) % 7
    if delta == 0 and rel == "last":
        delta = 7
    day = pub - timedelta(days=delta)
    rule = "weekday-same-as-publication" if delta == 0 else "weekday-past"
    return Resolution(day, day, "day", rule)


def _resolve_month_day(
    month: int, day: int, year: int | None, pub: date | None, future: bool | None
) -> Resolution | None:
    if year is not None:
        d = _safe_date(year, month, day)
        return Resolution(d, d, "day", "absolute") if d else None
    if pub is None:
        return _unanchored("month-day")
    if future is None:
        # Tense unknown ("by Jan. 14", "Monday, Oct. 26"): the nearer of the two readings.
        past = _resolve_month_day(month, day, None, pub, False)
        ahead = _resolve_month_day(month, day, None, pub, True)
        if past is None or past.start is None:
            return ahead
        if ahead is None or ahead.start is None or ahead.start == past.start:
            return past
        return ahead if (ahead.start - pub) < (pub - past.start) else past
    if future:
        for y in (pub.year, pub.year + 1):
            d = _safe_date(y, month, day)
            if d and d >= pub:
                return Resolution(d, d, "day", "month-day-future")
        return None
    for y in range(pub.year, pub.year - 8, -1):  # Feb 29 may need a few years back
        d = _safe_date(y, month, day)
        if d and d <= pub:
            return Resolution(d, d, "day", "month-day")
    return None


def resolve_expression(
    kind: str, m: re.Match[str], pub: date | None, future: bool | None
) -> Resolution | None:
    """Resolve one pattern match of `kind`; None when it turns out not to be a date.

    `future`: True for a future-tense context, False for a past one, None when
    the tense is unknown (then past, except a month-day, which takes the nearer reading).
    """
    if kind == "iso":
        d = date.fromisoformat(m.group("iso")) if _valid_iso(m.group("iso")) else None
        return Resolution(d, d, "day", "absolute") if d else None
    if kind == "weekday":
        return _resolve_weekday(m, pub, future)
    if kind in ("month-day-year", "day-month-year"):
        day = int(m.group("day"))
        year = int(m.group("year")) if m.group("year") else None
        return _resolve_month_day(_month_number(m.group("mon")), day, year, pub, future)
    if kind == "month-year":
        month, year = _month_number(m.group("mon")), int(m.group("year"))
        return Resolution(date(year, month, 1), _month_end(year, month), "month", "absolute")
    if kind == "year":
        year = int(m.group("year"))
        end = date(year, 12, 31)
        if pub is not None and pub.year == year and not future:
            end = pub  # "in 2024" in a past report cannot reach past publication
        return Resolution(date(year, 1, 1), end, "year", "year")
    if kind in ("numeric", "numeric-ymd"):
        return _resolve_numeric(kind, m)
    if kind == "since" and m.group("year"):
        year = int(m.group("year"))
        if pub is None:
            return Resolution(date(year, 1, 1), None, "year", "since", SINCE_OPEN)
        return Resolution(date(year, 1, 1), pub, "year", "since") if year <= pub.year else None
    if kind == "part-of-month" and m.group("pyear"):
        month, year = _month_number(m.group("pmon")), int(m.group("pyear"))
        return _part_of_month(m.group("part"), year, month, None)
    if kind == "days-earlier":
        return Resolution(None, None, None, kind, NO_EARLIER_DAY)  # `DateRules` counts it back
    if pub is None:
        return _unanchored(kind)
    if kind == "past-week":
        return Resolution(pub - timedelta(days=7), pub, "week", "duration-past-week")
    if kind in ("overnight", "last-night"):
        return Resolution(pub - timedelta(days=1), pub, "day", kind)
    if kind == "yesterday":
        d = pub - timedelta(days=1)
        return Resolution(d, d, "day", "yesterday")
    if kind == "tomorrow":
        d = pub + timedelta(days=1)
        return Resolution(d, d, "day", "tomorrow")
    if kind == "today":
        return Resolution(pub, pub, "day", "today")
    if kind == "earlier-this-month":
        return Resolution(pub.replace(day=1), pub, "month", "earlier-this-month")
    if kind == "earlier-this-week":
        return Resolution(pub - timedelta(days=pub.weekday()), pub, "week", "earlier-this-week")
    if kind == "this-week":
        monday = pub - timedelta(days=pub.weekday())
        if future:
            return Resolution(monday, monday + timedelta(days=6), "week", "this-week")
        return Resolution(monday, pub, "week", "this-week")
    if kind == "this-month":
        if future:
            return Resolution(
                pub.replace(day=1), _month_end(pub.year, pub.month), "month", "this-month"
            )
        return Resolution(pub.replace(day=1), pub, "month", "this-month")
    if kind == "this-year":
        end = date(pub.year, 12, 31) if future else pub
        return Resolution(date(pub.year, 1, 1), end, "year", "this-year")
    if kind == "ago":
        return _resolve_ago(m, pub)
    if kind == "since":
        month = _month_number(m.group("smon"))
        if m.group("syear"):
            year = int(m.group("syear"))
        elif m.group("syrel"):
            year = (
                pub.year - 1 if m.group("syrel").lower() == "last" else pub.year
            )  # "since May last year"
        else:
            year = pub.year if month <= pub.month else pub.year - 1
        if m.group("sday"):
            day = int(m.group("sday"))
            start = _safe_date(year, month, day)
            if start is not None and start > pub and not m.group("syear"):
                start = _safe_date(year - 1, month, day)  # "since March 2" on 1 March
            if start is None or start > pub:
                return None
            # A range from a known day to publication: the start is exact, the
            # event anywhere inside, so the range claims no single day (not
            # even "since March 2" published on March 2).
            prec = _coarser(_range_precision(start, pub), "week")
            return Resolution(start, pub, prec, "since")
        start = date(year, month, 1)
        # Never finer than the expression ("since October" is a month at best).
        prec = _coarser(_range_precision(start, pub), "month")
        return Resolution(start, pub, prec, "since") if start <= pub else None
    if kind == "part-of-month":
        if m.group("which"):
            ref = pub if m.group("which").lower() == "this" else pub.replace(day=1) - timedelta(1)
            year, month = ref.year, ref.month
        elif m.group("pyrel"):
            # "in late March last year"
            month = _month_number(m.group("pmon"))
            year = pub.year - 1 if m.group("pyrel").lower() == "last" else pub.year
            return _part_of_month(m.group("part"), year, month, None)
        else:
            month = _month_number(m.group("pmon"))
            if future:
                year = pub.year if month >= pub.month else pub.year + 1
            else:
                year = pub.year if month <= pub.month else pub.year - 1
                # "mid-January" on 5 January: last year's, the only one that is past.
                if _part_of_month(m.group("part"), year, month, pub) is None:
                    year -= 1
        return _part_of_month(m.group("part"), year, month, None if future else pub)
    if kind == "last-week":
        monday = pub - timedelta(days=pub.weekday() + 7)
        return Resolution(monday, monday + timedelta(days=6), "week", "last-week")
    if kind == "last-month":
        last = pub.replace(day=1) - timedelta(days=1)
        return Resolution(last.replace(day=1), last, "month", "last-month")
    if kind == "month-range":
        first, last = _month_number(m.group("rmon1")), _month_number(m.group("rmon2"))
        if m.group("ryear"):
            year = int(m.group("ryear"))
        elif m.group("ryrel"):
            year = pub.year - 1 if m.group("ryrel").lower() == "last" else pub.year
        else:
            year = pub.year if last <= pub.month else pub.year - 1
        start = date(year - 1 if first > last else year, first, 1)
        end = _month_end(year, last)
        if pub is not None and end > pub and not m.group("ryear"):
            end = pub
        return Resolution(start, end, _range_precision(start, end), "month-range")
    if kind == "month-year-rel":
        month = _month_number(m.group("mon"))
        year = pub.year - 1 if m.group("yrel").lower() == "last" else pub.year
        return Resolution(date(year, month, 1), _month_end(year, month), "month", "month-year-rel")
    if kind == "last-year":
        y = pub.year - 1
        return Resolution(date(y, 1, 1), date(y, 12, 31), "year", "last-year")
    if kind == "month-rel" and m.group("mrel").lower() in ("early", "late"):
        return None  # "early March" belongs to part-of-month; reached only via resolve_span
    if kind == "month-rel":
        month, rel = _month_number(m.group("mon")), m.group("mrel").lower()
        if rel == "this":
            year = pub.year
        elif rel == "next":
            year = pub.year if month > pub.month else pub.year + 1
        else:  # "last November": the most recent one before this month
            year = pub.year if month < pub.month else pub.year - 1
        end = _month_end(year, month)
        if rel != "next" and end > pub:
            end = pub if date(year, month, 1) <= pub else end
        return Resolution(date(year, month, 1), end, "month", f"{rel}-month-name")
    if kind in ("month", "bare-month"):
        month = _month_number(m.group("mon"))
        if future:
            year = pub.year if month >= pub.month else pub.year + 1
            return Resolution(
                date(year, month, 1), _month_end(year, month), "month", "month-future"
            )
        year = pub.year if month <= pub.month else pub.year - 1
        end = min(_month_end(year, month), pub)
        return Resolution(date(year, month, 1), end, "month", "month")
    return None


_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}


_RANK = ("day", "week", "month", "year")


def _coarser(a: str, b: str) -> str:
    return a if _RANK.index(a) >= _RANK.index(b) else b


def _range_precision(start: date, end: date) -> str:
    """The finest precision a range of this length may claim."""
    days = (end - start).days
    if days < 1:
        return "day"
    if days < 7:
        return "week"
    if days < 31:
        return "month"
    return "year"


@dataclass(frozen=True, slots=True)
class Dateline:
    """A wire dateline's date ("KHARTOUM, June 3 (Reuters) -"): chars of the date part."""

    start: int
    end: int
    month: int
    day: int
    year: int | None


_DATELINE = re.compile(
    r"\A\s*(?:(?P<city>[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,3})(?:,\s*[A-Z][\w.'’ ]{1,30})?"
    r",\s*)?(?P<date>"
    + _MON
    + r"\s+"
    + _DAY
    + r"(?:,?\s+"
    + _YEAR
    + r")?)\s*(?P<agency>\((?:Reuters|AP|AFP|UPI|dpa|IANS|PTI|Xinhua|AA|Anadolu|ANI|WAFA|"
    r"SANA|IRNA|TASS|Ukrinform|EFE|ANSA|Kyodo|Yonhap|Bernama|APA|KUNA|SPA)\))?\s*[-—–:]",
    re.IGNORECASE,
)


def read_dateline(text: str) -> Dateline | None:
    """The dateline at the start of `text`, if it has one (a city in capitals or an agency)."""
    m = _DATELINE.match(text[:300])
    if m is None or not (m.group("agency") or (m.group("city") and m.group("city").isupper())):
        return None
    year = int(m.group("year")) if m.group("year") else None
    day = int(m.group("day"))
    month = _month_number(m.group("mon"))
    if _safe_date(year or 2000, month, day) is None:  # 2000 is a leap year: Feb 29 passes
        return None
    return Dateline(m.start("date"), m.end("date"), month, day, year)


_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _count_back(expr: str, day: date | None) -> Resolution:
    """ "A day earlier", "two weeks before", "the previous night": so long before
    the last day the report named; unresolved when it named none."""
    if day is None:
        return Resolution(None, None, None, "days-earlier", NO_EARLIER_DAY)
    m = re.match(r"\s*(?P<n>\w+)\s+(?P<unit>day|week)", expr, re.IGNORECASE)
    n, unit = (1, "day") if m is None else (m.group("n").lower(), m.group("unit").lower())
    days = (int(n) if str(n).isdigit() else _COUNTS.get(str(n), 1)) * (7 if unit == "week" else 1)
    start = day - timedelta(days=days)
    if unit == "week":
        return Resolution(
            start - timedelta(days=3), start + timedelta(days=3), "week", "days-earlier"
        )
    return Resolution(start, start, "day", "days-earlier")


def _resolve_ago(m: re.Match[str], pub: date) -> Resolution | None:
    word = m.group("n").lower()
    n = _NUMBERS.get(word) or (int(word) if word.isdigit() else 0)
    unit = m.group("unit").lower()
    if unit == "day":
        d = pub - timedelta(days=n)
        return Resolution(d, d, "day", "days-ago")
    if unit == "week":
        # "three weeks ago" names a week, not a day: the Monday-Sunday week
        # holding the day n*7 days back.
        back = pub - timedelta(days=7 * n)
        monday = back - timedelta(days=back.weekday())
        return Resolution(monday, min(monday + timedelta(days=6), pub), "week", "weeks-ago")
    if unit == "month":
        y, mo = divmod(pub.year * 12 + pub.month - 1 - n, 12)
        mo += 1
        return Resolution(date(y, mo, 1), min(_month_end(y, mo), pub), "month", "months-ago")
    y = pub.year - n * (10 if unit == "decade" else 1)
    return Resolution(date(y, 1, 1), date(y, 12, 31), "year", f"{unit}s-ago")


def _part_of_month(part: str, year: int, month: int, cap: date | None) -> Resolution | None:
    """Early (1-10), mid (11-20) or late (21-end) in a month; precision stays "month"."""
    first, last = {"early": (1, 10), "mid": (11, 20)}.get(
        part.lower(), (21, calendar.monthrange(year, month)[1])
    )
    start, end = date(year, month, first), date(year, month, last)
    if cap is not None:
        if start > cap:
            return None
        end = min(end, cap)
    return Resolution(start, end, "month", f"{part.lower()}-month")


def _resolve_numeric(kind: str, m: re.Match[str]) -> Resolution | None:
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    if kind == "numeric-ymd":
        d = _safe_date(y, b, a)
        return Resolution(d, d, "day", "numeric") if d else None
    readings = {d for d in (_safe_date(y, b, a), _safe_date(y, a, b)) if d is not None}
    if len(readings) == 1:
        d = readings.pop()
        return Resolution(d, d, "day", "numeric")
    if not readings:
        return None
    # 03/04/2024: day-first or month-first; the text alone cannot say which.
    return Resolution(None, None, None, "numeric", AMBIGUOUS_NUMERIC)


def resolve_text(text: str, published: date | None, *, future: bool = False) -> Resolution | None:
    """Resolve an expression that one of the rules reads whole; None when none does."""
    for kind, rx in _COMPILED:
        m = rx.fullmatch(text.strip())
        if m:
            return resolve_expression(kind, m, published, future)
    return None


def _valid_iso(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


_MODALS = frozenset({"must", "should", "could", "can", "may", "might", "would"})


def _tense(sent_span: Any, start_char: int, end_char: int) -> bool | None:
    """True: future; False: past; None: neither is clear (present, modal, no verb)."""
    if _is_future(sent_span, start_char, end_char):
        return True
    span = sent_span.doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    for _ in range(5):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in _MODALS for c in aux):
        return None
    if tok.tag_ == "VBD" or any(c.tag_ == "VBD" for c in aux):
        return False
    if tok.tag_ == "VBN" and any(c.lemma_ == "have" for c in aux):
        return False
    if tok.tag_ == "VBN" and not aux:
        return False  # a reduced clause ("the strike, carried out Monday")
    return None


def _is_future(sent_span: Any, start_char: int, end_char: int) -> bool:
    """Whether the verb governing the expression (chars relative to the paragraph) is future."""
    span = sent_span.doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None:
        return bool(_FUTURE_SENT.search(sent_span.text))
    tok = span.root
    for _ in range(5):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return bool(_FUTURE_SENT.search(sent_span.text))
    if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in tok.children):
        return True
    if tok.tag_ in ("VBD", "VBN"):
        return False
    head = tok.head
    if tok.dep_ in ("xcomp", "ccomp", "advcl") and head.lemma_.lower() in _FUTURE_HEADS:
        return head.tag_ not in ("VBD",) or head.lemma_.lower() == "due"
    if tok.lemma_.lower() in _FUTURE_HEADS and tok.tag_ in ("VBZ", "VBP", "JJ"):
        return True
    return False


@register("dates.rules.v1")
class DateRules:
    """Fill `doc.dates` with temporal expressions resolved against the publication date."""

    requires: tuple[str, ...] = ("doc.sentences", "article.published")
    # article.published(_source) only when metadata had none and a dateline gives one.
    assigns: tuple[str, ...] = ("doc.dates", "article.published", "article.published_source")

    def __init__(self, settings: Settings | None = None) -> None:
        self._patterns = _COMPILED
        self._absolute_cache: dict[tuple[str, date | None], Resolution | None] = {}
        self._dateparser: Any = None

    def __call__(self, doc: Document) -> Document:
        doc.dates = []
        text = doc.text
        dateline = self._dateline(doc)
        pub = parse_published(doc.article.published)
        last_day: date | None = None  # the last day the report named, for "a day earlier"
        for i, sent in enumerate(doc.sentences):
            taken: list[tuple[int, int]] = []
            found: list[tuple[int, int, Resolution]] = []
            if dateline is not None and sent.start <= dateline[0] < sent.end:
                taken.append((dateline[0], dateline[1]))
                found.append(dateline)
            sent_text = text[sent.start : sent.end]
            for kind, rx in self._patterns:
                for m in rx.finditer(sent_text):
                    s, e = sent.start + m.start(), sent.start + m.end()
                    if any(s < te and ts < e for ts, te in taken):
                        continue
                    future = _tense(sent.span, s - sent.offset, e - sent.offset)
                    res = resolve_expression(kind, m, pub, future)
                    if res is None:
                        continue
                    taken.append((s, e))
                    found.append((s, e, res))
            for ent in doc.sentence_ents(sent):
                if ent.label_ != "DATE":
                    continue  # TIME entities ("at 3 pm", "hours later") are not dates
                s, e = sent.offset + ent.start_char, sent.offset + ent.end_char
                if any(s < te and ts < e for ts, te in taken):
                    continue
                taken.append((s, e))
                found.append((s, e, self._resolve_other(ent.text, pub)))
            for s, e, res in sorted(found, key=lambda f: f[0]):
                if res.rule == "days-earlier":
                    res = _count_back(text[s:e], last_day)
                elif (
                    res.precision == "day"
                    and res.start is not None
                    and res.rule != "dateline"
                    # "an official said on Tuesday": the day of the telling is no
                    # day of the deeds that "two days earlier" counts back from
                    and not _SAID_BEFORE.search(text[max(0, s - 24) : s])
                ):
                    last_day = res.start
                when = When(
                    start=res.start.isoformat() if res.start else None,
                    end=res.end.isoformat() if res.end else None,
                    precision=res.precision,
                    text=text[s:e],
                    rule=res.rule,
                    reason=res.reason,
                    evidence=[doc.evidence(s, e)],
                )
                doc.dates.append(Mention(s, e, when, i))
        return doc

    def resolve_span(self, doc: Document, start: int, end: int) -> When:
        """Resolve one given span (a gold timex, say) with these rules and its sentence's tense."""
        pub = parse_published(doc.article.published)
        expr = doc.text[start:end]
        best: tuple[str, re.Match[str]] | None = None
        for kind, rx in self._patterns:
            for m in rx.finditer(expr):
                if best is None or m.end() - m.start() > best[1].end() - best[1].start():
                    best = (kind, m)
        res: Resolution | None = None
        if best is not None:
            kind, m = best
            i = doc.sentence_at(start)
            future: bool | None = None
            if i is not None:
                sent = doc.sentences[i]
                s, e = start + m.start() - sent.offset, start + m.end() - sent.offset
                future = _tense(sent.span, s, e)
            res = resolve_expression(kind, m, pub, future)
        if res is None:
            res = self._resolve_other(expr, pub)
        return When(
            start=res.start.isoformat() if res.start else None,
            end=res.end.isoformat() if res.end else None,
            precision=res.precision,
            text=expr,
            rule=res.rule,
            reason=res.reason,
            evidence=[doc.evidence(start, end)],
        )

    @staticmethod
    def _dateline(doc: Document) -> tuple[int, int, Resolution] | None:
        """Read the publication date from a dateline when metadata gave none.

        A dateline without a year leaves `published` unset: the year is never
        guessed (not the current year, not a year named elsewhere in the text).
        """
        if doc.article.published is not None:
            return None
        dl = read_dateline(doc.text)
        if dl is None:
            return None
        if dl.year is None:
            return (dl.start, dl.end, Resolution(None, None, None, "dateline", NO_YEAR))
        day = date(dl.year, dl.month, dl.day)
        doc.article.published = day.isoformat()
        doc.article.published_source = "dateline"
        return (dl.start, dl.end, Resolution(day, day, "day", "dateline"))

    def _resolve_other(self, expr: str, pub: date | None) -> Resolution:
        """A spaCy DATE our rules did not read: absolute via dateparser, else unresolved."""
        if _NOT_A_DATE.match(expr.strip()):
            return Resolution(None, None, None, "duration", "a duration, not a calendar date")
        month = _BARE_MONTH.fullmatch(expr.strip())
        if month and pub is not None:
            res = resolve_expression("bare-month", month, pub, False)
            if res is not None:
                return res
        bare = _BARE_YEAR.fullmatch(expr.strip())
        if bare:
            year = int(bare.group("year"))
            return Resolution(date(year, 1, 1), date(year, 12, 31), "year", "year")
        key = (expr, pub)
        if key not in self._absolute_cache:
            self._absolute_cache[key] = self._parse_absolute(expr, pub)
        res = self._absolute_cache[key]
        if res is not None:
            return res
        return Resolution(None, None, None, "unresolved", "no rule reads this expression")

    def _parse_absolute(self, expr: str, pub: date | None) -> Resolution | None:
        # Only expressions that name a month or a full numeric date are worth
        # dateparser's cost; it would misread weekdays and relative forms.
        low = expr.lower()
        if not (any(m[:3] in low for m in MONTHS) and re.search(r"\d", low)) and not re.search(
            r"\d{1,4}[/.]\d{1,2}[/.]\d{2,4}", low
        ):
            return None
        if self._dateparser is None:
            import dateparser

            self._dateparser = dateparser
        settings: dict[str, Any] = {
            "REQUIRE_PARTS": ["day", "month", "year"] if pub is None else ["day", "month"],
            "PREFER_DATES_FROM": "past",
        }
        if pub is not None:
            settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
        got = self._dateparser.parse(expr, languages=["en"], settings=settings)
        if got is None:
            return None
        d = got.date()
        return Resolution(d, d, "day", "absolute")
