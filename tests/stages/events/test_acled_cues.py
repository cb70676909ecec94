from __future__ import annotations

import pytest

from eventledger.stages.events.acled_cues import (
    CUE_FINDERS,
    armed,
    depth,
    protest_subtype,
    protest_told,
    side_of,
)


def _tokens(make_doc, text):
    doc = make_doc(text)
    return list(doc.sentences[0].span)


def _tok(make_doc, text, word):
    return next(t for t in _tokens(make_doc, text) if t.text == word)


def _cues(make_doc, text):
    out = []
    for t in _tokens(make_doc, text):
        for find in CUE_FINDERS:
            if (sub := find(t)) is not None:
                out.append((sub, t.text))
                break
    return out


@pytest.mark.parametrize(
    ("text", "word", "side"),
    [
        ("Government soldiers entered the town.", "entered", "state"),
        ("Rebel fighters entered the town.", "entered", "non-state"),
        ("Security forces entered the town.", "entered", "state"),
        ("They entered the town.", "entered", None),
    ],
)
def test_side_of_reads_the_doers_words(make_doc, text, word, side):
    verb = _tok(make_doc, text, word)
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    assert side_of(subj) == side


def test_depth_counts_heads_to_the_root(make_doc):
    toks = _tokens(make_doc, "Troops captured the town.")
    assert depth(next(t for t in toks if t.text == "captured")) == 0
    assert depth(next(t for t in toks if t.text == "town")) == 1


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Troops recaptured the hill.", ("Government regains territory", "recaptured")),
        # an irregular past the small model does not lemmatise
        ("Government troops retook the town.", ("Government regains territory", "retook")),
        ("Police found a cache of explosives.", ("Disrupted weapons use", "found")),
        ("The militia formed a new brigade.", ("Change to group/activity", "formed")),
        ("Fighters used sarin against the town.", ("Chemical weapon", "sarin")),
        ("He was raped by two men.", ("Sexual violence", "raped")),
        ("Villagers lynched a suspected thief.", ("Mob violence", "lynched")),
    ],
)
def test_a_finder_names_the_cue(make_doc, text, cue):
    assert cue in _cues(make_doc, text)


def test_a_retaken_place_goes_by_the_taker_when_named(make_doc):
    # re-taking verbs read as a government's only when the taker is unnamed
    assert ("Non-state actor overtakes territory", "recaptured") in _cues(
        make_doc, "The insurgents recaptured the hill."
    )


@pytest.mark.parametrize(
    "text",
    [
        "A man fired a grenade launcher at the wall.",
        "Riot police stood by the gate.",
        "Tear gas filled the square.",
        "Ceasefire violations were reported overnight.",
        "Officers found a lost dog in the yard.",
    ],
)
def test_words_that_cue_nothing(make_doc, text):
    cues = [sub for sub, _ in _cues(make_doc, text)]
    assert not {"Grenade", "Chemical weapon", "Agreement", "Disrupted weapons use"} & set(cues)


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Protesters marched to the square and went home.", "Peaceful protest"),
        ("Police used water cannon on the protesters.", "Protest with intervention"),
        ("Police fired live ammunition at the protesters.", "Excessive force against protesters"),
        ("The protesters smashed shop windows.", "Violent demonstration"),
        ("Thousands of non-violent protesters marched.", "Peaceful protest"),
        # "riot" naming the police unit tells no riot
        (
            "Riot police fired tear gas to disperse students protesting outside parliament.",
            "Protest with intervention",
        ),
    ],
)
def test_protest_subtype_follows_what_happened(make_doc, text, subtype):
    assert protest_subtype(_tokens(make_doc, text)) == subtype


def test_a_protest_called_for_is_not_told(make_doc):
    toks = _tokens(make_doc, "Police arrested them in anticipation of protests.")
    assert not any(protest_told(t) for t in toks)


def test_armed_targets(make_doc):
    assert armed(_tok(make_doc, "Gunmen attacked a police post.", "attacked"))
    assert not armed(_tok(make_doc, "Gunmen attacked a school.", "attacked"))
