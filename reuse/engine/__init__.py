"""Engines that run the pipeline's pure batch stages (:mod:`reuse.stages.batch`).

``local`` runs them with numpy/numba in a process pool on one machine; a Spark engine can run the
very same functions with ``mapPartitions``/``groupBy`` and must give the same results.
"""
