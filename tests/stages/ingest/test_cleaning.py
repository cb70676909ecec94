from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventledger.stages.ingest import clean_text

BODY = "An airstrike hit the clinic on Tuesday, the ministry said."
AFTER = "Rescuers searched the rubble for hours."


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("READ MORE: Hospital raided in the north", "read-more"),
        ("Read more: Aid convoy stopped at the border", "read-more"),
        ("Related: Sudan's health system on the brink", "read-more"),
        ("See also: Timeline of attacks on clinics", "read-more"),
        ("Sign up for our daily newsletter", "newsletter"),
        ("Subscribe to our morning briefing", "newsletter"),
        ("Advertisement", "advertisement"),
        ("ADVERTISEMENT", "advertisement"),
        ("Sponsored", "advertisement"),
        ("Share this article", "share"),
        ("Share on Facebook", "share"),
        ("Click to share on Twitter (Opens in new window)", "share"),
        ("Follow us on Instagram and X", "share"),
        ("Photo: Ahmed Ali / Reuters", "photo-credit"),
        ("(Photo by Mahmud Hams/AFP via Getty Images)", "photo-credit"),
        ("Image caption: The damaged ward after the strike", "photo-credit"),
        ("Image source, Getty Images", "photo-credit"),
        ("File photo", "photo-credit"),
        ("© 2024 Daily Post", "copyright"),
        ("Copyright 2024 The Associated Press. All rights reserved.", "copyright"),
        ("All rights reserved", "copyright"),
    ],
)
def test_clean_text_removes_boilerplate_line_with_reason(line: str, reason: str) -> None:
    text, removed = clean_text(f"{BODY}\n\n{line}\n\n{AFTER}")
    assert text == f"{BODY}\n\n{AFTER}"
    assert [(r.text, r.reason, r.line) for r in removed] == [(line, reason, 3)]


@pytest.mark.parametrize(
    "line",
    [
        "Residents said they wanted to read more about the aid plans before leaving.",
        "A photo shared online showed the hospital ablaze.",
        "Photos by residents via social media showed the ward destroyed.",
        "Related reports said 12 people were killed in the same district.",
        "Subscribers said the mobile network was cut for three days.",
        "Sign up sheets were handed out to families at the camp.",
        "The advertisement for nurses was withdrawn after the attack.",
        "Share prices of the contractor fell after the strike.",
        "The image caption read: 'Rescuers at work'.",
        "Copyright lawyers were not involved, the ministry said.",
    ],
)
def test_clean_text_keeps_ordinary_sentences(line: str) -> None:
    text, removed = clean_text(f"{BODY}\n\n{line}")
    assert text == f"{BODY}\n\n{line}"
    assert removed == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        ("cafe\u0301", "caf\u00e9"),  # NFC
        ("a\x00b\x07c\x1bd", "abcd"),
        ("keep\ttab", "keep\ttab"),
        ("trailing   \nspaces\t", "trailing\nspaces"),
        ("one\n\n\n\n\ntwo", "one\n\ntwo"),
        ("one\n  \n\t\n\ntwo", "one\n\ntwo"),
        ("\n\n  body  \n\n", "body"),
    ],
)
def test_clean_text_normalises(raw: str, expected: str) -> None:
    assert clean_text(raw)[0] == expected


def test_clean_text_line_numbers_count_lines_before_cleaning() -> None:
    raw = "Title line\r\n\r\n\r\n\r\nAdvertisement\r\nBody text.\r\nShare this article"
    text, removed = clean_text(raw)
    assert text == "Title line\n\nBody text."
    assert [(r.reason, r.line) for r in removed] == [("advertisement", 5), ("share", 7)]


# Pieces rather than characters, so boilerplate lines and line-break
# variants appear often enough to matter.
_PIECES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["\n", "\r", "\r\n", " ", "\t", "\u0301", "\x07", "\u00a0"]),
    st.sampled_from(["Advertisement\n", "Read more: x\n", "Photo: AFP\n", BODY]),
)


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_clean_text_is_idempotent(raw: str) -> None:
    once, _ = clean_text(raw)
    twice, removed = clean_text(once)
    assert twice == once
    assert removed == []
