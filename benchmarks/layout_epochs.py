"""How many UMAP epochs the clustering spaces and the map need.

    python benchmarks/layout_epochs.py                          # BBC and 3,000 SOTU paragraphs
    python benchmarks/layout_epochs.py --corpus bbc --epochs 500 200 100

For each epoch count, the app's fit (``runner.fit_project``: five clustering spaces, the
map, consensus, outliers placed) with seeds 42 and 1-4 from saved embeddings: topics, how
well the seeds' topics agree (mean pairwise NMI on distinct texts, as in
``stability.py``), NMI to BBC's categories, how far each seed's topics move from the
first epoch count's, and the seconds from embeddings to topics. Then the map alone made
with each count on the fit's neighbour graph: trustworthiness (scikit-learn, 15
neighbours, cosine) and the silhouette of the fit's topics on it. The corpora are those
of ``stability.py``.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
from common import table
from sklearn.manifold import trustworthiness
from sklearn.metrics import normalized_mutual_info_score, silhouette_score
from stability import after, describe, load, project_for

SEEDS = (42, 1, 2, 3, 4)


def _first_rows(project) -> np.ndarray:
    _, inverse = project.corpus.unique_texts()
    first = np.zeros(inverse.max() + 1, dtype=np.int64)
    rows = np.flatnonzero(inverse >= 0)[::-1]
    first[inverse[rows]] = rows
    return first


def spaces(name: str, counts: tuple[int, ...]):
    """The fit with each count of clustering epochs; returns the first count's topics of the
    first seed, the project and its settings (for the map)."""
    from topicdesk.core.settings import FitSettings, suggest_min_topic_size
    from topicdesk.pipeline import reduce

    texts, vectors, language, categories = load(name)
    base = FitSettings(min_topic_size=suggest_min_topic_size(len(texts)), language=language)
    project = project_for(texts, vectors, base)
    wanted = None if categories is None else np.array(categories)[_first_rows(project)]
    kept = reduce.CLUSTER_EPOCHS
    rows, by_count = [], {}
    for count in counts:
        reduce.CLUSTER_EPOCHS = count
        labels, seconds = zip(*(after(project, base.replace(seed=s)) for s in SEEDS), strict=True)
        by_count[count] = labels
        pairs = [normalized_mutual_info_score(a, b) for a, b in itertools.combinations(labels, 2)]
        moved = [
            normalized_mutual_info_score(a, b)
            for a, b in zip(by_count[counts[0]], labels, strict=True)
        ]
        categories_nmi = (
            "-"
            if wanted is None
            else f"{np.mean([normalized_mutual_info_score(wanted, x) for x in labels]):.3f}"
        )
        rows.append(
            [
                count,
                "/".join(str(describe(x)[0]) for x in labels),
                f"{np.mean(pairs):.3f}",
                categories_nmi,
                f"{np.mean(moved):.3f}",
                f"{np.mean(seconds):.1f}",
            ]
        )
        print(rows[-1], flush=True)
    reduce.CLUSTER_EPOCHS = kept
    print(f"\n### {name}: clustering spaces, seeds {', '.join(map(str, SEEDS))}\n")
    headers = [
        "epochs",
        "topics per seed",
        "seeds agree (NMI)",
        "NMI to categories",
        f"same seed vs {counts[0]} epochs",
        "seconds to topics",
    ]
    print(table(headers, rows))
    return np.asarray(by_count[counts[0]][0]), project, base


def the_map(name: str, counts: tuple[int, ...], labels, project, base) -> None:
    """The map made with each epoch count on the same neighbour graph and random state."""
    from topicdesk.pipeline import layouts, reduce

    layouts.release_gil()
    embeddings = project.cache.embeddings
    knn = reduce.neighbours(embeddings, base)
    original = reduce.umap_params
    keep = labels >= 0
    rows = []
    for count in counts:
        reduce.umap_params = lambda n, s, count=count: {**original(n, s), "n_epochs": count}
        start = time.perf_counter()
        coords = reduce.reduce(embeddings, 2, base, None, reduce.Neighbours(knn.knn, knn.rng_after))
        seconds = time.perf_counter() - start
        reduce.umap_params = original
        rows.append(
            [
                count,
                f"{trustworthiness(embeddings, coords, n_neighbors=15, metric='cosine'):.4f}",
                f"{silhouette_score(coords[keep], labels[keep]):.3f}",
                f"{seconds:.1f}",
            ]
        )
        print(rows[-1], flush=True)
    print(f"\n### {name}: the map (seed {base.seed})\n")
    print(table(["epochs", "trustworthiness", "topic silhouette", "seconds"], rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", default=["bbc", "sotu3000"])
    parser.add_argument("--epochs", nargs="+", type=int, default=[500, 200])
    args = parser.parse_args()
    for name in args.corpus:
        labels, project, base = spaces(name, tuple(args.epochs))
        the_map(name, tuple(args.epochs), labels, project, base)


if __name__ == "__main__":
    main()
