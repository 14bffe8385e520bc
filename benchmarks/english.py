"""A bigram model of real English, counted from a folder of text files when a corpus is generated.

Synthetic corpora with invented words (``benchmarks/synth.py``) hide costs that depend on real word
statistics: stop words, common phrases shared by unrelated articles, sentence lengths, TF-IDF
weights. This model is counted from real English (``../shared/bench/pan13-train/src``) each time
a corpus is made, so the research text itself never enters the repository; only its counts are
used, in memory.

Tokens are case-sensitive words and numbers plus ``.`` and ``,``: sentence starts are
capitalised because the model learnt that ``The`` follows ``.``. Sampling is vectorised over
many chains at once (one numpy step moves every chain one token), which is what makes a
million articles affordable.

    model = EnglishModel.from_folder(pan_dir / "src")
    rng = np.random.default_rng(7)
    chains = model.chains(rng, n=4, length=700)        # (4, 700) token ids
    text = model.render(chains[0][:60], rng)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import regex

from benchmarks.synth import _paragraphs

_TOKEN = regex.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|[0-9]+|[.,;:!?]")
_PUNCT_MAP = {";": ",", ":": ",", "!": ".", "?": "."}
PUNCT = (".", ",")
MIN_COUNT = 3
"""Tokens seen fewer times are dropped: a rare token has one successor, and chains through it
would recite the source text (spelling-variant lists, addresses) into unrelated articles."""
JUMP = 0.05
"""Share of steps that jump to a unigram draw instead of following the bigram: it keeps chains
from reciting long stretches of the source text (a bigram seen once has a single successor)."""


@dataclass(frozen=True)
class EnglishModel:
    """Vocabulary, unigram and bigram counts of an English text folder, ready for sampling."""

    words: tuple[str, ...]  # token id -> token ("." and "," included)
    unigram_cdf: np.ndarray  # float64 (V,): cumulative unigram probabilities
    lower_cdf: np.ndarray  # float64 (V,): the same, restricted to lower-case words (replacements)
    row_base: np.ndarray  # int64 (V,): where each token's successors start in ``successors``
    row_total: np.ndarray  # int64 (V,): how many times each token is followed by another
    successors: np.ndarray  # int32 (n_tokens,): every bigram's second token, grouped by first token
    period: int  # id of "."

    @classmethod
    def from_folder(cls, folder: Path, *, max_files: int | None = None) -> EnglishModel:
        """Count every ``*.txt`` file of ``folder`` (sorted, so the model is the same everywhere)."""
        files = sorted(Path(folder).glob("*.txt"))[:max_files]
        if not files:
            raise FileNotFoundError(f"no .txt files in {folder}: the English model needs a text folder")
        return cls.from_texts(f.read_text(encoding="utf-8", errors="replace") for f in files)

    @classmethod
    def from_texts(cls, texts, *, min_count: int = MIN_COUNT) -> EnglishModel:  # noqa: ANN001 - iterable of str
        """Count tokens and bigrams; rare tokens are dropped and repeated punctuation collapses."""
        index: dict[str, int] = {".": 0, ",": 1}
        ids: list[int] = [0]
        for text in texts:
            ids.extend(index.setdefault(_PUNCT_MAP.get(t, t), len(index)) for t in _TOKEN.findall(text.replace("’", "'")))
            ids.append(0)  # a document ends a sentence
        seq = np.asarray(ids, dtype=np.int64)
        counts = np.bincount(seq)
        seq = seq[(counts[seq] >= min_count) | (seq < len(PUNCT))]
        seq = seq[np.concatenate(([True], (seq[1:] >= len(PUNCT)) | (seq[:-1] >= len(PUNCT))))]  # ". ," -> "."
        kept = np.union1d(seq, np.arange(len(PUNCT)))  # ids 0 and 1 stay "." and ","
        seq = np.searchsorted(kept, seq)
        vocab = list(index)
        words = tuple(vocab[i] for i in kept.tolist())
        v = len(words)
        uni = np.bincount(seq, minlength=v).astype(np.float64)
        lower = uni * np.array([w[:1].islower() for w in words])
        # Every occurrence of a bigram, grouped by its first token: a uniform draw from a token's
        # group is a draw from its bigram distribution, in one gather (no search per step).
        order = np.argsort(seq[:-1], kind="stable")
        row_total = np.bincount(seq[:-1], minlength=v).astype(np.int64)
        return cls(
            words=words, unigram_cdf=np.cumsum(uni) / uni.sum(), lower_cdf=np.cumsum(lower) / lower.sum(),
            row_base=np.concatenate(([0], np.cumsum(row_total)[:-1])), row_total=row_total,
            successors=seq[1:][order].astype(np.int32), period=0,
        )

    def draw(self, rng: np.random.Generator, n: int, *, lower: bool = False) -> np.ndarray:
        """``n`` tokens from the unigram distribution (``lower``: lower-case words only)."""
        cdf = self.lower_cdf if lower else self.unigram_cdf
        return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(self.words) - 1)

    def step(self, rng: np.random.Generator, cur: np.ndarray) -> np.ndarray:
        """The next token of every chain in ``cur``: a bigram successor, or a unigram jump."""
        total = self.row_total[cur]
        at = self.row_base[cur] + (rng.random(len(cur)) * total).astype(np.int64)
        nxt = self.successors[np.minimum(at, len(self.successors) - 1)].astype(np.int64)
        jump = (rng.random(len(cur)) < JUMP) | (total == 0)
        if jump.any():
            nxt[jump] = self.draw(rng, int(jump.sum()))
        return nxt

    def chains(self, rng: np.random.Generator, n: int, length: int, *,
               inject: tuple[np.ndarray, float] | None = None) -> np.ndarray:
        """``n`` token chains of ``length`` tokens, each starting a sentence.

        ``inject=(ids, p)``: at each step a chain emits one of ``ids`` (uniformly) with
        probability ``p`` and carries on from it: a topic vocabulary that every article uses.
        """
        out = np.empty((n, length), dtype=np.int64)
        cur = np.full(n, self.period, dtype=np.int64)
        for t in range(length):
            cur = self.step(rng, cur)
            if inject is not None:
                pick = rng.random(n) < inject[1]
                if pick.any():
                    cur[pick] = inject[0][rng.integers(0, len(inject[0]), int(pick.sum()))]
            out[:, t] = cur
        return out

    def is_word(self, ids: np.ndarray) -> np.ndarray:
        """True for word tokens (not ``.`` or ``,``)."""
        return ids >= len(PUNCT)

    def render(self, ids: np.ndarray, rng: np.random.Generator) -> str:
        """Text of a token sequence: sentences cut at ``.``, grouped into paragraphs."""
        toks = self._array[ids]
        punct = np.flatnonzero(ids < len(PUNCT))
        punct = punct[punct > 0]
        toks[punct - 1] = toks[punct - 1] + toks[punct]  # "word" + "." -> "word."
        ends = np.flatnonzero(ids[punct] == self.period)
        keep = ids >= len(PUNCT)
        cuts = np.cumsum(keep)[punct[ends]]  # sentence ends, counted in kept tokens
        words = toks[keep].tolist()
        sentences = []
        start = 0
        for end in [*cuts.tolist(), len(words)]:
            if end > start:
                sentences.append(_capitalised(" ".join(words[start:end])))
            start = end
        if sentences and not sentences[-1].endswith("."):
            sentences[-1] += "."
        return _paragraphs(sentences, rng)

    @property
    def _array(self) -> np.ndarray:
        """The vocabulary as a numpy object array (gathers a document's tokens in one step)."""
        arr = self.__dict__.get("_words_array")
        if arr is None:
            arr = np.array(self.words, dtype=object)
            object.__setattr__(self, "_words_array", arr)
        return arr


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
