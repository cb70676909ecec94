"""`eventledger serve`'s app: an older ledger is brought up to date before it is served."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from eventledger.cli.serve import build_app
from eventledger.storage import migrations
from eventledger.storage.engine import open_engine


def test_build_app_indexes_an_older_ledgers_text(tmp_path: Path, settings) -> None:
    db = tmp_path / "old.db"
    engine = open_engine(str(db))
    migrations.apply(engine, migrations.MIGRATIONS[:4])  # before the full-text index
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO documents (id, key, revision, superseded, title, text, text_hash, "
            "removed, ingested_at) VALUES ('d1', 'd1', 1, 0, 'Shelling', 'A clinic was hit', "
            "'h', '[]', '2024')"
        )
    engine.dispose()
    client = TestClient(build_app(str(db), settings, api_token=""))
    response = client.get("/api/documents", params={"q": "clin"})
    assert response.status_code == 200
    assert [d["id"] for d in response.json()["items"]] == ["d1"]
