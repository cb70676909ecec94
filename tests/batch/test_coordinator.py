"""The coordinator of a Ray run: hand-out and turns, run on one event loop
without Ray."""

from __future__ import annotations

import asyncio

import pytest

from eventledger.batch.coordinator import Coordinator


def _coordinator_run(scenario):
    """Run `scenario(coordinator)` on one event loop: the Coordinator actor's
    logic without Ray."""

    async def main():
        return await scenario(Coordinator(workers=2, block_batches=4))

    return asyncio.run(main())


async def _fill(coordinator, articles: int, batch: int = 8, close: bool = True) -> None:
    # Added out of order, as an async actor may run them.
    for first in reversed(range(0, articles, batch)):
        count = min(batch, articles - first)
        await coordinator.add(first, f"{first}".encode(), count)
    if close:
        await coordinator.close(articles)


@pytest.mark.parametrize("articles", [1, 8, 100, 2002])
def test_claims_hand_out_the_input_once_in_order_in_blocks_that_shrink_at_its_end(articles):
    async def scenario(coordinator):
        await _fill(coordinator, articles)
        blocks = []
        while block := (await coordinator.claim(len(blocks) % 2, "a"))[1]:
            blocks.append([int(blob) for _, blob in block])
        return blocks

    blocks = _coordinator_run(scenario)
    firsts = [first for block in blocks for first in block]
    assert firsts == list(range(0, articles, 8))
    sizes = [len(block) for block in blocks]
    assert max(sizes) <= 4
    # Once the input is closed, blocks only shrink, down to one batch.
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-1] == 1


def test_a_claim_waits_for_input_and_ends_when_the_input_is_closed():
    async def scenario(coordinator):
        claim = asyncio.ensure_future(coordinator.claim(0, "a"))
        await asyncio.sleep(0.01)
        assert not claim.done()
        await _fill(coordinator, 16, close=False)
        first = await claim
        end = asyncio.ensure_future(coordinator.claim(0, "a"))
        await asyncio.sleep(0.01)
        assert not end.done()
        await coordinator.close(16)
        return [first, await end]

    first, end = _coordinator_run(scenario)
    assert [f for f, _ in first[1]] == [0, 8]
    assert end == (None, [])


def test_turns_let_each_batch_store_only_after_those_before_it():
    async def scenario(coordinator):
        order = []

        async def store(first: int, last: int) -> None:
            assert await coordinator.wait(first) is None
            order.append(f"{first}-{last}")
            await asyncio.sleep(0)
            await coordinator.done(last, stored=last - first + 1)

        # Later batches are parsed first; they must still store in input order.
        assert [await coordinator.ready(0), await coordinator.ready(64)] == [True, False]
        await asyncio.gather(store(64, 127), store(128, 130), store(0, 63))
        assert await coordinator.ready(131) and await coordinator.failed() is None
        assert await coordinator.progress() == (131, 0)
        return order

    assert _coordinator_run(scenario) == ["0-63", "64-127", "128-130"]


def test_a_retried_worker_gets_back_what_its_dead_attempt_left_unstored():
    async def scenario(coordinator):
        await _fill(coordinator, 96, close=False)
        _, lost = await coordinator.claim(0, "first attempt")
        _, other = await coordinator.claim(1, "b")
        # The first attempt stored its first batch, then its actor died.
        await coordinator.done(7)
        _, again = await coordinator.claim(0, "second attempt")
        _, after = await coordinator.claim(0, "second attempt")
        return lost, other, again, after

    lost, other, again, after = _coordinator_run(scenario)
    assert [f for f, _ in lost] == [0, 8, 16, 24]
    assert [f for f, _ in again] == [8, 16, 24]
    # Then new work: nothing handed out twice to live workers.
    assert {f for f, _ in after}.isdisjoint({f for f, _ in lost + other})


def test_a_failure_reaches_every_waiting_caller_and_stops_the_hand_out():
    async def scenario(coordinator):
        later = [asyncio.ensure_future(coordinator.wait(seq)) for seq in (10, 20)]
        room = asyncio.ensure_future(coordinator.room(0))
        await _fill(coordinator, 32)
        await asyncio.sleep(0)
        await coordinator.fail("StorageError: disk full")
        await coordinator.fail("StorageError: a later failure")
        assert not await coordinator.ready(0)
        claim = await coordinator.claim(0, "a")
        return [*await asyncio.gather(*later, room), claim, await coordinator.failed()]

    *waits, claim, failed = _coordinator_run(scenario)
    assert waits == ["StorageError: disk full"] * 3
    assert claim == ("StorageError: disk full", [])
    assert failed == "StorageError: disk full"
