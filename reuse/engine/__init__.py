"""Engines run the stage plan (:mod:`reuse.engine.plan`) through the interface of :mod:`reuse.engine.base`.

``local`` is a process pool and a spill file on one machine.
"""
