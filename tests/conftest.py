"""Shared fixtures. Only here: tests elsewhere keep their fixtures local."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from eventledger.config import Settings, load_settings
from eventledger.models import Article
from eventledger.pipeline import Document
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
