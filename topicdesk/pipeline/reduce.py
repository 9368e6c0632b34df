"""UMAP reduction: 5 dimensions to cluster in, 2 to draw the map."""

from __future__ import annotations

import warnings

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline.progress import Progress

MIN_DISTINCT_TEXTS = 10


def reduce(embeddings: np.ndarray, n_components: int, settings: FitSettings, progress: Progress | None = None) -> np.ndarray:
    """Seeded UMAP with cosine distance; the same input and settings give the same output."""
    n = len(embeddings)
    if n < MIN_DISTINCT_TEXTS:
        raise TopicDeskError(
            f"There are too few different documents to find topics ({n}); add more documents "
            f"(at least {MIN_DISTINCT_TEXTS} different texts)."
        )
    if progress:
        progress.check()
    import umap

    model = umap.UMAP(
        n_neighbors=min(settings.n_neighbors, n - 1),
        n_components=n_components,
        min_dist=settings.min_dist if n_components > 2 else max(settings.min_dist, 0.05),
        metric="cosine",
        random_state=settings.seed,
        low_memory=True,
        init="spectral" if n > n_components + 1 else "random",
    )
    try:
        with warnings.catch_warnings():  # seeding makes UMAP single-threaded, as intended
            warnings.filterwarnings("ignore", message="n_jobs value", category=UserWarning)
            reduced = model.fit_transform(embeddings)
    except (ValueError, TypeError) as exc:  # degenerate inputs such as near-identical texts
        raise TopicDeskError(
            "The documents are too similar to each other to find topics; check that the right text column is chosen."
        ) from exc
    if progress:
        progress.update(1.0)
    return np.asarray(reduced, dtype=np.float32)
