"""Writer cost: what storing, fingerprinting and linking one parsed article costs,
apart from the parse.

The corpus is the one `scale.py` uses (the example articles replicated to
about `--articles`, each copy with its own id, so every story has many
reprints and its incidents grow). The pipeline runs once, untimed except for
its own line; then `store_documents` (one transaction per article: rows,
syndication fingerprint, incident links) runs over the parsed documents into
a fresh SQLite ledger, timed.

    .venv/bin/python benchmarks/writer.py --articles 2000 --json out/writer.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventledger.batch.local import IngestReport, planned_documents, store_documents
from eventledger.config import load_settings
from eventledger.pipeline import Pipeline
from eventledger.storage import Ledger

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000, help="about this many articles")
    ap.add_argument("--source", default=str(ROOT / "examples" / "articles"))
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)
    settings = load_settings()
    raws = corpus(args.source, args.articles)
    if not raws:
        print(f"no articles under {args.source}; nothing to measure", file=sys.stderr)
        return 0
    console = Console()
    pipeline = Pipeline.from_settings(settings)
    with Ledger("sqlite://") as scratch:
        planned = list(planned_documents(raws, scratch, settings, IngestReport()))
    started = time.perf_counter()
    docs = list(pipeline.pipe(planned, batch_size=settings.doc_batch_size))
    parse_s = time.perf_counter() - started
    for doc in docs:
        doc.paragraphs, doc.sentences = [], []  # free the spaCy Docs before timing
    figures: dict[str, float] = {"articles": len(docs)}
    report = IngestReport()
    with tempfile.TemporaryDirectory() as tmp, Ledger(str(Path(tmp) / "w.db")) as ledger:
        started = time.perf_counter()
        store_documents(docs, ledger, settings, report)
        store_s = time.perf_counter() - started
    if report.stored != len(docs):
        console.print(f"[red]stored {report.stored} of {len(docs)}[/]")
    figures["store_ms"] = round(1000 * store_s / len(docs), 2)
    figures["parse_ms"] = round(1000 * parse_s / len(docs), 2)
    table = Table(title=f"writer: ms per article ({len(docs)} articles)")
    table.add_column("step")
    table.add_column("ms/article")
    for label, key in (
        ("parse (pipeline)", "parse_ms"),
        ("store, fingerprint and link", "store_ms"),
    ):
        table.add_row(label, f"{figures[key]:.2f}")
    console.print(table)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
