"""The document pairs the incident linker gets wrong on GVC or ECB+: pairs it
joins that the gold keeps apart, and pairs of one gold incident it leaves apart,
each with what the linker knew of both documents (publication day, and per
linkable event its type, date with its rule, and place with its region).

A companion to `coref.py` (same ingestion, same clustering, same no-date mode
for ECB+), for finding what splits or wrongly joins reports: whether a date
rule, a place resolution or the text threshold kept two reports apart.

    .venv/bin/python benchmarks/coref_pairs.py --corpus gvc --split dev --json out/pairs.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from coref import ROOT, _doc_clusters, _jsonl, _raw, _relink
from eventledger.batch.local import ingest_raw
from eventledger.config import load_settings
from eventledger.evaluation.coref import b_cubed
from eventledger.models import Event
from eventledger.storage import Ledger

LINKABLE = ("asserted", "historical")


def describe(event: Event) -> str:
    """One event as the linker compares it: type, date (rule), place (region, country)."""
    when = event.date
    date = f"{when.start}..{when.end} {when.precision}/{when.rule}" if when and when.start else "-"
    place = event.place
    where = (
        "/".join(str(x) for x in (place.facility, place.name, place.admin1, place.country) if x)
        if place
        else "-"
    )
    return f"{event.type} [{date}] [{where or '-'}]"


def pairs(corpus: str, data: Path, split: str) -> dict[str, Any] | None:
    docs_path = data / corpus / f"{split}.docs.jsonl.gz"
    if not docs_path.exists():
        return None
    docs = _jsonl(docs_path)
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(str(Path(tmp) / f"{corpus}.db"))
        ingest_raw((_raw(corpus, d) for d in docs), ledger, settings)
        if corpus == "ecbplus":
            _relink(ledger, settings)
        ids = [d["doc_id"] for d in docs]
        predicted = _doc_clusters(ledger, ids)
        stored = {a.source: a for a in ledger.documents()}
        incidents = ledger.incidents()
        info = {}
        for doc_id, article in stored.items():
            events = [e for e in ledger.events_of(article.id) if e.factuality in LINKABLE]
            info[doc_id] = {
                "published": article.published,
                "events": [describe(e) for e in events],
            }
        gold = {d["doc_id"]: d["subtopic"] for d in docs}
        out: list[dict[str, Any]] = []
        for a, b in itertools.combinations(ids, 2):
            joined, same = predicted[a] == predicted[b], gold[a] == gold[b]
            if joined == same:
                continue
            why = [
                w
                for inc in incidents
                if {stored[a].id, stored[b].id} <= set(inc.document_ids)
                for w in inc.why
            ]
            out.append(
                {"error": "wrong join" if joined else "missed", "a": a, "b": b,
                 "gold_a": gold[a], "gold_b": gold[b], "doc_a": info[a], "doc_b": info[b],
                 "why": why}
            )  # fmt: skip
        ledger.close()
    scores = b_cubed(gold, predicted)
    return {
        "corpus": corpus,
        "split": split,
        "doc_b3_precision": round(scores.precision, 4),
        "doc_b3_recall": round(scores.recall, 4),
        "doc_b3_f1": round(scores.f1, 4),
        "pairs": out,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--corpus", default="gvc", choices=("gvc", "ecbplus"))
    ap.add_argument("--split", default="dev", choices=("dev", "test"))
    ap.add_argument("--json", help="write the pairs to this JSON file")
    args = ap.parse_args(argv)
    found = pairs(args.corpus, Path(args.data), args.split)
    if found is None:
        print(f"{args.corpus}: no data under {args.data}/{args.corpus}; skipped", file=sys.stderr)
        return 0
    table = Table(
        title=f"{args.corpus} {args.split}: doc B³ P {found['doc_b3_precision']} "
        f"R {found['doc_b3_recall']} F1 {found['doc_b3_f1']}; wrongly joined and missed pairs"
    )
    for col in ("error", "document (published, gold): linkable events", "other document", "why"):
        table.add_column(col)
    for p in found["pairs"]:
        sides = [
            escape(f"{p[k][:8]} ({p['doc_' + k]['published']}, {p['gold_' + k]})\n")
            + escape("\n".join(p["doc_" + k]["events"]) or "no linkable event")
            for k in ("a", "b")
        ]
        table.add_row(p["error"], *sides, escape("\n".join(p["why"])))
    Console(width=220).print(table)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(found, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
