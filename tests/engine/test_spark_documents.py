"""documents.jsonl's records made per document from its grouped sides: the local engine's, in order."""
from __future__ import annotations

from collections import defaultdict

from reuse.api import find_reuse_stream
from reuse.config import ReuseConfig
from reuse.engine import spark_documents as sd
from reuse.io.readers import iter_paths
from reuse.outputs.records import document_infos, document_records


def test_records_from_each_documents_grouped_sides_are_the_counted_ones(seeds_dir):
    results = find_reuse_stream(iter_paths([seeds_dir]), ReuseConfig())
    assert results.pairs and results.passages
    grouped: dict[str, list[tuple]] = defaultdict(list)
    keyed = [sd.info_of(kv) for kv in enumerate(document_infos(results))]
    keyed += [kv for p in results.pairs for kv in sd.pair_sides(p)]
    keyed += [kv for s in results.passages for kv in sd.passage_sides(s)]
    keyed.append(("not-read", ("p", 0.5)))  # an id in no record read makes no record
    for key, rec in reversed(keyed):  # any order within a document
        grouped[key].append(rec)
    got = sorted(kv for group in grouped.items() for kv in sd.record_of(group))
    want = list(document_records(results))
    assert [r for _, r in got] == want and [k for k, _ in got] == list(range(len(want)))
    assert any(r["n_pairs"] > 1 and 0 < r["reused_share"] < 1 for r in want)
