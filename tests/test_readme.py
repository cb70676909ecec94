"""The README's commands name real commands and formats, so it cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from eventledger.cli.main import app
from eventledger.export import FORMATS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_readme_commands_exist():
    commands = set(typer.main.get_command(app).commands)
    named = set(re.findall(r"\.venv/bin/eventledger (\w+)", README))
    assert named, "the README shows no command"
    assert named <= commands, f"README names unknown commands: {named - commands}"


def test_readme_export_formats_exist():
    block = README[README.index("Export formats:") :].split("\n\n")[0]
    named = set(re.findall(r"`(\w+)`", block))
    assert {"json", "csv", "acled", "parquet"} <= named
    assert named <= set(FORMATS), f"README names unknown formats: {named - set(FORMATS)}"


def test_readme_gives_the_two_commands():
    assert "make demo" in README and "make test" in README
