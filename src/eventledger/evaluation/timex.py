"""Scoring resolved dates against TimeML (TempEval-3) DATE timexes.

`read_timeml` strips the inline tags of a `.tml` file's TEXT and keeps each
TIMEX3 as a character span with its type and value, plus the document
creation time (DCT). `timeml_value` maps a `When` to a TimeML value so the
two can be compared:

| When                                             | TimeML value           |
| ------------------------------------------------ | ---------------------- |
| precision day                                    | `YYYY-MM-DD` (start)   |
| precision week                                   | `YYYY-Www` (ISO week of start) |
| precision month, or early/mid/late in a month    | `YYYY-MM` (start)      |
| precision year                                   | `YYYY` (start)         |
| rule "since": the granularity of the expression  | `YYYY`, `YYYY-MM` or `YYYY-MM-DD` of start |
| unresolved (no start)                            | None: no value         |

TimeML's `PAST_REF`/`PRESENT_REF`/`FUTURE_REF`, seasons, quarters and parts
of day have no counterpart in `When`; they are never produced, so they count
as misses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from eventledger.evaluation.metrics import prf

__all__ = ["GoldTimex", "TimeMLDoc", "read_timeml", "timeml_value", "value_f1"]


@dataclass(slots=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(slots=True)
class TimeMLDoc:
    id: str
    dct: str  # the DCT value, YYYY-MM-DD
    text: str
    timexes: list[GoldTimex] = field(default_factory=list)

    @property
    def dates(self) -> list[GoldTimex]:
        return [t for t in self.timexes if t.type == "DATE"]


def read_timeml(path: str | Path) -> TimeMLDoc:
    """One TimeML document: DCT, the TEXT with tags stripped, and its TIMEX3 spans."""
    root = ET.parse(path).getroot()
    docid = (root.findtext("DOCID") or Path(path).stem).strip()
    dct_el = root.find("DCT/TIMEX3")
    dct = (dct_el.get("value") if dct_el is not None else "") or ""
    text_el = root.find("TEXT")
    parts: list[str] = []
    timexes: list[GoldTimex] = []
    pos = 0

    def walk(el: ET.Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if el.tag == "TIMEX3":
            text = "".join(parts)[start:pos]
            timexes.append(GoldTimex(start, pos, text, el.get("type", ""), el.get("value", "")))

    if text_el is not None:
        walk(text_el)
    return TimeMLDoc(docid, dct[:10], "".join(parts), sorted(timexes, key=lambda t: t.start))


_SINCE_YEAR = re.compile(r"since\s+(?:19|20)\d\d\s*$", re.IGNORECASE)
_SINCE_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?\s*$")


def timeml_value(when: Any) -> str | None:
    """The TimeML value a `When` stands for (see the module's table); None if unresolved."""
    if when is None or not when.start:
        return None
    d = date.fromisoformat(when.start)
    if when.rule == "since":
        if _SINCE_YEAR.search(when.text):
            return f"{d.year:04d}"
        return d.isoformat() if _SINCE_DAY.search(when.text) else f"{d.year:04d}-{d.month:02d}"
    if when.precision == "day":
        return d.isoformat()
    if when.precision == "week":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if when.precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if when.precision == "year":
        return f"{d.year:04d}"
    return None


def value_f1(
    predicted: Iterable[tuple[int, int, str]],
    gold: Iterable[tuple[int, int, str]],
    ignore: Iterable[tuple[int, int]] = (),
) -> tuple[int, int, int, dict[str, float]]:
    """Value F1 with relaxed (overlap) span match.

    A prediction is correct when it overlaps an unmatched gold span and has
    its value. Predictions that overlap an `ignore` span (gold timexes of
    another type) count neither way. Returns (correct, predicted, gold, prf).
    """
    gold_l = list(gold)
    ign = list(ignore)
    used: set[int] = set()
    correct = n_pred = 0
    for s, e, v in sorted(predicted):
        hits = [j for j, (gs, ge, _) in enumerate(gold_l) if s < ge and gs < e and j not in used]
        if not hits and any(s < ie and is_ < e for is_, ie in ign):
            continue
        n_pred += 1
        for j in hits:
            if gold_l[j][2] == v:
                used.add(j)
                correct += 1
                break
        else:
            if hits:
                used.add(hits[0])
    return correct, n_pred, len(gold_l), prf(correct, n_pred, len(gold_l))
