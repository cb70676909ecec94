"""Shared training code for eventledger's linear text models (needs the
`train` extra: scikit-learn). Prediction never imports this: it reads the
arrays written here with numpy (`eventledger.stages.events.textmodel`).

Deterministic: the vocabulary is sorted, the solvers are deterministic
(liblinear with a fixed random_state, lbfgs), and the inputs come in a fixed
order.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from eventledger.stages.events.textmodel import features

SEED = 20240314


def vocabulary(texts: Sequence[str], min_df: int) -> list[str]:
    """Features seen in at least `min_df` texts, sorted (column order)."""
    df: Counter[str] = Counter()
    for t in texts:
        df.update(set(features(t)))
    return sorted(f for f, n in df.items() if n >= min_df)


def matrix(texts: Sequence[str], vocab: Sequence[str]) -> sparse.csr_matrix:
    """Rows as the prediction code builds them: binary presence, unit length."""
    return matrix_of([features(t) for t in texts], vocab)


def matrix_of(rows: Sequence[Sequence[str]], vocab: Sequence[str]) -> sparse.csr_matrix:
    """The same from each row's feature strings (`TextModel.scores_of`)."""
    index = {f: i for i, f in enumerate(vocab)}
    indptr, cols, vals = [0], [], []
    for feats in rows:
        c = sorted({index[f] for f in feats if f in index})
        cols.extend(c)
        vals.extend([1.0 / np.sqrt(len(c))] * len(c) if c else [])
        indptr.append(len(cols))
    return sparse.csr_matrix(
        (np.array(vals, dtype=np.float64), np.array(cols, dtype=np.int64), indptr),
        shape=(len(rows), len(vocab)),
    )


def fit_binary(x: sparse.csr_matrix, y: Sequence[bool], c: float) -> tuple[np.ndarray, float]:
    """One yes/no label: (coefficients, intercept)."""
    ys = np.asarray(y, dtype=int)
    if ys.min() == ys.max():  # a label never (or always) seen: a constant answer
        return np.zeros(x.shape[1]), -8.0 if ys.max() == 0 else 8.0
    m = LogisticRegression(
        C=c, solver="liblinear", random_state=SEED, class_weight="balanced", max_iter=1000
    )
    m.fit(x, ys)
    return m.coef_[0], float(m.intercept_[0])


def fit_softmax(
    x: sparse.csr_matrix, y: Sequence[str], labels: Sequence[str], c: float
) -> tuple[np.ndarray, np.ndarray]:
    """One choice among `labels` (at least 3): (labels x features, labels)."""
    m = LogisticRegression(C=c, solver="lbfgs", max_iter=2000, class_weight="balanced")
    m.fit(x, np.asarray([labels.index(v) for v in y]))
    coef = np.zeros((len(labels), x.shape[1]))
    icpt = np.full(len(labels), -30.0)  # a label absent from training is never chosen
    for row, k in enumerate(m.classes_):
        coef[k] = m.coef_[row]
        icpt[k] = m.intercept_[row]
    return coef, icpt


def save(
    folder: Path,
    name: str,
    version: int,
    vocab: Sequence[str],
    heads: Sequence[dict[str, Any]],
    thresholds: dict[str, Any],
    meta: dict[str, Any],
) -> None:
    """Write `model.json` and `weights.npz`.

    Each head: `{name, kind, labels, coef (labels x features), intercept}`.
    Features whose weights are all near zero are dropped to keep the file small.
    """
    coef = np.vstack([np.atleast_2d(h["coef"]) for h in heads]).T  # features x columns
    icpt = np.concatenate([np.atleast_1d(h["intercept"]) for h in heads])
    keep = np.abs(coef).max(axis=1) >= 1e-3
    vocab = [f for f, k in zip(vocab, keep, strict=True) if k]
    coef = coef[keep]
    spec_heads, offset = [], 0
    for h in heads:
        spec_heads.append(
            {"name": h["name"], "kind": h["kind"], "labels": list(h["labels"]), "offset": offset}
        )
        offset += len(h["labels"])
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "name": name,
        "version": version,
        "heads": spec_heads,
        "thresholds": thresholds,
        "meta": meta,
        "vocabulary": vocab,
    }
    (folder / "model.json").write_text(json.dumps(spec, indent=1, sort_keys=False) + "\n")
    arrays = {"W": np.round(coef, 4).astype(np.float32), "b": np.round(icpt, 4).astype(np.float32)}
    # np.savez stamps each entry with the current time; a fixed stamp keeps the
    # file byte-identical between runs (the format np.load reads is the same).
    with zipfile.ZipFile(folder / "weights.npz", "w", zipfile.ZIP_DEFLATED) as zf:
        for key, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, arr, allow_pickle=False)
            zf.writestr(
                zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0)),
                buf.getvalue(),
                zipfile.ZIP_DEFLATED,
            )


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
