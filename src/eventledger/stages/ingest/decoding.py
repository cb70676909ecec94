"""Bytes to text: refuse binary input, then decode UTF-8 or a detected encoding."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from eventledger.errors import BinaryInput, EmptyInput, EncodingError

__all__ = ["SNIFF_BYTES", "check_binary", "decode_bytes"]

# How much of the head of a file is inspected for NUL bytes and magic numbers.
SNIFF_BYTES = 8192

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
    """Decode `data` as UTF-8 (or a BOM's encoding), else as charset-normalizer's best guess."""
    if not data.strip():
        raise EmptyInput("the input is empty or only whitespace; nothing to ingest", source)
    check_binary(data[:SNIFF_BYTES], source)
    bom = _bom_encoding(data)
    try:
        return data.decode(bom) if bom else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise EncodingError(
            "the bytes are not UTF-8 and no other encoding decodes them; re-save the file as UTF-8",
            source,
        )
    # Short texts often tie between several single-byte code pages; Windows-1252
    # is by far the likeliest of them (WHATWG decodes Latin-1 labels as it too).
    for match in matches:
        if (match.chaos, match.coherence) == (best.chaos, best.coherence) and (
            "cp1252" in match.could_be_from_charset
        ):
            return str(match)
    return str(best)
