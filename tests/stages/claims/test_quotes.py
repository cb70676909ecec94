from __future__ import annotations

import pytest

from eventledger.stages.claims import pair_quotes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # split quote around an attribution: two quotes
        (
            '"We have no fuel," he said. "Patients are dying."',
            ['"We have no fuel,"', '"Patients are dying."'],
        ),
        # curly marks with apostrophes inside and outside
        (
            "“It’s the hours’ wait,” she said of Sudan’s '80s crisis.",
            ["“It’s the hours’ wait,”"],
        ),
        # nested single quotes do not end the outer quote
        ("He said \"they called it 'hell' there\" today.", ["\"they called it 'hell' there\""]),
        ("She said “they called it ‘hell’ there” today.", ["“they called it ‘hell’ there”"]),
        # a quote over two paragraphs: reopened, closed only at the end
        ('"First part.\n\n"Second part," he said.', ['"First part.\n\n"Second part,"']),
        # an unclosed quote whose next paragraph does not reopen it is dropped
        ('An unclosed "quote here.\n\nNew "para" text.', ['"para"']),
        ("No quotes at all, only Sudan's hours' wait.", []),
        # a stray closing mark does not open a quote
        ("Broken” then “real quote here” end.", ["“real quote here”"]),
    ],
)
def test_pair_quotes_pairs_double_marks(text, expected):
    got = pair_quotes(text)
    assert [text[q.start : q.end] for q in got] == expected
    for q in got:
        assert q.start < q.inner_start <= q.inner_end < q.end


def test_pair_quotes_counts_paragraphs():
    text = '"One.\n\n"Two.\n\n"Three," she said.'
    (q,) = pair_quotes(text)
    assert q.paragraphs == 3
    assert text[q.inner_start : q.inner_end].endswith("Three,")
