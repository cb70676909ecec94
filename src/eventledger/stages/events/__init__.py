"""events stage: detection, typing, arguments, factuality, attachment, merge."""

from eventledger.stages.events.healthcare_model import HealthCareModel
from eventledger.stages.events.rules import EventRules, Trigger, load_taxonomy

__all__ = ["EventRules", "HealthCareModel", "Trigger", "load_taxonomy"]
