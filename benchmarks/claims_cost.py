"""The claims stage's own CPU time per article, for several claims stages side by side.

The example articles (N copies, each its own article) are cleaned and parsed
once; then each claims stage runs on every parsed article, the stages in turn,
`--rounds` times, and the median of its rounds is reported per article. Only
the claims stage is timed (the process's CPU time, BLAS threads included, so
the figure holds on a busy machine), the way the pipeline runs it: through the stage's `pipe` in batches
of `doc_batch_size` where it has one, else one article at a time. The stages'
claims are compared too: a stage meant to give another's outputs faster can be
checked with `--same-as`.

    .venv/bin/python benchmarks/claims_cost.py --stages claims.model.v3,claims.model.v5 --json out/claims_cost.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from itertools import islice
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from eventledger.config import load_settings
from eventledger.errors import InputError
from eventledger.pipeline import Document, build_stage
from eventledger.stages.ingest import read_paths, to_article

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import replicate  # noqa: E402


def run_stage(stage: Any, docs: list[Document], batch: int) -> float:
    """Run a claims stage on `docs` (their claims reset first); its CPU seconds (all threads)."""
    for doc in docs:
        doc.claims = []
        doc._counters.pop("cl", None)  # claim ids count up per run
    pipe = getattr(stage, "pipe", None)
    it = iter(docs)
    start = time.process_time()
    while chunk := list(islice(it, batch)):
        if pipe is not None:
            list(pipe(chunk))
        else:
            for doc in chunk:
                stage(doc)
    return time.process_time() - start


def claim_keys(docs: list[Document]) -> list[tuple[Any, ...]]:
    """What a stage found, as comparable tuples."""

    def span(ev: Any) -> tuple[int, int] | None:
        return None if ev is None else (ev.start, ev.end)

    return [
        (
            c.id,
            c.speaker.name if c.speaker is not None else None,
            span(c.source_evidence),
            span(c.cue_evidence),
            span(c.content_evidence),
            c.cue,
            c.content,
            c.stance,
            c.direct,
            c.channel,
            c.denies,
        )
        for doc in docs
        for c in doc.claims
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", default=str(ROOT / "examples" / "articles"))
    ap.add_argument("--copies", type=int, default=10, help="copies of the example set")
    ap.add_argument("--rounds", type=int, default=5, help="runs of each stage (median kept)")
    ap.add_argument(
        "--stages",
        default="claims.model.v3,claims.model.v5,claims.model.v6",
        help="comma-separated claims stages",
    )
    ap.add_argument("--json", help="write the figures to this JSON file")
    ap.add_argument(
        "--same-as",
        help="STAGE=OTHER: exit 1 unless STAGE finds the claims OTHER finds "
        "(e.g. claims.model.v6=claims.model.v5)",
    )
    args = ap.parse_args(argv)
    settings = load_settings()
    console = Console(width=120)
    raws = [r for r in read_paths([args.articles]) if not isinstance(r, InputError)]
    if not raws:
        console.print(f"no articles under {args.articles}: skipping.")
        return 0
    docs = [Document(to_article(r)) for r in replicate(raws, args.copies)]
    annotate = build_stage("annotate.spacy.v1", settings)
    docs = list(annotate.pipe(docs))
    words = sum(len(d.text.split()) for d in docs)
    names = [s.strip() for s in args.stages.split(",") if s.strip()]
    stages = {name: build_stage(name, settings) for name in names}
    times: dict[str, list[float]] = {name: [] for name in names}
    found: dict[str, list[tuple[Any, ...]]] = {}
    for stage in stages.values():  # warm-up: caches, lazy loads
        run_stage(stage, docs[:8], settings.doc_batch_size)
    for _ in range(args.rounds):
        for name, stage in stages.items():
            times[name].append(run_stage(stage, docs, settings.doc_batch_size))
            found[name] = claim_keys(docs)
    table = Table(title=f"claims stage alone: {len(docs)} articles, {words} words")
    for col in ("stage", "ms / article (median)", "min", "max", "claims"):
        table.add_column(col, justify="right" if col != "stage" else "left")
    out: dict[str, Any] = {"articles": len(docs), "words": words, "rounds": args.rounds}
    for name in names:
        per = [1000 * t / len(docs) for t in times[name]]
        med = statistics.median(per)
        table.add_row(
            name, f"{med:.2f}", f"{min(per):.2f}", f"{max(per):.2f}", str(len(found[name]))
        )
        out[name] = {"ms_per_article": med, "runs_ms": per, "claims": len(found[name])}
    console.print(table)
    status = 0
    if args.same_as:
        stage, other = args.same_as.split("=")
        same = found[stage] == found[other]
        out["same_as"] = {"stage": stage, "other": other, "same": same}
        console.print(f"{stage} claims {'==' if same else '!='} {other} claims")
        status = 0 if same else 1
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=2), "utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
