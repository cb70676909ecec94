"""The review commands: user add/list/remove, reprocess, and exports as reviewed."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import pytest
from typer.testing import CliRunner

from eventledger.cli.main import app
from eventledger.storage.review import Review, User

runner = CliRunner()

FIRST = (
    "An air strike hit the Al-Noor Hospital in Halba on Tuesday, killing five nurses, "
    "the health ministry said."
)
SECOND = "Gunmen abducted two doctors in Tripoli on Monday, police said."
OTHER = "Shelling killed three farmers in Sidon on Sunday, the army said."
CODER = User("ana", "coder", "2024")


def _write(folder, name: str, key: str, body: str) -> str:
    path = folder / name
    path.write_text(f"Title: Report\nId: {key}\nPublished: 2024-03-14\n\n{body}\n")
    return str(path)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("cli-review")
    db = str(folder / "l.db")
    a = _write(folder, "a.txt", "cr-a", f"{FIRST}\n\n{SECOND}")
    b = _write(folder, "b.txt", "cr-b", OTHER)
    result = runner.invoke(app, ["ingest", a, b, "--db", db])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def db(ingested, tmp_path) -> str:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(ingested) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    return str(copy)


def _statuses(db: str, kind: str, ids: list[str]) -> dict[str, str]:
    review = Review(db)
    try:
        return review.statuses(kind, ids)
    finally:
        review.close()


def _decide(db: str, *args, **kwargs) -> dict:
    review = Review(db)
    try:
        return review.decide(CODER, *args, **kwargs)
    finally:
        review.close()


def test_user_add_prints_a_token_once_then_list_and_remove(db) -> None:
    added = runner.invoke(app, ["user", "add", "ana", "--role", "coder", "--db", db])
    assert added.exit_code == 0, added.output
    token = added.stdout.strip().splitlines()[-1]
    assert len(token) >= 40
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT token_hash FROM users").fetchone()[0]
    assert token not in stored
    listed = runner.invoke(app, ["user", "list", "--db", db])
    assert "ana  coder" in listed.stdout and token not in listed.stdout
    assert runner.invoke(app, ["user", "remove", "ana", "--db", db]).exit_code == 0
    again = runner.invoke(app, ["user", "remove", "ana", "--db", db])
    assert again.exit_code == 2 and "no user named" in again.output


@pytest.mark.parametrize("args", [["--role", "owner"], ["--role", "coder", "--db", "missing.db"]])
def test_user_add_refuses_a_bad_role_or_ledger(db, args) -> None:
    full = ["user", "add", "ana", *args] + ([] if "--db" in args else ["--db", db])
    result = runner.invoke(app, full)
    assert result.exit_code == 2, result.output


def test_export_carries_review_status_and_reviewed_only_keeps_the_reviewed(db) -> None:
    _decide(db, "event", "cr-a:ev1", "accept")
    _decide(db, "event", "cr-a:ev2", "reject", reason="not an attack")
    result = runner.invoke(app, ["export", "--db", db, "--format", "csv"])
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["cr-a:ev1"]["review_status"] == "accepted"
    assert rows["cr-a:ev2"]["review_status"] == "rejected"
    assert rows["cr-b:ev1"]["review_status"] == "machine"
    only = runner.invoke(app, ["export", "--db", db, "--format", "json", "--reviewed-only"])
    data = json.loads(only.stdout)
    assert [e["id"] for e in data["events"]] == ["cr-a:ev1"]
    assert {d["id"] for d in data["documents"]} == {"cr-a"}
    assert all(i["review_status"] in ("accepted", "edited") for i in data["incidents"])


def test_an_edited_export_still_validates_against_the_schema(db) -> None:
    from eventledger.export import schema_errors

    _decide(db, "figure", "cr-a:fig1", "edit", field="value", value={"min": 6, "max": 8})
    place = {"name": "Qubayat", "lat": 34.57, "lon": 36.28, "precision": 1}
    _decide(db, "event", "cr-a:ev1", "edit", field="place", value=place)
    _decide(db, "event", "cr-a:ev1", "edit", field="date", value={"start": "2024-03-10"})
    _decide(db, "event", "cr-a:ev1", "edit", field="perpetrator", value={"name": "Air force"})
    result = runner.invoke(app, ["export", "--db", db, "--format", "json"])
    data = json.loads(result.stdout)
    assert schema_errors(data) == []
    (incident,) = [i for i in data["incidents"] if "cr-a:ev1" in i["event_ids"]]
    assert incident["place"]["name"] == "Qubayat" and incident["date"]["start"] == "2024-03-10"
    (killed,) = [f for f in incident["figures"] if f["kind"] == "killed"]
    assert (killed["low"], killed["high"]) == (6, 8)
    (event,) = [e for e in data["events"] if e["id"] == "cr-a:ev1"]
    assert {"role": "perpetrator", "name": "Air force"}.items() <= event["actors"][0].items()


def test_export_decisions_says_who_changed_what(db) -> None:
    _decide(db, "figure", "cr-a:fig1", "edit", field="value", value={"min": 6}, reason="update")
    result = runner.invoke(app, ["export", "--db", db, "--format", "decisions"])
    assert result.exit_code == 0, result.output
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["user"], row["action"], row["record_id"], row["field"]) == (
        "ana",
        "edit",
        "cr-a:fig1",
        "value",
    )
    assert json.loads(row["before"]) == {"min": 5, "max": 5}
    assert json.loads(row["after"]) == {"min": 6, "max": 6}
    assert row["reason"] == "update"


def test_reprocess_keeps_decisions_and_reports_what_changed(db) -> None:
    _decide(db, "event", "cr-a:ev2", "reject", reason="duplicate")
    _decide(db, "figure", "cr-a:fig1", "edit", field="value", value={"min": 6})
    with sqlite3.connect(db) as conn:
        # Mark the stored records: reprocess must make them again.
        conn.execute("UPDATE events SET data = json_set(data, '$.trigger', 'old')")
    result = runner.invoke(app, ["reprocess", "--db", db])
    assert result.exit_code == 0, result.output
    assert "reprocessed 2 document(s) with 7 stage(s)" in result.stdout
    assert "0 decision(s) whose record is gone" in result.stdout
    assert _statuses(db, "event", ["cr-a:ev1", "cr-a:ev2"]) == {
        "cr-a:ev1": "machine",
        "cr-a:ev2": "rejected",
    }
    assert _statuses(db, "figure", ["cr-a:fig1"]) == {"cr-a:fig1": "edited"}
    with sqlite3.connect(db) as conn:
        triggers = [
            r[0] for r in conn.execute("SELECT json_extract(data, '$.trigger') FROM events")
        ]
    assert "old" not in triggers  # the records were made again


def test_reprocess_replays_a_merge(db) -> None:
    from eventledger.config import load_settings
    from eventledger.review import merge
    from eventledger.stages.incidents import IncidentLinker
    from eventledger.storage import Ledger

    ledger = Ledger(db)
    review = Review(db)
    try:
        merge(ledger, IncidentLinker(load_settings(env={}), ledger), review, CODER,
              "inc-cr-a:ev1", "inc-cr-b:ev1", "one attack")  # fmt: skip
        merged = ledger.summary()["incidents"]
    finally:
        ledger.close()
        review.close()
    result = runner.invoke(app, ["reprocess", "--db", db])
    assert "1 applied again" in result.stdout, result.output
    ledger = Ledger(db)
    try:
        assert ledger.summary()["incidents"] == merged
        (together,) = ledger.incidents_of_events(["cr-b:ev1"])
        assert "cr-a:ev1" in together.event_ids
    finally:
        ledger.close()


@pytest.mark.parametrize(
    ("stages", "named"),
    [("events.magic.v9", "events.magic.v9"), ("events.rules.v1", "annotate.spacy.v1")],
)
def test_reprocess_refuses_stages_it_cannot_run(db, stages, named) -> None:
    result = runner.invoke(app, ["reprocess", "--db", db, "--stages", stages])
    assert result.exit_code == 2 and named in result.output


def test_reprocess_with_some_stages_runs_only_those(db) -> None:
    result = runner.invoke(
        app, ["reprocess", "--db", db, "--stages", "annotate.spacy.v1,figures.rules.v1"]
    )
    assert result.exit_code == 0, result.output
    assert "with 2 stage(s)" in result.stdout
    # without the events stage every event is gone; the figures stage ran again
    # and found the same figures
    assert "events: 3 -> 0" in result.stdout
    figures = re.search(r"figures: (\d+) -> (\d+)", result.stdout)
    assert figures is not None and figures.group(1) == figures.group(2) != "0"


def test_a_revised_article_keeps_what_still_applies_and_lists_the_rest(db, tmp_path) -> None:
    _decide(db, "event", "cr-a:ev1", "accept")
    _decide(db, "event", "cr-a:ev2", "reject", reason="wrong")
    revised = _write(
        tmp_path, "a2.txt", "cr-a", f"{FIRST}\n\nMasked gunmen seized two doctors in Tripoli."
    )
    result = runner.invoke(app, ["ingest", revised, "--db", db])
    assert result.exit_code == 0, result.output
    assert "1 new revision" in result.output
    assert "cr-a:ev2 by ana) no longer applies" in result.output
    assert _statuses(db, "event", ["cr-a.r2:ev1"]) == {"cr-a.r2:ev1": "accepted"}
