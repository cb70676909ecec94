"""Attribution extraction on PolNeAR (dev and test): source, cue and content spans.

Runs the claims stage (annotate + claims, built with `build_stage`) on each
article and scores its claims as PolNeAR spans: source = the whole source noun
phrase (`source_evidence`, else the speaker mention `speaker.evidence[0]`), cue =
`cue_evidence`, content = `content_evidence`. Scores are exact-span F1 and overlap F1 (Pareti 2016 /
Scheible et al. 2016 partial match: a predicted span is right when it overlaps
a gold span of the same kind); see `eventledger.evaluation.attribution`.
The same scores are given for textacy's `extract.triples.direct_quotations`
as a baseline. Gold: the first annotation file in sorted order per article.

    .venv/bin/python benchmarks/attribution.py --json out/attribution.json
    .venv/bin/python benchmarks/attribution.py --splits dev   # tuning: dev only
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from eventledger.config import load_settings
from eventledger.evaluation.attribution import (
    KINDS,
    annotation_files,
    load_brat,
    normalise,
    score_kinds,
)
from eventledger.models import Article
from eventledger.pipeline import Document, build_stage

ROOT = Path(__file__).resolve().parent.parent

Spans = dict[str, set[tuple[str, int, int]]]


def _add(spans: Spans, kind: str, key: str, text: str, span: tuple[int, int] | None) -> None:
    if span is None:
        return
    trimmed = normalise(text, span)
    if trimmed is not None:
        spans[kind].add((key, *trimmed))


def gold_spans(files: list[tuple[Path, Path]]) -> tuple[Spans, dict[str, str]]:
    """Gold spans per kind, keyed by article, and the article texts."""
    spans: Spans = {k: set() for k in KINDS}
    texts = {}
    for text_path, ann_path in files:
        key = text_path.stem
        texts[key] = text_path.read_text("utf-8")
        for attr in load_brat(ann_path.read_text("utf-8")):
            for kind in KINDS:
                for span in getattr(attr, kind):
                    _add(spans, kind, key, texts[key], span)
    return spans, texts


def claim_kind_spans(claim: Any) -> list[tuple[str, tuple[int, int]]]:
    """(kind, char span) of one claim as PolNeAR spans: the whole source noun phrase
    (`source_evidence`, else the tight speaker mention), the cue and the content."""
    out = []
    source = claim.source_evidence
    if source is None and claim.speaker is not None and claim.speaker.evidence:
        source = claim.speaker.evidence[0]
    for kind, ev in (
        ("source", source),
        ("cue", claim.cue_evidence),
        ("content", claim.content_evidence),
    ):
        if ev is not None:
            out.append((kind, (ev.start, ev.end)))
    return out


def claim_spans(texts: dict[str, str], annotate: Any, claims: Any) -> Spans:
    """Spans of the claims stage's claims, per kind."""
    spans: Spans = {k: set() for k in KINDS}
    docs = [Document(Article(id=k, key=k, text=t)) for k, t in texts.items()]
    for doc in annotate.pipe(docs):
        claims(doc)
        for c in doc.claims:
            for kind, span in claim_kind_spans(c):
                _add(spans, kind, doc.id, doc.text, span)
    return spans


def textacy_spans(texts: dict[str, str], nlp: Any) -> Spans:
    """Spans of textacy's direct-quotation triples (speaker, cue, content), per kind."""
    from textacy.extract.triples import direct_quotations

    spans: Spans = {k: set() for k in KINDS}
    for key, text in texts.items():
        sdoc = nlp(text)
        try:
            triples = list(direct_quotations(sdoc))
        except ValueError:
            continue  # textacy refuses documents with an odd number of quote marks
        for triple in triples:
            for kind, toks in (("source", triple.speaker), ("cue", triple.cue)):
                if toks:
                    start = min(t.idx for t in toks)
                    end = max(t.idx + len(t.text) for t in toks)
                    _add(spans, kind, key, text, (start, end))
            content = triple.content
            _add(spans, "content", key, text, (content.start_char, content.end_char))
    return spans


def _table(title: str, scores: dict[str, dict[str, float]]) -> Table:
    table = Table(title=title)
    table.add_column("kind")
    for col in ("exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1"):
        table.add_column(col, justify="right")
    table.add_column("pred/gold", justify="right")
    for kind in KINDS:
        s = scores[kind]
        table.add_row(
            kind,
            *(
                f"{100 * s[k]:.1f}"
                for k in (
                    "exact_precision",
                    "exact_recall",
                    "exact_f1",
                    "overlap_precision",
                    "overlap_recall",
                    "overlap_f1",
                )
            ),
            f"{s['predicted']}/{s['gold']}",
        )
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--splits", default="dev,test", help="comma-separated: dev, test")
    ap.add_argument("--no-baseline", action="store_true", help="skip the textacy baseline")
    ap.add_argument(
        "--stage",
        help="claims stage to score (default: the one in the configured pipeline), "
        "e.g. claims.rules.v1 or claims.model.v2",
    )
    ap.add_argument("--json", help="write the scores to this JSON file")
    args = ap.parse_args(argv)
    console = Console(width=120)
    corpus = Path(args.data) / "polnear"
    if not (corpus / "dev" / "text").is_dir():
        console.print(f"PolNeAR not found under {corpus}: skipping (see its SOURCE.md).")
        return 0
    settings = load_settings()
    annotate = build_stage("annotate.spacy.v1", settings)
    stage = args.stage or next(
        (s for s in settings.pipeline if s.startswith("claims.")), "claims.rules.v1"
    )
    claims = build_stage(stage, settings)
    console.print(f"claims stage: {stage}")
    baseline_ok = not args.no_baseline
    if baseline_ok:
        try:
            import textacy  # noqa: F401
        except ImportError:
            console.print("textacy is not installed: no baseline (pip install textacy==0.13.0).")
            baseline_ok = False
    out: dict[str, Any] = {}
    for split in [s.strip() for s in args.splits.split(",") if s.strip()]:
        files = annotation_files(corpus / split)
        gold, texts = gold_spans(files)
        scores = score_kinds(claim_spans(texts, annotate, claims), gold)
        out[split] = scores
        out.setdefault("stage", stage)
        console.print(_table(f"PolNeAR {split} ({len(files)} articles): claims stage", scores))
        if baseline_ok:
            base = score_kinds(textacy_spans(texts, annotate.nlp), gold)
            out.setdefault("baseline", {})[split] = base
            console.print(_table(f"PolNeAR {split}: textacy direct_quotations", base))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
