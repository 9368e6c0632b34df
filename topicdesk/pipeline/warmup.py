"""Get the slow first steps of a fit done before the first click.

A first UMAP run in a process spends 8-11 s compiling on a 2-core machine (a 300 x 384
fit took 9.0 s cold); with the disk cache (jit_cache) a new process loads it in a fraction
of a second, and the very first run on a computer still compiles. Loading the built-in
language model (and OpenVINO's compiled copy of it) takes several seconds more. The
desktop app has its fitting process do both at start-up, while the researcher picks a
file, so the first fit starts embedding at once.
"""

from __future__ import annotations

import warnings

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import jit_cache, layouts


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


def load_default_model() -> None:
    """Load the built-in model with the default settings into the process's encoders."""
    from topicdesk.pipeline.encoders import ENCODERS

    ENCODERS.get(FitSettings())
