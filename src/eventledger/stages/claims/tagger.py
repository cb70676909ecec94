"""A trained span tagger for attributions: source, cue and content spans.

Three linear-chain taggers (one per span kind, BIO labels, Viterbi decoding)
share one set of sparse features per token, read off the spaCy parse the
annotate stage already made: words, lemmas, tags, dependency labels, the
token's head, its nearest cue-lexicon ancestor (and on which side of it the
token lies, under which dependent), quotation marks and sentence edges. Kinds
are tagged apart because attributions nest: an inner source and cue lie inside
an outer content span.

Features are built as whole arrays from `Doc.to_array` (spaCy's 64-bit string
hashes, stable across processes) and hashed into a fixed number of buckets, so the model is a weight matrix per kind plus a
transition matrix, stored as a compressed `.npz` of plain arrays and read with
`allow_pickle=False`: loading a model never executes code. Prediction needs
numpy only; `training.py` fits the weights (averaged structured perceptron).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    LEMMA,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SHAPE,
    TAG,
)
from spacy.parts_of_speech import AUX, NOUN, VERB
from spacy.strings import hash_string

from eventledger.errors import ConfigError

__all__ = [
    "KINDS",
    "LABELS",
    "MODEL_VERSION",
    "SpanTagger",
    "featurise",
    "hashes",
    "load_tagger",
    "meta_array",
    "meta_of",
    "open_model",
    "pad",
    "tag_paragraphs",
    "viterbi",
    "viterbi_batch",
    "N_FEATURES",
]

KINDS = ("source", "cue", "content")
LABELS = ("O", "B", "I")  # per kind
MODEL_VERSION = "2"
_MAX_UP = 12  # ancestors walked looking for a cue word (parse trees are shallow)


_ATTRS = (LOWER, LEMMA, POS, TAG, DEP, HEAD, ENT_IOB, ENT_TYPE, SHAPE, SENT_START, ORTH)
# Distance buckets: 1, 2, 3, 4-6, 7-10, 11+ tokens (0: no cue in the sentence).
_DIST_EDGES = np.array([2, 3, 4, 7, 11])
# Marks that open, close or toggle a quotation.
_OPEN_H = frozenset(hash_string(m) for m in ("“", "„", "«", "``"))
_CLOSE_H = frozenset(hash_string(m) for m in ("”", "»", "''"))
_TOGGLE_H = hash_string('"')
_QUOTE_MARKS = np.array(sorted({*_OPEN_H, *_CLOSE_H, _TOGGLE_H}), dtype=np.uint64)
_ACCORDING_H = hash_string("according")
# POS comes out of `to_array` as spaCy's symbol ids, not string hashes.
_VERBAL = np.array([VERB, AUX], dtype=np.uint64)


_PRIME = np.uint64(0x100000001B3)


def _mix(x: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (from splitmix64), so combined hashes spread over the buckets.
    Array arithmetic on uint64 wraps around silently, as a hash wants."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    return x ^ (x >> np.uint64(31))


def _combine(template: int, *parts: np.ndarray) -> np.ndarray:
    """One feature column: the template number and its parts hashed together."""
    h = np.uint64(((template + 1) * 0x9E3779B97F4A7C15) & ((1 << 64) - 1))
    for part in parts:
        h = (h ^ part.astype(np.uint64)) * _PRIME
    return _mix(h)


def _shift(a: np.ndarray, k: int, fill: int, para: np.ndarray) -> np.ndarray:
    """`a` moved k places (a[i - k] at i), `fill` where that crosses a paragraph."""
    out = np.full_like(a, fill)
    if k > 0:
        out[k:] = a[:-k]
        out[k:][para[k:] != para[:-k]] = fill
    else:
        out[:k] = a[-k:]
        out[:k][para[:k] != para[-k:]] = fill
    return out


def _quote_state(orth: np.ndarray, para_start: np.ndarray) -> np.ndarray:
    """1 for tokens inside a double-quoted passage (straight marks by parity)."""
    out = np.zeros(len(orth), dtype=np.uint64)
    inside = False
    for i, (h, first) in enumerate(zip(orth.tolist(), para_start.tolist(), strict=True)):
        if first:
            inside = False
        if h in _OPEN_H:
            inside = True
        elif h in _CLOSE_H:
            inside = False
        elif h == _TOGGLE_H:
            inside = not inside
        else:
            out[i] = inside
    return out


def _edges(head: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each token's subtree's first and last token indices."""
    n = len(head)
    left, right = np.arange(n), np.arange(n)
    for _ in range(n):
        nl, nr = left.copy(), right.copy()
        np.minimum.at(nl, head, left)
        np.maximum.at(nr, head, right)
        if np.array_equal(nl, left) and np.array_equal(nr, right):
            break
        left, right = nl, nr
    return left, right


def featurise(sdocs: list[Any], cue_lemmas: np.ndarray) -> np.ndarray:
    """Hashed features (tokens x features, uint64) of a document's paragraphs
    (spaCy Docs), their tokens in order: one pass over the whole document, so
    the cost is a few dozen array operations per article, not per paragraph.

    `cue_lemmas` holds the spaCy hashes of the cue lexicon's lemmas; a cue word
    is a verb with such a lemma, a noun with one, or "according".
    """
    sdocs = [d for d in sdocs if len(d)]
    if not sdocs:
        return np.zeros((0, N_FEATURES), dtype=np.uint64)
    arrays, heads, paras = [], [], []
    base = 0
    for j, d in enumerate(sdocs):
        arr = d.to_array(_ATTRS)
        arrays.append(arr)
        heads.append(base + np.arange(len(d)) + arr[:, 5].astype(np.int64))
        paras.append(np.full(len(d), j))
        base += len(d)
    a = np.concatenate(arrays)
    head = np.concatenate(heads)
    para = np.concatenate(paras)
    n = len(a)
    lower, lemma, pos, tag, dep = a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 4]
    idx = np.arange(n)
    ent = a[:, 6] * np.uint64(1000003) + a[:, 7]
    shape = a[:, 8]
    para_start = np.append(True, para[1:] != para[:-1])
    sent_start = (a[:, 9].astype(np.int64) == 1) | para_start
    sent_end = np.append(sent_start[1:], True)
    in_lex = np.isin(lemma, cue_lemmas)
    is_cue = (in_lex & (np.isin(pos, _VERBAL) | (pos == NOUN))) | (lower == _ACCORDING_H)
    quoted = _quote_state(a[:, 10], para_start)
    left, right = _edges(head)
    u = np.uint64

    def sh(x: np.ndarray, k: int, fill: int) -> np.ndarray:
        return _shift(x, k, fill, para)

    lower_1, lower1 = sh(lower, 1, 1), sh(lower, -1, 2)
    pos_1, pos1 = sh(pos, 1, 1), sh(pos, -1, 2)
    cols = [
        _combine(0, np.zeros(n, dtype=u)),
        _combine(1, lower),
        _combine(2, lemma),
        _combine(3, pos),
        _combine(4, tag),
        _combine(5, dep),
        _combine(6, shape),
        _combine(7, ent),
        _combine(8, lower_1),
        _combine(9, lower1),
        _combine(10, sh(lower, 2, 1)),
        _combine(11, sh(lower, -2, 2)),
        _combine(12, lower_1, lower),
        _combine(13, lower, lower1),
        _combine(14, pos_1),
        _combine(15, pos1),
        _combine(16, pos_1, pos),
        _combine(17, pos, pos1),
        _combine(18, sh(pos, 2, 1), pos_1),
        _combine(19, pos1, sh(pos, -2, 2)),
        _combine(20, dep, lemma[head]),
        _combine(21, dep, pos[head]),
        _combine(22, dep[head]),
        _combine(23, lemma, dep),
        _combine(24, quoted),
        _combine(25, sh(quoted, 1, 0), quoted),
        _combine(26, sent_start),
        _combine(27, sent_end),
        _combine(28, is_cue[head], dep),
        _combine(29, is_cue, pos),
        _combine(30, left == idx, dep),
        _combine(31, right == idx, dep),
        _combine(32, sh(dep, 1, 1)),
        _combine(33, sh(dep, -1, 2)),
    ]
    # The nearest cue-word ancestor: under which dependent, on which side, how far up.
    found = np.full(n, -1)
    child_at = idx.copy()
    up_at = np.zeros(n, dtype=np.int64)
    cur = idx.copy()
    for up in range(1, _MAX_UP + 1):
        nxt = head[cur]
        moved = nxt != cur
        if not moved.any():
            break
        new = moved & (found < 0) & is_cue[nxt]
        found[new], child_at[new], up_at[new] = nxt[new], cur[new], up
        cur = np.where(moved, nxt, cur)
    has = found >= 0
    safe = np.where(has, found, idx)
    side = np.where(idx < safe, 1, 2) * has
    cdep = np.where(has, dep[child_at], u(0))
    up_b = np.digitize(up_at, _DIST_EDGES)
    cols += [
        _combine(34, cdep, side),
        _combine(35, np.where(has, lemma[safe], u(0)), cdep, side),
        _combine(36, cdep, side, up_b),
        _combine(37, cdep, side, left[child_at] == idx, right[child_at] == idx),
        # v2: the token's own word and role inside the cue's dependent ("that" opening
        # a ccomp, a preposition opening an obl), and whether it heads that dependent.
        _combine(43, lower, cdep, side),
        _combine(44, dep, cdep, side, child_at == idx),
        _combine(45, ent, cdep, side),
    ]
    # v2: the next cue-word ancestor above the nearest one: an inner attribution
    # ("she said he wants to ...") lies inside the outer one's content.
    found2 = np.full(n, -1)
    child2 = idx.copy()
    cur = np.where(has, safe, idx)
    for _ in range(_MAX_UP):
        nxt = head[cur]
        moved = has & (nxt != cur) & (found2 < 0)
        if not moved.any():
            break
        new = moved & is_cue[nxt]
        found2[new], child2[new] = nxt[new], cur[new]
        cur = np.where(moved, nxt, cur)
    has2 = found2 >= 0
    safe2 = np.where(has2, found2, idx)
    side2 = np.where(idx < safe2, 1, 2) * has2
    cdep2 = np.where(has2, dep[child2], u(0))
    cols += [
        _combine(46, cdep2, side2, cdep, side),
        _combine(47, cdep2, side2, left[child2] == idx, right[child2] == idx),
    ]
    # Linear distance to the nearest cue word of the sentence on either side.
    sent = np.cumsum(sent_start)
    last = np.maximum.accumulate(np.where(is_cue, idx, -1))
    prev = np.append(-1, last[:-1])
    ok_l = (prev >= 0) & (sent[np.maximum(prev, 0)] == sent)
    nxt_cue = np.minimum.accumulate(np.where(is_cue, idx, n)[::-1])[::-1]
    after = np.append(nxt_cue[1:], n)
    ok_r = (after < n) & (sent[np.minimum(after, n - 1)] == sent)
    dl = np.where(ok_l, np.digitize(idx - prev, _DIST_EDGES) + 1, 0)
    dr = np.where(ok_r, np.digitize(after - idx, _DIST_EDGES) + 1, 0)
    cols += [
        _combine(38, dl),
        _combine(39, dr),
        _combine(40, np.where(ok_l, lemma[np.maximum(prev, 0)], u(0))),
        _combine(41, np.where(ok_r, lemma[np.minimum(after, n - 1)], u(0))),
        _combine(42, dl, dr, quoted),
    ]
    # v2: quotation marks right before or after the token (where a quoted content
    # starts or ends), with the punctuation it is.
    orth = a[:, 10]
    qmark = np.isin(orth, _QUOTE_MARKS)
    cols += [
        _combine(48, sh(qmark.astype(u), 1, 0), qmark, sh(qmark.astype(u), -1, 0), quoted),
        _combine(49, lower, sh(qmark.astype(u), 1, 0), sh(qmark.astype(u), -1, 0)),
        _combine(50, pos, dl, dr),
    ]
    return np.stack(cols, axis=1)


N_FEATURES = 51


def viterbi(scores: np.ndarray, trans: np.ndarray, starts: Any = ()) -> np.ndarray:
    """Best BIO label sequences, one per kind, decoded together.

    `scores` is tokens x kinds x 3 (or tokens x 3 for one kind), `trans` kinds x
    4 x 3 (or 4 x 3), its row 3 the start. I never follows O or starts a
    sequence; each token index in `starts` starts a new sequence (a paragraph).
    """
    single = scores.ndim == 2
    if single:
        scores, trans = scores[:, None, :], trans[None]
    n, k = scores.shape[0], scores.shape[1]
    if n == 0:
        path = np.zeros((0, k), dtype=np.int64)
        return path[:, 0] if single else path
    t = trans.astype(np.float64).copy()
    t[:, 0, 2] = -1e9  # O -> I
    t[:, 3, 2] = -1e9  # start -> I
    tt = t[:, :3, :]
    back = np.zeros((n, k, 3), dtype=np.int64)
    best = t[:, 3, :] + scores[0]
    fresh = set(starts)
    for i in range(1, n):
        if i in fresh:
            # a new paragraph: the best previous label, then the start transitions
            back[i] = best.argmax(axis=1)[:, None]
            best = best.max(axis=1)[:, None] + t[:, 3, :] + scores[i]
            continue
        cand = best[:, :, None] + tt  # kind x prev x cur
        back[i] = cand.argmax(axis=1)
        best = cand.max(axis=1) + scores[i]
    path = np.empty((n, k), dtype=np.int64)
    path[-1] = best.argmax(axis=1)
    rows = np.arange(k)
    for i in range(n - 1, 0, -1):
        path[i - 1] = back[i, rows, path[i]]
    return path[:, 0] if single else path


def viterbi_batch(scores: np.ndarray, lengths: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """`viterbi` over many sequences at once: `scores` is sequences x tokens x kinds x 3,
    padded past each sequence's length; returns sequences x tokens x kinds labels.

    One step per token position, not per token: a document's paragraphs are
    decoded side by side. Past its end a sequence keeps its last label at no
    cost, so the padding never changes the best path of the real tokens.
    """
    p, n, k = scores.shape[0], scores.shape[1], scores.shape[2]
    t = trans.astype(np.float64).copy()
    t[:, 0, 2] = -1e9  # O -> I
    t[:, 3, 2] = -1e9  # start -> I
    step = np.broadcast_to(t[:, :3, :], (p, k, 3, 3))
    keep = np.full((3, 3), -1e9)
    np.fill_diagonal(keep, 0.0)
    back = np.zeros((n, p, k, 3), dtype=np.int64)
    best = t[None, :, 3, :] + scores[:, 0]
    for i in range(1, n):
        live = (i < lengths)[:, None, None, None]
        cand = best[..., None] + np.where(live, step, keep)  # seq x kind x prev x cur
        back[i] = cand.argmax(axis=2)
        # scores past the end are ignored (a network scores its padding too)
        best = cand.max(axis=2) + np.where(live[..., 0], scores[:, i], 0.0)
    path = np.empty((p, n, k), dtype=np.int64)
    path[:, -1] = best.argmax(axis=2)
    si, ki = np.arange(p)[:, None], np.arange(k)[None, :]
    for i in range(n - 1, 0, -1):
        path[:, i - 1] = back[i, si, ki, path[:, i]]
    return path


def spans_of(path: np.ndarray) -> list[tuple[int, int]]:
    """Token spans [start, end) of a BIO label path."""
    out = []
    start = None
    for i, lab in enumerate(path.tolist()):
        if lab == 1 or (lab == 2 and start is None):
            if start is not None:
                out.append((start, i))
            start = i
        elif lab == 0 and start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(path)))
    return out


def pad(rows: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The rows of consecutive sequences (lengths `sizes`, in order) side by side:
    sequences x longest x the rows' shape, zeros past each sequence's end."""
    out = np.zeros((len(sizes), int(sizes.max()), *rows.shape[1:]), dtype=rows.dtype)
    bounds = np.cumsum([0, *sizes])
    for r, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        out[r, : b - a] = rows[a:b]
    return out


def tag_paragraphs(
    sdocs: list[Any], scores_of: Callable[[np.ndarray], np.ndarray], trans: np.ndarray
) -> list[dict[str, list[tuple[int, int]]]]:
    """Token spans per kind for each paragraph (spaCy Docs; an empty one gets none).
    `scores_of(sizes)` scores the non-empty ones, padded side by side (paragraphs x
    longest x kinds x 3); they are decoded together."""
    lengths = [len(d) for d in sdocs]
    out: list[dict[str, list[tuple[int, int]]]] = [{k: [] for k in KINDS} for _ in lengths]
    if not sum(lengths):
        return out
    sizes = np.array([n for n in lengths if n])
    path = viterbi_batch(scores_of(sizes), sizes, trans)
    for r, j in enumerate(j for j, n in enumerate(lengths) if n):
        out[j] = {k: spans_of(path[r, : sizes[r], m]) for m, k in enumerate(KINDS)}
    return out


def hashes(words: Any) -> np.ndarray:
    """spaCy's string hashes of `words`, as the feature arrays hold them."""
    return np.array(sorted(hash_string(w) for w in words), dtype=np.uint64)


@dataclass(slots=True)
class SpanTagger:
    """Weights for the three kinds over hashed features, and the cue lexicon they assume."""

    buckets: int
    weights: dict[str, np.ndarray]  # kind -> (buckets x 3)
    trans: dict[str, np.ndarray]  # kind -> (4 x 3)
    cue_words: frozenset[str]
    meta: dict[str, Any]
    _cues: np.ndarray = field(init=False, repr=False)
    _w: np.ndarray = field(init=False, repr=False)
    _t: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._cues = hashes(self.cue_words)
        # buckets x kinds x 3, so one gather scores every kind
        self._w = np.stack([self.weights[k] for k in KINDS], axis=1).astype(np.float32)
        self._t = np.stack([self.trans[k] for k in KINDS]).astype(np.float32)

    def feature_ids(self, sdocs: list[Any]) -> np.ndarray:
        """Bucket ids (tokens x features) of a document's paragraphs (spaCy Docs)."""
        return (featurise(sdocs, self._cues) % np.uint64(self.buckets)).astype(np.int64)

    def tag(self, sdocs: list[Any]) -> list[dict[str, list[tuple[int, int]]]]:
        """Token spans per kind for each of a document's paragraphs (spaCy Docs)."""

        def scores_of(sizes: np.ndarray) -> np.ndarray:
            return pad(self._w[self.feature_ids(sdocs)].sum(axis=1), sizes)

        return tag_paragraphs(sdocs, scores_of, self._t)

    def save(self, path: Any) -> None:
        arrays: dict[str, np.ndarray] = {
            f"w_{k}": v.astype(np.float16) for k, v in self.weights.items()
        }
        arrays.update({f"t_{k}": v.astype(np.float32) for k, v in self.trans.items()})
        arrays["meta"] = meta_array(self.meta, self.buckets, self.cue_words)
        np.savez_compressed(path, **arrays)

    @classmethod
    def read(cls, fh: Any) -> SpanTagger:
        with np.load(fh, allow_pickle=False) as z:
            meta, buckets, cue_words = meta_of(z)
            weights = {k: z[f"w_{k}"].astype(np.float32) for k in KINDS}
            trans = {k: z[f"t_{k}"].astype(np.float32) for k in KINDS}
        return cls(buckets, weights, trans, cue_words, meta)


def meta_array(meta: dict[str, Any], buckets: int, cue_words: frozenset[str]) -> np.ndarray:
    """A model's notes, bucket count and cue words as the JSON bytes its `.npz` holds
    (a plain array, so reading it never unpickles)."""
    full = {**meta, "buckets": buckets, "cue_words": sorted(cue_words)}
    return np.frombuffer(json.dumps(full).encode("utf-8"), dtype=np.uint8)


def meta_of(z: Any) -> tuple[dict[str, Any], int, frozenset[str]]:
    """The notes, bucket count and cue words of an opened model file (`meta_array`)."""
    meta = json.loads(bytes(z["meta"]).decode("utf-8"))
    return meta, int(meta.pop("buckets")), frozenset(meta.pop("cue_words"))


MODEL_FILE = "claims_tagger.npz"


@lru_cache(maxsize=1)
def load_tagger() -> SpanTagger:
    """The shipped tagger (`data/models/claims/claims_tagger.npz`), loaded once per process."""
    with open_model(MODEL_FILE, "train-claims") as fh:
        return SpanTagger.read(fh)


def open_model(name: str, target: str) -> Any:
    """The packaged claims model file `name`, open for reading; when it is missing,
    a ConfigError naming the make target that rebuilds it."""
    ref = resources.files("eventledger.data").joinpath("models", "claims", name)
    if not ref.is_file():
        raise ConfigError(
            f"the claims tagger model {name} is missing from the package; "
            f"rebuild it with `make {target}`"
        )
    return ref.open("rb")
