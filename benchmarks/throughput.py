"""Throughput: the full ledger ingest against bare spaCy on the same texts.

In one run, N copies of the example articles go through (a) bare `nlp.pipe`
of the same spaCy model over the cleaned article texts, in one process on
one core: the baseline is single-process spaCy; and (b) the full
`eventledger` ingest (readers already done, then cleaning, every stage,
SQLite storage, incident linking) once per worker count in `--workers`: 0
runs the stages in the ingesting process, N runs them in N worker processes
while the ingesting process stores and links. Prints words per second for
each, the ratio to the baseline for each worker count (goal: at least 0.9,
issue 18) and the process's peak RSS.

The workers are started, and have loaded their models, before the clock
starts, as the in-process pipeline and the baseline's spaCy are; how long
that start took is reported apart (`workers_start_s`). With N workers the
ingest uses up to N + 1 cores against the baseline's one: `--workers 1` (one
process parsing while the ingesting one stores) is the like-for-like overlap.
With a largest count N over 1, spaCy alone in N processes is timed too, and
`ratio_workersN_vs_spacy_processesN` compares the two at the same process count.

    .venv/bin/python benchmarks/throughput.py --copies 20 --workers 0,1,2 --json out/throughput.json
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventledger.batch.local import ingest_raw
from eventledger.config import load_settings
from eventledger.errors import InputError
from eventledger.pipeline import Pipeline
from eventledger.pipeline.processes import ProcessPipeline
from eventledger.stages.annotate import load_nlp, paragraphs
from eventledger.stages.ingest import read_paths, to_article
from eventledger.storage import Ledger

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import replicate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", default=str(ROOT / "examples" / "articles"))
    ap.add_argument("--copies", type=int, default=20, help="copies of the example set")
    ap.add_argument(
        "--rounds", type=int, default=2, help="alternating rounds; best of each is kept"
    )
    ap.add_argument(
        "--workers",
        default="0",
        help="comma-separated worker counts to time the ingest with (0: in-process)",
    )
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)
    try:
        counts = [int(w) for w in args.workers.split(",")]
    except ValueError:
        ap.error(f"--workers {args.workers!r}: expected counts such as 0,1,2")
    if any(w < 0 for w in counts):
        ap.error("--workers: counts are 0 or more")

    settings = load_settings()
    raws = [r for r in read_paths([args.articles]) if not isinstance(r, InputError)]
    if not raws:
        print(f"no articles under {args.articles}; nothing to measure", file=sys.stderr)
        return 0
    copies = replicate(raws, args.copies)
    texts = [to_article(r).text for r in copies]
    words = sum(len(t.split()) for t in texts)

    nlp = load_nlp(settings.nlp_model)
    list(nlp.pipe(texts[:4]))  # warm up
    # Two baselines: whole article texts (the plain way to call spaCy) and the
    # same paragraphs the ledger feeds, so the ratio's meaning is clear.
    paras = [p for t in texts for _, p in paragraphs(t)]
    spacy_s = para_s = multi_s = float("inf")
    most = max(counts)
    ledger_s = dict.fromkeys(counts, float("inf"))
    starts: dict[int, float] = {}
    runners: dict[int, Pipeline | ProcessPipeline] = {}
    try:
        for w in counts:
            t0 = time.perf_counter()
            # Every stage's data (and each worker's) is loaded before timing.
            runners[w] = (
                Pipeline.from_settings(settings) if w == 0 else ProcessPipeline(settings, w)
            )
            if isinstance(runners[w], ProcessPipeline):
                runners[w].start()
            starts[w] = time.perf_counter() - t0
        # Alternate the measurements and keep the best round of each, so a
        # burst of load from elsewhere on the machine does not decide the ratio.
        for round_ in range(args.rounds):
            t0 = time.perf_counter()
            for _ in nlp.pipe(texts, batch_size=settings.nlp_batch_size):
                pass
            spacy_s = min(spacy_s, time.perf_counter() - t0)
            t0 = time.perf_counter()
            for _ in nlp.pipe(paras, batch_size=settings.nlp_batch_size):
                pass
            para_s = min(para_s, time.perf_counter() - t0)
            if most > 1:
                # the like-for-like baseline of N workers: spaCy in N processes
                t0 = time.perf_counter()
                for _ in nlp.pipe(texts, batch_size=settings.nlp_batch_size, n_process=most):
                    pass
                multi_s = min(multi_s, time.perf_counter() - t0)
            for w in counts:
                with tempfile.TemporaryDirectory() as tmp:
                    ledger = Ledger(str(Path(tmp) / f"bench{round_}-{w}.db"))
                    t0 = time.perf_counter()
                    report = ingest_raw(copies, ledger, settings, pipeline=runners[w])
                    ledger_s[w] = min(ledger_s[w], time.perf_counter() - t0)
                    ledger.close()
                if report.stored != len(copies):
                    print(
                        f"warning: workers={w} stored {report.stored} of {len(copies)} articles",
                        file=sys.stderr,
                    )
    finally:
        for runner in runners.values():
            if isinstance(runner, ProcessPipeline):
                runner.close()

    result: dict[str, object] = {
        "articles": len(copies),
        "rounds": args.rounds,
        "words": words,
        "baseline": "bare spaCy nlp.pipe, one process",
        "spacy_wps": round(words / spacy_s, 1),
        "spacy_paragraph_wps": round(words / para_s, 1),
    }
    for w in counts:
        result[f"ledger_wps_workers{w}"] = round(words / ledger_s[w], 1)
        result[f"ratio_workers{w}"] = round(spacy_s / ledger_s[w], 3)
        result[f"ratio_vs_paragraphs_workers{w}"] = round(para_s / ledger_s[w], 3)
        if w:
            result[f"workers_start_s_workers{w}"] = round(starts[w], 2)
    if most > 1:
        result[f"spacy_wps_processes{most}"] = round(words / multi_s, 1)
        result[f"ratio_workers{most}_vs_spacy_processes{most}"] = round(multi_s / ledger_s[most], 3)
    # The keys of a single in-process run, as before this option existed.
    if 0 in counts:
        result["ledger_wps"] = result["ledger_wps_workers0"]
        result["ratio"] = result["ratio_workers0"]
        result["ratio_vs_paragraphs"] = result["ratio_vs_paragraphs_workers0"]
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    # The ingesting process's only: a spawned worker's ru_maxrss can carry the
    # parent's peak from before its exec, so the children's figure says little.
    table = Table(title="throughput (words per second)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        table.add_row(key, str(value))
    Console().print(table)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
