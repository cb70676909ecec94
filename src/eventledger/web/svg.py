"""Server-rendered SVG geometry: country outlines and incident points, toll lines over time."""

from __future__ import annotations

import json
import math
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import quote

from eventledger.web.highlight import anchor

__all__ = [
    "OTHERS_COLOR",
    "PALETTE",
    "TOP_SERIES",
    "chart_geometry",
    "country_paths",
    "evidence_href",
    "format_count",
    "map_marks",
    "map_view",
    "toll_colors",
    "toll_geometry",
    "value_text",
]

PALETTE = ("#c0392b", "#2471a3", "#229954", "#b9770e", "#7d3c98", "#117a65", "#566573", "#a04000")
# A chart draws this many claimants in colours of their own; the rest share OTHERS_COLOR
# and one legend entry, so that 40 claimants still read as a chart.
TOP_SERIES = 6
OTHERS_COLOR = "#8a8a8a"
# How far an area-level place may lie from its point, in degrees (about 111 km each),
# by UCDP where_prec: a district, a province, part of a country, a country, the sea.
AREA_DEGREES = {3: 0.3, 4: 1.0, 5: 2.0, 6: 3.0, 7: 3.0}


def _ring(points: list[list[float]]) -> str:
    # Plate carrée: x = longitude + 180, y = 90 - latitude (north up).
    return "M" + "L".join(f"{lon + 180:.2f} {90 - lat:.2f}" for lon, lat in points) + "Z"


@lru_cache(maxsize=1)
def country_paths() -> tuple[tuple[str, str], ...]:
    """(name, SVG path) for every shipped country outline, read once per process."""
    text = resources.files("eventledger").joinpath("data/countries.geojson").read_text("utf-8")
    paths = []
    for feature in json.loads(text)["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        d = "".join(_ring(ring) for polygon in polygons for ring in polygon)
        paths.append((feature["properties"].get("name") or "", d))
    return tuple(paths)


def map_view(points: list[dict[str, Any]]) -> dict[str, Any]:
    """The viewBox framing the points (the world when there are none) and their x, y."""
    placed = [{**p, "x": p["lon"] + 180, "y": 90 - p["lat"]} for p in points]
    if not placed:
        return {"viewbox": "0 0 360 180", "points": [], "r": 1.5}
    xs, ys = [p["x"] for p in placed], [p["y"] for p in placed]
    pad = max(4.0, (max(xs) - min(xs)) * 0.15, (max(ys) - min(ys)) * 0.15)
    x0, x1 = max(0.0, min(xs) - pad), min(360.0, max(xs) + pad)
    y0, y1 = max(0.0, min(ys) - pad), min(180.0, max(ys) + pad)
    # Keep a 2:1 frame so the map is not stretched.
    width, height = x1 - x0, y1 - y0
    if width < 2 * height:
        grow = 2 * height - width
        x0, width = max(0.0, x0 - grow / 2), 2 * height
    else:
        grow = width / 2 - height
        y0, height = max(0.0, y0 - grow / 2), width / 2
    return {
        "viewbox": f"{x0:.2f} {y0:.2f} {width:.2f} {height:.2f}",
        "points": placed,
        "r": max(width / 150, 0.05),
    }


def map_marks(view: dict[str, Any]) -> list[dict[str, Any]]:
    """How each located incident is drawn: a dot, and for an area-level place
    (precision 3 or coarser) a translucent halo as large as the area it may be in,
    so that a province's centre is never read as the spot of the attack."""
    marks = []
    r = view["r"]
    # Incidents at one spot (two strikes on one town) are fanned out around it,
    # so that each dot shows and can be clicked; the halo stays on the spot.
    at: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for p in view["points"]:
        at.setdefault((round(p["x"], 4), round(p["y"], 4)), []).append(p)
    for (x, y), group in at.items():
        for k, p in enumerate(group):
            precision = p.get("precision")
            halo = AREA_DEGREES.get(int(precision)) if precision is not None else None
            dx = dy = 0.0
            if len(group) > 1:
                angle = 2 * math.pi * k / len(group)
                dx, dy = 1.6 * r * math.cos(angle), 1.6 * r * math.sin(angle)
            marks.append(
                {
                    **p,
                    "x": x + dx,
                    "y": y + dy,
                    "cx": x,
                    "cy": y,
                    "r": r,
                    # Never smaller than the dot, however far the map is zoomed out.
                    "halo": max(halo, r * 2.5) if halo is not None else None,
                }
            )
    return marks


def chart_geometry(tolls: dict[str, Any], width: int = 800, height: int = 360) -> dict[str, Any]:
    """Step lines (one per claimant) of running totals, scaled into a width x height plot."""
    left, right, top, bottom = 60, 20, 20, 40
    series = tolls["series"]
    days = sorted({p["date"] for s in series for p in s["points"]})
    if not days:
        return {"width": width, "height": height, "lines": [], "ticks": [], "yticks": []}
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    span = max((last - first).days, 1)
    top_value = max(p["total"] for s in series for p in s["points"]) or 1.0

    def x(day: str) -> float:
        return left + (date.fromisoformat(day) - first).days / span * (width - left - right)

    def y(value: float) -> float:
        return top + (1 - value / top_value) * (height - top - bottom)

    totals = {s["claimant"]: (s["points"][-1]["total"] if s["points"] else 0) for s in series}
    ranked = sorted(series, key=lambda s: (-totals[s["claimant"]], str(s["claimant"])))
    series = ranked[:TOP_SERIES]
    rest = ranked[TOP_SERIES:]
    if rest:
        # The others' running totals added up, day by day, as one line.
        summed: dict[str, float] = {}
        for s in rest:
            last = 0.0
            for p in s["points"]:
                summed[p["date"]] = summed.get(p["date"], 0.0) + p["total"] - last
                last = p["total"]
        running, points = 0.0, []
        for day in sorted(summed):
            running += summed[day]
            points.append({"date": day, "total": running})
        series = [*series, {"claimant": f"{len(rest)} others", "points": points, "others": True}]
        top_value = max([top_value, *(p["total"] for p in points)])
    lines = []
    for i, s in enumerate(series):
        coords = [f"{left:.1f},{y(0):.1f}"]
        previous = 0.0
        for p in s["points"]:
            coords.append(f"{x(p['date']):.1f},{y(previous):.1f}")
            coords.append(f"{x(p['date']):.1f},{y(p['total']):.1f}")
            previous = p["total"]
        coords.append(f"{width - right:.1f},{y(previous):.1f}")
        lines.append(
            {
                "claimant": s["claimant"],
                "others": bool(s.get("others")),
                "color": OTHERS_COLOR if s.get("others") else PALETTE[i % len(PALETTE)],
                "points": " ".join(coords),
                "total": previous,
                "dots": [
                    {"x": x(p["date"]), "y": y(p["total"]), "date": p["date"], "total": p["total"]}
                    for p in s["points"]
                ],
            }
        )
    ticks = [{"x": x(d), "label": d} for d in (days[0], days[len(days) // 2], days[-1])]
    yticks = [{"y": y(v), "label": f"{v:g}"} for v in (0, top_value / 2, top_value)]
    return {
        "width": width,
        "height": height,
        "lines": lines,
        "ticks": list({t["label"]: t for t in ticks}.values()),
        "yticks": yticks,
        "left": left,
        "bottom": height - bottom,
        "right": width - right,
    }


def format_count(value: float | None) -> str:
    """A count as people read it: 14,001 or 2.5; '?' when unknown."""
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,g}"


def value_text(point: dict[str, Any]) -> str:
    """A toll point's value: '12', '20–30', 'more than 14,000' style, never a single guess."""
    low, high = point.get("min"), point.get("max")
    if low is None and high is None:
        return "unknown"
    if high is None:
        return f"at least {format_count(low)}"
    if low is None:
        return f"at most {format_count(high)}"
    if low == high:
        return format_count(low)
    return f"{format_count(low)}–{format_count(high)}"


def _as_of_day(point: dict[str, Any]) -> date | None:
    text = point.get("as_of")
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def evidence_href(point: dict[str, Any]) -> str:
    """The document page of a toll point, at the anchor of its figure's first evidence span."""
    doc_id = point["document_id"]
    href = "/documents/" + quote(doc_id, safe="")
    for span in point.get("evidence") or []:
        if span.get("document_id", doc_id) == doc_id:
            # The document page numbers its one source 0 (see pages.document_page).
            return href + "#" + anchor(0, int(span["start"]), int(span["end"]))
    return href


def _mark(point: dict[str, Any]) -> str:
    """How a point is drawn: exact, range (vertical bar), open (upward mark), upto, or none."""
    low, high = point.get("min"), point.get("max")
    if low is None and high is None:
        return "none"
    if high is None:
        return "open"
    if low is None:
        return "upto"
    return "exact" if low == high else "range"


def toll_colors(tolls: list[dict[str, Any]]) -> dict[int, str]:
    """A colour per toll series (by index): the TOP_SERIES with the largest values
    get the palette, in that order; the rest share OTHERS_COLOR."""
    return {
        i: PALETTE[rank % len(PALETTE)] if rank < TOP_SERIES else OTHERS_COLOR
        for i, rank in toll_ranks(tolls).items()
    }


def toll_ranks(tolls: list[dict[str, Any]]) -> dict[int, int]:
    """Each toll series' rank (0: the largest value any of its points gives)."""

    def largest(toll: dict[str, Any]) -> float:
        found = [
            float(v) for p in toll["series"] for v in (p.get("min"), p.get("max")) if v is not None
        ]
        return max(found, default=0.0)

    ranked = sorted(range(len(tolls)), key=lambda i: (-largest(tolls[i]), i))
    return {i: rank for rank, i in enumerate(ranked)}


def toll_geometry(
    tolls: list[dict[str, Any]], width: int = 800, height: int = 360
) -> dict[str, Any]:
    """Reported cumulative tolls scaled into a plot: a line of lower bounds per series over as_of.

    Exact values are dots, ranges vertical bars from min to max, open-ended
    values ("more than 14,000") dots with an upward mark, "at most" values
    dots with a downward one. Points without a date or a value are listed in
    `unplotted`, never placed by guess. The y axis turns logarithmic (and says
    so) when the values span two orders of magnitude or more.
    """
    left, right, top, bottom = 70, 20, 24, 40
    inset = 24  # keeps marks at the first and last date off the axes
    plot_w, plot_h = width - left - right - 2 * inset, height - top - bottom
    series_out: list[dict[str, Any]] = []
    unplotted: list[dict[str, Any]] = []
    dated: list[tuple[int, dict[str, Any], date]] = []
    for i, toll in enumerate(tolls):
        for point in toll["series"]:
            day = _as_of_day(point)
            if day is None or _mark(point) == "none":
                why = "no as_of date" if day is None else "no value"
                unplotted.append({"toll": toll, "point": point, "why": why})
            else:
                dated.append((i, point, day))
    values = [float(v) for _, p, _ in dated for v in (p.get("min"), p.get("max")) if v is not None]
    colors, ranks = toll_colors(tolls), toll_ranks(tolls)
    base = {"width": width, "height": height, "left": left, "right": width - right}
    base["others"] = sum(1 for i in colors if colors[i] == OTHERS_COLOR)
    base |= {"top": top, "bottom": height - bottom, "unplotted": unplotted}
    if not dated:
        return {**base, "series": [], "ticks": [], "yticks": [], "scale": "linear"}
    days = sorted({d for _, _, d in dated})
    first, last = days[0], days[-1]
    span = (last - first).days

    def x(day: date) -> float:
        if span == 0:
            return left + inset + plot_w / 2
        return left + inset + (day - first).days / span * plot_w

    positive = [v for v in values if v > 0]
    high_value = max(values) if values else 1.0
    log = bool(positive) and high_value / min(positive) >= 100
    if log:
        lo = 10 ** math.floor(math.log10(min(positive)))
        hi = 10 ** math.ceil(math.log10(high_value))
        hi = hi * 10 if hi <= lo else hi

        def y(value: float) -> float:
            if value <= lo:
                return top + plot_h
            return top + (1 - math.log10(value / lo) / math.log10(hi / lo)) * plot_h

        yvalues = [lo * 10**k for k in range(round(math.log10(hi / lo)) + 1)]
    else:
        hi = high_value or 1.0

        def y(value: float) -> float:
            return top + (1 - value / hi) * plot_h

        yvalues = [0.0, hi / 2, hi]
    for i, toll in enumerate(tolls):
        points = [(p, d) for j, p, d in dated if j == i]
        if not points:
            continue
        marks = []
        for p, d in points:
            mark = _mark(p)
            low = p["min"] if p.get("min") is not None else p["max"]
            entry = {
                "x": x(d),
                "y": y(float(low)),
                "mark": mark,
                "as_of": p.get("as_of"),
                "value": value_text(p),
                "text": p.get("text"),
                "href": evidence_href(p),
            }
            if mark == "range":
                entry["y_top"] = y(float(p["max"]))
            marks.append(entry)
        series_out.append(
            {
                "claimant": toll.get("claimant") or "no claimant",
                "kind": toll["kind"],
                "group": toll.get("group"),
                "color": colors[i],
                "others": colors[i] == OTHERS_COLOR,
                "rank": ranks[i],
                "points": " ".join(f"{m['x']:.1f},{m['y']:.1f}" for m in marks),
                "marks": marks,
                "latest": marks[-1]["value"],
            }
        )
    ticks = [{"x": x(d), "label": d.isoformat()} for d in (days[0], days[len(days) // 2], days[-1])]
    yticks = [{"y": y(v), "label": format_count(v)} for v in yvalues]
    return {
        **base,
        "series": series_out,
        "ticks": list({t["label"]: t for t in ticks}.values()),
        "yticks": yticks,
        "scale": "log" if log else "linear",
    }
