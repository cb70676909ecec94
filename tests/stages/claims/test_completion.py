"""Reading a cue's source and content off the parse (`completion.py`)."""

from __future__ import annotations

import pytest

from eventledger.stages.claims.completion import cue_head, governed_span, subject_span, tokens_at


def _cue(doc, text: str, cue: str):
    start = text.index(cue)
    found = tokens_at(doc, (start, start + len(cue)))
    assert found is not None
    offset, tokens = found
    return offset, tokens, cue_head(tokens)


@pytest.mark.parametrize(
    ("text", "cue", "head"),
    [
        ("The mayor has said that the bridge will reopen.", "has said", "said"),
        ("The nurses spoke about the shortage of beds.", "spoke about", "spoke"),
    ],
)
def test_the_cue_head_is_the_word_the_rest_hangs_from(make_doc, text, cue, head):
    _, _, tok = _cue(make_doc(text), text, cue)
    assert tok.text == head


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "The mayor has said that the bridge will reopen in June.",
            "has said",
            "that the bridge will reopen in June",
        ),
        # an object, when the lexicon names no content dependents
        (
            "Senator Dana Reyes questioned the integrity of the count.",
            "questioned",
            "the integrity of the count",
        ),
        # the object of the preposition a cue ends with
        (
            "The nurses spoke about the shortage of beds.",
            "spoke about",
            "the shortage of beds",
        ),
        # a clause before its cue
        (
            "The bridge will reopen in June, the mayor said.",
            "said",
            "The bridge will reopen in June",
        ),
    ],
)
def test_the_content_a_cue_governs(make_doc, text, cue, content):
    doc = make_doc(text)
    offset, tokens, head = _cue(doc, text, cue)
    span = governed_span(offset, tokens, head)
    assert span is not None
    assert text[span[0] : span[1]] == content


def test_a_cue_with_nothing_under_it_governs_no_content(make_doc):
    text = "The mayor spoke for an hour."
    doc = make_doc(text)
    offset, tokens, head = _cue(doc, text, "spoke")
    assert governed_span(offset, tokens, head) is None


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        (
            "Amina Bello, a nurse at the clinic, questioned the decision.",
            "questioned",
            "Amina Bello, a nurse at the clinic",
        ),
        # a coordinated verb shares its subject
        (
            "The governor visited the camp and praised the volunteers.",
            "praised",
            "The governor",
        ),
        ("It was reported that the road had reopened.", "reported", None),
    ],
)
def test_the_subject_of_a_cue(make_doc, text, cue, source):
    doc = make_doc(text)
    offset, _, head = _cue(doc, text, cue)
    span = subject_span(offset, head)
    if source is None:
        assert span is None
    else:
        assert span is not None and text[span[0] : span[1]] == source


def test_a_span_across_paragraphs_has_no_tokens(make_doc):
    text = "The mayor spoke.\n\nThe council voted."
    doc = make_doc(text)
    assert tokens_at(doc, (4, len(text))) is None
    assert tokens_at(doc, (4, 9)) is not None
