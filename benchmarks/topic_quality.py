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
import json
import time

import numpy as np
from common import (
    CACHE,
    bbc_news,
    bundestag_speeches,
    corpus,
    embeddings_for,
    sotu_addresses,
    table,
)
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


def fit_topicdesk(texts: list[str], vectors: np.ndarray, settings):
    """A fitted project made from ``texts`` with these embeddings given (one per text)."""
    import pandas as pd

    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import Project, StageCache
    from topicdesk.pipeline.runner import apply_fit, fit_project, stage_keys

    project = Project(Corpus(pd.DataFrame({"text": texts}), "text"))
    unique, _ = project.corpus.unique_texts()
    first = {t: i for i, t in reversed(list(enumerate(texts)))}
    project.cache = StageCache(
        embeddings=(vectors[[first[t] for t in unique]], stage_keys(project.corpus, settings)[0])
    )
    apply_fit(project, fit_project(project, settings), settings)
    return project


LONG_CORPORA = {
    "bbc": (bbc_news, "english", "category"),
    "sotu-addresses": (sotu_addresses, "english", "party"),
    "bundestag": (bundestag_speeches, "german", "party"),
}


def timed_embeddings(name: str, texts: list[str], mode: str) -> tuple[np.ndarray, float]:
    """Embeddings with the app's encoder and long-text mode, and the seconds they took
    (both kept in benchmarks/.cache, so the fits can be repeated without embedding)."""
    from topicdesk.core.settings import FitSettings
    from topicdesk.pipeline import encoders

    path = CACHE / f"{name}-{len(texts)}-auto-{mode}.npy"
    seconds_path = path.with_suffix(".json")
    if path.exists() and seconds_path.exists():
        return np.load(path, allow_pickle=False), json.loads(seconds_path.read_text())["seconds"]
    settings = FitSettings(long_texts=mode)
    encoder = encoders.ENCODERS.get(settings)
    encoder.embed(texts[:64], settings.batch_size)  # compile and warm up outside the timing
    start = time.perf_counter()
    vectors = encoder.embed(texts, settings.batch_size)
    seconds = time.perf_counter() - start
    CACHE.mkdir(exist_ok=True)
    np.save(path, vectors, allow_pickle=False)
    seconds_path.write_text(json.dumps({"seconds": seconds, "precision": encoder.precision}))
    return vectors, seconds


def long_text_modes(name: str, seeds: tuple[int, ...] = (42, 3, 7)) -> None:
    """Whole texts (windows pooled) against the first window only: topics (mean and range
    over fits with three seeds) and embedding time."""
    from topicdesk.core.settings import FitSettings, suggest_min_topic_size
    from topicdesk.pipeline import embed, long_texts

    load, language, class_name = LONG_CORPORA[name]
    texts, classes = load()
    tokenizer = long_texts.load_counting_tokenizer(embed.resolve_model(FitSettings()))
    limit = FitSettings().max_seq_length
    n_long = long_texts.count_long(tokenizer, texts, limit, sample=len(texts)).long
    size = long_texts.window_size(limit)
    pieces = sum(
        -(-len(e.ids) // size) for e in tokenizer.encode_batch(texts, add_special_tokens=False)
    )
    rows = []
    base_seconds = None
    for mode in ("truncate", "whole"):
        vectors, seconds = timed_embeddings(name, texts, mode)
        base_seconds = base_seconds or seconds
        runs = []
        for seed in seeds:
            settings = FitSettings(
                min_topic_size=suggest_min_topic_size(len(texts)),
                language=language,
                long_texts=mode,
                seed=seed,
            )
            project = fit_topicdesk(texts, vectors, settings)
            labels = project.state.assignments
            words = [top_words(t.keywords) for t in project.state.sorted_topics()]
            runs.append(
                (
                    len(words),
                    npmi_coherence(words, texts)[0],
                    diversity(words),
                    (labels < 0).mean(),
                    normalized_mutual_info_score(classes, labels),
                )
            )
        topics, npmi, div, outliers, nmi = np.array(runs).T
        rows.append(
            [
                {"truncate": "first 254 word pieces", "whole": "whole text, windows pooled"}[mode],
                f"{topics.mean():.1f}",
                f"{npmi.mean():.3f} ({npmi.min():.3f}-{npmi.max():.3f})",
                f"{div.mean():.3f}",
                f"{100 * outliers.mean():.1f}%",
                f"{nmi.mean():.3f} ({nmi.min():.3f}-{nmi.max():.3f})",
                f"{seconds:.1f}",
                f"{seconds / base_seconds:.2f}x",
            ]
        )
    print(
        f"\n{len(texts):,} {name} texts, {n_long:,} longer than one window "
        f"({pieces:,} windows in all); embeddings with the app's encoder\n"
    )
    headers = ["embedding of long texts", "topics", "NPMI (top 10)", "diversity", "outliers"]
    headers[1:] = [f"{h}, mean of {len(seeds)} seeds" if h == "topics" else h for h in headers[1:]]
    headers += [f"NMI vs {class_name}", "embedding s", "time vs first part"]
    print(table(headers, rows))


LABEL_CORPORA = {
    "sotu": (lambda: (corpus("sotu"), "sotu"), "english"),
    "bbc": (lambda: (bbc_news()[0], "bbc"), "english"),
    "bundestag": (lambda: (bundestag_speeches()[0], "bundestag"), "german"),
}


def _label_figures(topics, texts: list[str]) -> list[str]:
    """NPMI and diversity of the top 10 words and of the names (first three keywords)."""
    words = [top_words(t.keywords) for t in topics]
    names = [top_words(t.keywords[:3]) for t in topics]
    repeats = sum(
        len({w for k in t.keywords[:3] for w in k.split()}) < sum(len(k.split()) for k in t.keywords[:3])
        for t in topics
    )
    return [
        f"{npmi_coherence(words, texts)[0]:.3f}",
        f"{diversity(words):.3f}",
        f"{npmi_coherence(names, texts)[0]:.3f}",
        f"{diversity(names):.3f}",
        f"{repeats} of {len(topics)}",
    ]


def label_rankings(name: str, show: int = 8) -> None:
    """The three keyword orders on the same topics: coherence, diversity, names."""
    from topicdesk.application import curation
    from topicdesk.core.settings import FitSettings, suggest_min_topic_size

    load, language = LABEL_CORPORA[name]
    texts, cache_name = load()
    vectors = embeddings_for(texts, cache_name, precision="auto")
    settings = FitSettings(min_topic_size=suggest_min_topic_size(len(texts)), language=language)
    project = fit_topicdesk(texts, vectors, settings)
    from topicdesk.pipeline import encoders

    encoders.ENCODERS.get(settings)  # loaded before the timings
    rows, looks = [], []
    for method, title in (
        ("ctfidf", "c-TF-IDF"),
        ("mmr", "MMR (diversity 0.5)"),
        ("embedding", "closest to centroid"),
    ):
        project.settings = settings.replace(keyword_ranking=method)
        state = project.state.copy()
        start = time.perf_counter()
        curation.recompute_keywords_edit(project).apply(state)
        seconds = time.perf_counter() - start
        topics = state.sorted_topics()
        rows.append([title, *_label_figures(topics, texts), f"{seconds:.1f}"])
        looks.append((title, [t.label for t in topics[:show]]))
    print(f"\n{len(texts):,} {name} texts, {len(project.state.topics)} topics\n")
    headers = ["keyword order", "NPMI (top 10)", "diversity (top 10)", "NPMI (name)"]
    headers += ["diversity (names)", "names repeating a word", "s (model loaded)"]
    print(table(headers, rows))
    for title, names in looks:
        print(f"\n{title}: " + " | ".join(names))


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
    parser.add_argument(
        "--long-texts",
        choices=sorted(LONG_CORPORA),
        help="compare whole long texts with their first window on this corpus instead",
    )
    parser.add_argument(
        "--labels",
        choices=sorted(LABEL_CORPORA),
        help="compare the keyword orders (names) on this corpus instead",
    )
    args = parser.parse_args()
    if args.labels:
        label_rankings(args.labels)
        return
    if args.long_texts:
        long_text_modes(args.long_texts)
        return
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
