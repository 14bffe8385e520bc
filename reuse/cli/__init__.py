"""The ``reuse`` command line: a thin click layer over the library.

Each command lives in its own module; this file only assembles the group. The CLI owns stdout
(data) and stderr (progress, warnings, errors); a :class:`~reuse.errors.ReuseError` becomes a
one-line ``error: ...`` on stderr and exit code 2, never a traceback.
"""
from __future__ import annotations

import click

from reuse import __version__
from reuse.cli.bench import bench
from reuse.cli.common import ReuseGroup
from reuse.cli.eval import eval_group
from reuse.cli.index import index, query
from reuse.cli.scan import scan
from reuse.cli.show import show


@click.group(cls=ReuseGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="reuse")
def main() -> None:
    """Find reused text: who reused whose words, where, and how much.

    \b
    Start with:
      reuse scan seeds/               scan a folder, write reports/ and print the top pairs
      reuse scan corpus.jsonl --json  pairs as JSON lines on stdout
      reuse show reports/ 1           print the best pair with its shared words marked
      reuse index add archive/ --db archive.db
      reuse query new.txt --db archive.db   where have we seen this before?
      reuse bench pan CORPUS_DIR      PAN13 text-alignment scores
      reuse eval graded DIRS --pan CORPUS_DIR   does the score rank graded reuse?
      reuse eval talking-points LABELS seeds/   talking points against labelled claims
    Run `reuse COMMAND --help` for the options of each command.
    """


main.add_command(scan)
main.add_command(index)
main.add_command(query)
main.add_command(bench)
main.add_command(show)
main.add_command(eval_group)
