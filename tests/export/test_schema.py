"""The shipped JSON Schema: a real export validates, broken objects do not, docs name every field."""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path

import pytest

from eventledger.export import ledger_schema, schema_errors
from eventledger.models import Actor, Article, Claim, Event, Figure, Incident, Place, Speaker, When
from eventledger.pipeline import Document
from eventledger.storage import Ledger

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Medics said a drone struck Al-Awda Hospital in Jabalia on 12 March, injuring 4 staff."


def stored_export(tmp_path: Path) -> dict:
    doc = Document(
        Article(
            id="x1",
            key="x1",
            text=TEXT,
            published="2024-03-14",
            text_hash=hashlib.sha256(TEXT.encode()).hexdigest(),
        )
    )

    def span(phrase: str):
        start = TEXT.index(phrase)
        return doc.evidence(start, start + len(phrase))

    claim = Claim(
        doc.new_id("cl"),
        "x1",
        Speaker("Medics", type="health_worker", evidence=[span("Medics")]),
        "said",
        "assert",
        "a drone struck Al-Awda Hospital",
        False,
        evidence=[span("Medics said")],
        cue_evidence=span("said"),
    )
    figure = Figure(
        doc.new_id("fig"), "x1", "injured", "staff", 4, 4, False, "injuring 4 staff",
        event_id="x1:ev1", evidence=[span("injuring 4 staff")],
    )  # fmt: skip
    event = Event(
        doc.new_id("ev"),
        "x1",
        "Explosions/Remote violence",
        "Air/drone strike",
        "struck",
        date=When(
            "2024-03-12", "2024-03-12", "day", "12 March", "explicit", evidence=[span("12 March")]
        ),
        place=Place("Jabalia", facility="Al-Awda Hospital", lat=31.53, lon=34.48, precision=1),
        actors=[Actor("weapon", "drone", evidence=[span("drone")])],
        figure_ids=[figure.id],
        claim_ids=[claim.id],
        evidence=[span("a drone struck Al-Awda Hospital")],
    )
    doc.claims, doc.figures, doc.events = [claim], [figure], [event]
    with Ledger(str(tmp_path / "l.db")) as ledger:
        ledger.store(doc)
        ledger.save_incident(
            Incident("inc1", event.type, [event.id], ["x1"], date=event.date, place=event.place)
        )
        return ledger.export()


def test_export_validates_against_shipped_schema(tmp_path: Path) -> None:
    data = stored_export(tmp_path)
    assert schema_errors(data) == []
    assert [len(data[k]) for k in ("documents", "events", "figures", "claims", "incidents")] == [
        1,
        1,
        1,
        1,
        1,
    ]
    assert data["incidents"][0]["evidence"] == data["events"][0]["evidence"]


def _drop_event_type(d: dict) -> None:
    del d["events"][0]["type"]


def _negative_start(d: dict) -> None:
    d["figures"][0]["evidence"][0]["start"] = -1


def _unknown_field(d: dict) -> None:
    d["claims"][0]["confidence"] = 0.9


def _string_count(d: dict) -> None:
    d["figures"][0]["min"] = "four"


def _latitude_out_of_range(d: dict) -> None:
    d["events"][0]["place"]["lat"] = 123.0


def _missing_section(d: dict) -> None:
    del d["incidents"]


@pytest.mark.parametrize(
    "breaker",
    [
        _drop_event_type,
        _negative_start,
        _unknown_field,
        _string_count,
        _latitude_out_of_range,
        _missing_section,
    ],
)
def test_schema_violations_are_reported(tmp_path: Path, breaker) -> None:
    data = copy.deepcopy(stored_export(tmp_path))
    breaker(data)
    assert schema_errors(data) != []


def test_every_schema_field_is_documented() -> None:
    doc = (ROOT / "docs" / "format.md").read_text("utf-8")
    documented = set(re.findall(r"`([a-z_0-9]+)`", doc))
    fields = {name for d in ledger_schema()["$defs"].values() for name in d.get("properties", {})}
    assert fields - documented == set()
