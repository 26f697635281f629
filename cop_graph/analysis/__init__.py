"""Connection analyses: one topic per module, each a function from a graph to plain data.

The graphs come from :mod:`cop_graph.analysis.network`; :mod:`cop_graph.analysis.reports` ties the
store, the graphs and these functions together for the command line, the JSON API and the
pages, so all three show the same answer.
"""
