"""Unit arrays kept in files: the same units as in memory, read-only, and nothing left on disk."""
from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pytest

from reuse.stages.talking.unit_arrays import Units, keep_readings, narrowest, take_readings
from reuse.stages.talking.units import count_batch, merge, units_batch
from tests.stages.talking.test_points import ARTICLE_A, ARTICLE_B, ARTICLE_C, ARTICLE_D, TWO_SENTENCES

TEXTS = [ARTICLE_A, ARTICLE_B, TWO_SENTENCES, ARTICLE_C, ARTICLE_D]


def _batches():
    counts = [count_batch(TEXTS[:2], [-1, -1], 3), count_batch(TEXTS[2:3], [-1], 3), count_batch(TEXTS[3:], [-1] * 2, 3)]
    model, _, _ = merge(counts, min_docs=2, background_share=0.25)
    ranges = [[np.array([[0, 3]]), np.empty((0, 2), np.int64)], [np.array([[1, 4]])], [np.empty((0, 2), np.int64)] * 2]
    return [units_batch(c.readings, r, model, window=2) for c, r in zip(counts, ranges)]


def test_units_joined_into_files_equal_units_joined_in_memory(tmp_path):
    in_memory = Units.join(_batches())
    on_disk = Units.join(_batches(), tmp_path)
    for f in fields(Units):
        a, b = getattr(in_memory, f.name), getattr(on_disk, f.name)
        assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b), f.name
        assert not b.flags.writeable, f.name
    assert list(tmp_path.iterdir()) == []  # mapped, then unlinked: freed with the arrays
    assert np.array_equal(on_disk[1].terms, in_memory[1].terms)


def test_units_joined_into_files_from_documents_without_units(tmp_path):
    empty = count_batch([""], [-1], 3)
    model, _, _ = merge([empty], min_docs=2, background_share=0.25)
    joined = Units.join([units_batch(empty.readings, [np.empty((0, 2), np.int64)], model, window=2)], tmp_path)
    assert len(joined) == 1 and len(joined.terms) == 0 and joined.words.shape == (0, 2)


def test_readings_kept_in_a_file_come_back_once(tmp_path):
    readings = count_batch(TEXTS, [-1] * 5, 3).readings
    path = str(tmp_path / "r.pickle")
    keep_readings(readings, path)
    back = take_readings(path)
    pairs = [(getattr(readings.words, f.name), getattr(back.words, f.name)) for f in fields(readings.words)]
    pairs += [(getattr(readings, f.name), getattr(back, f.name)) for f in fields(readings) if f.name != "words"]
    assert all(a.dtype == b.dtype and np.array_equal(a, b) for a, b in pairs)
    with pytest.raises(FileNotFoundError):
        take_readings(path)


def test_a_wider_part_widens_the_field_in_files_as_in_memory(tmp_path):
    parts = _batches()
    assert parts[0].pos.dtype == parts[0].words.dtype == np.uint16 and parts[0].chars.dtype == np.int32  # short documents
    parts[1] = replace(parts[1], pos=parts[1].pos.astype(np.int32) + 70_000, chars=parts[1].chars.astype(np.int64))
    in_memory, on_disk = Units.join(parts), Units.join(parts, tmp_path)
    assert in_memory.indptr.dtype == on_disk.indptr.dtype == np.int32  # the entries' offsets fit 32 bits
    for f in ("pos", "chars"):
        a, b = getattr(in_memory, f), getattr(on_disk, f)
        assert a.dtype == b.dtype == getattr(parts[1], f).dtype and np.array_equal(a, b), f
        assert np.array_equal(b, np.concatenate([getattr(p, f) for p in parts]).astype(b.dtype)), f


def test_narrowest_type_holding_the_values():
    assert narrowest(np.array([0, 65_535]), np.uint16, np.int32) == np.uint16
    assert narrowest(np.array([0, 65_536]), np.uint16, np.int32) == np.int32
    assert narrowest(np.array([-1, 5]), np.uint16, np.int32) == np.int32
    assert narrowest(np.array([2**31]), np.int32, np.int64) == np.int64
    assert narrowest(np.empty(0, np.int64), np.uint16, np.int32) == np.uint16
