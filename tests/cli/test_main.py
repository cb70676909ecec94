from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from eventledger.cli.main import app, source_lines

runner = CliRunner()

TEXT = "Shelling killed two patients at a clinic in Halba on Tuesday, the health office said.\n"


@pytest.fixture()
def db(tmp_path):
    return str(tmp_path / "cli.db")


def test_ingest_ok_exit_0(tmp_path, db):
    (tmp_path / "a.txt").write_text("Title: Shelling\nPublished: 2024-03-14\n\n" + TEXT)
    result = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db])
    assert result.exit_code == 0, result.output
    assert "stored 1 article" in result.output


def test_ingest_workers_option_for_the_local_engine(tmp_path, db):
    """--workers is the local engine's too; a short input runs in-process
    whatever it says (a worker's start would cost more than it saves)."""
    (tmp_path / "a.txt").write_text(TEXT)
    result = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "stored 1 article" in result.output
    result = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "--workers", "-1"])
    assert result.exit_code == 2
    assert "--workers must be 0" in result.output


def test_ingest_some_rejected_exit_1_and_listed(tmp_path, db):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(TEXT)
    (inputs / "b.txt").write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(app, ["ingest", str(inputs), "--db", db])
    assert result.exit_code == 1
    assert "b.txt" in result.output and "rejected" in result.output
    status = runner.invoke(app, ["status", "--db", db])
    assert "1 rejected input" in status.output and "b.txt" in status.output


@pytest.mark.parametrize(
    "args",
    [
        ["ingest"],  # no path
        ["export", "--format", "xml"],
        ["ingest", "x.txt", "--published", "last tuesday"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(args, db):
    result = runner.invoke(app, [*args, "--db", db] if args[0] != "frobnicate" else args)
    assert result.exit_code == 2, result.output


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_export_formats_to_stdout(tmp_path, db, fmt):
    (tmp_path / "a.txt").write_text(TEXT)
    assert (
        runner.invoke(
            app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "--published", "2024-03-14"]
        ).exit_code
        == 0
    )
    result = runner.invoke(app, ["export", "--db", db, "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.output)
        assert data["documents"][0]["published"] == "2024-03-14"
        assert data["documents"][0]["published_source"] == "flag"
    elif fmt == "jsonl":
        kinds = {json.loads(line)["record"] for line in result.output.splitlines()}
        assert "document" in kinds
    else:
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert rows and "type" in rows[0]


def test_export_to_file(tmp_path, db):
    (tmp_path / "a.txt").write_text(TEXT)
    runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db])
    out = tmp_path / "out.json"
    assert runner.invoke(app, ["export", "--db", db, "--output", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["documents"]


def test_summary_and_incidents_print(example_db):
    summary = runner.invoke(app, ["summary", "--db", str(example_db)])
    assert summary.exit_code == 0 and "events" in summary.output
    incidents = runner.invoke(app, ["incidents", "--db", str(example_db)])
    assert incidents.exit_code == 0 and "source" in incidents.output


def test_incidents_count_an_attack_once_and_a_syndicated_copy_once(example_db, example_export):
    incidents = example_export["incidents"]
    stories = {s["source_id"] for i in incidents for s in i["sources"]}
    documents = {d for i in incidents for d in i["document_ids"]}
    assert len(stories) < len(documents), "the examples hold a wire story and its copy"
    result = runner.invoke(app, ["incidents", "--db", str(example_db)])
    assert (
        f"{len(incidents)} incident(s) from {len(stories)} independent source(s)"
        f" ({len(documents)} document(s))"
    ) in result.output


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (
            [{"original": "w", "outlets": ["Copy Daily", "Wire"]}],
            ["Wire (+ Copy Daily)"],  # a story and its reprint: one source
        ),
        (
            [
                {"original": "w", "outlets": ["Wire"]},
                {"original": "c", "outlets": ["Copy Daily"]},
            ],
            ["Wire", "Copy Daily"],
        ),
        (None, ["Wire", "Copy Daily"]),  # no sources recorded: one per document
    ],
)
def test_summary_lists_each_independent_source_once(sources, expected):
    docs = {"w": {"outlet": "Wire"}, "c": {"outlet": "Copy Daily"}}
    assert source_lines({"document_ids": ["w", "c"], "sources": sources}, docs) == expected


def test_stages_lists_the_registry():
    result = runner.invoke(app, ["stages"])
    assert "claims.rules.v1" in result.output and "annotate.spacy.v1" in result.output


def test_database_inside_the_ingested_folder_is_not_an_input(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    db = str(tmp_path / "inside.db")
    first = runner.invoke(app, ["ingest", str(tmp_path), "--db", db])
    second = runner.invoke(app, ["ingest", str(tmp_path), "--db", db])
    assert (first.exit_code, second.exit_code) == (0, 0), second.output
    assert "1 unchanged" in second.output


@pytest.mark.parametrize("gz", [False, True])
def test_ingest_truncated_warc_never_replaces_the_intact_revision(tmp_path, db, gz):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = f"<html><head><title>Shelling</title></head><body><p>{TEXT * 20}</p></body></html>"
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=gz)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://e.org/a/1",
                "response",
                payload=io.BytesIO(page.encode()),
                http_headers=headers,
            )
        )
    assert runner.invoke(app, ["ingest", str(path), "--db", db]).exit_code == 0
    path.write_bytes(path.read_bytes()[:-300])
    result = runner.invoke(app, ["ingest", str(path), "--db", db])
    assert result.exit_code == 1, result.output
    assert "truncated" in result.output
    data = json.loads(runner.invoke(app, ["export", "--db", db]).output)
    assert [d["revision"] for d in data["documents"]] == [1]
    assert data["documents"][0]["text"].count("Shelling killed") == 20


def test_ingest_latin1_text_is_stored_readable_with_its_encoding(tmp_path, db):
    text = "Shelling killed two patients at a clinic in Köln, Dr. Müller said on Tuesday.\n"
    (tmp_path / "de.txt").write_bytes(text.encode("latin-1"))
    assert runner.invoke(app, ["ingest", str(tmp_path / "de.txt"), "--db", db]).exit_code == 0
    document = json.loads(runner.invoke(app, ["export", "--db", db]).output)["documents"][0]
    assert "Dr. Müller" in document["text"] and "Köln" in document["text"]
    assert (document["encoding"], document["encoding_confidence"]) == ("iso8859-1", 0.9)


@pytest.fixture()
def stored_db(tmp_path, db):
    (tmp_path / "a.txt").write_text(TEXT)
    assert runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db]).exit_code == 0
    (tmp_path / "b.txt").write_text(
        "A drone strike hit a market in Kharkiv on Monday, police said.\n"
    )
    return db


def test_locked_database_is_exit_3_in_one_line(tmp_path, stored_db, monkeypatch):
    import sqlite3

    from eventledger.storage import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(stored_db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = runner.invoke(app, ["ingest", str(tmp_path / "b.txt"), "--db", stored_db])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 3, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error")]
    assert len(lines) == 1 and "locked by another process" in lines[0]
    assert "Traceback" not in result.output


def test_full_disk_is_exit_3_in_one_line(tmp_path, stored_db, monkeypatch):
    from eventledger.storage import engine

    connect = engine._sqlite_connect

    def tiny(dbapi_connection, record):
        connect(dbapi_connection, record)
        # No page may be added: every write that grows the file fails as a full disk does.
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    monkeypatch.setattr(engine, "_sqlite_connect", tiny)
    text = "Shelling killed two patients at a clinic in Halba on Tuesday, the health office said.\n"
    (tmp_path / "big.txt").write_text(text * 400)
    result = runner.invoke(app, ["ingest", str(tmp_path / "big.txt"), "--db", stored_db])
    assert result.exit_code == 3, result.output
    assert "the disk is full" in result.output
    assert "Traceback" not in result.output


def test_exit_codes_are_documented():
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert "3 the database failed" in readme
    help_text = runner.invoke(app, ["--help"]).output
    assert "3 the database failed" in " ".join(help_text.split()).replace("│", "").replace(
        "  ", " "
    )


def test_rejections_are_counted_not_repeated_on_re_runs(tmp_path, db):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "bad.jsonl").write_text('{"id": 1}\nnot json\n')
    for _ in range(3):
        assert runner.invoke(app, ["ingest", str(inputs), "--db", db]).exit_code == 1
    status = runner.invoke(app, ["status", "--db", db])
    assert "2 rejected input(s)" in status.output, status.output
    assert status.output.count("(3 times, last ") == 2


@pytest.mark.parametrize(
    "name", ["evil\x1b[31mred.txt", "rtl\u202etxt.exe.txt", "two\nlines\x07.txt"]
)
def test_control_characters_in_file_names_are_escaped(tmp_path, db, name):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / name).write_bytes(b"\x00\x01binary")
    ingest = runner.invoke(app, ["ingest", str(inputs), "--db", db])
    status = runner.invoke(app, ["status", "--db", db])
    for output in (ingest.output, status.output):
        assert not any(c in output for c in "\x1b\x07\u202e"), repr(output)
        rejected = [line for line in output.splitlines() if line.startswith("rejected")]
        assert len(rejected) == 1, repr(output)
        assert name.encode("unicode_escape").decode() in rejected[0]


def test_control_characters_in_article_metadata_are_escaped(tmp_path, db):
    record = {
        "id": "m1",
        "title": "Clinic hit \u202eevil",
        "outlet": "Wire\u2066[bold]x",
        "published": "2024-03-14",
        "text": TEXT,
    }
    (tmp_path / "a.jsonl").write_text(json.dumps(record) + "\n")
    assert runner.invoke(app, ["ingest", str(tmp_path / "a.jsonl"), "--db", db]).exit_code == 0
    for command in ("incidents", "summary"):
        output = runner.invoke(app, [command, "--db", db]).output
        assert "\u202e" not in output and "\u2066" not in output, command
    assert "\\u202eevil" in runner.invoke(app, ["incidents", "--db", db]).output


@pytest.mark.parametrize(
    "command", [["status"], ["summary"], ["incidents"], ["export"], ["export", "--format", "csv"]]
)
def test_mistyped_db_is_refused_not_created(tmp_path, command):
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, [*command, "--db", str(missing)])
    assert result.exit_code == 2, result.output
    assert "no ledger at" in result.output
    assert not missing.exists()


def test_ingest_creates_a_new_ledger(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    new = tmp_path / "new.db"
    assert runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", str(new)]).exit_code == 0
    assert new.is_file()
    assert runner.invoke(app, ["status", "--db", str(new)]).exit_code == 0


def test_database_url_is_not_checked_as_a_path(monkeypatch):
    from eventledger.cli import main
    from eventledger.storage import ledger

    opened = []
    monkeypatch.setattr(ledger.Ledger, "__init__", lambda self, url: opened.append(url))
    main._ledger("postgresql://user@nowhere/db", None)
    assert opened == ["postgresql://user@nowhere/db"]


def test_unreadable_path_on_the_command_line_is_rejected_and_the_rest_ingested(
    tmp_path, db, monkeypatch
):
    import os
    from pathlib import Path

    (tmp_path / "a.txt").write_text(TEXT)
    locked = tmp_path / "locked.txt"
    locked.write_text(TEXT.replace("Halba", "Tyre"))
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads whatever the mode: make it unreadable for this test
        real_access, real_open = os.access, Path.open

        def access(path, mode, *args, **kwargs):
            return False if str(path) == str(locked) else real_access(path, mode, *args, **kwargs)

        def open_(self, *args, **kwargs):
            if self == locked:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(os, "access", access)
        monkeypatch.setattr(Path, "open", open_)
    result = runner.invoke(app, ["ingest", str(locked), str(tmp_path / "a.txt"), "--db", db])
    assert result.exit_code == 1, result.output
    assert "stored 1 article" in result.output
    assert f"rejected [E101] {locked}" in result.output


def test_file_name_that_is_not_utf8_is_stored_and_printed_escaped(tmp_path, db):
    import os

    name = os.fsdecode(b"bad\xff.bin")
    (tmp_path / name).write_bytes(b"\x00binary")
    (tmp_path / "a.txt").write_text(TEXT)
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", db])
    assert result.exit_code == 1, result.output
    assert "bad\\xff.bin" in result.output
    assert "bad\\xff.bin" in runner.invoke(app, ["status", "--db", db]).output


def test_article_in_another_language_is_rejected_and_the_language_stored_when_given(tmp_path, db):
    french = (
        "Un bombardement a tué deux patients dans une clinique de Halba mardi, "
        "a indiqué le bureau de santé."
    )
    lines = [
        {"id": "fr1", "text": french},
        {"id": "en1", "text": TEXT, "language": "en"},
    ]
    (tmp_path / "mixed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    result = runner.invoke(app, ["ingest", str(tmp_path / "mixed.jsonl"), "--db", db])
    assert result.exit_code == 1, result.output
    assert "[E107]" in result.output and "language not supported: fr" in result.output
    documents = json.loads(runner.invoke(app, ["export", "--db", db]).output)["documents"]
    assert [(d["id"], d["language"]) for d in documents] == [("en1", "en")]


# --- issue 16: CLI papercuts ------------------------------------------------


def test_version_prints_the_package_version():
    from eventledger import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"eventledger {__version__}"


@pytest.mark.parametrize("args", [["-h"], ["export", "-h"], ["serve", "-h"]])
def test_dash_h_is_help(args):
    short = runner.invoke(app, args)
    long = runner.invoke(app, [*args[:-1], "--help"])
    assert short.exit_code == 0
    assert short.output == long.output and "Usage" in short.output


def test_serve_on_a_busy_port_is_exit_2_before_serving(example_db, monkeypatch):
    import socket

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not start"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--db", str(example_db), "--port", str(port)])
    assert result.exit_code == 2
    assert "serving" not in result.output
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "another server" in result.output and "--port" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "where"),
    [(["--port", "99999"], "127.0.0.1:99999"), (["--host", "x.invalid"], "x.invalid:")],
)
def test_serve_where_it_cannot_listen_is_exit_2_in_one_line(example_db, monkeypatch, args, where):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not start"))
    result = runner.invoke(app, ["serve", "--db", str(example_db), *args])
    assert result.exit_code == 2
    assert f"cannot listen on {where}" in result.output and "serving" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_serve_on_a_free_port_says_serving(example_db, monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    result = runner.invoke(app, ["serve", "--db", str(example_db), "--port", "0"])
    assert result.exit_code == 0, result.output
    assert "serving" in result.output and calls


def test_export_into_a_missing_folder_is_exit_2_in_one_line(tmp_path, example_db):
    out = tmp_path / "missing" / "out.csv"
    result = runner.invoke(
        app, ["export", "--db", str(example_db), "--format", "csv", "-o", str(out)]
    )
    assert result.exit_code == 2
    assert "no folder" in result.stderr and str(out.parent) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not out.parent.exists()


def test_export_to_a_file_says_what_it_wrote_on_stderr(tmp_path, example_db, example_export):
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["export", "--db", str(example_db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    n = len(example_export["incidents"])
    assert f"wrote {n} incident(s)" in result.stderr and str(out) in result.stderr
    assert len(json.loads(out.read_text())["incidents"]) == n


def test_export_to_stdout_prints_only_the_export(example_db):
    result = runner.invoke(app, ["export", "--db", str(example_db), "--format", "jsonl"])
    assert result.exit_code == 0 and result.stderr == ""
    assert all(json.loads(line) for line in result.stdout.splitlines())


def _country(inc):
    return (inc.get("place") or {}).get("country")


@pytest.mark.parametrize(
    ("args", "matches"),
    [
        (["--country", "sd"], lambda inc, ev: _country(inc) == "SD"),
        (["--type", "Battles"], lambda inc, ev: inc["type"] == "Battles"),
        (
            ["--from", "2024-03-15", "--to", "2024-03-16"],
            lambda inc, ev: (
                (inc.get("date") or {}).get("start") is not None
                and inc["date"]["end"] >= "2024-03-15"
                and inc["date"]["start"] <= "2024-03-16"
            ),
        ),
        (
            ["--health-care"],
            lambda inc, ev: any(ev.get(e, {}).get("health_care") for e in inc["event_ids"]),
        ),
        (
            ["--health-care", "--country", "LB"],
            lambda inc, ev: (
                _country(inc) == "LB"
                and any(ev.get(e, {}).get("health_care") for e in inc["event_ids"])
            ),
        ),
    ],
)
def test_export_filters_keep_the_matching_incidents_and_their_records(
    example_db, example_export, args, matches
):
    events = {e["id"]: e for e in example_export["events"]}
    expected = {i["id"] for i in example_export["incidents"] if matches(i, events)}
    assert expected and expected != {i["id"] for i in example_export["incidents"]}
    result = runner.invoke(app, ["export", "--db", str(example_db), *args])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {i["id"] for i in data["incidents"]} == expected
    event_ids = {e for i in data["incidents"] for e in i["event_ids"]}
    assert data["events"] and {e["id"] for e in data["events"]} <= event_ids
    assert all(f["event_id"] in event_ids for f in data["figures"])
    documents = {d for i in data["incidents"] for d in i["document_ids"]}
    assert {d["id"] for d in data["documents"]} == documents
    claims = {c for e in data["events"] for c in e["claim_ids"]}
    assert {c["id"] for c in data["claims"]} <= claims | {f["claim_id"] for f in data["figures"]}


def test_export_filters_apply_to_every_format(example_db):
    result = runner.invoke(
        app, ["export", "--db", str(example_db), "--format", "csv", "--country", "SD"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["place_country"] for r in rows} <= {"SD", ""}


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["export", "--from", "2024-02-30"], "--from"),
        (["export", "--to", "2024-13-01"], "--to"),
        (["export", "--from", "last week"], "--from"),
        (["export", "--from", "2024-03-20", "--to", "2024-03-01"], "--from"),
        (["export", "--country", "Lebanon"], "--country"),
        (["export", "--country", "XX"], "--country"),
        (["export", "--type", "Riot"], "--type"),
        (["export", "--type", "\x1b[31mRiot"], "--type"),
        (["ingest", "a.txt", "--published", "2024-02-30"], "--published"),
    ],
)
def test_bad_filter_value_is_exit_2_naming_the_field(example_db, args, field):
    result = runner.invoke(app, [*args, "--db", str(example_db)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error [E001] {field} ")
    assert len(result.stderr.strip().splitlines()) == 1 and "\x1b" not in result.stderr


def test_progress_says_the_model_is_loading_until_the_first_report():
    from rich.console import Console

    from eventledger.cli.main import _progress

    screen = io.StringIO()
    progress = _progress(Console(file=screen, force_terminal=True, width=100))
    update = progress.__enter__()
    try:
        task = progress.bar.tasks[0]
        assert task.description == "loading the model…"
        update(0, 0)
        assert task.description == "0 articles"
        update(3, 120)
        assert task.description == "3 articles" and "articles/s" in task.fields["rate"]
    finally:
        progress.__exit__(None, None, None)


def test_progress_is_silent_off_a_terminal():
    from rich.console import Console

    from eventledger.cli.main import _progress

    assert _progress(Console(file=io.StringIO(), force_terminal=False)).__enter__() is None


def test_local_ingest_reports_when_the_model_is_loaded(tmp_path, settings):
    from eventledger.batch.local import ingest
    from eventledger.storage import Ledger

    (tmp_path / "a.txt").write_text(TEXT)
    seen = []
    with Ledger(str(tmp_path / "p.db")) as ledger:
        ingest([tmp_path / "a.txt"], ledger, settings, progress=lambda *p: seen.append(p))
    assert seen[0] == (0, 0) and seen[-1][0] == 1
