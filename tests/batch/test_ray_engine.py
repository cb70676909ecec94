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


@pytest.mark.parametrize(
    ("articles", "workers"), [(1, 1), (20, 2), (2002, 2), (2002, 1), (5000, 8)]
)
def test_blocks_cover_the_input_and_shrink_towards_its_end(articles, workers):
    from eventledger.batch.ray_engine import BATCH_ARTICLES, MIN_BLOCK_ARTICLES, block_sizes

    sizes = block_sizes(articles, workers)
    assert sum(sizes) == articles
    assert all(1 <= size <= BATCH_ARTICLES for size in sizes)
    # After the workers' first blocks, sizes only shrink, down to the minimum:
    # no worker is left alone with a long last block.
    rest = sizes[workers - 1 :]
    assert rest == sorted(rest, reverse=True)
    assert sizes[-1] <= MIN_BLOCK_ARTICLES
    if articles >= workers * MIN_BLOCK_ARTICLES:
        assert len(sizes) >= workers


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_the_workers_first_blocks_are_staggered(workers):
    """Worker i starts with (i + 1) / workers of a full block, so that the
    workers finish blocks at evenly spread times."""
    from eventledger.batch.ray_engine import BATCH_ARTICLES, block_sizes

    sizes = block_sizes(10_000, workers)
    assert sizes[:workers] == [BATCH_ARTICLES * (i + 1) // workers for i in range(workers)]
    assert sizes[workers] == BATCH_ARTICLES


def test_turns_let_each_block_store_only_after_those_before_it():
    """The Turns actor's logic, run on one event loop without Ray."""
    import asyncio

    from eventledger.batch.ray_engine import Turns

    async def scenario() -> list[str]:
        turns, order = Turns(), []

        async def store(first: int, last: int) -> None:
            assert await turns.wait(first) is None
            order.append(f"{first}-{last}")
            await asyncio.sleep(0)
            await turns.done(last)

        # Later blocks are ready first; they must still store in input order.
        assert [await turns.ready(0), await turns.ready(64)] == [True, False]
        await asyncio.gather(store(64, 127), store(128, 130), store(0, 63))
        assert await turns.ready(131) and await turns.failed() is None
        return order

    assert asyncio.run(scenario()) == ["0-63", "64-127", "128-130"]


def test_turns_tell_every_waiting_actor_of_a_failure():
    import asyncio

    from eventledger.batch.ray_engine import Turns

    async def scenario() -> list[str | None]:
        turns = Turns()
        later = [asyncio.ensure_future(turns.wait(seq)) for seq in (10, 20)]
        await asyncio.sleep(0)
        await turns.fail("StorageError: disk full")
        await turns.fail("StorageError: a later failure")
        assert not await turns.ready(0)
        return [*await asyncio.gather(*later), await turns.failed()]

    assert asyncio.run(scenario()) == ["StorageError: disk full"] * 3


class _BrokenLedger(Ledger):
    """A ledger whose writes fail (a full disk, a lost server)."""

    def linking(self):
        raise OSError("disk full")


@pytest.mark.slow
def test_a_store_failure_stops_the_run_and_later_blocks_are_not_stored(
    ray_instance, tmp_path, settings
):
    import pickle

    from eventledger.batch.ray_engine import PipelineActor, Turns
    from eventledger.errors import StorageError
    from eventledger.stages.ingest import read_paths, to_article

    articles = [to_article(raw) for raw in read_paths(sorted(EXAMPLES.glob("*.txt"))[:2])]
    url = str(tmp_path / "broken.db")
    with Ledger(url):
        pass
    turns = ray.remote(Turns).remote()
    # Run in this process (not as Ray Data actors) so that the first
    # actor's ledger can be broken; the Turns actor is real.
    first, second = (PipelineActor(settings, url, turns) for _ in range(2))
    first.ledger = _BrokenLedger(url)

    def block(at: int) -> dict:
        return {"first": [at], "articles": [pickle.dumps([articles[at]])]}

    with pytest.raises(OSError, match="disk full"):
        first(block(0))
    # The next block is parsed, but never stored after a failed one.
    with pytest.raises(StorageError, match="disk full"):
        second(block(1))
    assert ray.get(turns.failed.remote()) == "OSError: disk full"
    with Ledger(url) as ledger:
        assert ledger.export()["documents"] == []


def test_ray_engine_refuses_a_ledger_its_workers_cannot_open(settings):
    from eventledger.batch.ray_engine import ingest_ray_raw
    from eventledger.errors import ConfigError

    with Ledger("sqlite://") as ledger, pytest.raises(ConfigError, match="workers can open"):
        ingest_ray_raw([], ledger, settings, workers=1)
