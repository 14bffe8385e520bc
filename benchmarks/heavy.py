"""Corpora that look like use: natural English with heavy reuse, and same-topic corpora.

Our first synthetic corpus (``benchmarks/synth.py``) has little reuse and invented words, so it
hid that a scan's cost is per candidate pair. These corpora are built to expose it:

* ``HEAVY``: ~600-word articles of English sampled from a bigram model of a real English folder
  (:mod:`benchmarks.english`); 20% of the articles copy 1-3 passages of 30-120 words from
  earlier articles with ~5% of the words replaced, 2% are near-duplicates of an earlier article
  with ~5% of the words replaced (like wire copy and press releases);
* ``TOPIC``: the same, but every article draws a fifth of its words from a narrow topic
  vocabulary and opens sentences with shared stock phrases, so nearly every pair of articles
  passes the TF-IDF floor; 10% copy passages, 2% are near-duplicates.

Ground truth is exact: every word remembers the article and position it was first written at
(its *origin*), copies carry origins along, and two articles are a planted pair when one copied
from the other, or when they share at least ``MIN_SHARED_WORDS`` words of one origin (a copy of
a copy, two copies of one source). Pairs sharing fewer such words are ``marginal``: neither
counted as found nor as missed. Each record lists its pairs with *earlier* records in its
``planted`` field (``{"with", "kind", "words"}``), so a corpus file carries its own truth and is
written as a stream: :func:`benchmarks.synth.read_truth` reads it.

    model = load_model()                                   # counts ../shared/bench/pan13-train/src
    records = generate(10_000, HEAVY, seed=7, model=model)  # an iterator, never all in memory
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.english import EnglishModel

ROOT = Path(__file__).resolve().parent.parent
PAN_DIR = Path(os.environ.get("REUSE_PAN_DIR") or ROOT.parent / "shared" / "bench" / "pan13-train")
ENGLISH_DIR = PAN_DIR / "src"
MIN_SHARED_WORDS = 30
"""Words of one origin two articles must share to be a planted pair without a direct copy."""
_POS_BITS = 20  # origin = article index << 20 | position: articles up to 2**20 tokens


@dataclass(frozen=True)
class Profile:
    """What a corpus looks like: its reuse rates and, for same-topic corpora, its vocabulary."""

    prefix: str  # document ids are f"{prefix}{seed}-{k:07d}"
    p_passage: float = 0.20  # articles that copy passages from earlier ones
    p_near_duplicate: float = 0.02  # articles that republish an earlier one
    passages: tuple[int, int] = (1, 3)  # passages per copying article (inclusive)
    passage_words: tuple[int, int] = (30, 120)  # words per copied passage (inclusive)
    replace: float = 0.05  # share of a copy's words replaced
    mean_words: int = 600
    window: int = 5000  # sources are among the last ``window`` articles (a news cycle)
    topic_words: int = 0  # size of the narrow topic vocabulary (0: general English)
    topic_share: float = 0.0  # share of words drawn from it
    stock_phrases: int = 0  # phrases shared by the whole corpus
    phrases_per_article: tuple[int, int] = (0, 0)


HEAVY = Profile("h")
TOPIC = Profile("t", p_passage=0.10, topic_words=150, topic_share=0.20, stock_phrases=30,
                phrases_per_article=(3, 6))


def load_model(folder: Path = ENGLISH_DIR) -> EnglishModel:
    """The English model these corpora are written from (FileNotFoundError when it is absent)."""
    if not Path(folder).is_dir():
        raise FileNotFoundError(f"English text folder {folder} not found (set REUSE_PAN_DIR to pan13-train)")
    return EnglishModel.from_folder(Path(folder))


def generate(n: int, profile: Profile = HEAVY, *, seed: int = 7, model: EnglishModel | None = None) -> Iterator[dict]:
    """``n`` records ``{id, text, source, date, planted}`` in a stable order, one at a time."""
    gen = _Generator(model or load_model(), profile, seed)
    for k in range(n):
        yield gen.article(k)


class _Generator:
    """Writes article ``k`` from fresh English and copies of recent articles, tracking origins."""

    def __init__(self, model: EnglishModel, profile: Profile, seed: int) -> None:
        self.m, self.p, self.seed = model, profile, seed
        self.rng = np.random.default_rng([seed, 1])
        self.recent: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # k -> (tokens, origins)
        self.holders: dict[int, list[tuple[int, np.ndarray]]] = {}  # origin article -> [(k, positions)]
        self.latest: dict[int, int] = {}  # origin article -> newest article holding its words
        self.pool, self.cursor, self.batch = np.empty(0, np.int64), 0, 0
        self.inject = None
        self.phrases: list[np.ndarray] = []
        if profile.topic_words:
            self.inject = (_topic_vocabulary(model, profile.topic_words, seed), profile.topic_share)
            chains = model.chains(np.random.default_rng([seed, 4]), profile.stock_phrases, 16, inject=self.inject)
            self.phrases = [row[model.is_word(row)][: int(self.rng.integers(3, 7))] for row in chains]

    def article(self, k: int) -> dict:
        p, rng = self.p, self.rng
        words = int(np.clip(rng.normal(p.mean_words, 80), 300, 900))
        r = rng.random()
        direct: dict[int, str] = {}
        if k and r < p.p_near_duplicate:
            src = k - 1 - int(rng.integers(0, min(k, p.window)))
            toks, orig = self.recent[src]
            toks, orig = self._edited(toks.copy(), orig.copy())
            direct[src] = "near_duplicate"
        elif k and r < p.p_near_duplicate + p.p_passage:
            count = int(rng.integers(p.passages[0], p.passages[1] + 1))
            back = rng.choice(min(k, p.window), size=min(count, k), replace=False)
            parts = [self._passage(k - 1 - int(b)) for b in back]
            direct.update({k - 1 - int(b): "passage" for b in back})
            fresh = self._fresh(max(words - sum(int(self.m.is_word(t).sum()) for t, _ in parts), 60))
            toks, orig = self._insert(fresh, parts)
        else:
            toks, orig = self._insert(self._fresh(words), [])
        word = self.m.is_word(toks)
        fresh = (orig == -1) & word
        orig[fresh] = (k << _POS_BITS) + np.flatnonzero(fresh)
        orig[~word] = -1
        planted = self._pairs(k, orig, direct)
        self._remember(k, toks, orig)
        return {
            "id": self.doc_id(k), "text": self.m.render(toks, rng),
            "source": f"outlet{int(rng.integers(0, 200)):03d}",
            "date": f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}", "planted": planted,
        }

    def doc_id(self, k: int) -> str:
        return f"{self.p.prefix}{self.seed}-{k:07d}"

    # --- text ----------------------------------------------------------------------------------

    def _fresh(self, words: int) -> np.ndarray:
        """The next ``words`` words of the fresh-text stream, up to the end of their sentence."""
        while True:
            rest = self.pool[self.cursor : self.cursor + 2 * words + 400]  # enough: ~12% are marks
            counts = np.cumsum(self.m.is_word(rest))
            if len(counts) and counts[-1] >= words + 60:
                break
            self._refill()
        end = int(np.searchsorted(counts, words)) + 1
        stops = np.flatnonzero(rest[end - 1:] == self.m.period)
        end += int(stops[0]) if len(stops) else 0
        self.cursor += end
        return rest[:end].copy()

    def _refill(self) -> None:
        """Sample another batch of chains (one numpy step per token for all of them)."""
        rng = np.random.default_rng([self.seed, 2, self.batch])
        self.batch += 1
        chains = self.m.chains(rng, 256, 1200, inject=self.inject)
        chains[:, -1] = self.m.period  # each chain ends a sentence, so the stream reads on
        self.pool = np.concatenate((self.pool[self.cursor:], chains.ravel()))
        self.cursor = 0

    def _passage(self, src: int) -> tuple[np.ndarray, np.ndarray]:
        """30-120 words of article ``src`` from a sentence start, edited, ending a sentence."""
        toks, orig = self.recent[src]
        starts = np.concatenate(([0], np.flatnonzero(toks[:-1] == self.m.period) + 1))
        start = int(starts[self.rng.integers(0, max(1, len(starts) // 2))])  # leave room for the passage
        want = int(self.rng.integers(self.p.passage_words[0], self.p.passage_words[1] + 1))
        counts = np.cumsum(self.m.is_word(toks[start:]))
        end = start + int(np.searchsorted(counts, want)) + 1
        t, o = toks[start:end].copy(), orig[start:end].copy()
        if t[-1] != self.m.period:
            t, o = np.append(t, self.m.period), np.append(o, -1)
        return self._edited(t, o)

    def _edited(self, toks: np.ndarray, orig: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Replace ~``replace`` of the words (the replacements are new words of this article)."""
        hit = (self.rng.random(len(toks)) < self.p.replace) & self.m.is_word(toks)
        toks[hit] = self.m.draw(self.rng, int(hit.sum()), lower=True)
        orig[hit] = -1
        return toks, orig

    def _insert(self, fresh: np.ndarray, parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        """``fresh`` text with copied passages and stock phrases placed at sentence starts."""
        inserts = [(t, o) for t, o in parts]
        lo, hi = self.p.phrases_per_article
        if self.phrases and hi:
            for i in self.rng.integers(0, len(self.phrases), int(self.rng.integers(lo, hi + 1))):
                inserts.append((self.phrases[int(i)], np.full(len(self.phrases[int(i)]), -1, np.int64)))
        starts = np.concatenate(([0], np.flatnonzero(fresh[:-1] == self.m.period) + 1))
        at = np.sort(starts[self.rng.integers(0, len(starts), len(inserts))]) if inserts else []
        toks, orig, prev = [], [], 0
        for a, (t, o) in zip(at, inserts):
            toks += [fresh[prev:a], t]
            orig += [np.full(a - prev, -1, np.int64), o]
            prev = a
        toks.append(fresh[prev:])
        orig.append(np.full(len(fresh) - prev, -1, np.int64))
        return np.concatenate(toks), np.concatenate(orig)

    # --- ground truth ----------------------------------------------------------------------------

    def _pairs(self, k: int, orig: np.ndarray, direct: dict[int, str]) -> list[dict]:
        """Earlier articles sharing words of one origin with article ``k``, and its direct sources."""
        shared: dict[int, int] = {}
        foreign = np.unique(orig[(orig >= 0) & ((orig >> _POS_BITS) != k)])
        owners = foreign >> _POS_BITS
        for o in np.unique(owners).tolist():
            mine = foreign[owners == o]
            for e, theirs in self.holders.get(o, []):
                n = len(np.intersect1d(mine, theirs, assume_unique=True))
                if n:
                    shared[e] = shared.get(e, 0) + n
            self.holders.setdefault(o, []).append((k, mine))
            self.latest[o] = k
        out = []
        for e in sorted(set(shared) | set(direct)):
            n = shared.get(e, 0)
            kind = direct.get(e) or ("indirect" if n >= MIN_SHARED_WORDS else "marginal")
            out.append({"with": self.doc_id(e), "kind": kind, "words": n})
        return out

    def _remember(self, k: int, toks: np.ndarray, orig: np.ndarray) -> None:
        """Keep article ``k`` for later copies; forget what no later article can copy."""
        self.recent[k] = (toks, orig)
        self.recent.pop(k - self.p.window, None)
        self.holders.setdefault(k, []).append((k, orig[(orig >> _POS_BITS) == k]))
        self.latest[k] = k
        if k % 1024 == 0:
            old = [o for o, last in self.latest.items() if last < k - self.p.window]
            for o in old:
                del self.latest[o], self.holders[o]


def _topic_vocabulary(model: EnglishModel, size: int, seed: int) -> np.ndarray:
    """``size`` lower-case content words of middling frequency: one narrow topic's vocabulary."""
    freq = np.diff(np.concatenate(([0.0], model.unigram_cdf)))
    ranked = np.argsort(-freq, kind="stable")[min(300, len(freq) // 10) : 5000]  # past the function words
    content = [int(i) for i in ranked if model.words[i].islower() and len(model.words[i]) >= 5]
    rng = np.random.default_rng([seed, 3])
    return np.asarray(rng.choice(content, size=min(size, len(content)), replace=False), dtype=np.int64)
