"""Storage: the ledger's schema, named migrations and queries (SQLite default, PostgreSQL)."""

from eventledger.storage.ledger import Ledger

__all__ = ["Ledger"]
