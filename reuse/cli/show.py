"""``reuse show``: read a report folder back and print a pair with its shared phrasing marked."""
from __future__ import annotations

import os
import sys

import click

from reuse.outputs.folder import find_pair, load_records, passages_of


@click.command()
@click.argument("report_dir", metavar="REPORT_DIR", type=click.Path(file_okay=False))
@click.argument("pair", nargs=-1, metavar="[PAIR]")
@click.option("--color/--no-color", default=None,
              help="Colour the shared words (default: when stdout is a terminal and NO_COLOR is unset).")
def show(report_dir: str, pair: tuple[str, ...], color: bool | None) -> None:
    """Print a pair with its shared words marked (from a report folder).

    \b
    PAIR is DOC_A DOC_B, DOC_A::DOC_B, or the pair's rank in the list;
    without PAIR, the list of pairs with their ranks.
    Shared words are coloured on a terminal, [[bracketed]] otherwise.

    \b
    Examples:
      reuse show reports/                     list the pairs
      reuse show reports/ 1                   the best pair
      reuse show reports/ a.txt b.txt | less  plain markers in a pager
    """
    from reuse.outputs.terminal import pair_rows, show_pair  # numpy, the tokenizer: imported when used

    pairs = load_records(report_dir, "pairs.jsonl")
    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if not pair:
        if not pairs:
            click.echo("no pairs in this report")
            return
        click.echo("\n".join(pair_rows(pairs, ranks=True)))
        return
    rank, chosen = find_pair(pairs, list(pair), where=f"{report_dir.rstrip('/')}/pairs.jsonl")
    passages = passages_of(load_records(report_dir, "passages.jsonl", required=chosen["n_passages"] > 0), chosen)
    click.echo(show_pair(rank, chosen, passages, color=color), color=color)
