"""One group vocabulary: the figures stage's taxonomy and the exporters must agree."""

from __future__ import annotations

import pytest

from eventledger.data import load_toml
from eventledger.export import insecurity, ucdp
from eventledger.models import groups


def test_groups_are_the_taxonomy_groups():
    taxonomy = set(load_toml("taxonomy.toml")["figures"]["groups"])
    assert taxonomy - {groups.NO_GROUP} == groups.GROUPS


def test_groups_every_group_is_civilian_or_combatant():
    assert groups.CIVILIAN_GROUPS | groups.COMBATANT_GROUPS == groups.GROUPS
    assert not groups.CIVILIAN_GROUPS & groups.COMBATANT_GROUPS


@pytest.mark.parametrize(
    "used",
    [ucdp.CIVILIAN_GROUPS, insecurity.HEALTH_WORKERS],
    ids=["ucdp civilians", "insecurity health workers"],
)
def test_groups_the_exporters_name_only_known_groups(used):
    assert used and used <= groups.GROUPS
