"""Synthetic news corpus with planted reuse and its ground truth, at any size, deterministically.

Articles are about 600 words of English-like text: a Zipf-distributed vocabulary whose head is
real English function words, sentences of 8-25 words with capitals and full stops, paragraphs,
and a sprinkling of curly quotes, NBSPs, accented words and an ``ﬁ`` ligature (so the Unicode
paths run). Reuse is planted with known provenance:

* ``near_duplicate``: a whole article republished with ~3% of its words changed and its quotes
  and spaces restyled;
* ``verbatim``: a passage of 40-120 words copied exactly into another article;
* ``edited``: such a passage with one word changed every 12-20 words;
* a passage may go to 1-3 recipients (a talking point): every two of its holders share it.

Every source article is used for one planting at most and recipients are never sources, so the
truth is exactly the planted groups: all pairs among a source and its recipients.

    from benchmarks.synth import generate, truth_pairs
    records = list(generate(10_000, seed=7))      # dicts: id, text, source, date, planted
    truth = truth_pairs(records)                  # {(id_a, id_b), ...} with id_a < id_b

``python -m benchmarks.synth N out.jsonl`` writes a corpus; ``truth_pairs`` reads the
``planted`` field of each record, so a corpus file carries its own ground truth.
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

FUNCTION_WORDS = (
    "the of and to a in that is was he for it with as his on be at by i this had not are but from or "
    "have an they which one you were her all she there would their we him been has when who will more no "
    "if out so said what up its about into than them can only other new some could time these two may then "
    "do first any my now such like our over man me even most made after also did many before must through "
    "back years where much your way well down should because each just those people how too little state "
    "good very make world still own see men work long get here between both life being under never day "
    "same another know while last might us great old year off come since against go came right used take "
    "three"
).split()
_ONSETS = "b c d f g h j k l m n p r s t v w z br ch cl dr fl gr pl pr sh st th tr".split()
_VOWELS = "a e i o u ai ea ee ie oa ou".split()
_CODAS = ["", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck", "ng"]
_UNICODE_WORDS = ["café", "naïve", "ﬁnance", "Zürich", "señor", "résumé"]

VOCAB_SIZE = 30_000
ZIPF_S = 1.05
MEAN_WORDS = 600


def _vocabulary(rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    words = list(FUNCTION_WORDS)
    seen = set(words)
    while len(words) < VOCAB_SIZE - len(_UNICODE_WORDS):
        syl = rng.integers(1, 4)
        w = "".join(
            _ONSETS[rng.integers(len(_ONSETS))] + _VOWELS[rng.integers(len(_VOWELS))] + _CODAS[rng.integers(len(_CODAS))]
            for _ in range(syl)
        )
        if w not in seen:
            seen.add(w)
            words.append(w)
    words[1000:1000] = _UNICODE_WORDS
    ranks = np.arange(1, len(words) + 1, dtype=np.float64)
    p = 1.0 / (ranks + 2.7) ** ZIPF_S
    return words, p / p.sum()


class _Writer:
    """Turns word ids into sentences; deterministic given its generator."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.words, p = _vocabulary(np.random.default_rng(12345))
        self.cdf = np.cumsum(p)

    def draw(self, n: int) -> np.ndarray:
        return np.minimum(np.searchsorted(self.cdf, self.rng.random(n)), len(self.words) - 1)

    def sentences(self, n_words: int) -> list[str]:
        ids = self.draw(n_words)
        out: list[str] = []
        pos = 0
        while pos < n_words:
            ln = int(min(self.rng.integers(8, 26), n_words - pos))
            out.append(self.sentence(ids[pos : pos + ln]))
            pos += ln
        return out

    def sentence(self, ids: np.ndarray) -> str:
        ws = [self.words[i] for i in ids]
        ws[0] = ws[0][:1].upper() + ws[0][1:]
        r = self.rng.random()
        if r < 0.04 and len(ws) > 6:
            ws[2] = "“" + ws[2]
            ws[5] = ws[5] + "”"
        elif r < 0.06 and len(ws) > 3:
            ws[1] = ws[1] + "\u00a0" + ws[2]
            del ws[2]
        elif r < 0.10 and len(ws) > 4:
            ws[3] = ws[3] + ","
        return " ".join(ws) + "."

    def edit(self, sentences: list[str], every: tuple[int, int]) -> list[str]:
        """Replace one word every ``every`` words (a reworded copy that keeps most of the text)."""
        out = []
        gap = int(self.rng.integers(*every))
        for s in sentences:
            ws = s.split(" ")
            for k in range(len(ws)):
                gap -= 1
                if gap <= 0:
                    ws[k] = self.words[int(self.draw(1)[0])] + ("." if ws[k].endswith(".") else "")
                    gap = int(self.rng.integers(*every))
            out.append(" ".join(ws))
        return out

    def restyle(self, sentences: list[str]) -> list[str]:
        """Straight quotes and NBSPs for a republished copy: tokens, hence hashes, are unchanged."""
        return [s.replace("“", '"').replace("”", '"').replace(" the ", " the\u00a0", 1) for s in sentences]


def _paragraphs(sentences: list[str], rng: np.random.Generator) -> str:
    out, para = [], []
    for s in sentences:
        para.append(s)
        if len(para) >= 3 and rng.random() < 0.3:
            out.append(" ".join(para))
            para = []
    if para:
        out.append(" ".join(para))
    return "\n\n".join(out)


def generate(
    n: int, *, seed: int = 7, p_near_duplicate: float = 0.02, p_passage: float = 0.05,
) -> Iterator[dict]:
    """``n`` article records ``{id, text, source, date, planted}`` in a stable order.

    ``planted`` lists ``{"group", "role", "kind"}`` entries: ``role`` is ``source`` or
    ``copy``; every pair of records in one group shares text (see :func:`truth_pairs`).
    The same ``n`` and ``seed`` give the same records on any machine.
    """
    sources: dict[str, list[dict]] = {}
    queue: list[dict] = []
    yield from _generate(n, seed, p_near_duplicate, p_passage, sources, queue)
    while queue:
        yield _finish(queue.pop(0), sources)


def _generate(n: int, seed: int, p_near_duplicate: float, p_passage: float,
              sources: dict[str, list[dict]], queue: list[dict]) -> Iterator[dict]:
    w = _Writer(seed)
    rng = w.rng
    pool: list[tuple[int, str, list[str]]] = []  # recent unused original articles: (k, id, sentences)
    group = 0
    talking_points: list[tuple[int, list[str], str]] = []  # passages still to be copied again
    for k in range(n):
        doc_id = f"a{seed}-{k:07d}"
        planted: list[dict] = []
        length = int(np.clip(rng.normal(MEAN_WORDS, 80), 300, 900))
        r = rng.random()
        if talking_points and rng.random() < 0.5 * p_passage:
            g, passage, kind = talking_points.pop()
            sents = w.sentences(length - sum(len(s.split()) for s in passage))
            at = int(rng.integers(0, len(sents) + 1))
            sents[at:at] = w.edit(passage, (12, 21)) if kind == "edited" else passage
            planted.append({"group": g, "role": "copy", "kind": kind})
        elif r < p_near_duplicate and pool:
            _, src_id, src = pool.pop(int(rng.integers(len(pool))))
            sents = w.restyle(w.edit(src, (25, 40)))
            planted.append({"group": group, "role": "copy", "kind": "near_duplicate"})
            _mark_source(sources, src_id, group, "near_duplicate")
            group += 1
        elif r < p_near_duplicate + p_passage and pool:
            _, src_id, src = pool.pop(int(rng.integers(len(pool))))
            want = int(rng.integers(40, 121))
            start = int(rng.integers(0, max(1, len(src) - 3)))
            passage, got = [], 0
            for s in src[start:]:
                passage.append(s)
                got += len(s.split())
                if got >= want:
                    break
            kind = "verbatim" if rng.random() < 0.5 else "edited"
            sents = w.sentences(max(length - got, 100))
            at = int(rng.integers(0, len(sents) + 1))
            sents[at:at] = w.edit(passage, (12, 21)) if kind == "edited" else passage
            planted.append({"group": group, "role": "copy", "kind": kind})
            _mark_source(sources, src_id, group, kind)
            extra = int(rng.integers(0, 3))  # a talking point goes to up to 3 more articles
            for _ in range(extra):
                talking_points.insert(0, (group, passage, "edited" if rng.random() < 0.5 else "verbatim"))
            group += 1
        else:
            sents = w.sentences(length)
            pool.append((k, doc_id, sents))
        while pool and pool[0][0] < k - 3000:  # sources stay within the flush queue (4100 records)
            pool.pop(0)
        yield from _flush_sources(queue, sources, k, doc_id, sents, planted, rng)


# Sources are known only when a later article copies them, so records wait in a short queue
# (sources come from the last 4000 articles) and are yielded once they can no longer change.
def _mark_source(sources: dict[str, list[dict]], src_id: str, group: int, kind: str) -> None:
    sources.setdefault(src_id, []).append({"group": group, "role": "source", "kind": kind})


def _flush_sources(queue: list[dict], sources: dict[str, list[dict]], k: int, doc_id: str, sents: list[str],
                   planted: list[dict], rng: np.random.Generator) -> Iterator[dict]:
    queue.append({
        "id": doc_id, "text": _paragraphs(sents, rng), "source": f"outlet{int(rng.integers(0, 200)):03d}",
        "date": f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}", "planted": planted,
    })
    while len(queue) > 4100:
        yield _finish(queue.pop(0), sources)


def _finish(rec: dict, sources: dict[str, list[dict]]) -> dict:
    rec["planted"] = rec["planted"] + sources.pop(rec["id"], [])
    return rec


MARGINAL = "marginal"
"""Kind of a ``with`` entry for two documents that share too few words to count either way."""


def truth_pairs(recs: Iterable[dict], *, marginal: bool = False) -> set[tuple[str, str]]:
    """Every pair of documents that share planted text (ids ordered as in the corpus).

    Records name their pairs in one of two ways: ``{"group", ...}`` entries (every two members
    of a group share text; this module's corpora) or ``{"with": earlier_id, "kind", ...}``
    entries (``benchmarks/heavy.py``, which can then stream its records without waiting for
    later copies). ``marginal=True`` gives instead the pairs whose kind is ``marginal``: they
    share a few words and count neither as found nor as missed.
    """
    groups: dict[int, list[str]] = {}
    out: set[tuple[str, str]] = set()
    for rec in recs:
        for p in rec.get("planted", []):
            if "with" in p:
                if (p["kind"] == MARGINAL) == marginal:
                    out.add((min(p["with"], rec["id"]), max(p["with"], rec["id"])))
            elif not marginal:
                groups.setdefault(p["group"], []).append(rec["id"])
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a != b:
                    out.add((min(a, b), max(a, b)))
    return out


def write_records(records: Iterable[dict], path: str | Path) -> Path:
    """Write records as JSON lines, one at a time, under a temporary name until complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def write_corpus(n: int, path: str | Path, *, seed: int = 7) -> Path:
    """Write ``n`` records as JSON lines (ground truth in each record's ``planted`` field)."""
    return write_records(generate(n, seed=seed), path)


def read_truth(path: str | Path, *, marginal: bool = False) -> set[tuple[str, str]]:
    """Ground-truth pairs of a corpus file (see :func:`truth_pairs` for ``marginal``)."""
    def recs() -> Iterator[dict]:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec.get("planted"):
                    yield rec
    return truth_pairs(recs(), marginal=marginal)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    write_corpus(args.n, args.out, seed=args.seed)


if __name__ == "__main__":
    main()
