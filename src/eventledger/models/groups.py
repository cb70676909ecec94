"""The victim groups a figure can name: one vocabulary for the figures stage
(its words per group are in data/taxonomy.toml, [figures.groups]) and the
exporters. tests/models/test_groups.py fails when the two drift apart."""

from __future__ import annotations

__all__ = [
    "CHILDREN",
    "CIVILIANS",
    "CIVILIAN_GROUPS",
    "COMBATANT_GROUPS",
    "FIGHTERS",
    "GROUPS",
    "HEALTH_WORKERS",
    "NO_GROUP",
    "PATIENTS",
    "WOMEN",
]

HEALTH_WORKERS = "health_workers"
PATIENTS = "patients"
CIVILIANS = "civilians"
CHILDREN = "children"
WOMEN = "women"
FIGHTERS = "fighters"

# Every value a figure's `group` may take (besides null).
GROUPS = frozenset({HEALTH_WORKERS, PATIENTS, CIVILIANS, CHILDREN, WOMEN, FIGHTERS})
# The taxonomy's entry for counted nouns that are people but no group
# ("people", "residents of"): such figures have group null.
NO_GROUP = "people"

# Groups whose dead are civilians (UCDP deaths_civilians) and combatants.
CIVILIAN_GROUPS = frozenset({HEALTH_WORKERS, PATIENTS, CIVILIANS, CHILDREN, WOMEN})
COMBATANT_GROUPS = frozenset({FIGHTERS})
