"""The feed watcher against feeds served from 127.0.0.1 by the test itself."""

from __future__ import annotations

import hashlib
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from eventledger.batch.watch import FeedWatcher, parse_every, read_feeds_file
from eventledger.errors import ConfigError
from eventledger.pipeline import Pipeline
from eventledger.storage import Ledger

STORIES = {
    "urn:el:1": "An air strike hit Al-Awda Hospital in Jabalia on 12 March 2024, the ministry said.",
    "urn:el:2": "Gunmen abducted two nurses near Kadugli on 14 March 2024, a union official said.",
    "urn:el:3": "Shelling damaged a clinic in Kharkiv on 15 March 2024, regional officials said.",
}


class FeedServer:
    """An RSS feed over HTTP with ETag and Last-Modified; can be told to fail."""

    def __init__(self) -> None:
        self.entries: list[str] = []
        self.fail = False
        self.honour_validators = True
        self.requests: list[dict[str, str]] = []
        self.statuses: list[int] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                server.requests.append(dict(self.headers.items()))
                status, headers, body = server.answer(self.headers)
                server.statuses.append(status)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.rss"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def body(self) -> bytes:
        items = "".join(
            f"<item><guid>{escape(key)}</guid><title>Report {escape(key)}</title>"
            f"<pubDate>Fri, 15 Mar 2024 10:00:00 GMT</pubDate>"
            f"<description>{escape(STORIES[key])}</description></item>"
            for key in self.entries
        )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>'
            f"{items}</channel></rss>"
        ).encode()

    def answer(self, headers) -> tuple[int, dict[str, str], bytes]:
        if self.fail:
            return 500, {}, b"down"
        body = self.body()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = formatdate(1710496800 + len(self.entries), usegmt=True)
        if self.honour_validators and headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return (
            200,
            {"ETag": etag, "Last-Modified": modified, "Content-Type": "application/rss+xml"},
            body,
        )


@pytest.fixture
def server():
    feed = FeedServer()
    feed.thread.start()
    yield feed
    feed.httpd.shutdown()
    feed.httpd.server_close()


@pytest.fixture(scope="module")
def pipeline(settings) -> Pipeline:
    return Pipeline.from_settings(settings)


def _keys(db: Path) -> list[str]:
    with Ledger(str(db)) as ledger:
        return [d.key for d in ledger.documents()]


def test_new_entry_is_in_the_ledger_within_one_polling_interval(
    server, tmp_path, settings, pipeline
):
    server.entries = ["urn:el:1"]
    db = tmp_path / "watch.db"
    published_during: list[int] = []

    def sleep(seconds: float) -> None:
        # The new entry is published while the watcher waits after its first poll.
        if not published_during:
            server.entries.append("urn:el:2")
            published_during.append(len(server.requests))
        time.sleep(seconds)

    with Ledger(str(db)) as ledger:
        watcher = FeedWatcher(
            [server.url], ledger, settings, every=0.05, pipeline=pipeline, sleep=sleep
        )
        results = watcher.run(rounds=2)
    assert published_during == [1]
    # One interval later, the next poll stored it.
    assert [(r.status, r.stored) for r in results] == [("new", 1), ("new", 1)]
    assert _keys(db) == ["urn:el:1", "urn:el:2"]
    with Ledger(str(db)) as ledger:
        assert all(d.source.startswith(server.url) for d in ledger.documents())


def test_unchanged_feed_is_a_304_and_ingests_nothing(server, tmp_path, settings, pipeline):
    server.entries = ["urn:el:1"]
    with Ledger(str(tmp_path / "w.db")) as ledger:
        watcher = FeedWatcher([server.url], ledger, settings, every=0.01, pipeline=pipeline)
        results = watcher.run(rounds=2)
    assert server.statuses == [200, 304]
    assert "If-None-Match" not in server.requests[0]
    assert server.requests[1]["If-None-Match"].startswith('"')
    assert server.requests[1]["If-Modified-Since"].endswith("GMT")
    assert [r.status for r in results] == ["new", "not-modified"]


def test_server_errors_back_off_exponentially_up_to_the_cap(server, tmp_path, settings):
    server.fail = True
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    with Ledger(str(tmp_path / "w.db")) as ledger:
        watcher = FeedWatcher(
            [server.url],
            ledger,
            settings,
            every=10,
            max_backoff=50,
            clock=lambda: now[0],
            sleep=sleep,
        )
        results = watcher.run(rounds=4)
        state = ledger.feed_state(server.url)
    assert waits == [20, 40, 50]
    assert [r.status for r in results] == ["error"] * 4
    assert (state["errors"], state["last_error"]) == (4, "HTTP 500")


def test_a_restarted_watcher_does_not_reingest(server, tmp_path, settings, pipeline):
    server.entries = ["urn:el:1", "urn:el:2"]
    db = tmp_path / "w.db"
    with Ledger(str(db)) as ledger:
        FeedWatcher([server.url], ledger, settings, every=1, pipeline=pipeline).run(rounds=1)
    # The server now ignores validators: only the stored entry ids prevent re-ingesting.
    server.honour_validators = False
    server.entries.append("urn:el:3")
    with Ledger(str(db)) as ledger:
        again = FeedWatcher([server.url], ledger, settings, every=1, pipeline=pipeline)
        (result,) = again.run(rounds=1)
    assert server.requests[1].get("If-None-Match")  # the validator survived the restart
    assert (result.stored, result.seen_before) == (1, 2)
    assert _keys(db) == ["urn:el:1", "urn:el:2", "urn:el:3"]


@pytest.mark.parametrize(
    ("value", "seconds"), [("10m", 600), ("30s", 30), ("1h", 3600), ("90", 90), ("1.5m", 90)]
)
def test_parse_every(value: str, seconds: float) -> None:
    assert parse_every(value) == seconds


@pytest.mark.parametrize("value", ["", "0m", "ten minutes", "-5s", "5w"])
def test_parse_every_refuses_nonsense(value: str) -> None:
    with pytest.raises(ConfigError):
        parse_every(value)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (
            "# feeds\nhttp://a/feed\n\nhttps://b/rss\nhttp://a/feed\n",
            ["http://a/feed", "https://b/rss"],
        ),
        ("file:///etc/passwd\n", None),
        ("# nothing\n", None),
    ],
)
def test_read_feeds_file(tmp_path: Path, text: str, ok: list[str] | None) -> None:
    path = tmp_path / "feeds.txt"
    path.write_text(text)
    if ok is None:
        with pytest.raises(ConfigError):
            read_feeds_file(path)
    else:
        assert read_feeds_file(path) == ok
