"""Cost of adding one article as the ledger grows: syndication look-up plus
incident linking, at 10,000 to 200,000 synthetic events (flat is the goal).

The ledger is filled in bulk through the storage tables (synthetic documents,
events, incidents and LSH band keys; no spaCy), then at each size `--probe`
new articles are stored, fingerprinted and linked one by one exactly as
ingest does (Ledger.store, SyndicationIndex.register, IncidentLinker), and
the mean time per added article is printed. Half of the probe articles
report an incident already in the ledger, so both the merge and the
new-incident paths are timed.

Both wall-clock and CPU time (time.process_time: this process, SQLite
included, since it runs in-process) are recorded per article, and medians are
reported: on a machine shared with other jobs the wall clock measures the
neighbours too, while the CPU time of the probe stays close to its own work.

    .venv/bin/python benchmarks/linking_scale.py --json out/linking_scale.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import insert

from eventledger.config import load_settings
from eventledger.models import Article, Event, Figure, Incident, Place, When, to_dict
from eventledger.pipeline import Document
from eventledger.stages.incidents import IncidentLinker, SyndicationIndex
from eventledger.storage import Ledger, tables

EVENTS_PER_DOC = 2
DAY0 = date(2020, 1, 1)
# A ledger grows in time: synthetic events arrive at a constant rate, so the
# span grows with the size (200,000 events: about 11 years) and the density
# per day and place, which blocking reads, stays that of a busy conflict feed.
EVENTS_PER_DAY = 50
# One event in fifty is dated only to its year ("the 2014 attack on ..."), as
# in the GVC and ECB+ dev sets (2 to 7 % year- or month-precision dates): such
# incidents span more than the indexed look-back and are read by their end.
YEAR_DATED_EVERY = 50
TYPES = ("Violence against civilians", "Explosions/Remote violence", "Battles")
WORDS = "strike shelling hospital clinic raid convoy camp market school ambulance".split()


def _when(day: date) -> When:
    iso = day.isoformat()
    return When(start=iso, end=iso, precision="day", text=iso, rule="synthetic")


def _year(day: date) -> When:
    start, end = date(day.year, 1, 1).isoformat(), date(day.year, 12, 31).isoformat()
    return When(start=start, end=end, precision="year", text=str(day.year), rule="synthetic")


def _place(rng: random.Random, n: int) -> Place:
    # Places scattered over a 10 x 10 degree box: ~1,000 km squares of towns.
    return Place(
        name=f"town{n % 5000}",
        facility=f"Facility {n % 20000}" if n % 3 == 0 else None,
        lat=round(25 + rng.random() * 10, 4),
        lon=round(30 + rng.random() * 10, 4),
        geonames_id=100000 + n % 5000,
        country="XX",
        precision=1,
    )


def _span(n_docs: int) -> int:
    return max(1, n_docs * EVENTS_PER_DOC // EVENTS_PER_DAY)


def _fill(ledger: Ledger, start: int, stop: int, rng: random.Random) -> None:
    """Bulk-insert synthetic documents [start, stop) with their events and one incident each."""
    docs, events, incs, links, synd, bands = [], [], [], [], [], []
    for n in range(start, stop):
        doc_id = f"bulk{n}"
        text = f"synthetic article {n}"
        docs.append(
            dict(
                id=doc_id, key=doc_id, revision=1, superseded=False, text=text,
                text_hash=hashlib.sha256(text.encode()).hexdigest(), removed=[],
                ingested_at="2024-01-01T00:00:00+00:00", outlet=f"outlet{n % 50}",
            )
        )  # fmt: skip
        signature = [rng.getrandbits(32) for _ in range(8)]
        synd.append(
            dict(document_id=doc_id, norm_hash=f"h{n}", shingles=100, signature=signature,
                 source_id=doc_id)
        )  # fmt: skip
        bands += [
            {"band_key": f"{b}:{rng.getrandbits(64):x}", "document_id": doc_id} for b in range(32)
        ]
        for k in range(EVENTS_PER_DOC):
            day = DAY0 + timedelta(days=n * EVENTS_PER_DOC // EVENTS_PER_DAY)
            year_dated = (n * EVENTS_PER_DOC + k) % YEAR_DATED_EVERY == 0
            when = _year(day) if year_dated else _when(day)
            ev = Event(
                id=f"{doc_id}:ev{k}", document_id=doc_id, type=rng.choice(TYPES),
                subtype=None, trigger="strike", date=when, place=_place(rng, n * 7 + k),
            )  # fmt: skip
            block = {
                "date_start": when.start, "date_end": when.end,
                "lat": ev.place.lat, "lon": ev.place.lon,  # type: ignore[union-attr]
                "facility_key": (ev.place.facility or "").casefold() or None,  # type: ignore[union-attr]
                "country": "XX",
            }  # fmt: skip
            events.append({"id": ev.id, "document_id": doc_id, "type": ev.type,
                           "data": to_dict(ev), **block})  # fmt: skip
            inc = Incident(f"inc-{ev.id}", ev.type, [ev.id], [doc_id], date=ev.date, place=ev.place)
            incs.append({"id": inc.id, "type": inc.type, "data": to_dict(inc),
                         "long_span": year_dated, **block})  # fmt: skip
            links.append({"incident_id": inc.id, "event_id": ev.id})
    engine = ledger._engine  # the benchmark writes through the tables, in bulk
    with engine.begin() as conn:
        for table, rows in (
            (tables.documents, docs), (tables.syndication, synd),
            (tables.syndication_bands, bands), (tables.events, events),
            (tables.incidents, incs), (tables.incident_events, links),
        ):  # fmt: skip
            conn.execute(insert(table), rows)


def _probe_doc(n: int, rng: random.Random, like: dict | None, span: int) -> Document:
    """A new article; with `like` (an event row's data) it reports that incident again."""
    doc_id = f"probe{n}"
    words = [rng.choice(WORDS) for _ in range(120)]
    text = f"Report {n}: " + " ".join(words) + "."
    doc = Document(
        Article(id=doc_id, key=doc_id, text=text, outlet="Probe News",
                text_hash=hashlib.sha256(text.encode()).hexdigest())
    )  # fmt: skip
    for k in range(EVENTS_PER_DOC):
        if like is not None and k == 0:
            day = date.fromisoformat(like["date"]["start"])
            place = Place(**{**like["place"], "evidence": []})
            type_ = like["type"]
        else:
            day = DAY0 + timedelta(days=rng.randrange(span))
            place, type_ = _place(rng, rng.randrange(10**6)), rng.choice(TYPES)
        ev = Event(id=doc.new_id("ev"), document_id=doc_id, type=type_, subtype=None,
                   trigger="strike", date=_when(day), place=place)  # fmt: skip
        fig = Figure(id=doc.new_id("fig"), document_id=doc_id, kind="killed", group=None,
                     min=3, max=3, approximate=False, text="3", event_id=ev.id)  # fmt: skip
        ev.figure_ids.append(fig.id)
        doc.events.append(ev)
        doc.figures.append(fig)
    return doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes", default="10000,25000,50000,100000,200000", help="event counts, comma-separated"
    )
    ap.add_argument("--probe", type=int, default=100, help="articles added and timed per size")
    ap.add_argument("--db", help="database file (default: a temporary one)")
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rng = random.Random(6)
    settings = load_settings()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(args.db or str(Path(tmp) / "scale.db"))
        linker, syndication = IncidentLinker(settings, ledger), SyndicationIndex(ledger)
        docs_in = 0
        probes = 0
        for size in sizes:
            target = size // EVENTS_PER_DOC
            t0 = time.perf_counter()
            for lo in range(docs_in, target, 5000):
                _fill(ledger, lo, min(target, lo + 5000), rng)
            docs_in = max(docs_in, target)
            fill_s = time.perf_counter() - t0
            timings, cpu, merged = [], [], 0
            for _ in range(args.probe):
                like = None
                if probes % 2 == 0:
                    ref = rng.randrange(docs_in)
                    like = ledger.events_of(f"bulk{ref}")[0]
                    like = to_dict(like)
                doc = _probe_doc(probes, rng, like, _span(docs_in))
                probes += 1
                t, c = time.perf_counter(), time.process_time()
                ledger.store(doc)
                _, copies = syndication.register(doc.id)
                touched = linker.link_document(doc.id, copies)
                timings.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
                merged += sum(1 for i in touched if len(i.document_ids) > 1)
            results.append(
                {
                    "events": docs_in * EVENTS_PER_DOC,
                    "documents": docs_in,
                    "ms_per_article_mean": round(1000 * statistics.fmean(timings), 2),
                    "ms_per_article_median": round(1000 * statistics.median(timings), 2),
                    "cpu_ms_per_article_median": round(1000 * statistics.median(cpu), 2),
                    "merged_events": merged,
                    "probe_articles": args.probe,
                    "fill_seconds": round(fill_s, 1),
                }
            )
            print(f"{size} events: {results[-1]}", file=sys.stderr)
        ledger.close()
    table = Table(title="time per added article (store + syndication + linking)")
    for col in ("events", "documents", "ms/article mean", "median", "CPU ms median", "merged events",
                "probes"):  # fmt: skip
        table.add_column(col, justify="right")
    for r in results:
        table.add_row(
            f"{r['events']:,}", f"{r['documents']:,}", str(r["ms_per_article_mean"]),
            str(r["ms_per_article_median"]), str(r["cpu_ms_per_article_median"]),
            str(r["merged_events"]), str(r["probe_articles"]),
        )  # fmt: skip
    Console().print(table)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"steps": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
