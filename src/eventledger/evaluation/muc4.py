"""MUC-4 data as the benchmarks score it: the processed GTT/GRIT documents
(role-filler entities pooled per document), casualty counts from the raw
answer keys, and the map from eventledger's coding to MUC-4 incident types.

Key format (raw/doc/template-doc-part1.v7): numbered slots, one value per
line, continuation lines indented; `21. HUM TGT: NUMBER` pairs a number with
a quoted description (`6: "JESUITS"`), `23. HUM TGT: EFFECT OF INCIDENT` an
effect with the same description (`DEATH: "JESUITS"`). A leading `?` marks an
uncertain value; `a - b` ranges count their lower end; alternatives after `/`
are ignored (the first is the key's preferred value); non-numeric numbers
(`PLURAL`) give no count. Templates marked `(OPTIONAL)` count like the others.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

from eventledger.evaluation.ceaf import ROLES

__all__ = ["muc_type", "parse_casualties", "read_casualties", "read_gold"]


def muc_type(event: dict[str, Any]) -> str:
    """The MUC-4 incident type an eventledger event stands for."""
    sub = event.get("subtype") or ""
    mode = (event.get("plover") or {}).get("mode")
    if mode == "arson":
        return "arson"
    if sub in ("Air/drone strike", "Shelling/artillery/missile attack",
               "Remote explosive/landmine/IED"):  # fmt: skip
        return "bombing"
    if sub == "Abduction/forced disappearance":
        return "kidnapping"
    if sub == "Looting/property destruction":
        return "robbery"
    return "attack"


def read_gold(path: Path) -> dict[str, dict[str, Any]]:
    """Processed GTT/GRIT documents by id: text, pooled role entities, template types
    (a `.gz` file, the training split, is read through gzip)."""
    out: dict[str, dict[str, Any]] = {}
    raw = path.read_bytes()
    text = gzip.decompress(raw) if path.suffix == ".gz" else raw
    for line in text.decode("utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        roles: dict[str, list[list[str]]] = {r: [] for r in ROLES}
        types: set[str] = set()
        for tpl in rec["templates"]:
            types |= {t.strip() for t in tpl["incident_type"].split("/")}
            for role in ROLES:
                for ent in tpl.get(role, []):
                    mentions = [m[0] for m in ent]
                    if mentions and mentions not in roles[role]:
                        roles[role].append(mentions)
        out[rec["docid"]] = {"text": rec["doctext"], "roles": roles, "types": types}
    return out


def _slots(block: str) -> dict[int, list[str]]:
    slots: dict[int, list[str]] = {}
    current = None
    for line in block.splitlines():
        m = re.match(r"^(\d+)\.\s+[A-Z :]+?\s{2,}(.*)$", line)
        if m:
            current = int(m.group(1))
            slots[current] = [m.group(2).strip()]
        elif current is not None and line.strip():
            slots[current].append(line.strip())
    return slots


def parse_casualties(text: str) -> dict[str, dict[str, int]]:
    """Deaths and injuries per document id from the text of a key file."""
    out: dict[str, dict[str, int]] = {}
    for block in re.split(r"\n\s*\n", text):
        slots = _slots(block)
        if 0 not in slots or not slots[0][0].split():
            continue
        docid = slots[0][0].split()[0]
        counts = out.setdefault(docid, {})
        numbers: dict[str, int] = {}
        for v in slots.get(21, []):
            m = re.match(r'^\??(\d+)(?:\s*-\s*\d+)?\s*:\s*"(.+?)"', v)
            if m:
                numbers[m.group(2)] = int(m.group(1))
        for v in slots.get(23, []):
            m = re.match(r'^\??([A-Z ]+?)(?:\s*/\s*[A-Z ?]+)?\s*:\s*"(.+?)"', v)
            if not m or m.group(2) not in numbers:
                continue
            effect = {"DEATH": "killed", "INJURY": "injured"}.get(m.group(1).strip())
            if effect:
                counts[effect] = counts.get(effect, 0) + numbers[m.group(2)]
    return {k: v for k, v in out.items() if v}


def read_casualties(paths: list[Path]) -> dict[str, dict[str, int]]:
    """Deaths and injuries per document from gzipped key files (numeric counts only)."""
    out: dict[str, dict[str, int]] = {}
    for path in paths:
        out.update(parse_casualties(gzip.decompress(path.read_bytes()).decode("latin-1")))
    return out
