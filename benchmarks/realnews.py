"""Accuracy on real published reports: ingest `realnews-dev/articles.jsonl`
into a fresh ledger, export it as JSON and score it with the dataset's own
`score.py` (event recall and attributes, figures, claims, false positives on
no-attack reports, records per gold event, incident linking, disagreements).

    .venv/bin/python benchmarks/realnews.py --data ../shared/data --json out/realnews.json

`--set NAME` picks another folder of the same layout under `--data`
(articles.jsonl, gold.json, score.py); `--verbose` prints the scorer's
per-item log (misses and hits). The scorer is run as a separate process, as
anyone scoring an export would. One more measure is computed here, with
the scorer's own matching rules (its module is loaded from the data folder):
the share of *published rows fully right*, the brief's yardstick: of the
asserted events exported, those that are a gold event's one strict match
(place, date, health-care flag) and whose perpetrator and point (within
25 km, where the gold has coordinates) are right too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent

# (label, path in the scorer's JSON, goal, higher is better)
MEASURES = (
    ("published rows fully right (asserted events)", "published_rows_fully_right", 90.0, True),
    ("gold events found (place, date, health-care flag)", "event_recall", 85.0, True),
    ("place right (<= 25 km or the named facility)", "event_attributes.place", 85.0, True),
    ("date right", "event_attributes.date", 90.0, True),
    ("perpetrator right", "event_attributes.perp", 80.0, True),
    ("health-care flag right", "event_attributes.health_care", 95.0, True),
    ("figures found (value, kind, scope, claimant)", "figure_recall", 85.0, True),
    ("figure claimant right", "figure_claimant_accuracy", 85.0, True),
    ("claims found", "claim_recall", None, True),
    ("asserted events exported per gold event", "events_per_gold_event", 1.2, False),
    ("asserted events on the no-attack reports", "no_event_false_positives.any", 0, False),
    ("linking F1 (pairwise over gold events)", "linking.f1", 85.0, True),
    ("toll disagreements flagged", "disagreements_flagged", 90.0, True),
)


def _fully_right(folder: Path, export: dict) -> float | None:
    """Percent of exported asserted events that are fully right (module doc)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("realnews_score", folder / "score.py")
    if spec is None or spec.loader is None:
        return None
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    docs = scorer.map_documents(export, gold)
    total = right = 0
    for gid, article in gold["articles"].items():
        rows = [e for e in scorer.by_doc(export.get("events"), docs.get(gid)) if scorer.asserted(e)]
        matches = scorer.match_events(article["events"], rows)
        strict = {
            id(s): g for g, (s, _) in zip(article["events"], matches, strict=True) if s is not None
        }
        for row in rows:
            total += 1
            g = strict.get(id(row))
            right += g is not None and (
                scorer.perp_ok(g, row) is not False and scorer.near_ok(g, row) is not False
            )
    return round(100 * right / total, 1) if total else None


def _get(data: dict, path: str):
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--set", default="realnews-dev", help="folder under --data")
    ap.add_argument("--json", help="write the figures to this JSON file")
    ap.add_argument("--verbose", action="store_true", help="print the scorer's per-item log")
    ap.add_argument("--keep", help="keep the ledger and the export in this folder")
    args = ap.parse_args(argv)

    folder = Path(args.data) / args.set
    needed = [folder / n for n in ("articles.jsonl", "gold.json", "score.py")]
    missing = [str(p) for p in needed if not p.exists()]
    if missing:
        print(f"skipped: {', '.join(missing)} not found (pass --data DIR)")
        return 0

    from eventledger.batch.local import ingest
    from eventledger.config import load_settings
    from eventledger.export import write_json
    from eventledger.storage import Ledger

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        db, export = work / "realnews.db", work / "realnews.json"
        db.unlink(missing_ok=True)
        ledger = Ledger(str(db))
        t0 = time.perf_counter()
        ingest([str(folder / "articles.jsonl")], ledger, load_settings())
        seconds = time.perf_counter() - t0
        with open(export, "w", encoding="utf-8") as fh:
            write_json(ledger.export(), fh)
        ledger.close()
        scored = work / "scores.json"
        cmd = [sys.executable, str(folder / "score.py"), str(export), str(folder / "gold.json")]
        cmd += ["--json", str(scored)] + (["--verbose"] if args.verbose else [])
        run = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if args.verbose:
            print(run.stdout)
        if not scored.exists():
            print(run.stdout[-2000:], run.stderr[-2000:], sep="\n")
            print("the scorer wrote no figures")
            return 1
        scores = json.loads(scored.read_text(encoding="utf-8"))
        scores["published_rows_fully_right"] = _fully_right(
            folder, json.loads(export.read_text(encoding="utf-8"))
        )

    table = Table(title=f"{args.set}: {scores.get('documents_found')} documents, {seconds:.1f} s")
    for col in ("measure", "value", "goal", "met"):
        table.add_column(col, justify="left" if col == "measure" else "right")
    results = {}
    for label, path, goal, higher in MEASURES:
        value = _get(scores, path)
        met = None
        if value is not None and goal is not None:
            met = value >= goal if higher else value <= goal
        results[path] = {"label": label, "value": value, "goal": goal, "met": met}
        table.add_row(
            label,
            "n/a" if value is None else f"{value}",
            "" if goal is None else ("≥ " if higher else "≤ ") + f"{goal}",
            {True: "yes", False: "no", None: ""}[met],
        )
    Console().print(table)
    if args.json:
        out = {"set": args.set, "seconds": round(seconds, 2), "scores": scores, "goals": results}
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
