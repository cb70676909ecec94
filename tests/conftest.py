"""Shared fixtures. Only here: tests elsewhere keep their fixtures local."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from eventledger.config import Settings, load_settings
from eventledger.models import Article
from eventledger.pipeline import Document, build_stage
from eventledger.stages.annotate import SpacyAnnotator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(env={})


@pytest.fixture(scope="session")
def annotator(settings: Settings) -> SpacyAnnotator:
    return SpacyAnnotator(settings)


@pytest.fixture(scope="session")
def make_doc(annotator: SpacyAnnotator):
    """Build an annotated Document from a text (and optional publication date)."""

    def make(text: str, published: str | None = "2024-03-14", doc_id: str = "t1") -> Document:
        article = Article(
            id=doc_id,
            key=doc_id,
            text=text,
            published=published,
            text_hash=hashlib.sha256(text.encode()).hexdigest(),
        )
        return annotator(Document(article))

    return make


@pytest.fixture(scope="session")
def example_db(tmp_path_factory, settings) -> Path:
    """The bundled example articles ingested once, through the full pipeline."""
    from eventledger.batch.local import ingest
    from eventledger.storage import Ledger

    db = tmp_path_factory.mktemp("examples") / "examples.db"
    ledger = Ledger(str(db))
    report = ingest([EXAMPLES], ledger, settings)
    ledger.close()
    assert report.rejected == [], report.rejected
    return db


@pytest.fixture(scope="session")
def example_export(example_db) -> dict:
    from eventledger.storage import Ledger

    ledger = Ledger(str(example_db))
    data = ledger.export()
    ledger.close()
    return data


@pytest.fixture
def hospital_strike_export() -> dict:
    """An export of one hospital strike in Gaza told by two outlets: a total of 12
    killed (the ministry) with three health workers among them, "at least 15"
    (civil defence, a day later), and two paramedics abducted."""
    from eventledger.models import Event, Evidence, Figure, Incident, Place, When, to_dict
    from eventledger.stages.incidents.tolls import reconcile_figures

    texts = {
        "a": "A strike on Al-Amal Hospital killed 12 people, including three paramedics.",
        "b": "At least 15 died in the strike on Al-Amal Hospital; two paramedics were abducted.",
    }
    place = Place("Khan Younis", facility="Al-Amal Hospital", lat=31.34, lon=34.3, country="PS")
    when = When("2024-03-12", "2024-03-12", "day", "Tuesday", "weekday")
    events = [
        Event(
            id=f"{d}:ev1",
            document_id=d,
            type="Explosions/Remote violence",
            subtype="Air/drone strike",
            trigger="strike",
            health_care={"attack_types": ["strike"], "resources": ["facility"]},
            date=when,
            place=place,
            evidence=[Evidence.of(d, t, t.index("strike"), t.index("strike") + 6)],
        )
        for d, t in texts.items()
    ]
    ministry = {"name": "Ministry of Health", "type": "health_authority"}
    figures = [
        Figure("a:fig1", "a", "killed", None, 12, 12, False, "killed 12", claimant=ministry),
        Figure("a:fig2", "a", "killed", "health_workers", 3, 3, False, "three paramedics",
               claimant=ministry, part_of="a:fig1"),
        Figure("b:fig1", "b", "killed", None, 15, None, False, "At least 15",
               claimant={"name": "civil defence", "type": "government"}),
        Figure("b:fig2", "b", "hostages", "health_workers", 2, 2, False, "two paramedics"),
    ]  # fmt: skip
    for f in figures:
        f.event_id = f"{f.document_id}:ev1"
    incident = Incident(
        id="inc-a:ev1",
        type="Explosions/Remote violence",
        event_ids=["a:ev1", "b:ev1"],
        document_ids=["a", "b"],
        date=when,
        place=place,
        figures=reconcile_figures(figures, published_of={"a": "2024-03-12", "b": "2024-03-13"}),
    )
    documents = [
        {"id": d, "key": d, "text": t, "outlet": d.upper(), "published": f"2024-03-1{2 + n}"}
        for n, (d, t) in enumerate(texts.items())
    ]
    return {
        "documents": documents,
        "events": [to_dict(e) for e in events],
        "figures": [to_dict(f) for f in figures],
        "claims": [],
        "incidents": [to_dict(incident)],
    }


@pytest.fixture(scope="session")
def claims_side_by_side(settings: Settings, make_doc):
    """`claims_side_by_side(OLD, NEW)(text)`: the claims two claims stages find in
    one text, to show what a new version changes."""

    def pair(old: str, new: str):
        first, second = build_stage(old, settings), build_stage(new, settings)
        return lambda text: (first(make_doc(text)).claims, second(make_doc(text)).claims)

    return pair


@pytest.fixture(scope="session")
def claim_spans():
    """A claim's source, cue and content texts (None where it has none)."""

    def spans(claim) -> tuple[str | None, ...]:
        return tuple(
            ev.text if ev is not None else None
            for ev in (claim.source_evidence, claim.cue_evidence, claim.content_evidence)
        )

    return spans
