"""cop-graph: a knowledge graph of Communities of Purpose across Greater Manchester.

Kept free of heavy imports so that ``cop-graph --help`` and resource lookups stay fast.
"""

__version__ = "0.1.0"
