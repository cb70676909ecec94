import pytest

from eventledger.export.rows import actors_in

RULES_TARGET = {"role": "target", "name": "the district hospital", "source": None}
CONFIRMED_PERP = {"role": "perpetrator", "name": "gunmen", "source": "rules+model"}
MODEL_VICTIM = {"role": "victim", "name": "Dr Ana Ruiz", "source": "model"}
MODEL_PERP = {"role": "perpetrator", "name": "the militia", "source": "model"}


@pytest.mark.parametrize(
    ("actors", "roles", "expected"),
    [
        # the rules' target wins over a victim only the argument model found
        ([RULES_TARGET, MODEL_VICTIM], ("victim", "target"), ["the district hospital"]),
        # the rules give none in these roles: the model's fills the field
        ([RULES_TARGET, MODEL_VICTIM], ("victim",), ["Dr Ana Ruiz"]),
        # a rules' actor the model confirmed is the rules' own
        ([MODEL_PERP, CONFIRMED_PERP], ("perpetrator",), ["gunmen"]),
        ([RULES_TARGET], ("perpetrator",), []),
    ],
)
def test_actors_in_takes_the_models_own_only_where_the_rules_give_none(actors, roles, expected):
    assert [a["name"] for a in actors_in({"actors": actors}, roles)] == expected
