"""Flags -> :class:`~reuse.config.ReuseConfig`: defaults, then the TOML file, then the flags.

A setting's flag is its name with dashes (``min_passage_words`` -> ``--min-passage-words``), so the
flag, the TOML key and the keyword are one name; an error about a value names it as the user gave
it (the flag, or the file and key). The spellings of earlier versions still work, unlisted.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from reuse.config import EXTRACT_MODES, ReuseConfig, read_toml
from reuse.errors import ConfigError

FLAG_HELP: dict[str, tuple[type, str]] = {
    "shingle_size": (int, "Words per shingle for candidates and Jaccard [5]."),
    "num_perm": (int, "MinHash permutations [128]."),
    "seed": (int, "MinHash seed [1]."),
    "doc_threshold": (float, "Jaccard threshold of whole-document LSH [0.5]."),
    "seed_size": (int, "Words per alignment seed [3]."),
    "min_passage_words": (int, "Shortest passage reported, in matched words [8]."),
    "max_gap_words": (int, "Largest gap in words bridged inside an edited passage [12]."),
    "all_pairs_max_docs": (int, "Score every pair up to this many documents [2000]."),
    "paraphrase_min_score": (float, "Least sentence cosine of a paraphrase passage [0.2]."),
    "min_claim_words": (int, "Content words outside names/boilerplate a passage needs [3]."),
    "min_score": (float, "Report only pairs scoring at least this [0]."),
    "since": (str, "Scan only documents dated on or after this ISO date (2024-06-01)."),
    "until": (str, "Scan only documents dated on or before this ISO date (its whole day)."),
    "extract": (click.Choice(EXTRACT_MODES), "HTML pages: 'all' text blocks, or 'main' article only (needs reuse[extract]) [all]."),
}
"""The settings with a flag of their own (every setting can be given in the ``--config`` file)."""

ALIASES = {"threshold": "doc_threshold", "min_words": "min_passage_words", "max_gap": "max_gap_words",
           "paraphrase_threshold": "paraphrase_min_score"}
"""Flag spellings of earlier versions (hidden): ``--threshold`` is ``--doc-threshold``, ..."""

ALIGN_FLAGS = ("seed_size", "min_passage_words", "max_gap_words")
"""The flags that may differ from query to query of one index."""

INDEX_FLAGS = tuple(name for name in FLAG_HELP if name not in ("min_score", "since", "until"))
"""The flags of ``index add``: which documents and pairs a scan reports is no setting of an index."""


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def config_options(names: tuple[str, ...] = tuple(FLAG_HELP)) -> Callable[[Any], Any]:
    """Decorator adding the flags of ``names`` (and their old spellings, hidden) to a command."""
    def decorate(f: Any) -> Any:
        for name in reversed(names):
            typ, help_ = FLAG_HELP[name]
            f = click.option(flag(name), name, type=typ, default=None, help=help_)(f)
        for old, name in ALIASES.items():
            if name in names:
                f = click.option(flag(old), f"alias_{old}", type=FLAG_HELP[name][0], default=None, hidden=True)(f)
        return f
    return decorate


def given_flags(flags: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """``setting -> (flag as typed, value)`` of the setting flags given (old spellings resolved)."""
    out: dict[str, tuple[str, Any]] = {}
    for key, value in flags.items():
        if value is None or value == ():  # not given (a repeatable flag gives an empty tuple)
            continue
        if key.startswith("alias_"):
            old = key[len("alias_"):]
            out.setdefault(ALIASES[old], (flag(old), value))
        else:
            out[key] = (flag(key), value)
    return out


def build_config(config_file: str | None, encoding: str | None, fields: dict[str, str | None],
                 flags: dict[str, Any], base: dict[str, Any] | None = None) -> ReuseConfig:
    """Defaults (or ``base``), then the TOML file, then the flags given on the command line."""
    given = given_flags(flags)
    overrides = {name: value for name, (_, value) in given.items()}
    if encoding:
        overrides["encoding"] = encoding
        given["encoding"] = ("--encoding", encoding)
    for k, v in fields.items():
        if v:
            overrides[f"{k}_field"] = v
            given[f"{k}_field"] = (flag(f"{k}_field"), v)
    settings = dict(base or {})
    try:
        if config_file:
            settings.update(read_toml(Path(config_file)))
        settings.update(overrides)
        return ReuseConfig(**settings)
    except ConfigError as exc:
        if exc.setting in given:  # name the flag the user typed, not the field
            typed = given[exc.setting][0]
            raise ConfigError(f"{typed}{str(exc)[len(exc.setting):]}", setting=exc.setting) from None
        if config_file and exc.setting and not str(exc).startswith(str(config_file)):
            raise ConfigError(f"{config_file}: {exc}", setting=exc.setting) from None
        raise


def file_settings(config_file: str | None) -> set[str]:
    """The settings a ``--config`` file gives (empty without one)."""
    return set(read_toml(Path(config_file))) if config_file else set()
