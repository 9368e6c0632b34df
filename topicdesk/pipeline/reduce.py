"""UMAP reduction: a few dimensions to cluster in, two to draw the map."""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline import jit_cache
from topicdesk.pipeline.progress import Progress

MIN_DISTINCT_TEXTS = 10
MAP_MIN_DIST = 0.05  # the map needs a little spread so identical-looking points stay visible
SHARED_KNN_FROM = 4096  # below this UMAP finds exact neighbours itself, which is cheap


@dataclass(frozen=True)
class Neighbours:
    """A neighbour graph as UMAP computes it, and its random generator just afterwards."""

    knn: tuple  # (indices, distances, search index), as umap's nearest_neighbors returns
    rng_after: np.random.RandomState


def check_enough_texts(n: int) -> None:
    """Refuse corpora too small for neighbourhoods and clusters to mean anything."""
    if n < MIN_DISTINCT_TEXTS:
        raise TopicDeskError(
            f"There are too few different documents to find topics ({n}); add more documents "
            f"(at least {MIN_DISTINCT_TEXTS} different texts)."
        )


def umap_params(n_components: int, settings: FitSettings) -> dict:
    """The UMAP parameters for a reduction; also the cache key of its output."""
    min_dist = settings.min_dist if n_components > 2 else max(settings.min_dist, MAP_MIN_DIST)
    return {
        "n_neighbors": settings.n_neighbors,
        "n_components": n_components,
        "min_dist": min_dist,
        "metric": "cosine",
        "random_state": settings.seed,
    }


def neighbours(embeddings: np.ndarray, settings: FitSettings) -> Neighbours | None:
    """The nearest-neighbour graph that the clustering and the map reductions share.

    Finding neighbours is the costliest part of UMAP on large corpora, and both
    reductions need the same graph; computing it once, exactly as UMAP would (same
    function, arguments and seed), saves that work without changing the result: each
    reduction then continues from the random state UMAP would have reached itself.
    Small corpora return None and let UMAP use its exact search.
    """
    if len(embeddings) < SHARED_KNN_FROM:
        return None
    from sklearn.utils import check_random_state

    jit_cache.enable()
    from umap.umap_ import nearest_neighbors

    rng = check_random_state(settings.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        knn = nearest_neighbors(
            embeddings,
            settings.n_neighbors,
            "cosine",
            {},
            True,  # angular random-projection trees, as UMAP uses for cosine
            rng,
            low_memory=True,
            use_pynndescent=True,
            n_jobs=1,
        )
    return Neighbours(tuple(knn), rng)


def reduce(
    embeddings: np.ndarray,
    n_components: int,
    settings: FitSettings,
    progress: Progress | None = None,
    knn: Neighbours | None = None,
) -> np.ndarray:
    """Seeded UMAP with cosine distance; the same input and settings give the same output.

    ``knn`` is the graph from ``neighbours`` for these embeddings and settings, if known.
    """
    n = len(embeddings)
    check_enough_texts(n)
    if progress:
        progress.check()
    jit_cache.enable()
    import umap

    params = umap_params(n_components, settings)
    params["n_neighbors"] = min(params["n_neighbors"], n - 1)
    init = "spectral" if n > n_components + 1 else "random"  # spectral needs n > dims + 1
    if knn is not None:
        params["precomputed_knn"] = knn.knn
        params["random_state"] = copy.deepcopy(knn.rng_after)
    model = umap.UMAP(**params, init=init, low_memory=True)
    try:
        with warnings.catch_warnings():  # seeding makes UMAP single-threaded, as intended
            warnings.filterwarnings("ignore", message="n_jobs value", category=UserWarning)
            reduced = model.fit_transform(embeddings)
    except (ValueError, TypeError) as exc:  # degenerate inputs such as near-identical texts
        raise TopicDeskError(
            "The documents are too similar to each other to find topics; "
            "check that the right text column is chosen."
        ) from exc
    return np.asarray(reduced, dtype=np.float32)
