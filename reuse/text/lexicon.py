"""Per-word facts for claim matching, computed once per distinct word, never once per token.

Claim matching looks at every token of every sentence of a corpus. Asking "is this a content
word?", "what is its lemma?" once per token is what made the talking-points stage slow (18
million ``is_content`` calls on 5,000 articles). A :class:`Lexicon` answers per *distinct* token
id (the 64-bit hash of the normalised word, which the tokenizer already computes) and caches the
answer for the life of the process, so a batch of documents costs one ``np.unique`` and a dict
look-up per new word; every per-token array is then a numpy gather.

The term a word contributes to a claim is its **lemma** (lemminflect's dictionary and rules,
shipped inside the package: "was" -> "be", "seized" -> "seize", "bombers" -> "bomber"), then
:func:`reuse.text.terms.stem`'s derivational step, so a verb meets its nominalisation
("expelled" -> "expel" <- "expulsion"). Lemmas come without part-of-speech tagging: a word that
can be a verb takes its verb lemma ("bombing" -> "bomb"), the reading that carries events.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from reuse.text.distinct import distinct
from reuse.text.stopwords import CLAIM_STOP_WORDS
from reuse.text.terms import stem
from reuse.text.tokens import is_character_token, token_hash

MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
"""Month names: with years and counts, the dates a claim is pinned to ("in December 2018").
Those that are also common words ("may", "march") count only as ordinary terms."""
_AMBIGUOUS_MONTHS = frozenset({"may", "march", "jan", "mar", "dec", "sep", "aug", "oct", "nov"})

MAGNITUDES = frozenset("hundred thousand million billion trillion percent".split())
"""Words that make a number of a digit ("8 million"): a sum or a share is as specific as a year."""

GLUE = frozenset({"of", "the", "and", "for", "de", "al"})
"""Words allowed inside a name phrase ("National Council of Resistance of Iran")."""

_LEMMA_ORDER = ("VERB", "NOUN", "ADJ", "ADV", "PROPN", "AUX")


@lru_cache(maxsize=1 << 18)
def lemma(word: str) -> str:
    """The dictionary form of a normalised word (lemminflect), preferring its verb reading."""
    if not word.isalpha():
        return word
    found = _lemmas(word)
    for pos in _LEMMA_ORDER:
        if pos in found:
            return found[pos][0].lower()
    return word


def _lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """lemminflect's ``getAllLemmas(word)`` for a lower-case word, read from its tables directly.

    ``getAllLemmas`` deep-copies the entries it returns and re-applies the word's capitals to them:
    for a lower-case word that is the entries themselves, lower-cased, and the copies were most of
    the lexicon's time (a new word's lemma is the one Python step the count pass takes per word).
    A word with capitals (normalised words have none) goes through ``getAllLemmas`` itself.
    """
    tables = _lemma_tables()
    if tables is None or word.isupper() or word[:1].isupper():
        from lemminflect import getAllLemmas

        return getAllLemmas(word)
    key = word.lower()
    return {**tables[0].get(key, {}), **tables[1].get(key, {})}


@lru_cache(maxsize=1)
def _lemma_tables() -> tuple[dict, dict] | None:
    """lemminflect's lemma and override tables (loaded on first use, about 0.4 s), or None where its
    version keeps them elsewhere (then every word asks ``getAllLemmas``)."""
    from lemminflect.core.Lemmatizer import Lemmatizer

    lemmatizer = Lemmatizer()
    try:
        return lemmatizer._getLemmaDict(), lemmatizer._getOverridesDict()
    except AttributeError:  # pragma: no cover - another lemminflect
        return None


@lru_cache(maxsize=1 << 18)
def term_of(norm: str) -> str:
    """The claim term of a normalised word: its lemma, then the light derivational stem."""
    if norm.isdigit():
        return norm
    return stem(lemma(norm))


def is_content(norm: str) -> bool:
    """Whether a normalised word can carry a claim (not a function word or a lone letter)."""
    return norm.isdigit() or (len(norm) > 1 and norm not in CLAIM_STOP_WORDS)


FLAG_CONTENT, FLAG_NUMBER, FLAG_MONTH, FLAG_GLUE, FLAG_DIGITS, FLAG_CHARACTER = 1, 2, 4, 8, 16, 32


MAX_WORDS = 2_000_000
"""Words a lexicon remembers before it starts afresh (a cache: forgetting changes no answer)."""


class Lexicon:
    """Token id -> (term id hash, flags), filled lazily from the words themselves.

    ``flags``: :data:`FLAG_CONTENT` (can carry a claim), :data:`FLAG_NUMBER` (a number of two or
    more digits, or a magnitude word: a year, a count, a sum), :data:`FLAG_MONTH` (a month name), :data:`FLAG_GLUE`
    (may join a name phrase), :data:`FLAG_DIGITS` (all digits, any length). A module-level instance serves each process.
    """

    def __init__(self) -> None:
        # the known ids sorted, and each one's row: a batch's distinct ids are found with one
        # ``searchsorted`` (a dict look-up per distinct id of every batch was 40% of the count pass)
        self._ids = np.empty(0, dtype=np.uint64)
        self._id_rows = np.empty(0, dtype=np.int64)
        self._surface: list[str] = []
        self._terms = np.empty(1024, dtype=np.uint64)  # capacity doubles: adding words costs amortised O(new)
        self._flags = np.empty(1024, dtype=np.uint8)
        self.terms = self._terms[:0]
        self.flags = self._flags[:0]

    def rows(self, ids: np.ndarray, norms: Sequence[str] | Callable[[int], str]) -> np.ndarray:
        """Row of each token in :attr:`terms`/:attr:`flags`.

        ``ids[k]`` has normalised form ``norms[k]`` (or ``norms(k)``): it is read only for ids not
        seen before, so pass a whole batch's ids at once and lazy forms.
        """
        _, rows, inverse = self.words(ids, norms)
        return rows[inverse]

    def words(self, ids: np.ndarray, norms: Sequence[str] | Callable[[int], str]
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The distinct ``ids`` (sorted), the row of each, and per token the index of its id among them
        (:meth:`rows` without the last gather, for callers that keep a batch's words apart)."""
        norm_at = norms if callable(norms) else norms.__getitem__
        if len(self._surface) > MAX_WORDS:
            self.__init__()  # type: ignore[misc]  # a cache: start afresh rather than grow without bound
        if len(ids) == 0:
            return np.empty(0, np.uint64), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        uniq, first, inv = distinct(np.asarray(ids, dtype=np.uint64))
        at = np.searchsorted(self._ids, uniq)
        known = at < len(self._ids)
        known[known] = self._ids[at[known]] == uniq[known]
        rows = np.full(len(uniq), -1, dtype=np.int64)
        rows[known] = self._id_rows[at[known]]
        missing = np.flatnonzero(~known)
        if len(missing):
            for u in missing.tolist():
                rows[u] = self._add(norm_at(int(first[u])))
            self._ids = np.insert(self._ids, at[missing], uniq[missing])  # ascending: stays sorted
            self._id_rows = np.insert(self._id_rows, at[missing], rows[missing])
            self.terms = self._terms[: len(self._surface)]
            self.flags = self._flags[: len(self._surface)]
            self.terms.setflags(write=False)  # shared by every caller: never edited in place
            self.flags.setflags(write=False)
        return uniq, rows, inv

    def surface(self, row: int) -> str:
        return self._surface[row]

    def _add(self, norm: str) -> int:
        row = len(self._surface)
        flags = 0
        if is_content(norm):
            flags |= FLAG_CONTENT
        if is_character_token(norm):  # a character of Chinese, Japanese or Thai: see units._units
            flags |= FLAG_CHARACTER
        if norm.isdigit():
            flags |= FLAG_DIGITS
            if len(norm) > 1:
                flags |= FLAG_NUMBER
        elif norm in MAGNITUDES:
            flags |= FLAG_NUMBER
        if month_is_date(norm):
            flags |= FLAG_MONTH
        if norm in GLUE:
            flags |= FLAG_GLUE
        if row == len(self._terms):
            self._terms = np.concatenate((self._terms, np.empty_like(self._terms)))
            self._flags = np.concatenate((self._flags, np.empty_like(self._flags)))
        self._terms[row] = token_hash("\x01" + term_of(norm)) if flags & FLAG_CONTENT else 0
        self._flags[row] = flags
        self._surface.append(norm)
        return row


LEXICON = Lexicon()
"""This process's lexicon (each worker process fills its own)."""


def month_is_date(norm: str) -> bool:
    """Whether a month word is unambiguous on its own ("December"; not "may" or "march")."""
    return norm in MONTHS and norm not in _AMBIGUOUS_MONTHS
