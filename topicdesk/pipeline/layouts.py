"""Several UMAP layouts at once, one per core.

A fit makes six layouts (five to cluster in, one for the map), and a seeded UMAP
optimises on one core. UMAP compiles its per-epoch function without releasing Python's
global lock, so layouts on two threads would take turns; the same function compiled with
``nogil=True`` (under a name of its own, so numba's disk cache keeps the two apart) lets
them run side by side. Each layout keeps its own arrays and random state, so the results
equal those of running the layouts one after the other.
"""

from __future__ import annotations

import threading
import types
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import jit_cache, reduce
from topicdesk.pipeline.progress import Progress

WORKERS = 2  # more would multiply memory on large corpora for little gain on laptops
_lock = threading.Lock()
_parallel: bool | None = None


@dataclass(frozen=True)
class Layout:
    """One UMAP layout to make: its dimensions, settings (seed included) and neighbour graph."""

    n_components: int
    settings: FitSettings
    knn: reduce.Neighbours | None


def release_gil() -> bool:
    """Make UMAP's layout epochs release the GIL (once per process); False if this UMAP
    version does not have the function it replaces, and layouts then run one by one."""
    global _parallel
    with _lock:
        if _parallel is not None:
            return _parallel
        jit_cache.enable()
        import numba
        import umap.layouts as umap_layouts

        original = getattr(umap_layouts, "_optimize_layout_euclidean_single_epoch", None)
        chooser = getattr(umap_layouts, "_get_optimize_layout_euclidean_single_epoch_fn", None)
        if not isinstance(original, types.FunctionType) or chooser is None:
            _parallel = False
            return False
        name = "_topicdesk_epoch_without_gil"
        epoch = types.FunctionType(
            original.__code__, original.__globals__, name, original.__defaults__
        )
        epoch.__qualname__ = name
        compiled = numba.njit(epoch, fastmath=True, parallel=False, nogil=True, cache=True)

        def choose(parallel: bool = False):
            return chooser(True) if parallel else compiled

        umap_layouts._get_optimize_layout_euclidean_single_epoch_fn = choose
        _parallel = True
        return True


def compute(
    embeddings: np.ndarray,
    layouts: list[Layout],
    progress: Progress | None = None,
    workers: int = WORKERS,
) -> list[np.ndarray]:
    """The layouts in the order given, ``workers`` at a time; progress counts finished ones
    (cancelling stops before the next layout starts)."""
    done = 0

    def make(layout: Layout) -> np.ndarray:
        nonlocal done
        out = reduce.reduce(embeddings, layout.n_components, layout.settings, progress, layout.knn)
        with _lock:
            done += 1
            if progress:
                progress.update(done / len(layouts), f"{done} of {len(layouts)} layouts made")
        return out

    if workers < 2 or len(layouts) < 2 or not release_gil():
        return [make(layout) for layout in layouts]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="topicdesk-umap") as pool:
        return list(pool.map(make, layouts))
