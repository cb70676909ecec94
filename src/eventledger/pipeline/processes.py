"""Run the pipeline in worker processes, so that the stages' Python work
overlaps the caller's (storage and incident linking) instead of taking turns
with it under the GIL.

Each worker process builds the configured stages once, then runs chunks of
consecutive articles through them and sends back what storage needs (the
article and its records; the spaCy objects stay in the worker). Results come
back in input order, a bounded number of chunks ahead of the caller.

An article that a worker cannot run (the process dies on it, or its records
cannot be sent back) comes out as `Unprocessed` with the reason, and the
others go on: the chunk it was in is run again one article at a time to find
it. A crash restarts the workers, a few times per run at most.
"""

from __future__ import annotations

import importlib
import multiprocessing
import pickle
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from eventledger.errors import ConfigError, RegistryError, StageError
from eventledger.models import Article
from eventledger.pipeline.document import Document
from eventledger.pipeline.engine import Pipeline
from eventledger.pipeline.registry import stage_modules

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["ProcessPipeline", "Unprocessed"]

# Articles per task. Small chunks keep the caller busy early (its first
# chunk to store comes back sooner) and the workers finishing together at the
# end; spaCy batches the chunk's paragraphs (8 articles are some 60-100),
# which is where its batching stops paying.
CHUNK_ARTICLES = 8
# Chunks sent ahead per worker, beyond those the caller's storage batch needs:
# one running and one waiting keeps a worker busy while the caller stores,
# and bounds what is held in memory.
AHEAD_PER_WORKER = 2
# Worker crashes a run survives (each costs a restart: the models load again).
MAX_RESTARTS = 5
# How often the caller looks whether a worker that is still loading died.
POLL_SECONDS = 0.2


@dataclass(slots=True)
class Unprocessed:
    """An article the workers could not run, and why: the caller rejects it."""

    article: Article
    reason: str


class _WorkerFailure(Exception):
    """What went wrong in a worker's task, as text (the caller's reason to reject)."""


class _Worker:
    """This worker process's pipeline: built once by `_start`, used by `_run`.

    Class attributes, set only in a worker process (each has its own copy):
    a process pool's initializer can hand state to its tasks no other way.
    """

    pipeline: Pipeline | None = None
    error: BaseException | None = None


def _start(settings: Settings, modules: list[str], loaded: Any) -> None:
    # Ctrl-C reaches every process of the terminal's group: only the caller
    # handles it (it stops sending work and rolls its open batch back).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        # Stages registered outside the package (a plugin, a test) register
        # when their module is imported; a spawned process imported none yet.
        for module in modules:
            importlib.import_module(module)
        _Worker.pipeline = Pipeline.from_settings(settings)
    except (ConfigError, RegistryError) as exc:  # told to the caller by the first task
        _Worker.error = exc
    except Exception as exc:  # noqa: BLE001 - as text: the caller may not rebuild its class
        _Worker.error = _WorkerFailure(f"{type(exc).__name__}: {exc}")
    finally:
        loaded.release()


def _ready() -> None:
    if _Worker.error is not None:
        raise _Worker.error


def _run(articles: list[Article]) -> bytes:
    """Run `articles` through the pipeline; the CPU seconds it took and their
    documents, without spaCy objects, pickled.

    Pickled here, so that a record that cannot be sent back fails this task
    with the reason rather than the worker's result queue.
    """
    _ready()
    assert _Worker.pipeline is not None  # set by _start, or _ready raised
    started = time.process_time()
    try:
        docs = _Worker.pipeline.pipe([Document(a) for a in articles], batch_size=len(articles))
        portable = [_portable(d) for d in docs]
        cpu = time.process_time() - started
        return pickle.dumps((cpu, portable), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - sent back as text: any exception must reach the caller
        # An exception whose class the caller cannot rebuild from its pickle
        # would break the pool as a crash does.
        raise _WorkerFailure(f"{type(exc).__name__}: {exc}") from None


def _portable(doc: Document) -> Document:
    """What storage and linking read of a document: its spaCy parse (paragraphs,
    sentences, entity index) is dropped, being large and bound to the worker's model."""
    return Document(
        article=doc.article,
        dates=doc.dates,
        places=doc.places,
        claims=doc.claims,
        figures=doc.figures,
        events=doc.events,
        failures=doc.failures,
        _counters=doc._counters,
    )


class ProcessPipeline:
    """The configured pipeline run by `workers` processes (spawned, each loading
    the models once). Use it as a context manager; `pipe_ahead` as `Pipeline`'s."""

    def __init__(self, settings: Settings, workers: int) -> None:
        if workers < 1:
            raise ConfigError(f"worker processes: at least 1, got {workers}")
        self.settings = settings
        self.workers = workers
        self.restarts = 0
        # CPU seconds the workers spent running chunks (for profiles; start-up not included).
        self.cpu_seconds = 0.0
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ProcessPipeline:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the workers and return once each has loaded the pipeline; raise
        what stopped one loading (an unknown stage, a missing model)."""
        if self._pool is not None:
            return
        context = multiprocessing.get_context("spawn")
        loaded = context.Semaphore(0)
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_start,
            initargs=(self.settings, stage_modules(self.settings.pipeline), loaded),
        )
        try:
            # A spawning pool starts a process per task waiting, up to `workers`.
            probes = [self._pool.submit(_ready) for _ in range(self.workers)]
            started = 0
            while started < self.workers:
                if loaded.acquire(timeout=POLL_SECONDS):
                    started += 1
                elif any(p.done() and p.exception() is not None for p in probes):
                    break
            for probe in probes:
                probe.result()
        except _WorkerFailure as exc:
            self.close()
            raise ConfigError(
                f"the pipeline could not be loaded in a worker process: {exc}"
            ) from None
        except BrokenProcessPool as exc:
            self.close()
            raise ConfigError(
                "the pipeline's worker processes died while starting; run with --workers 0 "
                "(or the setting workers = 0) to load the pipeline in this process and see why"
            ) from exc
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop the workers. Tasks not started are dropped; a running one is
        waited for (a chunk: a second or so), so no process is left behind."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def pipe_ahead(
        self, docs: Iterable[Document], batch_size: int = 16
    ) -> Iterator[Document | Unprocessed]:
        """The documents run through the pipeline, in input order; an article the
        workers could not run as `Unprocessed`.

        `docs` is drawn in the caller's thread, as needed to keep the workers
        busy; `batch_size` is how many the caller takes at a time (its storage
        batch), so that many more are sent ahead while it stores them.
        """
        self.start()
        it = iter(docs)
        chunks = iter(lambda: [d.article for d in islice(it, CHUNK_ARTICLES)], [])
        limit = self.workers * AHEAD_PER_WORKER + -(-max(1, batch_size) // CHUNK_ARTICLES)
        pending: deque[tuple[list[Article], Future[bytes]]] = deque()
        try:
            for chunk in chunks:
                pending.append((chunk, self._submit(chunk)))
                while len(pending) >= limit:
                    yield from self._take(pending)
            while pending:
                yield from self._take(pending)
        finally:
            # The caller stopped early (an error, Ctrl-C): the work sent ahead
            # is dropped, not left to run for nobody.
            for _, future in pending:
                future.cancel()

    def _submit(self, articles: list[Article]) -> Future[bytes]:
        assert self._pool is not None, "start() first"
        return self._pool.submit(_run, articles)

    def _take(
        self, pending: deque[tuple[list[Article], Future[bytes]]]
    ) -> list[Document | Unprocessed]:
        """The oldest chunk's documents; when its task failed, its articles one by one."""
        chunk, future = pending.popleft()
        try:
            return self._receive(future)
        except BrokenProcessPool:
            # Every chunk in flight died with the pool. Find the article at
            # fault with nothing else running, so that a crash is its own,
            # then send the others again.
            self._restart(chunk[0])
            found = self._one_by_one(chunk)
            for k, (articles, _) in enumerate(pending):
                pending[k] = (articles, self._submit(articles))
            return found
        except Exception:  # noqa: BLE001 - each article is tried alone next, and the reason kept
            return self._one_by_one(chunk)

    def _receive(self, future: Future[bytes]) -> list[Document | Unprocessed]:
        cpu, docs = pickle.loads(future.result())
        self.cpu_seconds += cpu
        return docs

    def _one_by_one(self, chunk: list[Article]) -> list[Document | Unprocessed]:
        out: list[Document | Unprocessed] = []
        for article in chunk:
            try:
                out.extend(self._receive(self._submit([article])))
            except BrokenProcessPool:
                self._restart(article)
                out.append(Unprocessed(article, "the pipeline's worker process died on it"))
            except _WorkerFailure as exc:
                out.append(Unprocessed(article, str(exc)))
            except Exception as exc:  # noqa: BLE001 - the reason is the rejection's message
                out.append(Unprocessed(article, f"{type(exc).__name__}: {exc}"))
        return out

    def _restart(self, article: Article) -> None:
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            raise StageError(
                "workers",
                article.id,
                f"the pipeline's worker processes died {self.restarts} times; the articles "
                "stored so far are kept. Run again with --workers 0 to see the failure.",
            )
        self.close()
        self.start()
