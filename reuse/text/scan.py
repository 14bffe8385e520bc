"""The word scanner: token spans and ids of texts without a Python call per token.

:func:`reuse.text.tokens.tokenize` (one text) and :func:`batch_token_ids` (a batch, ids only) run
the kernels here; the regular-expression tokenizer they replace survives only as the test oracle
(``tests/oracle.py``), and every id equals what it gives:

* a lookup table gives each code point's token class (:func:`reuse.text.normalize.char_class`: word
  character, combining mark, character token of a script without spaces, or separator); it is
  filled lazily, one Python call per *distinct* non-ASCII code point ever seen, so token
  boundaries match the reference tokenizer's regex exactly;
* a word made of ASCII letters and digits normalises to its lower case (NFKC is the identity on
  ASCII, casefold is ``lower``, the quote/dash folding touches only non-ASCII), so its id is XXH3
  of the lower-cased bytes, computed by :mod:`reuse.text.xxh3` in numba or numpy;
* the rare word holding a non-ASCII character (accents, ligatures, combining marks) or longer
  than the kernel handles goes through ``normalize`` + ``token_hash`` themselves (tested on curly
  quotes, NBSP, ligatures, casefold, combining marks).

With numba (see :mod:`reuse.jit`) one pass over each text's UTF-8 bytes does the work; without
it, numpy over the UTF-32 code points of the batch joined with NUL separators.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from reuse.jit import ENABLED as NUMBA
from reuse.text import xxh3
from reuse.text.normalize import CHARACTER, MARK, WORD, char_class, normalize, token_hash
from reuse.text.scan_kernels import _decode_utf8, _scan_numba, _scan_utf8, _unknown_numba

# Table classes (uint8). Kernels test the numbers, so keep them in step with the code below.
_UNKNOWN, _IS_WORD, _NOT_WORD, _IS_MARK, _IS_CHAR, _IS_CHAR_SLOW = 0, 1, 2, 3, 4, 5
_TABLE = np.zeros(0x110000, dtype=np.uint8)
_TABLE[:128] = _NOT_WORD
for _c in b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _TABLE[_c] = _IS_WORD
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[65:91] += 32

FAST_MAX_BYTES = 128 if NUMBA else 16
"""Longest ASCII word hashed without a Python call (numba handles 1-128 bytes, numpy 1-16)."""


def _table_class(ch: str) -> int:
    """The table entry of one code point: its :func:`~reuse.text.tokens.char_class`, with character
    tokens split by whether the kernel may hash their bytes (their normal form is themselves)."""
    cls = char_class(ch)
    if cls == CHARACTER:
        return _IS_CHAR if normalize(ch) == ch else _IS_CHAR_SLOW
    return {WORD: _IS_WORD, MARK: _IS_MARK}.get(cls, _NOT_WORD)


def _learn(code_points: list[int]) -> None:
    for c in code_points:
        if _TABLE[c] == _UNKNOWN:
            _TABLE[c] = _table_class(chr(c))


def _classify(cps: np.ndarray) -> None:
    """Fill the word-class table for the non-ASCII code points of ``cps`` not seen before."""
    high = _unknown_numba(cps, _TABLE) if _unknown_numba is not None else cps[cps >= 128]
    if len(high) == 0:
        return
    seen = np.unique(high)
    _learn(seen[_TABLE[seen] == _UNKNOWN].tolist())


def _joined(texts: Sequence[str], numba_ok: bool = False) -> tuple[str, np.ndarray, np.ndarray]:
    joined = "\x00".join(texts)
    if numba_ok:  # CPython's UTF-8 encoder is a memcpy for ASCII; decoding to code points is a kernel
        cps = _decode_utf8(np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8))
    else:
        cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    doc_starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])) if len(texts) else np.zeros(0, np.int64)
    return joined, cps, doc_starts


def _scan_ids(joined: str, cps: np.ndarray, numba_ok: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Token spans and ids over code points; the rare tokens the kernel cannot hash (non-ASCII
    needing NFKC/casefold) are hashed through ``reuse.text`` so ids always equal ``tokenize``'s."""
    _classify(cps)
    if numba_ok:
        starts, ends, ids, slow = _scan_numba(cps, _TABLE)
        slow_idx = np.flatnonzero(slow)
    else:
        starts, ends, ids, slow_idx = _scan_numpy(cps)
    for k in slow_idx.tolist():
        ids[k] = token_hash(normalize(joined[starts[k] : ends[k]]))
    return starts, ends, ids, slow_idx


def batch_token_ids(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(ids, offsets)``: ids of all tokens of all texts (uint64), and per-text offsets into them.

    ``ids[offsets[d]:offsets[d + 1]]`` equals ``reuse.text.tokens.tokenize(texts[d]).ids``.
    """
    if len(texts) == 0:
        return np.empty(0, dtype=np.uint64), np.zeros(1, dtype=np.int64)
    if NUMBA:
        return _batch_token_ids_utf8(texts)
    joined, cps, doc_starts = _joined(texts, False)
    starts, ends, ids, _ = _scan_ids(joined, cps, False)
    doc_of = np.searchsorted(doc_starts, starts, side="right") - 1
    offsets = np.searchsorted(doc_of, np.arange(len(texts) + 1), side="left").astype(np.int64)
    return ids, offsets


def _batch_token_ids_utf8(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The numba path: one pass over the UTF-8 bytes of each text, no code-point array.

    Each text is encoded on its own (a copy for ASCII text, no widening of the batch to the
    widest text's width); the kernel decodes multi-byte characters inline, so memory per batch is
    the bytes plus one id per token.
    """
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    raw = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    byte_off = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=byte_off[1:])
    capacity = max(1024, len(raw) // 64)
    while True:
        ids, tok_off, slow, n_slow, n_unknown = _scan_utf8(raw, byte_off, _TABLE, capacity)
        if n_unknown:  # first sight of some code points: classify them, then scan again
            _learn([ord(ch) for ch in set().union(*(set(t) for t in texts)) if ord(ch) >= 128])
            continue
        if n_slow > capacity:
            capacity = n_slow
            continue
        break
    slow_tok, slow_doc, slow_s, slow_e = (slow[:n_slow, k] for k in range(4))
    for k, d, a, b in zip(slow_tok.tolist(), slow_doc.tolist(), slow_s.tolist(), slow_e.tolist()):
        ids[k] = token_hash(normalize(texts[d][a:b]))
    return ids, tok_off


def _scan_numpy(cps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Token spans and ids without numba: ASCII words of up to 16 bytes hashed in numpy, every
    other token left to Python (the returned indices)."""
    cls = _TABLE[cps]
    is_char = (cls == _IS_CHAR) | (cls == _IS_CHAR_SLOW)
    is_mark = cls == _IS_MARK
    pos = np.arange(len(cps))
    # A mark belongs to the token of the last non-mark before it: a character token's marks
    # continue it (part 2); otherwise the mark is part of a word run (part 1), maybe starting it.
    last = np.maximum.accumulate(np.where(is_mark, -1, pos)) if len(cps) else pos
    head_char = is_char[np.maximum(last, 0)] & (last >= 0)
    part = np.where(is_char | (is_mark & head_char), 2, np.where((cls == _IS_WORD) | is_mark, 1, 0))
    prev = np.concatenate(([0], part[:-1]))
    begins = is_char | ((part == 1) & (prev != 1))
    nxt_begins = np.concatenate((begins[1:], [True]))
    nxt_out = np.concatenate((part[1:] == 0, [True]))
    starts = np.flatnonzero(begins)
    ends = np.flatnonzero((part != 0) & (nxt_begins | nxt_out)) + 1
    lengths = ends - starts
    high = np.concatenate(([0], np.cumsum(cps >= 128)))
    ascii_word = (high[ends] - high[starts]) == 0
    fast = ascii_word & (lengths <= 16)
    buf = np.concatenate((_LOWER[(cps & 0xFF).astype(np.uint8)] * (cps < 128), np.zeros(16, np.uint8)))
    ids = np.zeros(len(starts), dtype=np.uint64)
    ids[fast] = xxh3.xxh3_short(buf, starts[fast], lengths[fast])
    return starts, ends, ids, np.flatnonzero(~fast)


def scan_batch(texts: Sequence[str]) -> tuple[str, np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
    """A batch of texts scanned as one: ``(joined, code_points, text_starts, (starts, ends, ids, slow))``.

    The texts joined with NUL separators, its code points, where each text starts in it, and
    :func:`scan_text` of the joined text: a separator is never part of a word, so text ``d``'s
    words are those :func:`scan_text` finds in it alone, shifted by ``text_starts[d]``. One kernel
    call for a batch, not one per text (a stage reading every word of a corpus pays per call).
    """
    joined, cps, doc_starts = _joined(texts, NUMBA)
    starts, ends, ids, slow_idx = _scan_ids(joined, cps, NUMBA)
    return joined, cps, doc_starts, (starts.astype(np.int64, copy=False), ends.astype(np.int64, copy=False), ids, slow_idx)


def scan_text(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(starts, ends, ids, slow)`` of one text's words: spans, ids, and the positions of the words
    whose normalised form is not simply their lower case (see :func:`norms_of`)."""
    joined, cps, _ = _joined([text], NUMBA)  # one text: joined == text
    starts, ends, ids, slow_idx = _scan_ids(joined, cps, NUMBA)
    return starts.astype(np.int64, copy=False), ends.astype(np.int64, copy=False), ids, slow_idx


def norms_of(text: str, starts: np.ndarray, ends: np.ndarray, slow_idx: np.ndarray) -> tuple[str, ...]:
    """The normalised forms of the words :func:`scan_text` found.

    A text whose words are all ASCII gives its lower-cased ASCII word runs (one C-level
    ``findall``); any other text's words go through ``normalize`` one by one.
    """
    norms: list[str] | None = None
    low = text.lower()
    if len(slow_idx) == 0:
        norms = _ASCII_WORD.findall(low)
        if len(norms) != len(starts):  # lower() changed a non-word character: take the slow road
            norms = None
    if norms is None:
        src = low if len(low) == len(text) else text
        norms = [src[s:e].lower() for s, e in zip(starts.tolist(), ends.tolist())]
        for k in slow_idx.tolist():
            norms[k] = normalize(text[starts[k] : ends[k]])
    return tuple(norms)


_ASCII_WORD = re.compile(r"[a-z0-9]+", re.ASCII)
