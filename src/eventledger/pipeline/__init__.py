"""The engine: stage protocol, registry, build and run."""

from eventledger.pipeline.document import Document, Failure, Mention, Sentence
from eventledger.pipeline.engine import Pipeline
from eventledger.pipeline.registry import Stage, build_stage, register, registered

__all__ = [
    "Document",
    "Failure",
    "Mention",
    "Pipeline",
    "Sentence",
    "Stage",
    "build_stage",
    "register",
    "registered",
]
