"""Build the configured pipeline and run documents through it in batches.

A stage that raises on one document records a Failure against that document;
the other documents of the batch, and the later stages, go on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
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

    def _run_batch(self, batch: list[Document]) -> list[Document]:
        for stage in self.stages:
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
