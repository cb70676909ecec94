"""Score a ledger export against hand-written golden expectations
(`tests/golden/examples.json`): figures, events and claims, per article.

Matching rules (kept simple and strict so a score can only be earned):
- figures match on kind and bounds (`min`, `max`; an absent lower bound and 0
  are the same) inside the same article; group, scope and claimant are then
  scored as attribute accuracy over the matched pairs;
- events: only *asserted* events count (they are what a ledger publishes). A
  predicted event matches a golden one when one of its evidence spans overlaps
  the golden evidence quote in the text; type, subtype, health-care flag, date
  and place are attribute accuracy over matched pairs;
- claims match when the predicted content span overlaps the golden content
  quote; speaker and stance are attribute accuracy.
Names (claimants, speakers, places) match when they share a content word,
so "the health ministry" and "Ministry of Health" agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from eventledger.evaluation.metrics import prf

__all__ = ["score_against_golden"]

_STOP = {"the", "of", "a", "an", "s", "dr", "mr", "ms", "al", "el", "its", "and", "in"}


def _words(name: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", (name or "").lower()) if w not in _STOP}


def names_agree(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return not a and not b
    return bool(_words(a) & _words(b))


def _locate(text: str, quote: str | None) -> tuple[int, int] | None:
    if not quote:
        return None
    i = text.find(quote)
    if i < 0:  # quotes cut at HTML entities: try a prefix
        i = text.find(quote[:40])
        if i < 0:
            return None
    return i, i + len(quote)


def _overlaps(span: tuple[int, int] | None, evidence: Iterable[dict]) -> bool:
    if span is None:
        return False
    return any(e["start"] < span[1] and span[0] < e["end"] for e in evidence)


def _low(v: Any) -> float:
    return 0 if v is None else float(v)


def _high(v: Any) -> float | None:
    return None if v is None else float(v)


def _group(record: dict) -> str:
    return (record.get("group") or "").replace("_", " ")


def _acc(hits: list[bool]) -> float:
    return round(sum(hits) / len(hits), 4) if hits else 0.0


def _match(gold: list, pred: list, same) -> list[tuple[Any, Any]]:
    """Greedy one-to-one matching in document order."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and same(g, p):
                used.add(i)
                pairs.append((g, p))
                break
    return pairs


def score_against_golden(export: dict, golden: list[dict]) -> dict[str, Any]:
    docs = {d["key"]: d for d in export["documents"]}
    by_doc: dict[str, dict[str, list]] = {}
    for kind in ("events", "figures", "claims"):
        for rec in export[kind]:
            by_doc.setdefault(rec["document_id"], {}).setdefault(kind, []).append(rec)

    counts = {k: [0, 0, 0] for k in ("figures", "events", "claims")}  # matched, predicted, gold
    attrs: dict[str, list[bool]] = {}
    missing = []

    def note(name: str, ok: bool) -> None:
        attrs.setdefault(name, []).append(ok)

    for art in golden:
        doc = docs.get(art["key"])
        if doc is None:
            missing.append(art["key"])
            continue
        text = doc["text"]
        recs = by_doc.get(doc["id"], {})

        # figures
        gold_f, pred_f = art.get("figures", []), recs.get("figures", [])
        pairs = _match(
            gold_f,
            pred_f,
            lambda g, p: (
                g["kind"] == p["kind"]
                and _low(g["min"]) == _low(p["min"])
                and _high(g["max"]) == _high(p["max"])
            ),
        )
        for g, p in pairs:
            note("figure.group", _group(g) == _group(p))
            note("figure.scope", g.get("scope", "incident") == p.get("scope"))
            note(
                "figure.claimant",
                names_agree(g.get("claimant"), (p.get("claimant") or {}).get("name")),
            )
        c = counts["figures"]
        c[0] += len(pairs)
        c[1] += len(pred_f)
        c[2] += len(gold_f)

        # events (asserted only)
        gold_e = [e for e in art.get("events", []) if e.get("factuality", "asserted") == "asserted"]
        pred_e = [e for e in recs.get("events", []) if e.get("factuality") == "asserted"]
        pairs = _match(
            gold_e,
            pred_e,
            lambda g, p, text=text: _overlaps(_locate(text, g.get("evidence")), p["evidence"]),
        )
        for g, p in pairs:
            note("event.type", g["type"] == p["type"])
            note("event.subtype", g.get("subtype") == p.get("subtype"))
            note("event.health_care", bool(g.get("health_care")) == bool(p.get("health_care")))
            note("event.date", g.get("date") == ((p.get("date") or {}).get("start")))
            place = p.get("place") or {}
            note(
                "event.place",
                names_agree(g.get("place"), place.get("name"))
                or names_agree(g.get("facility"), place.get("facility")),
            )
        c = counts["events"]
        c[0] += len(pairs)
        c[1] += len(pred_e)
        c[2] += len(gold_e)

        # claims
        gold_c, pred_c = art.get("claims", []), recs.get("claims", [])
        pairs = _match(
            gold_c,
            pred_c,
            lambda g, p, text=text: _overlaps(
                _locate(text, g.get("text")),
                [p["content_evidence"]] if p.get("content_evidence") else p["evidence"],
            ),
        )
        for g, p in pairs:
            speaker = p.get("speaker") or {}
            note(
                "claim.speaker",
                names_agree(g.get("speaker"), speaker.get("normalized"))
                or names_agree(g.get("speaker"), speaker.get("name")),
            )
            note("claim.stance", g.get("stance") == p.get("stance"))
        c = counts["claims"]
        c[0] += len(pairs)
        c[1] += len(pred_c)
        c[2] += len(gold_c)

    out: dict[str, Any] = {
        k: prf(*v) | {"matched": v[0], "predicted": v[1], "gold": v[2]} for k, v in counts.items()
    }
    out["attributes"] = {k: _acc(v) for k, v in sorted(attrs.items())}
    out["missing_documents"] = missing
    return out
