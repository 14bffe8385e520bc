"""Reading a PAN text-alignment corpus: its documents, its pair lists, and its gold cases.

Layout (PAN 2013/2014): ``src/`` and ``susp/`` hold the documents; ``pairs`` lists
``suspicious-documentX.txt source-documentY.txt`` per line; each sub-folder ``NN-name/`` with a
``pairs`` file holds that part's gold XML, one ``suspicious-documentX-source-documentY.xml`` per pair.
Offsets in the XML index the decoded text as read, byte for byte: we decode without newline
translation, and a document with stray NULs is still text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reuse.errors import InputError
from reuse.eval.pan.measures import Annotation
from reuse.eval.pan.xml import read_annotations


@dataclass(frozen=True, slots=True)
class PanPair:
    """One listed pair and the sub-folder (part) it belongs to ("" when it belongs to none)."""

    susp: str
    src: str
    part: str = ""

    @property
    def stem(self) -> str:
        """``suspicious-documentX-source-documentY``: the name of its XML files."""
        return f"{Path(self.susp).stem}-{Path(self.src).stem}"


@dataclass
class PanCorpus:
    """A PAN corpus on disk: pairs (in listing order) and where to find texts and gold cases."""

    root: Path
    pairs: list[PanPair]
    parts: list[str] = field(default_factory=list)

    def susp_path(self, name: str) -> Path:
        return self.root / "susp" / name

    def src_path(self, name: str) -> Path:
        return self.root / "src" / name

    def gold(self, pair: PanPair) -> list[Annotation]:
        """The gold cases of one pair (none when its part has no XML for it)."""
        if not pair.part:
            return []
        path = self.root / pair.part / f"{pair.stem}.xml"
        if not path.exists():
            return []
        return read_annotations(path, name="plagiarism")


def read_pairs_file(path: Path, part: str = "") -> list[PanPair]:
    """``suspicious-documentX.txt source-documentY.txt`` per line; blank lines ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read pairs file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: pairs file is not UTF-8 ({exc.reason})") from None
    pairs = []
    for lineno, line in enumerate(lines, start=1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2:
            raise InputError(f"{path}:{lineno}: expected 'suspicious-document.txt source-document.txt', got {line.strip()!r}")
        pairs.append(PanPair(fields[0], fields[1], part))
    return pairs


def open_corpus(root: str | Path, pairs_file: str | Path | None = None) -> PanCorpus:
    """The corpus at ``root``; with ``pairs_file``, only the pairs it lists (parts still known)."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder (expected a PAN corpus with src/, susp/ and pairs)")
    for sub in ("src", "susp"):
        if not (root / sub).is_dir():
            raise InputError(f"{root}: not a PAN corpus: no {sub}/ folder")
    parts = sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "pairs").is_file())
    part_of: dict[tuple[str, str], str] = {}
    listed: list[PanPair] = []
    for part in parts:
        for pair in read_pairs_file(root / part / "pairs", part):
            part_of.setdefault((pair.susp, pair.src), part)
            listed.append(pair)
    if pairs_file is not None:
        chosen = read_pairs_file(Path(pairs_file))
    elif (root / "pairs").is_file():
        chosen = read_pairs_file(root / "pairs")
    else:
        chosen = listed
    if not chosen:
        raise InputError(f"{pairs_file or root}: no pairs listed")
    pairs = [PanPair(p.susp, p.src, part_of.get((p.susp, p.src), "")) for p in chosen]
    used = sorted({p.part for p in pairs if p.part})
    return PanCorpus(root=root, pairs=pairs, parts=used)


def read_text(path: Path) -> str:
    """A corpus document decoded as UTF-8 without newline translation (offsets stay exact)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{path}:{line}: invalid UTF-8 at byte {exc.start} ({exc.reason})") from None
