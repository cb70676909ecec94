"""Anchors: keys of events, figures and claims that survive a re-run of the pipeline.

A record id (`<document>:ev3`) counts records in the order a stage found
them: a newer pipeline, or a revised article, numbers them differently. A
human decision is therefore keyed to the record's anchor instead: a digest of
the article's key (the same for every revision), the record kind, the
sentence that holds the record's first evidence span and the span's text,
with whitespace folded. A record found again in the same words of the same
article gets the same anchor; one whose sentence was rewritten, or that the
pipeline no longer finds, leaves its decisions without a record (listed as
such, never applied to another record).

Two records of one kind on the same span of the same sentence are told apart
by their order (`#2`).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from typing import Any

__all__ = ["anchor_basis", "anchors", "sentence_around"]

# A sentence ends at . ! ? followed by a space, or at a line break.
_BOUNDARY = re.compile(r"[.!?][\"'”’)]*\s+|\n")
_MARK = re.compile(r"[.!?][\"'”’)]*")


class _Sentences:
    """The sentence boundaries of one text, found once, so that anchoring a
    document's records stays linear in its length. `around` gives exactly what
    scanning the text before the span for its last boundary gives."""

    def __init__(self, text: str) -> None:
        self.text = text
        found = list(_BOUNDARY.finditer(text))
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]

    def around(self, start: int, end: int) -> str:
        text = self.text
        i = bisect_left(self.starts, start) - 1  # the last boundary begun before `start`
        begin = 0
        if i >= 0 and self.ends[i] > start:
            # it runs past `start`: cut there, it is a boundary only if some of
            # its white space comes before `start`
            mark = _MARK.match(text, self.starts[i])
            if mark is not None and mark.end() < start:
                begin = start
            elif i > 0:
                begin = self.ends[i - 1]
        elif i >= 0:
            begin = self.ends[i]
        stop = _BOUNDARY.search(text, end)  # the next boundary: a local scan
        finish = stop.start() + 1 if stop else len(text)
        return " ".join(text[begin:finish].split())


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds the span start:end, whitespace folded."""
    return _Sentences(text).around(start, end)


def _first_span(kind: str, record: dict[str, Any]) -> dict[str, Any] | None:
    if kind == "claim" and record.get("content_evidence"):
        return record["content_evidence"]
    spans = record.get("evidence") or []
    return spans[0] if spans else None


def anchor_basis(
    kind: str, record: dict[str, Any], text: str, sentences: _Sentences | None = None
) -> str:
    """What a record's anchor digests (before the article key): sentence and span text;
    the record's own words when it has no evidence."""
    span = _first_span(kind, record)
    if span is not None and 0 <= span["start"] <= span["end"] <= len(text):
        sentence = (sentences or _Sentences(text)).around(span["start"], span["end"])
        said = " ".join(text[span["start"] : span["end"]].split())
        return f"{sentence}\x1f{said}"
    own = record.get("trigger") or record.get("text") or record.get("content") or ""
    return "\x1f" + " ".join(str(own).split())


def anchors(key: str, kind: str, records: list[dict[str, Any]], text: str) -> list[str]:
    """The anchor of each of one document's records of one kind, in their order."""
    seen: dict[str, int] = {}
    found = []
    sentences = _Sentences(text) if records else None
    for record in records:
        basis = anchor_basis(kind, record, text, sentences)
        n = seen[basis] = seen.get(basis, 0) + 1
        digest = hashlib.sha256(f"{key}\x1e{kind}\x1e{basis}".encode()).hexdigest()[:40]
        found.append(f"{kind[0]}{digest}" + (f"#{n}" if n > 1 else ""))
    return found
