"""The Ray engine: the same ingest as `batch.local`, with the pipeline run by
Ray Data actors, one per worker, each loading the spaCy model once and
writing its own documents through the storage layer.

The driver reads and plans the inputs exactly as the local engine does
(`planned_documents`) and hands them, in batches of consecutive articles, to
a small `Coordinator` actor while the pipeline actors start. Each pipeline
actor takes a block of consecutive batches from the coordinator, parses it
batch by batch, and takes the next block, without waiting for Ray Data to
hand it work. It stores a parsed batch (`store_documents`: one transaction
per document, incidents linked) once the coordinator says every article
before it is stored; until then the batch waits in the actor while the
actor parses on. So the parse runs on every worker at once, while the
writes, which decide ids, stories and incidents, happen in the local
engine's order: both engines write the same ledger. Each actor opens the
ledger itself: a SQLite file on this machine, or PostgreSQL for a cluster.

This is the only module that imports ray (the optional extra `ray`).
"""

from __future__ import annotations

import asyncio
import os
import pickle
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from eventledger.batch.local import IngestReport, planned_documents, store_documents
from eventledger.config import Settings
from eventledger.errors import ConfigError, InputError, StorageError
from eventledger.pipeline import Document, Pipeline
from eventledger.stages.ingest import RawArticle, read_paths
from eventledger.storage import Ledger

__all__ = ["Coordinator", "PipelineActor", "ingest_ray", "ingest_ray_raw", "ray_session"]

# Articles per batch: the driver hands articles over, and an actor parses
# and stores them, this many at a time. An actor looks whether its turn to
# store has come after each batch, so smaller batches pass the turn on
# sooner; spaCy's own batching gains little beyond this size.
BATCH_ARTICLES = 8
# Batches an actor takes at a time, at most. Consecutive batches on one
# actor store one after the other without passing the turn between actors.
# Towards the end of the input blocks shrink, so that the workers finish
# together (guided self-scheduling, Polychronopoulos and Kuck 1987).
BLOCK_BATCHES = 8
# Articles planned but not yet taken by an actor: this bounds the memory of
# the driver and the coordinator on archives of millions.
QUEUED_ARTICLES = 20_000
# Articles an actor holds parsed but not yet stored before it stops parsing
# and waits for its turn: this bounds the actor's memory.
PENDING_ARTICLES = 512
# What each call reports back, summed by the driver.
COUNTS = ("stored", "unchanged", "failed_stages", "words")
# How often the driver reports progress while the actors work, in seconds.
PROGRESS_SECONDS = 0.5


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


class Coordinator:
    """The planned articles not yet parsed, and whose turn it is to store.

    An async Ray actor, so that callers waiting on it do not block each
    other. The driver `add`s batches of consecutive articles, each under the
    input position of its first article, then `close`s the input with its
    length. Actors `claim` blocks of consecutive batches in input order.
    `ready(seq)` and `wait(seq)` say whether every article before `seq` is
    stored; `done(seq, ...)` says that article `seq` and those before it are.
    After `fail(message)` every waiting caller is told, and nothing more is
    handed out.

    A worker's Ray Data call may be retried after its actor died: a claim
    under a new attempt first gets back the batches that the worker's
    earlier attempt took and did not store.
    """

    def __init__(self, workers: int, block_batches: int = BLOCK_BATCHES) -> None:
        self.workers = workers
        self.block_batches = block_batches
        self.batches: dict[int, tuple[bytes, int]] = {}  # first -> (articles, how many)
        self.cursor = 0  # input position of the next batch to hand out
        self.queued = 0  # articles added and not yet handed out
        self.length: int | None = None  # the input's length, once closed
        self.next = 0  # input position of the next article to store
        self.failure: str | None = None
        self.held: dict[int, tuple[str, list[tuple[int, bytes, int]]]] = {}
        self.stored = 0
        self.words = 0
        self.changed = asyncio.Condition()

    async def add(self, first: int, articles: bytes, count: int) -> None:
        async with self.changed:
            # Calls to an async actor may run out of order: batches are kept
            # by position and handed out from the cursor only.
            self.batches[first] = (articles, count)
            self.queued += count
            self.changed.notify_all()

    async def close(self, length: int) -> None:
        async with self.changed:
            self.length = length
            self.changed.notify_all()

    async def room(self, limit: int) -> str | None:
        """Return once at most `limit` articles wait to be handed out, or the failure."""
        async with self.changed:
            await self.changed.wait_for(lambda: self.queued <= limit or self.failure is not None)
            return self.failure

    async def claim(self, worker: int, attempt: str) -> tuple[str | None, list[tuple[int, bytes]]]:
        """The failure, if any, and the next block of batches for `worker` as
        (first input position, pickled articles); no batches at the input's end."""
        async with self.changed:
            attempt_before, held = self.held.get(worker, (attempt, []))
            held = [batch for batch in held if batch[0] + batch[2] > self.next]
            if attempt_before != attempt and held:
                self.held[worker] = (attempt, held)
                return self.failure, [(first, blob) for first, blob, _ in held]
            await self.changed.wait_for(
                lambda: (
                    self.cursor in self.batches
                    or self.cursor == self.length
                    or self.failure is not None
                )
            )
            if self.failure is not None or self.cursor not in self.batches:
                return self.failure, []
            size = self.block_batches
            if self.length is not None:
                # The input is all planned: share what is left out in
                # shrinking blocks, so that no worker is left alone at the end.
                left = -(-(self.length - self.cursor) // BATCH_ARTICLES)
                size = max(1, min(size, -(-left // (2 * self.workers))))
            block = []
            while len(block) < size and self.cursor in self.batches:
                blob, count = self.batches.pop(self.cursor)
                block.append((self.cursor, blob, count))
                self.cursor += count
                self.queued -= count
            self.held[worker] = (attempt, held + block)
            self.changed.notify_all()
            return self.failure, [(first, blob) for first, blob, _ in block]

    async def ready(self, seq: int) -> bool:
        """Whether every article before `seq` is stored (without waiting)."""
        return self.next >= seq and self.failure is None

    async def wait(self, seq: int) -> str | None:
        """Return once every article before `seq` is stored, or the failure."""
        async with self.changed:
            await self.changed.wait_for(lambda: self.next >= seq or self.failure is not None)
            return self.failure

    async def done(self, seq: int, stored: int = 0, words: int = 0) -> None:
        async with self.changed:
            self.next = max(self.next, seq + 1)
            self.stored += stored
            self.words += words
            self.changed.notify_all()

    async def fail(self, message: str) -> None:
        async with self.changed:
            if self.failure is None:
                self.failure = message
            self.changed.notify_all()

    async def failed(self) -> str | None:
        return self.failure

    async def progress(self) -> tuple[int, int]:
        """Articles stored and their words, so far."""
        return self.stored, self.words


class PipelineActor:
    """A Ray Data callable class: builds the pipeline and opens the ledger
    once, then parses and stores the blocks it claims until the input ends.

    A batch row names one `worker`; its call returns only when the input is
    all handed out and everything the actor parsed is stored, so an actor
    that Ray Data releases holds nothing unstored.
    """

    def __init__(self, settings: Settings, url: str, coordinator: Any) -> None:
        self.settings = settings
        self.pipeline = Pipeline.from_settings(settings)
        self.ledger = Ledger(url)
        self.coordinator = coordinator

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        report = IngestReport()
        for worker in batch["worker"]:
            self._work(int(worker), report)
        return {name: [getattr(report, name)] for name in COUNTS}

    def _work(self, worker: int, report: IngestReport) -> None:
        import ray

        attempt = uuid.uuid4().hex
        # Parsed batches not yet stored, in input order: (first position, documents).
        pending: list[tuple[int, list[Document]]] = []
        while True:
            failure, block = ray.get(self.coordinator.claim.remote(worker, attempt))
            self._raise(failure)
            if not block:
                break
            for first, blob in block:
                docs = [Document(article) for article in pickle.loads(blob)]
                pending.append((first, list(self.pipeline.pipe(docs, batch_size=len(docs)))))
                self._store_ready(pending, report)
                while sum(len(docs) for _, docs in pending) > PENDING_ARTICLES:
                    self._store_ready(pending, report, wait=True)
        while pending:
            self._store_ready(pending, report, wait=True)

    def _store_ready(
        self, pending: list[tuple[int, list[Document]]], report: IngestReport, wait: bool = False
    ) -> None:
        """Store the leading pending batches whose turn has come; with `wait`,
        wait for the first one's turn."""
        import ray

        if wait:
            self._raise(ray.get(self.coordinator.wait.remote(pending[0][0])))
        elif not ray.get(self.coordinator.ready.remote(pending[0][0])):
            return
        # This actor's consecutive batches follow each other without asking.
        expected = pending[0][0]
        while pending and pending[0][0] == expected:
            first, docs = pending.pop(0)
            stored, words = report.stored, report.words
            self._store(docs, report)
            expected = first + len(docs)
            ray.get(
                self.coordinator.done.remote(
                    expected - 1, report.stored - stored, report.words - words
                )
            )

    def _store(self, docs: list[Document], report: IngestReport) -> None:
        import ray

        try:
            store_documents(docs, self.ledger, self.settings, report)
        except BaseException as exc:
            # The turn is never passed on: nothing after these documents is
            # stored out of order, and every waiting actor hears why.
            ray.get(self.coordinator.fail.remote(f"{type(exc).__name__}: {exc}"))
            raise

    @staticmethod
    def _raise(failure: str | None) -> None:
        if failure is not None:
            raise StorageError(f"the run stopped before these articles were stored: {failure}")


def _batches(docs: Iterator[Document]) -> Iterator[tuple[int, list[Any]]]:
    """Consecutive batches of articles with the input position of each first one."""
    first, batch = 0, []
    for doc in docs:
        batch.append(doc.article)
        if len(batch) == BATCH_ARTICLES:
            yield first, batch
            first, batch = first + len(batch), []
    if batch:
        yield first, batch


def _run(
    docs: Iterator[Document],
    url: str,
    settings: Settings,
    workers: int,
    report: IngestReport,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Parse and store `docs` on the actors while the driver goes on planning
    them; add the actors' counts to `report`."""
    import ray
    import ray.data

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    coordinator = ray.remote(Coordinator).options(num_cpus=0).remote(workers)
    # One row per worker: each call takes work from the coordinator until
    # the input ends.
    dataset = ray.data.from_items(
        [{"worker": worker} for worker in range(workers)], override_num_blocks=workers
    )
    results = dataset.map_batches(
        PipelineActor,
        fn_constructor_kwargs={"settings": settings, "url": url, "coordinator": coordinator},
        batch_size=None,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1),
        num_cpus=1,
    )
    counts = dict.fromkeys(COUNTS, 0)
    # What stopped the Ray Data run, and the coordinator's failure (a store
    # that failed) when it did.
    errors: list[tuple[BaseException, str | None]] = []

    def consume() -> None:
        # Ray Data starts the actors (each loading the model) and runs them
        # in this thread while the driver plans and hands out the input.
        try:
            for batch in results.iter_batches(batch_size=None, batch_format="numpy"):
                for name in COUNTS:
                    counts[name] += int(sum(batch[name]))
        except BaseException as exc:
            # An actor whose store failed told the coordinator before raising.
            errors.append((exc, ray.get(coordinator.failed.remote())))
            ray.get(coordinator.fail.remote(f"the Ray Data run failed: {type(exc).__name__}"))

    consumer = threading.Thread(target=consume, name="eventledger-ray", daemon=True)
    consumer.start()
    try:
        _feed(docs, coordinator)
        while True:
            consumer.join(PROGRESS_SECONDS)
            if progress is not None:
                progress(*ray.get(coordinator.progress.remote()))
            if not consumer.is_alive():
                break
    except BaseException as exc:
        ray.get(coordinator.fail.remote(f"the driver stopped: {type(exc).__name__}: {exc}"))
        raise
    finally:
        consumer.join()
        ray.kill(coordinator)
    if errors:
        error, failure = errors[0]
        if failure is not None:
            raise StorageError(f"a Ray worker could not store its articles: {failure}") from error
        raise error
    for name in COUNTS:
        setattr(report, name, getattr(report, name) + counts[name])


def _feed(docs: Iterator[Document], coordinator: Any) -> None:
    """Hand `docs` to the coordinator in batches, never more than
    QUEUED_ARTICLES ahead of the actors; then close the input."""
    import ray

    length = checked = 0
    try:
        for first, articles in _batches(docs):
            blob = pickle.dumps(articles, protocol=pickle.HIGHEST_PROTOCOL)
            coordinator.add.remote(first, blob, len(articles))
            length = first + len(articles)
            if length - checked >= QUEUED_ARTICLES // 2:
                checked = length
                if ray.get(coordinator.room.remote(QUEUED_ARTICLES)) is not None:
                    break  # the run failed; the caller hears why from Ray Data
    finally:
        ray.get(coordinator.close.remote(length))


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
    # Start Ray and its actors only when there is something to parse.
    first = next(planned, None)
    if first is not None:
        with ray_session(address, num_cpus=workers):
            _run(chain([first], planned), url, settings, workers, report, progress)
    report.seconds = time.perf_counter() - started
    return report
