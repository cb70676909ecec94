from __future__ import annotations

import pytest

from eventledger.errors import RegistryError
from eventledger.pipeline import build_stage, register, registered


def test_default_pipeline_stages_are_all_registered(settings):
    names = registered()
    for stage in settings.pipeline:
        assert stage in names


def test_unknown_stage_names_the_known_ones(settings):
    with pytest.raises(RegistryError, match="known stages: .*annotate.spacy.v1"):
        build_stage("claims.magic.v9", settings)


def test_names_must_carry_a_version():
    with pytest.raises(RegistryError, match="version"):
        register("claims.rules")
