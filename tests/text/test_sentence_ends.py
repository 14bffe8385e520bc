"""The compiled sentence-end finder's class table."""
from __future__ import annotations

import numpy as np
import pytest

from reuse.jit import ENABLED
from reuse.text.normalize import NOT_WORD, char_class

pytestmark = pytest.mark.skipif(not ENABLED, reason="numba not installed: the pattern itself runs")


def test_no_character_of_a_sentence_end_is_part_of_a_word():
    from reuse.text.sentence_ends import CLASS, OTHER

    # what lets the batch reading look for them in the gaps between words alone (reading_kernel)
    assert all(char_class(chr(c)) == NOT_WORD for c in np.flatnonzero(CLASS != OTHER).tolist())

