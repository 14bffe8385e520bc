"""One frozen, keyword-only configuration object for the whole pipeline.

Every field has a documented default and is validated on construction with a message that says
how to fix a bad value. A config can be loaded from a TOML file (``reuse.toml``: top-level keys or
a ``[reuse]`` table) and then overridden field by field (the CLI does this with its flags).
"""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from reuse.errors import ConfigError

HASH_SCHEME = "affine32"
"""The datasketch MinHash permutation scheme our signatures reproduce (datasketch >= 2.0 default)."""


@dataclass(frozen=True, kw_only=True)
class ReuseConfig:
    """Settings for :func:`reuse.find_reuse`. All fields are keyword-only and have defaults."""

    # --- shingles and sketches -------------------------------------------------------------
    shingle_size: int = 5
    """Words per shingle for candidate search and Jaccard. 5 keeps chance matches rare."""
    num_perm: int = 128
    """MinHash permutations per signature (datasketch ``num_perm``)."""
    seed: int = 1
    """MinHash seed (datasketch ``seed``); signatures with different seeds are not comparable."""
    doc_threshold: float = 0.5
    """Jaccard threshold for whole-document near-duplicate LSH."""
    window_size: int = 40
    """Words per window of :func:`reuse.stages.pair.prepare`'s window signatures (library API; since
    the scale work ``reuse scan`` finds passage candidates with anchors, see ``anchor_rate``)."""
    window_threshold: float = 0.3
    """Jaccard threshold for window LSH over :func:`reuse.stages.pair.prepare`'s window signatures."""
    max_bucket: int = 200
    """LSH buckets, and anchors, shared by more documents than this are boilerplate and ignored
    (like passim's maxDF)."""
    anchor_rate: int = 4
    """One shingle in about this many (those whose hash is 0 modulo it) anchors the passage join;
    lower finds shorter or more heavily edited copies, at a proportional cost in memory and time."""
    min_shared_anchors: int = 2
    """Documents sharing at least this many anchors become passage candidates (2 keeps chance
    matches of one common phrase out)."""
    min_shared_shingles: int = 2
    """A candidate pair must share at least this many shingles exactly to be verified."""

    # --- scoring -------------------------------------------------------------------------------
    all_pairs_max_docs: int = 2000
    """Corpora up to this many documents get TF-IDF cosine (and alignment) for every pair."""
    pair_min_cosine: float = 0.05
    """Pairs without passages are listed only when their TF-IDF cosine reaches this."""

    # --- alignment -----------------------------------------------------------------------------
    seed_size: int = 3
    """Words per alignment seed (exact shared n-grams that anchor passages)."""
    min_passage_words: int = 8
    """Shortest passage reported, in matched words."""
    short_phrases: bool = True
    """Also report shared phrases shorter than ``min_passage_chars`` (exact runs of at least
    ``min_passage_words`` words, small edits allowed) lying outside any longer passage. ``reuse
    bench pan`` turns this off: PAN scores passage-level reuse only."""
    merge_reordered: bool = False
    """Let one passage hold exact copies that appear in another order on the two sides. Off: each
    reordered copy is its own passage with its own offsets, and the text between is not swept in.
    ``reuse bench pan`` turns it on: PAN's gold annotates a shuffled passage as one case."""
    max_gap_words: int = 12
    """Largest gap (in words, on either side) bridged when merging seeds into one edited passage."""
    max_seed_occurrences: int = 20
    """Seeds occurring more often than this in one document are too common to anchor a passage."""
    sentence_min_terms: int = 3
    """Sentences with fewer content words join the next one before sentences are compared."""
    sentence_max_words: int = 35
    """Longer stretches without sentence punctuation (lists, tables, obfuscated text) are cut into
    equal pieces of at most this many words, about a long sentence: one huge unit matches
    everything weakly."""
    seed_min_cosine: float = 0.33
    """Two sentences seed a paraphrase passage when their tf-isf cosine exceeds this ..."""
    seed_min_dice: float = 0.33
    """... and the Dice overlap of their content words exceeds this (Sanchez-Perez et al. 2014)."""
    max_gap_sentences: int = 4
    """Largest gap, in sentences, bridged when clustering seeds into one passage."""
    min_passage_similarity: float = 0.34
    """A clustered passage must reach this whole-passage cosine, or it is re-clustered tighter."""
    grow_min_gain: float = 0.01
    """An unmatched neighbouring sentence joins a passage only if it raises the passage's cosine by
    at least this much (a sentence that merely shares a topic word adds less)."""
    single_seed_min_similarity: float = 0.5
    """A passage resting on a single pair of sentences must reach this cosine (chance is likelier)."""
    summary_gap_sentences: int = 24
    """Gap, in sentences of the longer side, bridged when looking for a summary of a long passage."""
    summary_min_similarity: float = 0.3
    """Whole-passage cosine a summary must reach (a summary shares less wording than a paraphrase)."""
    summary_min_ratio: float = 3.0
    """A passage counts as a summary when its longer side has at least this many times the characters."""
    summary_whole_document: float = 0.5
    """A summary condenses a document: its long side must already span this share of that document,
    and is then stretched to the document's ends."""
    min_passage_chars: int = 150
    """Shortest sentence-level (edited, paraphrased, summarised) passage, in characters of each side:
    shorter matches between documents on one topic are mostly names and set phrases, not reuse."""

    # --- talking points (reuse/stages/talking/) ------------------------------------------------------
    paraphrase: bool = True
    """Find reworded claims (``paraphrase`` passages) between the pairs considered."""
    paraphrase_min_score: float = 0.2
    """Least sentence cosine (corpus-IDF-weighted stems) for a paraphrase passage."""
    paraphrase_min_evidence: int = 2
    """Least independent shared terms when one is a name phrase or a 2+ digit number; one more
    otherwise (a name phrase counts once, so a shared name alone never qualifies)."""
    paraphrase_min_words: int = 5
    """Sentences (claim units) shorter than this many words are not matched."""
    paraphrase_window: int = 2
    """Adjacent sentences of one paragraph also matched together, up to this many (1 = single
    sentences only): a claim told in two sentences meets its one-sentence restatement."""
    background_share: float = 0.25
    """Terms in this share of the corpus's sentences (recurring within documents), or of its
    documents when it has 20 or more, are background: they count in similarity, not as evidence."""
    min_claim_words: int = 3
    """A passage counts only with this many content words per side outside names and boilerplate."""
    boilerplate_min_docs: int = 2
    """A phrase in this many documents of one source, and in no other source, is boilerplate."""
    cluster_min_link: float = 0.15
    """Two groups of passages join into one talking point only if their sentences' average
    similarity reaches this (0 = plain union-find, which chains unrelated claims)."""

    # --- scope: which documents and pairs a scan reports (reuse/stages/scope.py) ------------------
    across_sources: bool = False
    """Report only pairs whose documents have different sources (:func:`reuse.model.source_of`):
    reuse across outlets, not an outlet repeating itself."""
    source: tuple[str, ...] = ()
    """Scan only documents of these sources (empty: all). Given as a list in TOML."""
    since: str | None = None
    """Scan only documents dated on or after this ISO 8601 date or time ("2024-06-01")."""
    until: str | None = None
    """Scan only documents dated on or before this ISO 8601 date or time (a bare date includes that
    whole day)."""
    min_score: float = 0.0
    """Report only pairs whose headline score reaches this (their passages go with them)."""
    topic_pairs: bool = False
    """Also report pairs that share no passage, related by topic (TF-IDF cosine) alone. Off by
    default: on 200 news articles they are 99% of all pairs and say only "same subject"."""

    # --- input ---------------------------------------------------------------------------------
    extract: str = "all"
    """How HTML pages become text: ``all`` (every block of the page, scripts and styles dropped) or
    ``main`` (the article only, without navigation, share bars and footers: trafilatura, from the
    ``reuse[extract]`` extra). Offsets index the extracted text either way."""
    encoding: str = "utf-8"
    """Encoding of input files; undecodable files are skipped with the reason."""
    id_field: str = "id"
    text_field: str = "text"
    source_field: str = "source"
    title_field: str = "title"
    date_field: str = "date"
    url_field: str = "url"

    def __post_init__(self) -> None:
        _check_int(self, "shingle_size", 1, 32)
        _check_int(self, "num_perm", 8, 1024)
        _check_int(self, "seed", 0, 2**32 - 1)
        _check_fraction(self, "doc_threshold")
        _check_int(self, "window_size", 4, 10_000)
        _check_fraction(self, "window_threshold")
        _check_int(self, "max_bucket", 2, 10**9)
        _check_int(self, "anchor_rate", 1, 1 << 16)
        _check_int(self, "min_shared_anchors", 1, 10**6)
        _check_int(self, "min_shared_shingles", 1, 10**6)
        _check_int(self, "all_pairs_max_docs", 0, 10**6)
        _check_range(self, "pair_min_cosine", 0.0, 1.0)
        _check_int(self, "seed_size", 1, 32)
        _check_int(self, "min_passage_words", 1, 10**6)
        _check_int(self, "max_gap_words", 0, 10**4)
        _check_int(self, "max_seed_occurrences", 1, 10**6)
        if not isinstance(self.short_phrases, bool):
            raise ConfigError(f"short_phrases: expected true or false, got {self.short_phrases!r}")
        if not isinstance(self.merge_reordered, bool):
            raise ConfigError(f"merge_reordered: expected true or false, got {self.merge_reordered!r}")
        _check_int(self, "sentence_min_terms", 1, 1000)
        _check_int(self, "sentence_max_words", 5, 10**6)
        _check_range(self, "seed_min_cosine", 0.0, 1.0)
        _check_range(self, "seed_min_dice", 0.0, 1.0)
        _check_int(self, "max_gap_sentences", 0, 1000)
        _check_range(self, "min_passage_similarity", 0.0, 1.0)
        _check_range(self, "grow_min_gain", 0.0, 1.0)
        _check_range(self, "single_seed_min_similarity", 0.0, 1.0)
        _check_int(self, "summary_gap_sentences", 0, 10**4)
        _check_range(self, "summary_min_ratio", 1.0, 1000.0)
        _check_range(self, "summary_min_similarity", 0.0, 1.0)
        _check_range(self, "summary_whole_document", 0.0, 1.0)
        _check_int(self, "min_passage_chars", 0, 10**7)
        if not isinstance(self.paraphrase, bool):
            raise ConfigError(f"paraphrase: expected true or false, got {self.paraphrase!r}")
        _check_range(self, "paraphrase_min_score", 0.0, 1.0)
        _check_int(self, "paraphrase_min_evidence", 1, 100)
        _check_int(self, "paraphrase_min_words", 1, 1000)
        _check_int(self, "paraphrase_window", 1, 10)
        _check_fraction(self, "background_share")
        _check_int(self, "min_claim_words", 0, 1000)
        _check_int(self, "boilerplate_min_docs", 2, 10**9)
        _check_range(self, "cluster_min_link", 0.0, 1.0)
        _check_scope(self)
        try:
            "".encode(self.encoding)
        except LookupError:
            raise ConfigError(
                f"encoding: unknown codec {self.encoding!r}; use a Python codec name such as 'utf-8' or 'latin-1'"
            ) from None
        if self.window_size // 2 < 1:
            raise ConfigError("window_size: must be at least 2 so windows can overlap by half")

    @property
    def window_stride(self) -> int:
        return self.window_size // 2

    def replace(self, **changes: Any) -> ReuseConfig:
        """A copy with ``changes`` applied (validated like the original)."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}; see `reuse scan --help`")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_toml(cls, path: str | Path, **overrides: Any) -> ReuseConfig:
        """Load settings from a TOML file (top-level keys or a ``[reuse]`` table), then apply overrides."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: config file not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
        if isinstance(data.get("reuse"), dict):
            data = data["reuse"]
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        data.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**data)
        except TypeError as exc:
            raise ConfigError(f"{path}: {exc}") from None


EXTRACT_MODES = ("all", "main")


def _check_scope(cfg: ReuseConfig) -> None:
    """Scope and extraction settings: types, ISO dates, and a since that is not after until."""
    from reuse.model import date_key

    for name in ("across_sources", "topic_pairs"):
        if not isinstance(getattr(cfg, name), bool):
            raise ConfigError(f"{name}: expected true or false, got {getattr(cfg, name)!r}")
    if isinstance(cfg.source, str):  # a TOML string where a list was meant: one source
        object.__setattr__(cfg, "source", (cfg.source,))
    if not isinstance(cfg.source, (list, tuple)) or not all(isinstance(s, str) and s for s in cfg.source):
        raise ConfigError(f"source: expected a list of source names, got {cfg.source!r}")
    object.__setattr__(cfg, "source", tuple(cfg.source))
    for name in ("since", "until"):
        value = getattr(cfg, name)
        if value is None:
            continue
        if not isinstance(value, str) or date_key(value)[0] != 0:
            raise ConfigError(f"{name}: {value!r} is not an ISO 8601 date; write it like 2024-06-01 or 2024-06-01T08:00:00Z")
    if cfg.since and cfg.until and date_key(cfg.since) > date_key(cfg.until):
        raise ConfigError(f"since: {cfg.since} is after until {cfg.until}; no document could be in range")
    _check_range(cfg, "min_score", 0.0, 1.0)
    if cfg.extract not in EXTRACT_MODES:
        raise ConfigError(f"extract: {cfg.extract!r} is not a mode; use one of {', '.join(EXTRACT_MODES)}")


def _check_int(cfg: ReuseConfig, name: str, lo: int, hi: int) -> None:
    value = getattr(cfg, name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{name}: expected a whole number, got {value!r}")
    if not lo <= value <= hi:
        raise ConfigError(f"{name}: {value} is out of range; use a value from {lo} to {hi}")


def _check_range(cfg: ReuseConfig, name: str, lo: float, hi: float) -> None:
    value = getattr(cfg, name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{name}: expected a number, got {value!r}")
    if not lo <= value <= hi:
        raise ConfigError(f"{name}: {value} is out of range; use a value from {lo} to {hi}")


def _check_fraction(cfg: ReuseConfig, name: str) -> None:
    value = getattr(cfg, name)
    _check_range(cfg, name, 0.0, 1.0)
    if not 0.0 < value < 1.0:
        raise ConfigError(f"{name}: {value} must lie strictly between 0 and 1 (a Jaccard threshold such as 0.5)")
