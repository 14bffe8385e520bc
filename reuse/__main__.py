"""``python -m reuse`` runs the command line."""
from .cli import main

main()
