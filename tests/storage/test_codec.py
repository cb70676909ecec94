"""Codec: records decode back to equal records; every evidence span is found with its path."""

from __future__ import annotations

import pytest

from eventledger.models import Actor, Event, Evidence, Incident, Place, When, to_dict
from eventledger.storage.codec import RecordCodec, evidence_spans

TEXT = "Shelling hit Gaza City on Monday."


def ev(start: int, end: int) -> Evidence:
    return Evidence.of("d", TEXT, start, end)


EVENT = Event(
    id="d:ev1",
    document_id="d",
    type="Explosions/Remote violence",
    subtype="Shelling/artillery/missile attack",
    trigger="Shelling",
    date=When("2024-03-11", "2024-03-11", "day", "Monday", "weekday", evidence=[ev(26, 32)]),
    place=Place("Gaza City", lat=31.5, lon=34.47, evidence=[ev(13, 22)]),
    actors=[Actor("target", "Gaza City", evidence=[ev(13, 22)])],
    evidence=[ev(0, 8)],
)


@pytest.mark.parametrize(
    "record",
    [
        EVENT,
        Incident("i1", "Explosions/Remote violence", ["d:ev1"], ["d"], date=EVENT.date),
        Place(None, reason="no gazetteer match"),
    ],
)
def test_decode_gives_back_an_equal_record(record) -> None:
    assert RecordCodec().decode(type(record), to_dict(record)) == record


def test_evidence_spans_finds_nested_spans_with_paths() -> None:
    paths = [path for path, _ in evidence_spans(EVENT)]
    assert paths == [
        "date.evidence[0]",
        "place.evidence[0]",
        "actors[0].evidence[0]",
        "evidence[0]",
    ]


def test_to_dict_equals_dataclasses_asdict_on_every_example_record(example_db) -> None:
    import dataclasses

    from eventledger.storage import Ledger

    with Ledger(str(example_db)) as ledger:
        records = [
            *ledger.documents(),
            *ledger.claims(),
            *ledger.figures(),
            *ledger.events(),
            *ledger.incidents(),
        ]
    assert len(records) > 50
    for record in records:
        assert to_dict(record) == dataclasses.asdict(record)
