"""The versioned vocabularies shipped with eventledger (taxonomy, cues,
actors, gazetteer extras). Stages share these files, never each other's code."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from eventledger.errors import ConfigError

__all__ = ["load_toml"]


@lru_cache(maxsize=16)
def load_toml(name: str) -> dict[str, Any]:
    """A packaged data file (`data/<name>`), parsed once per process.

    Callers must not mutate the result: it is shared.
    """
    try:
        text = resources.files("eventledger").joinpath("data", name).read_text("utf-8")
        return tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"cannot read the packaged data file data/{name}: {exc}. "
            "Reinstall eventledger (pip install -e .)."
        ) from exc
