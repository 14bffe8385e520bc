"""The paraphrase index and judging as tasks: any split of rows and documents gives the stage's matches."""
from __future__ import annotations

import pickle
from collections import defaultdict

import numpy as np
import pytest

from reuse.config import ReuseConfig
from reuse.engine import spark_paraphrase as para
from reuse.engine import spark_talking as talk
from reuse.engine.spark_support import StoredValue
from reuse.engine.spark_units import StoredUnits, chunk_sizes
from reuse.model import Document
from reuse.stages import scope
from reuse.stages.talking import candidates as cand
from reuse.stages.talking import units as un
from reuse.stages.talking.points import CorpusAccess, _paraphrases
from reuse.stages.talking.unit_rows import UnitRows
from tests.stages.talking.test_points import ARTICLE_A, ARTICLE_B, ARTICLE_C, ARTICLE_D, TOPIC_A, TOPIC_B

TEXTS = [TOPIC_A, ARTICLE_A, ARTICLE_C, TOPIC_B, ARTICLE_D, ARTICLE_B, TOPIC_A + " " + ARTICLE_B]


class _Scoped(CorpusAccess):
    def __init__(self, docs: list[Document], n_scanned: int | None) -> None:
        super().__init__(docs)
        self.reference = None if n_scanned is None else np.arange(len(docs)) >= n_scanned

    def allowed(self, pairs: np.ndarray) -> np.ndarray:
        return scope.allowed_pairs(pairs, reference=self.reference, sources=None)


def _flat(found: dict) -> dict:
    return {k: [(m.i, m.a, m.j, m.b, m.score, m.shared.tolist(), m.names, m.specifics, m.events, m.strength,
                 m.choices) for m in v] for k, v in found.items()}


@pytest.mark.parametrize("n_scanned", [None, 5])
def test_row_ranges_and_document_partitions_give_the_stages_matches(tmp_path, n_scanned):
    config = ReuseConfig(paraphrase_min_score=0.2)
    docs = [Document(id=f"d{k}", text=t) for k, t in enumerate(TEXTS)]
    counts = un.count_batch([d.text for d in docs], [-1] * len(docs), config.paraphrase_min_words)
    model = un.merge([counts], min_docs=config.boilerplate_min_docs, background_share=config.background_share)
    parts = [talk.units_chunk((docs[s:e], [np.empty((0, 2), np.int64)] * (e - s)), model[0], config)
             for s, e in ((0, 3), (3, 4), (4, 7))]
    units = un.Units.join(parts)
    matrix, row_doc, first_row = cand.unit_matrix(units, len(model[0].vocab))
    nominated = {(0, 3)}
    want = _paraphrases(units, UnitRows.of(units, model[0].idf, row_doc), row_doc, first_row, model[1], model[0].idf - 1.0, model[2], config,
                        _Scoped(docs, n_scanned), nominated)
    assert len(want) >= 2 and any(len(v) > 1 for v in want.values())

    stored = StoredUnits(str(tmp_path / "units"))
    offsets = stored.create([chunk_sizes(k, u) for k, u in enumerate(parts)])
    stored.write(enumerate(parts), offsets)
    n_rows = stored.totals()["rows"]
    setting = para.Setting(stored, len(docs), n_rows, 3, config.paraphrase_min_score, config.paraphrase_min_evidence,
                           n_scanned, False)
    para.build_index(setting, model)
    (tmp_path / "nominated.pkl").write_bytes(pickle.dumps(next(para.nominated_codes([0 * 7 + 3]))))
    by_part = defaultdict(list)
    for cut in ([(0, 5)], [(5, 11), (11, n_rows)]):  # two tasks of unequal row ranges
        for p, rec in para.candidate_partition(cut, setting, model):
            by_part[p].append((p, rec))
    assert len(by_part) > 1
    got = {}
    for p in sorted(by_part):
        for code, (i, j, matches) in para.judge_partition(by_part[p], setting, model,
                                                         StoredValue(str(tmp_path / "nominated.pkl"))):
            assert code == i * len(docs) + j and (i, j) not in got
            got[(i, j)] = matches
    assert _flat(got) == _flat(want)
