"""A wire dateline is a sentence of its own, set before the parser runs.

"KYIV, Aug 12 - A Russian missile struck a clinic ..." parses, with the
dateline in the sentence, as if "KYIV" were the subject of "struck" and "A
Russian missile" its apposition; "JERUSALEM, June 3 - Israeli strikes
killed 15" makes the strikes an apposition of the city and "June 3 -
Israeli" a date. The parser keeps sentence starts set before it, so a start
on the body's first word lets the lede parse as the sentence it is, and no
stage has to undo the dateline's arcs.

Only the shape wire copy uses is taken, at a paragraph's start: a place in
capitals ("PORT-AU-PRINCE", "KHAN YUNIS"), then optionally its country or
region, the day it was filed and the agency, or a title-case place with its
day ("Kampala, June 2"), then a dash or colon and a space, or a title-case
place with its country and a dash ("Port Sudan, Sudan -"). A headline's
topic ("Ukraine: Russian strike ...") is title case with no day: not taken.
A live blog's time stamp ("10:45 GMT - ...") and a day alone ("Sept 18 - ")
are cut off the same way.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language

__all__ = ["DATELINE", "MONTH", "NAME", "split_dateline"]

NAME = "eventledger_dateline"

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:" + MONTH + r"\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+" + MONTH + r"(?:\s+\d{4})?)"
_CAPS = r"[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,3}"
# "Democratic Republic of Congo", "Bosnia and Herzegovina": "of", "the", "and" join
_TITLE = r"[A-Z][\w'’.\-]+(?:\s+(?:(?:of|the|and)\s+){0,2}[A-Z][\w'’.\-]+){0,3}"
_AREA = r"(?:\s*\[[^\]\n]{1,30}\])?(?:,\s*" + _TITLE + r"){0,2}"
_AGENCY = r"(?:\s*\([A-Za-z][\w .&'’\-]{0,30}\))?"
_END = r"\s*(?:—|–|-{1,2}|:)\s"
DATELINE = re.compile(
    # a live blog's time stamp: "10:45 GMT - Israeli strike kills three"
    r"\s*\d{1,2}[:.]\d{2}\s*(?:GMT|UTC|[ap]\.?m\.?|[A-Z]{2,4})?\s*(?:—|–|-{1,2}|:)\s(?=[A-Z])|"
    # a dateline of the day alone: "Sept 18 - A Myanmar military helicopter ..."
    r"\s*" + _DAY + _AGENCY + r"\s*(?:—|–|-{1,2})\s(?=[A-Z])|"
    r"\s*(?:"
    # "PORT-AU-PRINCE, Oct 4 (Reuters) -", "KHAN YUNIS, Gaza Strip (AP) —", "KYIV:"
    + _CAPS
    + _AREA
    + r"(?:,\s*"
    + _DAY
    + r")?"
    + _AGENCY
    # "Kampala [Uganda], June 2 :", "Geneva, 3 February 2025 –"
    + r"|"
    + _TITLE
    + _AREA
    + r",\s*"
    + _DAY
    + _AGENCY
    + r")"
    + _END
    # "Port Sudan, Sudan -": a title-case place with its country, then a dash
    + r"|\s*"
    + _TITLE
    + r"(?:,\s*"
    + _TITLE
    + r"){1,2}"
    + _AGENCY
    + r"\s*(?:—|–|-{1,2})\s(?=[A-Z])"
)
_TOKENS_MAX = 30  # a dateline is short; a longer match is prose


@Language.component(NAME)
def split_dateline(doc: Any) -> Any:
    """Start a sentence at the first word after a dateline that opens `doc` (a paragraph)."""
    m = DATELINE.match(doc.text)
    if m is None or m.group(0).strip().isdigit():
        return doc
    for tok in doc[:_TOKENS_MAX]:
        if tok.idx >= m.end() and not tok.is_space:
            if tok.i > 0:
                tok.is_sent_start = True
                # and the body's first word is no sentence alone ("- A | drone strike")
                if tok.i + 1 < len(doc):
                    doc[tok.i + 1].is_sent_start = False
            break
    return doc
