"""Corpora and results the report tests share: the seeds with a synthetic talking point, and a hostile corpus."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from reuse import Corpus, Document, ReuseConfig, Skip, find_reuse, read_paths
from reuse.model import Cluster, Member, Results

from .conftest import COPIED, SEEDS, article

HOSTILE_TEXT = (
    "<script>alert('text')</script> <img src=x onerror=alert('img')> </textarea> </script> "
    "\"><svg onload=alert('svg')> {{ 7*7 }} &amp; &lt;b&gt;"
)
HOSTILE_ID = "<img src=x onerror=alert('id')>.txt"
HOSTILE_SOURCE = "</script><script>alert('source')</script>"


# The rendering tests pin the passages they look at (a fuzzy "to bomb the ... Free Iran gathering"
# passage, NCRI name passages, scores below 0.1): the aligner's output with the talking-point
# stage's paraphrases and name suppression switched off, so pipeline changes do not move them.
# Pairs related by topic alone are kept (``topic_pairs``) so the report's "topic only" rows are drawn.
ALIGNER_ONLY = {"paraphrase": False, "min_claim_words": 0, "topic_pairs": True}


def aligner_only_config(folder: Path) -> str:
    """A ``reuse.toml`` with :data:`ALIGNER_ONLY`, for tests that scan through the CLI."""
    path = folder / "aligner-only.toml"
    path.write_text("paraphrase = false\nmin_claim_words = 0\ntopic_pairs = true\n", encoding="utf-8")
    return str(path)


def seed_results() -> Results:
    """The seed corpus as the aligner alone sees it (see :data:`ALIGNER_ONLY`)."""
    return find_reuse(read_paths([SEEDS]), ReuseConfig(**ALIGNER_ONLY))


def with_talking_point(results: Results) -> Results:
    """``results`` plus one synthetic N-way talking point: every side of the passages naming the NCRI.

    Talking points are produced by another part of the pipeline; the report renders whatever
    :class:`Cluster` it is given, so the fixture builds one from real passages with real offsets.
    """
    docs = results._by_id()
    members: dict[tuple[str, int, int], Member] = {}
    dates = {d.id: f"2019-0{k + 1}-1{k}" for k, d in enumerate(results.documents)}
    for p in results.passages:
        if "National Council of Resistance" not in p.text_a:
            continue
        for doc, s, e in ((p.doc_a, p.a_start, p.a_end), (p.doc_b, p.b_start, p.b_end)):
            members[(doc, s, e)] = Member(doc, s, e, docs[doc].text[s:e], source=f"outlet-{doc[:3]}", date=dates[doc])
    assert len(members) >= 3, "the seeds should name the NCRI in at least three documents"
    ms = tuple(sorted(members.values(), key=lambda m: m.date or ""))
    cluster = Cluster(
        id=1, label="The National Council of Resistance of Iran (NCRI)", members=ms,
        sources=tuple(sorted({m.source or m.doc for m in ms})), first_seen=ms[0].date, last_seen=ms[-1].date,
        kinds=("verbatim",), shared_terms=("national", "council", "resistance", "iran"),
    )
    return dataclasses.replace(results, clusters=[cluster])


def hostile_results() -> Results:
    """Two documents sharing a passage, with markup and script in ids, sources, titles and text."""
    a = Document(HOSTILE_ID, article(1, COPIED) + "\n\n" + HOSTILE_TEXT + " " + COPIED, source=HOSTILE_SOURCE,
                 title="<b onmouseover=alert('title')>bold</b>")
    b = Document("b.txt", HOSTILE_TEXT + " " + article(2, COPIED), source="plain")
    skip = Skip("<script>alert('skip')</script>.txt", "binary content <img src=x onerror=alert('reason')>")
    corpus = Corpus.from_items([a, b, skip])
    return find_reuse(corpus)
