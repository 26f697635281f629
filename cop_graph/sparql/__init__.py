"""The public SPARQL endpoint's engine room: what a query may do, what it sees, how it runs.

``service`` is the endpoint as one function from a protocol request to a reply; it asks
``guard`` (refuse what a public endpoint must never do: updates, SERVICE, graphs that are not
public), ``dataset`` (which graphs a query sees), ``runner`` (a time limit that really stops
work, over the snapshot in memory held by ``worker`` processes) and ``results`` (the standard
formats, capped). The web blueprint (``web/sparql.py``) only adapts Flask to ``service``.

Kept free of imports so that the query processes start quickly.
"""
