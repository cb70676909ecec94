"""Scaling: does every stage stay linear in the length of one article?

One article of each shape (news prose, one short sentence repeated, one long
sentence, a long list), at each size (default 10k, 50k and 200k characters),
goes through (a) bare spaCy on the paragraphs the ledger feeds it and (b) the
full ingest (cleaning, every stage, SQLite storage, incident linking). For
each step between sizes the table shows the growth factor per doubling of
the text: spaCy's own, the pipeline's, and the pipeline's beyond spaCy's
(pipeline / spaCy; goal at most 1.3, where 1.0 is linear like spaCy and 2.0
is quadratic). With --stages the time of each stage is shown as well, so a
stage that is not linear can be found.

    .venv/bin/python benchmarks/scaling.py --json out/scaling.json
    .venv/bin/python benchmarks/scaling.py --sizes 5000 20000 --shapes short --stages
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import resource
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventledger.batch.local import ingest_raw
from eventledger.config import load_settings
from eventledger.errors import InputError
from eventledger.pipeline import Document, Pipeline
from eventledger.stages.annotate import load_nlp, paragraphs
from eventledger.stages.ingest import RawArticle, read_paths, to_article
from eventledger.storage import Ledger

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ("prose", "short", "long", "list")
GOAL = 1.3

_SHORT = "Shelling killed two people in Halba on Tuesday, the health office said. "
_CLAUSES = (
    "shelling killed two people in Halba on Tuesday",
    "a drone strike hit a clinic near Kharkiv on 12 March",
    "gunmen abducted four workers on the road to Nyala",
    "at least 12 civilians were wounded in El Fasher",
)
_ITEMS = (
    "- 3 killed in Halba on 12 March",
    "- 2 wounded near the clinic in Kharkiv",
    "- 5 abducted on the road to Nyala",
    "- 12 injured in El Fasher, the health office said",
)


def _prose_source() -> str:
    raws = read_paths([ROOT / "examples" / "articles"])
    texts = [to_article(r).text for r in raws if not isinstance(r, InputError)]
    return "\n\n".join(texts)


def make_text(shape: str, size: int, prose: str) -> str:
    """About `size` characters of one shape, cut at a word boundary."""
    if shape == "prose":
        unit = prose + "\n\n"
    elif shape == "short":
        unit = _SHORT
    elif shape == "long":
        # One sentence: clauses joined by "and", one full stop at the very end.
        body = ", and ".join(_CLAUSES * (size // 150 + 1))
        return "Witnesses said " + body[: size - 20].rsplit(" ", 1)[0] + "."
    elif shape == "list":
        unit = "\n".join(_ITEMS) + "\n"
    else:
        raise ValueError(shape)
    text = unit * (size // len(unit) + 1)
    return text[:size].rsplit(" ", 1)[0].rstrip() + "\n"


def _time_spacy(nlp, text: str, batch_size: int) -> float:
    paras = [p for _, p in paragraphs(text)]
    t0 = time.perf_counter()
    for _ in nlp.pipe(paras, batch_size=batch_size):
        pass
    return time.perf_counter() - t0


def _time_stages(pipeline: Pipeline, raw: RawArticle, settings) -> dict[str, float]:
    article = to_article(raw, max_article_chars=settings.max_article_chars)
    doc = Document(article)
    times = {}
    for stage in pipeline.stages:
        t0 = time.perf_counter()
        doc = pipeline._run_one(stage, doc)
        times[stage.name] = time.perf_counter() - t0
    if doc.failures:
        print(f"warning: {doc.failures}", file=sys.stderr)
    return times


def _time_ingest(pipeline: Pipeline, raw: RawArticle, settings, tmp: str, n: int) -> float:
    ledger = Ledger(str(Path(tmp) / f"scaling{n}.db"))
    t0 = time.perf_counter()
    report = ingest_raw([raw], ledger, settings, pipeline=pipeline)
    seconds = time.perf_counter() - t0
    ledger.close()
    if report.stored != 1:
        print(f"warning: {raw.source} not stored: {report.rejected}", file=sys.stderr)
    return seconds


def per_doubling(t1: float, t2: float, n1: int, n2: int) -> float:
    """The factor by which time grows each time the text doubles, from two sizes."""
    return (t2 / t1) ** (1 / math.log2(n2 / n1)) if t1 > 0 and n2 > n1 else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    ap.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    ap.add_argument("--rounds", type=int, default=1, help="best of this many rounds")
    ap.add_argument("--stages", action="store_true", help="also time each stage alone")
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)

    settings = load_settings()
    settings = dataclasses.replace(
        settings, max_article_chars=max(settings.max_article_chars, max(args.sizes) + 1)
    )
    nlp = load_nlp(settings.nlp_model)
    pipeline = Pipeline.from_settings(settings)
    prose = _prose_source()
    list(nlp.pipe([prose[:2000]]))  # warm up

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        n = 0
        for shape in args.shapes:
            for size in sorted(args.sizes):
                text = make_text(shape, size, prose)
                raw = RawArticle(source=f"scaling-{shape}-{size}", text=text)
                spacy_s = pipe_s = float("inf")
                stages: dict[str, float] = {}
                for _ in range(args.rounds):
                    n += 1
                    spacy_s = min(spacy_s, _time_spacy(nlp, text, settings.nlp_batch_size))
                    pipe_s = min(pipe_s, _time_ingest(pipeline, raw, settings, tmp, n))
                    if args.stages:
                        for name, s in _time_stages(pipeline, raw, settings).items():
                            stages[name] = min(stages.get(name, float("inf")), s)
                rows.append(
                    {
                        "shape": shape,
                        "chars": len(text),
                        "spacy_s": round(spacy_s, 3),
                        "pipeline_s": round(pipe_s, 3),
                        **(
                            {"stages_s": {k: round(v, 3) for k, v in stages.items()}}
                            if stages
                            else {}
                        ),
                    }
                )
                print(
                    f"{shape} {len(text)}: spaCy {spacy_s:.2f} s, pipeline {pipe_s:.2f} s",
                    file=sys.stderr,
                )

    growth = []
    for a, b in zip(rows, rows[1:], strict=False):
        if a["shape"] != b["shape"]:
            continue
        g_spacy = per_doubling(a["spacy_s"], b["spacy_s"], a["chars"], b["chars"])
        g_pipe = per_doubling(a["pipeline_s"], b["pipeline_s"], a["chars"], b["chars"])
        step = {
            "shape": a["shape"],
            "from_chars": a["chars"],
            "to_chars": b["chars"],
            "spacy_per_doubling": round(g_spacy, 3),
            "pipeline_per_doubling": round(g_pipe, 3),
            "beyond_spacy": round(g_pipe / g_spacy, 3),
            "ok": g_pipe / g_spacy <= GOAL,
        }
        if "stages_s" in a:
            step["stages_per_doubling"] = {
                k: round(
                    per_doubling(a["stages_s"][k], b["stages_s"][k], a["chars"], b["chars"]), 3
                )
                for k in a["stages_s"]
            }
        growth.append(step)

    console = Console()
    times = Table(title="one article: seconds")
    for col in ("shape", "chars", "bare spaCy", "full pipeline"):
        times.add_column(col, justify="right" if col != "shape" else "left")
    for r in rows:
        times.add_row(
            r["shape"], f"{r['chars']:,}", f"{r['spacy_s']:.2f}", f"{r['pipeline_s']:.2f}"
        )
    console.print(times)
    table = Table(title=f"growth per doubling of the text (goal: beyond spaCy ≤ {GOAL})")
    for col in ("shape", "chars", "spaCy", "pipeline", "beyond spaCy", "ok"):
        table.add_column(col, justify="right" if col not in ("shape", "ok") else "left")
    for g in growth:
        table.add_row(
            g["shape"],
            f"{g['from_chars']:,} → {g['to_chars']:,}",
            f"{g['spacy_per_doubling']:.2f}",
            f"{g['pipeline_per_doubling']:.2f}",
            f"{g['beyond_spacy']:.2f}",
            "yes" if g["ok"] else "NO",
        )
    console.print(table)
    if args.stages:
        stage_table = Table(title="growth per doubling, stage by stage")
        stage_table.add_column("shape")
        stage_table.add_column("chars")
        names = list(growth[0].get("stages_per_doubling", {})) if growth else []
        for name in names:
            stage_table.add_column(name.split(".")[0], justify="right")
        for g in growth:
            stage_table.add_row(
                g["shape"],
                f"{g['from_chars']:,} → {g['to_chars']:,}",
                *(f"{g['stages_per_doubling'][k]:.2f}" for k in names),
            )
        console.print(stage_table)
    result = {
        "goal_beyond_spacy_per_doubling": GOAL,
        "runs": rows,
        "growth": growth,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0 if all(g["ok"] for g in growth) else 1


if __name__ == "__main__":
    sys.exit(main())
