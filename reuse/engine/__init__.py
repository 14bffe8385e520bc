"""Engines run the stage plan (:mod:`reuse.engine.plan`) through the interface of :mod:`reuse.engine.base`.

``local`` is a process pool and a spill file on one machine. A Spark engine implements the same
interface (``map`` as ``mapPartitions``, ``group_by_key``, ``broadcast``) and must give the same results.
"""
