"""Temporal expressions found by rules and spaCy, resolved against the publication date.

Relative forms (weekdays, "yesterday", "overnight", "last week", ...) are
resolved by our own rules; dateparser is used only as a cached fallback for
absolute dates our patterns do not read. A relative form with no publication
date to anchor it stays unresolved with a reason: never the publication date
by default.
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

__all__ = ["DateRules", "Resolution", "parse_published", "resolve_expression", "resolve_text"]

NO_ANCHOR = "no publication date to anchor a relative date"

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
    ("overnight", r"\bovernight\b"),
    ("last-night", r"\blast\s+night\b"),
    ("yesterday", r"\byesterday\b"),
    ("today", r"\b(?:earlier\s+)?today\b|\bthis\s+morning\b"),
    ("earlier-this-month", r"\b(?:earlier|so\s+far)\s+this\s+month\b"),
    ("earlier-this-week", r"\b(?:earlier|so\s+far)\s+this\s+week\b"),
    ("last-week", r"\blast\s+week(?:end)?\b"),
    ("last-month", r"\blast\s+month\b"),
    ("last-year", r"\blast\s+year\b"),
    ("month-day-year", r"\b" + _MON + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?\b"),
    ("day-month-year", r"\b" + _DAY + r"\s+(?:of\s+)?" + _MON + r"(?:,?\s+" + _YEAR + r")?\b"),
    ("month-year", r"\b(?:in\s+)?" + _MON + r",?\s+" + _YEAR + r"\b"),
    (
        "month",
        r"\bin\s+(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december)\b",
    ),
    ("year", r"\b(?:in|since|during)\s+" + _YEAR + r"\b"),
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
    month: int, day: int, year: int | None, pub: date | None, future: bool
) -> Resolution | None:
    if year is not None:
        d = _safe_date(year, month, day)
        return Resolution(d, d, "day", "absolute") if d else None
    if pub is None:
        return _unanchored("month-day")
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
    kind: str, m: re.Match[str], pub: date | None, future: bool
) -> Resolution | None:
    """Resolve one pattern match of `kind`; None when it turns out not to be a date."""
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
    if pub is None:
        return _unanchored(kind)
    if kind == "past-week":
        return Resolution(pub - timedelta(days=7), pub, "week", "duration-past-week")
    if kind in ("overnight", "last-night"):
        return Resolution(pub - timedelta(days=1), pub, "day", kind)
    if kind == "yesterday":
        d = pub - timedelta(days=1)
        return Resolution(d, d, "day", "yesterday")
    if kind == "today":
        return Resolution(pub, pub, "day", "today")
    if kind == "earlier-this-month":
        return Resolution(pub.replace(day=1), pub, "month", "earlier-this-month")
    if kind == "earlier-this-week":
        return Resolution(pub - timedelta(days=pub.weekday()), pub, "week", "earlier-this-week")
    if kind == "last-week":
        monday = pub - timedelta(days=pub.weekday() + 7)
        return Resolution(monday, monday + timedelta(days=6), "week", "last-week")
    if kind == "last-month":
        last = pub.replace(day=1) - timedelta(days=1)
        return Resolution(last.replace(day=1), last, "month", "last-month")
    if kind == "last-year":
        y = pub.year - 1
        return Resolution(date(y, 1, 1), date(y, 12, 31), "year", "last-year")
    if kind == "month":
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
    assigns: tuple[str, ...] = ("doc.dates",)

    def __init__(self, settings: Settings | None = None) -> None:
        self._patterns = _COMPILED
        self._absolute_cache: dict[tuple[str, date | None], Resolution | None] = {}
        self._dateparser: Any = None

    def __call__(self, doc: Document) -> Document:
        pub = parse_published(doc.article.published)
        doc.dates = []
        text = doc.text
        for i, sent in enumerate(doc.sentences):
            taken: list[tuple[int, int]] = []
            found: list[tuple[int, int, Resolution]] = []
            sent_text = text[sent.start : sent.end]
            for kind, rx in self._patterns:
                for m in rx.finditer(sent_text):
                    s, e = sent.start + m.start(), sent.start + m.end()
                    if any(s < te and ts < e for ts, te in taken):
                        continue
                    future = _is_future(sent.span, s - sent.offset, e - sent.offset)
                    res = resolve_expression(kind, m, pub, future)
                    if res is None:
                        continue
                    taken.append((s, e))
                    found.append((s, e, res))
            for ent in sent.span.ents:
                if ent.label_ != "DATE":
                    continue  # TIME entities ("at 3 pm", "hours later") are not dates
                s, e = sent.offset + ent.start_char, sent.offset + ent.end_char
                if any(s < te and ts < e for ts, te in taken):
                    continue
                taken.append((s, e))
                found.append((s, e, self._resolve_other(ent.text, pub)))
            for s, e, res in sorted(found, key=lambda f: f[0]):
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

    def _resolve_other(self, expr: str, pub: date | None) -> Resolution:
        """A spaCy DATE our rules did not read: absolute via dateparser, else unresolved."""
        if _NOT_A_DATE.match(expr.strip()):
            return Resolution(None, None, None, "duration", "a duration, not a calendar date")
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
