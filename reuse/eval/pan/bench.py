"""Run the project's aligner over a PAN corpus and score it with the PAN measures.

Every pair goes through :func:`reuse.stages.align.aligner.align_documents` — the function ``reuse scan`` calls for
passages — with the suspicious document as side A and the source as side B. No code path here
knows which part of the corpus a pair comes from until scoring.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from reuse.config import ReuseConfig
from reuse.engine.pool import executor
from reuse.eval.pan.corpus import PanCorpus, PanPair, read_text
from reuse.eval.pan.measures import Annotation, Scores, evaluate
from reuse.eval.pan.xml import write_detections
from reuse.model import Document
from reuse.stages.align.aligner import align_documents
from reuse.text.tokens import Tokens, tokenize

Progress = Callable[[int, int], None]
OVERALL = "overall"


@dataclass
class BenchResult:
    """Scores per part (sub-folder) and overall, with the detections they came from."""

    scores: dict[str, Scores]
    detections: dict[PanPair, list[Annotation]]
    seconds: float = 0.0


def _load(path: str, name: str) -> tuple[Document, Tokens]:
    """A document and its tokens, from a per-process cache (a suspicious document pairs with several sources).

    The cache is keyed by the file's size and modification time as well as its path, so a file
    rewritten between two runs in one process (a notebook, a test) is read again, never served stale.
    """
    st = os.stat(path)
    return _load_cached(path, name, st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=256)
def _load_cached(path: str, name: str, size: int, mtime_ns: int) -> tuple[Document, Tokens]:
    text = read_text(Path(path))
    return Document(id=name, text=text, origin=path), tokenize(text)


def detect_pair(root: str, pair: PanPair, config: ReuseConfig) -> list[Annotation]:
    """The aligner's passages for one pair, as PAN detections (suspicious side first)."""
    da, ta = _load(str(Path(root) / "susp" / pair.susp), pair.susp)
    db, tb = _load(str(Path(root) / "src" / pair.src), pair.src)
    return [
        Annotation(pair.susp, p.a_start, p.a_end - p.a_start, pair.src, p.b_start, p.b_end - p.b_start)
        for p in align_documents(da, ta, db, tb, config)
    ]


def _detect_chunk(root: str, pairs: list[PanPair], config: ReuseConfig) -> list[tuple[PanPair, list[Annotation]]]:
    return [(p, detect_pair(root, p, config)) for p in pairs]


def _chunks(pairs: list[PanPair], size: int) -> Iterator[list[PanPair]]:
    for i in range(0, len(pairs), size):
        yield pairs[i : i + size]


def detect_all(
    corpus: PanCorpus, config: ReuseConfig, *, jobs: int | None = None, progress: Progress | None = None
) -> dict[PanPair, list[Annotation]]:
    """Detections for every listed pair, on ``jobs`` processes (default: all cores)."""
    jobs = jobs or os.cpu_count() or 1
    tick = progress or (lambda done, total: None)
    # Pairs sharing a suspicious document go to the same worker, so its cache hits.
    ordered = sorted(corpus.pairs, key=lambda p: (p.susp, p.src))
    root, total, done = str(corpus.root), len(ordered), 0
    found: dict[PanPair, list[Annotation]] = {}
    if jobs == 1:
        for pair in ordered:
            found[pair] = detect_pair(root, pair, config)
            done += 1
            tick(done, total)
        return found
    size = max(1, min(32, total // (jobs * 8) or 1))
    with executor(jobs) as pool:  # workers that die with the bench, however it ends
        futures = [pool.submit(_detect_chunk, root, chunk, config) for chunk in _chunks(ordered, size)]
        for fut in futures:
            for pair, dets in fut.result():
                found[pair] = dets
            done += size
            tick(min(done, total), total)
    return found


def score(corpus: PanCorpus, detections: dict[PanPair, list[Annotation]]) -> dict[str, Scores]:
    """PAN measures per part and over all listed pairs together."""
    cases_by_part: dict[str, list[Annotation]] = {}
    dets_by_part: dict[str, list[Annotation]] = {}
    pairs_by_part: dict[str, list[int]] = {}
    for pair in corpus.pairs:
        part = pair.part or "(no part)"
        dets = detections.get(pair, [])
        cases_by_part.setdefault(part, []).extend(corpus.gold(pair))
        dets_by_part.setdefault(part, []).extend(dets)
        pairs_by_part.setdefault(part, []).append(1 if dets else 0)

    def scored(cases: list[Annotation], dets: list[Annotation], flags: list[int]) -> Scores:
        return replace(evaluate(cases, dets), pairs=len(flags), pairs_detected=sum(flags))

    scores = {part: scored(cases_by_part[part], dets_by_part[part], pairs_by_part[part]) for part in sorted(cases_by_part)}
    scores[OVERALL] = scored(
        [c for cs in cases_by_part.values() for c in cs], [d for ds in dets_by_part.values() for d in ds],
        [f for fs in pairs_by_part.values() for f in fs],
    )
    return scores


def write_all(out_dir: Path, detections: dict[PanPair, list[Annotation]]) -> None:
    """One ``suspicious-documentX-source-documentY.xml`` per pair, directly in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for pair, dets in detections.items():
        write_detections(out_dir / f"{pair.stem}.xml", pair.susp, dets)
