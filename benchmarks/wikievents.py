"""WikiEvents (KAIROS): trigger and argument F1 for Conflict.Attack,
Life.Die and Life.Injure.

    .venv/bin/python benchmarks/wikievents.py --json out/wikievents.json

Data: ../shared/data/wikievents (dev and test, 20 documents each; see its
SOURCE.md).

Text: the documents' token offsets do not line up with their `text`, so the
text is rebuilt from `sentences`: each sentence's tokens at their offsets
relative to the sentence, sentences separated by a blank line (one paragraph
each). Every token then has known offsets in the rebuilt text.

How eventledger's events are read as KAIROS:
- every trigger of every event (any factuality: KAIROS annotates negated and
  hypothetical events too) is a predicted trigger mention; its class is Life.Die for kill/die/massacre/execute words,
  Life.Injure for wound/injure/hurt words, Conflict.Attack otherwise (every
  sub-type `Conflict.Attack.*` is one class);
- arguments, given to the nearest trigger of their event in the same
  sentence: perpetrator -> Attacker (Killer, Injurer), target -> Target
  (Victim for Life.* classes), weapon -> Instrument (KAIROS ExplosiveDevice is
  scored as Instrument), the event's place mention -> Place, and the counted
  noun of a killed / injured figure linked to the event -> Victim.
Matching (head word): a predicted trigger is right when its class equals the
gold class and its last token lies inside the gold trigger span; an argument
is right when its trigger is right for that gold event, its role equals the
gold role and its last token (the head of an English noun phrase, mostly)
lies inside the gold argument's mention span ("head" score) or inside any
mention coreferent with it ("coref" score, as Li, Ji and Han report).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from eventledger.config import load_settings
from eventledger.evaluation.kairos import CLASSES, gold_of, rebuild, score, token_at, trigger_class
from eventledger.evaluation.metrics import prf
from eventledger.evaluation.runner import run_texts
from eventledger.pipeline import Document, Pipeline

ROOT = Path(__file__).resolve().parent.parent


def predict(doc: Document, spans: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """Predicted trigger mentions with their arguments, as token indices."""
    out = []
    figs = {f.id: f for f in doc.figures}
    for ev in doc.events:
        triggers = []
        for t in ev.evidence:
            tok = token_at(spans, t.end - 1)
            if tok is None:
                continue
            triggers.append({"cls": trigger_class(t.text), "tok": tok, "at": t.start, "args": []})
        if not triggers:
            continue

        def attach(
            role: str, start: int, end: int, triggers: list[dict[str, Any]] = triggers
        ) -> None:
            tok = token_at(spans, end - 1)
            if tok is None:
                return
            si = doc.sentence_at(start)
            near = [t for t in triggers if doc.sentence_at(t["at"]) == si] or triggers
            best = min(near, key=lambda t: abs(t["at"] - start))
            r = "Victim" if role == "Target" and best["cls"] != "Conflict.Attack" else role
            if role == "Victim" and best["cls"] == "Conflict.Attack":
                r = "Target"
            best["args"].append({"role": r, "tok": tok})

        for actor in ev.actors:
            role = {"perpetrator": "Attacker", "target": "Target", "weapon": "Instrument"}.get(
                actor.role
            )
            if role and actor.evidence:
                attach(role, actor.evidence[0].start, actor.evidence[0].end)
        if ev.place is not None and ev.place.evidence and ev.place.attachment == "sentence":
            e = ev.place.evidence[0]
            attach("Place", e.start, e.end)
        for fid in ev.figure_ids:
            f = figs.get(fid)
            if f is not None and f.kind in ("killed", "injured") and f.evidence:
                attach("Victim", f.evidence[0].start, f.evidence[0].end)
        out.extend(triggers)
    return out


def evaluate(data: Path, split: str) -> dict[str, Any]:
    """Trigger and argument scores on one split."""
    docs = [json.loads(x) for x in (data / f"{split}.jsonl").read_text("utf-8").splitlines() if x]
    coref: dict[str, list[list[str]]] = {}
    cpath = data / "coref" / f"{split}.jsonlines"
    if cpath.exists():
        for line in cpath.read_text("utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                coref[rec["doc_key"]] = rec["clusters"]
    settings = load_settings()
    pipeline = Pipeline.from_settings(settings)
    rebuilt = {d["doc_id"]: rebuild(d) for d in docs}
    items = [(d["doc_id"], rebuilt[d["doc_id"]][0], None) for d in docs]
    totals = {k: [0, 0, 0] for k in ("trigger", "argument_head", "argument_coref")}
    by_class = {c: [0, 0, 0] for c in CLASSES}
    gold_by_doc = {d["doc_id"]: gold_of(d, coref) for d in docs}
    for doc in run_texts(items, settings, pipeline):
        gold = gold_by_doc[doc.id]["events"]
        pred = predict(doc, rebuilt[doc.id][1])
        for k, v in score(gold, pred).items():
            totals[k] = [a + b for a, b in zip(totals[k], v, strict=True)]
        for c in CLASSES:
            s = score([g for g in gold if g["cls"] == c], [p for p in pred if p["cls"] == c])
            by_class[c] = [a + b for a, b in zip(by_class[c], s["trigger"], strict=True)]
    return {
        **{
            k: prf(*v) | dict(zip(("matched", "predicted", "gold"), v, strict=True))
            for k, v in totals.items()
        },
        "trigger_by_class": {
            c: prf(*v) | dict(zip(("matched", "predicted", "gold"), v, strict=True))
            for c, v in by_class.items()
        },
        "documents": len(docs),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--split", choices=["dev", "test", "both"], default="both")
    ap.add_argument("--json", help="write the scores to this JSON file")
    args = ap.parse_args(argv)
    data = Path(args.data) / "wikievents"
    if not (data / "dev.jsonl").exists():
        print(f"WikiEvents data not found under {data}; skipping (see its SOURCE.md).")
        return 0
    splits = ["dev", "test"] if args.split == "both" else [args.split]
    results = {s: evaluate(data, s) for s in splits}
    for split, res in results.items():
        table = Table(title=f"WikiEvents {split}: Conflict.Attack, Life.Die, Life.Injure")
        for col in ("score", "P", "R", "F1", "matched", "predicted", "gold"):
            table.add_column(col, justify="right")
        rows = [(k, res[k]) for k in ("trigger", "argument_head", "argument_coref")]
        rows += [(f"trigger {c}", v) for c, v in res["trigger_by_class"].items()]
        for name, s in rows:
            table.add_row(
                name,
                *(f"{s[k]:.4f}" for k in ("precision", "recall", "f1")),
                *(str(s[k]) for k in ("matched", "predicted", "gold")),
            )
        Console().print(table)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
