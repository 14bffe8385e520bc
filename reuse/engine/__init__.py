"""Engines run the stage plan (:mod:`reuse.engine.plan`) through the interface of :mod:`reuse.engine.base`.

``local`` is a process pool and a spill file on one machine. ``spark`` (the extra ``reuse[spark]``)
runs the same stage functions with ``mapPartitions``/``groupBy`` on a Spark cluster, and gives the
same results (tested); it keeps a plan of its own (:mod:`reuse.engine.spark`) for now.
"""
