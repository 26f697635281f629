"""The public SPARQL endpoint's engine room: what a query may do, what it sees, how it runs.

``guard`` reads a query and refuses what a public endpoint must never do (updates, SERVICE,
reading graphs that are not public); ``dataset`` works out which graphs a query sees;
``runner`` runs it with a time limit that really stops work and a cap on the answer;
``results`` writes answers in the standard formats. The web blueprint (``web/sparql.py``)
only speaks HTTP on top of these.

Kept free of imports so that the worker processes of ``runner`` start quickly.
"""
