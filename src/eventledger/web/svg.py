"""Server-rendered SVG geometry: country outlines and incident points, toll lines over time."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["chart_geometry", "country_paths", "map_view"]

PALETTE = ("#c0392b", "#2471a3", "#229954", "#b9770e", "#7d3c98", "#117a65", "#566573", "#a04000")


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
                "color": PALETTE[i % len(PALETTE)],
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
