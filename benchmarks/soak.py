"""Soak: `eventledger watch` on three local feeds that grow, break and come back.

Three RSS feeds are served from 127.0.0.1 only (an http.server in a thread of
this script; nothing else is ever contacted). `eventledger watch` runs as a
child process on them while entries are added over time and, now and then,
one feed breaks for a while: HTTP 500, XML cut short in the middle of an
entry, or an answer slower than the watcher's timeout; then it comes back.
The resident memory (RSS) of the watch process is sampled throughout. At the
end the feeds are healed, the watcher gets time to catch up and is stopped,
and the ledger is checked: every entry added is stored exactly once, with
its whole text (none lost, none stored twice, none cut short).

Goals: RSS growth after warm-up at most 10%; every entry stored once.

    .venv/bin/python benchmarks/soak.py --minutes 30 --json out/soak.json
    .venv/bin/python benchmarks/soak.py --minutes 2 --every 1s --break-every 10
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

from rich.console import Console
from rich.table import Table

GOAL_GROWTH = 0.10
FEEDS = 3
# Entries a feed carries: the latest ones, as real feeds do.
WINDOW = 40
# The watcher's own timeout (FeedWatcher's default); a "slow" feed answers after it.
WATCH_TIMEOUT_S = 30.0
_PLACES = ("Khan Younis", "Kharkiv", "El Fasher", "Kadugli", "Jabalia", "Nyala", "Halba", "Sumy")
_WHAT = (
    "An air strike hit a clinic in {place} on {day} March, killing {n} people, the health ministry said.",
    "Gunmen abducted {n} nurses near {place} on {day} March, a union official said.",
    "Shelling damaged the main hospital in {place} on {day} March; {n} patients were wounded, officials said.",
)
_MODES = ("500", "truncated", "slow")


@dataclass
class Feed:
    """One feed's entries and whether (and how) it is broken right now."""

    name: str
    entries: list[tuple[str, str]] = field(default_factory=list)  # (guid, text), oldest first
    broken: str | None = None  # None, or one of _MODES
    served: dict[str, int] = field(default_factory=dict)  # status or mode -> count

    def body(self) -> bytes:
        items = "".join(
            f"<item><guid>{escape(guid)}</guid><title>Report {escape(guid)}</title>"
            f"<pubDate>{formatdate(1710496800 + i * 60, usegmt=True)}</pubDate>"
            f"<description>{escape(text)}</description></item>"
            for i, (guid, text) in enumerate(self.entries[-WINDOW:])
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Soak wire {self.name}</title>{items}</channel></rss>"
        ).encode()


class FeedServer:
    """Serves /<name>.rss for each feed from 127.0.0.1, with ETag and conditional GETs."""

    def __init__(self, feeds: dict[str, Feed]) -> None:
        self.feeds = feeds
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                name = self.path.strip("/").removesuffix(".rss")
                status, headers, body, delay = server.answer(name, self.headers)
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the watcher gave up waiting (the "slow" mode)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}.rss"

    def answer(self, name: str, headers) -> tuple[int, dict[str, str], bytes, float]:
        with self.lock:
            feed = self.feeds.get(name)
            if feed is None:
                return 404, {}, b"no such feed", 0.0
            mode = feed.broken
            body = feed.body()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        ok_headers = {"ETag": etag, "Content-Type": "application/rss+xml"}
        if mode == "500":
            feed.served["500"] = feed.served.get("500", 0) + 1
            return 500, {}, b"internal error", 0.0
        if mode == "slow":
            feed.served["slow"] = feed.served.get("slow", 0) + 1
            return 200, ok_headers, body, WATCH_TIMEOUT_S + 2
        if mode == "truncated":
            feed.served["truncated"] = feed.served.get("truncated", 0) + 1
            # Cut somewhere in the last entry, as a dropped connection would.
            start = body.rfind(b"<item>")
            cut = random.randint(start, len(body) - 1) if start >= 0 else len(body) // 2
            return 200, {"Content-Type": "application/rss+xml"}, body[:cut], 0.0
        if headers.get("If-None-Match") == etag:
            feed.served["304"] = feed.served.get("304", 0) + 1
            return 304, {"ETag": etag}, b"", 0.0
        feed.served["200"] = feed.served.get("200", 0) + 1
        return 200, ok_headers, body, 0.0


def rss_kb(pid: int) -> int | None:
    """The resident set size of process `pid` in KiB (Linux /proc), None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def stored_documents(db: Path) -> list[tuple[str, str, bool]]:
    """(key, text, superseded) of every document revision in the ledger."""
    from eventledger.storage import Ledger

    with Ledger(str(db)) as ledger:
        current = {a.id for a in ledger.documents()}
        return [(a.key, a.text, a.id not in current) for a in ledger.documents(all_revisions=True)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=30.0, help="how long entries are added")
    ap.add_argument("--every", default="2s", help="the watcher's polling interval")
    ap.add_argument("--add-every", type=float, default=3.0, help="seconds between new entries")
    ap.add_argument("--break-every", type=float, default=30.0, help="seconds between breakages")
    ap.add_argument("--sample-every", type=float, default=2.0, help="seconds between RSS samples")
    ap.add_argument("--warmup", type=float, default=60.0, help="seconds before the RSS baseline")
    ap.add_argument("--catch-up", type=float, default=150.0, help="most seconds to wait at the end")
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    feeds = {f"feed{i}": Feed(f"feed{i}") for i in range(FEEDS)}
    server = FeedServer(feeds)
    server.thread.start()
    added: dict[str, str] = {}
    breakages: list[dict] = []
    samples: list[tuple[float, int]] = []
    console = Console(stderr=True)

    def add_entry() -> None:
        name = rng.choice(tuple(feeds))
        n = len(added) + 1
        guid = f"urn:soak:{name}:{n}"
        text = rng.choice(_WHAT).format(place=rng.choice(_PLACES), day=1 + n % 28, n=n)
        with server.lock:
            feeds[name].entries.append((guid, text))
        added[guid] = text

    with tempfile.TemporaryDirectory(prefix="eventledger-soak-") as tmp:
        folder = Path(tmp)
        db = folder / "soak.db"
        feeds_file = folder / "feeds.txt"
        feeds_file.write_text("".join(server.url(name) + "\n" for name in feeds))
        for _ in range(3):
            add_entry()
        log = (folder / "watch.log").open("wb")
        cmd = [sys.executable, "-m", "eventledger.cli.main", "watch", str(feeds_file),
               "--db", str(db), "--every", args.every]  # fmt: skip
        started = time.monotonic()
        watcher = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
        end_adding = started + args.minutes * 60
        next_add = started + args.add_every
        next_break = started + args.break_every
        next_sample = started
        heal_at: dict[str, float] = {}
        reported = 0
        try:
            while time.monotonic() < end_adding:
                now = time.monotonic()
                if watcher.poll() is not None:
                    console.print(f"the watcher exited with {watcher.returncode}", markup=False)
                    break
                if now >= next_sample:
                    kb = rss_kb(watcher.pid)
                    if kb is not None:
                        samples.append((round(now - started, 1), kb))
                    next_sample += args.sample_every
                if now >= next_add:
                    add_entry()
                    next_add += args.add_every
                for name, when in list(heal_at.items()):
                    if now >= when:
                        with server.lock:
                            feeds[name].broken = None
                        del heal_at[name]
                if now >= next_break:
                    healthy = [n for n in feeds if n not in heal_at]
                    if healthy:
                        name = rng.choice(healthy)
                        mode = rng.choice(_MODES)
                        seconds = rng.uniform(5, 20) if mode != "slow" else 1.0
                        with server.lock:
                            feeds[name].broken = mode
                        heal_at[name] = now + seconds
                        breakages.append(
                            {
                                "at_s": round(now - started, 1),
                                "feed": name,
                                "mode": mode,
                                "seconds": round(seconds, 1),
                            }  # fmt: skip
                        )
                    next_break += args.break_every
                minute = int(now - started) // 60
                if samples and minute > reported:
                    reported = minute
                    console.print(
                        f"{minute} min: {len(added)} entries added, RSS {samples[-1][1] / 1024:.0f} MB",
                        markup=False,
                    )
                time.sleep(0.2)
            # Heal everything and let the watcher catch up (its back-off may be long).
            with server.lock:
                for feed in feeds.values():
                    feed.broken = None
            catch_up_started = time.monotonic()
            missing = set(added)
            while time.monotonic() - catch_up_started < args.catch_up and watcher.poll() is None:
                time.sleep(3)
                kb = rss_kb(watcher.pid)
                if kb is not None:
                    samples.append((round(time.monotonic() - started, 1), kb))
                try:
                    missing = set(added) - {key for key, _, _ in stored_documents(db)}
                except Exception:  # noqa: BLE001 - the ledger may not exist yet, or be busy
                    continue
                if not missing:
                    break
            caught_up_s = time.monotonic() - catch_up_started
        finally:
            if watcher.poll() is None:
                watcher.send_signal(signal.SIGINT)
                try:
                    watcher.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    watcher.kill()
                    watcher.wait()
            log.close()
            server.httpd.shutdown()
            server.httpd.server_close()
        total_s = time.monotonic() - started
        docs = stored_documents(db) if db.exists() else []
        watch_log = (folder / "watch.log").read_text(errors="replace")

    # The ledger against what was added.
    counts: dict[str, int] = {}
    wrong_text: list[str] = []
    for key, text, _superseded in docs:
        counts[key] = counts.get(key, 0) + 1
        if key in added and text != added[key]:
            wrong_text.append(key)
    lost = sorted(set(added) - set(counts))
    twice = sorted(k for k, c in counts.items() if c > 1)
    unexpected = sorted(set(counts) - set(added))

    # Memory: baseline after warm-up (the model loads with the first entry).
    after = [kb for t, kb in samples if t >= args.warmup]
    window = max(1, len(after) // 5)
    baseline = statistics.median(after[:window]) if after else None
    final = statistics.median(after[-window:]) if after else None
    growth = (final / baseline - 1) if baseline else None
    peak = max((kb for _, kb in samples), default=None)

    errors_seen = sum(1 for line in watch_log.splitlines() if ": error (" in line)
    tracebacks = watch_log.count("Traceback (most recent call last)")
    ok = (
        growth is not None
        and growth <= GOAL_GROWTH
        and not lost
        and not twice
        and not unexpected
        and not wrong_text
        and tracebacks == 0
    )

    table = Table(
        title=f"soak: eventledger watch on {FEEDS} local feeds for {total_s / 60:.1f} min"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("entries added", f"{len(added)}"),
        ("documents stored (all revisions)", f"{len(docs)}"),
        ("lost", f"{len(lost)}"),
        ("stored twice", f"{len(twice)}"),
        ("stored but never added", f"{len(unexpected)}"),
        ("stored with a different text", f"{len(wrong_text)}"),
        (
            "breakages (500 / truncated / slow)",
            " / ".join(str(sum(b["mode"] == m for b in breakages)) for m in _MODES),
        ),  # fmt: skip
        ("failed polls the watcher reported", f"{errors_seen}"),
        ("tracebacks in the watcher's output", f"{tracebacks}"),
        ("catch-up after healing (s)", f"{caught_up_s:.0f}"),
        ("RSS samples", f"{len(samples)}"),
        ("RSS baseline after warm-up (MB)", f"{baseline / 1024:.1f}" if baseline else "-"),
        ("RSS at the end (MB)", f"{final / 1024:.1f}" if final else "-"),
        ("RSS peak (MB)", f"{peak / 1024:.1f}" if peak else "-"),
        (f"RSS growth (goal ≤ {GOAL_GROWTH:.0%})", f"{growth:+.1%}" if growth is not None else "-"),
        ("ok", "yes" if ok else "NO"),
    ]
    for row in rows:
        table.add_row(*row)
    Console().print(table)
    result = {
        "command": " ".join(["benchmarks/soak.py", *(argv if argv is not None else sys.argv[1:])]),
        "minutes_adding": args.minutes,
        "total_minutes": round(total_s / 60, 2),
        "every": args.every,
        "entries_added": len(added),
        "documents_stored": len(docs),
        "lost": lost,
        "stored_twice": twice,
        "unexpected": unexpected,
        "wrong_text": wrong_text,
        "breakages": breakages,
        "served": {name: feed.served for name, feed in feeds.items()},
        "failed_polls_reported": errors_seen,
        "watcher_tracebacks": tracebacks,
        "watcher_exit_code": watcher.returncode,
        "catch_up_s": round(caught_up_s, 1),
        "rss_kb_samples": samples,
        "rss_baseline_kb": baseline,
        "rss_final_kb": final,
        "rss_peak_kb": peak,
        "rss_growth": round(growth, 4) if growth is not None else None,
        "goal_growth": GOAL_GROWTH,
        "ok": ok,
        "watch_log_tail": watch_log.splitlines()[-40:],
    }
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
