"""Small metric helpers."""

from __future__ import annotations

__all__ = ["prf"]


def prf(matched: int, predicted: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1 (as fractions; 0 where undefined)."""
    p = matched / predicted if predicted else 0.0
    r = matched / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
