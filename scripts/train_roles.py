"""Train the event-argument model (`make train-roles`; docs/models.md).

Data: MUC-4's training documents (the MUC "DEV" set, 1,300 reports,
`../shared/data/muc4/gtt_processed/train.json.gz`; see its SOURCE.md) and
their role fillers. Thresholds are picked on MUC-4 dev (TST1+TST2); test
(TST3+TST4) is never read here.

Each candidate noun phrase of a report (`roles_model.candidates`) is labelled
with the role whose gold filler it spells (MUC-4's fillers compared as its
scorer compares them: lower case, no punctuation, no articles): PerpInd and
PerpOrg -> perpetrator, Victim -> victim, Target -> target, Weapon -> weapon,
anything else -> none. The model is a multinomial logistic regression over
`roles_model.span_features`. Per label, the cut is the probability that
gives the best CEAF-REE F1 on dev (`benchmarks/muc4.py`'s reading: fillers
pooled per document), searched one label at a time.

The texts are lower case; they get the benchmark's case model first
(`evaluation.runner.CaseModel`, from `spacy-lookups-data`), as in
`benchmarks/muc4.py`.

    .venv/bin/python scripts/train_roles.py --data ../shared/data
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from eventledger.config import load_settings
from eventledger.evaluation.ceaf import ROLES, ceaf_ree, normalize_mention
from eventledger.evaluation.muc4 import read_gold
from eventledger.evaluation.runner import CaseModel, run_texts
from eventledger.pipeline import Pipeline
from eventledger.stages.events.roles_model import MODEL, candidates, span_features

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_textmodel as tm  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "eventledger" / "data" / "models" / MODEL
VERSION = 1
SEED = 20240314
C = 4.0
MIN_DF = 2
LABELS = ("none", "perpetrator", "victim", "target", "weapon")
_GOLD_LABEL = {
    "PerpInd": "perpetrator",
    "PerpOrg": "perpetrator",
    "Victim": "victim",
    "Target": "target",
    "Weapon": "weapon",
}


def parse(gold: dict[str, dict[str, Any]]) -> list[tuple[str, list[tuple[Any, list[str], str]]]]:
    """Per document: (id, [(cand info, features, gold label)])."""
    settings = load_settings()
    settings.pipeline = ["annotate.spacy.v1"]
    pipeline = Pipeline.from_settings(settings)
    recase = CaseModel.from_lookups()
    if recase is None:  # the model would learn from other parses than the benchmark's
        raise SystemExit("spacy-lookups-data is not installed: run make train-roles")
    items = [(d, recase(g["text"]), None) for d, g in gold.items()]
    out = []
    for doc in run_texts(items, settings, pipeline):
        by_string: dict[str, str] = {}
        for role, ents in gold[doc.id]["roles"].items():
            for ent in ents:
                for m in ent:
                    by_string.setdefault(normalize_mention(m), _GOLD_LABEL[role])
        rows = []
        si = 0
        for offset, sdoc in doc.paragraphs:
            for sent in sdoc.sents:
                for a, b, kind in candidates(sent):
                    span = sdoc[a:b]
                    text = doc.text[offset + span.start_char : offset + span.end_char]
                    label = by_string.get(normalize_mention(text), "none")
                    rows.append(
                        (
                            (text, offset + span.start_char, span.root.lemma_.lower()),
                            span_features(sent, a, b, kind, si),
                            label,
                        )
                    )
                si += 1
        out.append((doc.id, rows))
    return out


def decode(docs, probs, cuts) -> dict[str, dict[str, list[list[str]]]]:
    """Pooled fillers per document, as the stage and the benchmark read them."""
    preds: dict[str, dict[str, list[list[str]]]] = {}
    k = 0
    for doc_id, rows in docs:
        found = []
        for (text, start, _lemma), _f, _g in rows:
            p = probs[k]
            k += 1
            best = int(np.argmax(p[1:])) + 1
            if p[best] >= cuts[LABELS[best]]:
                found.append((LABELS[best], p[best], start, start + len(text), text))
        found.sort(key=lambda x: -x[1])
        kept = []
        for lab, p, s, e, text in found:
            if any(s < ke and ks < e for _, _, ks, ke, _ in kept):
                continue
            kept.append((lab, p, s, e, text))
        roles: dict[str, list[list[str]]] = {r: [] for r in ROLES}
        seen = set()
        for lab, _p, _s, _e, text in sorted(kept, key=lambda x: x[2]):
            role = {
                "perpetrator": "PerpInd",
                "victim": "Victim",
                "target": "Target",
                "weapon": "Weapon",
            }[lab]
            key = (role, normalize_mention(text))
            if key in seen:
                continue
            seen.add(key)
            roles[role].append([text])
        preds[doc_id] = roles
    return preds


def merged_gold(gold):
    """Gold with PerpOrg folded into PerpInd (the model does not split them)."""
    out = {}
    for d, g in gold.items():
        r = {k: list(v) for k, v in g["roles"].items()}
        r["PerpInd"] = r["PerpInd"] + r["PerpOrg"]
        r["PerpOrg"] = []
        out[d] = r
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--c", type=float, default=C)
    ap.add_argument("--cache", help="keep the parsed candidates in this file (for experiments)")
    ap.add_argument("--dry-run", action="store_true", help="score on dev, write nothing")
    args = ap.parse_args(argv)
    muc = Path(args.data) / "muc4" / "gtt_processed"
    if not (muc / "train.json.gz").exists():
        print(f"MUC-4 training data not found under {muc}; see its SOURCE.md.")
        return 2
    t0 = time.time()
    dev_gold = read_gold(muc / "dev.json")
    cache = Path(args.cache) if args.cache else None
    if cache is not None and cache.exists():
        train, dev = pickle.loads(cache.read_bytes())
    else:
        train = parse(read_gold(muc / "train.json.gz"))
        dev = parse(dev_gold)
        if cache is not None:
            cache.write_bytes(pickle.dumps((train, dev)))
    print(f"parsed in {time.time() - t0:.0f} s", file=sys.stderr)
    df: dict[str, int] = {}
    for _d, rows in train:
        for _i, feats, _g in rows:
            for f in set(feats):
                df[f] = df.get(f, 0) + 1
    vocab = sorted(f for f, n in df.items() if n >= MIN_DF)
    x = tm.matrix_of([f for _d, rows in train for _i, f, _g in rows], vocab)
    y = np.array([LABELS.index(g) for _d, rows in train for _i, _f, g in rows])
    print(
        f"{x.shape[0]} candidates, {len(vocab)} features; labels "
        f"{np.bincount(y, minlength=len(LABELS)).tolist()}",
        file=sys.stderr,
    )
    m = LogisticRegression(C=args.c, max_iter=2000, random_state=SEED)
    m.fit(x, y)
    xd = tm.matrix_of([f for _d, rows in dev for _i, f, _g in rows], vocab)
    pd = m.predict_proba(xd)
    gold = merged_gold(dev_gold)
    cuts = dict.fromkeys(LABELS[1:], 0.5)
    for _round in range(2):
        for lab in LABELS[1:]:
            best = None
            for c in np.arange(0.1, 0.95, 0.05):
                trial = {**cuts, lab: float(round(c, 2))}
                f1 = ceaf_ree(gold, decode(dev, pd, trial))["micro_avg"].f1
                if best is None or f1 > best[0]:
                    best = (f1, float(round(c, 2)))
            cuts[lab] = best[1]
    scores = ceaf_ree(gold, decode(dev, pd, cuts))
    print(json.dumps({"cuts": cuts, **{k: v.as_dict() for k, v in scores.items()}}, indent=1))
    if args.dry_run:
        return 0
    coef = np.zeros((len(LABELS), x.shape[1]))
    icpt = np.full(len(LABELS), -30.0)
    for row, k in enumerate(m.classes_):
        coef[k] = m.coef_[row]
        icpt[k] = m.intercept_[row]
    head = {"name": "role", "kind": "softmax", "labels": LABELS, "coef": coef, "intercept": icpt}
    meta = {
        "data": "MUC-4 training documents (MUC DEV, 1,300), GTT's processed role fillers",
        "split": "train: train.json.gz; cuts: dev (TST1+TST2); test (TST3+TST4) unread",
        "features": f"roles_model.span_features seen in at least {MIN_DF} training candidates",
        "model": f"multinomial logistic regression, C = {args.c}",
        "dev_ceaf_ree_merged_perpetrators": {k: v.as_dict() for k, v in scores.items()},
    }
    tm.save(OUT, MODEL, VERSION, vocab, [head], {"role": cuts}, meta)
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
