"""Does the headline score rank reuse as a reader would? Graded pairs, their features, and measures.

A *graded set* is a list of document pairs, each with a grade of how much one reuses the other:
PAN13 training pairs graded by their folder (verbatim copy 4 > random obfuscation 3 > translation
2 > summary 1 > no plagiarism 0), and hand-written folders of short answers (copied 3 > lightly
revised 2 > heavily revised 1 > written independently 0). For each pair the real pipeline
(:func:`reuse.find_reuse`) gives its :class:`Features`: the pair's scores and, per side, how much
text each kind of passage covers. A scoring formula is then judged twice: ROC-AUC of reused
(grade > 0) against independent pairs, and Spearman's rank correlation with the grade.

The functions are pure (features in, numbers out); only :func:`scan_pan_pair` and
:func:`scan_folder` read files and run the pipeline. ``reuse eval graded`` is their command line.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from reuse.config import ReuseConfig
from reuse.errors import InputError
from reuse.model import Corpus, Results
from reuse.text.shingle import shingle_hashes
from reuse.text.tokens import Tokens, tokenize

PAN_GRADES = {
    "02-no-obfuscation": 4, "03-random-obfuscation": 3, "04-translation-obfuscation": 2,
    "05-summary-obfuscation": 1, "01-no-plagiarism": 0,
}
"""PAN13 parts by how much of the source's wording survives in the suspicious document. A pair
whose gold XML lists no case is graded 0 whatever its part (:func:`pan_grade`)."""

ANSWER_GRADES = {"copied": 3, "light": 2, "heavy": 1, "independent": 0, "unrelated": 0}
"""Short answers by file-name prefix: ``copied.txt``, ``light.txt``, ``heavy2.txt``, ``independent_b.txt``."""

ORIGINAL = "original"
"""The file every other answer of a folder is compared with (``original.txt``)."""

KINDS = ("verbatim", "fuzzy", "paraphrase")


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of one side's text between passage edges: its word characters and, per passage
    kind, the best score of a passage of that kind covering it (0 when none does)."""

    chars: float
    verbatim: float
    fuzzy: float
    paraphrase: float


@dataclass(frozen=True, slots=True)
class Features:
    """What the pipeline says about one graded pair (side ``a`` the source, ``b`` the other text)."""

    collection: str  # "pan" or the folder name
    group: str  # documents sharing a group stay on one side of the fit/held-out split
    a: str
    b: str
    grade: int
    score: float  # the headline score the pipeline gave
    cosine: float
    jaccard: float
    containment_a: float
    containment_b: float
    containment3_a: float  # word 3-gram containment, the classic baseline (Clough & Stevenson)
    containment3_b: float
    chars_a: float
    chars_b: float
    segments_a: tuple[Segment, ...]
    segments_b: tuple[Segment, ...]

    @property
    def reused(self) -> bool:
        return self.grade > 0

    def to_record(self) -> dict:
        return asdict(self)

    @classmethod
    def from_record(cls, rec: dict) -> Features:
        rec = dict(rec)
        for side in ("segments_a", "segments_b"):
            rec[side] = tuple(Segment(**s) for s in rec[side])
        return cls(**rec)


Scorer = Callable[[Features], float]


# --- features from the pipeline's results ------------------------------------------------------

def segments(tokens: Tokens, spans: Sequence[tuple[int, int, str, float]]) -> tuple[Segment, ...]:
    """Cut one side at every passage edge (``spans``: first token, last token, kind, score) into
    :class:`Segment` s; only covered stretches are kept (uncovered text counts only in the total)."""
    if not spans:
        return ()
    chars = (tokens.ends - tokens.starts).astype(np.float64)
    cuts = sorted({0, len(tokens)} | {f for f, _, _, _ in spans} | {last + 1 for _, last, _, _ in spans})
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        best = dict.fromkeys(KINDS, 0.0)
        for f, last, kind, s in spans:
            if f <= lo and hi - 1 <= last:
                best[kind] = max(best[kind], s)
        if any(best.values()):
            out.append(Segment(float(chars[lo:hi].sum()), best["verbatim"], best["fuzzy"], best["paraphrase"]))
    return tuple(out)


def containment(a: Tokens, b: Tokens, k: int = 3) -> tuple[float, float]:
    """Share of each side's distinct word k-grams found in the other side."""
    ha, hb = np.unique(shingle_hashes(a.ids, k)), np.unique(shingle_hashes(b.ids, k))
    shared = len(np.intersect1d(ha, hb, assume_unique=True))
    return shared / max(1, len(ha)), shared / max(1, len(hb))


def features_of(results: Results, a: str, b: str, *, collection: str, group: str, grade: int) -> Features:
    """The :class:`Features` of documents ``a`` and ``b`` in ``results`` (zeros when not paired)."""
    ta, tb = tokenize(results.document(a).text), tokenize(results.document(b).text)
    pair = next((p for p in results.pairs if {p.doc_a, p.doc_b} == {a, b}), None)
    spans_a, spans_b = [], []
    for p in results.passages:
        if {p.doc_a, p.doc_b} != {a, b} or p.a_words is None or p.b_words is None:
            continue
        wa, wb = (p.a_words, p.b_words) if p.doc_a == a else (p.b_words, p.a_words)
        spans_a.append((*wa, p.kind, p.score))
        spans_b.append((*wb, p.kind, p.score))
    c3a, c3b = containment(ta, tb)
    flip = pair is not None and pair.doc_a != a
    return Features(
        collection=collection, group=group, a=a, b=b, grade=grade,
        score=pair.score if pair else 0.0, cosine=pair.tfidf_cosine if pair else 0.0,
        jaccard=pair.jaccard if pair else 0.0,
        containment_a=(pair.containment_b if flip else pair.containment_a) if pair else 0.0,
        containment_b=(pair.containment_a if flip else pair.containment_b) if pair else 0.0,
        containment3_a=c3a, containment3_b=c3b,
        chars_a=float((ta.ends - ta.starts).sum()), chars_b=float((tb.ends - tb.starts).sum()),
        segments_a=segments(ta, spans_a), segments_b=segments(tb, spans_b),
    )


def scan_pan_pair(root: str, part: str, susp: str, src: str, config: ReuseConfig | None = None) -> Features:
    """One PAN pair scanned as a two-document corpus (source ``a``, suspicious ``b``)."""
    from reuse.api import find_reuse
    from reuse.eval.pan.corpus import read_text

    base = Path(root)
    corpus = Corpus.from_texts({src: read_text(base / "src" / src), susp: read_text(base / "susp" / susp)})
    results = find_reuse(corpus, config)
    return features_of(results, src, susp, collection="pan", group=susp, grade=pan_grade(base, part, susp, src))


def pan_grade(root: Path, part: str, susp: str, src: str) -> int:
    """The grade of one PAN pair: its part's (:data:`PAN_GRADES`) when its gold XML lists a
    plagiarism case, else 0. A part's pairs are not all reuse: 947 of the 1,185 pairs of PAN13's
    summary part have no case (their documents share nothing the annotators marked), and grading
    them by folder put four in five "summaries" among the reused pairs."""
    from reuse.eval.pan.corpus import PanPair
    from reuse.eval.pan.xml import read_annotations

    if PAN_GRADES[part] == 0:
        return 0
    xml = root / part / f"{PanPair(susp, src, part).stem}.xml"
    return PAN_GRADES[part] if xml.is_file() and read_annotations(xml, name="plagiarism") else 0


def pan_items(root: Path, per_part: int | None = None) -> list[tuple[str, str, str]]:
    """``(part, susp, src)`` of every listed pair of each graded part present, or the first
    ``per_part`` of each in a fixed pseudo-random order (a hash of the pair's names, the same on
    every machine)."""
    items = []
    for part in sorted(p for p in PAN_GRADES if (root / p / "pairs").is_file()):
        lines = (root / part / "pairs").read_text(encoding="utf-8").split()
        pairs = sorted(zip(lines[::2], lines[1::2]), key=lambda p: _hash(" ".join(p)))
        items += [(part, s, d) for s, d in pairs[:per_part]]
    if not items:
        raise InputError(f"{root}: no PAN part folder ({', '.join(sorted(PAN_GRADES))}) with a pairs file")
    return items


def collect(
    pan_root: Path | None, answer_dirs: Sequence[Path], *, per_part: int | None = None, jobs: int = 1,
    config: ReuseConfig | None = None, progress: Callable[[int, int], None] | None = None,
) -> list[Features]:
    """Features of every graded pair: the PAN pairs (each its own two-document scan, on ``jobs``
    processes; the result does not depend on ``jobs``) and each answer folder's answers."""
    from concurrent.futures import ProcessPoolExecutor

    items = pan_items(pan_root, per_part) if pan_root else []
    folders = answer_folders(answer_dirs)
    tick = progress or (lambda done, total: None)
    total, rows = len(items) + len(folders), []
    args = ([str(pan_root)] * len(items), *zip(*items), [config] * len(items)) if items else ()
    if items and jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            for f in pool.map(scan_pan_pair, *args, chunksize=8):
                rows.append(f)
                tick(len(rows), total)
    elif items:
        for f in map(scan_pan_pair, *args):
            rows.append(f)
            tick(len(rows), total)
    for k, folder in enumerate(folders):
        rows += scan_folder(folder, config)
        tick(len(items) + k + 1, total)
    return rows


def answer_grade(stem: str) -> int | None:
    """The grade a short answer's file name says (``light2`` -> 2), None for the original or others."""
    for prefix, grade in ANSWER_GRADES.items():
        if stem.startswith(prefix):
            return grade
    return None


def scan_folder(folder: Path, config: ReuseConfig | None = None) -> list[Features]:
    """Every graded answer of one folder against its ``original.txt``, the folder scanned as one corpus."""
    from reuse.api import find_reuse
    from reuse.io.readers import read_paths

    results = find_reuse(read_paths([folder]), config)
    ids = {Path(d.id).stem: d.id for d in results.documents}
    return [
        features_of(results, ids[ORIGINAL], doc, collection="answers", group=folder.name,
                    grade=grade)
        for stem, doc in sorted(ids.items()) if (grade := answer_grade(stem)) is not None
    ]


def answer_folders(paths: Iterable[Path]) -> list[Path]:
    """The folders holding an ``original.txt`` among ``paths`` and their sub-folders."""
    found = []
    for path in paths:
        found += sorted(p.parent for p in Path(path).rglob(f"{ORIGINAL}.txt"))
    return found


# --- scoring formulas -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Formula:
    """A headline-score formula of the pipeline's form (:mod:`reuse.stages.score`), with its constants.

    Each covered character counts at its passage's weight: its similarity for a verbatim (1.0) or
    edited (``fuzzy``) passage, ``paraphrase_weight * max(0, similarity - paraphrase_floor) / (1 -
    paraphrase_floor)`` for a paraphrase (the pipeline has ``paraphrase_weight`` 1); ``C`` is the larger weighted coverage of the two sides,
    and ``score = C + (1 - C) * topic_weight * cosine``. Overlapping passages count at the
    highest weight, as in the pipeline, so ``Formula(...)(features)`` is the score a scan with
    those constants gives (tested).
    """

    paraphrase_floor: float
    topic_weight: float
    paraphrase_weight: float = 1.0

    def weight(self, seg: Segment) -> float:
        para = self.paraphrase_weight * max(0.0, seg.paraphrase - self.paraphrase_floor) / (1.0 - self.paraphrase_floor)
        return max(seg.verbatim, seg.fuzzy, para)

    def __call__(self, f: Features) -> float:
        wa = sum(s.chars * self.weight(s) for s in f.segments_a) / f.chars_a if f.chars_a else 0.0
        wb = sum(s.chars * self.weight(s) for s in f.segments_b) / f.chars_b if f.chars_b else 0.0
        c = max(wa, wb)
        return min(1.0, c + (1.0 - c) * self.topic_weight * max(0.0, f.cosine))


BEFORE = Formula(paraphrase_floor=0.0, topic_weight=0.2)
"""The headline before calibration: every passage at its similarity, topic up to 0.2."""


def pipeline_formula() -> Formula:
    """The formula :mod:`reuse.stages.score` computes now (its constants, read at call time)."""
    from reuse.stages import score

    return Formula(score.PARAPHRASE_FLOOR, score.TOPIC_WEIGHT)


BASELINES: dict[str, Scorer] = {
    "TF-IDF cosine": lambda f: f.cosine,
    "word 3-gram containment": lambda f: max(f.containment3_a, f.containment3_b),
    "headline before calibration": BEFORE,
}


def objective(rows: Sequence[Features], scorer: Scorer) -> float:
    """Mean of ROC-AUC and Spearman, averaged over the collections (PAN, each answer folder set)."""
    parts = []
    for coll in sorted({f.collection for f in rows}):
        m = measure([f for f in rows if f.collection == coll], scorer)
        parts += [x for x in (m.auc, m.spearman) if x == x]
    return float(np.mean(parts)) if parts else float("nan")


GRID = {
    "topic_weight": (0.0, 0.05, 0.1, 0.15, 0.2),
    "paraphrase_floor": (0.0, 0.1, 0.2, 0.25, 0.3),
}
"""The constants searched, within bounds set beforehand for the score to stay readable as a share
of reused text. Floors above 0.3 score PAN slightly better (its no-plagiarism pairs hold chance
paraphrase passages up to 0.7) but would discard passages the aligner itself accepts from 0.34
(``min_passage_similarity``), while independent same-topic answers reach about 0.3. Scaling
paraphrases down further (``paraphrase_weight`` < 1) ranks the PAN parts better too (a translation
falls further below a random obfuscation) but scores a wholly reworded text near 0.1 and a light
revision the aligner calls a paraphrase below a heavy one it calls fuzzy; RESULTS.md shows both."""


TOLERANCE = 1e-3
"""Objectives this close to the best are a tie: the grid's order decides (least topic weight first),
so a constant does not move with noise in the fourth decimal."""


def fit(rows: Sequence[Features], grid: dict[str, Sequence[float]] | None = None) -> tuple[Formula, float]:
    """The first formula of ``grid`` (default :data:`GRID`, in ``itertools.product`` order) whose
    :func:`objective` on ``rows`` is within :data:`TOLERANCE` of the best, and its objective."""
    import itertools

    grid = grid or GRID
    scored = [(objective(rows, f), f) for f in
              (Formula(**dict(zip(grid, values))) for values in itertools.product(*grid.values()))]
    top = max(v for v, _ in scored)
    return next((f, v) for v, f in scored if v >= top - TOLERANCE)


# --- the split and the measures --------------------------------------------------------------

def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def split(rows: Sequence[Features]) -> tuple[list[Features], list[Features]]:
    """``(fit, held_out)``: half the groups of each collection, every second one in the order of a
    hash of their names, are held out. Pairs of one suspicious document (or of one answer folder)
    never sit on both sides, and the split is the same on every machine."""
    held: set[tuple[str, str]] = set()
    for coll in sorted({f.collection for f in rows}):
        groups = sorted({f.group for f in rows if f.collection == coll}, key=lambda g: _hash(f"{coll}/{g}"))
        held.update((coll, g) for g in groups[1::2])
    return ([f for f in rows if (f.collection, f.group) not in held],
            [f for f in rows if (f.collection, f.group) in held])


def roc_auc(scores: Sequence[float], reused: Sequence[bool]) -> float:
    """Chance that a reused pair scores above an independent one (ties count half)."""
    if len(set(reused)) < 2:
        return float("nan")
    from sklearn.metrics import roc_auc_score  # seconds to import: only when measuring

    return float(roc_auc_score(np.asarray(reused, dtype=bool), np.asarray(scores, dtype=np.float64)))


def spearman(scores: Sequence[float], grades: Sequence[int]) -> float:
    """Spearman's rank correlation of scores with grades (ties ranked by their mean)."""
    if len(set(grades)) < 2 or len(set(scores)) < 2:
        return float("nan")
    from scipy.stats import spearmanr  # seconds to import: only when measuring

    return float(spearmanr(scores, grades).statistic)


@dataclass(frozen=True, slots=True)
class Measures:
    n: int
    auc: float
    spearman: float


def measure(rows: Sequence[Features], scorer: Scorer) -> Measures:
    scores = [scorer(f) for f in rows]
    return Measures(len(rows), roc_auc(scores, [f.reused for f in rows]), spearman(scores, [f.grade for f in rows]))


def write_features(path: Path, rows: Iterable[Features]) -> None:
    path.write_text("".join(json.dumps(f.to_record()) + "\n" for f in rows), encoding="utf-8")


def read_features(path: Path) -> list[Features]:
    return [Features.from_record(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]
