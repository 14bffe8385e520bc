import pytest

from reuse.outputs.records import atomic_open, write_jsonl


def test_write_is_atomic_old_file_survives_a_failure(tmp_path):
    target = tmp_path / "pairs.jsonl"
    write_jsonl(target, [{"a": 1}])

    def boom():
        yield {"a": 2}
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_jsonl(target, boom())
    assert target.read_text() == '{"a": 1}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["pairs.jsonl"]  # no temp file left behind


def test_atomic_open_creates_parent_folders(tmp_path):
    with atomic_open(tmp_path / "x" / "y.txt") as fh:
        fh.write("ok")
    assert (tmp_path / "x" / "y.txt").read_text() == "ok"
