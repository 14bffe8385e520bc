"""Walking folders: every file met is read or listed as skipped with its reason (item 10)."""
from __future__ import annotations

import os

from reuse.io.readers import read_paths
from reuse.io.walk import excluded, format_of


def _by_source(corpus):
    return {s.source: s for s in corpus.skipped}


def test_links_unknown_formats_and_default_excludes_are_accounted_for(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("alpha words here", encoding="utf-8")
    (root / "sub" / "b.md").write_text("beta words here", encoding="utf-8")
    (root / "notes.rtf").write_text("{\\rtf1 hello}", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD.txt").write_text("ref: refs/heads/main", encoding="utf-8")
    (root / "node_modules" / "pkg").mkdir(parents=True)
    (root / "node_modules" / "pkg" / "README.md").write_text("a package readme", encoding="utf-8")
    os.symlink(root / "missing.txt", root / "dangling.txt")
    os.symlink(root, root / "sub" / "loop")  # a loop back to the top
    os.symlink(root / "sub", root / "again")  # a second way into sub
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "c.txt").write_text("gamma words here", encoding="utf-8")
    os.symlink(outside, root / "linked")  # a folder outside: followed
    os.mkfifo(root / "pipe.txt")  # never opened: reading a FIFO would wait forever
    corpus = read_paths([root])
    assert [d.id for d in corpus.documents] == ["a.txt", "linked/c.txt", "sub/b.md"]
    skipped = _by_source(corpus)
    assert set(skipped) == {str(root / n) for n in (".git", "node_modules", "notes.rtf", "dangling.txt", "sub/loop",
                                                   "again", "pipe.txt")}
    assert skipped[str(root / ".git")].excluded and skipped[str(root / "node_modules")].excluded
    assert "unknown format '.rtf'" in skipped[str(root / "notes.rtf")].reason
    assert "dangling symbolic link" in skipped[str(root / "dangling.txt")].reason
    assert "inside the scanned folder" in skipped[str(root / "sub/loop")].reason
    assert "not a regular file" in skipped[str(root / "pipe.txt")].reason
    assert not any(s.excluded for k, s in skipped.items() if k.endswith(("rtf", "dangling.txt", "loop", "pipe.txt")))


def test_exclude_globs_match_relative_paths_and_names(tmp_path):
    for rel in ("keep.txt", "drafts/d1.txt", "old/x.txt", "old/keep2.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"text of {rel}", encoding="utf-8")
    corpus = read_paths([tmp_path], exclude=["drafts/", "old/x.*"])
    assert [d.id for d in corpus.documents] == ["keep.txt", "old/keep2.txt"]
    assert {s.source: s.reason for s in corpus.skipped} == {
        str(tmp_path / "drafts"): "excluded by --exclude drafts/", str(tmp_path / "old/x.txt"): "excluded by --exclude old/x.*"}


def test_a_hidden_folder_named_on_the_command_line_is_read(tmp_path):
    hidden = tmp_path / ".archive"
    hidden.mkdir()
    (hidden / "a.txt").write_text("hidden but asked for", encoding="utf-8")
    assert [d.id for d in read_paths([hidden]).documents] == ["a.txt"]


def test_format_and_exclusion_rules():
    from pathlib import Path

    assert format_of(Path("x/A.JSONL.GZ")) == ".jsonl" and format_of(Path("a.txt.gz")) == ".txt"
    assert format_of(Path("a.gz")) is None and format_of(Path("a.tar.gz")) is None
    assert excluded("src/.venv", ".venv", []) == "excluded by default (hidden)"
    assert excluded("src/.venv", ".venv", [], defaults=False) is None
