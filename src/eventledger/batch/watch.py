"""Live feeds: poll RSS/Atom URLs, ingest the entries not seen before, link
incidents as they arrive.

Each poll sends a conditional request (If-None-Match / If-Modified-Since
from the last answer); a 304 costs nothing. A failed poll (network error,
HTTP error, unreadable feed) backs that feed off exponentially, capped. The
state of every feed (ETag, Last-Modified, the entry ids ingested, the error
count) is kept in the ledger's database, so a watcher that restarts neither
re-downloads an unchanged feed nor re-ingests an entry.

The HTTP client is injectable (`fetch`); the default uses urllib.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from eventledger.batch.local import IngestReport, ingest_raw
from eventledger.config import Settings
from eventledger.errors import ConfigError, EmptyInput, InputError
from eventledger.pipeline import Pipeline
from eventledger.stages.ingest import RawArticle, read_paths
from eventledger.storage import Ledger

__all__ = [
    "FeedWatcher",
    "PollResult",
    "Response",
    "parse_every",
    "read_feeds_file",
    "urllib_fetch",
]

# Entry ids remembered per feed. Feeds carry their latest few dozen entries;
# an entry that drops out of the window is not served again.
SEEN_LIMIT = 5000
# Longest back-off, in polling intervals.
MAX_BACKOFF_INTERVALS = 32
_EVERY = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


@dataclass(slots=True)
class Response:
    """What a fetch returned: HTTP status, headers (lower-case names), body."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


Fetcher = Callable[[str, Mapping[str, str], float], Response]


def urllib_fetch(url: str, headers: Mapping[str, str], timeout: float) -> Response:
    """GET `url` with `headers`; HTTP errors (304 included) come back as a Response."""
    if not url.lower().startswith(("http://", "https://")):
        raise ConfigError(f"feed {url!r}: only http:// and https:// URLs can be watched")
    request = urllib.request.Request(url, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - scheme checked
            return Response(
                answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
            )
    except urllib.error.HTTPError as exc:
        return Response(exc.code, {k.lower(): v for k, v in (exc.headers or {}).items()})


def parse_every(value: str) -> float:
    """Seconds in an interval such as '10m', '30s', '1h', '1d' or '90' (seconds)."""
    match = _EVERY.fullmatch(value)
    if not match or float(match.group(1)) <= 0:
        raise ConfigError(f"--every {value!r} is not a polling interval such as 30s, 10m, 1h or 1d")
    return float(match.group(1)) * _UNIT_SECONDS[(match.group(2) or "s").lower()]


def read_feeds_file(path: Path) -> list[str]:
    """Feed URLs, one a line; blank lines and lines starting with # are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the feeds file {str(path)!r}: {exc}") from exc
    urls = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    bad = [u for u in urls if not u.lower().startswith(("http://", "https://"))]
    if bad:
        raise ConfigError(f"{str(path)!r}: not http(s) URLs: {', '.join(bad[:3])}")
    if not urls:
        raise ConfigError(f"{str(path)!r} names no feed URL")
    return list(dict.fromkeys(urls))


def entry_key(raw: RawArticle) -> str:
    """The identity of a feed entry: its id, else its link, else a digest of its content."""
    if raw.id:
        return raw.id
    if raw.url:
        return raw.url
    content = (raw.html or raw.text or "").encode("utf-8")
    return "sha256:" + hashlib.sha256(content).hexdigest()


@dataclass(slots=True)
class PollResult:
    """One poll of one feed: `status` is new, not-modified or error."""

    url: str
    status: str
    stored: int = 0
    seen_before: int = 0
    report: IngestReport | None = None
    error: str | None = None


@dataclass(slots=True)
class _Feed:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = field(default_factory=list)
    errors: int = 0
    due: float = 0.0


class FeedWatcher:
    """Poll feeds every `every` seconds, ingesting new entries into `ledger`."""

    def __init__(
        self,
        feeds: Iterable[str],
        ledger: Ledger,
        settings: Settings,
        *,
        every: float,
        fetch: Fetcher = urllib_fetch,
        pipeline: Pipeline | None = None,
        timeout: float = 30.0,
        max_backoff: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if every <= 0:
            raise ConfigError(f"the polling interval must be positive, got {every}")
        self.ledger = ledger
        self.settings = settings
        self.every = every
        self.fetch = fetch
        self.timeout = timeout
        self.max_backoff = max_backoff if max_backoff is not None else every * MAX_BACKOFF_INTERVALS
        self.clock = clock
        self.sleep = sleep
        self._pipeline = pipeline
        self.feeds: dict[str, _Feed] = {}
        for url in dict.fromkeys(feeds):
            state = ledger.feed_state(url) or {}
            self.feeds[url] = _Feed(
                url,
                etag=state.get("etag"),
                last_modified=state.get("last_modified"),
                seen=list(state.get("seen") or []),
                errors=int(state.get("errors") or 0),
            )

    @property
    def pipeline(self) -> Pipeline:
        # Built on the first new entry: a watcher that only gets 304s never loads the model.
        if self._pipeline is None:
            self._pipeline = Pipeline.from_settings(self.settings)
        return self._pipeline

    def run(
        self, *, rounds: int | None = None, stop: Callable[[], bool] | None = None
    ) -> list[PollResult]:
        """Poll due feeds, sleep until the next is due; `rounds` wake-ups at most (None: until
        `stop()` is true or the process is interrupted)."""
        results: list[PollResult] = []
        done = 0
        while rounds is None or done < rounds:
            now = self.clock()
            for feed in self.feeds.values():
                if feed.due <= now:
                    results.append(self.poll(feed.url))
            done += 1
            if (rounds is not None and done >= rounds) or (stop is not None and stop()):
                break
            wait = min(f.due for f in self.feeds.values()) - self.clock()
            self.sleep(max(0.0, wait))
        return results

    def poll(self, url: str) -> PollResult:
        """Fetch one feed once (conditionally) and ingest its new entries."""
        feed = self.feeds[url]
        headers = {
            "User-Agent": "eventledger-watch/0.1",
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1",
        }
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        try:
            answer = self.fetch(url, headers, self.timeout)
        except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections
            return self._failed(feed, f"{type(exc).__name__}: {exc}")
        if answer.status == 304:
            return self._done(feed, PollResult(url, "not-modified"))
        if answer.status != 200:
            return self._failed(feed, f"HTTP {answer.status}")
        if len(answer.body) > self.settings.max_file_bytes:
            return self._failed(feed, f"the feed is {len(answer.body)} bytes, over max_file_bytes")
        entries, problem = self._entries(url, answer.body)
        if problem is not None:
            return self._failed(feed, problem)
        seen = set(feed.seen)
        new = [(key, raw) for key, raw in entries if key not in seen]
        result = PollResult(url, "new", seen_before=len(entries) - len(new))
        if new:
            result.report = ingest_raw(
                (raw for _, raw in new), self.ledger, self.settings, pipeline=self.pipeline
            )
            result.stored = result.report.stored
            feed.seen = (feed.seen + list(dict.fromkeys(k for k, _ in new)))[-SEEN_LIMIT:]
        # Validators are kept only once the entries are in the ledger: a crash
        # before this line makes the next poll download the feed again.
        feed.etag = answer.headers.get("etag")
        feed.last_modified = answer.headers.get("last-modified")
        return self._done(feed, result)

    def _entries(self, url: str, body: bytes) -> tuple[list[tuple[str, RawArticle]], str | None]:
        """(entry key, RawArticle) for each readable entry, through the ingest readers; or
        the reason the feed as a whole could not be read."""
        with tempfile.TemporaryDirectory(prefix="eventledger-feed-") as folder:
            path = Path(folder) / "feed.xml"
            path.write_bytes(body)
            entries: list[tuple[str, RawArticle]] = []
            for item in read_paths([path], max_file_bytes=self.settings.max_file_bytes):
                if isinstance(item, EmptyInput):
                    continue  # a feed with no entries yet is not an error
                if isinstance(item, InputError):
                    if item.source in (None, str(path)):
                        return [], f"{item.code}: {item.args[0]}"
                    continue  # one unreadable entry: the others go on
                # Provenance names the feed, not the temporary file it was parsed from.
                item.source = url + item.source[len(str(path)) :]
                entries.append((entry_key(item), item))
        return entries, None

    def _done(self, feed: _Feed, result: PollResult) -> PollResult:
        feed.errors = 0
        feed.due = self.clock() + self.every
        self._save(feed, None)
        return result

    def _failed(self, feed: _Feed, message: str) -> PollResult:
        feed.errors += 1
        feed.due = self.clock() + self.backoff(feed.errors)
        self._save(feed, message)
        return PollResult(feed.url, "error", error=message)

    def backoff(self, errors: int) -> float:
        """Seconds to wait after `errors` failed polls in a row: doubling, capped."""
        return min(self.every * 2 ** min(errors, 62), self.max_backoff)

    def _save(self, feed: _Feed, error: str | None) -> None:
        self.ledger.save_feed_state(
            feed.url,
            etag=feed.etag,
            last_modified=feed.last_modified,
            seen=feed.seen,
            errors=feed.errors,
            last_error=error,
        )
