"""Screenshots of every web page, on a desktop and a phone screen.

Ingests the bundled example articles into a temporary ledger, serves it with
`eventledger serve` on a free local port, and saves a PNG of each page (the
incident list, an incident, a document, the map, the tolls chart, an error
page) at 1400 px and at 390 px wide into artifacts/screenshots/ (git-ignored).
Needs playwright and Debian's Chromium (/usr/bin/chromium), as the browser
tests do. Run from the repository root:

    PYTHONPATH=src .venv/bin/python scripts/screenshots.py [--out artifacts/screenshots]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
WIDTHS = {"desktop": (1400, 1000), "phone": (390, 844)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ingest(db: Path) -> dict:
    """The example articles in a new ledger at `db`; its export (to pick pages from)."""
    from eventledger.batch.local import ingest
    from eventledger.config import load_settings
    from eventledger.storage import Ledger

    settings = load_settings(env={})
    with Ledger(str(db)) as ledger:
        report = ingest([ROOT / "examples" / "articles"], ledger, settings)
        if report.rejected:
            sys.exit(f"example articles rejected: {report.rejected}")
        return ledger.export()


def _pages(export: dict) -> dict[str, str]:
    """Page name -> path: the incident told by the most sources (figures first)."""
    incident = max(
        export["incidents"], key=lambda i: (len(i["sources"]), bool(i["figures"]), i["id"])
    )
    return {
        "list": "/",
        "list-sorted-by-country": "/?sort=country&health_care=true",
        "incident": "/incidents/" + quote(incident["id"], safe=""),
        "document": "/documents/" + quote(incident["document_ids"][0], safe=""),
        "map": "/map",
        "chart": "/chart",
        "error": "/incidents/no-such-incident",
    }


def _serve(db: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "EVENTLEDGER_API_TOKEN": ""}
    command = [sys.executable, "-m", "eventledger.cli.main", "serve", "--db", str(db)]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("eventledger serve exited before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("eventledger serve did not listen within 60 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "screenshots")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"no {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "examples.db"
        pages = _pages(_ingest(db))
        port = _free_port()
        server = _serve(db, port)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=str(CHROMIUM),
                    args=["--headless", "--no-sandbox", "--disable-gpu"],
                )
                for screen, (width, height) in WIDTHS.items():
                    page = browser.new_page(viewport={"width": width, "height": height})
                    for name, path in pages.items():
                        page.goto(f"http://127.0.0.1:{port}{path}")
                        target = args.out / f"{name}-{screen}.png"
                        page.screenshot(path=str(target), full_page=True)
                        saved.append(target)
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{'page':<26} {'screen':<8} file")
    for target in saved:
        name, screen = target.stem.rsplit("-", 1)
        print(f"{name:<26} {screen:<8} {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
