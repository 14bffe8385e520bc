"""The reference tokenizer: one regular-expression match, ``normalize`` and ``token_hash`` per word.

Plain and obviously right, far too slow for a corpus: the test suite checks that
:func:`reuse.text.tokens.tokenize` and :func:`reuse.text.scan.batch_token_ids` give exactly what
this gives.
"""
from __future__ import annotations

import numpy as np

from reuse.text.normalize import WORD, normalize, token_hash
from reuse.text.tokens import Tokens


def reference_tokenize(text: str) -> Tokens:
    """Word tokens of ``text`` with exact character spans, one Python call per word."""
    matches = list(WORD.finditer(text))
    norms = tuple(normalize(m.group()) for m in matches)
    return Tokens(
        starts=np.asarray([m.start() for m in matches], dtype=np.int64),
        ends=np.asarray([m.end() for m in matches], dtype=np.int64),
        ids=np.fromiter((token_hash(n) for n in norms), dtype=np.uint64, count=len(norms)),
        norms=norms,
    )
