"""Coreference scores over clusterings: MUC, B³, CEAF-e and CoNLL F1 (their mean).

A clustering is a mapping item -> cluster label; key and response must cover
the same items (the gold-mention setting), and singletons count. The
definitions follow the CoNLL-2012 reference scorer (Pradhan et al. 2014).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

__all__ = ["PRF", "b_cubed", "ceaf_e", "clusters", "conll_f1", "muc"]


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def clusters(assignment: Mapping[Hashable, Hashable]) -> list[frozenset]:
    """The clusters (sets of items) of an item -> label mapping."""
    groups: dict[Hashable, set] = defaultdict(set)
    for item, label in assignment.items():
        groups[label].add(item)
    return [frozenset(g) for g in groups.values()]


def _check(key: Mapping, response: Mapping) -> None:
    if set(key) != set(response):
        raise ValueError("key and response must cluster the same items")


def b_cubed(key: Mapping, response: Mapping) -> PRF:
    """B³: per item, the overlap of its key and response clusters, averaged over items."""
    _check(key, response)
    if not key:
        return PRF(0.0, 0.0)
    k = {i: c for c in clusters(key) for i in c}
    r = {i: c for c in clusters(response) for i in c}
    p = sum(len(k[i] & r[i]) / len(r[i]) for i in key) / len(key)
    rec = sum(len(k[i] & r[i]) / len(k[i]) for i in key) / len(key)
    return PRF(p, rec)


def _muc_side(a: list[frozenset], b_of: Mapping) -> float:
    num = den = 0
    for c in a:
        parts = {b_of[i] for i in c}
        num += len(c) - len(parts)
        den += len(c) - 1
    return num / den if den else 0.0


def muc(key: Mapping, response: Mapping) -> PRF:
    """MUC: links recovered (singletons add nothing)."""
    _check(key, response)
    kc, rc = clusters(key), clusters(response)
    return PRF(_muc_side(rc, key), _muc_side(kc, response))


def ceaf_e(key: Mapping, response: Mapping) -> PRF:
    """Entity-based CEAF (phi4 similarity, best one-to-one alignment of clusters)."""
    from scipy.optimize import linear_sum_assignment  # imported here: only CEAF needs it

    _check(key, response)
    kc, rc = clusters(key), clusters(response)
    if not kc or not rc:
        return PRF(0.0, 0.0)
    # Only overlapping pairs score; a sparse matrix of them keeps this cheap.
    r_index = {i: n for n, c in enumerate(rc) for i in c}
    sim: dict[tuple[int, int], float] = {}
    for a, c in enumerate(kc):
        for b in {r_index[i] for i in c}:
            sim[(a, b)] = 2 * len(c & rc[b]) / (len(c) + len(rc[b]))
    rows = sorted({a for a, _ in sim})
    cols = sorted({b for _, b in sim})
    ri, ci = {a: n for n, a in enumerate(rows)}, {b: n for n, b in enumerate(cols)}
    matrix = [[0.0] * len(cols) for _ in rows]
    for (a, b), v in sim.items():
        matrix[ri[a]][ci[b]] = v
    r_ind, c_ind = linear_sum_assignment(matrix, maximize=True)
    total = sum(matrix[i][j] for i, j in zip(r_ind, c_ind, strict=True))
    return PRF(total / len(rc), total / len(kc))


def conll_f1(key: Mapping, response: Mapping) -> dict[str, float]:
    """F1 of MUC, B³ and CEAF-e, and CoNLL F1 (their mean)."""
    scores = {
        "muc_f1": muc(key, response).f1,
        "b3_f1": b_cubed(key, response).f1,
        "ceafe_f1": ceaf_e(key, response).f1,
    }
    scores["conll_f1"] = sum(scores.values()) / 3
    return scores
