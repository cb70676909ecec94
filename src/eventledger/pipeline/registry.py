"""Stage protocol and registry: every stage is registered under a versioned
name ("claims.rules.v1") and built from the settings."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from eventledger.errors import RegistryError

if TYPE_CHECKING:
    from eventledger.config import Settings
    from eventledger.pipeline.document import Document

__all__ = ["Stage", "build_stage", "register", "registered", "stage_modules"]


@runtime_checkable
class Stage(Protocol):
    """A callable that takes a Document and returns it, enriched.

    `name` is the versioned registered name. A stage may also define
    `pipe(docs)` to work on a batch (the annotate stage does, for nlp.pipe).
    """

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    assigns: ClassVar[tuple[str, ...]]

    def __call__(self, doc: Document) -> Document: ...


_FACTORIES: dict[str, Callable[[Settings], Stage]] = {}

# Where the built-in stages live: importing a module registers its stages.
_BUILTIN_MODULES = (
    "eventledger.stages.annotate",
    "eventledger.stages.dates",
    "eventledger.stages.places",
    "eventledger.stages.claims",
    "eventledger.stages.figures",
    "eventledger.stages.events",
    "eventledger.stages.actors",
)


def register(name: str) -> Callable[[type], type]:
    """Class decorator: register a stage class under `name` (must end in .vN)."""
    if not name.rsplit(".", 1)[-1].startswith("v"):
        raise RegistryError(f"stage name {name!r} must end with a version such as '.v1'")

    def decorate(cls: type) -> type:
        cls.name = name  # type: ignore[attr-defined]
        _FACTORIES[name] = cls
        return cls

    return decorate


def _load_builtins() -> None:
    for module in _BUILTIN_MODULES:
        importlib.import_module(module)


def registered() -> list[str]:
    _load_builtins()
    return sorted(_FACTORIES)


def build_stage(name: str, settings: Settings) -> Stage:
    _load_builtins()
    try:
        factory = _FACTORIES[name]
    except KeyError:
        known = ", ".join(sorted(_FACTORIES))
        raise RegistryError(
            f"no stage registered as {name!r}; known stages: {known}. "
            "Check the [pipeline] stages list in your config."
        ) from None
    return factory(settings)


def stage_modules(names: Iterable[str]) -> list[str]:
    """The modules that register the stages `names` and are not built in: a fresh
    process (a pipeline worker) imports them to know those stages."""
    _load_builtins()
    modules = {_FACTORIES[n].__module__ for n in names if n in _FACTORIES}
    return sorted(m for m in modules if not m.startswith("eventledger."))


def pipe_stage(stage: Stage, docs: Iterable[Document]) -> Iterator[Document]:
    pipe = getattr(stage, "pipe", None)
    if pipe is not None:
        yield from pipe(docs)
    else:
        for doc in docs:
            yield stage(doc)
