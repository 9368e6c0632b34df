"""Nearest neighbours for UMAP: TopicDesk's exact search against UMAP's own.

    python benchmarks/neighbours.py [--corpus sotu|bbc]

Both reductions (5 dimensions to cluster in, 2 for the map) need each document's 15
nearest neighbours. UMAP finds them with NN-descent (approximate) from 4,096 documents
up, and below that by calling a distance function from Python for every pair;
TopicDesk finds them exactly with one blocked matrix product up to 50,000 documents.
Same embeddings (the app's precision, cached in benchmarks/.cache), same process.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from common import corpus, embeddings_for, table

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import jit_cache, reduce


def umap_search(vectors: np.ndarray, settings: FitSettings) -> np.ndarray:
    """Neighbour indices found the way UMAP 0.5 finds them itself for this many documents."""
    jit_cache.enable()
    from sklearn.metrics import pairwise_distances
    from sklearn.utils import check_random_state
    from umap.distances import named_distances
    from umap.umap_ import nearest_neighbors
    from umap.utils import fast_knn_indices

    k = settings.n_neighbors
    if len(vectors) < 4096:  # UMAP's small-data path: a Python call per pair
        distances = pairwise_distances(vectors, metric=named_distances["cosine"])
        return fast_knn_indices(distances, k)
    rng = check_random_state(settings.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        knn = nearest_neighbors(
            vectors, k, "cosine", {}, True, rng, low_memory=True, use_pynndescent=True, n_jobs=1
        )
    return knn[0]


def recall(found: np.ndarray, exact: np.ndarray) -> float:
    """Share of the exact neighbours that a search found (each row's own set)."""
    return float(np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(found, exact)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("sotu", "bbc"), default="sotu")
    args = parser.parse_args()
    texts = corpus(args.corpus)
    vectors = embeddings_for(texts, args.corpus, precision="auto")
    settings = FitSettings()
    reduce.exact_neighbours(vectors[:100], 15)  # load torch before timing
    umap_search(vectors[:100], settings)  # load UMAP's compiled code before timing

    start = time.perf_counter()
    exact = reduce.exact_neighbours(vectors, settings.n_neighbors)[0]
    exact_s = time.perf_counter() - start
    start = time.perf_counter()
    theirs = umap_search(vectors, settings)
    umap_s = time.perf_counter() - start
    print(f"{len(texts):,} {args.corpus} documents, {settings.n_neighbors} neighbours each\n")
    print(
        table(
            ["search", "seconds", "vs UMAP's", "share of exact neighbours found"],
            [
                [
                    "UMAP's own (" + ("NN-descent)" if len(texts) >= 4096 else "every pair)"),
                    umap_s,
                    "1.00x",
                    f"{recall(theirs, exact):.3f}",
                ],
                [
                    "TopicDesk exact (blocked matrix product)",
                    exact_s,
                    f"{exact_s / umap_s:.2f}x",
                    "1.000",
                ],
            ],
        )
    )


if __name__ == "__main__":
    main()
