"""Get the slow first steps of a fit done before the first click.

A first UMAP run in a process spends 8-11 s compiling on a 2-core machine (a 300 x 384
fit took 9.0 s cold); with the disk cache (jit_cache) a new process loads it in a fraction
of a second, and the very first run on a computer still compiles. Loading the built-in
language model (and OpenVINO's compiled copy of it) takes several seconds more. The
desktop app has its fitting process do both at start-up, while the researcher picks a
file, so the first fit starts embedding at once. Where the CPU has int8 dot products and
no int8 copy of the model exists yet, it is then built in a low-priority process of its
own (:func:`prepare_int8`) and taken into use between fits.
"""

from __future__ import annotations

import importlib
import multiprocessing
import threading
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


# what the stages after embedding import: neighbours (PyTorch), layouts, clusters, keywords
LATER_STAGES = ("torch", "umap", "hdbscan", "sklearn.feature_extraction.text")


def import_later_stages() -> threading.Thread:
    """Import the libraries of the stages after embedding on a thread of their own.

    A new process (``topicdesk fit``, the benchmarks) spent about 3 s importing PyTorch,
    UMAP and HDBSCAN after the embedding; the model embeds in its own threads, outside
    Python's lock, so the imports run beside it. Where the model leaves a core free (more
    than two) that hides them; on two cores it mostly moves their CPU time into the
    embedding (one run 1.9 s faster in all, docs/benchmarks.md). In the app the warm-up
    has imported UMAP and HDBSCAN already. A library that fails to import is left to its
    stage, which says what is wrong.
    """

    def run() -> None:
        jit_cache.enable()
        for name in LATER_STAGES:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the stage that needs it reports the error
                return

    thread = threading.Thread(target=run, name="topicdesk-imports", daemon=True)
    thread.start()
    return thread


def load_default_model() -> None:
    """Load the built-in model with the default settings into the process's encoders."""
    from topicdesk.pipeline.encoders import ENCODERS

    ENCODERS.get(FitSettings())


def prepare_int8(calibration_csv: str, between_jobs: threading.Lock) -> threading.Thread | None:
    """Build the built-in model's int8 copy if this computer can use one and has none.

    The build (a minute or more) runs in a process at the lowest priority, so a fit
    started meanwhile gets the processor; fits with the "int8" precision then use it once
    the probe in :mod:`embed` agrees (an int8 encoder already loaded is loaded again,
    holding ``between_jobs``, so no fit changes model half-way). Returns the thread that waits
    for the build, or None when there is nothing to build (unsupported CPU, NNCF not
    installed, the default model not loaded or in int8 already, or a copy stored: one
    that failed its check is removed by the store, so it is built again next time).
    """
    from topicdesk.pipeline import embed, int8, model_store
    from topicdesk.pipeline.encoders import ENCODERS

    settings = FitSettings()
    encoder = ENCODERS.loaded(settings)
    if encoder is None or encoder.precision == "int8 (OpenVINO)":
        return None
    if not int8.cpu_has_int8_dot() or not int8.nncf_available():
        return None
    if model_store.is_stored(int8.stored_key(embed.resolve_model(settings))):
        return None  # stored and checked, but the probe preferred bfloat16
    builder = multiprocessing.get_context("spawn").Process(
        target=int8.build_default, args=(calibration_csv,), name="topicdesk-int8", daemon=True
    )
    builder.start()

    fastest = settings.replace(precision="int8")

    def adopt() -> None:
        builder.join()
        if builder.exitcode == 0 and ENCODERS.loaded(fastest) is not None:
            with between_jobs:
                ENCODERS.reload(fastest)

    waiter = threading.Thread(target=adopt, name="topicdesk-int8-adopt", daemon=True)
    waiter.start()
    return waiter
