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


def test_runs_split_a_batch_into_consecutive_input_positions():
    from eventledger.batch.ray_engine import _runs

    assert _runs([4, 5, 6, 9, 10, 2]) == [(0, 3), (3, 5), (5, 6)]
    assert _runs([0]) == [(0, 1)]


def test_turns_let_each_batch_store_only_after_those_before_it():
    """The Turns actor's logic, run on one event loop without Ray."""
    import asyncio

    from eventledger.batch.ray_engine import Turns

    async def scenario() -> list[str]:
        turns, order = Turns(), []

        async def store(first: int, last: int) -> None:
            await turns.wait(first)
            order.append(f"{first}-{last}")
            await asyncio.sleep(0)
            await turns.done(last)

        # Later batches are ready first; they must still store in input order.
        await asyncio.gather(store(64, 127), store(128, 130), store(0, 63))
        return order

    assert asyncio.run(scenario()) == ["0-63", "64-127", "128-130"]


def test_ray_engine_refuses_a_ledger_its_workers_cannot_open(settings):
    from eventledger.batch.ray_engine import ingest_ray_raw
    from eventledger.errors import ConfigError

    with Ledger("sqlite://") as ledger, pytest.raises(ConfigError, match="workers can open"):
        ingest_ray_raw([], ledger, settings, workers=1)
