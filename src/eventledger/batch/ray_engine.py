"""The Ray engine: the same ingest as `batch.local`, with the pipeline run by
Ray Data actors, one per worker, each loading the spaCy model once and
writing its own documents through the storage layer.

The driver reads and plans the inputs exactly as the local engine does
(`planned_documents`) and hands them, in batches of consecutive articles, to
a small `Coordinator` actor (`batch.coordinator`) while the pipeline actors
start. Each pipeline actor takes a block of consecutive batches from the
coordinator, parses it batch by batch, and takes the next block, without
waiting for Ray Data to hand it work. It stores a parsed batch
(`store_documents`: one transaction per document, incidents linked) once
the coordinator says every article before it is stored; until then the
batch waits in the actor while the actor parses on. So the parse runs on every worker at once, while the
writes, which decide ids, stories and incidents, happen in the local
engine's order: both engines write the same ledger. Each actor opens the
ledger itself: a SQLite file on this machine, or PostgreSQL for a cluster.

This is the only module that imports ray (the optional extra `ray`).
"""

from __future__ import annotations

import os
import pickle
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any

from eventledger.batch.coordinator import BATCH_ARTICLES, Coordinator
from eventledger.batch.local import (
    IngestReport,
    keep_decisions,
    planned_documents,
    store_documents,
)
from eventledger.config import Settings
from eventledger.errors import ConfigError, InputError, StorageError
from eventledger.pipeline import Document, Pipeline
from eventledger.stages.ingest import RawArticle, read_paths
from eventledger.storage import Ledger

__all__ = ["PipelineActor", "ingest_ray", "ingest_ray_raw", "ray_session"]

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
                while sum(len(parsed) for _, parsed in pending) > PENDING_ARTICLES:
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
    first = 0
    while batch := [doc.article for doc in islice(docs, BATCH_ARTICLES)]:
        yield first, batch
        first += len(batch)


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
    if report.revised:  # as the local engine does (issue 16)
        keep_decisions(ledger, settings, report)
    report.seconds = time.perf_counter() - started
    return report
