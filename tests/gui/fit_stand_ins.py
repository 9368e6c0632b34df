"""What the fitting process runs in the worker tests instead of the real fit.

FitController runs ``module:function`` in its process; these stand-ins run there just as
the real fit would: reporting a batch at a time, honouring Cancel, failing in a stage.
"""

from __future__ import annotations

import time

from topicdesk.pipeline import cluster, runner
from topicdesk.pipeline.progress import Progress

HERE = "tests.gui.fit_stand_ins"
BATCHES = 40
PAUSE = 0.05


def _batches(progress: Progress, batches: int) -> None:
    progress.begin("Embedding documents", 1, 6)
    for i in range(batches):
        progress.check()
        time.sleep(PAUSE)
        progress.update((i + 1) / batches, f"{i + 1} of {batches}")
    raise AssertionError("the stand-in never finishes; tests cancel it")


def slow_fit(project, settings, progress: Progress):
    """Forty batches of 50 ms, reported and checked for Cancel like the real ones."""
    _batches(progress, BATCHES)


def endless_fit(project, settings, progress: Progress):
    """Batches for twenty seconds: the window is closed long before."""
    _batches(progress, 400)


def broken_fit(project, settings, progress: Progress):
    raise RuntimeError("disk on fire")


def fit_that_runs_out_of_memory(project, settings, progress: Progress):
    """The real fit, up to its clustering, which cannot get the memory it needs."""

    def no_memory(*args, **kwargs):
        raise MemoryError("cannot allocate 9 GB for the distance matrix")

    real = cluster.cluster
    cluster.cluster = no_memory
    try:
        return runner.fit_project(project, settings, progress)
    finally:
        cluster.cluster = real
