"""The exception tree. The library raises these; the CLI and the API translate
them once, at the edge, into exit codes and one JSON error shape.

    EventLedgerError
    ├── ConfigError            a setting is missing or malformed
    ├── InputError             an input could not be read as an article
    │   ├── UnreadableInput    path missing, not readable, or a directory loop
    │   ├── EmptyInput         nothing but whitespace
    │   ├── BinaryInput        not text (NUL bytes, an image, an archive)
    │   ├── EncodingError      bytes that no detected encoding decodes
    │   ├── TooLarge           over the per-article size limit
    │   ├── MalformedRecord    a JSON Lines record or feed entry that is invalid
    │   └── UnsupportedLanguage  not in a language the pipeline reads
    ├── StageError             a stage failed on one document (recorded, batch goes on)
    ├── StorageError           the database refused or is of an unknown version
    ├── RegistryError          a pipeline names a stage nobody registered
    └── ReviewError            a decision or user that cannot be recorded as asked
        └── NotFound           the decision names a record or user the ledger lacks
"""

from __future__ import annotations

__all__ = [
    "BinaryInput",
    "ConfigError",
    "EmptyInput",
    "EncodingError",
    "EventLedgerError",
    "InputError",
    "MalformedRecord",
    "NotFound",
    "RegistryError",
    "ReviewError",
    "StageError",
    "StorageError",
    "TooLarge",
    "UnreadableInput",
    "UnsupportedLanguage",
]


class EventLedgerError(Exception):
    """Base of every error the library raises on purpose."""

    code = "E000"


class ConfigError(EventLedgerError):
    code = "E001"


class InputError(EventLedgerError):
    """An input was rejected. `source` names the file (and line) at fault."""

    code = "E100"

    def __init__(self, message: str, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source

    def __str__(self) -> str:
        msg = super().__str__()
        return f"{self.source}: {msg}" if self.source else msg


class UnreadableInput(InputError):
    code = "E101"


class EmptyInput(InputError):
    code = "E102"


class BinaryInput(InputError):
    code = "E103"


class EncodingError(InputError):
    code = "E104"


class TooLarge(InputError):
    code = "E105"


class MalformedRecord(InputError):
    code = "E106"


class UnsupportedLanguage(InputError):
    code = "E107"


class StageError(EventLedgerError):
    code = "E200"

    def __init__(self, stage: str, document_id: str, message: str) -> None:
        super().__init__(f"stage {stage} failed on document {document_id}: {message}")
        self.stage = stage
        self.document_id = document_id
        self.detail = message


class StorageError(EventLedgerError):
    code = "E300"


class RegistryError(EventLedgerError):
    code = "E400"


class ReviewError(EventLedgerError):
    """A decision (or a user) that cannot be recorded: an unknown field, a bad value."""

    code = "E500"


class NotFound(ReviewError):
    """The record, incident or user a decision names is not in the ledger."""

    code = "E501"
