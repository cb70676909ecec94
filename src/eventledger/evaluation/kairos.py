"""WikiEvents (KAIROS) scoring helpers: the scored classes and roles, the
text rebuilt from the documents' tokens, gold triggers and arguments, and
head-word matching of predicted triggers and arguments (see
benchmarks/wikievents.py for how eventledger's events are read)."""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "CLASSES",
    "ROLE_MAP",
    "event_class",
    "gold_of",
    "rebuild",
    "score",
    "token_at",
    "trigger_class",
]

CLASSES = ("Conflict.Attack", "Life.Die", "Life.Injure")
ROLE_MAP = {
    "Attacker": "Attacker",
    "Killer": "Attacker",
    "Injurer": "Attacker",
    "Target": "Target",
    "Victim": "Victim",
    "Instrument": "Instrument",
    "ExplosiveDevice": "Instrument",
    "Place": "Place",
}
_DIE = re.compile(r"\b(?:kill|die|dead|death|massacre|execut|slay|slain)", re.I)
_INJURE = re.compile(r"\b(?:wound|injur|hurt|maim)", re.I)


def event_class(kairos_type: str) -> str | None:
    """The scored class of a KAIROS event type, or None when it is not scored."""
    for c in CLASSES:
        if kairos_type.startswith(c):
            return c
    return None


def trigger_class(word: str) -> str:
    """The class of a predicted trigger word."""
    if _DIE.search(word):
        return "Life.Die"
    if _INJURE.search(word):
        return "Life.Injure"
    return "Conflict.Attack"


def rebuild(doc: dict[str, Any]) -> tuple[str, list[tuple[int, int]]]:
    """(text, per document token: (start, end) in that text)."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for tokens, _ in doc["sentences"]:
        if parts:
            parts.append("\n\n")
            pos += 2
        if not tokens:
            continue
        base = tokens[0][1]
        buf: list[str] = []
        for word, start, _end in tokens:
            rel = start - base
            cur = sum(len(b) for b in buf)
            if rel > cur:
                buf.append(" " * (rel - cur))
            elif rel < cur:
                buf.append(" ")  # offsets that overlap: keep tokens apart
                rel = cur + 1
            buf.append(word)
            spans.append((pos + rel, pos + rel + len(word)))
        sent = "".join(buf)
        parts.append(sent)
        pos += len(sent)
    return "".join(parts), spans


def token_at(spans: list[tuple[int, int]], char: int) -> int | None:
    """Index of the token whose span holds char offset `char`, or None."""
    for i, (a, b) in enumerate(spans):
        if a <= char < b:
            return i
    return None


def gold_of(doc: dict[str, Any], coref: dict[str, list[str]]) -> dict[str, Any]:
    """Gold triggers and arguments of the scored classes."""
    mentions = {m["id"]: m for m in doc["entity_mentions"]}
    cluster_of = {m: c for c in coref.get(doc["doc_id"], []) for m in c}
    events = []
    for ev in doc["event_mentions"]:
        cls = event_class(ev["event_type"])
        if cls is None:
            continue
        args = []
        for a in ev["arguments"]:
            role = ROLE_MAP.get(a["role"])
            m = mentions.get(a["entity_id"])
            if role is None or m is None:
                continue
            spans = [(m["start"], m["end"])]
            coref_spans = [
                (mentions[c]["start"], mentions[c]["end"])
                for c in cluster_of.get(a["entity_id"], [a["entity_id"]])
                if c in mentions
            ]
            args.append({"role": role, "span": spans[0], "coref": coref_spans or spans})
        events.append(
            {"cls": cls, "span": (ev["trigger"]["start"], ev["trigger"]["end"]), "args": args}
        )
    return {"events": events}


def score(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[str, list[int]]:
    """[matched, predicted, gold] for triggers and for arguments (head and coref)."""
    t = [0, len(pred), len(gold)]
    head = [0, sum(len(p["args"]) for p in pred), sum(len(g["args"]) for g in gold)]
    coref = list(head)
    used: set[int] = set()
    for p in pred:
        g_idx = next(
            (
                i
                for i, g in enumerate(gold)
                if i not in used
                and g["cls"] == p["cls"]
                and g["span"][0] <= p["tok"] < g["span"][1]
            ),
            None,
        )
        if g_idx is None:
            continue
        used.add(g_idx)
        t[0] += 1
        g = gold[g_idx]
        for key, tally in (("span", head), ("coref", coref)):
            taken: set[int] = set()
            for a in p["args"]:
                for j, ga in enumerate(g["args"]):
                    spans = [ga["span"]] if key == "span" else ga["coref"]
                    if j in taken or ga["role"] != a["role"]:
                        continue
                    if any(s <= a["tok"] < e for s, e in spans):
                        taken.add(j)
                        tally[0] += 1
                        break
    return {"trigger": t, "argument_head": head, "argument_coref": coref}
