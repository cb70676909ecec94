"""Convert world-atlas's countries-110m TopoJSON into the GeoJSON shipped as data.

The map in the web UI draws incidents over country outlines, and no tile
server is reachable offline, so the outlines ship in the package. Source:
npm package world-atlas 2.0.2 (ISC licence; the shapes are Natural Earth
1:110m admin-0, public domain). Reproduce with:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/countries_geojson.py package/countries-110m.json \
        src/eventledger/data/countries.geojson
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

DECIMALS = 3  # ~100 m: far finer than a 1:110m outline needs


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc as absolute lon/lat points (undoing the quantised delta encoding)."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append(
                (round(x * scale_x + shift_x, DECIMALS), round(y * scale_y + shift_y, DECIMALS))
            )
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """A closed ring from arc indexes; a negative index ~i means arc i reversed."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        # Consecutive arcs share their joining point.
        points.extend(arc[1:] if points else arc)
    return [list(p) for p in points]


def convert(topology: dict[str, Any]) -> dict[str, Any]:
    """The `countries` object of a TopoJSON topology as a GeoJSON FeatureCollection."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            coordinates: Any = [ring(r, arcs) for r in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coordinates = [[ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        features.append(
            {
                "type": "Feature",
                "id": geometry.get("id"),
                "properties": {"name": geometry.get("properties", {}).get("name")},
                "geometry": {"type": kind, "coordinates": coordinates},
            }
        )
    return {
        "type": "FeatureCollection",
        "attribution": "Natural Earth 1:110m admin-0 (public domain) via world-atlas 2.0.2 (ISC)",
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path)
    parser.add_argument("geojson", type=Path)
    args = parser.parse_args()
    data = convert(json.loads(args.topojson.read_text("utf-8")))
    args.geojson.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
    print(f"{len(data['features'])} countries, {args.geojson.stat().st_size} bytes")


if __name__ == "__main__":
    main()
