from __future__ import annotations

import pytest

from eventledger.errors import BinaryInput, EmptyInput, EncodingError
from eventledger.stages.ingest.decoding import decode, decode_bytes

TEXT = "Médecins Sans Frontières said the clinic in Zaïre was shelled; staff fled à pied.\n" * 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_decode_bytes_reads_common_encodings(encoding: str) -> None:
    assert decode_bytes(TEXT.encode(encoding), "x") == TEXT


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyInput),
        (b" \n\t\n", EmptyInput),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, BinaryInput),
        (b"%PDF-1.7\n...", BinaryInput),
        (b"PK\x03\x04rest", BinaryInput),
        (b"plain text\x00with a NUL", BinaryInput),
        (bytes(range(128, 256)) * 4, EncodingError),
    ],
)
def test_decode_bytes_rejects_bad_input(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        decode_bytes(data, "bad.txt")
    assert info.value.source == "bad.txt"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        # Short Latin-1 texts that charset-normalizer alone reads as cp775 or cp1250.
        ("Herr Müller sagte, die Klinik in Köln sei getroffen worden.\n", "latin-1", "iso8859-1"),
        (
            "Shelling killed two people, Dr. Müller told reporters on Tuesday.\n",
            "latin-1",
            "iso8859-1",
        ),
        ("Müller said the clinic was hit.", "latin-1", "iso8859-1"),
        ("São Paulo: ataque à clínica – “grave”, don’t.", "cp1252", "cp1252"),
        (
            "Обстрел убил двух человек в клинике во вторник, сообщили в министерстве.",
            "cp1251",
            "cp1251",
        ),
        (
            "Ostrzał zabił dwie osoby w klinice we wtorek, powiedział urząd zdrowia.",
            "cp1250",
            "cp1250",
        ),
        ("Müller", "utf-8", "utf-8"),
    ],
)
def test_decode_prefers_western_before_exotic_code_pages(text, encoding, expected) -> None:
    decoded = decode(text.encode(encoding), "x")
    assert (decoded.text, decoded.encoding) == (text, expected)
    assert 0 < decoded.confidence <= 1


@pytest.mark.parametrize(
    ("declared", "expected"),
    [("iso-8859-7", "iso8859-7"), ("no-such-charset", "iso8859-1"), (None, "iso8859-1")],
)
def test_decode_uses_the_declared_charset_after_utf8(declared, expected) -> None:
    decoded = decode("Müller, Köln".encode("latin-1"), "x", declared)
    assert decoded.encoding == expected
    assert decode("Müller".encode(), "x", declared).encoding == "utf-8"


def test_decode_below_the_confidence_floor_is_rejected(monkeypatch) -> None:
    from eventledger.stages.ingest import decoding

    data = "Обстрел убил двух человек в клинике во вторник, сообщили в министерстве.".encode(
        "cp1251"
    )
    monkeypatch.setattr(decoding, "MIN_CONFIDENCE", 0.99)
    with pytest.raises(EncodingError, match="cp1251") as info:
        decode(data, "ru.txt")
    assert info.value.source == "ru.txt"
