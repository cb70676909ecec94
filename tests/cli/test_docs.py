"""The CLI reference in docs/cli.md is generated from --help and must be current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current():
    gen = _generator()
    assert (ROOT / "docs" / "cli.md").read_text() == gen.render(), (
        "docs/cli.md is stale: run .venv/bin/python scripts/gen_cli_docs.py"
    )


def test_cli_reference_names_every_command():
    text = (ROOT / "docs" / "cli.md").read_text()
    for command in ("ingest", "export", "summary", "status", "incidents"):
        assert f"## eventledger {command}" in text


def test_help_keeps_the_brackets_of_install_extras():
    """Rich reads `[ray]` as markup and drops it unless it is escaped (the
    reference is the rendered --help; the test above keeps it current)."""
    text = (ROOT / "docs" / "cli.md").read_text()
    assert "eventledger[ray]" in text
