"""events stage: detection, typing, arguments, factuality, attachment, merge."""

from eventledger.stages.events.rules import EventRules, Trigger, load_taxonomy

__all__ = ["EventRules", "Trigger", "load_taxonomy"]
