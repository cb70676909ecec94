"""Build the configured pipeline and run documents through it in batches.

A stage that raises on one document records a Failure against that document;
the other documents of the batch, and the later stages, go on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING

from eventledger.pipeline.document import Document, Failure
from eventledger.pipeline.registry import Stage, build_stage

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["Pipeline"]

log = logging.getLogger(__name__)


class Pipeline:
    """The configured stages, built once per process (models load once)."""

    def __init__(self, stages: list[Stage]) -> None:
        self.stages = stages

    @classmethod
    def from_settings(cls, settings: Settings) -> Pipeline:
        return cls([build_stage(name, settings) for name in settings.pipeline])

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document], batch_size: int = 16) -> Iterator[Document]:
        it = iter(docs)
        while batch := list(islice(it, batch_size)):
            yield from self._run_batch(batch)

    def pipe_ahead(self, docs: Iterable[Document], batch_size: int = 16) -> Iterator[Document]:
        """Like `pipe` (same documents, same order, same failures recorded), but
        the work overlaps: the first stage (the parse) runs on one batch in a
        worker thread while a second worker runs the other stages on the batch
        before it, and the caller consumes (stores) the batch before that.

        spaCy's parse and matrix products, and SQLite's writes, run outside the
        GIL, so on a machine with a free core the rule stages and storage cost
        little wall time. `docs` is drawn in the caller's thread (a planner
        that reads the ledger keeps its connection there); each stage runs in
        one thread, one batch at a time, as in `pipe`.
        """
        it = iter(docs)
        batches = iter(lambda: list(islice(it, batch_size)), [])
        first, rest = self.stages[:1], self.stages[1:]
        parsed = _ahead(batches, lambda batch: self._run_batch(batch, first), "parse")
        done = _ahead(parsed, lambda batch: self._run_batch(batch, rest), "stages")
        try:
            for batch in done:
                yield from batch
        finally:
            # Stop the workers now, not when the generators are collected.
            done.close()
            parsed.close()

    def _run_batch(
        self, batch: list[Document], stages: list[Stage] | None = None
    ) -> list[Document]:
        for stage in self.stages if stages is None else stages:
            pipe = getattr(stage, "pipe", None)
            if pipe is not None:
                try:
                    batch = list(pipe(batch))
                    continue
                except Exception:  # noqa: BLE001 - fall back to one by one to find the culprit
                    log.debug("batch failed in %s; retrying one by one", stage.name)
            batch = [self._run_one(stage, doc) for doc in batch]
        return batch

    @staticmethod
    def _run_one(stage: Stage, doc: Document) -> Document:
        try:
            return stage(doc)
        except Exception as exc:  # noqa: BLE001 - recorded against the document, never swallowed
            doc.failures.append(Failure(stage.name, f"{type(exc).__name__}: {exc}"))
            return doc


def _ahead(
    batches: Iterator[list[Document]],
    run: Callable[[list[Document]], list[Document]],
    name: str,
) -> Iterator[list[Document]]:
    """`run` on each batch in a worker thread, a batch ahead of the consumer.

    Batches are drawn in the consumer's thread. When the consumer stops early
    (an error, Ctrl-C), the batches not started are dropped and the one
    running is waited for: no stage is left running on its own.
    """
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"pipeline-{name}")
    try:
        running: Future[list[Document]] | None = None
        for batch in batches:
            ahead = worker.submit(run, batch)
            if running is not None:
                yield running.result()
            running = ahead
        if running is not None:
            yield running.result()
    finally:
        worker.shutdown(wait=True, cancel_futures=True)
