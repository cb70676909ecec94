"""Scale: the same corpus through the local engine (1 process) and through Ray
with 1 and 2 workers, in one run.

The corpus is the example articles replicated to about `--articles` articles,
each copy with its own id (so each is stored and linked). Every engine
ingests into its own fresh SQLite ledger; the time covers building the
pipeline (the local engine) or starting the actors (Ray), the pipeline, storing
and incident linking. Ray itself is started once, before the timings.
With `--rounds N` the engines run in turn N times and each keeps its best
time: on a shared machine the speed drifts by 10% or more between minutes,
and alternating rounds let every engine meet the same drift.
Prints articles per second for each and the speed-up of 2 workers over 1.
Goals: 2 workers at least 1.7 x 1 worker on a 2-core machine; Ray within 10%
of the local engine per worker.

    .venv/bin/python benchmarks/scale.py --articles 2000 --rounds 3 --json out/scale.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventledger.batch.local import ingest_raw
from eventledger.config import load_settings
from eventledger.errors import InputError
from eventledger.stages.ingest import RawArticle, read_paths
from eventledger.storage import Ledger

ROOT = Path(__file__).resolve().parent.parent


def replicate(raws: list[RawArticle], copies: int) -> list[RawArticle]:
    """`copies` copies of the articles, each with its own id and no URL (so none is a revision)."""
    return [
        dataclasses.replace(r, id=f"copy{i}-{n}", url=None)
        for i in range(copies)
        for n, r in enumerate(raws)
    ]


def corpus(folder: str, articles: int) -> list[RawArticle]:
    """The articles under `folder`, replicated to about `articles`, each copy with its own id."""
    raws = [r for r in read_paths([folder]) if not isinstance(r, InputError)]
    return replicate(raws, max(1, math.ceil(articles / len(raws))) if raws else 0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000, help="about this many articles")
    ap.add_argument("--source", default=str(ROOT / "examples" / "articles"))
    ap.add_argument("--rounds", type=int, default=1, help="run the engines in turn this often")
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)
    try:
        import ray
    except ImportError:
        print("ray is not installed (pip install 'eventledger[ray]'); nothing to measure")
        return 0
    from eventledger.batch.ray_engine import ingest_ray_raw

    settings = load_settings()
    raws = corpus(args.source, args.articles)
    if not raws:
        print(f"no articles under {args.source}; nothing to measure", file=sys.stderr)
        return 0
    console = Console()
    console.print(f"{len(raws)} articles")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    runs = {
        "local": lambda ledger: ingest_raw(raws, ledger, settings),
        "ray_1": lambda ledger: ingest_ray_raw(raws, ledger, settings, workers=1),
        "ray_2": lambda ledger: ingest_ray_raw(raws, ledger, settings, workers=2),
    }
    aps: dict[str, float] = dict.fromkeys(runs, 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(1, args.rounds + 1):
            for name, run in runs.items():
                with Ledger(str(Path(tmp) / f"{name}-{round_}.db")) as ledger:
                    started = time.perf_counter()
                    report = run(ledger)
                    seconds = time.perf_counter() - started
                if report.stored != len(raws):
                    console.print(f"[red]{name}: stored {report.stored} of {len(raws)}[/]")
                aps[name] = max(aps[name], report.stored / seconds)
                console.print(f"round {round_}, {name}: {report.stored} articles in {seconds:.1f}s")
    ray.shutdown()
    figures = {
        "articles": len(raws),
        "rounds": args.rounds,
        "local_aps": round(aps["local"], 3),
        "ray_1_aps": round(aps["ray_1"], 3),
        "ray_2_aps": round(aps["ray_2"], 3),
        "speedup_2_workers": round(aps["ray_2"] / aps["ray_1"], 3),
        "ray_1_vs_local": round(aps["ray_1"] / aps["local"], 3),
    }
    table = Table(title=f"scale: articles per second, best of {args.rounds} round(s)")
    for column in ("engine", "articles/s"):
        table.add_column(column)
    for name in runs:
        table.add_row(name, f"{aps[name]:.2f}")
    table.add_row("speed-up, 2 workers over 1", f"{figures['speedup_2_workers']:.2f} (goal 1.7)")
    table.add_row("ray 1 worker / local", f"{figures['ray_1_vs_local']:.2f} (goal 0.9 or more)")
    console.print(table)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
