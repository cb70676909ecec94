"""Turn records into JSON-ready dicts and back, and find every evidence span in them."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator
from typing import Any

from eventledger.models import Evidence

__all__ = ["RecordCodec", "evidence_spans"]


class RecordCodec:
    """Rebuild model records from the dicts `models.to_dict` made, guided by type hints."""

    def __init__(self) -> None:
        # Type hints resolved once per class: get_type_hints is slow.
        self._hints: dict[type, dict[str, Any]] = {}

    def decode(self, cls: type, data: Any) -> Any:
        """The record of class `cls` that `models.to_dict` turned into `data`."""
        return self._decode(cls, data)

    def _decode(self, hint: Any, value: Any) -> Any:
        if value is None:
            return None
        origin = typing.get_origin(hint)
        if origin in (types.UnionType, typing.Union):
            options = [a for a in typing.get_args(hint) if a is not type(None)]
            # Only `X | None` unions of one record class need decoding.
            return self._decode(options[0], value) if len(options) == 1 else value
        if origin is list:
            (item,) = typing.get_args(hint)
            return [self._decode(item, v) for v in value]
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            hints = self._hints.get(hint)
            if hints is None:
                hints = self._hints[hint] = typing.get_type_hints(hint)
            return hint(**{name: self._decode(hints[name], v) for name, v in value.items()})
        return value


def evidence_spans(record: Any, path: str = "") -> Iterator[tuple[str, Evidence]]:
    """Every Evidence inside `record`, with its path ("date.evidence[0]")."""
    if isinstance(record, Evidence):
        yield path, record
    elif dataclasses.is_dataclass(record) and not isinstance(record, type):
        for f in dataclasses.fields(record):
            sub = f"{path}.{f.name}" if path else f.name
            yield from evidence_spans(getattr(record, f.name), sub)
    elif isinstance(record, list | tuple):
        for i, item in enumerate(record):
            yield from evidence_spans(item, f"{path}[{i}]")
    elif isinstance(record, dict):
        for key, item in record.items():
            yield from evidence_spans(item, f"{path}.{key}")
