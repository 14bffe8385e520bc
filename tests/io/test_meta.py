import pytest
from click.testing import CliRunner

from reuse.cli import main
from reuse.errors import InputError
from reuse.io.meta import apply_meta, read_meta
from reuse.io.readers import read_paths
from tests.stages.talking.test_points import _folder


def test_meta_jsonl_is_read_and_applied(tmp_path):
    meta = tmp_path / "meta.jsonl"
    meta.write_text('{"id": "a.txt", "source": "Herald", "url": "https://h.example/a"}\n\n'
                    '{"id": "c", "date": "2023-01-01"}\n', encoding="utf-8")
    corpus = apply_meta(read_paths([_folder(tmp_path)]), read_meta(meta))
    by_id = {d.id: d for d in corpus.documents}
    assert (by_id["a.txt"].source, by_id["a.txt"].url) == ("Herald", "https://h.example/a")
    assert by_id["c.txt"].date == "2023-01-01" and by_id["c.txt"].source is None
    assert by_id["b.txt"].source is None


@pytest.mark.parametrize("name,content,message", [
    ("meta.jsonl", '{"id": "a.txt"}\n{"id": "b.txt", \n', "meta.jsonl:2: malformed JSON line"),
    ("meta.jsonl", '{"source": "Herald"}\n', "meta.jsonl:1: meta record has no 'id'"),
    ("meta.csv", "name,source\na.txt,Herald\n", "meta.csv:1: meta CSV header needs an 'id' column"),
    ("meta.csv", "id,source\na.txt,Herald\na.txt,Gazette\n", "meta.csv:3: duplicate id 'a.txt'"),
    ("meta.txt", "id,source\n", "meta file must be .csv or .jsonl"),
])
def test_bad_meta_file_is_a_one_line_error(tmp_path, name, content, message):
    folder = _folder(tmp_path)
    meta = tmp_path / name
    meta.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(folder), "--meta", str(meta), "--out", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    with pytest.raises(InputError):
        read_meta(meta)
