"""The JSON Schema (draft 2020-12) of `Ledger.export()`, shipped in the package."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["ledger_schema", "schema_errors"]


def ledger_schema() -> dict[str, Any]:
    """The schema of the whole export object, read from eventledger/schema/ledger.schema.json."""
    text = resources.files("eventledger").joinpath("schema/ledger.schema.json").read_text("utf-8")
    return json.loads(text)


def schema_errors(data: Any, limit: int = 20) -> list[str]:
    """Up to `limit` messages for the ways `data` breaks the schema; [] when it is valid."""
    import jsonschema  # imported here: only validation needs it

    validator = jsonschema.Draft202012Validator(ledger_schema())
    errors = []
    for error in validator.iter_errors(data):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        errors.append(f"{where}: {error.message}")
        if len(errors) >= limit:
            break
    return errors
