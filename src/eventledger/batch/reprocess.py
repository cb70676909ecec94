"""Reprocess: run the pipeline again on the stored documents (after an upgrade) and
say what changed, keeping every human decision that still applies.

Each current revision is read back from the ledger (its cleaned text, as
stored), run through the pipeline, and its records replaced in one
transaction per document; then every incident is linked again, in the order
the documents were stored, and the coders' merges and splits are replayed
(eventledger.review). Decisions on events, figures and claims need no
replay: they are keyed to record anchors, which the same record found again
keeps. Those whose record is gone are listed in the report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventledger.config import Settings
from eventledger.errors import ConfigError
from eventledger.pipeline import Document, Pipeline
from eventledger.pipeline.registry import build_stage
from eventledger.review import Replay, replay
from eventledger.stages.incidents import IncidentLinker, SyndicationIndex
from eventledger.storage import Ledger
from eventledger.storage.review import Review

__all__ = ["ReprocessReport", "reprocess", "stages_to_run"]

KINDS = ("event", "figure", "claim")


@dataclass(slots=True)
class ReprocessReport:
    documents: int = 0
    stages: list[str] = field(default_factory=list)
    before: dict[str, int] = field(default_factory=dict)  # records per kind
    after: dict[str, int] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)  # records found now, not before
    removed: dict[str, int] = field(default_factory=dict)  # records found before, not now
    incidents_before: int = 0
    incidents_after: int = 0
    failed_stages: int = 0
    replay: Replay = field(default_factory=Replay)
    orphaned: list[dict[str, Any]] = field(default_factory=list)  # decisions whose record is gone
    seconds: float = 0.0


def stages_to_run(settings: Settings, names: list[str] | None) -> list[str]:
    """The configured stages `names` picks, in the configured order; all without names.
    ConfigError for a name the pipeline does not hold."""
    if not names:
        return list(settings.pipeline)
    unknown = [n for n in names if n not in settings.pipeline]
    if unknown:
        raise ConfigError(
            f"--stages {', '.join(unknown)}: not in the pipeline; choose among "
            + ", ".join(settings.pipeline)
        )
    first = settings.pipeline[0] if settings.pipeline else None
    if first is not None and first not in names:
        # Records are replaced whole: without the annotations every stage reads,
        # the run would replace them with nothing.
        raise ConfigError(f"--stages must include {first}: every other stage reads what it finds")
    return [n for n in settings.pipeline if n in names]


def reprocess(
    ledger: Ledger,
    settings: Settings,
    *,
    stages: list[str] | None = None,
    pipeline: Pipeline | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReprocessReport:
    """Run `stages` (default: the whole configured pipeline) on every current document."""
    started = time.perf_counter()
    report = ReprocessReport()
    if pipeline is None:
        report.stages = stages_to_run(settings, stages)
        pipeline = Pipeline([build_stage(name, settings) for name in report.stages])
    else:
        report.stages = pipeline.names
    if progress is not None:
        progress(0, 0)
    before = ledger.record_anchors()
    report.before = {k: len(before[k]) for k in KINDS}
    report.incidents_before = ledger.summary().get("incidents", 0)
    articles = ledger.current_documents()
    linker = IncidentLinker(settings, ledger)
    syndication = SyndicationIndex(ledger)
    review = Review(ledger.url)
    try:
        # One transaction: a run that fails half-way leaves the ledger as it was.
        with ledger.linking(), ledger.unit():
            ledger.clear_incidents()  # the links name the events about to be replaced
            done: list[Document] = []
            batches = pipeline.pipe(
                (Document(a) for a in articles), batch_size=settings.doc_batch_size
            )
            for doc in batches:
                ledger.replace_records(doc)
                report.failed_stages += len(doc.failures)
                done.append(Document(doc.article))
                report.documents += 1
                if progress is not None:
                    progress(report.documents, 0)
            for doc in done:
                _, copies_of = syndication.register(
                    doc.id, key=doc.article.key, text=doc.article.text
                )
                linker.link_document(doc.id, copies_of)
        report.replay = replay(ledger, linker, review)
        report.orphaned = review.orphaned()
    finally:
        review.close()
    after = ledger.record_anchors()
    report.after = {k: len(after[k]) for k in KINDS}
    report.added = {k: len(after[k].keys() - before[k].keys()) for k in KINDS}
    report.removed = {k: len(before[k].keys() - after[k].keys()) for k in KINDS}
    report.incidents_after = ledger.summary().get("incidents", 0)
    report.seconds = time.perf_counter() - started
    return report
