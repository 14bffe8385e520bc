"""One frozen, keyword-only configuration object for the whole pipeline, in sections per stage.

Every setting has one name, used alike as the keyword (``ReuseConfig(min_passage_words=10)``),
the TOML key and, where the CLI has a flag for it, the flag (``--min-passage-words``); errors
name the setting as the user wrote it. Settings are grouped by the stage that reads them
(:data:`SECTIONS`: ``sketch``, ``candidates``, ``align``, ``talking``, ``scope``, ``input``), and a TOML file
may give them at the top level, in a ``[reuse]`` table, or in a table per section::

    [align]
    min_passage_words = 10

Every field has a documented default and is validated on construction with a message that says
how to fix a bad value. Flags override the file.
"""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from reuse.errors import ConfigError
from reuse.model import date_key

HASH_SCHEME = "affine32"
"""The datasketch MinHash permutation scheme our signatures reproduce (datasketch >= 2.0 default)."""

SECTIONS = ("sketch", "candidates", "align", "talking", "scope", "input")
"""The stages settings belong to, in pipeline order."""


def _whole(default: int, section: str, lo: int, hi: int) -> Any:
    return field(default=default, metadata={"section": section, "check": ("whole", lo, hi)})


def _number(default: float, section: str, lo: float, hi: float) -> Any:
    return field(default=default, metadata={"section": section, "check": ("number", lo, hi)})


def _fraction(default: float, section: str) -> Any:
    return field(default=default, metadata={"section": section, "check": ("fraction",)})


def _bool(default: bool, section: str) -> Any:
    return field(default=default, metadata={"section": section, "check": ("bool",)})


def _codec(default: str, section: str) -> Any:
    return field(default=default, metadata={"section": section, "check": ("codec",)})


def _text(default: str, section: str) -> Any:
    return field(default=default, metadata={"section": section, "check": ("text",)})


def _date(default: str | None, section: str) -> Any:
    return field(default=default, metadata={"section": section, "check": ("date",)})


EXTRACT_MODES = ("all", "main")


@dataclass(frozen=True, kw_only=True)
class ReuseConfig:
    """Settings for :func:`reuse.find_reuse`. All fields are keyword-only and have defaults.

    >>> ReuseConfig(min_passage_words=10).min_passage_words
    10
    >>> sorted(ReuseConfig.section("sketch"))
    ['anchor_rate', 'doc_threshold', 'num_perm', 'seed', 'shingle_size']
    """

    # --- sketch: tokens, shingles, signatures (fixed for an index) ----------------------------
    shingle_size: int = _whole(5, "sketch", 1, 32)
    """Words per shingle for candidate search and Jaccard. 5 keeps chance matches rare."""
    num_perm: int = _whole(128, "sketch", 8, 1024)
    """MinHash permutations per signature (datasketch ``num_perm``)."""
    seed: int = _whole(1, "sketch", 0, 2**32 - 1)
    """MinHash seed (datasketch ``seed``); signatures with different seeds are not comparable."""
    doc_threshold: float = _fraction(0.5, "sketch")
    """Jaccard threshold for whole-document near-duplicate LSH."""
    anchor_rate: int = _whole(4, "sketch", 1, 1 << 16)
    """One shingle in about this many (those whose hash is 0 modulo it) anchors the passage join;
    lower finds shorter or more heavily edited copies, at a proportional cost in memory and time."""

    # --- candidates: which pairs are scored -----------------------------------------------------
    max_bucket: int = _whole(200, "candidates", 2, 10**9)
    """LSH buckets, and anchors, shared by more documents than this are boilerplate and ignored
    (like passim's maxDF)."""
    min_shared_anchors: int = _whole(2, "candidates", 1, 10**6)
    """Documents sharing at least this many anchors become passage candidates (2 keeps chance
    matches of one common phrase out)."""
    min_shared_shingles: int = _whole(2, "candidates", 1, 10**6)
    """A candidate pair must share at least this many shingles exactly to be verified."""
    all_pairs_max_docs: int = _whole(2000, "candidates", 0, 10**6)
    """Corpora up to this many documents get a TF-IDF cosine for every pair; each document's nearest
    are listed, and pairs sharing a run of words long enough for a passage aligned
    (``reuse.engine.plan.small_corpus_pairs``)."""
    pair_min_cosine: float = _number(0.05, "candidates", 0.0, 1.0)
    """Pairs without passages are listed only when their TF-IDF cosine reaches this."""
    pair_neighbours: int = _whole(4, "candidates", 0, 1000)
    """On a small corpus, each document's this many nearest (by TF-IDF cosine, above
    ``pair_min_cosine``) are related pairs: the talking-points stage accepts a reworded claim
    there on less evidence, and the aligner runs there on a shared shingle held by at most this
    many documents plus one (a phrase of one neighbourhood, not a set phrase of the corpus). 0:
    only pairs sharing a run of words are aligned, and no pair is related by topic alone."""

    # --- align: passages of one pair ----------------------------------------------------------
    seed_size: int = _whole(3, "align", 1, 32)
    """Words per alignment seed (exact shared n-grams that anchor passages)."""
    min_passage_words: int = _whole(8, "align", 1, 10**6)
    """Shortest passage reported, in matched words."""
    short_phrases: bool = _bool(True, "align")
    """Also report shared phrases shorter than ``min_passage_chars`` (exact runs of at least
    ``min_passage_words`` words, small edits allowed) lying outside any longer passage. ``reuse
    eval pan`` turns this off: PAN scores passage-level reuse only."""
    merge_reordered: bool = _bool(False, "align")
    """Let one passage hold exact copies that appear in another order on the two sides. Off: each
    reordered copy is its own passage with its own offsets, and the text between is not swept in.
    ``reuse eval pan`` turns it on: PAN's gold annotates a shuffled passage as one case."""
    max_gap_words: int = _whole(12, "align", 0, 10**4)
    """Largest gap (in words, on either side) bridged when merging seeds into one edited passage."""
    max_seed_occurrences: int = _whole(20, "align", 1, 10**6)
    """Seeds occurring more often than this in one document are too common to anchor a passage."""
    sentence_min_terms: int = _whole(3, "align", 1, 1000)
    """Sentences with fewer content words join the next one before sentences are compared."""
    sentence_max_words: int = _whole(35, "align", 5, 10**6)
    """Longer stretches without sentence punctuation (lists, tables, obfuscated text) are cut into
    equal pieces of at most this many words, about a long sentence: one huge unit matches
    everything weakly."""
    seed_min_cosine: float = _number(0.33, "align", 0.0, 1.0)
    """Two sentences seed a paraphrase passage when their tf-isf cosine exceeds this ..."""
    seed_min_dice: float = _number(0.33, "align", 0.0, 1.0)
    """... and the Dice overlap of their content words exceeds this (Sanchez-Perez et al. 2014)."""
    max_gap_sentences: int = _whole(4, "align", 0, 1000)
    """Largest gap, in sentences, bridged when clustering seeds into one passage."""
    min_passage_similarity: float = _number(0.34, "align", 0.0, 1.0)
    """A clustered passage must reach this whole-passage cosine, or it is re-clustered tighter."""
    grow_min_gain: float = _number(0.01, "align", 0.0, 1.0)
    """An unmatched neighbouring sentence joins a passage only if it raises the passage's cosine by
    at least this much (a sentence that merely shares a topic word adds less)."""
    single_seed_min_similarity: float = _number(0.5, "align", 0.0, 1.0)
    """A passage resting on a single pair of sentences must reach this cosine (chance is likelier)."""
    summary_gap_sentences: int = _whole(24, "align", 0, 10**4)
    """Gap, in sentences of the longer side, bridged when looking for a summary of a long passage."""
    summary_min_similarity: float = _number(0.3, "align", 0.0, 1.0)
    """Whole-passage cosine a summary must reach (a summary shares less wording than a paraphrase)."""
    summary_min_ratio: float = _number(3.0, "align", 1.0, 1000.0)
    """A passage counts as a summary when its longer side has at least this many times the characters."""
    summary_whole_document: float = _number(0.5, "align", 0.0, 1.0)
    """A summary condenses a document: its long side must already span this share of that document,
    and is then stretched to the document's ends."""
    min_passage_chars: int = _whole(150, "align", 0, 10**7)
    """Shortest sentence-level (edited, paraphrased, summarised) passage, in characters of each side:
    shorter matches between documents on one topic are mostly names and set phrases, not reuse."""

    # --- talking: the corpus-aware stage after alignment (reuse/stages/talking/) -------------------
    paraphrase: bool = _bool(True, "talking")
    """Find reworded claims (``paraphrase`` passages) between the pairs considered."""
    paraphrase_min_score: float = _number(0.2, "talking", 0.0, 1.0)
    """Least sentence cosine (corpus-IDF-weighted stems) for a paraphrase passage."""
    paraphrase_min_evidence: int = _whole(2, "talking", 1, 100)
    """Least independent shared terms when one is a name phrase or a 2+ digit number; one more
    otherwise (a name phrase counts once, so a shared name alone never qualifies)."""
    paraphrase_min_words: int = _whole(5, "talking", 1, 1000)
    """Sentences (claim units) shorter than this many words are not matched."""
    paraphrase_window: int = _whole(2, "talking", 1, 10)
    """Adjacent sentences of one paragraph also matched together, up to this many (1 = single
    sentences only): a claim told in two sentences meets its one-sentence restatement."""
    background_share: float = _fraction(0.25, "talking")
    """Terms in this share of the corpus's sentences (recurring within documents), or of its
    documents when it has 20 or more, are background: they count in similarity, not as evidence."""
    min_claim_words: int = _whole(3, "talking", 0, 1000)
    """A passage counts only with this many content words per side outside names and boilerplate."""
    boilerplate_min_docs: int = _whole(2, "talking", 2, 10**9)
    """A phrase in this many documents of one source, and in no other source, is boilerplate."""
    cluster_min_link: float = _number(0.15, "talking", 0.0, 1.0)
    """Two groups of passages join into one talking point only if their sentences' average
    similarity reaches this (0 = plain union-find, which chains unrelated claims)."""

    # --- scope: which documents and pairs a scan reports (reuse/stages/scope.py) ------------------
    across_sources: bool = _bool(False, "scope")
    """Report only pairs whose documents have different sources (:func:`reuse.model.source_of`):
    reuse across outlets, not an outlet repeating itself."""
    source: tuple[str, ...] = field(default=(), metadata={"section": "scope", "check": ("sources",)})
    """Scan only documents of these sources (empty: all). Given as a list in TOML."""
    since: str | None = _date(None, "scope")
    """Scan only documents dated on or after this ISO 8601 date or time ("2024-06-01")."""
    until: str | None = _date(None, "scope")
    """Scan only documents dated on or before this ISO 8601 date or time (a bare date includes that
    whole day)."""
    min_score: float = _number(0.0, "scope", 0.0, 1.0)
    """Report only pairs whose headline score reaches this (their passages go with them)."""
    topic_pairs: bool = _bool(False, "scope")
    """Also report pairs that share no passage, related by topic (TF-IDF cosine) alone. Off by
    default: on 200 news articles they are 99% of all pairs and say only "same subject"."""

    # --- input: how files are read -------------------------------------------------------------
    extract: str = field(default="all", metadata={"section": "input", "check": ("choice", EXTRACT_MODES)})
    """How HTML pages become text: ``all`` (every block of the page, scripts and styles dropped) or
    ``main`` (the article only, without navigation, share bars and footers: trafilatura, from the
    ``reuse[extract]`` extra). Offsets index the extracted text either way."""
    encoding: str = _codec("utf-8", "input")
    """Encoding of input files; undecodable files are skipped with the reason."""
    id_field: str = _text("id", "input")
    text_field: str = _text("text", "input")
    source_field: str = _text("source", "input")
    title_field: str = _text("title", "input")
    date_field: str = _text("date", "input")
    url_field: str = _text("url", "input")

    def __post_init__(self) -> None:
        if isinstance(self.source, (str, list)):  # a TOML string where a list was meant: one source
            object.__setattr__(self, "source", (self.source,) if isinstance(self.source, str) else tuple(self.source))
        for f in fields(self):
            _check(f.name, getattr(self, f.name), f.metadata["check"])
        if self.since and self.until and date_key(self.since) > date_key(self.until):
            raise ConfigError(f"since: {self.since} is after until {self.until}; no document could be in range",
                              setting="since")

    @classmethod
    def section(cls, name: str) -> dict[str, Any]:
        """The settings of one section with their defaults, in declaration order."""
        return {f.name: f.default for f in fields(cls) if f.metadata["section"] == name}

    def replace(self, **changes: Any) -> ReuseConfig:
        """A copy with ``changes`` applied (validated like the original)."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}; see `reuse scan --help`",
                              setting=sorted(unknown)[0])
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_toml(cls, path: str | Path, **overrides: Any) -> ReuseConfig:
        """Load settings from a TOML file (see the module docstring), then apply ``overrides``.

        A bad value in the file is reported as ``FILE: SETTING: problem``.
        """
        path = Path(path)
        data = read_toml(path)
        data.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**data)
        except ConfigError as exc:
            if exc.setting in overrides:
                raise
            raise ConfigError(f"{path}: {exc}", setting=exc.setting) from None


def read_toml(path: Path) -> dict[str, Any]:
    """The settings a TOML file gives, flattened (sections checked), without validating values."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if isinstance(data.get("reuse"), dict):
        data = data["reuse"]
    known = {f.name: f.metadata["section"] for f in fields(ReuseConfig)}
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in SECTIONS and isinstance(value, dict):
            stray = sorted(k for k in value if known.get(k) != key)
            if stray:
                raise ConfigError(f"{path}: [{key}] has no setting {', '.join(stray)}; "
                                  f"its settings: {', '.join(ReuseConfig.section(key))}", setting=stray[0])
            flat.update(value)
        elif key not in known:
            raise ConfigError(f"{path}: unknown setting {key}; known: {', '.join(sorted(known))}", setting=key)
        else:
            flat[key] = value
    return flat


def _check(name: str, value: Any, check: tuple) -> None:
    """Raise :class:`ConfigError` naming ``name`` when ``value`` fails ``check``."""
    kind = check[0]
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{name}: expected true or false, got {value!r}", setting=name)
    elif kind == "whole":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{name}: expected a whole number, got {value!r}", setting=name)
        _in_range(name, value, check[1], check[2])
    elif kind in ("number", "fraction"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{name}: expected a number, got {value!r}", setting=name)
        _in_range(name, value, *(check[1:] if kind == "number" else (0.0, 1.0)))
        if kind == "fraction" and not 0.0 < value < 1.0:
            raise ConfigError(f"{name}: {value} must lie strictly between 0 and 1 (a Jaccard threshold such as 0.5)",
                              setting=name)
    elif kind in ("sources", "date", "choice"):
        _check_scope(name, value, check)
    elif kind in ("codec", "text"):
        if not isinstance(value, str):
            raise ConfigError(f"{name}: expected a string, got {value!r}", setting=name)
        if kind == "codec":
            try:
                "".encode(value)
            except LookupError:
                raise ConfigError(f"{name}: unknown codec {value!r}; use a Python codec name such as 'utf-8' "
                                  "or 'latin-1'", setting=name) from None


def _check_scope(name: str, value: Any, check: tuple) -> None:
    """Source lists, optional ISO 8601 dates and choices among a few modes."""
    kind = check[0]
    if kind == "sources" and not all(isinstance(s, str) and s for s in value):
        raise ConfigError(f"{name}: expected a list of source names, got {value!r}", setting=name)
    if kind == "date" and value is not None and (not isinstance(value, str) or date_key(value)[0] != 0):
        raise ConfigError(f"{name}: {value!r} is not an ISO 8601 date; write it like 2024-06-01 or "
                          "2024-06-01T08:00:00Z", setting=name)
    if kind == "choice" and value not in check[1]:
        raise ConfigError(f"{name}: {value!r} is not a mode; use one of {', '.join(check[1])}", setting=name)


def _in_range(name: str, value: float, lo: float, hi: float) -> None:
    if not lo <= value <= hi:
        raise ConfigError(f"{name}: {value} is out of range; use a value from {lo} to {hi}", setting=name)
