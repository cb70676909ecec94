"""CASE 2021 task 2: the ACLED sub-event type eventledger gives each event
snippet, against the task's gold label; per-type and macro F1.

    .venv/bin/python benchmarks/case2021.py --json out/case2021.json

Data: ../shared/data/case2021-task2/test_with_labels.tsv (see its
SOURCE.md; evaluation only, never training). The prediction for a snippet is
the ACLED sub-event type of its first asserted event (of its first event of
any factuality when none is asserted); a snippet with no event gets no type.

Three settings, as the task's three subtasks:
- `acled25`: the rows labelled with one of ACLED's 25 sub-event types; macro
  F1 over those 25 types (a snippet with no prediction is a miss);
- `unseen3`: adds the rows of the three "unseen" types (ORG_CRIME,
  NATURAL_DISASTER, MAN_MADE_DISASTER) as one class `NOT_ACLED`, which a
  snippet with no event (or no sub-event type) predicts; macro F1 over 26;
- `unseen5`: the same with all five unseen types (adds DIPLO, ATTRIB).
`accuracy` is the share of rows whose prediction is the gold label (micro F1).

Two scopes, side by side by default (`--scope default|wide|both`): the
default pipeline, and the same with the opt-in `events.acled_wide.v1` after
the events rules (all 25 types; docs/models.md). The JSON holds the first
scope at the top level and the wide run under `wide`.

Split: none is public for training. A fixed fifth of the rows is the **dev**
slice (crc32 of the row id, mod 5 == 0) on which anything may be tuned; the
other four fifths are **test**. `--split dev|test|all` (default test).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from eventledger.config import load_settings
from eventledger.evaluation.metrics import prf
from eventledger.evaluation.runner import run_texts
from eventledger.pipeline import Document, Pipeline

ROOT = Path(__file__).resolve().parent.parent
FILE = "test_with_labels.tsv"

# The task's codes for ACLED's sub-event types.
ACLED = {
    "Abduction/forced disappearance": "ABDUCT_DISSAP",
    "Agreement": "AGREEMENT",
    "Air/drone strike": "AIR_STRIKE",
    "Armed clash": "ARMED_CLASH",
    "Arrests": "ARREST",
    "Shelling/artillery/missile attack": "ART_MISS_ATTACK",
    "Attack": "ATTACK",
    "Change to group/activity": "CHANGE_TO_GROUP_ACT",
    "Chemical weapon": "CHEM_WEAP",
    "Disrupted weapons use": "DISR_WEAP",
    "Excessive force against protesters": "FORCE_AGAINST_PROTEST",
    "Government regains territory": "GOV_REGAINS_TERIT",
    "Grenade": "GRENADE",
    "Headquarters or base established": "HQ_ESTABLISHED",
    "Mob violence": "MOB_VIOL",
    "Non-state actor overtakes territory": "NON_STATE_ACTOR_OVERTAKES_TER",
    "Non-violent transfer of territory": "NON_VIOL_TERRIT_TRANSFER",
    "Other": "OTHER",
    "Peaceful protest": "PEACE_PROTEST",
    "Looting/property destruction": "PROPERTY_DISTRUCT",
    "Protest with intervention": "PROTEST_WITH_INTER",
    "Remote explosive/landmine/IED": "REM_EXPLOS",
    "Sexual violence": "SEX_VIOL",
    "Suicide bomb": "SUIC_BOMB",
    "Violent demonstration": "VIOL_DEMONSTR",
}
SEEN = frozenset(ACLED.values())
UNSEEN3 = frozenset({"ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER"})
UNSEEN5 = UNSEEN3 | {"DIPLO", "ATTRIB"}
NOT_ACLED = "NOT_ACLED"
# The opt-in stage that gives all 25 types (docs/models.md, "ACLED sub-event type").
WIDE = "events.acled_wide.v1"


def load(data: Path) -> list[dict[str, str]]:
    """The snippets with their gold codes, in file order."""
    with (data / FILE).open(encoding="utf-8", newline="") as fh:
        return [
            {"id": r["id"], "text": r["EventSnippet"], "gold": r["SubType"].strip()}
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def split_of(row_id: str) -> str:
    """The fixed dev slice (a fifth, by crc32 of the id) or test."""
    return "dev" if zlib.crc32(row_id.encode()) % 5 == 0 else "test"


def predict(doc: Document) -> str | None:
    """The task code of the snippet's main event's ACLED sub-event type, or None."""
    events = [e for e in doc.events if e.factuality == "asserted"] or list(doc.events)
    if not events or not events[0].subtype:
        return None
    return ACLED.get(events[0].subtype, "OTHER")


def score(pairs: list[tuple[str, str | None]], labels: set[str]) -> dict[str, Any]:
    """Per-label P/R/F1 over `labels`, their macro F1, and accuracy."""
    per: dict[str, Any] = {}
    for lab in sorted(labels):
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        n_pred = sum(1 for _, p in pairs if p == lab)
        n_gold = sum(1 for g, _ in pairs if g == lab)
        if n_gold == 0 and n_pred == 0:
            continue  # a type absent from the rows and never predicted says nothing
        per[lab] = prf(tp, n_pred, n_gold) | {"matched": tp, "predicted": n_pred, "gold": n_gold}
    macro = sum(v["f1"] for v in per.values()) / len(per) if per else 0.0
    acc = sum(1 for g, p in pairs if g == p) / len(pairs) if pairs else 0.0
    return {
        "rows": len(pairs),
        "macro_f1": round(macro, 4),
        "accuracy": round(acc, 4),
        "types": per,
    }


def wide_pipeline(names: list[str]) -> list[str]:
    """The pipeline with ACLED's full scope: `events.acled_wide.v1` after the events rules."""
    if WIDE in names:
        return list(names)
    at = names.index("events.rules.v1") + 1 if "events.rules.v1" in names else len(names)
    return [*names[:at], WIDE, *names[at:]]


def evaluate(
    data: Path, which: str, limit: int | None = None, wide: bool = False
) -> dict[str, Any]:
    """Scores of the three settings on one split, by the default or the wide pipeline."""
    rows = [r for r in load(data) if which == "all" or split_of(r["id"]) == which]
    rows = rows[: limit or None]
    settings = load_settings()
    if wide:
        settings = settings.replace(pipeline=wide_pipeline(settings.pipeline))
    pipeline = Pipeline.from_settings(settings)
    items = [(f"case-{r['id']}", r["text"], None) for r in rows]
    preds = [predict(doc) for doc in run_texts(items, settings, pipeline)]
    out: dict[str, Any] = {"split": which}
    pairs25 = [(r["gold"], p) for r, p in zip(rows, preds, strict=True) if r["gold"] in SEEN]
    out["acled25"] = score(pairs25, set(SEEN))
    for name, unseen in (("unseen3", UNSEEN3), ("unseen5", UNSEEN5)):
        pairs = [
            (NOT_ACLED if r["gold"] in unseen else r["gold"], p or NOT_ACLED)
            for r, p in zip(rows, preds, strict=True)
            if r["gold"] in SEEN or r["gold"] in unseen
        ]
        out[name] = score(pairs, set(SEEN) | {NOT_ACLED})
    out["predicted"] = dict(Counter(p or "none" for p in preds).most_common())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--split", choices=["dev", "test", "all"], default="test")
    ap.add_argument("--limit", type=int, help="only the first N rows of the split")
    ap.add_argument("--json", help="write the scores to this JSON file")
    ap.add_argument(
        "--scope",
        choices=["default", "wide", "both"],
        default="both",
        help=f"the default pipeline, the one with {WIDE} (all 25 types), or both side by side",
    )
    args = ap.parse_args(argv)
    data = Path(args.data) / "case2021-task2"
    if not (data / FILE).exists():
        print(f"CASE 2021 task 2 data not found under {data}; skipping (see its SOURCE.md).")
        return 0
    scopes = ["default", "wide"] if args.scope == "both" else [args.scope]
    runs = {s: evaluate(data, args.split, args.limit, wide=s == "wide") for s in scopes}
    con = Console(width=max(100, 12 + 40 * len(scopes)))
    table = Table(title=f"CASE 2021 task 2, ACLED sub-event types ({args.split} split)")
    table.add_column("type", justify="right")
    for scope in scopes:
        for col in ("P", "R", "F1", "matched", "predicted"):
            table.add_column(f"{col} {scope}" if len(scopes) > 1 else col, justify="right")
    table.add_column("gold", justify="right")
    names = sorted({n for r in runs.values() for n in r["acled25"]["types"]})
    for name in names:
        cells = []
        gold = 0
        for scope in scopes:
            s = runs[scope]["acled25"]["types"].get(name)
            if s is None:
                cells += ["-"] * 5
                continue
            gold = s["gold"]
            cells += [f"{s[k]:.4f}" for k in ("precision", "recall", "f1")]
            cells += [str(s[k]) for k in ("matched", "predicted")]
        table.add_row(name, *cells, str(gold))
    con.print(table)
    summary = Table(title="macro F1 and accuracy per setting")
    for col in ("setting", "rows"):
        summary.add_column(col, justify="right")
    for scope in scopes:
        summary.add_column(f"macro F1 {scope}", justify="right")
        summary.add_column(f"accuracy {scope}", justify="right")
    first = runs[scopes[0]]
    for name in ("acled25", "unseen3", "unseen5"):
        cells = [name, str(first[name]["rows"])]
        for scope in scopes:
            s = runs[scope][name]
            cells += [f"{s['macro_f1']:.4f}", f"{s['accuracy']:.4f}"]
        summary.add_row(*cells)
    con.print(summary)
    if args.json:
        # The first scope's scores at the top level, as before; the wide run under "wide".
        res = dict(first)
        if "wide" in runs and scopes[0] != "wide":
            res["wide"] = runs["wide"]
        res["scope"] = scopes[0]
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
