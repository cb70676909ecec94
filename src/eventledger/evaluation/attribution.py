"""Span scoring for attribution extraction (source, cue, content), PolNeAR style.

Spans are compared kind by kind as sets of character spans, one span per
annotated text-bound piece: an attribution whose content is split in several
spans contributes each of them. Two measures:

- **exact**: a predicted span matches a gold span of the same kind with the
  same start and end (after trimming white space), as in Wang et al. (COLING
  2022) for PolNeAR and in Pareti's PARC evaluations ("strict match").
- **overlap**: the "partial match" of Pareti (2016, PARC 3.0) and Scheible,
  Klinger and Padó (ACL 2016): a predicted span counts as correct when it
  shares at least one character with a gold span of the same kind
  (precision), and a gold span counts as found when some predicted span of
  the same kind overlaps it (recall).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from eventledger.errors import InputError
from eventledger.evaluation.metrics import prf

__all__ = [
    "KINDS",
    "Attribution",
    "annotation_files",
    "load_brat",
    "normalise",
    "score_spans",
    "score_kinds",
]

KINDS = ("source", "cue", "content")

Span = tuple[int, int]


@dataclass(slots=True)
class Attribution:
    """One attribution relation: its source, cue and content spans (each possibly several)."""

    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)
    content: list[Span] = field(default_factory=list)


def normalise(text: str, span: Span) -> Span | None:
    """`span` with surrounding white space trimmed; None when nothing is left."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def load_brat(ann: str) -> list[Attribution]:
    """The attributions of one brat standoff annotation (PolNeAR's `.ann` format)."""
    spans: dict[str, tuple[str, list[Span]]] = {}
    events: list[list[tuple[str, str]]] = []
    for n, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if line.startswith("T"):
            if len(parts) < 2:
                raise InputError(f"brat line {n}: a text-bound annotation needs a tab")
            label, _, offsets = parts[1].partition(" ")
            pieces = []
            for piece in offsets.split(";"):  # discontinuous spans: "0 5;9 12"
                a, b = piece.split()
                pieces.append((int(a), int(b)))
            spans[parts[0]] = (label, pieces)
        elif line.startswith("E") and len(parts) >= 2:
            events.append([tuple(arg.split(":", 1)) for arg in parts[1].split()])  # type: ignore[misc]
    out = []
    for args in events:
        attr = Attribution()
        for role, ref in args:
            kind = role.rstrip("0123456789").lower()
            if kind in KINDS and ref in spans:
                getattr(attr, kind).extend(spans[ref][1])
        out.append(attr)
    return out


def annotation_files(split_dir: Path) -> list[tuple[Path, Path]]:
    """(text file, first annotation file in sorted order) for every article of a split."""
    texts = sorted((split_dir / "text").glob("*.txt"))
    anns = sorted((split_dir / "attributions").glob("*.ann"))
    out = []
    for text in texts:
        # Annotation files are "<article stem>_<annotator>.ann".
        mine = [a for a in anns if a.stem.rsplit("_", 1)[0] == text.stem]
        if mine:
            out.append((text, mine[0]))
    return out


def _hits(spans: set[tuple], others: set[tuple]) -> int:
    """How many of `spans` overlap some span of `others` with the same key."""
    by_key: dict[tuple, list[tuple]] = {}
    for o in others:
        by_key.setdefault(tuple(o[:-2]), []).append(o)
    return sum(
        1
        for s in spans
        if any(s[-2] < o[-1] and o[-2] < s[-1] for o in by_key.get(tuple(s[:-2]), ()))
    )


def score_spans(predicted: Iterable[tuple], gold: Iterable[tuple]) -> dict[str, dict[str, float]]:
    """Exact and overlap precision/recall/F1 of one kind's spans against gold.

    A span is `(start, end)` or `(key..., start, end)`; only spans with the same
    key (a document id, say) can overlap.
    """
    pred, ref = set(predicted), set(gold)
    exact = len(pred & ref)
    pred_hit = _hits(pred, ref)
    gold_hit = _hits(ref, pred)
    p = pred_hit / len(pred) if pred else 0.0
    r = gold_hit / len(ref) if ref else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "exact": {**prf(exact, len(pred), len(ref)), "matched": exact},
        "overlap": {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)},
        "counts": {"predicted": len(pred), "gold": len(ref)},
    }


def score_kinds(
    predicted: dict[str, set[tuple]], gold: dict[str, set[tuple]]
) -> dict[str, dict[str, float]]:
    """Per kind: exact_f1, overlap_f1 and the precision/recall behind them."""
    out = {}
    for kind in KINDS:
        s = score_spans(predicted.get(kind, set()), gold.get(kind, set()))
        out[kind] = {
            "exact_f1": s["exact"]["f1"],
            "overlap_f1": s["overlap"]["f1"],
            "exact_precision": s["exact"]["precision"],
            "exact_recall": s["exact"]["recall"],
            "overlap_precision": s["overlap"]["precision"],
            "overlap_recall": s["overlap"]["recall"],
            "predicted": s["counts"]["predicted"],
            "gold": s["counts"]["gold"],
        }
    return out
