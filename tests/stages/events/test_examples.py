"""Events read from the bundled example articles: one event per incident,
historical references and negated events kept apart from the asserted one."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def events_by_doc(example_export):
    keys = {d["id"]: d["key"] for d in example_export["documents"]}
    out: dict[str, list[dict]] = {}
    for e in example_export["events"]:
        out.setdefault(keys[e["document_id"]], []).append(e)
    return out


def _with_trigger(events, trigger):
    return [e for e in events if trigger in [x["text"] for x in e["evidence"]]]


def test_raid_with_detentions_is_one_arrests_event(events_by_doc):
    asserted = [e for e in events_by_doc["lw-2024-0312-001"] if e["factuality"] == "asserted"]
    assert len(asserted) == 1
    (ev,) = asserted
    triggers = {x["text"] for x in ev["evidence"]}
    assert {"stormed", "detaining"} <= triggers
    assert ev["subtype"] == "Arrests"


def test_shelling_that_killed_and_wounded_is_one_event(events_by_doc):
    (ev,) = _with_trigger(events_by_doc["smp-20240313-el-fasher"], "killed")[:1]
    assert "wounded" in [x["text"] for x in ev["evidence"]]
    assert ev["subtype"] == "Shelling/artillery/missile attack"
    assert "health workers killed" in ev["health_care"]["indicators"]


@pytest.mark.parametrize(
    ("key", "trigger", "factuality"),
    [
        ("lw-2024-0312-001", "raided", "historical"),  # "raided in March last year"
        ("mo-2024-03-17-rafah", "targeted", "negated"),  # "had not been targeted"
        ("sln-0316-nyala", "kidnapping", "historical"),  # "the kidnapping ... last week"
    ],
)
def test_example_factuality(events_by_doc, key, trigger, factuality):
    found = _with_trigger(events_by_doc[key], trigger)
    assert found, f"no event with trigger {trigger!r}"
    assert {e["factuality"] for e in found} == {factuality}


def test_background_attacks_are_not_asserted_events(events_by_doc):
    # "the latest in a series of attacks on health workers": no event of its own
    for e in events_by_doc["sln-0316-nyala"]:
        assert [x["text"] for x in e["evidence"]] != ["attacks"]
