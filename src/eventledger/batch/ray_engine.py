"""The Ray engine: the same ingest as `batch.local`, with the pipeline run by
Ray Data actors, one per worker, each loading the spaCy model once and
writing its own documents through the storage layer.

The driver reads and plans the inputs exactly as the local engine does
(`planned_documents`) and ships the articles to the actors in blocks of
consecutive articles. An actor parses its block in small batches; a small
`Turns` actor says when every earlier block is stored, and from then on the
actor stores each batch (`store_documents`: one transaction per document,
incidents linked) as soon as it is parsed. So the parse runs on every
worker at once, while the writes, which decide ids, stories and incidents,
happen in the local engine's order: both engines write the same ledger.
Each actor opens the ledger itself: a SQLite file on this machine, or
PostgreSQL for a cluster.

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
# (0.15 to 0.2 s measured with 2 workers on 2 cores), so calls should be
# seconds long; but the last block keeps one worker busy while the others
# have nothing left, so blocks shrink towards the end of the input.
BATCH_ARTICLES = 128
MIN_BLOCK_ARTICLES = 8
# Articles per parse batch inside a block: after each, an actor whose turn
# has come stores what it parsed. Smaller means less left to store when the
# block's parse ends; spaCy's own batching gains little beyond this size.
PARSE_ARTICLES = 8
# What each call reports back, summed by the driver.
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
    """Sizes of consecutive blocks covering `articles`.

    Full blocks (BATCH_ARTICLES) while plenty is left, then half of each
    worker's share of what is left, down to MIN_BLOCK_ARTICLES, so that the
    workers finish together (guided self-scheduling, Polychronopoulos and
    Kuck 1987). The first block of the i-th worker is (i + 1) / workers of a
    full one: the workers then finish their blocks at evenly spread times,
    and a block's turn to store comes while it is still being parsed. Were
    they all to start together, each would finish parsing just as the block
    before its own was stored, and wait to store all of its own.
    """
    sizes, left = [], articles
    while left > 0:
        size = min(BATCH_ARTICLES, -(-left // (2 * workers)))
        if len(sizes) < workers:
            size = -(-size * (len(sizes) + 1) // workers)
        sizes.append(min(left, max(MIN_BLOCK_ARTICLES, size)))
        left -= sizes[-1]
    return sizes


class Turns:
    """Whose turn it is to store: the input position of the next article to
    store, and the first failure.

    A Ray actor (async: waiting callers do not block each other). `wait(seq)`
    returns once every article before `seq` is stored, or the failure that
    stopped the run; `done(seq)` says that article `seq` and those before it
    are stored.
    """

    def __init__(self) -> None:
        self.next = 0
        self.failure: str | None = None
        self.changed = asyncio.Condition()

    async def wait(self, seq: int) -> str | None:
        async with self.changed:
            await self.changed.wait_for(lambda: self.next >= seq or self.failure is not None)
            return self.failure

    async def ready(self, seq: int) -> bool:
        """Whether every article before `seq` is stored (without waiting)."""
        return self.next >= seq and self.failure is None

    async def done(self, seq: int) -> None:
        async with self.changed:
            self.next = max(self.next, seq + 1)
            self.changed.notify_all()

    async def fail(self, message: str) -> None:
        async with self.changed:
            if self.failure is None:
                self.failure = message
            self.changed.notify_all()

    async def failed(self) -> str | None:
        return self.failure


class PipelineActor:
    """A Ray Data callable class: builds the pipeline and opens the ledger once,
    then parses blocks and stores them in input order.

    A batch row holds one block: the input position of its `first` article
    and the pickled list of its `articles`. Once every earlier block is
    stored (the Turns actor says so), the actor stores each parsed slice of
    its block as soon as it is parsed; until then it only parses. So by the
    time a block is parsed, most of it is usually stored, and the next block
    seldom waits. A call returns only when its whole block is stored: an
    actor that Ray Data releases holds nothing unstored.
    """

    def __init__(self, settings: Settings, url: str, turns: Any) -> None:
        self.settings = settings
        self.pipeline = Pipeline.from_settings(settings)
        self.ledger = Ledger(url)
        self.turns = turns

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        report = IngestReport()
        for first, blob in zip(batch["first"], batch["articles"], strict=True):
            docs = [Document(article) for article in pickle.loads(blob)]
            self._block(int(first), docs, report)
        return {name: [getattr(report, name)] for name in COUNTS}

    def _block(self, first: int, docs: list[Document], report: IngestReport) -> None:
        import ray

        ready: list[Document] = []
        my_turn = False
        for start in range(0, len(docs), PARSE_ARTICLES):
            part = docs[start : start + PARSE_ARTICLES]
            ready.extend(self.pipeline.pipe(part, batch_size=PARSE_ARTICLES))
            # Store what is parsed now if every earlier block is stored.
            if not my_turn:
                my_turn = ray.get(self.turns.ready.remote(first))
            if my_turn:
                self._store(ready, report)
                ready = []
        if not my_turn:
            failure = ray.get(self.turns.wait.remote(first))
            if failure is not None:
                raise StorageError(f"articles from input position {first} not stored: {failure}")
            self._store(ready, report)
        ray.get(self.turns.done.remote(first + len(docs) - 1))

    def _store(self, docs: list[Document], report: IngestReport) -> None:
        import ray

        try:
            store_documents(docs, self.ledger, self.settings, report)
        except BaseException as exc:
            # The turn is never passed on: nothing after this block is stored
            # out of order, and every waiting actor hears why.
            ray.get(self.turns.fail.remote(f"{type(exc).__name__}: {exc}"))
            raise


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
    # yet stored is always on some actor (none waits for a block that no
    # actor holds).
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    turns = ray.remote(Turns).options(num_cpus=0).remote()
    rows, first = [], 0
    sizes = block_sizes(len(docs), workers)
    for size in sizes:
        articles = [doc.article for doc in docs[first : first + size]]
        blob = pickle.dumps(articles, protocol=pickle.HIGHEST_PROTOCOL)
        rows.append({"first": first, "articles": blob})
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
    try:
        for batch in results.iter_batches(batch_size=None, batch_format="numpy"):
            for name in COUNTS:
                setattr(report, name, getattr(report, name) + int(sum(batch[name])))
            if progress is not None:
                progress(report.stored, report.words)
    except Exception as exc:
        failure = ray.get(turns.failed.remote())
        if failure is not None:
            raise StorageError(f"a Ray worker could not store its articles: {failure}") from exc
        raise
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
