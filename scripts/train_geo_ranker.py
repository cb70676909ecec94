"""Train the geocoding ranker (`places.ranked.v1`) on gold toponyms.

    make train-geo-ranker
    .venv/bin/python scripts/train_geo_ranker.py --data ../shared/data

Data: GeoWebNews (all of it) and the first 70% in file order of TR-News's
gold toponyms that carry a GeoNames id (the benchmark's `dev70`); LGL and
the last 30% of TR-News are never read for training. Each gold toponym is
resolved in its article's own context (the spaCy parse and the rules'
country/admin-1 focus, as `benchmarks/geoparse.py` does with gold spans);
where the rules leave a choice between options, every option becomes a row
of `ranker.FEATURES` and is labelled right when it lies within 161 km of
the gold point (or is the gold GeoNames entity). The model is 100
gradient-boosted regression trees of depth 3 on the softmax over one
toponym's options; splits are searched over fixed quantile cuts and nothing
is sampled, so the same data give the same trees on any machine (there is
no random seed to set). Writes
`src/eventledger/data/models/geo_ranker/model.json` and prints the scores
on the training toponyms and on the held-out ones.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

from eventledger.config import load_settings
from eventledger.evaluation.geo import GeoArticle, haversine_km, read_gwn, read_lgl
from eventledger.models import Article
from eventledger.pipeline import Document
from eventledger.stages.places import Gazetteer, PlaceResolver
from eventledger.stages.places.gazetteer import Admin1
from eventledger.stages.places.ranker import FEATURES, GeoRanker, option_features, options

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "eventledger" / "data" / "models" / "geo_ranker" / "model.json"
CORPORA = {"lgl": "lgl.xml.gz", "gwn": "GWN.xml.gz", "trnews": "TR-News.xml.gz"}
# Boosting settings, fixed before looking at the held-out parts.
TREES = 100
DEPTH = 3
RATE = 0.1
L2 = 1.0
MIN_LEAF = 10
ACC_KM = 161.0


class _Recorder:
    """Stands in for the ranker: keeps what the resolver would have asked it."""

    def __init__(self) -> None:
        self.seen: tuple | None = None

    def pick(self, resolver, spot, ctx, bare, cands):  # noqa: ANN001 - the resolver's hook
        self.seen = (spot, ctx, bare, cands)
        return None


def _error(place, t) -> float | None:  # noqa: ANN001
    from eventledger.evaluation.geo import place_error_km

    return place_error_km(place, t)


def collect(name: str, arts: list[GeoArticle], resolver: PlaceResolver, annotator) -> list[dict]:  # noqa: ANN001
    """One record per gold toponym, in file order: the rules' error and, where
    the rules had a choice to make, the options the ranker would see."""
    docs = [Document(Article(id=f"{name}-{a.id}", key=f"{name}-{a.id}", text=a.text)) for a in arts]
    docs = list(annotator.pipe(docs))
    out = []
    rec = _Recorder()
    for art, doc in zip(arts, docs, strict=True):
        resolver.ranker = None
        ctx = resolver._context(resolver._detect(doc))
        text = doc.text
        for t in art.resolvable:
            i = doc.sentence_at(t.start)
            lo, hi = (
                (doc.sentences[i].start, doc.sentences[i].end) if i is not None else (0, len(text))
            )
            spot = resolver._spot(text, lo, max(hi, t.end), t.start, t.end, -1 if i is None else i)
            rec.seen = None
            resolver.ranker = rec
            place = resolver._resolve(spot, ctx)
            resolver.ranker = None
            out.append(
                {
                    "gold": (t.lat, t.lon, t.geonameid),
                    "rule_err": _error(place, t),
                    "hook": rec.seen,
                }
            )
    return out


def _label(opt, gold) -> bool:  # noqa: ANN001
    lat, lon, gid = gold
    if isinstance(opt.target, Admin1) and opt.target.geonameid == gid:
        return True
    if not isinstance(opt.target, Admin1) and opt.target.geonameid == gid:
        return True
    return opt.lat is not None and haversine_km(opt.lat, opt.lon, lat, lon) <= ACC_KM


def featurize(records: list[dict], resolver: PlaceResolver) -> list[dict]:
    """Adds options, features and labels to the records the ranker would see."""
    for r in records:
        if r["hook"] is None:
            continue
        spot, ctx, bare, cands = r["hook"]
        opts = options(resolver, bare, cands)
        r["opts"] = opts
        r["X"] = option_features(resolver, spot, ctx, bare, cands, opts)
        r["y"] = np.array([_label(o, r["gold"]) for o in opts], dtype=bool)
    return records


def _softmax_groups(F: np.ndarray, gid: np.ndarray, ngroups: int) -> np.ndarray:
    top = np.full(ngroups, -np.inf)
    np.maximum.at(top, gid, F)
    e = np.exp(F - top[gid])
    total = np.zeros(ngroups)
    np.add.at(total, gid, e)
    return e / total[gid]


def fit(
    groups: list[tuple[np.ndarray, np.ndarray]],
    *,
    trees: int = TREES,
    depth: int = DEPTH,
    rate: float = RATE,
    l2: float = L2,
    min_leaf: int = MIN_LEAF,
    bins: int = 32,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradient-boosted regression trees on the softmax over each group's
    options (the target spread evenly over its right options), Newton leaf
    values, splits at fixed quantile cuts: no randomness anywhere."""
    X = np.vstack([g[0] for g in groups])
    target = np.concatenate([g[1] / g[1].sum() for g in groups])
    gid = np.concatenate([np.full(len(g[1]), i) for i, g in enumerate(groups)])
    n, d = X.shape
    cuts = []
    for j in range(d):
        u = np.unique(X[:, j])
        if len(u) > bins:
            u = np.unique(np.quantile(X[:, j], np.linspace(0, 1, bins + 1)))
        cuts.append((u[:-1] + u[1:]) / 2)
    F = np.zeros(n)
    inner = 2**depth - 1
    feature = np.zeros((trees, inner), dtype=np.int64)
    threshold = np.full((trees, inner), np.inf)
    leaf = np.zeros((trees, 2**depth))
    for k in range(trees):
        p = _softmax_groups(F, gid, len(groups))
        g, h = p - target, np.maximum(p * (1 - p), 1e-6)
        members = {0: np.arange(n)}
        for node in range(inner):
            idx = members.pop(node)
            best = (0.0, 0, np.inf)  # an unsplit node sends everything left
            if len(idx) >= 2 * min_leaf:
                G, H = g[idx].sum(), h[idx].sum()
                for j in range(d):
                    if not len(cuts[j]):
                        continue
                    left = X[idx, j][:, None] <= cuts[j][None, :]
                    GL, HL, nl = g[idx] @ left, h[idx] @ left, left.sum(axis=0)
                    gain = GL**2 / (HL + l2) + (G - GL) ** 2 / (H - HL + l2) - G**2 / (H + l2)
                    gain[(nl < min_leaf) | (len(idx) - nl < min_leaf)] = -1.0
                    c = int(np.argmax(gain))
                    if gain[c] > best[0]:
                        best = (float(gain[c]), j, float(cuts[j][c]))
            feature[k, node], threshold[k, node] = best[1], best[2]
            right = X[idx, best[1]] > best[2]
            members[2 * node + 1], members[2 * node + 2] = idx[~right], idx[right]
        for i in range(2**depth):
            idx = members[inner + i]
            leaf[k, i] = -rate * g[idx].sum() / (h[idx].sum() + l2) if len(idx) else 0.0
        one = GeoRanker(feature[k : k + 1], threshold[k : k + 1], leaf[k : k + 1])
        F += one.scores(X)
    return feature, threshold, leaf


def evaluate(records: list[dict], resolver: PlaceResolver, ranker: GeoRanker | None) -> dict:
    """acc@161 over the records: the rules' answer, or the ranker's where it picks."""
    hits = 0
    changed = 0
    recall = [0, 0]
    for r in records:
        ok = r["rule_err"] is not None and r["rule_err"] <= ACC_KM
        if r.get("opts") and len(r["opts"]) >= 1:
            recall[1] += 1
            recall[0] += bool(r["y"].any())
        if ranker is not None and r["hook"] is not None:
            spot, ctx, bare, cands = r["hook"]
            pick = ranker.pick(resolver, spot, ctx, bare, cands)
            if pick is not None:
                j = next(k for k, o in enumerate(r["opts"]) if o.target is pick or o.target == pick)
                new_ok = bool(r["y"][j])
                changed += new_ok != ok
                ok = new_ok
        hits += ok
    n = len(records)
    return {
        "n": n,
        "acc161": round(hits / n, 4) if n else None,
        "changed": changed,
        "options_hold_gold": round(recall[0] / recall[1], 4) if recall[1] else None,
        "with_options": recall[1],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--cache", help="folder for parsed records (re-runs skip spaCy)")
    ap.add_argument("--eval-lgl", action="store_true", help="also score all of LGL (test)")
    args = ap.parse_args(argv)
    folder = Path(args.data) / "geoparsing"
    if not all((folder / f).exists() for f in CORPORA.values()):
        print(f"geoparsing data not found under {folder}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    settings = load_settings()
    resolver = PlaceResolver(gazetteer=Gazetteer.open(settings))
    annotator = None
    data: dict[str, list[dict]] = {}
    names = ["gwn", "trnews"] + (["lgl"] if args.eval_lgl else [])
    for name in names:
        cached = Path(args.cache) / f"{name}.pkl" if args.cache else None
        if cached is not None and cached.exists():
            with open(cached, "rb") as fh:
                data[name] = pickle.load(fh)  # our own cache of this script's output
            continue
        if annotator is None:
            from eventledger.stages.annotate import SpacyAnnotator

            annotator = SpacyAnnotator(settings)
        reader = read_gwn if name == "gwn" else read_lgl
        data[name] = collect(name, reader(folder / CORPORA[name]), resolver, annotator)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            with open(cached, "wb") as fh:
                pickle.dump(data[name], fh)
    for recs in data.values():
        featurize(recs, resolver)
    tr = data["trnews"]
    cut = len(tr) - len(tr[int(len(tr) * 0.7) :])
    train = data["gwn"] + tr[:cut]
    groups = [(r["X"], r["y"]) for r in train if r.get("opts") and r["y"].any()]
    groups = [g for g in groups if len(g[1]) >= 2]
    feature, threshold, leaf = fit(groups)
    model = {
        "name": "geo_ranker",
        "version": "v1",
        "kind": "gradient-boosted regression trees, softmax over a toponym's gazetteer options",
        "features": list(FEATURES),
        "trees": {
            "feature": feature.tolist(),
            # JSON has no infinity: an unsplit node's threshold is null.
            "threshold": [
                [None if np.isinf(t) else round(float(t), 6) for t in row] for row in threshold
            ],
            "leaf": [[round(float(v), 6) for v in row] for row in leaf],
        },
        "min_prob": 0.0,
        "trained_on": "GeoWebNews (all) + TR-News first 70% of id-bearing gold toponyms",
        "train_groups": len(groups),
        "settings": {"trees": TREES, "depth": DEPTH, "rate": RATE, "l2": L2, "min_leaf": MIN_LEAF},
    }
    ranker = GeoRanker.from_json(json.dumps(model))
    parts = {"gwn (train)": data["gwn"], "trnews first70 (train)": tr[:cut]}
    parts["trnews last30 (test)"] = tr[cut:]
    if "lgl" in data:
        parts["lgl (test)"] = data["lgl"]
    print(f"{'part':<24} {'n':>5} {'rules':>7} {'ranker':>7} {'changed':>7} {'recall':>7}")
    for part, recs in parts.items():
        before = evaluate(recs, resolver, None)
        after = evaluate(recs, resolver, ranker)
        print(
            f"{part:<24} {after['n']:>5} {before['acc161']:>7} {after['acc161']:>7} "
            f"{after['changed']:>7} {after['options_hold_gold']!s:>7}"
        )
    used = np.bincount(feature.ravel(), minlength=len(FEATURES))
    print("splits per feature:", {f: int(c) for f, c in zip(FEATURES, used, strict=True) if c})
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
