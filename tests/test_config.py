from __future__ import annotations

import dataclasses
import re
import tomllib

import pytest

from eventledger.config import Settings, default_config_text, load_settings
from eventledger.errors import ConfigError


def test_every_setting_is_in_the_commented_defaults_file():
    text = default_config_text()
    defaults = tomllib.loads(text)
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert set(defaults) == fields
    blocks = text.split("\n\n")
    for name in fields:
        # the setting's paragraph of the file must say why it has its value
        block = next(b for b in blocks if re.search(rf"^{name} =", b, re.M))
        assert block.lstrip().startswith("#"), f"setting {name} has no comment"


def test_defaults_file_matches_dataclass_defaults():
    assert load_settings(env={}) == Settings()


def test_layers_env_then_flags(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('nlp_batch_size = 8\ndb = "a.db"\n')
    s = load_settings(cfg, env={"EVENTLEDGER_DB": "b.db"}, link_max_km=3.5)
    assert (s.nlp_batch_size, s.db, s.link_max_km) == (8, "b.db", 3.5)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("nlp_batch_size = 'many'", "expected int"),
        ("nope = 1", "unknown setting"),
        ("x = [", "not valid TOML"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path, content, match):
    cfg = tmp_path / "c.toml"
    cfg.write_text(content)
    with pytest.raises(ConfigError, match=match):
        load_settings(cfg, env={})


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings(tmp_path / "missing.toml", env={})
