"""Train the BiLSTM attribution tagger (`lstm.py`) on PolNeAR's train split.

    python -m eventledger.stages.claims.lstm_training --data ../shared/data

Needs PyTorch (the `ml` extra; training only, prediction is numpy). Articles
are parsed and labelled as for the perceptron (`training.py`: the annotate
stage's parse, the first annotation file per article, BIO labels per kind),
then one encoder with three heads is trained with Adam on the summed
token-level cross-entropy of the three kinds. Deterministic: fixed seeds,
deterministic algorithms, a fixed number of threads. The epoch kept is the one
with the best mean dev exact F1 of the three kinds (tagger alone); test is
not read.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from eventledger.evaluation.attribution import score_spans
from eventledger.stages.claims.lstm import LSTM_VERSION, LstmTagger
from eventledger.stages.claims.tagger import KINDS, spans_of, viterbi_batch
from eventledger.stages.claims.training import ROOT, Example, char_spans, prepare

__all__ = ["Config", "dev_scores", "fit", "main", "net_of", "tagger_of"]

DEFAULT_OUT = ROOT / "src" / "eventledger" / "data" / "models" / "claims" / "claims_lstm.npz"


class Config:
    """Training options (chosen on dev, docs/models.md)."""

    def __init__(self, **kw: Any) -> None:
        self.buckets = 1 << 15
        self.dim = 64
        self.hidden = 96
        self.dropout = 0.5
        self.epochs = 8
        self.batch = 32
        self.lr = 2e-3
        self.seed = 17
        self.threads = 1
        self.crf = 1  # 1: train the label transitions with a CRF likelihood
        self.fdrop = 0.2  # share of a token's features dropped in training (not the token)
        for k, v in kw.items():
            if not hasattr(self, k):
                raise TypeError(f"unknown option {k}")
            setattr(self, k, v)

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def net_of(cfg: Config) -> Any:
    """The PyTorch module: summed feature embeddings, a BiLSTM, a linear layer
    over the LSTM state and the token's embedding (3 kinds x 3 labels)."""
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(cfg.buckets, cfg.dim)
            nn.init.normal_(self.embed.weight, std=0.05)
            self.lstm = nn.LSTM(cfg.dim, cfg.hidden, batch_first=True, bidirectional=True)
            self.drop = nn.Dropout(cfg.dropout)
            self.out = nn.Linear(2 * cfg.hidden + cfg.dim, 3 * len(KINDS))
            # per kind: from O, B, I and the start (row 3) to O, B, I
            self.trans = nn.Parameter(torch.zeros(len(KINDS), 4, 3), requires_grad=bool(cfg.crf))

        def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
            e = self.embed(ids)  # seq x steps x features x dim
            if self.training and cfg.fdrop:
                # the 51 features overlap: dropping some teaches the net not to lean on one
                e = e * (torch.rand(ids.shape) >= cfg.fdrop).unsqueeze(3).to(e.dtype)
            x = self.drop(e.sum(dim=2))
            packed = nn.utils.rnn.pack_padded_sequence(
                x, lengths, batch_first=True, enforce_sorted=False
            )
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
            z = self.out(self.drop(torch.cat([h, x], dim=2)))
            return z.view(*z.shape[:2], len(KINDS), 3).log_softmax(dim=3)

    return Net()


def tagger_of(net: Any, cfg: Config, cue_words: frozenset[str], meta: dict) -> LstmTagger:
    """The numpy tagger holding the module's weights."""
    sd = {k: v.detach().numpy().copy() for k, v in net.state_dict().items()}
    arrays = {
        "embed": sd["embed.weight"],
        "w_ih_f": sd["lstm.weight_ih_l0"],
        "w_hh_f": sd["lstm.weight_hh_l0"],
        "b_f": sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"],
        "w_ih_b": sd["lstm.weight_ih_l0_reverse"],
        "w_hh_b": sd["lstm.weight_hh_l0_reverse"],
        "b_b": sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"],
        "out_w": sd["out.weight"],
        "out_b": sd["out.bias"],
        "trans": sd["trans"],
    }
    return LstmTagger(cfg.buckets, arrays, cue_words, meta)


def crf_nll(logp: Any, gold: Any, mask: Any, trans: Any) -> Any:
    """Negative log-likelihood of the gold label paths under a linear-chain CRF per
    kind (summed over sequences and kinds). The emissions are log-probabilities:
    a per-token constant changes neither the likelihood nor the best path."""
    import torch

    t = trans.clone()
    block = torch.zeros_like(t)
    block[:, 0, 2] = -1e4  # O -> I
    block[:, 3, 2] = -1e4  # start -> I
    t = t + block
    k = torch.arange(logp.shape[2])
    emit = logp.gather(3, gold.unsqueeze(3)).squeeze(3)  # seq x steps x kinds
    score = (emit * mask.unsqueeze(2)).sum(dim=1) + t[k, 3, gold[:, 0]]
    pair = t[k[None, None, :], gold[:, :-1], gold[:, 1:]]  # seq x steps-1 x kinds
    score = score + (pair * mask[:, 1:].unsqueeze(2)).sum(dim=1)
    alpha = t[None, :, 3, :] + logp[:, 0]  # seq x kinds x 3
    step = t[None, :, :3, :]
    for i in range(1, logp.shape[1]):
        nxt = torch.logsumexp(alpha.unsqueeze(3) + step, dim=2) + logp[:, i]
        alpha = torch.where(mask[:, i, None, None], nxt, alpha)
    return (torch.logsumexp(alpha, dim=2) - score).sum()


def _padded(examples: list[Example]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ids (seq x steps x features), labels (seq x steps x kinds) and lengths."""
    sizes = np.array([len(ex.ids) for ex in examples])
    n, f = int(sizes.max()), examples[0].ids.shape[1]
    ids = np.zeros((len(examples), n, f), dtype=np.int64)
    labels = np.zeros((len(examples), n, len(KINDS)), dtype=np.int64)
    for r, ex in enumerate(examples):
        ids[r, : sizes[r]] = ex.ids
        labels[r, : sizes[r]] = np.stack([ex.labels[k] for k in KINDS], axis=1)
    return ids, labels, sizes


def _batches(examples: list[Example], size: int, rng: np.random.Generator) -> list[list[int]]:
    """Batches of examples of similar length (less padding), in a seeded order."""
    order = rng.permutation(len(examples))
    chunks = []
    for s in range(0, len(order), size * 50):
        pool = sorted(order[s : s + size * 50].tolist(), key=lambda j: len(examples[j].ids))
        chunks += [pool[i : i + size] for i in range(0, len(pool), size)]
    return [chunks[j] for j in rng.permutation(len(chunks))]


def dev_scores(
    tagger: LstmTagger, examples: list[Example], gold: dict, texts: dict
) -> dict[str, float]:
    """Exact F1 per kind of the tagger's own spans (the numpy forward pass)."""
    pred: dict[str, set] = {k: set() for k in KINDS}
    order = sorted(range(len(examples)), key=lambda j: len(examples[j].ids))
    trans = tagger.arrays["trans"]
    for s in range(0, len(order), 64):
        batch = [examples[j] for j in order[s : s + 64]]
        ids, _, sizes = _padded(batch)
        path = viterbi_batch(tagger.scores(ids, sizes), sizes, trans)
        for r, ex in enumerate(batch):
            for m, kind in enumerate(KINDS):
                pred[kind].update(char_spans(texts, ex, spans_of(path[r, : sizes[r], m])))
    return {k: score_spans(pred[k], gold[k])["exact"]["f1"] for k in KINDS}


def fit(
    train_ex: list[Example],
    dev_ex: list[Example],
    dev_gold: dict,
    texts: dict,
    cue_words: frozenset[str],
    cfg: Config,
    log: Any = print,
) -> LstmTagger:
    """Train the module; the numpy tagger of the epoch with the best mean dev F1."""
    import torch

    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(cfg.seed)
    net = net_of(cfg)
    opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
    best: tuple[float, LstmTagger | None] = (-1.0, None)
    curve = []
    for epoch in range(1, cfg.epochs + 1):
        t0 = time.perf_counter()
        net.train()
        total = 0.0
        for batch in _batches(train_ex, cfg.batch, rng):
            ids, labels, sizes = _padded([train_ex[j] for j in batch])
            logp = net(torch.from_numpy(ids), torch.from_numpy(sizes))
            mask = torch.from_numpy(np.arange(ids.shape[1])[None, :] < sizes[:, None])
            gold = torch.from_numpy(labels)
            if cfg.crf:
                loss = crf_nll(logp, gold, mask, net.trans) / mask.sum()
            else:
                nll = -logp.gather(3, gold.unsqueeze(3)).squeeze(3)  # seq x steps x kinds
                loss = (nll * mask.unsqueeze(2)).sum() / mask.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(batch)
        net.eval()
        meta = {"version": LSTM_VERSION, "epoch": epoch, "options": cfg.as_dict()}
        tagger = tagger_of(net, cfg, cue_words, meta)
        f1 = dev_scores(tagger, dev_ex, dev_gold, texts)
        mean = sum(f1.values()) / len(f1)
        curve.append({k: round(v, 4) for k, v in f1.items()})
        log(
            f"epoch {epoch}: loss {total / len(train_ex):.4f}, dev exact F1 "
            + " / ".join(f"{100 * f1[k]:.1f}" for k in KINDS)
            + f" ({time.perf_counter() - t0:.0f}s)"
        )
        if mean > best[0]:
            best = (mean, tagger)
    assert best[1] is not None
    best[1].meta["dev_curve"] = curve
    best[1].meta["dev_exact_f1"] = curve[best[1].meta["epoch"] - 1]
    return best[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--limit", type=int, default=0, help="train on the first N articles only")
    defaults = Config()
    for name, value in defaults.as_dict().items():
        ap.add_argument(f"--{name}", type=type(value), default=value)
    args = ap.parse_args(argv)
    try:
        import torch  # noqa: F401
    except ImportError:
        print("training needs PyTorch: pip install 'eventledger[ml]'", file=sys.stderr)
        return 2
    corpus = Path(args.data) / "polnear"
    if not (corpus / "train" / "attributions").is_dir():
        print(f"PolNeAR train split not found under {corpus} (see its SOURCE.md)", file=sys.stderr)
        return 2
    cfg = Config(**{k: getattr(args, k) for k in defaults.as_dict()})
    t0 = time.perf_counter()
    train_ex, dev_ex, dev_gold, texts, cue_words, _ = prepare(corpus, cfg.buckets, args.limit)
    seconds = time.perf_counter() - t0
    print(f"parsed {len(train_ex)} train / {len(dev_ex)} dev paragraphs in {seconds:.0f}s")
    tagger = fit(train_ex, dev_ex, dev_gold, texts, cue_words, cfg)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tagger.save(out)
    print(
        f"kept epoch {tagger.meta['epoch']}; wrote {out} ({out.stat().st_size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - t0:.0f}s total"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
