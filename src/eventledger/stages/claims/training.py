"""Train the attribution span tagger (`tagger.py`) on PolNeAR's train split.

    python -m eventledger.stages.claims.training --data ../shared/data

Each article is parsed by the annotate stage (the same parse the claims stage
sees at run time), its gold Source / Cue / Content spans (first annotation
file in sorted order, as the benchmark scores) become BIO labels per kind on
the paragraph's tokens, and an averaged structured perceptron with Viterbi
decoding learns one weight matrix per kind. Deterministic: paragraphs are
shuffled with a fixed seed, and the perceptron has no other randomness.
Epochs are picked on dev (exact-span F1 of each kind); test is not read.
Needs numpy and the pinned spaCy model only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from eventledger.errors import InputError
from eventledger.evaluation.attribution import annotation_files, load_brat, normalise, score_spans
from eventledger.stages.claims.rules import load_cue_lexicon
from eventledger.stages.claims.tagger import (
    KINDS,
    MODEL_VERSION,
    SpanTagger,
    featurise,
    hashes,
    spans_of,
    viterbi,
)

__all__ = [
    "Example",
    "char_spans",
    "examples_of",
    "feature_ids",
    "learn_cue_words",
    "main",
    "parse_split",
    "prepare",
    "train",
]

ROOT = Path(__file__).resolve().parents[4]
# A lemma joins the tagger's cue words when it is part of a gold cue this often
# in the train split, and in this share of its uses (tuned on dev).
CUE_MIN_COUNT = 8
CUE_MIN_SHARE = 0.3
DEFAULT_OUT = ROOT / "src" / "eventledger" / "data" / "models" / "claims" / "claims_tagger.npz"


class Example:
    """One paragraph: its offset, tokens' char spans, feature ids and gold labels per kind."""

    __slots__ = ("key", "offset", "starts", "ends", "ids", "labels")

    def __init__(self, key: str, offset: int, sdoc: Any, ids: np.ndarray, labels: dict) -> None:
        self.key = key
        self.offset = offset
        self.starts = np.array([t.idx for t in sdoc], dtype=np.int64)
        self.ends = np.array([t.idx + len(t.text) for t in sdoc], dtype=np.int64)
        self.ids = ids
        self.labels = labels


def _labels(starts: np.ndarray, ends: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """BIO labels of one kind; overlapping spans: the longest wins (outer content)."""
    lab = np.zeros(len(starts), dtype=np.int64)
    for a, b in sorted(spans, key=lambda s: s[0] - s[1]):
        inside = np.nonzero((starts < b) & (ends > a))[0]
        if len(inside) == 0 or lab[inside].any():
            continue
        lab[inside[0]] = 1
        lab[inside[1:]] = 2
    return lab


def feature_ids(sdocs: list[Any], cues: np.ndarray, buckets: int) -> list[np.ndarray]:
    """Bucket ids (tokens x features, int32) of a document's paragraphs, one array per
    non-empty paragraph, as `SpanTagger` computes them."""
    ids = (featurise(sdocs, cues) % np.uint64(buckets)).astype(np.int32)
    lengths = [len(d) for d in sdocs if len(d)]
    return np.split(ids, np.cumsum(lengths)[:-1]) if lengths else []


def parse_split(
    corpus: Path, split: str, limit: int = 0
) -> tuple[list[Any], dict[str, dict[str, list[tuple[int, int]]]], dict[str, set[tuple]]]:
    """Parsed articles of one split (annotate stage), their gold char spans per kind,
    and the gold spans of the whole split per kind as (key, start, end)."""
    from eventledger.config import load_settings
    from eventledger.models import Article
    from eventledger.pipeline import Document, build_stage

    files = annotation_files(corpus / split)
    if limit:
        files = files[:limit]
    annotate = build_stage("annotate.spacy.v1", load_settings())
    docs, golds = [], {}
    gold: dict[str, set[tuple]] = {k: set() for k in KINDS}
    for text_path, ann_path in files:
        key = text_path.stem
        text = text_path.read_text("utf-8")
        try:
            attrs = load_brat(ann_path.read_text("utf-8"))
        except InputError as exc:  # a few train files have broken lines: skip the article
            print(f"skipped {ann_path.name}: {exc}", file=sys.stderr)
            continue
        docs.append(Document(Article(id=key, key=key, text=text)))
        spans: dict[str, list[tuple[int, int]]] = {k: [] for k in KINDS}
        for attr in attrs:
            for kind in KINDS:
                for span in getattr(attr, kind):
                    trimmed = normalise(text, span)
                    if trimmed is not None:
                        spans[kind].append(trimmed)
                        gold[kind].add((key, *trimmed))
        golds[key] = spans
    return list(annotate.pipe(docs)), golds, gold


def examples_of(
    docs: list[Any],
    golds: dict[str, dict[str, list[tuple[int, int]]]],
    cues: np.ndarray,
    buckets: int,
) -> list[Example]:
    """One training example per non-empty paragraph of the parsed articles."""
    examples = []
    for doc in docs:
        paras = [(offset, sdoc) for offset, sdoc in doc.paragraphs if len(sdoc)]
        ids = feature_ids([sdoc for _, sdoc in paras], cues, buckets)
        for (offset, sdoc), para_ids in zip(paras, ids, strict=True):
            ex = Example(doc.id, offset, sdoc, para_ids, {})
            ex.labels = {
                k: _labels(ex.starts + offset, ex.ends + offset, golds[doc.id][k]) for k in KINDS
            }
            examples.append(ex)
    return examples


def learn_cue_words(
    docs: list[Any],
    golds: dict[str, dict[str, list[tuple[int, int]]]],
    min_count: int = CUE_MIN_COUNT,
    min_share: float = CUE_MIN_SHARE,
) -> frozenset[str]:
    """Verb and noun lemmas that are part of a gold cue at least `min_count` times and
    in at least `min_share` of their uses ("describe", "decline", "criticism"):
    the lexicon was written for conflict reports, and the tagger's cue-word
    features ("the nearest cue above this token") need the cues of the training
    data too. Read from the train split only."""
    inside: dict[str, int] = {}
    total: dict[str, int] = {}
    for doc in docs:
        cues = sorted(golds[doc.id]["cue"])
        for offset, sdoc in doc.paragraphs:
            for tok in sdoc:
                if tok.pos_ not in ("VERB", "NOUN") or not tok.lemma_.isalpha():
                    continue
                lemma = tok.lemma_.lower()
                a = offset + tok.idx
                b = a + len(tok.text)
                total[lemma] = total.get(lemma, 0) + 1
                if any(x < b and a < y for x, y in cues):
                    inside[lemma] = inside.get(lemma, 0) + 1
    return frozenset(w for w, k in inside.items() if k >= min_count and k >= min_share * total[w])


def char_spans(text_of: dict[str, str], ex: Example, spans: list[tuple[int, int]]) -> list[tuple]:
    """(key, start, end) char spans, trimmed like gold, of token spans of one paragraph."""
    out = []
    for a, b in spans:
        span = normalise(
            text_of[ex.key], (ex.offset + int(ex.starts[a]), ex.offset + int(ex.ends[b - 1]))
        )
        if span is not None:
            out.append((ex.key, *span))
    return out


def _predict(w: np.ndarray, t: np.ndarray, ex: Example) -> np.ndarray:
    return viterbi(w[ex.ids].sum(axis=1), t)


def _evaluate(w, t, examples, gold, kind, texts) -> dict:
    pred = set()
    for ex in examples:
        pred.update(char_spans(texts, ex, spans_of(_predict(w, t, ex))))
    return score_spans(pred, gold[kind])


def train(
    examples: list[Example],
    kind: str,
    buckets: int,
    epochs: int,
    seed: int,
    dev: list[Example] | None = None,
    dev_gold: dict | None = None,
    dev_texts: dict | None = None,
    log: Any = print,
) -> tuple[np.ndarray, np.ndarray, int, list[float]]:
    """Averaged structured perceptron for one kind; returns the weights of the best
    dev epoch (or the last one without dev), that epoch and the dev F1 per epoch."""
    w = np.zeros((buckets, 3), dtype=np.float32)
    u = np.zeros_like(w)  # sum of step * update, for averaging
    t = np.zeros((4, 3), dtype=np.float32)
    tu = np.zeros_like(t)
    rng = np.random.default_rng(seed)
    order = np.arange(len(examples))
    c = 1.0
    best = (-1.0, None, None, 0)
    curve = []
    for epoch in range(1, epochs + 1):
        rng.shuffle(order)
        for j in order:
            ex = examples[j]
            gold = ex.labels[kind]
            pred = _predict(w, t, ex)
            wrong = np.nonzero(pred != gold)[0]
            if len(wrong):
                rows = ex.ids[wrong]
                for labs, sign in ((gold[wrong], 1.0), (pred[wrong], -1.0)):
                    cols = np.repeat(labs, rows.shape[1])
                    np.add.at(w, (rows.ravel(), cols), sign)
                    np.add.at(u, (rows.ravel(), cols), sign * c)
                for seq, sign in ((gold, 1.0), (pred, -1.0)):
                    prev = np.concatenate([[3], seq[:-1]])
                    np.add.at(t, (prev, seq), sign)
                    np.add.at(tu, (prev, seq), sign * c)
            c += 1
        wa, ta = w - u / c, t - tu / c
        if dev is not None:
            f1 = _evaluate(wa, ta, dev, dev_gold, kind, dev_texts)["exact"]["f1"]
            curve.append(f1)
            log(f"  {kind} epoch {epoch}: dev exact F1 {100 * f1:.1f}")
            if f1 > best[0]:
                best = (f1, wa.copy(), ta.copy(), epoch)
        else:
            best = (0.0, wa.copy(), ta.copy(), epoch)
    return best[1], best[2], best[3], curve


def prepare(corpus: Path, buckets: int, limit: int = 0) -> tuple[Any, ...]:
    """What a tagger trains on: train and dev examples (parsed, labelled, features
    hashed into `buckets`), dev gold spans per kind, dev texts, the cue words
    (lexicon and learned) and those learned from the train split."""
    lex = load_cue_lexicon()
    train_docs, train_golds, _ = parse_split(corpus, "train", limit)
    dev_docs, dev_golds, dev_gold = parse_split(corpus, "dev")
    learned = learn_cue_words(train_docs, train_golds)
    cue_words = frozenset(lex.verbs) | frozenset(lex.nouns) | learned
    cues = hashes(cue_words)
    train_ex = examples_of(train_docs, train_golds, cues, buckets)
    dev_ex = examples_of(dev_docs, dev_golds, cues, buckets)
    texts = {p.stem: p.read_text("utf-8") for p in (corpus / "dev" / "text").glob("*.txt")}
    return train_ex, dev_ex, dev_gold, texts, cue_words, learned


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--buckets", type=int, default=1 << 19)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N articles only")
    args = ap.parse_args(argv)
    corpus = Path(args.data) / "polnear"
    if not (corpus / "train" / "attributions").is_dir():
        print(f"PolNeAR train split not found under {corpus} (see its SOURCE.md)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    train_ex, dev_ex, dev_gold, texts, cue_words, learned = prepare(
        corpus, args.buckets, args.limit
    )
    print(
        f"parsed {len(train_ex)} train / {len(dev_ex)} dev paragraphs in "
        f"{time.perf_counter() - t0:.0f}s; {len(learned)} cue words learned from train"
    )
    weights, trans, meta = (
        {},
        {},
        {"version": MODEL_VERSION, "seed": args.seed, "epochs": {}, "dev_exact_f1": {}},
    )
    for kind in KINDS:
        t1 = time.perf_counter()
        w, t, epoch, curve = train(
            train_ex, kind, args.buckets, args.epochs, args.seed, dev_ex, dev_gold, texts
        )
        weights[kind], trans[kind] = w, t
        meta["epochs"][kind] = epoch
        meta["dev_exact_f1"][kind] = round(max(curve), 4)
        print(f"{kind}: best epoch {epoch}, {time.perf_counter() - t1:.0f}s")
    tagger = SpanTagger(args.buckets, weights, trans, cue_words, meta)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tagger.save(out)
    print(
        f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f}s total"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
