"""HTTP API latency under a bounded load: p50/p95/p99 per endpoint on a synthetic ledger.

Builds a ledger of N synthetic incidents (default 10,000; one document, one
event, one figure and one claim each) and one incident reported by 300 more
documents (`--sources`) through the storage layer, starts `eventledger serve`
on 127.0.0.1 in a second process, sends a fixed number of sequential requests
per endpoint from this process and prints p50/p95/p99 against the goals
(issue 18: p95 <= 20 ms per endpoint; the incident page with 300 sources
<= 100 ms). Then 4 concurrent clients (`--clients`) send requests drawn from
the same endpoints: requests/s and p99. `--decisions` (default 1,000) coder
decisions (issue 16: accepts, rejects and edits of events and figures) are
recorded first, so every read also lays them over the records it answers.

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


def _store(ledger: Ledger, i: int, doc_id: str, rng: random.Random, day0: date) -> tuple:
    """Store one synthetic document with one event, figure and claim; its incident's parts."""
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
    doc = Document(Article(id=doc_id, key=doc_id, text=text, title=f"Strike in {name}",
                           outlet="Synthetic Wire", published=day))  # fmt: skip
    ev = doc.evidence
    s_trigger = text.index("airstrike")
    s_place = text.index(name)
    s_fig = text.index(f"{killed} people")
    s_claim = text.index(claimant)
    when = When(day, day, "day", day, "iso", evidence=[ev(text.index(day), text.index(day) + 10)])
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
                  actors=[Actor("perpetrator", "the army", "the army", "military", [ev(0, 2)])],
                  figure_ids=[figure.id], claim_ids=[claim.id],
                  evidence=[ev(s_trigger, s_trigger + 9)])  # fmt: skip
    doc.events, doc.figures, doc.claims = [event], [figure], [claim]
    ledger.store(doc)
    value = FigureValue(killed, killed, figure.claimant, doc_id, figure.id)
    return event, when, place, value


def build(db: Path, n: int, seed: int = 7, *, sources: int = 0) -> None:
    """Write n synthetic documents, each with one event, figure and claim, and n incidents;
    with `sources`, one more incident (`inc-many`) reported by that many more documents."""
    rng = random.Random(seed)
    ledger = Ledger(str(db))
    day0 = date(2023, 1, 1)
    for i in range(n):
        doc_id = f"syn{i}"
        event, when, place, value = _store(ledger, i, doc_id, rng, day0)
        killed = value.min
        ledger.save_incident(
            Incident(f"inc-{doc_id}", event.type, [event.id], [doc_id], when, place,
                     [IncidentFigure("killed", "people", [value], killed, killed, killed, False)])
        )  # fmt: skip
    if sources:
        parts = [_store(ledger, k, f"many{k}", rng, day0) for k in range(sources)]
        event, when, place, _ = parts[0]
        values = [p[3] for p in parts]
        low = min(v.min for v in values)
        high = max(v.max for v in values)
        ledger.save_incident(
            Incident("inc-many", event.type, [p[0].id for p in parts],
                     [f"many{k}" for k in range(sources)], when, place,
                     [IncidentFigure("killed", "people", values, low, low, high, low != high)])
        )  # fmt: skip
    ledger.close()


def decide(db: Path, n: int, incidents: int, seed: int = 11) -> None:
    """Record n decisions of one coder on random synthetic events and figures."""
    from eventledger.storage.review import Review, User

    rng = random.Random(seed)
    review = Review(str(db))
    coder = User("bench", "coder", "")
    try:
        review.add_user(coder.name, coder.role)
        for k in range(n):
            i = rng.randrange(incidents)
            if k % 3 == 0:
                review.decide(coder, "figure", f"syn{i}:fig1", "edit", field="value",
                              value={"min": k % 50 + 1}, reason="benchmark")  # fmt: skip
            else:
                action = "reject" if k % 10 == 1 else "accept"
                review.decide(coder, "event", f"syn{i}:ev1", action, reason="benchmark")
    finally:
        review.close()


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
    ("incident detail, 300 sources", "/api/incidents/inc-many?source_limit=20"),
    ("web incident, 300 sources", "/incidents/inc-many"),
)  # fmt: skip
# The goals (issue 18): every endpoint's p95, and an incident page with 300 sources.
GOAL_P95_MS = 20.0
GOAL_MANY_SOURCES_MS = 100.0
MANY = "web incident, 300 sources"


def _percentile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


def _concurrent(base: str, clients: int, requests: int, incidents: int) -> dict:
    """`clients` threads, each with its own connection, sending `requests` requests
    drawn from the endpoint mix; requests/s over the wall time, p50/p95/p99."""
    import threading

    import httpx

    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        mine = []
        with httpx.Client(base_url=base, timeout=30) as c:
            for _ in range(requests):
                _, path = ENDPOINTS[rng.randrange(len(ENDPOINTS))]
                url = path.format(i=rng.randrange(incidents))
                t0 = time.perf_counter()
                response = c.get(url)
                mine.append((time.perf_counter() - t0) * 1000)
                if response.status_code != 200:
                    with lock:
                        errors.append(f"{url}: HTTP {response.status_code}")
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client, args=(100 + k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(times),
        "errors": len(errors),
        "seconds": round(wall, 2),
        "requests_per_s": round(len(times) / wall, 1),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(_percentile(times, 0.95), 2),
        "p99_ms": round(_percentile(times, 0.99), 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--incidents", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=100, help="requests per endpoint")
    ap.add_argument("--sources", type=int, default=300, help="sources of the one big incident")
    ap.add_argument("--clients", type=int, default=4, help="concurrent clients, second phase")
    ap.add_argument(
        "--concurrent-requests", type=int, default=500, help="requests per concurrent client"
    )
    ap.add_argument("--decisions", type=int, default=1000, help="coder decisions recorded first")
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)
    import httpx

    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        started = time.perf_counter()
        build(db, args.incidents, sources=args.sources)
        decide(db, args.decisions, args.incidents)
        build_s = time.perf_counter() - started
        console.print(
            f"built {args.incidents} incidents and {args.decisions} decisions in {build_s:.1f}s"
        )
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
                    if name.endswith("300 sources") and not args.sources:
                        continue
                    times = []
                    for _ in range(args.requests):
                        url = path.format(i=rng.randrange(args.incidents))
                        t0 = time.perf_counter()
                        response = client.get(url)
                        times.append((time.perf_counter() - t0) * 1000)
                        if response.status_code != 200:
                            console.print(f"{url}: HTTP {response.status_code}")
                            return 1
                    results[name] = {
                        "path": path,
                        "requests": len(times),
                        "p50_ms": round(statistics.median(times), 2),
                        "p95_ms": round(_percentile(times, 0.95), 2),
                        "p99_ms": round(_percentile(times, 0.99), 2),
                    }
            concurrent = _concurrent(base, args.clients, args.concurrent_requests, args.incidents)
        finally:
            server.terminate()
            server.wait(timeout=10)
    table = Table(
        title=f"API latency, {args.incidents} incidents, {args.decisions} decisions, "
        f"{args.requests} requests each"
    )
    for col in ("endpoint", "p50 ms", "p95 ms", "p99 ms", "goal"):
        table.add_column(col, justify="right" if col != "endpoint" else "left")
    failed = []
    for name, r in results.items():
        goal = GOAL_MANY_SOURCES_MS if name == MANY else GOAL_P95_MS
        ok = r["p95_ms"] <= goal
        failed += [] if ok else [name]
        table.add_row(name, f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", f"{r['p99_ms']:.1f}",
                      f"p95 ≤ {goal:g} {'ok' if ok else 'MISSED'}")  # fmt: skip
    console.print(table)
    c = concurrent
    console.print(
        f"{c['clients']} concurrent clients, {c['requests']} requests over the endpoint mix "
        f"in {c['seconds']} s: {c['requests_per_s']} requests/s, p50 {c['p50_ms']:.1f} ms, "
        f"p95 {c['p95_ms']:.1f} ms, p99 {c['p99_ms']:.1f} ms, {c['errors']} errors"
    )
    console.print("goals met" if not failed else f"goals missed: {', '.join(failed)}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        out = {
            "incidents": args.incidents,
            "decisions": args.decisions,
            "sources": args.sources,
            "build_seconds": round(build_s, 1),
            "goals": {"p95_ms": GOAL_P95_MS, "many_sources_p95_ms": GOAL_MANY_SOURCES_MS},
            "endpoints": results,
            "concurrent": concurrent,
            "goals_missed": failed,
        }
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
