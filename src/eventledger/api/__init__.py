"""The HTTP API (FastAPI): one router per resource, one JSON error shape."""

from eventledger.api.app import create_app

__all__ = ["create_app"]
