"""Reading RDF files and the project's own Turtle: the lowest layer above the vocabulary.

``rdf`` parses uploads safely, ``terms`` converts terms between rdflib and pyoxigraph, and
``ontology`` reads the trusted ontology and shapes files once.
"""
