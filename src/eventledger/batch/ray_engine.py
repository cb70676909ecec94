"""The Ray engine: the same ingest as `batch.local`, with the pipeline run by
Ray Data actors, one per worker, each loading the spaCy model once and
writing its own documents through the storage layer.

The driver reads and plans the inputs exactly as the local engine does
(`planned_documents`) and ships the articles to the actors in blocks of
consecutive articles. An actor parses a block, then hands it to its writer
thread and takes the next block: the writer stores it (`store_documents`:
one transaction per document, incidents linked) when its turn comes. A small
`Turns` actor lets blocks store in input order. So the parse runs on every
worker at once and never waits on another worker's writes, while the
writes, which decide ids, stories and incidents, happen in the local
engine's order: both engines write the same ledger. Each actor opens the
ledger itself: a SQLite file on this machine, or PostgreSQL for a cluster.

This is the only module that imports ray (the optional extra `ray`).
"""

from __future__ import annotations

import asyncio
import os
import pickle
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

from eventledger.batch.local import IngestReport, planned_documents, store_documents
from eventledger.config import Settings
from eventledger.errors import ConfigError, InputError, StorageError
from eventledger.pipeline import Document, Pipeline
from eventledger.stages.ingest import RawArticle, read_paths
from eventledger.storage import Ledger

__all__ = ["PipelineActor", "Turns", "block_sizes", "ingest_ray", "ingest_ray_raw", "ray_session"]

# Articles handed to one Ray Data run. A run starts its actors (and so loads
# the model) once; chunks bound the driver's memory on archives of millions.
CHUNK_ARTICLES = 20_000
# Articles per actor call, at most and at least (but for the input's end).
# Between two calls an actor waits for Ray Data to hand it the next block
# (about 0.15 s measured here), so calls should be seconds long; but the last
# block keeps one worker busy while the others have nothing left, so blocks
# shrink towards the end of the input.
BATCH_ARTICLES = 64
MIN_BLOCK_ARTICLES = 4
# What each stored block reports back, summed by the Turns actor.
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


def block_sizes(articles: int, workers: int) -> list[int]:
    """Sizes of consecutive blocks covering `articles`: BATCH_ARTICLES while
    plenty is left, then half of each worker's share of what is left, down to
    MIN_BLOCK_ARTICLES, so that the workers finish together (guided
    self-scheduling, Polychronopoulos and Kuck 1987)."""
    sizes, left = [], articles
    while left > 0:
        size = max(MIN_BLOCK_ARTICLES, min(BATCH_ARTICLES, -(-left // (2 * workers))))
        sizes.append(min(size, left))
        left -= sizes[-1]
    return sizes


class Turns:
    """Whose turn it is to store: the input position of the next article to
    store, the counts of what is stored, and the first failure.

    A Ray actor (async: waiting callers do not block each other). `wait(seq)`
    returns once every article before `seq` is stored, or the failure that
    stopped the run; `done(seq, counts)` says that article `seq` and those
    before it are stored.
    """

    def __init__(self) -> None:
        self.next = 0
        self.totals = dict.fromkeys(COUNTS, 0)
        self.failure: str | None = None
        self.changed = asyncio.Condition()

    async def wait(self, seq: int) -> str | None:
        async with self.changed:
            await self.changed.wait_for(lambda: self.next >= seq or self.failure is not None)
            return self.failure

    async def done(self, seq: int, counts: dict[str, int]) -> None:
        async with self.changed:
            self.next = max(self.next, seq + 1)
            for name in COUNTS:
                self.totals[name] += counts.get(name, 0)
            self.changed.notify_all()

    async def fail(self, message: str) -> None:
        async with self.changed:
            if self.failure is None:
                self.failure = message
            self.changed.notify_all()

    async def state(self) -> tuple[dict[str, int], str | None]:
        return dict(self.totals), self.failure


class PipelineActor:
    """A Ray Data callable class: builds the pipeline and opens the ledger once,
    then parses blocks and has its writer thread store them in input order.

    A batch row holds one block: the input position of its `first` article,
    the pickled list of its `articles`, and whether it is the `last` block of
    the run. The call for the last block returns only once everything is
    stored; counts go to the Turns actor.
    """

    def __init__(self, settings: Settings, url: str, turns: Any) -> None:
        self.settings = settings
        self.pipeline = Pipeline.from_settings(settings)
        self.ledger = Ledger(url)
        self.turns = turns
        # One writer thread: while it waits for its turn or stores, the
        # actor parses the next block. Parsing and storing share the GIL,
        # so the thread buys no CPU; it buys not idling.
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger-writer")
        self.pending: Future[None] | None = None

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        for first, blob, last in zip(batch["first"], batch["articles"], batch["last"], strict=True):
            docs = [Document(article) for article in pickle.loads(blob)]
            parsed = list(self.pipeline.pipe(docs, batch_size=self.settings.doc_batch_size))
            # At most one block waits to be stored: it bounds memory, and a
            # store error surfaces in the next call.
            self._settle()
            self.pending = self.writer.submit(self._store, int(first), parsed)
            if last:
                self._settle()
        return {"blocks": [len(batch["first"])]}

    def _settle(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def _store(self, first: int, parsed: list[Document]) -> None:
        import ray

        failure = ray.get(self.turns.wait.remote(first))
        if failure is not None:
            raise StorageError(f"articles from input position {first} not stored: {failure}")
        report = IngestReport()
        try:
            store_documents(parsed, self.ledger, self.settings, report)
        except BaseException as exc:
            # The turn is never passed on: nothing after this block is stored
            # out of order, and every waiting writer hears why.
            ray.get(self.turns.fail.remote(f"{type(exc).__name__}: {exc}"))
            raise
        counts = {name: getattr(report, name) for name in COUNTS}
        ray.get(self.turns.done.remote(first + len(parsed) - 1, counts))


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
    # Blocks are handed out in input order, so that the earliest block not
    # yet stored is always on some actor (no writer waits on a block that
    # no actor holds).
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    turns = ray.remote(Turns).options(num_cpus=0).remote()
    rows, first = [], 0
    sizes = block_sizes(len(docs), workers)
    for n, size in enumerate(sizes):
        articles = [doc.article for doc in docs[first : first + size]]
        blob = pickle.dumps(articles, protocol=pickle.HIGHEST_PROTOCOL)
        rows.append({"first": first, "articles": blob, "last": n == len(sizes) - 1})
        first += size
    # One row per block, one block per actor call.
    dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
    results = dataset.map_batches(
        PipelineActor,
        fn_constructor_kwargs={"settings": settings, "url": url, "turns": turns},
        batch_size=None,
        batch_format="numpy",
        # One call at a time per actor: a second block queued behind the
        # first would wait while another actor sat idle.
        compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1),
        num_cpus=1,
    )
    totals: dict[str, int] = {}
    try:
        for _ in results.iter_batches(batch_size=None, batch_format="numpy"):
            if progress is not None:
                totals, _failure = ray.get(turns.state.remote())
                progress(report.stored + totals["stored"], report.words + totals["words"])
        totals, _failure = ray.get(turns.state.remote())
    except Exception as exc:
        _totals, failure = ray.get(turns.state.remote())
        if failure is not None:
            raise StorageError(f"a Ray worker could not store its articles: {failure}") from exc
        raise
    finally:
        ray.kill(turns)
    for name in COUNTS:
        setattr(report, name, getattr(report, name) + totals[name])


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
