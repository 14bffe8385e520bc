"""Bytes to text: strict decoding that names the bad line, binary sniffing, byte-order marks, gzip.

Every reader goes through these, so a file, a gzipped file and stdin fail the same way: one
:class:`~reuse.model.Skip` naming the line, never a traceback and never silently mangled text.
"""
from __future__ import annotations

import codecs
import gzip
import re
import zlib
from pathlib import Path

_CONTROL = frozenset(set(range(0, 9)) | {11, 12} | set(range(14, 32)))
BINARY_SAMPLE = 8192
_BINARY_SHARE = 0.10  # a tenth of control bytes, in bytes that are not UTF-8, is not text
_NUL_SHARE = 0.05  # a few stray NULs are text (PAN13 has some); a twentieth of the bytes is not
_SURROGATE = re.compile("[\ud800-\udfff]")

GZIP_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error)
"""What reading a damaged or truncated ``.gz`` raises (``gzip.BadGzipFile`` is an ``OSError``)."""


def codec_name(encoding: str) -> str:
    """The codec's canonical name (``UTF8`` -> ``utf-8``), or the name as given when unknown."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding.lower()


def is_wide(encoding: str) -> bool:
    """UTF-16/32: NUL bytes are ordinary there, and lines cannot be split on the byte ``\\n``."""
    return codec_name(encoding).startswith(("utf-16", "utf-32"))


def is_utf8(encoding: str) -> bool:
    return codec_name(encoding) in ("utf-8", "utf-8-sig")


def looks_binary(raw: bytes) -> bool:
    """An image, an archive, UTF-16 without its flag: not text.

    Judged on the first bytes: more than a twentieth NULs (UTF-16 text, most binary formats), or
    more than a tenth control bytes in bytes that are not UTF-8 either. Valid UTF-8 (ASCII
    included) with stray NULs or many control characters is text, however noisy: PAN13 has
    documents of random printable and control characters, and they are cases of its evaluation.
    """
    sample = raw[:BINARY_SAMPLE]
    if not sample:
        return False
    if sample.count(0) / len(sample) > _NUL_SHARE:
        return True
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls / len(sample) > _BINARY_SHARE and not _utf8_prefix(sample)


def _utf8_prefix(sample: bytes) -> bool:
    """The sample decodes as UTF-8, a character cut at its end allowed."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _text_looks_binary(text: str) -> bool:
    sample = text[:BINARY_SAMPLE]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) in _CONTROL)
    return controls / len(sample) > _BINARY_SHARE


def binary_reason(raw: bytes) -> str:
    """Why bytes were judged binary; UTF-16 text (a byte-order mark) gets the flag that reads it."""
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "UTF-16 text (byte-order mark); pass --encoding utf-16 to read it"
    return "binary content, not text"


def encoding_hint(encoding: str) -> str:
    return "; pass --encoding (e.g. latin-1) to decode it" if is_utf8(encoding) else ""


def decode(raw: bytes, encoding: str) -> tuple[str, None] | tuple[None, tuple[int, str]]:
    """``(text, None)``, or ``(None, (line, reason))`` naming the first bad byte and its line (0: the whole file).

    Binary content is refused here too: for UTF-16/32 on the decoded text (NULs are normal bytes
    there), otherwise on the bytes.
    """
    wide = is_wide(encoding)
    if not wide and looks_binary(raw):
        return None, (0, binary_reason(raw))
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        return None, (line, f"invalid {exc.encoding} at byte {exc.start} ({exc.reason}){encoding_hint(encoding)}")
    if wide and _text_looks_binary(text):
        return None, (0, "binary content, not text")
    return text, None


def strip_bom(text: str) -> str:
    """A record file's leading byte-order mark belongs to the file, not to its first record or header."""
    return text[1:] if text.startswith("\ufeff") else text


def has_surrogates(text: str) -> bool:
    """Lone surrogates are undecodable bytes smuggled in by ``surrogateescape`` (e.g. a C-locale stdin)."""
    return _SURROGATE.search(text) is not None


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when its name ends in ``.gz`` (raises ``OSError``/``EOFError``)."""
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as fh:
            return fh.read()
    return path.read_bytes()
