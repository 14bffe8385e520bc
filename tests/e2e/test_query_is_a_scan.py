"""A document queried against an index gets what scanning the indexed documents and it gives."""
from __future__ import annotations

import random

import pytest

from reuse import Corpus, ReuseConfig, find_reuse
from reuse.index.store import Index
from reuse.model import Document
from tests.conftest import SEEDS, article


def _scan_records(docs: list[Document], query: Document, config: ReuseConfig) -> tuple[list, dict]:
    """The scan's pairs (with passages) of ``query``, best first, and their passages by partner,
    all turned so that ``query`` is side A."""
    results = find_reuse(Corpus(documents=[*docs, query]), config)
    pairs = [p.swapped().to_record() for p in results.pairs if query.id == p.doc_b and p.n_passages]
    passages: dict[str, list] = {}
    for p in results.passages:
        if p.doc_b == query.id:
            passages.setdefault(p.doc_a, []).append(p.swapped().to_record())
    return pairs, passages


def _query_records(index: Index, query: Document) -> tuple[list, dict]:
    hits = index.query(query, top=10_000)
    return [h.pair.to_record() for h in hits], {h.pair.doc_b: [p.to_record() for p in h.passages] for h in hits}


@pytest.mark.parametrize("left_out", ["004_4a5f882acebcb18a.txt", "001_3182de4ee06caf7f.txt"])
def test_a_seed_queried_against_the_other_four_is_scored_as_in_a_scan_of_all_five(tmp_path, left_out):
    seeds = [Document(id=p.name, text=p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    indexed = [d for d in seeds if d.id != left_out]
    query = next(d for d in seeds if d.id == left_out)
    with Index(tmp_path / "idx.db") as index:
        index.add(indexed, jobs=1)
        got = _query_records(index, query)
    want = _scan_records(indexed, query, ReuseConfig())
    assert got == want
    assert len(got[0]) == 4 and sum(p["n_passages"] for p in got[0]) == sum(map(len, got[1].values())) >= 10


def _planted(n_docs: int, n_queries: int, seed: int) -> tuple[list[Document], list[Document]]:
    """Filler articles, and queries each holding a 20-40 word passage copied from one of them."""
    rng = random.Random(seed)
    docs = [Document(id=f"d{k:03d}", text=article(3000 + k, words=300)) for k in range(n_docs)]
    queries = []
    for q in range(n_queries):
        words = docs[rng.randrange(n_docs)].text.rstrip(".").split(" ")
        length = rng.randint(20, 40)
        start = rng.randrange(len(words) - length)
        queries.append(Document(id=f"q{q:02d}", text=article(5000 + q, " ".join(words[start : start + length]) + ".", words=250)))
    return docs, queries


@pytest.mark.parametrize("all_pairs_max_docs", [2000, 0], ids=["every-pair", "candidates-only"])
def test_short_copied_passages_are_found_by_query_as_by_scan(tmp_path, all_pairs_max_docs):
    """20-40 copied words: with every pair scored (small corpora) and with candidates from anchors
    alone (large corpora), the query finds exactly what the scan finds."""
    config = ReuseConfig(all_pairs_max_docs=all_pairs_max_docs)
    docs, queries = _planted(40, 8, seed=all_pairs_max_docs)
    found = 0
    with Index(tmp_path / "idx.db", config) as index:
        index.add(docs, jobs=1)
        for query in queries:
            got = _query_records(index, query)
            assert got == _scan_records(docs, query, config), query.id
            found += bool(got[0])
    assert found >= 6 if all_pairs_max_docs else found == len(queries)
