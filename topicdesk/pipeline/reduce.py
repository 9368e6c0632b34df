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
# Optimisation epochs of each clustering space: UMAP's own number above 10,000 documents,
# where below it UMAP runs 500. With 200, five seeds' topics agree as well (BBC 0.941
# against 0.946, 3,000 SOTU paragraphs 0.918 against 0.914), BBC's topics match its
# categories alike (NMI 0.568 against 0.569) and the layouts take 0.4 times as long
# (docs/benchmarks.md). The map keeps UMAP's default: at 200 its trustworthiness and
# topic separation dropped a little (0.954 against 0.959, silhouette 0.288 against 0.311).
CLUSTER_EPOCHS = 200
# Exact neighbours cost n² dot products, NN-descent about n log n: on 23,051 SOTU
# paragraphs exact took 4.7 s against 16.3 s (benchmarks/neighbours.py); the two meet
# somewhere near 80,000 documents, so larger corpora keep UMAP's approximate search.
EXACT_KNN_UP_TO = 50_000
KNN_BLOCK_CELLS = 1 << 25  # similarities computed 32 M at a time (128 MB of float32)


@dataclass(frozen=True)
class Neighbours:
    """A neighbour graph in UMAP's format, and the random generator to continue with."""

    knn: tuple  # (indices, distances[, search index]), itself first in every row
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
    the_map = n_components <= 2
    params = {
        "n_neighbors": settings.n_neighbors,
        "n_components": n_components,
        "min_dist": max(settings.min_dist, MAP_MIN_DIST) if the_map else settings.min_dist,
        "metric": "cosine",
        "random_state": settings.seed,
    }
    if not the_map:
        params["n_epochs"] = CLUSTER_EPOCHS
    return params


def exact_neighbours(embeddings: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Every row's k nearest rows by cosine distance (itself first), found exactly.

    Embeddings are unit length, so similarities are one matrix product, done in blocks
    of rows to keep memory flat.
    """
    from topicdesk.pipeline import embed

    torch = embed.torch_on_cpu_threads()

    n = len(embeddings)
    vectors = torch.nn.functional.normalize(embed.read_only_tensor(embeddings), dim=1)
    indices = np.empty((n, k), dtype=np.int32)
    distances = np.empty((n, k), dtype=np.float32)
    block = max(1, KNN_BLOCK_CELLS // n)
    with torch.inference_mode():
        for start in range(0, n, block):
            rows = vectors[start : start + block]
            sims = rows @ vectors.T
            own = torch.arange(start, start + len(rows))
            sims[torch.arange(len(rows)), own] = 2.0  # itself first, even among duplicates
            top, where = torch.topk(sims, k, dim=1)
            top[:, 0] = 1.0
            indices[start : start + len(rows)] = where.numpy()
            distances[start : start + len(rows)] = (1.0 - top).clamp_(min=0.0).numpy()
    return indices, distances


def neighbours(embeddings: np.ndarray, settings: FitSettings) -> Neighbours:
    """The nearest-neighbour graph that the clustering and the map reductions share.

    Both reductions need the same graph, so it is found once. Up to ``EXACT_KNN_UP_TO``
    documents the search is exact and faster than UMAP's own (which, below 4,096 points,
    calls a Python distance function for every pair); above it, UMAP's NN-descent is
    called exactly as UMAP would call it, and each reduction continues from the random
    state UMAP would have reached itself.
    """
    from sklearn.utils import check_random_state

    k = min(settings.n_neighbors, len(embeddings) - 1)
    rng = check_random_state(settings.seed)
    if len(embeddings) <= EXACT_KNN_UP_TO:
        return Neighbours(exact_neighbours(embeddings, k), rng)
    jit_cache.enable()
    from umap.umap_ import nearest_neighbors

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        knn = nearest_neighbors(
            embeddings,
            k,
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

    ``knn`` is the graph from ``neighbours`` for these embeddings and settings; without
    it UMAP searches for neighbours itself.
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
            # our own graph has no search index: only UMAP's transform() would need one
            warnings.filterwarnings("ignore", message=r"precomputed_knn\[2\]", category=UserWarning)
            reduced = model.fit_transform(embeddings)
    except (ValueError, TypeError) as exc:  # degenerate inputs such as near-identical texts
        raise TopicDeskError(
            "The documents are too similar to each other to find topics; "
            "check that the right text column is chosen."
        ) from exc
    return np.asarray(reduced, dtype=np.float32)
