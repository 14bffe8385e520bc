"""``python -m reuse`` runs the command line."""
from reuse.cli import main

main()
