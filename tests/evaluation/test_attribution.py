"""Span scoring for attribution extraction: exact vs overlap, brat loading."""

from __future__ import annotations

import pytest

from eventledger.errors import InputError
from eventledger.evaluation.attribution import load_brat, normalise, score_kinds, score_spans


@pytest.mark.parametrize(
    ("predicted", "gold", "exact_f1", "overlap_f1"),
    [
        ([(0, 5)], [(0, 5)], 1.0, 1.0),
        # One character short: no exact match, but it overlaps.
        ([(0, 4)], [(0, 5)], 0.0, 1.0),
        # Touching spans share no character.
        ([(5, 9)], [(0, 5)], 0.0, 0.0),
        # Two predictions inside one gold span: both precise, the gold span found once.
        ([(0, 2), (3, 5)], [(0, 5)], 0.0, 1.0),
        # One of two gold spans found exactly, plus a wrong prediction elsewhere.
        ([(0, 5), (20, 25)], [(0, 5), (10, 15)], 0.5, 0.5),
        ([], [(0, 5)], 0.0, 0.0),
        # The same offsets in another document never match.
        ([("a", 0, 5)], [("b", 0, 5)], 0.0, 0.0),
        ([("a", 0, 5), ("b", 1, 3)], [("a", 0, 5), ("b", 0, 5)], 0.5, 1.0),
    ],
)
def test_exact_and_overlap_scores(predicted, gold, exact_f1, overlap_f1):
    s = score_spans(predicted, gold)
    assert s["exact"]["f1"] == pytest.approx(exact_f1)
    assert s["overlap"]["f1"] == pytest.approx(overlap_f1)


def test_overlap_precision_and_recall_differ():
    # Three predictions, one overlapping the single gold span: P = 1/3, R = 1.
    s = score_spans([(0, 2), (10, 12), (20, 22)], [(1, 4)])
    assert s["overlap"]["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["overlap"]["recall"] == 1.0
    assert s["exact"]["matched"] == 0


def test_score_kinds_reports_every_kind():
    out = score_kinds({"cue": {(3, 7)}}, {"cue": {(3, 7)}, "source": {(0, 2)}})
    assert out["cue"]["exact_f1"] == 1.0
    assert out["source"]["exact_f1"] == 0.0 and out["source"]["gold"] == 1
    assert out["content"]["predicted"] == 0


ANN = (
    "T1\tSource 0 3\tThe\n"
    "T2\tCue 10 14\tsaid\n"
    "T3\tContent 15 20;25 30\tx y\n"
    "T4\tAttribution 10 14\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tCue 40 52\taccording to\n"
    "T6\tContent 53 60\tz\n"
    "T7\tContent 62 70\tw\n"
    "E2\tAttribution:T5 Content:T6 Content2:T7 Cue:T5\n"
)


def test_load_brat_keeps_split_content_and_missing_source():
    first, second = load_brat(ANN)
    assert first.source == [(0, 3)] and first.cue == [(10, 14)]
    assert first.content == [(15, 20), (25, 30)]
    assert second.source == []
    assert second.content == [(53, 60), (62, 70)]


def test_load_brat_rejects_a_broken_line():
    with pytest.raises(InputError):
        load_brat("T1 Source 0 3")


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [(" ab ", (0, 4), (1, 3)), ("ab", (0, 2), (0, 2)), ("   ", (0, 3), None)],
)
def test_normalise_trims_white_space(text, span, expected):
    assert normalise(text, span) == expected
