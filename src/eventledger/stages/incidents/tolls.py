"""Incident tolls: reconcile the figures of an incident's reports into one
low/best/high per (kind, group), keeping every value with its claimant.

The rule (docs/format.md, "How an incident's toll is reckoned"):

1. Only incident figures count (a cumulative toll is a series, not a count).
2. A civilians total ("17 civilians were killed") is also a statement of
   the kind's total ("16 people were killed"), listed in both lines.
3. Totals and subgroups are reconciled apart: a value whose figure is
   `part_of` a total ("including three paramedics") is a subgroup, shown under
   its kind's totals and never counted as the total of its kind.
4. Per claimant only the latest statement counts. A claimant is the named
   claimant (the forms of one name folded together, see `claimant_names`);
   a figure nobody is credited with is its story's own statement, so a
   syndicated copy speaks for the story it copies. Latest is by publication
   when every statement of that claimant has a publication date, else by
   report order (documents in ingest order); inside one document the largest
   count is the latest. Earlier statements that say something else stay in
   `values` with `superseded_by` set; a repeat of the counted value (a
   reprint) is not marked.
5. Over the counted statements: `best` is the lower median of their point
   values (a statement's own best, else the middle of its range, else its one
   bound, held inside its range); `low` the smallest lower bound (a statement
   without one gives its point value); `high` the largest upper bound, null
   when one is open-ended ("at least 15"). So low <= best <= high.
6. `disagreement`: two or more claimants' counted statements differ in their
   lower bound or their point value ("12" and "15", "at least 15" and "at
   least 20"); "30" and "at least 30" agree.
"""

from __future__ import annotations

import dataclasses
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Mapping

from eventledger.models import Figure, FigureValue, IncidentFigure
from eventledger.models import groups as groups_vocab

__all__ = [
    "Groups",
    "claimant_key",
    "claimant_names",
    "reconcile_figures",
    "reconcile_values",
    "values_by_group",
]

Groups = dict[tuple[str, str | None], list[FigureValue]]

# Words that do not tell one claimant from another.
NAME_FILLERS = frozenset("the a an of for and in said says".split())


def _bounds(v: FigureValue) -> tuple[float | None, float | None]:
    """The value's range, ordered (a reversed range is read as its sorted self)."""
    lo, hi = v.min, v.max
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return lo, hi


def _point(v: FigureValue) -> float | None:
    """One number standing for a reported value, for the `best` rule, inside its range."""
    lo, hi = _bounds(v)
    if v.best is not None:
        p = v.best
    elif lo is not None and hi is not None:
        p = (lo + hi) / 2
    else:
        p = lo if lo is not None else hi
    if p is None:
        return None
    if lo is not None:
        p = max(p, lo)
    if hi is not None:
        p = min(p, hi)
    return p


def _value(f: Figure) -> FigureValue:
    return FigureValue(f.min, f.max, f.claimant, f.document_id, f.id, f.best, f.part_of)


def _name_words(name: str) -> frozenset[str]:
    """The words of a claimant's name that identify it ("the Ministry of Health's"
    -> {ministry, health})."""
    words = re.findall(r"[^\W_]+", name.casefold().replace("\u2019", "'").replace("'s", ""))
    return frozenset(w for w in words if w not in NAME_FILLERS)


def claimant_names(values: list[FigureValue]) -> dict[str, frozenset[str]]:
    """Each claimant name -> the words of the name it stands for.

    "Ministry of Health" and "the health ministry" have the same words;
    "Zelensky" is "Ukrainian President Volodymyr Zelensky" when that is the
    only longer name among the values that holds all of its words. A name
    two unrelated longer names contain ("the ministry": the health ministry
    and the defence ministry) stays apart, so no chain joins two claimants.
    """
    names = {
        n: _name_words(n) for v in values if (n := ((v.claimant or {}).get("name") or "").strip())
    }
    sets = set(names.values()) - {frozenset()}
    out = {}
    for name, words in names.items():
        wider = [s for s in sets if words < s]
        widest = [s for s in wider if not any(s < t for t in wider)]
        out[name] = widest[0] if len(widest) == 1 else words
    return out


def claimant_key(
    v: FigureValue,
    source_of: Mapping[str, str],
    names: Mapping[str, frozenset[str]] | None = None,
) -> str:
    """Who made a statement: the named claimant, else the story of its document.

    `names` (from `claimant_names`) folds the forms of one name together.
    """
    name = ((v.claimant or {}).get("name") or "").strip()
    words = (names or {}).get(name) or _name_words(name)
    if words:
        return "claimant:" + " ".join(sorted(words))
    return f"source:{source_of.get(v.document_id, v.document_id)}"


def reconcile_figures(
    figures: list[Figure],
    source_of: Mapping[str, str] | None = None,
    published_of: Mapping[str, str | None] | None = None,
) -> list[IncidentFigure]:
    """Per (kind, group) and totals apart from subgroups: every value with its claimant
    and document, and low/best/high/disagreement by the rule in the module docstring.

    `source_of` maps a document to its story (syndicated copies share one);
    without it every document is its own source. `published_of` maps a
    document to its publication date (ISO 8601), for "latest statement".
    """
    groups: Groups = defaultdict(list)
    for f in figures:
        if f.scope == "incident":
            groups[(f.kind, f.group)].append(_value(f))
    return reconcile_values(groups, source_of, published_of)


def values_by_group(figures: list[IncidentFigure]) -> Groups:
    """An incident's reconciled lines back to the values of each (kind, group),
    each value once (a civilians total listed in its kind's total too, rule 2,
    goes back to its own group), for `reconcile_values` to take more."""
    groups: Groups = defaultdict(list)
    listed_twice = {
        (f.kind, v.figure_id)
        for f in figures
        if f.group == groups_vocab.CIVILIANS
        for v in f.values
    }
    for f in figures:
        groups[(f.kind, f.group)].extend(
            v for v in f.values if f.group is not None or (f.kind, v.figure_id) not in listed_twice
        )
    return groups


def reconcile_values(
    groups: Groups,
    source_of: Mapping[str, str] | None = None,
    published_of: Mapping[str, str | None] | None = None,
) -> list[IncidentFigure]:
    """`reconcile_figures` on values already grouped by (kind, group), in report order."""
    source_of = source_of or {}
    published_of = published_of or {}
    out = []
    for (kind, group), values in groups.items():
        totals = [v for v in values if v.part_of is None]
        if group is None:
            # "17 civilians were killed" and "16 people were killed" are two
            # statements of one total: civilians are who these attacks kill
            # unless a report says otherwise. Their totals count in the kind's
            # total too (and keep their own line), so the disagreement shows.
            seen = {v.figure_id for v in totals}
            totals += [
                v
                for v in groups.get((kind, groups_vocab.CIVILIANS), ())
                if v.part_of is None and v.figure_id not in seen
            ]
        parts = [v for v in values if v.part_of is not None]
        for subgroup, chosen in ((False, totals), (True, parts)):
            if chosen:
                out.append(_reconcile(kind, group, chosen, subgroup, source_of, published_of))
    out.sort(key=lambda f: (f.kind, f.group or "", f.subgroup))
    return out


def _latest(
    values: list[FigureValue],
    source_of: Mapping[str, str],
    published_of: Mapping[str, str | None],
) -> tuple[list[FigureValue], dict[int, str]]:
    """The counted statement of each claimant, and index -> id of the one replacing it.

    Documents in publication order when all of the claimant's are dated, else
    in report order; inside one document the largest value counts (a report
    giving one claimant's two counts gives the earlier as background: "the
    toll rose to 16 from 13").
    """
    names = claimant_names(values)
    doc_rank: dict[str, int] = {}
    by_claimant: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(values):
        doc_rank.setdefault(v.document_id, i)
        by_claimant[claimant_key(v, source_of, names)].append(i)
    counted: list[FigureValue] = []
    superseded: dict[int, str] = {}
    for indices in by_claimant.values():
        dates = [published_of.get(values[i].document_id) or "" for i in indices]
        dated = all(dates)

        def order(n: int, i: int, dates: list[str] = dates, dated: bool = dated) -> tuple:
            point = _point(values[i])
            return (
                dates[n] if dated else "",
                doc_rank[values[i].document_id],
                -math.inf if point is None else point,
                i,
            )

        ranked = [i for _, i in sorted((order(n, i), i) for n, i in enumerate(indices))]
        last = values[ranked[-1]]
        counted.append(last)
        for i in ranked[:-1]:
            # A repeat of the counted statement (a reprint) is not replaced by it.
            if (_bounds(values[i]), values[i].best) != (_bounds(last), last.best):
                superseded[i] = last.figure_id
    return counted, superseded


def _reconcile(
    kind: str,
    group: str | None,
    values: list[FigureValue],
    subgroup: bool,
    source_of: Mapping[str, str],
    published_of: Mapping[str, str | None],
) -> IncidentFigure:
    counted, superseded = _latest(values, source_of, published_of)
    points = [(v, p) for v in counted if (p := _point(v)) is not None]
    lows = [lo if (lo := _bounds(v)[0]) is not None else p for v, p in points]
    highs = [_bounds(v)[1] for v in counted]
    # What a statement asserts: its lower bound and its point value. "30" and
    # "at least 30" agree (one is a bound the other meets); "at least 15" and
    # "at least 20", or "12" and "15", do not.
    claims = {(lo, p) for (v, p), lo in zip(points, lows, strict=True)}
    return IncidentFigure(
        kind=kind,
        group=group,
        values=[
            dataclasses.replace(v, superseded_by=superseded.get(i)) for i, v in enumerate(values)
        ],
        low=min(lows) if lows else None,
        best=statistics.median_low(sorted(p for _, p in points)) if points else None,
        high=None if not highs or any(h is None for h in highs) else max(highs),  # type: ignore[type-var]
        disagreement=len(claims) > 1,
        subgroup=subgroup,
    )
