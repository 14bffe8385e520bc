"""The reference tokenizer: one regular-expression match, ``normalize`` and ``token_hash`` per word.

Plain and obviously right, far too slow for a corpus: the test suite checks that
:func:`reuse.text.tokens.tokenize` and :func:`reuse.text.scan.batch_token_ids` give exactly what
this gives.
"""
from __future__ import annotations

import random

import numpy as np

from reuse.text.normalize import TOKEN, normalize, token_hash
from reuse.text.tokens import Tokens


def reference_tokenize(text: str) -> Tokens:
    """Word tokens of ``text`` with exact character spans, one Python call per word."""
    matches = list(TOKEN.finditer(text))
    norms = tuple(normalize(m.group()) for m in matches)
    return Tokens(
        starts=np.asarray([m.start() for m in matches], dtype=np.int64),
        ends=np.asarray([m.end() for m in matches], dtype=np.int64),
        ids=np.fromiter((token_hash(n) for n in norms), dtype=np.uint64, count=len(norms)),
        norms=norms,
    )


TRICKY = [
    "Iran’s  “diplomat”\u00a0Assadollah Asadi—arrested.",  # curly quotes, NBSP, em dash
    "ﬁle ﬂow ﬃx: ligatures fold under NFKC",  # NFKC ligatures
    "Straße STRASSE ΣΊΣΥΦΟΣ ǅemal İstanbul Kelvin K",  # casefold beyond lower()
    "café cafe\u0301 naïve x\u0308y ko\u0300\u0301\u0302",  # combining marks
    "２０２４ ｆｕｌｌｗｉｄｔｈ Ⅻ ① ½",  # compatibility digits/letters
    "tabs\tand\nnew\r\nlines\u2028sep\u3000ideographic space",
    "", "a", "x" * 200 + " " + "y" * 17 + " " + "z" * 129,  # token lengths around the kernel limits
    "\ud800 lone surrogate \udfff",
    "nul\x00inside text",
    "国家气象局周二发布暴雨橙色预警，预计未来三天。",  # Han: one token a character
    "コーヒーを飲みました。東京タワーabcＡＢＣ ｺｰﾋｰ",  # kana, length mark, full- and half-width
    "ภาษาไทยไม่มีช่องว่าง ກະຊວງ ភាសាខ្មែរ မြန်မာ",  # Thai, Lao, Khmer, Myanmar with their marks
    "abc中文def 123 한국어 문장 丽豈 𠀀𠀁 々〇〆ヶ",  # mixed scripts, Hangul words, compatibility ideographs
    "\u0301中 中\u0301\u0302a a\u0301中b \u0e48abc",  # combining marks before, on and after characters
]
"""Texts where a fast path could go wrong: Unicode folding, kernel length limits, odd code points."""


def random_texts(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,’“”\u00a0é\u0301ﬁ-—\n中文タｰไ\u0e48。"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) for _ in range(n)]
