"""Topics that several clustering runs agree on, and how reliably each one comes back.

One UMAP layout clustered once depends on its random seed: on 3,000 SOTU paragraphs the
seeds that did not collapse agreed at NMI 0.84-0.87 (issue 12). A fit therefore reduces
the documents ``RUNS`` times (UMAP with seeds drawn from the fit's seed, all on the one
neighbour graph), clusters each layout, places each run's outliers in its nearest topic,
and keeps what a majority of runs agree on
(meta-clustering, MCLA in Strehl and Ghosh, "Cluster ensembles", JMLR 2002):

1. each cluster of each run is a set of documents; clusters whose documents overlap at
   Jaccard 0.5 or more on average (average linkage) form one topic;
2. a document joins the topic that more than half of the runs put it in; the rest are
   left for outlier placement, like HDBSCAN's outliers;
3. a topic with fewer documents than the smallest topic size is dropped.

Fits with seeds 42 and 1-6 then agree at NMI 0.916 on those SOTU paragraphs (0.435
before, when 4 of the 7 collapsed) and 0.942 on the BBC articles (0.878 before), see
``benchmarks/stability.py`` and docs/benchmarks.md. The same comparison of a fit with
each run gives every topic its stability (mean best-match Jaccard) and "found in k of n
runs", and every document the share of runs that put it in its topic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from topicdesk.core.settings import FitSettings
from topicdesk.core.state import UNASSIGNED, TopicState
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline import cluster as cluster_stage
from topicdesk.pipeline import layouts, outliers, reduce
from topicdesk.pipeline.cluster import Clusters, renumber_by_size
from topicdesk.pipeline.progress import Progress

# Runs per fit: on the 3,000 SOTU paragraphs, seeds agreed at NMI 0.892 with 3 runs,
# 0.854 with 4, 0.916 with 5 and 0.877 with 6 (an even number needs three quarters or
# two thirds of the runs for a majority); benchmarks/stability.py --runs 3 4 5 6.
RUNS = 5
SAME_TOPIC = 0.5  # Jaccard at which clusters of two runs count as one topic
FOUND = 0.5  # a topic is "found" in a run whose best-matching cluster reaches this Jaccard
LEFT_OUT = -2  # a run's label for a document it was not given (see ``agreement``)
BROAD = 0.5  # share of the documents in one excess-of-mass cluster that counts as one theme


def run_seeds(seed: int, runs: int | None = None) -> list[int]:
    """The UMAP seed of each run (``RUNS`` by default): the fit's own seed first, then seeds
    drawn from it."""
    runs = runs or RUNS
    drawn = np.random.SeedSequence(seed).generate_state(max(runs - 1, 1), dtype=np.uint32)
    return [seed, *(int(s) % 2**31 for s in drawn[: runs - 1])]


def fit_layouts(
    embeddings: np.ndarray,
    settings: FitSettings,
    knn: reduce.Neighbours | None,
    reduced: np.ndarray | None = None,
    coords: np.ndarray | None = None,
    extra: np.ndarray | None = None,
    progress: Progress | None = None,
    runs: int | None = None,
    with_map: bool = True,
    workers: int = layouts.WORKERS,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """A fit's layouts, those not given made now, ``workers`` at a time: the clustering
    space of its own seed, the map (unless ``with_map`` is False) and the spaces of runs
    2..``runs`` (default ``RUNS``), each a seeded UMAP on the shared neighbour graph."""
    from sklearn.utils import check_random_state

    dims = settings.cluster_dimensions
    wanted: dict[str, layouts.Layout] = {}
    if reduced is None:
        wanted["reduced"] = layouts.Layout(dims, settings, knn)
    if coords is None and with_map:
        wanted["coords"] = layouts.Layout(2, settings, knn)
    if extra is None:
        for i, seed in enumerate(run_seeds(settings.seed, runs)[1:]):
            graph = None if knn is None else reduce.Neighbours(knn.knn, check_random_state(seed))
            wanted[f"run {i + 2}"] = layouts.Layout(dims, settings.replace(seed=seed), graph)
    made = dict(zip(wanted, layouts.compute(embeddings, list(wanted.values()), progress, workers)))
    if extra is None:
        others = [made[name] for name in wanted if name.startswith("run ")]
        extra = np.hstack(others) if others else np.empty((len(embeddings), 0), np.float32)
    return made.get("reduced", reduced), made.get("coords", coords), extra.astype(np.float32)


def all_spaces(
    embeddings: np.ndarray,
    settings: FitSettings,
    knn: reduce.Neighbours,
    progress: Progress | None = None,
    runs: int | None = None,
) -> list[np.ndarray]:
    """Every run's clustering space for ``settings.seed``, as a fit with that seed makes them
    (for re-running the clustering with other seeds on the same neighbour graph)."""
    from sklearn.utils import check_random_state

    graph = reduce.Neighbours(knn.knn, check_random_state(settings.seed))
    reduced, _, extra = fit_layouts(
        embeddings, settings, graph, progress=progress, runs=runs, with_map=False
    )
    return split_spaces(reduced, extra)


def final_labels(
    embeddings: np.ndarray,
    spaces: list[np.ndarray],
    settings: FitSettings,
    progress: Progress | None = None,
) -> np.ndarray:
    """The topics a fit ends with on these spaces: agreed topics, outliers placed."""
    labels = find_topics(embeddings, spaces, settings, progress).labels
    if settings.reduce_outliers:
        labels = outliers.reassign_outliers(embeddings, labels, settings.outlier_threshold)[0]
    return labels


def split_spaces(reduced: np.ndarray, extra: np.ndarray) -> list[np.ndarray]:
    """The clustering space of every run: the fit's own, then the extra ones."""
    dims = reduced.shape[1]
    return [reduced, *(extra[:, i : i + dims] for i in range(0, extra.shape[1], dims))]


def _membership(runs: list[np.ndarray], rows: int | None = None) -> sp.csr_matrix:
    """One row per cluster of every run (at least ``rows`` of them), one column per
    document."""
    rows_of, cols, offset = [], [], 0
    for labels in runs:
        found = labels >= 0
        rows_of.append(labels[found] + offset)
        cols.append(np.flatnonzero(found))
        offset += int(labels.max()) + 1 if found.any() else 0
    offset = max(offset, rows or 0)
    n = len(runs[0])
    rows_all, cols_all = np.concatenate(rows_of), np.concatenate(cols)
    return sp.csr_matrix((np.ones(len(rows_all)), (rows_all, cols_all)), shape=(offset, n))


def _jaccard(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    """Jaccard overlap of every row set of ``a`` with every row set of ``b``."""
    both = (a @ b.T).toarray()
    size_a = np.asarray(a.sum(axis=1)).ravel()
    size_b = np.asarray(b.sum(axis=1)).ravel()
    union = size_a[:, None] + size_b[None, :] - both
    return np.divide(both, union, out=np.zeros_like(both), where=union > 0)


def agree(runs: list[np.ndarray], min_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Topic per document that a majority of runs agree on (-1 where none), largest first,
    and the share of runs that put each document in its topic."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = len(runs[0])
    clusters = _membership(runs)
    if clusters.shape[0] == 0:
        return np.full(n, UNASSIGNED, dtype=np.int64), np.zeros(n)
    if clusters.shape[0] == 1:
        groups = np.zeros(1, dtype=np.int64)
    else:
        distance = 1.0 - _jaccard(clusters, clusters)
        np.fill_diagonal(distance, 0.0)
        tree = linkage(squareform(distance, checks=False), "average")
        groups = fcluster(tree, 1.0 - SAME_TOPIC, "distance") - 1
    topic_of_cluster = sp.csr_matrix(
        (np.ones(len(groups)), (groups, np.arange(len(groups)))),
        shape=(int(groups.max()) + 1, len(groups)),
    )
    share = (topic_of_cluster @ clusters).toarray() / len(runs)  # topics x documents
    best = share.argmax(axis=0)
    support = share[best, np.arange(n)]
    labels = np.where(support > 0.5, best, UNASSIGNED)
    sizes = np.bincount(labels[labels >= 0], minlength=share.shape[0])
    labels[(labels >= 0) & (sizes[np.maximum(labels, 0)] < min_size)] = UNASSIGNED
    return renumber_by_size(labels), np.where(labels >= 0, support, 0.0)


@dataclass(frozen=True)
class Agreement:
    """How well each run reproduces a set of topics.

    ``jaccard[t, r]``: overlap of topic ``topic_ids[t]`` with its best match in run ``r``,
    over the documents that run kept (NaN where it left out every document of the topic);
    ``documents``: per document, the share of the runs that kept it whose best match of its
    topic holds it (NaN for unassigned documents and for those no run kept); ``matches[t,
    r]``: the id of that best match in run ``r`` (-1 where the run has no topics or saw none
    of the topic).
    """

    topic_ids: np.ndarray
    jaccard: np.ndarray
    documents: np.ndarray
    matches: np.ndarray

    @property
    def runs(self) -> int:
        return self.jaccard.shape[1]

    def stability(self) -> dict[int, float]:
        """Mean best-match Jaccard of each topic over the runs (1.0: every run has it exactly)."""
        return {
            int(t): float(np.nanmean(j)) if (~np.isnan(j)).any() else 0.0
            for t, j in zip(self.topic_ids, self.jaccard)
        }

    def found(self, at: float = FOUND) -> dict[int, int]:
        """In how many runs each topic has a match of Jaccard ``at`` or more."""
        return {
            int(t): int((np.nan_to_num(j) >= at).sum())
            for t, j in zip(self.topic_ids, self.jaccard)
        }


def agreement(labels: np.ndarray, runs: list[np.ndarray]) -> Agreement:
    """Compare topics ``labels`` with the topics of other runs of the same documents.

    A run may have left some documents out (``LEFT_OUT``, to see how the topics change with
    the sample): it is compared on the documents it kept, so a topic's overlap is not
    lowered by documents the run never saw.
    """
    ids = np.unique(labels[labels >= 0])
    assigned = labels >= 0
    position = np.where(assigned, np.searchsorted(ids, labels), UNASSIGNED)
    jaccard = np.zeros((len(ids), len(runs)))
    matches = np.full((len(ids), len(runs)), UNASSIGNED, dtype=np.int64)
    hits = np.zeros(len(labels))
    kept_by = np.zeros(len(labels))
    # the topics as a run that kept every document sees them, made once for all such runs
    every = _membership([position], rows=len(ids))
    for r, other in enumerate(runs):
        kept = other != LEFT_OUT
        kept_by += kept
        if not len(ids) or not (other >= 0).any():
            continue
        topics = (
            every
            if kept.all()
            else _membership([np.where(kept, position, UNASSIGNED)], rows=len(ids))
        )
        overlap = _jaccard(topics, _membership([other]))  # columns: the run's topic ids
        match = overlap.argmax(axis=1)
        unseen = np.asarray(topics.sum(axis=1)).ravel() == 0
        matches[:, r] = np.where(unseen, UNASSIGNED, match)
        jaccard[:, r] = np.where(unseen, np.nan, overlap[np.arange(len(ids)), match])
        counted = assigned & kept
        hits[counted] += other[counted] == match[position[counted]]
    with np.errstate(invalid="ignore", divide="ignore"):
        documents = np.where(assigned & (kept_by > 0), hits / kept_by, np.nan)
    return Agreement(ids, jaccard, documents, matches)


@dataclass(frozen=True)
class Consensus:
    """The agreed topics of one fit, every run's own topics (outliers placed), and the
    documents that most runs' excess-of-mass selection put in one broad cluster."""

    labels: np.ndarray
    support: np.ndarray
    runs: list[np.ndarray]
    broad: np.ndarray


def find_topics(
    embeddings: np.ndarray,
    spaces: list[np.ndarray],
    settings: FitSettings,
    progress: Progress | None = None,
) -> Consensus:
    """Cluster every run's space, place each run's outliers, and keep what most runs agree on.

    With outlier placement switched off, runs keep their outliers too, so "unassigned"
    means what HDBSCAN means by it.
    """
    found: list[Clusters] = []
    failure: TopicDeskError | None = None
    for i, space in enumerate(spaces):
        try:
            found.append(cluster_stage.cluster(space, settings, progress))
        except TopicDeskError as exc:  # no topics in this run; the others may have some
            failure = exc
            nothing = np.full(len(space), UNASSIGNED, dtype=np.int64)
            found.append(Clusters(nothing, np.zeros(len(space)), np.zeros(len(space), bool)))
        if progress:
            progress.update(
                (i + 1) / (len(spaces) + 1),
                f"run {i + 1} of {len(spaces)}: {int(found[-1].labels.max()) + 1} topics",
            )
    runs = [c.labels for c in found]
    if settings.reduce_outliers:
        runs = [
            outliers.reassign_outliers(embeddings, r, settings.outlier_threshold)[0] for r in runs
        ]
    if failure is not None and all((c.labels < 0).all() for c in found):
        raise failure
    labels, support = agree(runs, cluster_stage.min_cluster_size(settings))
    if (labels < 0).all():  # no topic has a majority: the first run that found some
        first = next(c.labels for c in found if (c.labels >= 0).any())
        labels, support = first.copy(), (first >= 0).astype(np.float64)
    broad = np.mean([c.broad for c in found], axis=0) > 0.5
    return Consensus(labels, support, runs, broad)


def listed_topics(ids: list[int], limit: int = 8) -> str:
    """Topic numbers in words: "topic 3", "topics 1, 4 and 7", or past ``limit`` of them
    "12 topics"."""
    if len(ids) > limit:
        return f"{len(ids)} topics"
    names = [str(i) for i in ids]
    return (
        "topic " + names[0]
        if len(names) == 1
        else f"topics {', '.join(names[:-1])} and {names[-1]}"
    )


def warnings_for(labels: np.ndarray, broad: np.ndarray, agreed: Agreement) -> list[str]:
    """Plain sentences about what the topics cannot show, for the app and the CLI to print.

    ``broad``: the documents of one broad cluster (see :class:`Consensus`); topics with at
    least two thirds of their documents in it are named as its parts.
    """
    out = []
    n = len(labels)
    if n and broad.mean() >= BROAD:
        inside = [
            int(t) for t in np.unique(labels[labels >= 0]) if broad[labels == t].mean() >= 2 / 3
        ]
        out.append(
            f"Most documents ({broad.mean():.0%}) are alike enough to form one broad theme, "
            f"which {listed_topics(inside)} divide between them; report their shares as parts of "
            "that theme rather than as separate findings."
        )
    sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(0)
    if len(sizes) and sizes.max() > 0.35 * n:
        out.append(
            f"One topic holds {sizes.max() / n:.0%} of the documents; more topic detail may "
            "split it into themes of its own."
        )
    found = agreed.found()
    weak = [t for t, k in found.items() if k <= agreed.runs // 2]
    if agreed.runs > 1 and weak and len(weak) >= max(2, len(found) // 4):
        out.append(
            f"{len(weak)} of {len(found)} topics came back in at most half of the "
            f"{agreed.runs} runs; treat them as tentative."
        )
    return out


def record(state: TopicState, figures: Agreement) -> None:
    """Write each topic's stability figures into a fresh fit's state."""
    stability, found = figures.stability(), figures.found()
    for tid, topic in state.topics.items():
        if tid in stability:
            topic.stability = round(stability[tid], 4)
            topic.runs_found = found[tid]
            topic.runs_total = figures.runs
