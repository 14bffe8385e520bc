import pytest

from reuse.config import ReuseConfig
from reuse.errors import ConfigError


def test_defaults_are_valid_and_keyword_only():
    cfg = ReuseConfig()
    assert cfg.num_perm == 128
    with pytest.raises(TypeError):
        ReuseConfig(5)  # type: ignore[misc]


@pytest.mark.parametrize(
    "field,value,needle",
    [("num_perm", 0, "from 8 to 1024"), ("doc_threshold", 1.0, "strictly between 0 and 1"),
     ("shingle_size", "5", "whole number"), ("encoding", "nope", "unknown codec")],
)
def test_bad_values_say_how_to_fix_them(field, value, needle):
    with pytest.raises(ConfigError, match=needle):
        ReuseConfig(**{field: value})


def test_toml_file_then_overrides(tmp_path):
    f = tmp_path / "reuse.toml"
    f.write_text("[reuse]\nshingle_size = 4\nnum_perm = 64\n", encoding="utf-8")
    cfg = ReuseConfig.from_toml(f, num_perm=256)
    assert (cfg.shingle_size, cfg.num_perm) == (4, 256)
    f.write_text("shingel_size = 4\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting"):
        ReuseConfig.from_toml(f)


def test_settings_are_grouped_by_stage_and_every_one_has_a_section():
    from dataclasses import fields

    from reuse.config import SECTIONS

    assert {f.metadata["section"] for f in fields(ReuseConfig)} == set(SECTIONS)
    assert "min_passage_words" in ReuseConfig.section("align") and "encoding" in ReuseConfig.section("input")


def test_toml_sections_and_their_mistakes(tmp_path):
    f = tmp_path / "reuse.toml"
    f.write_text("[reuse.align]\nmin_passage_words = 10\n[reuse.sketch]\nnum_perm = 64\n", encoding="utf-8")
    assert (ReuseConfig.from_toml(f).min_passage_words, ReuseConfig.from_toml(f).num_perm) == (10, 64)
    f.write_text("[talking]\nmin_passage_words = 10\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[talking\] has no setting min_passage_words"):
        ReuseConfig.from_toml(f)
    f.write_text("[align]\nmin_passage_words = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="reuse.toml: min_passage_words: 0 is out of range"):
        ReuseConfig.from_toml(f)
