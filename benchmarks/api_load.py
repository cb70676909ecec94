"""HTTP API latency under a bounded load: p50/p95 per endpoint on a synthetic ledger.

Builds a ledger of N synthetic incidents (default 10,000; one document, one
event, one figure and one claim each) through the storage layer, starts
`eventledger serve` on 127.0.0.1 in a second process, sends a fixed number of
sequential requests per endpoint from this process, and prints p50/p95.

    .venv/bin/python benchmarks/api_load.py --json out/api_load.json
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventledger.models import (
    Actor,
    Article,
    Claim,
    Event,
    Figure,
    FigureValue,
    Incident,
    IncidentFigure,
    Place,
    Speaker,
    When,
)
from eventledger.pipeline import Document
from eventledger.storage import Ledger

TYPES = ("Explosions/Remote violence", "Violence against civilians", "Battles")
PLACES = (("Kharkiv", 49.99, 36.23, "UA"), ("Gaza City", 31.50, 34.47, "PS"),
          ("El Fasher", 13.63, 25.35, "SD"), ("Goma", -1.68, 29.22, "CD"),
          ("Myitkyina", 25.38, 97.40, "MM"))  # fmt: skip
CLAIMANTS = ("health ministry", "civil defence", "local officials", "the army")


def build(db: Path, n: int, seed: int = 7) -> None:
    """Write n synthetic documents, each with one event, figure and claim, and n incidents."""
    rng = random.Random(seed)
    ledger = Ledger(str(db))
    day0 = date(2023, 1, 1)
    for i in range(n):
        name, lat, lon, country = PLACES[i % len(PLACES)]
        lat += rng.uniform(-0.3, 0.3)
        lon += rng.uniform(-0.3, 0.3)
        day = (day0 + timedelta(days=rng.randrange(600))).isoformat()
        killed = rng.randrange(1, 40)
        claimant = CLAIMANTS[i % len(CLAIMANTS)]
        hospital = i % 3 == 0
        text = (
            f"An airstrike hit {'a hospital' if hospital else 'a market'} in {name} on {day}, "
            f"killing {killed} people, the {claimant} said."
        )
        doc_id = f"syn{i}"
        doc = Document(Article(id=doc_id, key=doc_id, text=text, title=f"Strike in {name}",
                               outlet="Synthetic Wire", published=day))  # fmt: skip
        ev = doc.evidence
        s_trigger = text.index("airstrike")
        s_place = text.index(name)
        s_fig = text.index(f"{killed} people")
        s_claim = text.index(claimant)
        when = When(
            day, day, "day", day, "iso", evidence=[ev(text.index(day), text.index(day) + 10)]
        )
        place = Place(name, lat=round(lat, 5), lon=round(lon, 5), country=country, precision=1,
                      geo_precision=1, evidence=[ev(s_place, s_place + len(name))])  # fmt: skip
        figure = Figure(f"{doc_id}:fig1", doc_id, "killed", "people", killed, killed, False,
                        f"{killed} people", best=killed,
                        claimant={"name": claimant, "type": "unknown"},
                        claim_id=f"{doc_id}:cl1", event_id=f"{doc_id}:ev1",
                        evidence=[ev(s_fig, s_fig + len(f"{killed} people"))])  # fmt: skip
        claim = Claim(f"{doc_id}:cl1", doc_id, Speaker(claimant, evidence=[ev(s_claim, s_claim + len(claimant))]),
                      "said", "assert", text[: text.index(", the")], False,
                      evidence=[ev(0, len(text))])  # fmt: skip
        event = Event(f"{doc_id}:ev1", doc_id, TYPES[i % len(TYPES)], None, "airstrike",
                      health_care={"attack_types": ["heavy weapons"], "resources": ["facility"],
                                   "indicators": []} if hospital else None,
                      date=when, place=place,
                      actors=[Actor("perpetrator", "the army", "the army", "military",
                                    [ev(0, 2)])],
                      figure_ids=[figure.id], claim_ids=[claim.id],
                      evidence=[ev(s_trigger, s_trigger + 9)])  # fmt: skip
        doc.events, doc.figures, doc.claims = [event], [figure], [claim]
        ledger.store(doc)
        value = FigureValue(killed, killed, figure.claimant, doc_id, figure.id)
        ledger.save_incident(
            Incident(f"inc-{doc_id}", event.type, [event.id], [doc_id], when, place,
                     [IncidentFigure("killed", "people", [value], killed, killed, killed, False)])
        )  # fmt: skip
    ledger.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ENDPOINTS = (
    ("incidents page", "/api/incidents?limit=50"),
    ("incidents deep page", "/api/incidents?limit=50&offset=9000"),
    ("incidents health+date", "/api/incidents?health_care=true&date_from=2023-06-01&date_to=2023-08-31"),
    ("incidents bbox", "/api/incidents?bbox=36,49,37,51"),
    ("incidents place", "/api/incidents?place=goma"),
    ("incidents claimant", "/api/incidents?claimant=ministry"),
    ("incidents text", "/api/incidents?q=market"),
    ("incident detail", "/api/incidents/inc-syn{i}"),
    ("events page", "/api/events?limit=50&type=Battles"),
    ("figures page", "/api/figures?kind=killed&limit=50"),
    ("claims page", "/api/claims?speaker=civil&limit=50"),
    ("document detail", "/api/documents/syn{i}"),
    ("web list", "/?health_care=true"),
    ("web incident", "/incidents/inc-syn{i}"),
)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--incidents", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=100, help="requests per endpoint")
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)
    import httpx

    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        started = time.perf_counter()
        build(db, args.incidents)
        build_s = time.perf_counter() - started
        console.print(f"built {args.incidents} incidents in {build_s:.1f}s")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "eventledger.cli.main", "serve", "--db", str(db),
             "--port", str(port)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(base + "/api/openapi.json", timeout=1)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        console.print("the server did not start")
                        return 1
                    time.sleep(0.2)
            rng = random.Random(1)
            results = {}
            with httpx.Client(base_url=base, timeout=30) as client:
                for name, path in ENDPOINTS:
                    times = []
                    for _ in range(args.requests):
                        url = path.format(i=rng.randrange(args.incidents))
                        t0 = time.perf_counter()
                        response = client.get(url)
                        times.append((time.perf_counter() - t0) * 1000)
                        if response.status_code != 200:
                            console.print(f"{url}: HTTP {response.status_code}")
                            return 1
                    times.sort()
                    results[name] = {
                        "path": path,
                        "requests": len(times),
                        "p50_ms": round(statistics.median(times), 2),
                        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
                    }
        finally:
            server.terminate()
            server.wait(timeout=10)
    table = Table(title=f"API latency, {args.incidents} incidents, {args.requests} requests each")
    for col in ("endpoint", "p50 ms", "p95 ms"):
        table.add_column(col, justify="right" if col != "endpoint" else "left")
    for name, r in results.items():
        table.add_row(name, f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}")
    console.print(table)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        out = {
            "incidents": args.incidents,
            "build_seconds": round(build_s, 1),
            "endpoints": results,
        }
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
