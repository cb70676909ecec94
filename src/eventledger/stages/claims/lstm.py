"""A BiLSTM span tagger for attributions, predicting with numpy alone.

The same three span kinds as `tagger.py` (source, cue, content; BIO labels per
kind), from one shared encoder: each token is the sum of the embeddings of its
hashed parse features (`tagger.featurise`: word, lemma, tags, dependency label,
entity type, shape, its neighbours, its nearest cue-word ancestor and its place
under it, quotation marks), a bidirectional LSTM reads a paragraph, and one
linear layer over the LSTM's state and the token's own embedding scores the
three labels of each kind. Viterbi decoding over those log-probabilities and
the label transitions keeps I after B or I only. The
perceptron's features see a few tokens around; the LSTM sees the whole
paragraph, which is what content boundaries need (where a clause ends).

Trained with PyTorch (`lstm_training.py`, the `ml` extra), shipped as plain
arrays in one `.npz` read with `allow_pickle=False`; the forward pass here is
numpy, so the core gains no dependency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from eventledger.stages.claims.tagger import (
    KINDS,
    featurise,
    hashes,
    meta_array,
    meta_of,
    open_model,
    tag_paragraphs,
)

__all__ = ["LSTM_MODEL_FILE", "LSTM_VERSION", "LstmTagger", "load_lstm_tagger"]

LSTM_VERSION = "1"
LSTM_MODEL_FILE = "claims_lstm.npz"

# Weight arrays in the model file (PyTorch's names; its LSTM gate order i, f, g, o).
_ARRAYS = (
    "embed",
    "w_ih_f",
    "w_hh_f",
    "b_f",
    "w_ih_b",
    "w_hh_b",
    "b_b",
    "out_w",
    "out_b",
    "trans",
)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def _sigmoid_in_place(x: np.ndarray) -> None:
    """`_sigmoid`, the same operations in the same order, written over `x`."""
    x *= 0.5
    np.tanh(x, out=x)
    x += 1.0
    x *= 0.5


def lstm_pass(
    xp: np.ndarray, lengths: np.ndarray, w_hh: np.ndarray, reverse: bool = False
) -> np.ndarray:
    """One LSTM direction over padded sequences (sequences x steps x 4H input
    projections, bias included); returns sequences x steps x H states (zero past
    each sequence's end). Backwards, each sequence starts at its own last token."""
    p, n, four_h = xp.shape
    hid = four_h // 4
    if reverse:
        # reverse each sequence within its length, so padding stays at the end
        idx = np.arange(n)[None, :]
        rev = np.where(idx < lengths[:, None], lengths[:, None] - 1 - idx, idx)
        xp = np.take_along_axis(xp, rev[:, :, None], axis=1)
    # Longest first: at step t the sequences still running are the first
    # `running[t]` rows, and only those are computed (a paragraph of 10 tokens
    # beside one of 200 stops costing after 10 steps). A row's values are those
    # it gets alone: nothing past its end is read.
    order = np.argsort(-lengths, kind="stable")
    xs = xp[order]
    running = (lengths[order][None, :] > np.arange(n)[:, None]).sum(axis=1)
    h = np.zeros((p, hid), dtype=np.float32)
    c = np.zeros((p, hid), dtype=np.float32)
    out = np.zeros((p, n, hid), dtype=np.float32)
    w_t = np.ascontiguousarray(w_hh.T)
    for t in range(n):
        k = running[t]
        g = xs[:k, t] + h[:k] @ w_t
        gates = _sigmoid(g[:, : 2 * hid])  # input and forget gates together
        cand, o = np.tanh(g[:, 2 * hid : 3 * hid]), _sigmoid(g[:, 3 * hid :])
        c[:k] = gates[:, hid:] * c[:k] + gates[:, :hid] * cand
        h[:k] = o * np.tanh(c[:k])
        out[:k, t] = h[:k]
    unsorted = np.empty_like(out)
    unsorted[order] = out
    if reverse:
        unsorted = np.take_along_axis(unsorted, rev[:, :, None], axis=1)
    return unsorted


def embedded(embed: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Each token's embedding: the sum of its features' rows (tokens x features ids),
    added feature by feature, in order: `embed[ids].sum(axis=1)` without its
    tokens x features x dim array (a seventh of the time)."""
    cols = np.ascontiguousarray(ids.T)
    if not len(cols):
        return np.zeros((len(ids), embed.shape[1]), dtype=embed.dtype)
    x = np.take(embed, cols[0], axis=0)
    for col in cols[1:]:
        x += np.take(embed, col, axis=0)
    return x


def bilstm(
    x_f: np.ndarray, x_b: np.ndarray, lengths: np.ndarray, w_hh_f: np.ndarray, w_hh_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Both LSTM directions over consecutive sequences (`lengths`, in order), from
    their tokens' input projections (tokens x 4H each, bias included); returns each
    direction's states (tokens x H), in token order.

    `lstm_pass` twice, with the same products and the same operations on each
    value, run together: one step computes a position of every running sequence
    in both directions, and the inputs are
    gathered once into step-major arrays, so each step reads contiguous rows and
    nothing is padded, reversed or put back in order per direction.
    """
    p, hid = len(lengths), w_hh_f.shape[1]
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    order = np.argsort(-lengths, kind="stable")
    n = int(lengths.max())
    steps = np.arange(n)[:, None]
    size, first = lengths[order][None, :], starts[order][None, :]
    live = steps < size  # steps x sorted sequences
    running = live.sum(axis=1)
    # Row of the token each (step, sorted sequence) reads: forwards from its
    # start, backwards from its end (0 past its end: never read). Gathered step
    # by step: laid out for all steps at once, the inputs are mostly padding
    # (tens of MB for a batch of articles, slower to fill than to compute).
    row_f = np.where(live, first + steps, 0)
    row_b = np.where(live, first + size - 1 - steps, 0)
    w_f, w_b = np.ascontiguousarray(w_hh_f.T), np.ascontiguousarray(w_hh_b.T)
    # states[t + 1] holds the states after step t (states[0]: the initial zeros);
    # every operation below is `lstm_pass`'s, written in place.
    states = np.zeros((n + 1, 2, p, hid), dtype=np.float32)
    c = np.zeros((2, p, hid), dtype=np.float32)
    g = np.zeros((2, p, 4 * hid), dtype=np.float32)
    xt = np.zeros((2, p, 4 * hid), dtype=np.float32)
    tmp = np.zeros((2, p, hid), dtype=np.float32)
    for t in range(n):
        k = running[t]
        h, gk, ck, tk = states[t, :, :k], g[:, :k], c[:, :k], tmp[:, :k]
        # two plain products: a stacked `matmul` of a few rows rounds differently
        np.matmul(h[0], w_f, out=gk[0])
        np.matmul(h[1], w_b, out=gk[1])
        np.take(x_f, row_f[t, :k], axis=0, out=xt[0, :k])
        np.take(x_b, row_b[t, :k], axis=0, out=xt[1, :k])
        gk += xt[:, :k]
        _sigmoid_in_place(gk[..., : 2 * hid])  # input and forget gates together
        _sigmoid_in_place(gk[..., 3 * hid :])
        cand = gk[..., 2 * hid : 3 * hid]
        np.tanh(cand, out=cand)
        ck *= gk[..., hid : 2 * hid]
        np.multiply(gk[..., :hid], cand, out=tk)
        ck += tk
        np.tanh(ck, out=tk)
        np.multiply(gk[..., 3 * hid :], tk, out=states[t + 1, :, :k])
    # Each token's (step, sorted sequence) in either direction.
    rank = np.empty(p, dtype=np.int64)
    rank[order] = np.arange(p)
    seq = np.repeat(np.arange(p), lengths)
    pos = np.arange(int(lengths.sum())) - starts[seq]
    return states[pos + 1, 0, rank[seq]], states[lengths[seq] - pos, 1, rank[seq]]


@dataclass(slots=True)
class LstmTagger:
    """Weights of the BiLSTM tagger and the cue words its features assume."""

    buckets: int
    arrays: dict[str, np.ndarray]
    cue_words: frozenset[str]
    meta: dict[str, Any]
    _cues: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.arrays = {k: v.astype(np.float32) for k, v in self.arrays.items()}
        self._cues = hashes(self.cue_words)

    def feature_ids(self, sdocs: list[Any]) -> np.ndarray:
        """Bucket ids (tokens x features) of a document's paragraphs (spaCy Docs)."""
        return (featurise(sdocs, self._cues) % np.uint64(self.buckets)).astype(np.int64)

    def scores(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Log-probabilities (sequences x steps x kinds x 3) of padded sequences of
        bucket ids (sequences x steps x features)."""
        live = np.arange(ids.shape[1])[None, :] < lengths[:, None]
        return self.packed_scores(ids[live], lengths)

    def packed_scores(self, rows: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """`scores` of consecutive sequences (`lengths`) given as their tokens' bucket
        ids (tokens x features), not padded."""
        a = self.arrays
        # Every product runs on the real tokens only (padding can be most of the
        # array); past a sequence's end each label scores log(1/3).
        x = embedded(a["embed"], rows)  # tokens x dim
        fwd, bwd = bilstm(
            x @ a["w_ih_f"].T + a["b_f"],
            x @ a["w_ih_b"].T + a["b_b"],
            lengths,
            a["w_hh_f"],
            a["w_hh_b"],
        )
        z = np.concatenate([fwd, bwd, x], axis=1) @ a["out_w"].T + a["out_b"]
        z = z.reshape(len(z), len(KINDS), 3)
        z = z - z.max(axis=2, keepdims=True)
        z = z - np.log(np.exp(z).sum(axis=2, keepdims=True))
        live = np.arange(int(lengths.max()))[None, :] < lengths[:, None]
        out = np.full((*live.shape, len(KINDS), 3), -np.log(3.0), dtype=z.dtype)
        out[live] = z
        return out

    def tag(self, sdocs: list[Any]) -> list[dict[str, list[tuple[int, int]]]]:
        """Token spans per kind for each of a document's paragraphs (spaCy Docs)."""

        def scores_of(sizes: np.ndarray) -> np.ndarray:
            return self.packed_scores(self.feature_ids(sdocs), sizes)

        # with the label transitions learned as a CRF; I never after O
        return tag_paragraphs(sdocs, scores_of, self.arrays["trans"])

    def save(self, path: Any) -> None:
        out: dict[str, np.ndarray] = {k: self.arrays[k].astype(np.float16) for k in _ARRAYS}
        out["meta"] = meta_array(self.meta, self.buckets, self.cue_words)
        np.savez_compressed(path, **out)

    @classmethod
    def read(cls, fh: Any) -> LstmTagger:
        with np.load(fh, allow_pickle=False) as z:
            meta, buckets, cue_words = meta_of(z)
            arrays = {k: z[k] for k in _ARRAYS}
        return cls(buckets, arrays, cue_words, meta)


@lru_cache(maxsize=1)
def load_lstm_tagger() -> LstmTagger:
    """The shipped BiLSTM tagger (`data/models/claims/claims_lstm.npz`), loaded once
    per process."""
    with open_model(LSTM_MODEL_FILE, "train-claims-v4") as fh:
        return LstmTagger.read(fh)
