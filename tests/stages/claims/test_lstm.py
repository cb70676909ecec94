"""The BiLSTM attribution tagger: its numpy forward pass, and the shipped model
on sentences written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from eventledger.stages.claims.lstm import (
    LSTM_VERSION,
    LstmTagger,
    bilstm,
    embedded,
    load_lstm_tagger,
    lstm_pass,
)
from eventledger.stages.claims.tagger import KINDS, N_FEATURES, pad, viterbi_batch


def test_the_model_loads_once_and_knows_its_version():
    assert load_lstm_tagger() is load_lstm_tagger()
    tagger = load_lstm_tagger()
    assert tagger.meta["version"] == LSTM_VERSION
    assert "say" in tagger.cue_words
    assert set(tagger.meta["dev_exact_f1"]) == set(KINDS)


def test_a_backward_pass_starts_at_each_sequence_end():
    # a sequence padded to 5 steps reads backwards exactly as the same one unpadded
    rng = np.random.default_rng(0)
    xp = rng.normal(size=(1, 3, 8)).astype(np.float32)
    w_hh = rng.normal(size=(8, 2)).astype(np.float32)
    padded = np.concatenate([xp, np.full((1, 2, 8), 9.0, dtype=np.float32)], axis=1)
    alone = lstm_pass(xp, np.array([3]), w_hh, reverse=True)
    inside = lstm_pass(padded, np.array([3]), w_hh, reverse=True)
    np.testing.assert_allclose(inside[:, :3], alone, rtol=1e-6)
    assert not inside[:, 3:].any()


def _one_lstm(xp: np.ndarray, w_hh: np.ndarray) -> np.ndarray:
    """One unpadded sequence (steps x 4H), step by step: the textbook LSTM cell."""
    hid = w_hh.shape[1]
    h, c, out = np.zeros(hid), np.zeros(hid), []
    for g in xp.astype(np.float64) + 0.0:
        g = g + w_hh.astype(np.float64) @ h
        i, f = 1 / (1 + np.exp(-g[:hid])), 1 / (1 + np.exp(-g[hid : 2 * hid]))
        cand, o = np.tanh(g[2 * hid : 3 * hid]), 1 / (1 + np.exp(-g[3 * hid :]))
        c = f * c + i * cand
        h = o * np.tanh(c)
        out.append(h)
    return np.array(out)


@pytest.mark.parametrize("reverse", [False, True])
def test_sequences_side_by_side_read_as_each_alone(reverse):
    # lengths out of order and one of a single step: only the running sequences
    # are computed at each step, and each must get what it gets alone
    rng = np.random.default_rng(3)
    lengths = np.array([4, 9, 1, 6])
    xp = rng.normal(size=(4, 9, 4 * 5)).astype(np.float32)
    w_hh = rng.normal(size=(4 * 5, 5)).astype(np.float32)
    out = lstm_pass(xp, lengths, w_hh, reverse=reverse)
    for r, n in enumerate(lengths):
        seq = xp[r, :n][::-1] if reverse else xp[r, :n]
        alone = _one_lstm(seq, w_hh)
        np.testing.assert_allclose(out[r, :n], alone[::-1] if reverse else alone, atol=1e-5)
        assert not out[r, n:].any()


def test_a_paragraph_scores_the_same_beside_others(annotator):
    tagger = load_lstm_tagger()
    sdocs = [
        annotator.nlp(t)
        for t in (
            "The governor said the bridge had been closed since the flooding began in May.",
            "Nurses went on strike.",
            "According to the agency, twelve clinics shut this week.",
        )
    ]
    lengths = np.array([len(d) for d in sdocs])
    together = tagger.scores(pad(tagger.feature_ids(sdocs), lengths), lengths)
    for r, d in enumerate(sdocs):
        n = np.array([len(d)])
        alone = tagger.scores(pad(tagger.feature_ids([d]), n), n)
        np.testing.assert_allclose(together[r, : len(d)], alone[0], atol=1e-4)
        assert tagger.tag([d])[0] == tagger.tag(sdocs)[r]


def test_scores_past_a_sequence_end_never_change_its_path():
    # a network scores its padding too; decoding a paragraph beside a longer one
    # must give the path it gets alone
    rng = np.random.default_rng(2)
    scores = rng.normal(size=(1, 4, len(KINDS), 3))
    trans = rng.normal(size=(len(KINDS), 4, 3))
    noisy = np.concatenate([scores, rng.normal(size=(1, 3, len(KINDS), 3)) * 50], axis=1)
    alone = viterbi_batch(scores, np.array([4]), trans)
    padded = viterbi_batch(noisy, np.array([4]), trans)
    np.testing.assert_array_equal(padded[:, :4], alone)


def test_empty_paragraphs_get_no_spans(annotator):
    tagger = load_lstm_tagger()
    sdoc = annotator.nlp("The minister said the road was open.")
    out = tagger.tag([annotator.nlp(""), sdoc])
    assert out[0] == {k: [] for k in KINDS}
    assert out[1]["cue"]


def _torch_scores(tagger: LstmTagger, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The same weights run through PyTorch's own embedding, LSTM and linear layer."""
    torch = pytest.importorskip("torch")
    from eventledger.stages.claims.lstm_training import Config, net_of

    a = tagger.arrays
    cfg = Config(buckets=tagger.buckets, dim=a["embed"].shape[1], hidden=a["w_hh_f"].shape[1])
    net = net_of(cfg)
    state = {
        "embed.weight": a["embed"],
        "lstm.weight_ih_l0": a["w_ih_f"],
        "lstm.weight_hh_l0": a["w_hh_f"],
        "lstm.bias_ih_l0": a["b_f"],
        "lstm.bias_hh_l0": np.zeros_like(a["b_f"]),
        "lstm.weight_ih_l0_reverse": a["w_ih_b"],
        "lstm.weight_hh_l0_reverse": a["w_hh_b"],
        "lstm.bias_ih_l0_reverse": a["b_b"],
        "lstm.bias_hh_l0_reverse": np.zeros_like(a["b_b"]),
        "out.weight": a["out_w"],
        "out.bias": a["out_b"],
        "trans": a["trans"],
    }
    net.load_state_dict(
        {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in state.items()}
    )
    net.eval()
    with torch.no_grad():
        return net(torch.from_numpy(ids), torch.from_numpy(lengths)).numpy()


def test_numpy_and_torch_give_the_same_scores_on_random_ids():
    pytest.importorskip("torch")
    from eventledger.stages.claims.lstm_training import Config, net_of, tagger_of

    cfg = Config(buckets=64, dim=6, hidden=5)
    tagger = tagger_of(net_of(cfg), cfg, frozenset({"say"}), {})
    rng = np.random.default_rng(1)
    ids = rng.integers(0, 64, size=(3, 7, N_FEATURES))
    lengths = np.array([7, 2, 5])
    ours, theirs = tagger.scores(ids, lengths), _torch_scores(tagger, ids, lengths)
    for r, n in enumerate(lengths):
        np.testing.assert_allclose(ours[r, :n], theirs[r, :n], atol=1e-5)


@pytest.mark.parametrize(
    "texts",
    [
        ["The mayor said that the bridge would reopen on Friday."],
        [
            '"We have run out of clean water," a nurse at the clinic told reporters.',
            "Police declined to comment on the arrests.",
            "Officials believe the fire started in a storeroom, according to the report.",
        ],
    ],
)
def test_the_shipped_model_scores_as_torch_does(annotator, texts):
    tagger = load_lstm_tagger()
    sdocs = [annotator.nlp(t) for t in texts]
    lengths = np.array([len(d) for d in sdocs])
    padded = pad(tagger.feature_ids(sdocs), lengths)
    ours, theirs = tagger.scores(padded, lengths), _torch_scores(tagger, padded, lengths)
    for r, n in enumerate(lengths):
        np.testing.assert_allclose(ours[r, :n], theirs[r, :n], atol=1e-4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The health minister said that three clinics had closed since Monday.",
            ("The health minister", "said", "that three clinics had closed since Monday"),
        ),
        (
            '"We cannot reach the wounded," a doctor at the field hospital told reporters.',
            ("a doctor at the field hospital", "told", '"We cannot reach the wounded,"'),
        ),
        (
            "Aid groups warned that the road to the camp would soon be impassable.",
            ("Aid groups", "warned", "that the road to the camp would soon be impassable"),
        ),
        (
            "The mayor denied reports that the water plant had been hit.",
            ("The mayor", "denied", "reports that the water plant had been hit"),
        ),
    ],
)
def test_the_shipped_model_draws_one_attribution(annotator, text, expected):
    sdoc = annotator.nlp(text)
    (found,) = load_lstm_tagger().tag([sdoc])
    drawn = tuple([sdoc[a:b].text for a, b in found[k]] for k in KINDS)
    assert drawn == tuple([span] for span in expected)


def test_both_directions_at_once_give_lstm_passs_states_bit_for_bit():
    # bilstm is the tagger's forward pass: the same operations as lstm_pass on
    # each value, so the same spans, whatever the sequences beside each other
    rng = np.random.default_rng(5)
    lengths = np.array([4, 9, 1, 6, 9])
    hid = 7
    w_f = rng.normal(size=(4 * hid, hid)).astype(np.float32)
    w_b = rng.normal(size=(4 * hid, hid)).astype(np.float32)
    x_f = rng.normal(size=(lengths.sum(), 4 * hid)).astype(np.float32)
    x_b = rng.normal(size=(lengths.sum(), 4 * hid)).astype(np.float32)
    live = np.arange(lengths.max())[None, :] < lengths[:, None]

    def padded(rows):
        out = np.zeros((*live.shape, rows.shape[1]), dtype=np.float32)
        out[live] = rows
        return out

    fwd, bwd = bilstm(x_f, x_b, lengths, w_f, w_b)
    np.testing.assert_array_equal(fwd, lstm_pass(padded(x_f), lengths, w_f)[live])
    np.testing.assert_array_equal(bwd, lstm_pass(padded(x_b), lengths, w_b, reverse=True)[live])


def test_embeddings_added_feature_by_feature_are_the_summed_rows():
    rng = np.random.default_rng(6)
    embed = rng.normal(size=(50, 8)).astype(np.float32)
    ids = rng.integers(0, 50, size=(12, N_FEATURES))
    np.testing.assert_array_equal(embedded(embed, ids), embed[ids].sum(axis=1))
    assert embedded(embed, ids[:0]).shape == (0, 8)
