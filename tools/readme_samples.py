"""Rewrite the README's sample outputs from real runs, so they cannot drift from the tool.

``make readme`` runs this (then re-takes the screenshots). Each sample sits between two markers,

    <!-- sample: NAME -->
    ```
    ...output...
    ```
    <!-- /sample -->

and is the output of :data:`SAMPLES` ``[NAME]`` run from the repository root. A sample may keep only
its first lines (``head``), then ends with a line ``...``. ``tests/test_readme.py`` checks the
README's samples against fresh runs of the same commands.
"""
from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- sample: (?P<name>[^>]+?) -->\n```[a-z]*\n)(?P<body>.*?)(```\n<!-- /sample -->)", re.S)


@dataclass(frozen=True)
class Sample:
    args: tuple[str, ...]  # the reuse command line, without the program name
    head: int | None = None  # keep this many lines, then "..."
    shown: str = ""  # the command as the README shows it, when it is shown above the output


SAMPLES = {
    "make report": Sample(("scan", "seeds/", "--out", "reports/")),
    "reuse show": Sample(("show", "reports/", "1", "--no-color"), head=14, shown="$ reuse show reports/ 1"),
}


def blocks(text: str) -> dict[str, str]:
    """The README's samples by name: their text between the code fences."""
    return {m["name"]: m["body"] for m in BLOCK.finditer(text)}


def render(sample: Sample, output: str) -> str:
    """What the README shows for ``output``: the command line, then its first lines."""
    lines = output.rstrip("\n").splitlines()
    if sample.head is not None and len(lines) > sample.head:
        lines = [*lines[: sample.head], "..."]
    head = [sample.shown] if sample.shown else []
    return "\n".join(head + lines) + "\n"


def matches(sample: Sample, shown: str, output: str) -> bool:
    """Whether the README's ``shown`` text is what ``output`` renders to."""
    return shown == render(sample, output)


def run(sample: Sample) -> str:
    """Run the sample's command with this environment's ``reuse`` and return its stdout."""
    cmd = [sys.executable, "-m", "reuse", *sample.args]
    return subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True, encoding="utf-8").stdout


def main() -> int:
    text = README.read_text(encoding="utf-8")
    found = blocks(text)
    missing = set(SAMPLES) - set(found)
    if missing:
        print(f"README.md: no sample block for {', '.join(sorted(missing))}", file=sys.stderr)
        return 2
    outputs = {name: render(s, run(s)) for name, s in SAMPLES.items()}  # "make report" first: show reads it
    text = BLOCK.sub(lambda m: m[1] + outputs.get(m["name"], m["body"]) + m[4], text)
    README.write_text(text, encoding="utf-8")
    print(f"README.md: rewrote {', '.join(outputs)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
