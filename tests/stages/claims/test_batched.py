"""claims.model.v6: v5's claims, a batch's paragraphs tagged together on one BLAS thread."""

from __future__ import annotations

import pytest
from threadpoolctl import threadpool_info

from eventledger.pipeline import build_stage
from eventledger.stages.claims import BatchedClaimExtractor, RetunedClaimExtractor
from eventledger.stages.claims.batched import length_groups

# Reports of our own: claims in several paragraphs, a paragraph with none, a
# quote carried over to the next paragraph, a report with no claim at all.
TEXTS = [
    "Shelling hit the market in the east of the town on Monday.\n\n"
    'The health office said at least nine people were killed. "We have run out of '
    'blood," its director, Amal Nasser, told reporters.\n\n'
    '"The wounded are lying in the corridors."',
    "Fighters stormed the clinic before dawn.\n\nNo one was hurt.",
    "The army denied that its troops had entered the camp, according to a statement "
    "issued on Tuesday.\n\nResidents said soldiers searched every tent and took two "
    "nurses away.",
    "",
    "Aid trucks reached the valley.",
]


def _keys(doc):
    def span(ev):
        return None if ev is None else (ev.start, ev.end)

    return [
        (
            c.id,
            c.speaker.name if c.speaker is not None else None,
            c.cue,
            c.content,
            c.stance,
            c.direct,
            span(c.source_evidence),
            span(c.cue_evidence),
            span(c.content_evidence),
        )
        for c in doc.claims
    ]


class _Spy:
    """A tagger that records what it is asked to tag and on how many BLAS threads."""

    def __init__(self, tagger):
        self.inner, self.calls, self.threads = tagger, [], []
        self.cue_words = tagger.cue_words

    def tag(self, sdocs):
        self.calls.append([len(d) for d in sdocs])
        self.threads.append(
            {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}
        )
        return self.inner.tag(sdocs)


@pytest.fixture(scope="module")
def v6(settings):
    return build_stage("claims.model.v6", settings)


def test_v6_is_the_default_claims_stage_and_v5_with_its_tagger(settings, v6):
    assert "claims.model.v6" in settings.pipeline
    assert not {"claims.model.v3", "claims.model.v5"} & set(settings.pipeline)
    assert isinstance(v6, BatchedClaimExtractor)
    assert isinstance(v6, RetunedClaimExtractor)
    assert v6.tagger is build_stage("claims.model.v5", settings).tagger


def test_a_batch_gets_the_claims_v5_finds_in_each_report_alone(settings, make_doc, v6):
    v5 = build_stage("claims.model.v5", settings)
    alone = [_keys(v5(make_doc(t, doc_id=f"d{i}"))) for i, t in enumerate(TEXTS)]
    together = [
        _keys(d) for d in v6.pipe([make_doc(t, doc_id=f"d{i}") for i, t in enumerate(TEXTS)])
    ]
    assert together == alone
    assert alone[0] and alone[2]  # the reports hold claims to compare
    assert together[3] == [] and together[4] == []


def test_one_report_called_alone_is_a_batch_of_one(make_doc, v6):
    assert _keys(v6(make_doc(TEXTS[0]))) == _keys(next(iter(v6.pipe([make_doc(TEXTS[0])]))))


def test_the_batch_is_tagged_at_once_on_one_blas_thread(settings, make_doc, monkeypatch):
    stage = build_stage("claims.model.v6", settings)
    spy = _Spy(stage.tagger)
    monkeypatch.setattr(stage, "tagger", spy)
    docs = [make_doc(t, doc_id=f"d{i}") for i, t in enumerate(TEXTS)]
    list(stage.pipe(docs))
    # every non-empty paragraph of every report, in one call, shortest first
    sizes = sorted(len(s) for d in docs for _, s in d.paragraphs if len(s))
    assert spy.calls == [sizes]
    assert spy.threads == [{1}]


@pytest.mark.parametrize(
    ("lengths", "slots", "groups"),
    [
        ([5, 0, 3, 4], 100, [[2, 3, 0]]),  # shortest first; the empty one left out
        ([5, 5, 5, 5], 10, [[0, 1], [2, 3]]),  # two of 5 fill 10 slots
        ([2, 30, 3], 10, [[0, 2], [1]]),  # one longer than the slots goes alone
        ([], 10, []),
        ([0, 0], 10, []),
    ],
)
def test_length_groups_bound_the_padded_slots(lengths, slots, groups):
    out = length_groups(lengths, slots)
    assert out == groups
    for group in out:
        longest = max(lengths[i] for i in group)
        assert len(group) == 1 or len(group) * longest <= slots
