from __future__ import annotations

import pytest

from eventledger.errors import BinaryInput, EmptyInput, EncodingError
from eventledger.stages.ingest.decoding import decode_bytes

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
