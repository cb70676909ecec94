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
    [["--engine", "spark"], ["--address", "127.0.0.1:6379"]],
)
def test_cli_refuses_ray_options_without_the_ray_engine(tmp_path, args):
    result = CliRunner().invoke(
        app, ["ingest", str(EXAMPLES), "--db", str(tmp_path / "x.db"), *args]
    )
    assert result.exit_code == 2
    assert "--engine" in result.output


class _BrokenLedger(Ledger):
    """A ledger whose writes fail (a full disk, a lost server)."""

    def linking(self):
        raise OSError("disk full")


@pytest.mark.slow
def test_a_store_failure_stops_the_run_and_later_articles_are_not_stored(
    ray_instance, tmp_path, settings
):
    import pickle

    from eventledger.batch.coordinator import Coordinator
    from eventledger.batch.ray_engine import PipelineActor
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
