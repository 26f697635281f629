"""``python -m cop_graph`` runs the command-line interface."""

from cop_graph.cli import main

main()
