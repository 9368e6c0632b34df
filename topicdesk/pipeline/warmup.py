"""Load or compile UMAP's numba code before the first fit, so the first click does not wait.

A first UMAP run in a process spends 8-11 s compiling on a 2-core machine (a 300 x 384
fit took 9.0 s cold); with the disk cache (jit_cache) a new process loads it in a fraction
of a second, and the very first run on a computer still compiles. The desktop app runs
this on a background thread at start-up while the user picks a file.
"""

from __future__ import annotations

import threading
import warnings

import numpy as np

from topicdesk.pipeline import jit_cache, layouts

_started = threading.Event()


def warm_up() -> None:
    """Run UMAP (cosine, 5-d and 2-d) and HDBSCAN once on a tiny random set."""
    jit_cache.enable()
    layouts.release_gil()  # so the runs below compile the epoch that two layouts share cores with
    import hdbscan
    import umap

    data = np.random.default_rng(0).normal(size=(64, 16)).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for dims in (5, 2):
            reduced = umap.UMAP(
                n_neighbors=8, n_components=dims, metric="cosine", random_state=0, low_memory=True
            ).fit_transform(data)
        hdbscan.HDBSCAN(min_cluster_size=5).fit(reduced.astype(np.float64))


def warm_up_in_background() -> threading.Thread | None:
    """Start the warm-up once per process on a daemon thread; None if already started."""
    if _started.is_set():
        return None
    _started.set()

    def run() -> None:
        try:
            warm_up()
        except Exception:  # noqa: BLE001, S110 - a failed warm-up only means the first fit compiles
            pass

    thread = threading.Thread(target=run, name="topicdesk-warm-up", daemon=True)
    thread.start()
    return thread
