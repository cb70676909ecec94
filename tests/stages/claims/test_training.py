from __future__ import annotations

import numpy as np
import pytest

from eventledger.stages.claims.rules import load_cue_lexicon
from eventledger.stages.claims.tagger import SpanTagger, hashes, spans_of, viterbi
from eventledger.stages.claims.training import (
    Example,
    _labels,
    feature_ids,
    learn_cue_words,
    train,
)


@pytest.fixture(scope="module")
def nlp(annotator):
    return annotator.nlp


def test_labels_mark_each_span_and_keep_the_outer_of_nested_ones():
    starts = np.array([0, 4, 9, 14, 20])
    ends = np.array([3, 8, 13, 19, 25])
    # an outer span over tokens 1-4 and an inner one over token 2: the outer wins
    lab = _labels(starts, ends, [(9, 13), (4, 25)])
    assert lab.tolist() == [0, 1, 2, 2, 2]
    assert spans_of(lab) == [(1, 5)]


def test_viterbi_never_opens_a_span_with_inside():
    # token 0 prefers I, which may not start a sequence: it becomes B
    scores = np.array([[0.0, 0.5, 1.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    path = viterbi(scores, np.zeros((4, 3)))
    assert path.tolist() == [1, 2, 0]
    assert spans_of(path) == [(0, 2)]


def _examples(nlp, texts_spans):
    lex = load_cue_lexicon()
    words = frozenset(lex.verbs) | frozenset(lex.nouns)
    out = []
    for text, cue in texts_spans:
        sdoc = nlp(text)
        (ids,) = feature_ids([sdoc], hashes(words), 1 << 12)
        ex = Example("k", 0, sdoc, ids, {})
        start = text.index(cue)
        ex.labels = {"cue": _labels(ex.starts, ex.ends, [(start, start + len(cue))])}
        out.append(ex)
    return out, words


def test_perceptron_learns_its_training_cues_deterministically(nlp):
    data = [
        ("The mayor said the road was closed.", "said"),
        ("Officials told reporters that the bridge had collapsed.", "told"),
        ("According to the army, two soldiers were hurt.", "According to"),
        ("The group has denied any role in the blast.", "has denied"),
    ]
    examples, words = _examples(nlp, data)
    w1, t1, _, _ = train(examples, "cue", 1 << 12, epochs=15, seed=3)
    w2, t2, _, _ = train(examples, "cue", 1 << 12, epochs=15, seed=3)
    assert np.array_equal(w1, w2) and np.array_equal(t1, t2)
    for ex, (text, cue) in zip(examples, data, strict=True):
        (a, b), *rest = spans_of(viterbi(w1[ex.ids].sum(axis=1), t1))
        assert not rest
        assert text[ex.starts[a] : ex.ends[b - 1]] == cue


def test_a_saved_tagger_reads_back_the_same(tmp_path, nlp):
    examples, words = _examples(nlp, [("The mayor said the road was closed.", "said")])
    w, t, _, _ = train(examples, "cue", 1 << 12, epochs=2, seed=1)
    tagger = SpanTagger(
        1 << 12,
        {"source": w, "cue": w, "content": w},
        {"source": t, "cue": t, "content": t},
        words,
        {"version": "test"},
    )
    tagger.save(tmp_path / "m.npz")
    back = SpanTagger.read(tmp_path / "m.npz")
    assert back.meta == {"version": "test"}
    assert back.cue_words == words
    sdoc = nlp("The mayor said the road was closed.")
    assert back.tag([sdoc])[0]["cue"] == tagger.tag([sdoc])[0]["cue"] == [(2, 3)]


def test_cue_words_are_learned_from_lemmas_that_are_mostly_cues(make_doc):
    texts = [
        "The senator blasted the plan. Critics blasted the budget.",
        "The mayor blasted the ruling. Police walked to the station.",
        "Residents walked home. Volunteers walked to the school.",
    ]
    docs = [make_doc(t, doc_id=f"d{i}") for i, t in enumerate(texts)]
    golds = {}
    for doc in docs:
        # every "blasted" is a gold cue, no "walked" is
        cues = []
        start = doc.text.find("blasted")
        while start >= 0:
            cues.append((start, start + len("blasted")))
            start = doc.text.find("blasted", start + 1)
        golds[doc.id] = {"source": [], "cue": cues, "content": []}
    assert learn_cue_words(docs, golds, min_count=3, min_share=0.5) == {"blast"}
    # too rare to count
    assert learn_cue_words(docs, golds, min_count=4, min_share=0.5) == frozenset()
