"""Whether the compiled kernels run: numba when it is installed, unless ``REUSE_NO_NUMBA=1``.

Every kernel written for numba has a numpy twin giving bit-identical results; the twin runs
when numba is missing, or when the environment sets ``REUSE_NO_NUMBA=1`` (CI runs the test suite
once that way, so the twins are exercised where numba is always installed).
"""
from __future__ import annotations

import importlib.util
import os

ENABLED = os.environ.get("REUSE_NO_NUMBA", "") in ("", "0") and importlib.util.find_spec("numba") is not None
"""True when the numba kernels are compiled and used."""
