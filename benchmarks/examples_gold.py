"""Accuracy on the bundled example articles against the hand-written golden
expectations (tests/golden/examples.json): figures, asserted events and
claims, with attribute accuracies. The same scores gate CI through
tests/evaluation/test_golden.py (floors in tests/golden/gate.json).

    .venv/bin/python benchmarks/examples_gold.py --json out/examples_gold.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventledger.batch.local import ingest
from eventledger.config import load_settings
from eventledger.evaluation import score_against_golden
from eventledger.storage import Ledger

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", default=str(ROOT / "examples" / "articles"))
    ap.add_argument("--golden", default=str(ROOT / "tests" / "golden" / "examples.json"))
    ap.add_argument("--json", help="write the scores to this JSON file")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(str(Path(tmp) / "gold.db"))
        ingest([args.articles], ledger, load_settings())
        scores = score_against_golden(ledger.export(), json.loads(Path(args.golden).read_text()))
        ledger.close()
    table = Table(title="examples vs golden")
    for col in ("records", "precision", "recall", "f1", "matched", "predicted", "gold"):
        table.add_column(col, justify="right")
    for kind in ("figures", "events", "claims"):
        s = scores[kind]
        table.add_row(
            kind,
            *(str(s[k]) for k in ("precision", "recall", "f1", "matched", "predicted", "gold")),
        )
    Console().print(table)
    attrs = Table(title="attribute accuracy on matched records")
    attrs.add_column("attribute")
    attrs.add_column("accuracy", justify="right")
    for k, v in scores["attributes"].items():
        attrs.add_row(k, str(v))
    Console().print(attrs)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(scores, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
