"""Cross-document linking on ECB+ (test topics 36-45) and GVC (test): documents
clustered into incidents, and event mentions into cross-document events.

What is clustered, exactly:
- documents: every document of the split goes through the full eventledger
  pipeline and the incident linker (corpus level: no gold topics are given;
  GVC documents get their DCT as publication date, ECB+ documents have none).
  Two documents are in one cluster when they share a linked incident
  (connected components). Gold: ECB+ `subtopic`, GVC `subtopic` (GVA
  incident). Scored with B³ F1, singletons included.
- event mentions: the GOLD event mentions (not our own detections), each
  assigned to (its document's predicted cluster, the lemma of its syntactic
  head, parsed by the pipeline's spaCy model in its gold sentence; a gerund
  noun folds onto its verb, "shooting" -> "shoot", when that verb also occurs):
  mentions with one head lemma in the documents of one predicted incident
  corefer. Scored with MUC, B³, CEAF-e and CoNLL F1, corpus level,
  singletons included.

Linking mode. GVC runs the production linker (dates from the DCT). ECB+
documents carry no publication date, so relative dates cannot resolve and
the production linker, which never links an undated event, links almost
nothing; ECB+ therefore runs the linker's benchmark-only no-date mode
(`IncidentLinker(undated=True)`): an event that found no dated candidate may
join a compatible incident of the same type at the same place (gazetteer id,
facility or place name) that names one of its people (a full name on one
side, its surname on the other), or whose reports read alike (the linker's
text similarity, `TEXT_UNDATED`), unless two precise dates conflict.
Documents in which the pipeline finds no event stay alone: about half of
the ECB+ test documents (topics on other than violence) bound its recall. `--no-date on|off`
overrides the choice for both corpora. Tuned on the dev splits only.

Published anchors (from the datasets' SOURCE.md; not re-checked here):
ECB+ event CoNLL F1 about 79.5 (Barhom et al. 2019, gold mentions, predicted
topics). GVC: Bugert et al. (2021) report several systems (numbers not copied).

    .venv/bin/python benchmarks/coref.py --json out/coref.json [--split dev]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import spacy
from rich.console import Console
from rich.table import Table
from spacy.tokens import Doc
from sqlalchemy import delete, select

from eventledger.batch.local import ingest_raw
from eventledger.config import load_settings
from eventledger.evaluation.coref import b_cubed, conll_f1
from eventledger.stages.incidents import IncidentLinker
from eventledger.stages.ingest import RawArticle
from eventledger.storage import Ledger, tables

ROOT = Path(__file__).resolve().parent.parent
ANCHORS = {"ecbplus": "ev CoNLL ~79.5 (Barhom et al. 2019, gold mentions)", "gvc": "-"}


def _jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _raw(corpus: str, doc: dict) -> RawArticle:
    sentences = [" ".join(s) for s in doc["sentences"]]
    if corpus == "gvc":
        # sentences[0] is the DCT, [1] the title; "//n" marks a line break
        body = "\n".join(sentences[2:]).replace(" //n", "\n").replace("//n", "\n")
        return RawArticle(
            source=doc["doc_id"], text=body, id=doc["doc_id"], title=sentences[1],
            published=doc.get("dct"), language="en",
        )  # fmt: skip
    return RawArticle(source=doc["doc_id"], text="\n".join(sentences), id=doc["doc_id"])


def _relink(ledger: Ledger, settings: Any) -> None:
    """Link the stored documents again, in order, with the no-date mode on."""
    with ledger._engine.begin() as conn:  # the benchmark's own throw-away ledger
        conn.execute(delete(tables.incident_events))
        conn.execute(delete(tables.incidents))
        rows = conn.execute(
            select(tables.syndication.c.document_id, tables.syndication.c.source_id)
        )
        source_of = {r.document_id: r.source_id for r in rows}
    linker = IncidentLinker(settings, ledger, undated=True)
    seen: list[str] = []
    for doc in ledger.documents():
        story = source_of.get(doc.id, doc.id)
        copies = [d for d in seen if story != doc.id and source_of.get(d) == story]
        linker.link_document(doc.id, copies)
        seen.append(doc.id)


def _doc_clusters(ledger: Ledger, doc_ids: list[str]) -> dict[str, str]:
    """Gold-document id -> predicted cluster (union of documents sharing an incident)."""
    by_stored = {a.id: a.source for a in ledger.documents()}
    parent = {d: d for d in doc_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for inc in ledger.incidents():
        members = [by_stored[d] for d in inc.document_ids if by_stored.get(d) in parent]
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    return {d: find(d) for d in doc_ids}


def mention_lemmas(nlp: Any, docs: list[dict], mentions: list[dict]) -> dict[str, str]:
    """Mention id -> lemma of its syntactic head, parsed in its own sentence (gold tokens)."""
    wanted: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for m in mentions:
        wanted[(m["doc_id"], m["sent_id"])].append(m)
    by_id = {d["doc_id"]: d for d in docs}
    keys = sorted(wanted)
    sentences = (Doc(nlp.vocab, words=by_id[d]["sentences"][s] or ["."]) for d, s in keys)
    out = {}
    for (doc_id, sent_id), parsed in zip(keys, nlp.pipe(sentences), strict=True):
        for m in wanted[(doc_id, sent_id)]:
            ids = [i for i in m["token_ids"] if i < len(parsed)]
            head = parsed[min(ids) : max(ids) + 1].root if ids else None
            out[m["mention_id"]] = head.lemma_.casefold() if head else m["text"].casefold()
    return out


def fold_lemmas(lemmas: dict[str, str]) -> dict[str, str]:
    """Map a gerund noun onto the verb it names when that verb is also a lemma here
    ("shooting" -> "shoot", "killing" -> "kill"): one event, two parts of speech."""
    seen = set(lemmas.values())

    def fold(lemma: str) -> str:
        if lemma.endswith("ing"):
            stem = lemma[:-3]
            for cand in (stem, stem + "e", stem[:-1] if stem[-2:-1] == stem[-1:] else ""):
                if cand and cand in seen:
                    return cand
        return lemma

    return {m: fold(lemma) for m, lemma in lemmas.items()}


def mention_response(
    mentions: list[dict], predicted: dict[str, str], lemmas: dict[str, str]
) -> dict[str, tuple[str, str]]:
    """Gold mention -> (its document's predicted incident cluster, its head lemma)."""
    return {
        m["mention_id"]: (predicted.get(m["doc_id"], m["doc_id"]), lemmas[m["mention_id"]])
        for m in mentions
    }


def evaluate(corpus: str, data: Path, split: str, undated: bool) -> dict | None:
    folder = data / corpus
    docs_path, mentions_path = (
        folder / f"{split}.docs.jsonl.gz",
        folder / f"{split}.mentions.jsonl.gz",
    )
    if not docs_path.exists() or not mentions_path.exists():
        return None
    docs = _jsonl(docs_path)
    mentions = [m for m in _jsonl(mentions_path) if m.get("kind", "event") == "event"]
    settings = load_settings()
    nlp = spacy.load(settings.nlp_model, exclude=["ner"])
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(str(Path(tmp) / f"{corpus}.db"))
        report = ingest_raw((_raw(corpus, d) for d in docs), ledger, settings)
        if undated:
            _relink(ledger, settings)
        predicted = _doc_clusters(ledger, [d["doc_id"] for d in docs])
        linked_events = sum(len(i.event_ids) for i in ledger.incidents())
        ledger.close()
    gold_docs = {d["doc_id"]: d["subtopic"] for d in docs}
    doc_b3 = b_cubed(gold_docs, predicted)
    key = {m["mention_id"]: m["cluster_id"] for m in mentions}
    response = mention_response(
        mentions, predicted, fold_lemmas(mention_lemmas(nlp, docs, mentions))
    )
    events = conll_f1(key, response)
    return {
        "split": split,
        "linker": "no-date mode" if undated else "production",
        "documents": len(docs),
        "rejected": len(report.rejected),
        "predicted_doc_clusters": len(set(predicted.values())),
        "gold_doc_clusters": len(set(gold_docs.values())),
        "linked_events": linked_events,
        "doc_b3_precision": round(doc_b3.precision, 4),
        "doc_b3_recall": round(doc_b3.recall, 4),
        "doc_b3_f1": round(doc_b3.f1, 4),
        "event_mentions": len(mentions),
        "event_muc_f1": round(events["muc_f1"], 4),
        "event_b3_f1": round(events["b3_f1"], 4),
        "event_ceafe_f1": round(events["ceafe_f1"], 4),
        "event_conll_f1": round(events["conll_f1"], 4),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--split", default="test", choices=("dev", "test"))
    ap.add_argument(
        "--no-date", choices=("auto", "on", "off"), default="auto",
        help="the linker's no-date mode: auto = on for ECB+ (no publication dates), off for GVC",
    )  # fmt: skip
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)
    results = {}
    for corpus in ("ecbplus", "gvc"):
        undated = args.no_date == "on" or (args.no_date == "auto" and corpus == "ecbplus")
        scores = evaluate(corpus, Path(args.data), args.split, undated)
        if scores is None:
            print(f"{corpus}: no data under {args.data}/{corpus}; skipped", file=sys.stderr)
            continue
        results[corpus] = scores
    if not results:
        print("no coreference data found; nothing to do", file=sys.stderr)
        return 0
    table = Table(title=f"incident linking as coreference ({args.split}; gold event mentions)")
    for col in ("corpus", "linker", "docs", "doc B³ P", "doc B³ R", "doc B³ F1", "ev MUC", "ev B³",
                "ev CEAF-e", "ev CoNLL F1", "published anchor"):  # fmt: skip
        table.add_column(col, justify="right")
    for corpus, s in results.items():
        table.add_row(
            corpus, s["linker"], str(s["documents"]), str(s["doc_b3_precision"]), str(s["doc_b3_recall"]),
            str(s["doc_b3_f1"]), str(s["event_muc_f1"]), str(s["event_b3_f1"]),
            str(s["event_ceafe_f1"]), str(s["event_conll_f1"]), ANCHORS[corpus],
        )  # fmt: skip
    Console(width=200).print(table)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
