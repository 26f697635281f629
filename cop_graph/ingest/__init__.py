"""Ways data enters the store: files (``load``), workbooks (``importer``) and the
self-assessment form (``assessment``), each checked against the shapes before it is saved.
"""
