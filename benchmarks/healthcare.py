"""Insecurity Insight attacks on health care: from each Event Description
alone, predict the health-care indicators, the perpetrator and weapon
categories and the health-worker counts; per-field precision, recall, F1.

    .venv/bin/python benchmarks/healthcare.py --json out/healthcare.json

Data: ../shared/data/insecurity-insight/attacks-on-health-care-2016-2023.jsonl.gz
(CC BY-SA; see its SOURCE.md). The rows have no split. The sample: rows with a
description, ordered by `SiND Event ID` (numerically), shuffled with
random.Random(20240314); the first 500 are the **test** sample, the next 500
the **dev** sample (disjoint; any tuning is done on dev). `--sample dev`
scores the dev sample. The rest is the **train** split of the health-care
model (`make train-healthcare`; docs/models.md), which also leaves out rows
whose description, date aside, is one of a dev or test row.

Fields, each scored per row (a row contributes to a field's gold when the
sheet codes it, and to its predictions when eventledger gives it):
- indicators (yes/no each): facility destroyed, facility damaged, forceful
  entry, occupation, access obstructed, health workers killed / injured /
  kidnapped / arrested; gold = the sheet's count > 0; predicted = the
  indicator on any asserted event's health-care coding, or a health-worker
  figure of that kind;
- perpetrator category: state (government or foreign armed forces, police),
  non-state armed group, or none given; gold from `Reported Perpetrator`,
  predicted from the type the actors stage gives the first event's
  perpetrator (military/government -> state, armed_group -> non-state), or,
  when none is typed, from its health-care coding's `perpetrator_type` (the
  category the health-care model gives, `events.healthcare_model.v3`);
- weapon category: firearms, aerial (bombs from aircraft or drones), heavy
  (shelling, artillery, rockets, missiles), explosive (IEDs, grenades,
  unspecified explosives), arson; gold from `Weapon Carried/Used`, predicted
  from the first asserted event's health-care coding's `weapon` (the weapon
  carried or used, which the health-care model gives) or else its PLOVER mode
  (firearms only when the trigger names gunfire or the model set the mode);
- health workers killed / injured / kidnapped / arrested (exact value): the
  sum of the best values of incident figures of group health_workers of that
  kind, or 1 when only the indicator is found (the sheet's own convention:
  "where the number ... is unspecified, one is counted"). A prediction is right
  when it equals the sheet's value; gold counts are the rows with a value > 0.
`macro_f1` is the mean F1 over all fields.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from eventledger.config import load_settings
from eventledger.evaluation.metrics import prf
from eventledger.evaluation.runner import run_texts
from eventledger.pipeline import Document, Pipeline

ROOT = Path(__file__).resolve().parent.parent
FILE = "attacks-on-health-care-2016-2023.jsonl.gz"
SEED = 20240314
SAMPLE = 500

INDICATORS = {
    "facility destroyed": "Number of Attacks on Health Facilities Reporting Destruction",
    "facility damaged": "Number of Attacks on Health Facilities Reporting Damaged",
    "forceful entry": "Forceful Entry into Health Facility",
    "occupation": "Occupation of Health Facility",
    "access obstructed": "Access Denied or Obstructed",
    "health workers killed": "Health Workers Killed",
    "health workers injured": "Health Workers Injured",
    "health workers kidnapped": "Health Workers Kidnapped",
    "health workers arrested": "Health Workers Arrested",
}
COUNTS = {
    "killed": "Health Workers Killed",
    "injured": "Health Workers Injured",
    "hostages": "Health Workers Kidnapped",
    "detained": "Health Workers Arrested",
}
_STATE = ("Armed Forces", "Foreign Forces", "Police", "Government")
_WEAPONS = (
    ("aerial", re.compile(r"Aerial|Drone|Plane|Helicopter", re.I)),
    ("heavy", re.compile(r"Shelling|Artillery|Rocket|Missile|Mortar|Tank", re.I)),
    ("explosive", re.compile(r"IED|Explosive|Grenade|Landmine|Mine\b|Bomb", re.I)),
    ("arson", re.compile(r"Arson|Fire\b", re.I)),
    ("firearms", re.compile(r"Firearm|Gun|Rifle", re.I)),
)


def _int(v: Any) -> int:
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return 0


def gold_perpetrator(row: dict[str, Any]) -> str | None:
    """Coarse perpetrator category from the sheet, None when not given."""
    p = row.get("Reported Perpetrator") or ""
    if p.startswith(_STATE):
        return "state"
    if p == "NSA":
        return "non-state"
    return None


def gold_weapon(row: dict[str, Any]) -> str | None:
    """Coarse weapon category from the sheet, None when not given or other."""
    w = row.get("Weapon Carried/Used") or ""
    for name, rx in _WEAPONS:
        if rx.search(w):
            return name
    return None


def sample(data: Path, which: str) -> list[dict[str, Any]]:
    """The documented fixed sample ("test", "dev" or "train") of rows."""
    rows = [
        json.loads(line)
        for line in gzip.decompress((data / FILE).read_bytes()).decode("utf-8").splitlines()
        if line.strip()
    ]
    rows = [r for r in rows if (r.get("Event Description") or "").strip()]
    rows.sort(key=lambda r: _int(r.get("SiND Event ID")))
    random.Random(SEED).shuffle(rows)
    if which == "train":
        return rows[2 * SAMPLE :]
    return rows[:SAMPLE] if which == "test" else rows[SAMPLE : 2 * SAMPLE]


def predict(doc: Document) -> dict[str, Any]:
    """Indicators, categories and counts eventledger gives one description."""
    events = [e for e in doc.events if e.factuality == "asserted"]
    indicators: set[str] = set()
    for ev in events:
        if ev.health_care:
            indicators |= set(ev.health_care.get("indicators", []))
    counts: dict[str, float] = {}
    for fig in doc.figures:
        if fig.group == "health_workers" and fig.kind in COUNTS and fig.scope == "incident":
            if fig.best is not None:
                counts[fig.kind] = counts.get(fig.kind, 0) + fig.best
            indicators.add(f"health workers {_INDICATOR_WORD[fig.kind]}")
    for kind, word in _INDICATOR_WORD.items():
        if f"health workers {word}" in indicators and kind not in counts:
            counts[kind] = 1  # the sheet's convention for an unspecified number
    perp = None
    weapon = None
    if events:
        for actor in events[0].actors:
            if actor.role == "perpetrator" and actor.type in _CATEGORY:
                perp = _CATEGORY[actor.type]
                break
        if perp is None:  # the coding's own perpetrator category, where no actor is typed
            perp = _CATEGORY.get(str((events[0].health_care or {}).get("perpetrator_type")))
        weapon = _weapon(events[0])
    return {"indicators": indicators, "perpetrator": perp, "weapon": weapon, "counts": counts}


_CATEGORY = {"military": "state", "government": "state", "armed_group": "non-state"}
_INDICATOR_WORD = {"killed": "killed", "injured": "injured", "hostages": "kidnapped",
                   "detained": "arrested"}  # fmt: skip


def _weapon(ev: Any) -> str | None:
    carried = (ev.health_care or {}).get("weapon")  # the coding's own weapon field, if given
    if carried:
        return str(carried)
    mode = (ev.plover or {}).get("mode")
    return {
        "aerial": "aerial",
        "heavy-weapons": "heavy",
        "explosion": "explosive",
        "arson": "arson",
        # the rules' firearms mode is a default of generic triggers ("attacked"):
        # it counts when the trigger names gunfire or the trained model chose it
        "firearms": "firearms"
        if (ev.trigger and _FIREARM.search(ev.trigger))
        or ((ev.health_care or {}).get("model") or {}).get("weapon") == "firearms"
        else None,
    }.get(mode or "")


_FIREARM = re.compile(r"shoot|shot|gun|fire", re.I)


def _description(row: dict[str, Any]) -> str:
    # the date prefix ("05 December 2023:") is kept: it is part of the text
    return str(row["Event Description"]).strip()


def evaluate(data: Path, which: str, limit: int | None = None) -> dict[str, Any]:
    """Per-field P/R/F1 on one sample."""
    rows = sample(data, which)[: limit or None]
    settings = load_settings()
    pipeline = Pipeline.from_settings(settings)
    items = [
        (f"ii-{r.get('SiND Event ID')}-{i}", _description(r), r.get("Date"))
        for i, r in enumerate(rows)
    ]
    res = score(rows, run_texts(items, settings, pipeline))
    return {"sample": which, "rows": len(rows), **res}


def score(rows: list[dict[str, Any]], docs: Iterable[Document]) -> dict[str, Any]:
    """Per-field P/R/F1 (`fields`) and their mean (`macro_f1`) of documents run on `rows`.

    Also used by `scripts/train_healthcare.py` to pick the model's thresholds on dev."""
    tallies: dict[str, list[int]] = {}  # field -> [matched, predicted, gold]

    def tally(field: str, gold: Any, pred: Any) -> None:
        t = tallies.setdefault(field, [0, 0, 0])
        t[1] += pred is not None
        t[2] += gold is not None
        t[0] += gold is not None and pred == gold

    for row, doc in zip(rows, docs, strict=True):
        p = predict(doc)
        for name, col in INDICATORS.items():
            tally(
                name,
                True if _int(row.get(col)) > 0 else None,
                True if name in p["indicators"] else None,
            )
        tally("perpetrator", gold_perpetrator(row), p["perpetrator"])
        tally("weapon", gold_weapon(row), p["weapon"])
        for kind, col in COUNTS.items():
            g = _int(row.get(col))
            v = p["counts"].get(kind)
            tally(f"count {col.lower()}", g if g > 0 else None, int(v) if v else None)
    fields = {
        k: prf(*v) | {"matched": v[0], "predicted": v[1], "gold": v[2]} for k, v in tallies.items()
    }
    macro = sum(f["f1"] for f in fields.values()) / len(fields) if fields else 0.0
    return {"fields": fields, "macro_f1": round(macro, 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--sample", choices=["test", "dev"], default="test")
    ap.add_argument("--limit", type=int, help="only the first N rows of the sample")
    ap.add_argument("--json", help="write the scores to this JSON file")
    args = ap.parse_args(argv)
    data = Path(args.data) / "insecurity-insight"
    if not (data / FILE).exists():
        print(f"Insecurity Insight data not found under {data}; skipping (see its SOURCE.md).")
        return 0
    res = evaluate(data, args.sample, args.limit)
    table = Table(title=f"Insecurity Insight, {res['rows']} rows ({res['sample']} sample)")
    for col in ("field", "P", "R", "F1", "matched", "predicted", "gold"):
        table.add_column(col, justify="right")
    for name, s in res["fields"].items():
        table.add_row(
            name,
            *(f"{s[k]:.4f}" for k in ("precision", "recall", "f1")),
            *(str(s[k]) for k in ("matched", "predicted", "gold")),
        )
    table.add_row("macro F1", "", "", f"{res['macro_f1']:.4f}", "", "", "")
    Console().print(table)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        out = {
            **res["fields"],
            "macro_f1": res["macro_f1"],
            "sample": res["sample"],
            "rows": res["rows"],
        }
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
