"""Turn records into JSON-ready dicts and back, and find every evidence span in them."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

from eventledger.models import Evidence

__all__ = ["RecordCodec", "evidence_spans"]


class RecordCodec:
    """Rebuild model records from the dicts `models.to_dict` made, guided by type hints.

    Each type hint is compiled once into a small decoding function: reading
    records back is on the ingest path (incident linking), so it must not
    re-inspect type hints for every value.
    """

    def __init__(self) -> None:
        self._decoders: dict[Any, Callable[[Any], Any]] = {}

    def decode(self, cls: type, data: Any) -> Any:
        """The record of class `cls` that `models.to_dict` turned into `data`."""
        return self._decoder(cls)(data)

    def _decoder(self, hint: Any) -> Callable[[Any], Any]:
        found = self._decoders.get(hint)
        if found is None:
            found = self._decoders[hint] = self._compile(hint)
        return found

    def _compile(self, hint: Any) -> Callable[[Any], Any]:
        origin = typing.get_origin(hint)
        if origin in (types.UnionType, typing.Union):
            options = [a for a in typing.get_args(hint) if a is not type(None)]
            # Only `X | None` unions of one record class need decoding.
            if len(options) != 1:
                return _identity
            inner = self._decoder(options[0])
            return lambda v: None if v is None else inner(v)
        if origin is list:
            (item,) = typing.get_args(hint)
            if not _needs_decoding(item):
                return lambda v: None if v is None else list(v)
            inner = self._decoder(item)
            return lambda v: None if v is None else [inner(x) for x in v]
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            fields = {
                name: self._decoder(h) if _needs_decoding(h) else None
                for name, h in typing.get_type_hints(hint).items()
            }

            def record(v: Any, cls: type = hint, fields: dict = fields) -> Any:
                if v is None:
                    return None
                return cls(
                    **{k: (f(x) if (f := fields.get(k)) is not None else x) for k, x in v.items()}
                )

            return record
        return _identity


def _identity(value: Any) -> Any:
    return value


def _needs_decoding(hint: Any) -> bool:
    """Whether values of this hint contain records (plain JSON values pass through)."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return True
    return any(_needs_decoding(a) for a in typing.get_args(hint))


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
