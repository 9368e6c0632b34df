"""Topic quality, TopicDesk's defaults against BERTopic's defaults, on the same embeddings.

    python benchmarks/topic_quality.py --corpus bbc
    python benchmarks/topic_quality.py --corpus sotu --limit 5000

Embeddings are computed once in float32 (cached in benchmarks/.cache) and given to both.
TopicDesk runs as the app does for this corpus (suggested minimum topic size, English stop
words, one- and two-word keywords, outlier placement); BERTopic with its defaults
(minimum topic size 10, no stop-word list, single words, outliers left), with UMAP seeded
at 42 in both so the run can be repeated. Coherence and diversity use each topic's top
10 single words (metrics.py); NMI and ARI count outliers as a class of their own.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from common import bbc_news, corpus, embeddings_for, table
from metrics import diversity, npmi_coherence, top_words
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def topicdesk_topics(texts: list[str], vectors: np.ndarray) -> tuple[np.ndarray, list[list[str]]]:
    import pandas as pd

    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import Project, StageCache
    from topicdesk.core.settings import FitSettings, suggest_min_topic_size
    from topicdesk.pipeline.runner import apply_fit, fit_project, stage_keys

    project = Project(Corpus(pd.DataFrame({"text": texts}), "text"))
    settings = FitSettings(min_topic_size=suggest_min_topic_size(len(texts)))
    unique, _ = project.corpus.unique_texts()
    first = {t: i for i, t in reversed(list(enumerate(texts)))}
    project.cache = StageCache(
        embeddings=(vectors[[first[t] for t in unique]], stage_keys(project.corpus, settings)[0])
    )
    apply_fit(project, fit_project(project, settings), settings)
    words = [top_words(t.keywords) for _, t in sorted(project.state.topics.items())]
    return project.state.assignments.copy(), words


def bertopic_topics(
    texts: list[str], vectors: np.ndarray, min_topic_size: int = 10
) -> tuple[np.ndarray, list[list[str]]]:
    """BERTopic's defaults (minimum topic size 10) with the same UMAP settings and seed."""
    from bertopic import BERTopic
    from umap import UMAP

    umap_model = UMAP(
        n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42
    )
    model = BERTopic(umap_model=umap_model, embedding_model=None, min_topic_size=min_topic_size)
    labels, _ = model.fit_transform(texts, embeddings=vectors)
    topics = sorted(t for t in model.get_topics() if t >= 0)
    words = [top_words([w for w, _ in model.get_topic(t)]) for t in topics]
    return np.asarray(labels), words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("sotu", "bbc"), default="bbc")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    texts = corpus(args.corpus, args.limit)
    categories = bbc_news()[1][: len(texts)] if args.corpus == "bbc" else None
    vectors = embeddings_for(texts, args.corpus)

    from topicdesk.core.settings import suggest_min_topic_size

    same_size = suggest_min_topic_size(len(texts))
    runs = (
        ("TopicDesk", topicdesk_topics),
        ("BERTopic", bertopic_topics),
        (
            f"BERTopic, min topic size {same_size} (TopicDesk's)",
            lambda t, v: bertopic_topics(t, v, same_size),
        ),
    )
    rows = []
    for name, run in runs:
        start = time.perf_counter()
        labels, words = run(texts, vectors)
        seconds = time.perf_counter() - start
        coherence, _ = npmi_coherence(words, texts)
        row = [
            name,
            len(words),
            f"{coherence:.3f}",
            f"{diversity(words):.3f}",
            f"{100 * (labels < 0).mean():.1f}%",
        ]
        if categories is not None:
            row += [
                f"{normalized_mutual_info_score(categories, labels):.3f}",
                f"{adjusted_rand_score(categories, labels):.3f}",
            ]
        rows.append([*row, f"{seconds:.1f}"])
        print(f"{name} topic 0-2 top words: {words[:3]}", flush=True)
    headers = ["system", "topics", "NPMI (top 10)", "diversity", "outliers"]
    if categories is not None:
        headers += ["NMI vs categories", "ARI vs categories"]
    print(f"\n{len(texts):,} {args.corpus} documents, same float32 embeddings\n")
    print(table([*headers, "fit s (embeddings given)"], rows))


if __name__ == "__main__":
    main()
