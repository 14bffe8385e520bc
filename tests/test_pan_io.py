"""PAN corpus reading and detection XML: round trips, stray NULs, and one-line errors."""
import pytest

from reuse.errors import InputError
from reuse.eval.pan.bench import detect_all, score, write_all
from reuse.eval.pan.corpus import open_corpus, read_pairs_file, read_text
from reuse.eval.pan.measures import Annotation
from reuse.eval.pan.xml import detection_xml, read_annotations

from .conftest import COPIED, article


def test_detection_xml_round_trips(tmp_path):
    dets = [Annotation("suspicious-document00001.txt", 10, 20, "source-document00002.txt", 30, 40),
            Annotation("suspicious-document00001.txt", 100, 5, "source-document00002.txt", 0, 7)]
    path = tmp_path / "suspicious-document00001-source-document00002.xml"
    path.write_text(detection_xml("suspicious-document00001.txt", dets), encoding="utf-8")
    assert read_annotations(path, name="detected-plagiarism") == dets
    assert read_annotations(path, name="plagiarism") == []


def test_empty_detection_file_is_valid_xml(tmp_path):
    path = tmp_path / "d.xml"
    path.write_text(detection_xml("s.txt", []), encoding="utf-8")
    assert read_annotations(path, name="detected-plagiarism") == []


def test_malformed_xml_names_file_and_line(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text('<document reference="s.txt">\n<feature name="plagiarism"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.xml:\d+: malformed XML"):
        read_annotations(path, name="plagiarism")


def test_bad_pairs_line_names_file_and_line(tmp_path):
    path = tmp_path / "pairs"
    path.write_text("a.txt b.txt\nonly-one-field\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pairs:2: expected"):
        read_pairs_file(path)


def test_not_a_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="no src/ folder"):
        open_corpus(tmp_path)


def _tiny_corpus(root):
    """A two-pair PAN corpus: one verbatim copy (with a stray NUL in the text) and one clean pair."""
    (root / "src").mkdir()
    (root / "susp").mkdir()
    (root / "02-copy").mkdir()
    src = article(1, COPIED, words=200)
    susp = "\x00" + article(2, COPIED, words=200)
    (root / "src" / "source-document00001.txt").write_text(src, encoding="utf-8", newline="")
    (root / "susp" / "suspicious-document00001.txt").write_text(susp, encoding="utf-8", newline="")
    (root / "src" / "source-document00002.txt").write_text(article(3, words=200), encoding="utf-8")
    pairs = "suspicious-document00001.txt source-document00001.txt\nsuspicious-document00001.txt source-document00002.txt\n"
    (root / "pairs").write_text(pairs, encoding="utf-8")
    (root / "02-copy" / "pairs").write_text(pairs, encoding="utf-8")
    gold = [Annotation("suspicious-document00001.txt", susp.index(COPIED), len(COPIED) - 1,
                       "source-document00001.txt", src.index(COPIED), len(COPIED) - 1)]
    xml = detection_xml("suspicious-document00001.txt", gold).replace("detected-plagiarism", "plagiarism")
    (root / "02-copy" / "suspicious-document00001-source-document00001.xml").write_text(xml, encoding="utf-8")
    (root / "02-copy" / "suspicious-document00001-source-document00002.xml").write_text(
        detection_xml("suspicious-document00001.txt", []).replace("detected-plagiarism", "plagiarism"), encoding="utf-8")
    return susp


def test_tiny_corpus_is_read_aligned_scored_and_written(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    susp = _tiny_corpus(root)
    assert read_text(root / "susp" / "suspicious-document00001.txt") == susp  # the NUL is kept
    corpus = open_corpus(root)
    assert [p.part for p in corpus.pairs] == ["02-copy", "02-copy"]
    from reuse.config import ReuseConfig

    found = detect_all(corpus, ReuseConfig(), jobs=1)
    scores = score(corpus, found)
    assert scores["02-copy"].plagdet == pytest.approx(1.0)
    assert scores["overall"].pairs_detected == 1
    write_all(tmp_path / "out", found)
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["suspicious-document00001-source-document00001.xml",
                     "suspicious-document00001-source-document00002.xml"]


def test_a_document_rewritten_between_two_runs_in_one_process_is_read_again(tmp_path):
    # The per-process document cache is keyed by size and mtime too: a path alone would serve stale text.
    import os

    from reuse.config import ReuseConfig
    from reuse.eval.pan.bench import detect_pair
    from reuse.eval.pan.corpus import PanPair

    (tmp_path / "susp").mkdir()
    (tmp_path / "src").mkdir()
    susp, src = tmp_path / "susp" / "s.txt", tmp_path / "src" / "r.txt"
    susp.write_text(article(1, COPIED), encoding="utf-8")
    src.write_text(article(2, COPIED), encoding="utf-8")
    pair, config = PanPair("s.txt", "r.txt"), ReuseConfig()
    assert detect_pair(str(tmp_path), pair, config)
    susp.write_text(article(3) + " and some more words", encoding="utf-8")
    os.utime(susp, ns=(1, 1))
    assert detect_pair(str(tmp_path), pair, config) == []
