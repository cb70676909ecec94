"""The local engine: read inputs, skip what is stored already, run the
pipeline in batches, store each batch of documents in one transaction, link
incidents, and report what was rejected."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from eventledger.config import Settings
from eventledger.errors import ConfigError, InputError, StageError
from eventledger.models import Article
from eventledger.pipeline import Document, Pipeline
from eventledger.pipeline.processes import ProcessPipeline, Unprocessed
from eventledger.stages.incidents import IncidentLinker, SyndicationIndex
from eventledger.stages.ingest import RawArticle, article_id, read_paths, to_article
from eventledger.storage import Ledger

__all__ = [
    "IngestReport",
    "ingest",
    "ingest_raw",
    "keep_decisions",
    "planned_documents",
    "store_documents",
]


@dataclass(slots=True)
class IngestReport:
    stored: int = 0
    unchanged: int = 0
    revised: int = 0
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (source, code, message)
    failed_stages: int = 0
    words: int = 0
    seconds: float = 0.0
    # Decisions whose record a revised article no longer has (issue 16), for a coder.
    orphaned: list[dict] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0: every input ingested (or already stored); 1: some inputs rejected."""
        return 1 if self.rejected else 0


def _articles(
    raws: Iterable[RawArticle | InputError],
    report: IngestReport,
    *,
    outlet: str | None,
    published: str | None,
    max_chars: int,
    languages: list[str] | None = None,
) -> Iterator[Article | InputError]:
    for raw in raws:
        if isinstance(raw, InputError):
            yield raw
            continue
        try:
            yield to_article(
                raw,
                outlet=outlet,
                published=published,
                max_article_chars=max_chars,
                languages=languages,
            )
        except InputError as exc:
            if exc.source is None:
                exc.source = raw.source
            yield exc


def ingest(
    paths: Iterable[str | Path],
    ledger: Ledger,
    settings: Settings,
    *,
    pipeline: Pipeline | ProcessPipeline | None = None,
    workers: int | None = None,
    outlet: str | None = None,
    published: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    exclude: Iterable[str | Path] = (),
) -> IngestReport:
    """Ingest every article under `paths` into `ledger`; never stops on one bad input.

    `exclude` names files a folder walk skips (the CLI passes the database's own
    files); `workers` as `ingest_raw`'s.
    """
    raws = read_paths(paths, max_file_bytes=settings.max_file_bytes, exclude=exclude)
    return ingest_raw(
        raws,
        ledger,
        settings,
        pipeline=pipeline,
        workers=workers,
        outlet=outlet,
        published=published,
        progress=progress,
    )


def ingest_raw(
    raws: Iterable[RawArticle | InputError],
    ledger: Ledger,
    settings: Settings,
    *,
    pipeline: Pipeline | ProcessPipeline | None = None,
    workers: int | None = None,
    outlet: str | None = None,
    published: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IngestReport:
    """Ingest already-read articles (or the errors reading them gave).

    `workers` (default: the `workers` setting) pipeline processes run the
    stages while this process stores and links, when at least
    `workers_min_articles` articles are to be run; 0 runs them here. A
    `pipeline` given (built or started already) is used as it is.
    """
    report = IngestReport()
    started = time.perf_counter()
    workers = settings.workers if workers is None else workers
    if workers < 0:
        raise ConfigError(f"--workers must be 0 (no worker processes) or more, got {workers}")
    docs: Iterator[Document] = planned_documents(
        raws, ledger, settings, report, outlet=outlet, published=published
    )
    if pipeline is None and workers > 0:
        # A worker loads spaCy and the stage data (seconds) before its first
        # article: worth it for a long input only. Planning the first articles
        # tells, and they are run as if never looked at.
        head = list(islice(docs, settings.workers_min_articles))
        docs = chain(head, docs)
        # one core has no second to overlap with: the stages then run here
        if len(head) >= settings.workers_min_articles and (os.cpu_count() or 1) > 1:
            with ProcessPipeline(settings, workers) as processes:
                _run_and_store(docs, processes, ledger, settings, report, progress)
        else:
            workers = 0
    if pipeline is not None or workers == 0:
        pipeline = pipeline or Pipeline.from_settings(settings)
        _run_and_store(docs, pipeline, ledger, settings, report, progress)
    if report.revised:
        keep_decisions(ledger, settings, report)
    report.seconds = time.perf_counter() - started
    return report


def _run_and_store(
    docs: Iterator[Document],
    pipeline: Pipeline | ProcessPipeline,
    ledger: Ledger,
    settings: Settings,
    report: IngestReport,
    progress: Callable[[int, int], None] | None,
) -> None:
    if progress is not None:
        progress(0, 0)  # the models are loaded: articles come next
    store_documents(
        pipeline.pipe_ahead(docs, batch_size=settings.doc_batch_size),
        ledger,
        settings,
        report,
        progress=progress,
    )


def keep_decisions(ledger: Ledger, settings: Settings, report: IngestReport) -> None:
    """After revised articles were linked: replay the coders' merges and splits
    (eventledger.review) and list the decisions whose record the revision lost.
    Decisions on events, figures and claims follow their records' anchors by themselves."""
    from eventledger.review import replay
    from eventledger.storage.review import Review

    review = Review(ledger.url)
    try:
        if review.count():
            replay(ledger, IncidentLinker(settings, ledger), review)
            report.orphaned = review.orphaned()
    finally:
        review.close()


def planned_documents(
    raws: Iterable[RawArticle | InputError],
    ledger: Ledger,
    settings: Settings,
    report: IngestReport,
    *,
    outlet: str | None = None,
    published: str | None = None,
) -> Iterator[Document]:
    """The Documents still to run: rejected inputs recorded, stored ones skipped,
    revisions numbered. Every engine plans the same way, so all store the same."""
    items = _articles(
        raws,
        report,
        outlet=outlet,
        published=published,
        max_chars=settings.max_article_chars,
        languages=settings.languages,
    )
    # key -> (text_hash, revision) planned in this run: documents are stored
    # a batch later, so the ledger cannot yet know about them.
    planned: dict[str, tuple[str, int]] = {}
    for item in items:
        if isinstance(item, InputError):
            report.rejected.append((item.source or "?", item.code, str(item.args[0])))
            ledger.record_rejection(item.source or "?", item.code, str(item.args[0]))
            continue
        seen = planned.get(item.key)
        if seen is not None and seen[0] == item.text_hash:
            report.unchanged += 1
            continue
        revision = seen[1] + 1 if seen is not None else ledger.plan(item)
        if revision is None:
            report.unchanged += 1
            continue
        if revision > 1:
            item.revision = revision
            item.id = article_id(item.key, revision)
            report.revised += 1
        planned[item.key] = (item.text_hash, revision)
        yield Document(item)


def store_documents(
    docs: Iterable[Document | Unprocessed],
    ledger: Ledger,
    settings: Settings,
    report: IngestReport,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Store the annotated documents and link their events, one transaction per batch;
    reject the articles the pipeline's workers could not run (`Unprocessed`)."""
    linker = IncidentLinker(settings, ledger)
    syndication = SyndicationIndex(ledger)
    it = iter(docs)
    while batch := list(islice(it, max(1, settings.doc_batch_size))):
        stored: list[Document] = []
        unprocessed: list[Unprocessed] = []
        # One transaction per batch, links included: a crash never leaves a
        # document stored but outside the incidents (it rolls the batch back,
        # and a re-run stores it), and the write lock and the commit are paid
        # once per batch, not once per document.
        with ledger.linking(), ledger.unit():
            for doc in batch:
                if isinstance(doc, Unprocessed):
                    source = doc.article.source or doc.article.id
                    ledger.record_rejection(source, StageError.code, doc.reason)
                    unprocessed.append(doc)
                    continue
                # Another process ingesting the same inputs may have stored it
                # since it was planned: the unique key decides, and this one skips it.
                if not ledger.store(doc, skip_stored=True):
                    report.unchanged += 1
                    continue
                _, copies_of = syndication.register(doc.id, key=doc.article.key, text=doc.text)
                linker.link_document(doc.id, copies_of, events=doc.events, figures=doc.figures)
                stored.append(doc)
        for item in unprocessed:
            source = item.article.source or item.article.id
            report.rejected.append((source, StageError.code, item.reason))
        for doc in stored:
            report.stored += 1
            report.failed_stages += len(doc.failures)
            report.words += len(doc.text.split())
            if progress is not None:
                progress(report.stored, report.words)
