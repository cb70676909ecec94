"""Pair quotation marks in raw text in one linear scan.

Only double marks (straight `"`, curly `“ ”`, low `„`, guillemets `« »`) open
and close quotes: single marks are apostrophes (`hours'`, `Sudan's`, `'80s`)
or nested quotes far more often than top-level ones, so they never take part.
A quote that runs over several paragraphs follows the news convention: each
new paragraph reopens the quote and only the last one closes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quote", "pair_quotes"]

_OPEN = frozenset("“„«")
_CLOSE = frozenset("”»")
# Marks and paragraph breaks are the only places the scan stops.
_STOPS = re.compile(r"[\"“”„«»]|\n[ \t]*\n")
# What may stand before an opening straight mark: start, space, bracket, dash.
_BEFORE_OPEN = frozenset(" \t\n([{—–-/")


@dataclass(frozen=True, slots=True)
class Quote:
    """A paired quotation: `start`/`end` include the marks, `inner_*` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    paragraphs: int = 1  # how many paragraphs the quote runs over


def _opens(text: str, i: int) -> bool:
    ch = text[i]
    if ch in _OPEN:
        return True
    if ch in _CLOSE:
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in _BEFORE_OPEN and not after.isspace()


def pair_quotes(text: str) -> list[Quote]:
    """Every paired double quotation in `text`, in order; unclosed quotes are dropped."""
    quotes: list[Quote] = []
    open_at: int | None = None
    paragraphs = 1
    # Set at a paragraph break while a quote is open: the next paragraph must
    # reopen the quote as its first character, or the quote was never closed.
    await_reopen_from: int | None = None
    for m in _STOPS.finditer(text):
        i = m.start()
        if m.group().startswith("\n"):
            if open_at is not None:
                await_reopen_from = m.end()
            continue
        if await_reopen_from is not None:
            reopen = text[await_reopen_from:i].strip() == "" and _opens(text, i)
            await_reopen_from = None
            if reopen:
                paragraphs += 1
                continue
            open_at, paragraphs = None, 1
        if open_at is None:
            if _opens(text, i):
                open_at = i
            continue
        if text[i] in _OPEN:
            # A second opener with no closer between: the first was stray.
            open_at = i
            continue
        quotes.append(Quote(open_at, i + 1, open_at + 1, i, paragraphs))
        open_at, paragraphs = None, 1
    return quotes
