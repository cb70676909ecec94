"""events stage: detection, typing, arguments, factuality, attachment, merge."""

from eventledger.stages.events.acled_wide import AcledWide
from eventledger.stages.events.healthcare_model import HealthCareModel, HealthCareModelV3
from eventledger.stages.events.roles_model import RolesModel, RolesModelV2
from eventledger.stages.events.rules import EventRules, Trigger, load_taxonomy
from eventledger.stages.events.subtype_model import SubtypeModel

__all__ = [
    "AcledWide",
    "EventRules",
    "HealthCareModel",
    "HealthCareModelV3",
    "RolesModel",
    "RolesModelV2",
    "SubtypeModel",
    "Trigger",
    "load_taxonomy",
]
