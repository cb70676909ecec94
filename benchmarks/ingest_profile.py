"""Where the ingest's CPU goes: each stage, and the caller's thread (plan, store, link).

The throughput benchmark's workload (N copies of the example articles, readers
already done) goes through `ingest_raw` once after a warm-up. Each stage is
wrapped to add up the CPU time of the thread it runs in (`pipe_ahead` runs the
parse and the rule stages in worker threads); the caller's thread CPU is what
planning, storage and incident linking cost. CPU time, not wall time, so the
split holds on a busy machine; the wall time is printed too.

With `--workers N` the stages run in N worker processes (`ingest --workers`):
the caller's thread then plans, receives, stores and links, and the workers'
CPU running the stages (as each worker measures it, all its threads; the
models loading not included) is given as one figure, with the start-up's
wall time in the JSON.

    .venv/bin/python benchmarks/ingest_profile.py --copies 10 --json out/ingest_profile.json
    .venv/bin/python benchmarks/ingest_profile.py --copies 10 --workers 1 --json out/ingest_profile_w1.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from eventledger.batch.local import ingest_raw
from eventledger.config import load_settings
from eventledger.errors import InputError
from eventledger.pipeline import Document, Pipeline
from eventledger.pipeline.processes import ProcessPipeline
from eventledger.stages.ingest import read_paths
from eventledger.storage import Ledger

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import replicate  # noqa: E402


class _Timed:
    """A stage that adds up the CPU time of the thread it runs in."""

    def __init__(self, stage: Any) -> None:
        self.stage = stage
        self.name = stage.name
        self.requires, self.assigns = stage.requires, stage.assigns
        self.cpu = 0.0
        if hasattr(stage, "pipe"):
            self.pipe = self._pipe

    def __call__(self, doc: Document) -> Document:
        started = time.thread_time()
        try:
            return self.stage(doc)
        finally:
            self.cpu += time.thread_time() - started

    def _pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        started = time.thread_time()
        try:
            return iter(list(self.stage.pipe(docs)))
        finally:
            self.cpu += time.thread_time() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", default=str(ROOT / "examples" / "articles"))
    ap.add_argument("--copies", type=int, default=10, help="copies of the example set")
    ap.add_argument(
        "--workers", type=int, default=0, help="worker processes (0: the stages run in-process)"
    )
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)
    if args.workers < 0:
        ap.error("--workers: 0 or more")

    settings = load_settings()
    raws = [r for r in read_paths([args.articles]) if not isinstance(r, InputError)]
    if not raws:
        print(f"no articles under {args.articles}; nothing to measure", file=sys.stderr)
        return 0
    copies = replicate(raws, args.copies)
    if args.workers:
        parts, result = _profile_workers(copies, settings, args.workers)
    else:
        parts, result = _profile_in_process(copies, settings)
    process = result["process_cpu_s"]
    wall = result["wall_s"]
    title = f"ingest CPU by part, {len(copies)} articles, wall {wall:.1f} s"
    if args.workers:
        title += f", {args.workers} worker process(es)"
    table = Table(title=title)
    table.add_column("part")
    table.add_column("CPU s", justify="right")
    table.add_column("share", justify="right")
    for name, cpu in parts.items():
        share = f"{cpu / process:.1%}" if process and not args.workers else "-"
        table.add_row(name, f"{cpu:.2f}", share)
    if args.workers:
        table.add_row("caller process (all threads)", f"{process:.2f}", "")
    else:
        table.add_row("process (all threads)", f"{process:.2f}", "100%")
    Console().print(table)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


def _profile_in_process(copies: list, settings: Any) -> tuple[dict[str, float], dict[str, Any]]:
    stages = [_Timed(s) for s in Pipeline.from_settings(settings).stages]
    pipeline = Pipeline(stages)
    with tempfile.TemporaryDirectory() as tmp:
        with Ledger(str(Path(tmp) / "warm.db")) as ledger:
            ingest_raw(copies[:8], ledger, settings, pipeline=pipeline)
        for s in stages:
            s.cpu = 0.0
        with Ledger(str(Path(tmp) / "profile.db")) as ledger:
            wall, caller, process = time.perf_counter(), time.thread_time(), time.process_time()
            report = ingest_raw(copies, ledger, settings, pipeline=pipeline)
            wall = time.perf_counter() - wall
            caller = time.thread_time() - caller
            process = time.process_time() - process
    parts = {s.name: s.cpu for s in stages}
    parts["caller thread: plan, store, link"] = caller
    return parts, {
        "articles": len(copies),
        "stored": report.stored,
        "wall_s": round(wall, 2),
        "process_cpu_s": round(process, 2),
        "cpu_s": {k: round(v, 3) for k, v in parts.items()},
    }


def _profile_workers(
    copies: list, settings: Any, workers: int
) -> tuple[dict[str, float], dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with ProcessPipeline(settings, workers) as processes:
            start = time.perf_counter() - start
            with Ledger(str(Path(tmp) / "warm.db")) as ledger:
                ingest_raw(copies[:8], ledger, settings, pipeline=processes)
            processes.cpu_seconds = 0.0
            with Ledger(str(Path(tmp) / "profile.db")) as ledger:
                wall, caller, process = time.perf_counter(), time.thread_time(), time.process_time()
                report = ingest_raw(copies, ledger, settings, pipeline=processes)
                wall = time.perf_counter() - wall
                caller = time.thread_time() - caller
                process = time.process_time() - process
            worker_cpu = processes.cpu_seconds
    parts = {
        "caller thread: plan, receive, store, link": caller,
        f"{workers} worker process(es): every stage": worker_cpu,
    }
    return parts, {
        "articles": len(copies),
        "stored": report.stored,
        "workers": workers,
        "workers_start_wall_s": round(start, 2),
        "wall_s": round(wall, 2),
        "process_cpu_s": round(process, 2),
        "cpu_s": {k: round(v, 3) for k, v in parts.items()},
    }


if __name__ == "__main__":
    sys.exit(main())
