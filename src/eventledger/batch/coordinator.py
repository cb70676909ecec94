"""The coordinator of a Ray run: the planned articles not yet parsed, and
whose turn it is to store.

A module of its own, importing nothing heavy: the coordinator runs as a Ray
actor in a process of its own, which imports only what its class needs, and
it starts while the pipeline actors load their models.
"""

from __future__ import annotations

import asyncio

__all__ = ["BATCH_ARTICLES", "BLOCK_BATCHES", "Coordinator"]

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
