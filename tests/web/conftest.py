"""Fixtures shared by the browser tests: a real `eventledger serve` process."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _serving(db: str) -> Iterator[str]:
    """`eventledger serve` on `db` at a free local port; its base URL once it listens."""
    port = _free_port()
    env = {**os.environ, "EVENTLEDGER_API_TOKEN": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "eventledger.cli.main", "serve", "--db", db,
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited: {process.stdout.read().decode(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("serve did not start listening within 60 s")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def serving() -> Callable[[str], Any]:
    """A context manager factory: `with serving(db) as url: ...`."""
    return _serving
