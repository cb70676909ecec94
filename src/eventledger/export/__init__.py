"""Exports of the ledger: JSON, JSON Lines, CSV, the exchange formats, and the JSON Schema."""

from types import MappingProxyType

from eventledger.export.acled import write_acled
from eventledger.export.formats import write_csv, write_decisions, write_json, write_jsonl
from eventledger.export.geojson import write_geojson
from eventledger.export.insecurity import write_insecurity
from eventledger.export.parquet import write_parquet
from eventledger.export.plover import write_plover
from eventledger.export.schema import ledger_schema, schema_errors
from eventledger.export.ucdp import write_ucdp

# --format name -> (writer(data, stream), True when the stream must be binary).
FORMATS = MappingProxyType(
    {
        "json": (write_json, False),
        "jsonl": (write_jsonl, False),
        "csv": (write_csv, False),
        "acled": (write_acled, False),
        "ucdp": (write_ucdp, False),
        "plover": (write_plover, False),
        "insecurity": (write_insecurity, False),
        "geojson": (write_geojson, False),
        "parquet": (write_parquet, True),
        "decisions": (write_decisions, False),
    }
)

__all__ = [
    "FORMATS",
    "ledger_schema",
    "schema_errors",
    "write_acled",
    "write_csv",
    "write_decisions",
    "write_geojson",
    "write_insecurity",
    "write_json",
    "write_jsonl",
    "write_parquet",
    "write_plover",
    "write_ucdp",
]
