"""Syndicated copies: fingerprints, containment, the indexed store, and the examples."""

from __future__ import annotations

import hashlib

import pytest

from eventledger.models import Article
from eventledger.pipeline import Document
from eventledger.stages.incidents import SyndicationIndex, fingerprint
from eventledger.stages.incidents.syndication import containment
from eventledger.storage import Ledger

STORY = (
    "Soldiers stormed the Al-Sabeel Hospital in Jabalia early on Tuesday, searching its wards "
    "and detaining at least 11 staff members and several patients, the hospital's director said. "
    "The raid lasted around six hours, according to staff who spoke by telephone. "
    "Patients in the surgical ward were moved to corridors while the search went on. "
    "The health ministry said four children were among 22 patients who had to be evacuated. "
    "The army said it was acting on intelligence and did not comment on the detentions."
)
OTHER = (
    "Shells struck a displacement site on the western edge of Goma early on Monday, killing at "
    "least twelve people, local officials said. Aid workers said hundreds of families fled the "
    "camp towards the city centre, and the regional hospital received dozens of wounded."
)


def _variant(kind: str) -> str:
    if kind == "retitled":
        return "Troops raid Jabalia hospital\n\nBy Levant Wire\n\n" + STORY
    if kind == "cut":
        return STORY.rsplit(". ", 2)[0] + "."
    if kind == "recased":
        return STORY.upper().replace(",", " ,")
    return OTHER


@pytest.mark.parametrize(
    ("kind", "is_copy"),
    [("retitled", True), ("cut", True), ("recased", True), ("unrelated", False)],
)
def test_containment_finds_reprints_and_only_them(kind, is_copy):
    a, b = fingerprint(STORY), fingerprint(_variant(kind))
    score = containment(a.signature, a.shingles, b.signature, b.shingles)
    assert (score >= 0.8) is is_copy
    assert (a.norm_hash == b.norm_hash) is (kind == "recased")


def _store(ledger: Ledger, doc_id: str, key: str, text: str, outlet: str) -> None:
    h = hashlib.sha256(text.encode()).hexdigest()
    ledger.store(Document(Article(id=doc_id, key=key, text=text, outlet=outlet, text_hash=h)))


def test_the_index_lives_in_the_database(tmp_path):
    """A second Ledger object (a later run) finds copies registered by the first."""
    db = str(tmp_path / "s.db")
    with Ledger(db) as ledger:
        _store(ledger, "wire", "wire", STORY, "Levant Wire")
        assert SyndicationIndex(ledger).register("wire") == ("wire", [])
    with Ledger(db) as ledger:
        _store(ledger, "copy", "copy", _variant("retitled"), "Coastal Daily Herald")
        _store(ledger, "goma", "goma", OTHER, "Great Lakes Courier")
        index = SyndicationIndex(ledger)
        assert index.register("copy") == ("wire", ["wire"])
        assert index.register("goma") == ("goma", [])
        sources = ledger.sources_of(["wire", "copy", "goma"])
    assert {d: s["source_id"] for d, s in sources.items()} == {
        "wire": "wire",
        "copy": "wire",
        "goma": "goma",
    }


def test_a_new_revision_is_not_a_copy_of_its_old_self(tmp_path):
    with Ledger(str(tmp_path / "r.db")) as ledger:
        _store(ledger, "a", "a", STORY, "Levant Wire")
        index = SyndicationIndex(ledger)
        index.register("a")
        text = STORY + " Updated at noon."
        h = hashlib.sha256(text.encode()).hexdigest()
        ledger.store(Document(Article(id="a-r2", key="a", text=text, revision=2, text_hash=h)))
        assert index.register("a-r2") == ("a-r2", [])


def test_a_story_reprinted_many_times_is_judged_on_its_earliest_members(tmp_path):
    """Exact reprints keep at most MAX_COPIES matches; near-copies are compared with
    at most PER_STORY members of each story: the earliest, whose story they name."""
    from eventledger.stages.incidents.syndication import MAX_COPIES, PER_STORY

    with Ledger(str(tmp_path / "m.db")) as ledger:
        index = SyndicationIndex(ledger)
        for n in range(MAX_COPIES + 4):
            _store(ledger, f"w{n}", f"w{n}", STORY, f"Outlet {n}")
            index.register(f"w{n}")
        _store(ledger, "exact", "exact", STORY, "Late Outlet")
        source, copies = index.register("exact")
        assert (source, copies) == ("w0", [f"w{n}" for n in range(MAX_COPIES)])
        _store(ledger, "near", "near", _variant("retitled"), "Later Outlet")
        source, copies = index.register("near")
        assert source == "w0"
        assert copies == [f"w{n}" for n in range(PER_STORY)]


# --- the bundled examples -----------------------------------------------------


def _incident_of(export: dict, doc_id: str, **where) -> list[dict]:
    return [
        inc
        for inc in export["incidents"]
        if doc_id in inc["document_ids"]
        and all(str(v).casefold() in str(inc.get(k)).casefold() for k, v in where.items())
    ]


def test_examples_syndicated_copy_is_one_source_with_two_outlets(example_export):
    docs = {d["id"]: d for d in example_export["documents"]}
    wire = next(d for d in docs.values() if d["outlet"] == "Levant Wire" and "Jabalia" in d["text"])
    copy = next(d for d in docs.values() if d["outlet"] == "Coastal Daily Herald")
    shared = [
        i for i in example_export["incidents"] if {wire["id"], copy["id"]} <= set(i["document_ids"])
    ]
    assert shared, "the copy and its original share no incident"
    for inc in shared:
        (source,) = inc["sources"]  # counted once
        assert set(source["document_ids"]) == {wire["id"], copy["id"]}
        assert set(source["outlets"]) == {"Levant Wire", "Coastal Daily Herald"}
        assert source["original"] == wire["id"]  # the copy credits Levant Wire
        for fig in inc["figures"]:
            assert not fig["disagreement"]
            assert {v["copy"] for v in fig["values"] if v["document_id"] == copy["id"]} <= {True}


def test_examples_khan_yunis_reports_merge_with_a_disagreement(example_export):
    docs = {d["id"]: d for d in example_export["documents"]}
    wire = next(d for d in docs.values() if "kills 12" in (d["title"] or ""))
    gazette = next(d for d in docs.values() if "At least 15" in (d["title"] or ""))
    merged = [
        i
        for i in example_export["incidents"]
        if {wire["id"], gazette["id"]} <= set(i["document_ids"])
    ]
    assert len(merged) == 1
    (inc,) = merged
    assert len(inc["sources"]) == 2  # two independent reports
    (killed,) = [f for f in inc["figures"] if f["kind"] == "killed" and f["group"] is None]
    assert killed["disagreement"]
    assert sorted(v["min"] for v in killed["values"]) == [12, 15]
    assert killed["low"] == 12 and killed["high"] is None  # "at least 15" is open-ended
    assert "date" in inc["why"][0] and "type" in inc["why"][0]


def test_examples_cumulative_toll_is_a_time_series(example_export):
    tolls = {(t["kind"], t["claimant"]): t for t in example_export["tolls"]}
    toll = tolls[("killed", "health ministry")]
    assert [p["min"] for p in toll["series"]] == [14001]
    assert toll["series"][0]["as_of"] is not None
