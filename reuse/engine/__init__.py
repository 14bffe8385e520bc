"""Engines run the stage plan (:mod:`reuse.engine.plan`) through the interface of :mod:`reuse.engine.base`.

``local`` is a process pool and a spill file on one machine. ``spark`` (the extra ``reuse[spark]``)
implements the same interface on a SparkSession (``map`` as Spark jobs, ``group_by_key`` as
``partitionBy``, ``broadcast``), and runs the plan's stages as a Spark dataflow for corpora beyond one
machine (:mod:`reuse.engine.spark_plan`); both give the same results (tested).
"""
