"""Bytes to text: refuse binary input, then decode, in this order of preference:

1. UTF-8 (or the encoding a byte order mark names), confidence 1.0;
2. the charset the input declares (an HTTP header, an HTML <meta>), 0.95;
3. Windows-1252 (ISO-8859-1 when no byte falls in 0x80-0x9F) when the text reads
   as Western European: accented letters inside mostly ASCII words, no C1 control
   and no symbol wedged between two letters ("M³ller"), 0.9;
4. charset-normalizer's best guess, other than 1252/Latin-1, with a confidence
   of (1 - chaos) x (0.5 + 0.5 x coherence).

Below `MIN_CONFIDENCE` the input is rejected (`EncodingError`) with the guess
and its confidence in the reason; the encoding used and its confidence are kept
on the article (`Article.encoding`, `Article.encoding_confidence`).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

from eventledger.errors import BinaryInput, EmptyInput, EncodingError

__all__ = ["MIN_CONFIDENCE", "SNIFF_BYTES", "Decoded", "check_binary", "decode", "decode_bytes"]

# How much of the head of a file is inspected for NUL bytes and magic numbers.
SNIFF_BYTES = 8192

# An encoding guessed with less confidence than this is a rejection, not a guess stored.
MIN_CONFIDENCE = 0.5

# Symbols of Windows-1252 that Western text uses between words (never inside one).
_WESTERN_SYMBOLS = frozenset(
    "\u20ac\u201a\u201e\u2026\u2020\u2021\u2030\u2039\u203a\u2018\u201c\u201d\u2022\u2013"
    "\u2014\u2122\u00a0\u00a1\u00a2\u00a3\u00a4\u00a5\u00a6\u00a7\u00a8\u00a9\u00ab\u00ac"
    "\u00ad\u00ae\u00af\u00b0\u00b1\u00b2\u00b3\u00b4\u00b6\u00b7\u00b8\u00b9\u00bb\u00bc"
    "\u00bd\u00be\u00bf\u00d7\u00f7"
)
# Letters of Windows-1252 outside Latin-1's accented block.
_WESTERN_EXTRA_LETTERS = frozenset(
    "\u0192\u0160\u0152\u017d\u0161\u0153\u017e\u0178\u00aa\u00ba\u00b5"
)
# At most this share of a Western text's letters are accented.
_WESTERN_MAX_ACCENTED = 0.3


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the Python codec name: utf-8, cp1252, iso8859-1, cp1251, ...
    confidence: float  # 0..1


# Magic numbers of formats people drop into a folder of articles by mistake.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.epub)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# UTF-16/32 text legitimately contains NUL bytes; a byte order mark says so.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _bom_encoding(head: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def check_binary(head: bytes, source: str) -> None:
    """Raise BinaryInput when the first bytes of a file show it is not text."""
    if _bom_encoding(head):
        return
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise BinaryInput(
                f"this looks like {what}, not text; give text, HTML, JSON Lines, a feed or a WARC",
                source,
            )
    if b"\x00" in head[:SNIFF_BYTES]:
        raise BinaryInput(
            "the file holds NUL bytes in its first 8 KB, so it is binary, not text; "
            "check that it is the article file you meant",
            source,
        )


def decode_bytes(data: bytes, source: str) -> str:
    """The text of `data` (see `decode`)."""
    return decode(data, source).text


def decode(data: bytes, source: str, declared: str | None = None) -> Decoded:
    """Decode `data`; `declared` is the charset the input names, if any (see the module doc)."""
    if not data.strip():
        raise EmptyInput("the input is empty or only whitespace; nothing to ingest", source)
    check_binary(data[:SNIFF_BYTES], source)
    bom = _bom_encoding(data)
    try:
        if bom:
            return Decoded(data.decode(bom), bom, 1.0)
        return Decoded(data.decode("utf-8-sig"), "utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            name = codecs.lookup(declared).name
            return Decoded(data.decode(name), name, 0.95)
        except (LookupError, UnicodeDecodeError):
            pass
    western = _western(data)
    if western is not None:
        return western
    matches = [m for m in from_bytes(data) if codecs.lookup(m.encoding).name not in _WESTERN]
    if not matches:
        raise EncodingError(
            "the bytes are not UTF-8 and no other encoding decodes them; re-save the file as UTF-8",
            source,
        )
    best = matches[0]
    confidence = round((1 - best.chaos) * (0.5 + 0.5 * best.coherence), 3)
    if confidence < MIN_CONFIDENCE:
        raise EncodingError(
            f"the encoding cannot be told with confidence (best guess {best.encoding} at "
            f"{confidence:.2f}, under {MIN_CONFIDENCE}); re-save the file as UTF-8",
            source,
        )
    return Decoded(str(best), codecs.lookup(best.encoding).name, confidence)


_WESTERN = frozenset({"cp1252", "iso8859-1", "latin-1", "iso8859-15"})


def _western(data: bytes) -> Decoded | None:
    """`data` as Windows-1252 (or Latin-1) if it reads as Western European text, else None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None  # a byte 1252 leaves undefined: Latin-1 would give a C1 control there
    letters = accented = 0
    prev_letter = False
    pending_symbol = False  # a symbol right after a letter, waiting for what follows
    for ch in text:
        if ch < "\x80":
            is_letter = ch.isalpha()
            letters += is_letter
        elif ch.isalpha():
            if not ("\u00c0" <= ch <= "\u00ff" or ch in _WESTERN_EXTRA_LETTERS):
                return None
            letters += 1
            accented += 1
            is_letter = True
        elif ch == "\u2019":  # an apostrophe may sit inside a word
            prev_letter = False
            pending_symbol = False
            continue
        elif ch in _WESTERN_SYMBOLS:
            if pending_symbol:
                pending_symbol = False
            elif prev_letter:
                pending_symbol = True
                prev_letter = False
                continue
            is_letter = False
        else:
            return None
        if pending_symbol and is_letter:
            return None  # "M³ller", "K÷ln": a symbol inside a word is another code page
        pending_symbol = False
        prev_letter = is_letter
    if not letters or accented > _WESTERN_MAX_ACCENTED * letters:
        return None
    high_controls = any(0x80 <= b <= 0x9F for b in data)
    return Decoded(text, "cp1252" if high_controls else "iso8859-1", 0.9)
