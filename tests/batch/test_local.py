"""End to end over the bundled examples: every record's evidence is real text."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from pathlib import Path

import pytest

from eventledger.batch.local import ingest, ingest_raw
from eventledger.errors import EmptyInput
from eventledger.pipeline import register
from eventledger.stages.ingest import RawArticle
from eventledger.storage import Ledger

RECORD_KINDS = ("events", "figures", "claims")


def _spans(record: dict):
    """Every evidence span anywhere inside a record (nested fields included)."""
    if isinstance(record, dict):
        for key, value in record.items():
            if key in ("evidence",) and isinstance(value, list):
                yield from value
            elif key in ("cue_evidence", "content_evidence") and value:
                yield value
            else:
                yield from _spans(value)
    elif isinstance(record, list):
        for item in record:
            yield from _spans(item)


def test_every_evidence_span_matches_its_document_text(example_export):
    texts = {d["id"]: d["text"] for d in example_export["documents"]}
    checked = 0
    for kind in RECORD_KINDS + ("incidents",):
        for record in example_export[kind]:
            spans = list(_spans(record))
            if kind != "incidents":
                assert record["evidence"], f"{kind} {record['id']} has no evidence"
            for ev in spans:
                assert ev["text"] == texts[ev["document_id"]][ev["start"] : ev["end"]], (
                    kind,
                    record["id"],
                )
                checked += 1
    assert checked > 50


def test_examples_yield_records_of_every_kind(example_export):
    for kind in ("documents",) + RECORD_KINDS + ("incidents",):
        assert example_export[kind], f"no {kind} from the examples"


def test_every_record_points_at_a_stored_document(example_export):
    ids = {d["id"] for d in example_export["documents"]}
    for kind in RECORD_KINDS:
        for record in example_export[kind]:
            assert record["document_id"] in ids


def _raw(text, **kw):
    return RawArticle(source="mem", text=text, **kw)


TEXT = "Gunmen abducted two nurses from a clinic in Goma on Monday, the health ministry said."


def test_reingest_changes_nothing_and_new_text_is_a_revision(tmp_path, settings):
    ledger = Ledger(str(tmp_path / "l.db"))
    first = ingest_raw([_raw(TEXT, id="a1", published="2024-03-12")], ledger, settings)
    again = ingest_raw([_raw(TEXT + "\n", id="a1", published="2024-03-12")], ledger, settings)
    changed = ingest_raw(
        [_raw(TEXT.replace("two", "three"), id="a1", published="2024-03-12")], ledger, settings
    )
    assert (first.stored, again.stored, again.unchanged, changed.revised) == (1, 0, 1, 1)
    docs = ledger.documents(all_revisions=True)
    assert sorted(d.revision for d in docs) == [1, 2]
    assert [d.revision for d in ledger.documents()] == [2]


def test_same_key_twice_in_one_run(tmp_path, settings):
    ledger = Ledger(str(tmp_path / "l.db"))
    report = ingest_raw(
        [_raw(TEXT, id="a1"), _raw(TEXT, id="a1"), _raw(TEXT + " More.", id="a1")], ledger, settings
    )
    assert (report.stored, report.unchanged, report.revised) == (2, 1, 1)


def test_rejected_inputs_are_reported_and_the_run_goes_on(tmp_path, settings):
    ledger = Ledger(str(tmp_path / "l.db"))
    bad = EmptyInput("file is empty", source="x.txt")
    report = ingest_raw([bad, _raw(TEXT, id="ok")], ledger, settings)
    assert report.stored == 1
    assert report.exit_code == 1
    assert report.rejected[0][0] == "x.txt"
    assert ledger.rejections()[0]["source"] == "x.txt"


def test_a_stage_failure_is_recorded_against_the_document(tmp_path, settings):
    from eventledger.pipeline import Pipeline

    class Broken:
        name = "test.broken.v1"
        requires = assigns = ()

        def __call__(self, doc):
            raise RuntimeError("boom")

    pipeline = Pipeline.from_settings(settings)
    pipeline = Pipeline([*pipeline.stages, Broken()])
    ledger = Ledger(str(tmp_path / "l.db"))
    report = ingest_raw([_raw(TEXT, id="a1")], ledger, settings, pipeline=pipeline)
    assert report.stored == 1 and report.failed_stages == 1
    (failure,) = ledger.failures()
    assert failure["stage"] == "test.broken.v1" and "boom" in failure["message"]


def test_ingest_reads_folders(tmp_path, settings):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "a.txt").write_text(TEXT)
    (tmp_path / "in" / "empty.txt").write_text("")
    ledger = Ledger(str(tmp_path / "l.db"))
    report = ingest([tmp_path / "in"], ledger, settings)
    assert report.stored == 1 and len(report.rejected) == 1


def test_a_document_whose_linking_fails_is_not_stored(tmp_path, settings, monkeypatch):
    """Store, fingerprint and links are one transaction: all or nothing."""
    import pytest

    from eventledger.stages.incidents import IncidentLinker

    def broken(self, document_id, *args, **kwargs):
        raise RuntimeError(f"linking {document_id} failed")

    raws = [
        RawArticle(source="a.txt", id="a", text="Shelling killed two people in Halba on Monday."),
    ]
    monkeypatch.setattr(IncidentLinker, "link_document", broken)
    with Ledger(str(tmp_path / "l.db")) as ledger:
        with pytest.raises(RuntimeError, match="linking a failed"):
            ingest_raw(raws, ledger, settings)
        assert ledger.summary()["documents"] == 0
        assert ledger.sources_of(["a"]) == {}


def test_a_failure_rolls_back_its_batch_and_keeps_the_batches_before(
    tmp_path, settings, monkeypatch
):
    """One transaction per batch: the batch that fails is stored not at all, the
    ones before it whole, and a re-run stores the rest."""
    import dataclasses

    import pytest

    from eventledger.stages.incidents import IncidentLinker

    settings = dataclasses.replace(settings, doc_batch_size=2)
    link = IncidentLinker.link_document

    def fails_on_d(self, document_id, *args, **kwargs):
        if document_id == "d":
            raise RuntimeError("linking d failed")
        return link(self, document_id, *args, **kwargs)

    towns = {"a": "Halba", "b": "Goma", "c": "Sumy", "d": "Nyala", "e": "Kadugli"}
    raws = [
        RawArticle(source=f"{k}.txt", id=k, text=f"Shelling killed two people in {town} on Monday.")
        for k, town in towns.items()
    ]
    with Ledger(str(tmp_path / "l.db")) as ledger:
        monkeypatch.setattr(IncidentLinker, "link_document", fails_on_d)
        with pytest.raises(RuntimeError, match="linking d failed"):
            ingest_raw(raws, ledger, settings)
        # c was linked before d failed, but shares d's batch: neither is stored.
        assert sorted(d.id for d in ledger.documents()) == ["a", "b"]
        assert {d for i in ledger.incidents() for d in i.document_ids} == {"a", "b"}
        monkeypatch.setattr(IncidentLinker, "link_document", link)
        report = ingest_raw(raws, ledger, settings)
        assert (report.stored, report.unchanged) == (3, 2)
        assert sorted(d.id for d in ledger.documents()) == ["a", "b", "c", "d", "e"]


# --- worker processes (ingest_raw(workers=N)) --------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


@register("test.local_crash.v1")
class _CrashInWorker:
    """Ends a worker process on a text that asks for it, as a segfault or the
    OOM killer would (never the test's own process)."""

    requires = assigns = ()

    def __init__(self, settings):
        pass

    def __call__(self, doc):
        if "crash" in doc.text and multiprocessing.parent_process() is not None:
            os._exit(3)
        return doc


def _light(settings, **changes):
    """Settings for worker tests that need no spaCy: one stage, started at once."""
    changes = {"pipeline": ["test.local_crash.v1"], "workers_min_articles": 0, **changes}
    return dataclasses.replace(settings, **changes)


def test_ingest_with_worker_processes_writes_the_ledger_the_in_process_ingest_writes(
    tmp_path, settings, example_export
):
    """The example articles, parsed by two worker processes, give the ledger
    the in-process ingest gave (the `example_export` fixture): the same ids,
    events, figures, claims and incidents, in the same order."""
    settings = dataclasses.replace(settings, workers_min_articles=0)
    with Ledger(str(tmp_path / "w.db")) as ledger:
        report = ingest([EXAMPLES], ledger, settings, workers=2)
        exported = ledger.export()
    assert report.rejected == [] and report.stored == len(example_export["documents"])
    for kind in ("documents", "events", "figures", "claims", "incidents"):
        assert exported[kind], kind
        assert [r["id"] for r in exported[kind]] == [r["id"] for r in example_export[kind]], kind
    assert exported == example_export


def test_an_article_a_worker_dies_on_is_rejected_and_the_rest_are_stored(tmp_path, settings):
    raws = [_raw(f"Report number {i}.", id=f"r{i}") for i in range(6)]
    raws[2] = RawArticle(source="bad.txt", text="A report that makes it crash.", id="r2")
    with Ledger(str(tmp_path / "l.db")) as ledger:
        report = ingest_raw(raws, ledger, _light(settings), workers=1)
        assert sorted(d.id for d in ledger.documents()) == ["r0", "r1", "r3", "r4", "r5"]
        (rejection,) = ledger.rejections()
    assert report.stored == 5 and report.exit_code == 1
    ((source, code, message),) = report.rejected
    assert (source, code) == ("bad.txt", "E200") and "died" in message
    assert (rejection["source"], rejection["code"]) == ("bad.txt", "E200")


def test_workers_dying_past_the_limit_stop_the_run_keeping_whole_batches(
    tmp_path, settings, monkeypatch
):
    """Storage stays in the ingesting process, a transaction per batch: when
    the workers keep dying the run stops, and what it stored is whole batches."""
    from eventledger.errors import StageError
    from eventledger.pipeline import processes

    monkeypatch.setattr(processes, "MAX_RESTARTS", 0)
    raws = [_raw(f"Report number {i}.", id=f"r{i:02}") for i in range(20)]
    raws[12] = _raw("A report that makes it crash.", id="r12")
    with Ledger(str(tmp_path / "l.db")) as ledger:
        with pytest.raises(StageError, match="died 1 times"):
            ingest_raw(raws, ledger, _light(settings, doc_batch_size=3), workers=1)
        # The first chunk (8 articles) came back and two batches of 3 were
        # stored; the crash came while the third was gathered: none of it is.
        assert sorted(d.id for d in ledger.documents()) == [f"r{i:02}" for i in range(6)]


def test_ctrl_c_while_storing_keeps_whole_batches_and_stops_the_workers(
    tmp_path, settings, monkeypatch
):
    from eventledger.stages.incidents import IncidentLinker

    link = IncidentLinker.link_document

    def interrupted_on_r07(self, document_id, *args, **kwargs):
        if document_id == "r07":
            raise KeyboardInterrupt
        return link(self, document_id, *args, **kwargs)

    monkeypatch.setattr(IncidentLinker, "link_document", interrupted_on_r07)
    raws = [_raw(f"Report number {i}.", id=f"r{i:02}") for i in range(30)]
    with Ledger(str(tmp_path / "l.db")) as ledger:
        with pytest.raises(KeyboardInterrupt):
            ingest_raw(raws, ledger, _light(settings, doc_batch_size=3), workers=2)
        # r06-r08 were one batch: rolled back whole; the two before it kept.
        assert sorted(d.id for d in ledger.documents()) == [f"r{i:02}" for i in range(6)]
    assert multiprocessing.active_children() == []


def test_a_short_input_runs_in_process_whatever_workers_says(tmp_path, settings, monkeypatch):
    from eventledger.batch import local

    def no_processes(*args, **kwargs):
        raise AssertionError("worker processes started for a short input")

    monkeypatch.setattr(local, "ProcessPipeline", no_processes)
    light = _light(settings, workers_min_articles=3)
    raws = [_raw(f"Report number {i}.", id=f"r{i}") for i in range(2)]
    with Ledger(str(tmp_path / "l.db")) as ledger:
        assert ingest_raw(raws, ledger, light, workers=2).stored == 2
        with pytest.raises(AssertionError, match="short input"):
            ingest_raw(
                [_raw("Report number 9.", id=f"s{i}") for i in range(3)], ledger, light, workers=2
            )


def test_negative_workers_is_a_config_error(tmp_path, settings):
    from eventledger.errors import ConfigError

    with Ledger(str(tmp_path / "l.db")) as ledger, pytest.raises(ConfigError, match="--workers"):
        ingest_raw([_raw(TEXT, id="a1")], ledger, settings, workers=-1)
