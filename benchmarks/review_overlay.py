"""What laying coders' decisions over every read costs the API (issue 16).

Builds api_load.py's synthetic ledger (default 10,000 incidents, one
incident with 300 sources) with 1,000 decisions, then sends the same
requests, interleaved, to two apps in this process over that one ledger: one
without review (the machine's records) and one with it (every record read
as reviewed). Interleaving puts both under the same load, so the difference
is the overlay's, even on a busy machine. Prints p50/p95 per endpoint and
the added milliseconds; no goal is set here (api_load.py holds the goals).

    .venv/bin/python benchmarks/review_overlay.py --json out/review_overlay.json
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

import api_load  # noqa: E402 (the synthetic ledger of the API benchmark)

ENDPOINTS = (
    ("incidents page", "/api/incidents?limit=50"),
    ("incidents place", "/api/incidents?place=goma"),
    ("incident detail", "/api/incidents/inc-syn{i}"),
    ("events page", "/api/events?limit=50&type=Battles"),
    ("figures page", "/api/figures?kind=killed&limit=50"),
    ("incident detail, 300 sources", "/api/incidents/inc-many?source_limit=20"),
    ("web incident", "/incidents/inc-syn{i}"),
)


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--incidents", type=int, default=10_000)
    ap.add_argument("--decisions", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=100, help="requests per endpoint and app")
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)
    from fastapi.testclient import TestClient

    from eventledger import web
    from eventledger.api import create_app
    from eventledger.config import load_settings
    from eventledger.review.desk import Desk
    from eventledger.storage.queries import Queries

    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "overlay.db"
        api_load.build(db, args.incidents, sources=300)
        api_load.decide(db, args.decisions, args.incidents)
        settings = load_settings(env={})

        def app(desk):
            made = create_app(
                Queries(str(db)), desk=desk, routers=[web.router], html_errors=web.error_page
            )
            made.state.templates = web.templates()
            return TestClient(made)

        clients = {"machine": app(None), "reviewed": app(Desk(str(db), settings))}
        rng = random.Random(5)
        results = {}
        for name, path in ENDPOINTS:
            times: dict[str, list[float]] = {k: [] for k in clients}
            for _ in range(args.requests):
                url = path.format(i=rng.randrange(args.incidents))
                for which, client in clients.items():
                    started = time.perf_counter()
                    answer = client.get(url)
                    times[which].append((time.perf_counter() - started) * 1000)
                    if answer.status_code != 200:
                        console.print(f"{url}: HTTP {answer.status_code}")
                        return 1
            results[name] = {
                which: {
                    "p50_ms": round(statistics.median(t), 2),
                    "p95_ms": round(_p(t, 0.95), 2),
                }
                for which, t in times.items()
            }
    table = Table(
        title=f"review overlay, {args.incidents} incidents, {args.decisions} decisions, "
        f"{args.requests} requests each"
    )
    for col in ("endpoint", "machine p50", "reviewed p50", "machine p95", "reviewed p95", "+p50"):
        table.add_column(col, justify="left" if col == "endpoint" else "right")
    for name, r in results.items():
        m, v = r["machine"], r["reviewed"]
        table.add_row(name, f"{m['p50_ms']:.1f}", f"{v['p50_ms']:.1f}", f"{m['p95_ms']:.1f}",
                      f"{v['p95_ms']:.1f}", f"{v['p50_ms'] - m['p50_ms']:+.1f}")  # fmt: skip
    console.print(table)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        out = {"incidents": args.incidents, "decisions": args.decisions, "endpoints": results}
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
