"""A small linear text classifier read from plain arrays (no pickle): the
trained models of the events stage (health-care coding, ACLED sub-event type).

Files, under `data/models/<name>/`:
- `model.json`: `name`, `version`, `vocabulary` (the feature strings, in
  column order), `heads` (each `{name, kind, labels, offset}`: `kind` is
  `"binary"` (one sigmoid column per label) or `"softmax"` (one column per
  label, probabilities sum to 1)), `thresholds` and `meta` (data, split,
  scores; read by people, not by code);
- `weights.npz`: `W` (features x columns, float32) and `b` (columns).

Features (`features(text)`): lower-cased word unigrams and bigrams, digits
folded to "0"; a text's vector is the binary presence of its known features
scaled to unit length. The training script (`scripts/train_textmodel.py`)
builds its matrix with this same function, so training and prediction agree.
Loading reads arrays with `allow_pickle=False`: a model file never runs code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from eventledger.errors import ConfigError

__all__ = ["Head", "TextModel", "features", "load_model"]

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")
# A description's leading date ("05 December 2023:", "Around 19 January 2023:")
# names no part of what happened; news sentences rarely start with one.
_DATE_PREFIX = re.compile(r"^\s*(?:around\s+)?(?:\d{1,2}\s+)?[A-Za-z]+\s+\d{4}\s*:\s*", re.I)


def features(text: str) -> list[str]:
    """The unigram and bigram features of one text, in order of appearance."""
    text = _DATE_PREFIX.sub("", text, count=1)
    toks = [re.sub(r"\d", "0", t) for t in _TOKEN.findall(text.lower())]
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]


@dataclass(frozen=True, slots=True)
class Head:
    """One output of the model: a set of yes/no labels or one choice among labels."""

    name: str
    kind: str  # "binary" or "softmax"
    labels: tuple[str, ...]
    offset: int  # first column in W


class TextModel:
    """Linear heads over the shared features; `predict(text)` gives probabilities."""

    def __init__(self, spec: dict[str, Any], w: np.ndarray, b: np.ndarray) -> None:
        self.name: str = spec["name"]
        self.version: int = int(spec["version"])
        self.index = {f: i for i, f in enumerate(spec["vocabulary"])}
        self.heads = {
            h["name"]: Head(h["name"], h["kind"], tuple(h["labels"]), int(h["offset"]))
            for h in spec["heads"]
        }
        self.thresholds: dict[str, Any] = spec.get("thresholds", {})
        self.meta: dict[str, Any] = spec.get("meta", {})
        if w.shape != (len(self.index), b.shape[0]):
            raise ConfigError(
                f"model {self.name!r}: weights of shape {w.shape} do not fit "
                f"{len(self.index)} features and {b.shape[0]} outputs; retrain it "
                f"(make train-{self.name})."
            )
        self.w = w
        self.b = b

    def scores(self, text: str) -> np.ndarray:
        """The raw linear outputs (one per column) for one text."""
        return self.scores_of(features(text))

    def scores_of(self, feats: Iterable[str]) -> np.ndarray:
        """The raw linear outputs for a list of feature strings (a model whose
        features are not a text's words: `roles_model.span_features`)."""
        cols = sorted({self.index[f] for f in feats if f in self.index})
        if not cols:
            return self.b.copy()
        return self.w[cols].sum(axis=0) / np.sqrt(len(cols)) + self.b

    def scores_many(self, rows: Iterable[Iterable[str]]) -> np.ndarray:
        """`scores_of` for many feature lists at once (rows x columns): one
        gather and one segmented sum instead of a few small array operations
        per row, which is most of the cost when the rows are short."""
        index = self.index
        cols: list[int] = []
        starts: list[int] = []
        sizes: list[int] = []
        for feats in rows:
            row = sorted({index[f] for f in feats if f in index})
            starts.append(len(cols))
            sizes.append(len(row))
            cols.extend(row)
        out = np.tile(self.b, (len(sizes), 1))
        if not cols:
            return out
        n = np.asarray(sizes)
        full = n > 0
        # segments of the rows with features only: each runs to the next one's start
        sums = np.add.reduceat(self.w[cols], np.asarray(starts)[full], axis=0)
        out[full] += sums / np.sqrt(n[full])[:, None]
        return out

    def predict(self, text: str) -> dict[str, dict[str, float]]:
        """Per head, each label's probability."""
        z = self.scores(text)
        out: dict[str, dict[str, float]] = {}
        for head in self.heads.values():
            zz = z[head.offset : head.offset + len(head.labels)]
            if head.kind == "binary":
                p = 1.0 / (1.0 + np.exp(-zz))
            else:
                e = np.exp(zz - zz.max())
                p = e / e.sum()
            out[head.name] = {lab: float(v) for lab, v in zip(head.labels, p, strict=True)}
        return out


@cache
def load_model(name: str) -> TextModel:
    """The packaged model `data/models/<name>/`, read once per process."""
    folder = resources.files("eventledger").joinpath("data", "models", name)
    try:
        spec = json.loads(folder.joinpath("model.json").read_text("utf-8"))
        with folder.joinpath("weights.npz").open("rb") as fh:
            arrays = np.load(fh, allow_pickle=False)
            w = np.asarray(arrays["W"], dtype=np.float32)
            b = np.asarray(arrays["b"], dtype=np.float32)
    except (OSError, KeyError, ValueError) as exc:
        raise ConfigError(
            f"cannot read the packaged model data/models/{name}: {exc}. "
            f"Reinstall eventledger, or rebuild the model with make train-{name}."
        ) from exc
    return TextModel(spec, w, b)
