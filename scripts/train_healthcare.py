"""Train the health-care coding model (`make train-healthcare`).

Data: Insecurity Insight's attacks-on-health-care incident descriptions
(CC BY-SA; ../shared/data/insecurity-insight/SOURCE.md). Split: the train
split of `benchmarks/healthcare.py` (every row outside its fixed 500-row
test and dev samples), less the rows whose description, date prefix aside,
is also a dev or test description. Thresholds are chosen on the dev sample;
the test sample is never read here.

Heads: the nine Insecurity Insight indicators the benchmark scores (yes/no
each), the perpetrator (military, government, armed_group, none) and the
weapon (firearms, aerial, heavy, explosive, arson, none). Writes
src/eventledger/data/models/healthcare/{model.json,weights.npz}.

    .venv/bin/python scripts/train_healthcare.py --data ../shared/data
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_textmodel as tm  # noqa: E402

from eventledger.stages.events.textmodel import TextModel, features  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "eventledger" / "data" / "models" / "healthcare"
NAME = "healthcare"
VERSION = 1
C = 4.0
MIN_DF = 2
# The weakest precision a threshold may give on dev: the ledger publishes
# what the model adds, so a wrong indicator costs more than a missed one.
MIN_PRECISION = 0.8
# Where no cut reaches that (forceful entry, facility destroyed: outputs the
# sheet itself codes unevenly), the best F1 among cuts of at least this precision.
FALLBACK_PRECISION = 0.6
PERPETRATORS = ("military", "government", "armed_group", "none")
WEAPONS = ("firearms", "aerial", "heavy", "explosive", "arson", "none")


def _benchmark() -> Any:
    spec = importlib.util.spec_from_file_location("hc_bench", ROOT / "benchmarks" / "healthcare.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def perpetrator(row: dict[str, Any]) -> str:
    """The sheet's perpetrator as an actor type of the actors stage, or none."""
    p = row.get("Reported Perpetrator") or ""
    if p.startswith(("Armed Forces", "Foreign Forces")):
        return "military"
    if p.startswith(("Police", "Government")):
        return "government"
    return "armed_group" if p == "NSA" else "none"


def _key(text: str) -> tuple[str, ...]:
    return tuple(features(text))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    data = Path(args.data) / "insecurity-insight"
    hc = _benchmark()
    if not (data / hc.FILE).exists():
        print(f"Insecurity Insight data not found under {data}; see its SOURCE.md.")
        return 2
    t0 = time.time()
    held = {_key(hc._description(r)) for w in ("test", "dev") for r in hc.sample(data, w)}
    train = [r for r in hc.sample(data, "train") if _key(hc._description(r)) not in held]
    dev = hc.sample(data, "dev")
    texts = [hc._description(r) for r in train]
    vocab = tm.vocabulary(texts, MIN_DF)
    x = tm.matrix(texts, vocab)
    heads: list[dict[str, Any]] = []
    for name, col in hc.INDICATORS.items():
        coef, icpt = tm.fit_binary(x, [hc._int(r.get(col)) > 0 for r in train], C)
        heads.append(
            {"name": name, "kind": "binary", "labels": [name], "coef": coef, "intercept": icpt}
        )
    y_perp = [perpetrator(r) for r in train]
    coef, icpt = tm.fit_softmax(x, y_perp, PERPETRATORS, C)
    heads.append(
        {"name": "perpetrator", "kind": "softmax", "labels": PERPETRATORS, "coef": coef,
         "intercept": icpt}
    )  # fmt: skip
    y_weap = [hc.gold_weapon(r) or "none" for r in train]
    coef, icpt = tm.fit_softmax(x, y_weap, WEAPONS, C)
    heads.append(
        {"name": "weapon", "kind": "softmax", "labels": WEAPONS, "coef": coef, "intercept": icpt}
    )
    # Indicator heads are binary models of their own; regroup them as one head
    # of nine sigmoid columns so the model file lists three heads.
    ind = heads[: len(hc.INDICATORS)]
    grouped = [
        {
            "name": "indicators",
            "kind": "binary",
            "labels": [h["name"] for h in ind],
            "coef": np.vstack([h["coef"] for h in ind]),
            "intercept": np.array([h["intercept"] for h in ind]),
        },
        *heads[len(hc.INDICATORS) :],
    ]
    tmp = Path(args.out)
    tm.save(tmp, NAME, VERSION, vocab, grouped, {}, {})
    model = _reload(tmp)
    preds = [model.predict(hc._description(r)) for r in dev]
    thresholds, dev_scores = _thresholds(hc, dev, preds)
    meta = {
        "data": "Insecurity Insight attacks on health care 2016-2023 (CC BY-SA)",
        "split": "benchmarks/healthcare.py train split less descriptions equal to dev/test ones",
        "train_rows": len(train),
        "features": len(vocab),
        "C": C,
        "min_df": MIN_DF,
        "min_precision": [MIN_PRECISION, FALLBACK_PRECISION],
        "dev_description_level": dev_scores,
    }
    tm.save(tmp, NAME, VERSION, vocab, grouped, thresholds, meta)
    print(f"trained on {len(train)} rows, {len(vocab)} features, in {time.time() - t0:.1f}s")
    for k, v in dev_scores.items():
        print(f"  dev {k:28s} P {v[0]:.3f} R {v[1]:.3f} F1 {v[2]:.3f}  threshold {thresholds[k]}")
    return 0


def _reload(folder: Path) -> TextModel:
    import json

    spec = json.loads((folder / "model.json").read_text())
    arrays = np.load(folder / "weights.npz", allow_pickle=False)
    return TextModel(spec, arrays["W"], arrays["b"])


def _thresholds(
    hc: Any, dev: list[dict[str, Any]], preds: list[dict[str, dict[str, float]]]
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Per output, the probability cut on dev with the best F1 among those whose precision
    is at least MIN_PRECISION (else FALLBACK_PRECISION); description level: the whole
    text, not an event's sentences."""
    cands = [round(0.05 * i, 2) for i in range(6, 20)]
    outs: dict[str, tuple[list[Any], list[Any]]] = {}
    for name, col in hc.INDICATORS.items():
        outs[name] = (
            [True if hc._int(r.get(col)) > 0 else None for r in dev],
            [(True, p["indicators"][name]) for p in preds],
        )
    outs["perpetrator"] = (
        [hc.gold_perpetrator(r) for r in dev],
        [_best(p["perpetrator"], {"military": "state", "government": "state",
                                  "armed_group": "non-state"}) for p in preds],
    )  # fmt: skip
    outs["weapon"] = (
        [hc.gold_weapon(r) for r in dev],
        [_best(p["weapon"], {w: w for w in WEAPONS if w != "none"}) for p in preds],
    )
    thresholds: dict[str, float] = {}
    scores: dict[str, list[float]] = {}
    for name, (gold, pred) in outs.items():
        best = (-1.0, 0.9, (0.0, 0.0, 0.0))
        fallback = (-1.0, 0.9, (0.0, 0.0, 0.0))
        for t in cands:
            tp = sum(
                1
                for g, (v, p) in zip(gold, pred, strict=True)
                if p >= t and g is not None and g == v
            )
            n_pred = sum(1 for v, p in pred if p >= t and v is not None)
            n_gold = sum(1 for g in gold if g is not None)
            s = tm.prf(tp, n_pred, n_gold)
            if s[0] >= MIN_PRECISION and s[2] > best[0]:
                best = (s[2], t, s)
            if s[0] >= FALLBACK_PRECISION and s[2] > fallback[0]:
                fallback = (s[2], t, s)
        if best[0] < 0:
            best = fallback
        thresholds[name] = best[1]
        scores[name] = [round(v, 4) for v in best[2]]
    return thresholds, scores


def _best(probs: dict[str, float], mapping: dict[str, str]) -> tuple[str | None, float]:
    label = max(probs, key=lambda k: probs[k])
    return mapping.get(label), probs[label]


if __name__ == "__main__":
    sys.exit(main())
