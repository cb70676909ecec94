"""eventledger: news reports in, an incident ledger out, every field traced to its evidence."""

from eventledger.config import Settings, load_settings
from eventledger.errors import EventLedgerError
from eventledger.models import Article, Claim, Event, Evidence, Figure, Incident, Place, When
from eventledger.pipeline import Document, Pipeline

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Claim",
    "Document",
    "Event",
    "EventLedgerError",
    "Evidence",
    "Figure",
    "Incident",
    "Pipeline",
    "Place",
    "Settings",
    "When",
    "__version__",
    "load_settings",
]
