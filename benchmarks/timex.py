"""Dates: TimeML value accuracy on TempEval-3 platinum (test) and AQUAINT (dev).

Each document's creation time (DCT) is its publication date. Two measurements
of DATE timexes (TIMEX3 type="DATE"):

(a) gold spans: each gold DATE span is given to `DateRules.resolve_span`
    (the span's text, with its sentence's parse for tense), and the `When`
    it returns is mapped to a TimeML value (`eventledger.evaluation.timex`);
    value accuracy = exact value matches / gold DATE timexes;
(b) end to end: the dates stage runs over the text; its dates with a value
    are matched to gold DATE timexes by overlap (relaxed span) and value F1
    is computed; predictions overlapping gold DURATION/TIME/SET timexes are
    ignored (TempEval-3 scores those types separately).

The text is the gold file's TEXT with its tags stripped (the same text as the
TE3 input files). Anchor: HeidelTime value F1 about 77.6 on platinum
(UzZaman et al. 2013, from memory in SOURCE.md; not re-checked).

    .venv/bin/python benchmarks/timex.py --json out/timex.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventledger.config import load_settings
from eventledger.evaluation.timex import TimeMLDoc, read_timeml, timeml_value, value_f1
from eventledger.models import Article
from eventledger.pipeline import Document
from eventledger.stages.annotate import SpacyAnnotator
from eventledger.stages.dates import DateRules

ROOT = Path(__file__).resolve().parent.parent
SPLITS = {"test": "te3-platinum", "dev": "aquaint-dev"}


def run_split(
    tml: list[TimeMLDoc], annotator: SpacyAnnotator, rules: DateRules, errors: Counter | None
) -> dict:
    docs = [
        Document(
            Article(id=d.id, key=d.id, text=d.text, published=d.dct, published_source="metadata")
        )
        for d in tml
    ]
    docs = list(annotator.pipe(docs))
    right = total = 0
    counts = []
    for gold, doc in zip(tml, docs, strict=True):
        for t in gold.dates:
            total += 1
            value = timeml_value(rules.resolve_span(doc, t.start, t.end))
            right += value == t.value
            if errors is not None and value != t.value:
                errors[
                    (
                        t.text.lower(),
                        t.value[:4] if t.value[:1].isdigit() else t.value,
                        value is None,
                    )
                ] += 1
        rules(doc)
        pred = [(m.start, m.end, timeml_value(m.value)) for m in doc.dates]
        pred = [(s, e, v) for s, e, v in pred if v is not None]
        gold_dates = [(t.start, t.end, t.value) for t in gold.dates]
        other = [(t.start, t.end) for t in gold.timexes if t.type != "DATE"]
        counts.append(value_f1(pred, gold_dates, other)[:3])
    c, p, g = (sum(x[i] for x in counts) for i in range(3))
    prec = c / p if p else 0.0
    rec = c / g if g else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {
        "gold_spans": {"date_value_acc": round(right / total, 4) if total else None, "n": total},
        "end_to_end": {
            "value_f1": round(f1, 4),
            "value_precision": round(prec, 4),
            "value_recall": round(rec, 4),
            "correct": c,
            "predicted": p,
            "gold": g,
        },
        "documents": len(tml),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--json", help="write the figures to this JSON file")
    ap.add_argument("--split", choices=["all", *SPLITS], default="all", help="tune on dev")
    ap.add_argument("--errors", type=int, default=0, help="print the N commonest misses (dev)")
    args = ap.parse_args(argv)
    folder = Path(args.data) / "tempeval3"
    if not (folder / SPLITS["test"]).is_dir():
        print(f"TempEval-3 data not found under {folder}; skipping", file=sys.stderr)
        return 0
    t0 = time.perf_counter()
    settings = load_settings()
    annotator = SpacyAnnotator(settings)
    rules = DateRules(settings)
    results = {}
    errors: Counter = Counter()
    for split, sub in SPLITS.items():
        if args.split not in ("all", split):
            continue
        files = sorted((folder / sub).glob("*.tml"))
        if files:
            tml = [read_timeml(f) for f in files]
            results[split] = run_split(tml, annotator, rules, errors if split == "dev" else None)
    seconds = time.perf_counter() - t0

    console = Console(width=150)
    table = Table(title="TempEval-3 DATE timexes: TimeML value")
    for c in (
        "split",
        "docs",
        "gold DATE",
        "(a) value acc, gold spans",
        "(b) value P",
        "(b) value R",
        "(b) value F1",
        "anchor",
    ):
        table.add_column(c, justify="right")
    for split, r in results.items():
        e = r["end_to_end"]
        table.add_row(
            f"{split} ({SPLITS[split]})",
            str(r["documents"]),
            str(r["gold_spans"]["n"]),
            str(r["gold_spans"]["date_value_acc"]),
            str(e["value_precision"]),
            str(e["value_recall"]),
            str(e["value_f1"]),
            "HeidelTime F1 ~77.6" if split == "test" else "",
        )
    console.print(table)
    if args.errors:
        for (text, value, unresolved), n in errors.most_common(args.errors):
            console.print(f"{n:3d}  {text!r} gold {value} {'(no value)' if unresolved else ''}")
    console.print(f"run time {seconds:.1f} s")
    if args.json:
        out = (
            {k: results["test"][k] for k in ("gold_spans", "end_to_end")}
            if "test" in results
            else {}
        )
        if "dev" in results:
            out["dev"] = {k: results["dev"][k] for k in ("gold_spans", "end_to_end")}
        out["seconds"] = round(seconds, 1)
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
