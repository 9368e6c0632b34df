"""Fitting the map and topics on a sample of a large corpus, and placing the rest.

UMAP and HDBSCAN grow faster than the corpus in time and memory. Above
``FitSettings.sample_above`` distinct texts, a fit makes its layouts and clusters on a
seeded random sample of that many texts, and places every other document with what was
fitted:

- in each layout (the map, the clustering spaces of every run) at the mean position of
  its ``n_neighbors`` nearest sampled documents in the embedding space, weighted by
  UMAP's membership strengths; this is the initial placement of UMAP's ``transform``,
  without its refinement epochs, with one neighbour search shared by all six layouts
  (``transform`` would search and optimise once per layout, and needs a search index
  the exact neighbour graph of smaller samples does not have);
- in a topic by the nearest topic centroid in the embedding space (the mean of the
  topic's sampled documents), when the cosine similarity reaches the outlier threshold,
  as outliers are placed; each clustering run's topics are extended the same way, so
  stability and per-document agreement cover every document.

The smallest topic is scaled by the sample's share of the texts, so a topic of the
set size in the corpus is still one in the sample, but not below the size the app
suggests for a corpus as large as the sample (:func:`sample_settings`).
"""

from __future__ import annotations

import numpy as np

from topicdesk.core.settings import FitSettings, suggest_min_topic_size
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline import embed, reduce
from topicdesk.pipeline.consensus import Consensus
from topicdesk.pipeline.outliers import centroids, nearest_topic
from topicdesk.pipeline.progress import Progress

SMALLEST_SAMPLE = 1_000
# Placed documents are compared with every sampled one while the pairs stay below this
# (a few seconds of matrix products); beyond it an NN-descent index of the sample is
# searched instead, as UMAP's own transform does.
EXACT_PAIRS = 1_000_000_000
BLOCK_ROWS = 20_000  # placed documents handled at once, to keep memory flat


def sample_rows(n_texts: int, settings: FitSettings) -> np.ndarray | None:
    """Positions of the sampled texts (sorted), or None when every text is fitted."""
    size = settings.sample_above
    if not size or n_texts <= size:
        return None
    if size < SMALLEST_SAMPLE:
        raise TopicDeskError(
            f"A sample of {size:,} documents is too small to stand for the corpus; set the "
            f"sample size to 0 (never sample) or at least {SMALLEST_SAMPLE:,}."
        )
    rng = np.random.default_rng(settings.seed)
    return np.sort(rng.choice(n_texts, size=size, replace=False))


def cache_key_part(n_texts: int, settings: FitSettings) -> tuple:
    """What the sample adds to the keys of the layouts: nothing when every text is fitted."""
    return () if sample_rows(n_texts, settings) is None else ("sample", settings.sample_above)


def sample_settings(settings: FitSettings, share: float, sample: int) -> FitSettings:
    """The settings the sample of ``sample`` texts is clustered with: the smallest topic (and
    min samples, when set) scaled by the sample's share of the texts, but not below the
    size suggested for a corpus of the sample's size. Scaled all the way, a small share
    split the sample into thousands of tiny clusters (1,000,000 documents, sample of
    20,000, minimum topic size 100: 2 in the sample, and the consensus of the runs' clusters
    took 7.4 GiB)."""
    min_samples = settings.min_samples
    return settings.replace(
        min_topic_size=max(round(settings.min_topic_size * share), suggest_min_topic_size(sample)),
        min_samples=None if min_samples is None else max(1, round(min_samples * share)),
    )


def _others(n: int, rows: np.ndarray) -> np.ndarray:
    keep = np.ones(n, dtype=bool)
    keep[rows] = False
    return np.flatnonzero(keep)


def _exact(sample: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each query's k most cosine-similar sampled rows and their cosine distances."""
    torch = embed.torch_on_cpu_threads()

    base = embed.read_only_tensor(sample)
    where = np.empty((len(queries), k), dtype=np.int64)
    distances = np.empty((len(queries), k), dtype=np.float32)
    step = max(1, reduce.KNN_BLOCK_CELLS // len(sample))
    with torch.inference_mode():
        for start in range(0, len(queries), step):
            block = np.ascontiguousarray(queries[start : start + step], dtype=np.float32)
            top, at = torch.topk(torch.from_numpy(block) @ base.T, k, dim=1)
            where[start : start + len(block)] = at.numpy()
            distances[start : start + len(block)] = (1.0 - top).clamp_(min=0.0).numpy()
    return where, distances


def _search_index(sample: np.ndarray, knn: reduce.Neighbours | None, settings: FitSettings):
    """The sample's NN-descent index: the one the neighbour graph was built with, if any."""
    if knn is not None and len(knn.knn) > 2 and knn.knn[2] is not None:
        return knn.knn[2]
    from pynndescent import NNDescent

    return NNDescent(
        sample,
        metric="cosine",
        n_neighbors=max(settings.n_neighbors, 15),
        random_state=settings.seed,
        low_memory=True,
        n_jobs=1,
    )


def placement_weights(distances: np.ndarray) -> np.ndarray:
    """UMAP's membership strength of each neighbour, as its ``transform`` computes them
    (local connectivity lowered by one), normalised per row."""
    from umap.umap_ import smooth_knn_dist

    k = distances.shape[1]
    sigmas, rhos = smooth_knn_dist(distances.astype(np.float32), float(k), local_connectivity=0.0)
    over = np.maximum(distances - rhos[:, None], 0.0)
    weights = np.exp(-over / np.maximum(sigmas[:, None], 1e-12))
    return weights / weights.sum(axis=1, keepdims=True)


def nearest_sampled(
    embeddings: np.ndarray,
    rows: np.ndarray,
    sample: np.ndarray,
    settings: FitSettings,
    knn: reduce.Neighbours | None = None,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The documents outside the sample, and for each its nearest sampled documents
    (positions in ``rows``; ``sample`` is ``embeddings[rows]``, which the fit holds
    already) with their placement weights."""
    others = _others(len(embeddings), rows)
    k = min(settings.n_neighbors, len(rows))
    index = None if len(rows) * len(others) <= EXACT_PAIRS else _search_index(sample, knn, settings)
    found = np.empty((len(others), k), dtype=np.int32)  # half of int64's 108 MB at a million
    weights = np.empty((len(others), k), dtype=np.float32)
    for start in range(0, len(others), BLOCK_ROWS):
        if progress:
            progress.check()
            progress.update(0.8 * start / len(others), f"placing {len(others):,} documents")
        queries = embeddings[others[start : start + BLOCK_ROWS]]
        if index is None:
            where, distances = _exact(sample, queries, k)
        else:
            where, distances = index.query(queries, k=k)
        found[start : start + len(queries)] = where
        weights[start : start + len(queries)] = placement_weights(np.asarray(distances))
    return others, found, weights


def place_layout(
    sampled: np.ndarray, others: np.ndarray, found: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """A layout for every document: the sample's own positions, the others' weighted means."""
    out = np.empty((len(sampled) + len(others), sampled.shape[1]), dtype=np.float32)
    placed = np.zeros((len(others), sampled.shape[1]), dtype=np.float64)
    for j in range(found.shape[1]):
        placed += weights[:, j, None] * sampled[found[:, j]]
    out[others] = placed
    out[_others(len(out), others)] = sampled
    return out


def place_layouts(
    embeddings: np.ndarray,
    rows: np.ndarray,
    sample: np.ndarray,
    settings: FitSettings,
    sampled: list[np.ndarray],
    kept: list[np.ndarray | None],
    knn: reduce.Neighbours | None,
    progress: Progress | None = None,
) -> list[np.ndarray]:
    """Every document's layouts: those ``kept`` from the cache (already whole), the others
    extended from the ``sampled`` ones made now (one neighbour search for all of them);
    ``sample`` is ``embeddings[rows]``."""
    if all(whole is not None for whole in kept):
        return list(kept)
    others, found, weights = nearest_sampled(embeddings, rows, sample, settings, knn, progress)
    return [
        whole if whole is not None else place_layout(part, others, found, weights)
        for part, whole in zip(sampled, kept)
    ]


def part(array: np.ndarray | None, rows: np.ndarray) -> np.ndarray | None:
    """The sample's rows of a cached layout of every document."""
    return None if array is None else array[rows]


def _extend(
    sampled: np.ndarray, rows: np.ndarray, others: np.ndarray, placed: np.ndarray
) -> np.ndarray:
    out = np.empty(len(rows) + len(others), dtype=placed.dtype)
    out[rows] = sampled
    out[others] = placed
    return out


def place_labels(
    embeddings: np.ndarray,
    rows: np.ndarray,
    sample: np.ndarray,
    labels: np.ndarray,
    threshold: float,
    others: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Topics ``labels`` of the sampled rows extended to every document by the nearest topic
    centroid (``sample`` is ``embeddings[rows]``), and the placed documents' similarities."""
    others = _others(len(embeddings), rows) if others is None else others
    ids, centres = centroids(sample, labels)
    placed, sims = nearest_topic(embeddings, others, ids, centres, threshold)
    return _extend(labels, rows, others, placed), sims


def place_topics(
    embeddings: np.ndarray,
    rows: np.ndarray,
    sample: np.ndarray,
    agreed: Consensus,
    settings: FitSettings,
) -> Consensus:
    """The sample's topics (and every run's) extended to all documents by the nearest topic
    centroid (``sample`` is ``embeddings[rows]``); a placed document's support is its
    similarity to that centroid, and it counts in the broad theme when most of its topic's
    sampled documents do."""
    others = _others(len(embeddings), rows)
    threshold = settings.outlier_threshold
    labels, sims = place_labels(embeddings, rows, sample, agreed.labels, threshold, others)
    runs = [
        place_labels(embeddings, rows, sample, run, threshold, others)[0] for run in agreed.runs
    ]
    support = _extend(agreed.support, rows, others, np.where(labels[others] >= 0, sims, 0.0))
    topic_broad = np.zeros(int(agreed.labels.max()) + 2, dtype=bool)  # index 0: unassigned
    for t in np.unique(agreed.labels[agreed.labels >= 0]):
        topic_broad[t + 1] = agreed.broad[agreed.labels == t].mean() > 0.5
    placed_broad = topic_broad[labels[others] + 1]
    return Consensus(labels, support, runs, _extend(agreed.broad, rows, others, placed_broad))
