"""Exports of the ledger: JSON, JSON Lines and CSV, and the export's JSON Schema."""

from eventledger.export.formats import write_csv, write_json, write_jsonl
from eventledger.export.schema import ledger_schema, schema_errors

__all__ = ["ledger_schema", "schema_errors", "write_csv", "write_json", "write_jsonl"]
