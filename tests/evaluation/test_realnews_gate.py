"""The real-reports gate: `benchmarks/realnews.py` on ../shared/data/realnews-dev
must not fall below the floors (nor above the ceilings) in
tests/golden/realnews_gate.json. Skips when the data set is absent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
GATE = {
    k: v
    for k, v in json.loads((ROOT / "tests" / "golden" / "realnews_gate.json").read_text()).items()
    if not k.startswith("_")
}

pytestmark = pytest.mark.skipif(
    not (DATA / "realnews-dev" / "score.py").exists(),
    reason="../shared/data/realnews-dev is absent (it ships beside the repository in CI)",
)


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("realnews") / "realnews.json"
    cmd = [sys.executable, str(ROOT / "benchmarks" / "realnews.py"), "--data", str(DATA)]
    subprocess.run([*cmd, "--json", str(out)], check=True, capture_output=True, timeout=900)
    return json.loads(out.read_text())["scores"]


def _value(scores: dict, path: str):
    for part in path.split("."):
        scores = scores[part]
    return scores


@pytest.mark.parametrize("metric", sorted(GATE))
def test_realnews_floor(scores, metric):
    if metric.startswith("max_"):
        value = _value(scores, metric[4:])
        assert value <= GATE[metric], f"{metric[4:]} rose to {value} (ceiling {GATE[metric]})"
    else:
        value = _value(scores, metric)
        assert value >= GATE[metric], f"{metric} fell to {value} (floor {GATE[metric]})"
