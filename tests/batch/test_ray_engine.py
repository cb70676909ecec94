"""The Ray engine writes the same ledger as the local engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventledger.cli.main import app
from eventledger.storage import Ledger

ray = pytest.importorskip(
    "ray", reason="the ray extra is not installed (pip install 'eventledger[ray]')"
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


@pytest.fixture(scope="module")
def ray_instance():
    """One local Ray for the module: starting it costs seconds."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def _without_times(data: dict) -> dict:
    data = dict(data)
    data["documents"] = [
        {k: v for k, v in d.items() if k != "ingested_at"} for d in data["documents"]
    ]
    return data


@pytest.mark.slow
@pytest.mark.parametrize("workers", [2])
def test_ray_ledger_equals_local_ledger(ray_instance, tmp_path, settings, example_export, workers):
    from eventledger.batch.ray_engine import ingest_ray

    with Ledger(str(tmp_path / "ray.db")) as ledger:
        report = ingest_ray([EXAMPLES], ledger, settings, workers=workers)
        data = ledger.export()
    assert report.stored == len(example_export["documents"]) > 0
    assert not report.rejected
    # Everything but the ingestion time stamps: ids, order, records, incidents.
    assert _without_times(data) == _without_times(example_export)


@pytest.mark.slow
def test_ray_run_again_stores_nothing(ray_instance, tmp_path, settings):
    from eventledger.batch.ray_engine import ingest_ray

    one = sorted(EXAMPLES.glob("*.txt"))[:2]
    with Ledger(str(tmp_path / "again.db")) as ledger:
        first = ingest_ray(one, ledger, settings, workers=1)
        second = ingest_ray(one, ledger, settings, workers=1)
    assert (first.stored, second.stored, second.unchanged) == (2, 0, 2)


@pytest.mark.slow
def test_cli_ingests_with_the_ray_engine_and_reports_progress(ray_instance, tmp_path, settings):
    from eventledger.batch.ray_engine import ingest_ray

    two = sorted(EXAMPLES.glob("*.txt"))[:2]
    result = CliRunner().invoke(
        app, ["ingest", *map(str, two), "--db", str(tmp_path / "cli.db"), "--engine", "ray"]
    )
    assert result.exit_code == 0, result.output
    with Ledger(str(tmp_path / "cli.db")) as ledger:
        assert len(ledger.export()["documents"]) == 2
    seen: list[tuple[int, int]] = []
    with Ledger(str(tmp_path / "progress.db")) as ledger:
        report = ingest_ray(two, ledger, settings, workers=2, progress=lambda *p: seen.append(p))
    assert seen == sorted(seen)
    assert seen[-1] == (report.stored, report.words) == (2, report.words)
    assert report.words > 0


@pytest.mark.parametrize(
    "args",
    [["--engine", "spark"], ["--address", "127.0.0.1:6379"], ["--workers", "2"]],
)
def test_cli_refuses_ray_options_without_the_ray_engine(tmp_path, args):
    result = CliRunner().invoke(
        app, ["ingest", str(EXAMPLES), "--db", str(tmp_path / "x.db"), *args]
    )
    assert result.exit_code == 2
    assert "--engine" in result.output


def _coordinator_run(scenario):
    """Run `scenario(coordinator)` on one event loop: the Coordinator actor's
    logic without Ray."""
    import asyncio

    from eventledger.batch.ray_engine import Coordinator

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
    import asyncio

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
    import asyncio

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
    import asyncio

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


class _BrokenLedger(Ledger):
    """A ledger whose writes fail (a full disk, a lost server)."""

    def linking(self):
        raise OSError("disk full")


@pytest.mark.slow
def test_a_store_failure_stops_the_run_and_later_articles_are_not_stored(
    ray_instance, tmp_path, settings
):
    import pickle

    from eventledger.batch.ray_engine import Coordinator, PipelineActor
    from eventledger.errors import StorageError
    from eventledger.stages.ingest import read_paths, to_article

    articles = [to_article(raw) for raw in read_paths(sorted(EXAMPLES.glob("*.txt"))[:2])]
    url = str(tmp_path / "broken.db")
    with Ledger(url):
        pass
    coordinator = ray.remote(Coordinator).remote(workers=2)
    for at, article in enumerate(articles):
        ray.get(coordinator.add.remote(at, pickle.dumps([article]), 1))
    ray.get(coordinator.close.remote(len(articles)))
    # Run in this process (not as Ray Data actors) so that the first
    # actor's ledger can be broken; the coordinator is a real actor.
    first, second = (PipelineActor(settings, url, coordinator) for _ in range(2))
    first.ledger = _BrokenLedger(url)

    with pytest.raises(OSError, match="disk full"):
        first({"worker": [0]})
    # The second article is never stored after a failed first one.
    with pytest.raises(StorageError, match="disk full"):
        second({"worker": [1]})
    assert ray.get(coordinator.failed.remote()) == "OSError: disk full"
    with Ledger(url) as ledger:
        assert ledger.export()["documents"] == []


def test_ray_engine_refuses_a_ledger_its_workers_cannot_open(settings):
    from eventledger.batch.ray_engine import ingest_ray_raw
    from eventledger.errors import ConfigError

    with Ledger("sqlite://") as ledger, pytest.raises(ConfigError, match="workers can open"):
        ingest_ray_raw([], ledger, settings, workers=1)
