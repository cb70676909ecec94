"""The Ray engine: the same ingest as `batch.local`, with the pipeline run by
Ray Data actors, one per worker, each loading the spaCy model once and
writing its own documents through the storage layer.

The driver reads and plans the inputs exactly as the local engine does
(`planned_documents`) and ships the articles to the actors in batches. An
actor parses its batch, then stores it (`store_documents`: one transaction
per document, incidents linked) when its turn comes: a small `Turns` actor
lets batches store in input order. So the parse runs on every worker at
once, while the writes, which decide ids, stories and incidents, happen in
the local engine's order: both engines write the same ledger. Each actor
opens the ledger itself: a SQLite file on this machine, or PostgreSQL for
a cluster.

This is the only module that imports ray (the optional extra `ray`).
"""

from __future__ import annotations

import asyncio
import os
import pickle
import time
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path
from typing import Any

from eventledger.batch.local import IngestReport, planned_documents, store_documents
from eventledger.config import Settings
from eventledger.errors import ConfigError, InputError
from eventledger.pipeline import Document, Pipeline
from eventledger.stages.ingest import RawArticle, read_paths
from eventledger.storage import Ledger

__all__ = ["PipelineActor", "Turns", "ingest_ray", "ingest_ray_raw", "ray_session"]

# Articles handed to one Ray Data run. A run starts its actors (and so loads
# the model) once; chunks bound the driver's memory on archives of millions.
CHUNK_ARTICLES = 20_000
# Articles per actor call. Between two calls an actor waits for Ray Data to
# hand it the next block (about 0.15 s measured here), so calls should be
# seconds long; but the last call of a run keeps one worker busy alone.
BATCH_ARTICLES = 64
# What each stored batch reports back, summed by the driver.
COUNTS = ("stored", "unchanged", "failed_stages", "words")


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


class Turns:
    """Whose turn it is to store: the input position of the next article to store.

    A Ray actor (async: waiting callers do not block each other). `wait(seq)`
    returns once every article before `seq` is stored; `done(seq)` says
    that article `seq` and those before it are.
    """

    def __init__(self) -> None:
        self.next = 0
        self.changed = asyncio.Condition()

    async def wait(self, seq: int) -> None:
        async with self.changed:
            await self.changed.wait_for(lambda: self.next >= seq)

    async def done(self, seq: int) -> None:
        async with self.changed:
            self.next = max(self.next, seq + 1)
            self.changed.notify_all()


def _runs(seqs: list[int]) -> list[tuple[int, int]]:
    """(start, end) index ranges of consecutive input positions in a batch."""
    runs, start = [], 0
    for i in range(1, len(seqs) + 1):
        if i == len(seqs) or seqs[i] != seqs[i - 1] + 1:
            runs.append((start, i))
            start = i
    return runs


class PipelineActor:
    """A Ray Data callable class: builds the pipeline and opens the ledger once,
    then parses batches and stores them in input order.

    A batch holds pickled Articles in `article` and their input positions in
    `seq`; the result holds what `store_documents` counted (see COUNTS).
    """

    def __init__(self, settings: Settings, url: str, turns: Any) -> None:
        self.settings = settings
        self.pipeline = Pipeline.from_settings(settings)
        self.ledger = Ledger(url)
        self.turns = turns

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import ray

        docs = [Document(pickle.loads(blob)) for blob in batch["article"]]
        seqs = [int(s) for s in batch["seq"]]
        parsed = list(self.pipeline.pipe(docs, batch_size=self.settings.doc_batch_size))
        report = IngestReport()
        for start, end in _runs(seqs):
            ray.get(self.turns.wait.remote(seqs[start]))
            # A failure stops here without passing the turn on: the run
            # fails, as the local engine's would, and nothing after it is
            # stored out of order.
            store_documents(parsed[start:end], self.ledger, self.settings, report)
            ray.get(self.turns.done.remote(seqs[end - 1]))
        return {name: [getattr(report, name)] for name in COUNTS}


def _run(
    docs: list[Document],
    url: str,
    settings: Settings,
    workers: int,
    report: IngestReport,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Parse and store one chunk on the actors; add their counts to `report`."""
    import ray
    import ray.data

    context = ray.data.DataContext.get_current()
    # Batches are handed out in input order, so that none waits for its turn
    # behind a later one queued on the same actor.
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    turns = ray.remote(Turns).options(num_cpus=0).remote()
    items = [
        {"seq": i, "article": pickle.dumps(doc.article, protocol=pickle.HIGHEST_PROTOCOL)}
        for i, doc in enumerate(docs)
    ]
    # One block is one actor call: at most BATCH_ARTICLES, and at least two
    # per worker, so that every actor has work even on a small input.
    batch_size = max(1, min(BATCH_ARTICLES, -(-len(items) // (2 * workers))))
    dataset = ray.data.from_items(items, override_num_blocks=-(-len(items) // batch_size))
    results = dataset.map_batches(
        PipelineActor,
        fn_constructor_kwargs={"settings": settings, "url": url, "turns": turns},
        batch_size=None,
        batch_format="numpy",
        # One call at a time per actor: a second block queued behind the
        # first could only store after it, while another actor sat idle.
        compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1),
        num_cpus=1,
    )
    try:
        for batch in results.iter_batches(batch_size=None, batch_format="numpy"):
            for name in COUNTS:
                setattr(report, name, getattr(report, name) + int(sum(batch[name])))
            if progress is not None:
                progress(report.stored, report.words)
    finally:
        ray.kill(turns)


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
    must have eventledger and its spaCy model installed, and reach the
    ledger (PostgreSQL, or a SQLite file on a path they all share).
    """
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    url = ledger.url
    if url in ("sqlite://", "sqlite:///:memory:"):
        raise ConfigError(
            "the ray engine needs a ledger its workers can open: a file or PostgreSQL"
        )
    report = IngestReport()
    started = time.perf_counter()
    planned = planned_documents(raws, ledger, settings, report, outlet=outlet, published=published)
    with ray_session(address, num_cpus=workers):
        while chunk := list(islice(planned, chunk_articles)):
            _run(chunk, url, settings, workers, report, progress)
    report.seconds = time.perf_counter() - started
    return report
