"""Merges update an incident from its own values; the result must equal reconciling
every figure of its events again, from the store."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from eventledger.batch.local import ingest_raw
from eventledger.errors import InputError
from eventledger.stages.incidents import build_sources, reconcile_figures
from eventledger.stages.ingest import read_paths
from eventledger.storage import Ledger

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "articles"


def _recomputed(ledger: Ledger) -> list[tuple[list, list]]:
    figures = ledger.figures(all_revisions=True)
    out = []
    for inc in ledger.incidents():
        info = ledger.sources_of(inc.document_ids)
        source_of = {d: m["source_id"] for d, m in info.items()}
        published_of = {d: m["published"] for d, m in info.items()}
        mine = [f for e in inc.event_ids for f in figures if f.event_id == e]
        expected = reconcile_figures(mine, source_of, published_of)
        out.append((inc.figures, expected))
        assert inc.sources == build_sources(info, inc.document_ids)
    return out


def test_stored_incident_figures_equal_a_full_reconciliation(example_db) -> None:
    with Ledger(str(example_db)) as ledger:
        pairs = _recomputed(ledger)
    assert any(len(stored) and len(stored[0].values) > 1 for stored, _ in pairs)
    for stored, expected in pairs:
        assert stored == expected


def test_reprints_extend_incidents_as_a_full_reconciliation_would(tmp_path, settings) -> None:
    raws = [r for r in read_paths([EXAMPLES]) if not isinstance(r, InputError)]
    copies = [
        dataclasses.replace(r, id=f"copy{i}-{r.id}", url=None) for i in range(3) for r in raws
    ]
    with Ledger(str(tmp_path / "l.db")) as ledger:
        ingest_raw(copies, ledger, settings)
        pairs = _recomputed(ledger)
    merged = [stored for stored, _ in pairs if stored and len(stored[0].values) >= 3]
    assert merged, "no incident took figures from three reprints"
    for stored, expected in pairs:
        assert stored == expected
