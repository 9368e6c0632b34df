"""UMAP reduction: a few dimensions to cluster in, two to draw the map."""

from __future__ import annotations

import warnings

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline.progress import Progress

MIN_DISTINCT_TEXTS = 10
MAP_MIN_DIST = 0.05  # the map needs a little spread so identical-looking points stay visible


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


def reduce(
    embeddings: np.ndarray,
    n_components: int,
    settings: FitSettings,
    progress: Progress | None = None,
) -> np.ndarray:
    """Seeded UMAP with cosine distance; the same input and settings give the same output."""
    n = len(embeddings)
    check_enough_texts(n)
    if progress:
        progress.check()
    import umap

    params = umap_params(n_components, settings)
    params["n_neighbors"] = min(params["n_neighbors"], n - 1)
    init = "spectral" if n > n_components + 1 else "random"  # spectral needs n > dims + 1
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
    if progress:
        progress.update(1.0)
    return np.asarray(reduced, dtype=np.float32)
