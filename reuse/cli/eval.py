"""``reuse eval``: score what a scan reports against labelled data.

``reuse eval talking-points LABELS PATH...`` scans PATH (folders or files, as ``reuse scan``
reads them) and prints recall and precision of its cross-document passages against the labelled
pairs (:mod:`reuse.eval.annotation`); ``--baseline X`` scores plain sentence TF-IDF at cosine X on
the same labels instead, the bar any talking-point method must clear.
"""
from __future__ import annotations

import json

import click

from reuse.cli.common import ReuseGroup


@click.group(cls=ReuseGroup)
def eval() -> None:  # noqa: A001 - the command's name
    """Score reports against labelled data."""


@eval.command("talking-points")
@click.argument("labels", type=click.Path(dir_okay=False, exists=True))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--baseline", type=click.FloatRange(0.0, 1.0), default=None, metavar="X",
              help="Score plain sentence TF-IDF (every cross-document sentence pair at cosine >= X) instead.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
def talking_points(labels: str, paths: tuple[str, ...], baseline: float | None, as_json: bool) -> None:
    """Recall and precision of talking points against LABELS (JSONL of labelled pairs).

    \b
    Each line of LABELS names two spans making one claim: doc_a, a_start, a_end,
    doc_b, b_start, b_end (document ids as `reuse scan` gives them).
    Example:
      reuse eval talking-points tests/fixtures/seed_talking_points.jsonl seeds/
    """
    from reuse.eval.annotation import score_paths

    scores = score_paths(labels, list(paths), baseline=baseline)
    if as_json:
        click.echo(json.dumps(scores.to_dict()))
    else:
        click.echo(scores.line())
