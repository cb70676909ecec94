"""The Ray engine: the same ingest as `batch.local`, with the pipeline run by
Ray Data actors, one per worker, each loading the spaCy model once.

The driver reads and plans the inputs exactly as the local engine does
(`planned_documents`), ships the articles to the actors in batches, and
stores the results in input order through the storage layer, one
transaction per document, linking incidents after each
(`store_documents`): so both engines write the same ledger.

This is the only module that imports ray (the optional extra `ray`).
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from eventledger.batch.local import IngestReport, planned_documents, store_documents
from eventledger.config import Settings
from eventledger.errors import ConfigError, InputError, StorageError
from eventledger.pipeline import Document, Pipeline
from eventledger.stages.incidents.syndication import fingerprint
from eventledger.stages.ingest import RawArticle, read_paths
from eventledger.storage import Ledger
from eventledger.storage.ledger import document_rows

__all__ = ["PipelineActor", "ingest_ray", "ingest_ray_raw", "ray_session"]

# Articles handed to one Ray Data run. A run starts its actors (and so loads
# the model) once; chunks bound the driver's memory on archives of millions.
CHUNK_ARTICLES = 20_000


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ConfigError(
            "the ray engine needs Ray: pip install 'eventledger[ray]' (ray[data]==2.60.0)"
        ) from exc
    return ray


class ray_session:
    """Connect to Ray at `address`, or start a local instance with `num_cpus`; reuse one
    already started in this process. Shuts down only what it started."""

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        self.address = address
        self.num_cpus = num_cpus
        self.started = False

    def __enter__(self) -> Any:
        ray = _ray()
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if self.address:
                kwargs["address"] = self.address
            else:
                kwargs["num_cpus"] = self.num_cpus or os.cpu_count() or 1
            try:
                ray.init(**kwargs)
            except (ConnectionError, ValueError, RuntimeError) as exc:
                raise ConfigError(f"cannot start or reach Ray at {self.address!r}: {exc}") from exc
            self.started = True
        return ray

    def __exit__(self, *exc: object) -> None:
        if self.started:
            _ray().shutdown()


class PipelineActor:
    """A Ray Data callable class: builds the pipeline once, then runs it on batches.

    A batch holds pickled Articles in `article` (and their order in `seq`);
    the result holds pickled Documents stripped of what only the stages need
    (spaCy Docs, sentences, mentions), which is all the storage layer reads.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pipeline = Pipeline.from_settings(settings)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        docs = (Document(pickle.loads(blob)) for blob in batch["article"])
        out = [
            pickle.dumps(_portable(doc), protocol=pickle.HIGHEST_PROTOCOL)
            for doc in self.pipeline.pipe(docs, batch_size=self.settings.doc_batch_size)
        ]
        results = np.empty(len(out), dtype=object)
        results[:] = out
        return {"seq": batch["seq"], "result": results}


def _portable(doc: Document) -> Document:
    """What the writer needs of a document: no spaCy objects (large, and not needed
    to store), but its syndication fingerprint and its records encoded as rows.
    Work done here, in parallel, is work the single writer is spared.

    The claims travel as rows only (the linker reads events and figures). A
    document whose rows cannot be built (an evidence span that does not
    match) keeps its records, so that the writer fails on it as the local
    engine would.
    """
    try:
        rows = document_rows(doc)
    except StorageError:
        rows = None
    return Document(
        doc.article,
        claims=doc.claims if rows is None else [],
        figures=doc.figures,
        events=doc.events,
        failures=doc.failures,
        _counters=doc._counters,
        fingerprint=doc.fingerprint or fingerprint(doc.text),
        rows=rows,
    )


def _run(docs: list[Document], settings: Settings, workers: int) -> Iterator[Document]:
    """Run one chunk through the actors; yield the results in input order."""
    import ray.data

    context = ray.data.DataContext.get_current()
    # Storing in input order makes the ledger (pks, incident linking) the
    # same as the local engine's.
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    items = [
        {"seq": i, "article": pickle.dumps(doc.article, protocol=pickle.HIGHEST_PROTOCOL)}
        for i, doc in enumerate(docs)
    ]
    # Blocks no larger than a pipeline batch, and at least two per worker, so
    # that every actor has work even on a small input.
    batch_size = max(1, min(settings.doc_batch_size, -(-len(items) // (2 * workers))))
    dataset = ray.data.from_items(items, override_num_blocks=-(-len(items) // batch_size))
    results = dataset.map_batches(
        PipelineActor,
        fn_constructor_kwargs={"settings": settings},
        batch_size=batch_size,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
    )
    waiting: dict[int, Document] = {}
    expected = 0
    for batch in results.iter_batches(batch_size=None, batch_format="numpy"):
        for seq, blob in zip(batch["seq"], batch["result"], strict=True):
            waiting[int(seq)] = pickle.loads(blob)
        # preserve_order already yields in order; the buffer only guards it.
        while expected in waiting:
            yield waiting.pop(expected)
            expected += 1
    if waiting or expected != len(docs):
        raise RuntimeError(f"Ray returned {expected} of {len(docs)} documents")


def ingest_ray(
    paths: Iterable[str | Path],
    ledger: Ledger,
    settings: Settings,
    *,
    exclude: Iterable[str | Path] = (),
    **options: Any,
) -> IngestReport:
    """Ingest every article under `paths` with the pipeline run on Ray actors
    (options as `ingest_ray_raw`)."""
    raws = read_paths(paths, max_file_bytes=settings.max_file_bytes, exclude=exclude)
    return ingest_ray_raw(raws, ledger, settings, **options)


def ingest_ray_raw(
    raws: Iterable[RawArticle | InputError],
    ledger: Ledger,
    settings: Settings,
    *,
    workers: int | None = None,
    address: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk_articles: int = CHUNK_ARTICLES,
) -> IngestReport:
    """Ingest already-read articles with the pipeline run on `workers` Ray actors.

    Without `address` a local Ray instance is started (and stopped after)
    unless one runs in this process already; with one, the cluster's workers
    must have eventledger and its spaCy model installed.
    """
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    report = IngestReport()
    started = time.perf_counter()
    planned = planned_documents(raws, ledger, settings, report, outlet=outlet, published=published)
    with ray_session(address, num_cpus=workers):
        while chunk := list(islice(planned, chunk_articles)):
            store_documents(
                _run(chunk, settings, workers), ledger, settings, report, progress=progress
            )
    report.seconds = time.perf_counter() - started
    return report
