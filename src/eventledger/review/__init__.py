"""Review: coders' decisions on the machine's records (issue 16).

Storage keeps users and the append-only decisions (storage.review); this
package lays them over incidents and exports (`overlay`), and applies the
decisions that move events between incidents, merge and split, again after
the machine re-linked them (`incidents`).
"""

from eventledger.review.incidents import Replay, merge, replay, split
from eventledger.review.overlay import incident_status, overlay_export, overlay_incidents

__all__ = [
    "Replay",
    "incident_status",
    "merge",
    "overlay_export",
    "overlay_incidents",
    "replay",
    "split",
]
