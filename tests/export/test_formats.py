"""Export formats: JSON, JSON Lines with record kinds, CSV with formula escaping."""

from __future__ import annotations

import csv
import io
import json

import pytest

from eventledger.export import write_csv, write_json, write_jsonl
from eventledger.export.formats import escape_cell
from eventledger.models import Actor, Event, Evidence, Figure, Place, When, to_dict

TEXT = "=HYPERLINK(x) said the strike on -Al Shifa killed 7 in Gaza."


def ev(phrase: str) -> Evidence:
    start = TEXT.index(phrase)
    return Evidence.of("d1", TEXT, start, start + len(phrase))


def export_data() -> dict:
    event = Event(
        id="d1:ev1",
        document_id="d1",
        type="Violence against civilians",
        subtype="Attack",
        trigger="strike",
        date=When("2024-03-12", "2024-03-12", "day", "Tuesday", "weekday"),
        place=Place("Gaza", facility="-Al Shifa", lat=31.52, lon=-34.45, country="Palestine"),
        actors=[Actor("perpetrator", "=HYPERLINK(x)", evidence=[ev("=HYPERLINK(x)")])],
        figure_ids=["d1:fig2"],
        evidence=[ev("strike")],
    )
    figures = [
        Figure("d1:fig1", "d1", "killed", None, 7, 7, False, "killed 7", event_id="d1:ev1"),
        Figure(
            "d1:fig2",
            "d1",
            "injured",
            "civilians",
            10,
            None,
            True,
            "dozens",
            claimant={"name": "MSF", "type": "ngo"},
        ),
        Figure("d1:fig3", "d1", "killed", None, 1, 1, False, "one", event_id="other"),
    ]
    document = {"id": "d1", "key": "d1", "text": TEXT}
    return {
        "documents": [document],
        "events": [to_dict(event)],
        "figures": [to_dict(f) for f in figures],
        "claims": [],
        "incidents": [],
    }


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("Gaza", "Gaza"),
        ("a=b", "a=b"),
        (-34.45, -34.45),  # numbers are numbers, not formulas
        ("", ""),
    ],
)
def test_escape_cell_neutralises_formulas(cell, expected) -> None:
    assert escape_cell(cell) == expected


def test_csv_row_per_event_with_escaped_text_and_summaries() -> None:
    out = io.StringIO()
    write_csv(export_data(), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 1
    row = rows[0]
    assert row["actors"] == "perpetrator:=HYPERLINK(x)"  # starts with a letter: inert
    assert row["place_facility"] == "'-Al Shifa"
    assert row["place_lon"] == "-34.45"
    assert row["date_start"] == "2024-03-12"
    assert row["place_precision"] == ""
    assert row["figures"] == "killed 7 (no claimant); injured civilians ~10+ (MSF)"


def test_csv_every_event_row_names_its_incident(hospital_strike_export) -> None:
    data = hospital_strike_export
    data["events"].append({**data["events"][0], "id": "a:ev2", "factuality": "negated"})
    out = io.StringIO()
    write_csv(data, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["id"], r["incident_id"]) for r in rows] == [
        ("a:ev1", "inc-a:ev1"),
        ("b:ev1", "inc-a:ev1"),
        ("a:ev2", ""),  # in no incident
    ]


def test_jsonl_one_line_per_record_with_its_kind() -> None:
    data = export_data()
    out = io.StringIO()
    write_jsonl(data, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["record"] for line in lines] == ["document", "event", "figure", "figure", "figure"]
    assert [line["id"] for line in lines] == ["d1", "d1:ev1", "d1:fig1", "d1:fig2", "d1:fig3"]


def test_json_reads_back_equal() -> None:
    data = export_data()
    out = io.StringIO()
    write_json(data, out)
    assert json.loads(out.getvalue()) == data


def test_json_refuses_nan() -> None:
    data = export_data()
    data["figures"][0]["min"] = float("nan")
    with pytest.raises(ValueError):
        write_json(data, io.StringIO())


def test_csv_marks_an_actor_only_the_argument_model_found() -> None:
    data = export_data()
    data["events"][0]["actors"] += [
        {"role": "victim", "name": "Dr Ana Ruiz", "source": "model"},
        {"role": "target", "name": "the clinic", "source": "rules+model"},
    ]
    out = io.StringIO()
    write_csv(data, out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["actors"].split("; ")[1:] == ["victim (model):Dr Ana Ruiz", "target:the clinic"]
