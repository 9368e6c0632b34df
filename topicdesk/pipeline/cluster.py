"""HDBSCAN clustering of one reduced space into topics.

Topics are HDBSCAN's leaf clusters: the finest groups of at least the minimum topic size.
HDBSCAN's default, excess-of-mass selection, keeps a cluster that forms early and stays
whole for long instead of its parts. When a small group stands apart from everything
else, the rest forms such a cluster near the root of the tree and the fit collapses
(3,000 SOTU paragraphs: 2 topics of 2,924 and 60 documents in 7 of 10 seeds, the 2,924
born at a density where only the 60 had split off). Leaf selection cannot collapse that
way, and its number of topics follows the minimum size in small steps. What excess of
mass would have chosen is still kept (``broad``): it says whether most documents form one
broad theme, and which.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline.progress import Progress


@dataclass(frozen=True)
class Clusters:
    """Topic label per point (-1 for outliers), HDBSCAN's membership strength, and the
    points of the largest cluster excess-of-mass selection would have kept."""

    labels: np.ndarray
    probabilities: np.ndarray
    broad: np.ndarray

    @property
    def broad_share(self) -> float:
        return float(self.broad.mean()) if len(self.broad) else 0.0


def min_cluster_size(settings: FitSettings) -> int:
    """The smallest topic HDBSCAN may form: the minimum topic size moved by the topic
    detail, a factor of about 1.4 (the square root of 2) per step."""
    return max(2, round(settings.min_topic_size * 2 ** (-settings.topic_detail / 2)))


def renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Relabel clusters so topic 0 is the largest; ties keep the lower old label first."""
    out = np.full_like(labels, -1)
    ids, counts = np.unique(labels[labels >= 0], return_counts=True)
    order = sorted(range(len(ids)), key=lambda i: (-counts[i], ids[i]))
    for new, i in enumerate(order):
        out[labels == ids[i]] = new
    return out


def _broad(model, n: int) -> np.ndarray:
    """The points of the largest cluster that excess of mass selects in the same tree."""
    from hdbscan._hdbscan_tree import compute_stability, get_clusters

    tree = model.condensed_tree_.to_numpy()
    labels = get_clusters(tree, compute_stability(tree), "eom")[0] if len(tree) else []
    found = np.asarray(labels)[np.asarray(labels) >= 0] if len(labels) else []
    if not len(found):
        return np.zeros(n, dtype=bool)
    return np.asarray(labels) == np.bincount(found).argmax()


def cluster(
    reduced: np.ndarray, settings: FitSettings, progress: Progress | None = None
) -> Clusters:
    """HDBSCAN's leaf clusters of at least :func:`min_cluster_size` points, largest first."""
    import hdbscan

    if progress:
        progress.check()
    size = min_cluster_size(settings)
    if len(reduced) <= size:
        raise TopicDeskError(
            f"The smallest topic ({size} documents) is not smaller than the number of "
            f"different documents ({len(reduced)}); choose a smaller minimum topic size "
            "or more topic detail."
        )
    model = hdbscan.HDBSCAN(
        min_cluster_size=size,
        min_samples=settings.min_samples,
        metric="euclidean",
        cluster_selection_method="leaf",
        prediction_data=False,
        core_dist_n_jobs=1,
    )
    labels = model.fit_predict(reduced.astype(np.float64))
    if (labels < 0).all():
        raise TopicDeskError(
            "No topics were found with these settings; try a smaller minimum topic size."
        )
    probabilities = np.asarray(model.probabilities_, dtype=np.float64)
    return Clusters(
        renumber_by_size(labels.astype(np.int64)), probabilities, _broad(model, len(reduced))
    )
