"""Engines that run the pipeline's pure batch stages (:mod:`reuse.stages.batch`).

``local`` runs them with numpy/numba in a process pool on one machine; ``spark`` (the extra
``reuse[spark]``) runs the very same functions with ``mapPartitions``/``groupBy`` on a Spark
cluster, and gives the same results (tested).
"""
