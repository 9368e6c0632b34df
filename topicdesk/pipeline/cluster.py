"""HDBSCAN clustering of the reduced embeddings into topics."""

from __future__ import annotations

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline.progress import Progress


def renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Relabel clusters so topic 0 is the largest; ties keep the lower old label first."""
    out = np.full_like(labels, -1)
    ids, counts = np.unique(labels[labels >= 0], return_counts=True)
    order = sorted(range(len(ids)), key=lambda i: (-counts[i], ids[i]))
    for new, i in enumerate(order):
        out[labels == ids[i]] = new
    return out


def cluster(
    reduced: np.ndarray, settings: FitSettings, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Topic label per point (-1 for outliers) and HDBSCAN's membership strength."""
    import hdbscan

    if progress:
        progress.check()
    if len(reduced) <= settings.min_topic_size:
        raise TopicDeskError(
            f"The minimum topic size ({settings.min_topic_size}) is not smaller than the number of "
            f"different documents ({len(reduced)}); choose a smaller minimum topic size."
        )
    model = hdbscan.HDBSCAN(
        min_cluster_size=settings.min_topic_size,
        min_samples=settings.min_samples,
        metric="euclidean",
        cluster_selection_method="eom",
        prediction_data=False,
        core_dist_n_jobs=1,
    )
    labels = model.fit_predict(reduced.astype(np.float64))
    if (labels < 0).all():
        raise TopicDeskError(
            "No topics were found with these settings; try a smaller minimum topic size."
        )
    probabilities = np.asarray(model.probabilities_, dtype=np.float64)
    if progress:
        progress.update(1.0)
    return renumber_by_size(labels.astype(np.int64)), probabilities
