"""`reuse --help` and `--version` stay instant: the CLI imports no heavy library until a command runs."""
import subprocess
import sys

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as SKLEARN_STOP_WORDS

from reuse.text.stopwords import ENGLISH_STOP_WORDS

HEAVY = ("sklearn", "numba", "scipy", "pyspark", "pyarrow")


def test_importing_the_cli_loads_no_heavy_library():
    code = f"import sys, reuse.cli; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_version_and_help_run_without_heavy_libraries():
    code = ("import sys, runpy; sys.argv = ['reuse', '--help']\n"
            "try:\n    runpy.run_module('reuse', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "scan" in proc.stdout and proc.stderr.strip().endswith("[]")


def test_stop_words_are_scikit_learns():
    assert ENGLISH_STOP_WORDS == SKLEARN_STOP_WORDS
