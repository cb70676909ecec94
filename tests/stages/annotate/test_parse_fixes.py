"""Repairs of the small parser's misreadings, with sentences written for these tests."""

from __future__ import annotations

import pytest

from eventledger.stages.annotate.parse_fixes import unparsed_speakers


@pytest.fixture(scope="module")
def parse(annotator):
    return lambda text: annotator.nlp(text)


def test_the_list_after_the_last_comma_speaks_for_a_subjectless_verb(parse):
    doc = parse(
        "An air strike hit a bus near the town, killing 30 people, two witnesses and "
        "a health worker told Reuters."
    )
    # the pinned small model hangs both on "people", leaving "told" no subject
    assert {doc[i].text for i in unparsed_speakers(doc[:])} == {"witnesses", "worker"}


def test_a_verb_with_its_subject_needs_no_repair(parse):
    doc = parse("The strike killed 30 people and two nurses, witnesses said.")
    assert unparsed_speakers(doc[:]) == set()
