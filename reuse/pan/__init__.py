"""PAN text-alignment benchmark support: corpus reading, detection XML, and the PAN measures.

Kept apart from the pipeline: nothing here aligns text. ``reuse bench pan`` feeds the corpus's
pairs to :func:`reuse.align.align_documents` — the aligner ``reuse scan`` uses — and scores the
result with :mod:`reuse.pan.measures`.
"""
