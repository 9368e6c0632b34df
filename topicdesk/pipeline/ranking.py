"""The order of a topic's keywords, which also makes its default name.

Candidates are a topic's top c-TF-IDF words and phrases; three orders are offered:
``ctfidf`` keeps the c-TF-IDF order, ``mmr`` (maximal marginal relevance) takes the
most distinctive candidate that is least like the ones already taken, so a name does
not say the same thing three times ("gentleman, hon gentleman, hon"), and ``embedding``
orders candidates by how close they lie to the topic's centroid in the embedding model
(as BERTopic's KeyBERTInspired). Both of the latter embed the candidates with the same
local model as the documents. The comparison is in docs/benchmarks.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import keywords

CANDIDATES = 30  # c-TF-IDF candidates per topic that the other orders choose from
MMR_DIVERSITY = 0.5  # weight of "unlike the words already taken" against distinctiveness

Keywords = dict[int, tuple[list[str], list[float]]]


def centroids(embeddings: np.ndarray, labels: np.ndarray) -> dict[int, np.ndarray]:
    """The normalised mean of each topic's normalised embeddings (topics >= 0), each
    summed in blocks (:func:`keywords.topic_centre`), so a million documents' embeddings
    (1.5 GB) are never copied whole to normalise them."""
    ids = np.unique(labels[labels >= 0])
    return {int(t): keywords.topic_centre(embeddings, np.flatnonzero(labels == t)) for t in ids}


def _mmr(relevance: np.ndarray, similarity: np.ndarray, n: int) -> list[int]:
    """Indices chosen one by one: relevant, and unlike those already chosen."""
    chosen = [int(np.argmax(relevance))]
    rest = [i for i in range(len(relevance)) if i != chosen[0]]
    while rest and len(chosen) < n:
        redundancy = similarity[np.ix_(rest, chosen)].max(axis=1)
        score = (1 - MMR_DIVERSITY) * relevance[rest] - MMR_DIVERSITY * redundancy
        best = rest[int(np.argmax(score))]
        chosen.append(best)
        rest.remove(best)
    return chosen


def rank(
    candidates: Keywords,
    method: str,
    top_n: int,
    topic_centres: dict[int, np.ndarray] | None,
    embed_words: Callable[[list[str]], np.ndarray] | None,
) -> Keywords:
    """Each topic's ``top_n`` keywords in the order of ``method``, from its candidates.

    Without centroids or an embedding function (a project without saved embeddings)
    every method falls back to the c-TF-IDF order.
    """
    if method == "ctfidf" or topic_centres is None or embed_words is None:
        return {t: (w[:top_n], s[:top_n]) for t, (w, s) in candidates.items()}
    vocabulary = sorted({w for words, _ in candidates.values() for w in words})
    if not vocabulary:
        return dict(candidates)
    vectors = embed_words(vocabulary)
    index = {w: i for i, w in enumerate(vocabulary)}
    out: Keywords = {}
    for topic, (words, scores) in candidates.items():
        centre = topic_centres.get(topic)
        if not words or centre is None:
            out[topic] = (words[:top_n], scores[:top_n])
            continue
        emb = vectors[[index[w] for w in words]]
        closeness = emb @ centre
        if method == "embedding":
            order = np.argsort(-closeness, kind="stable")[:top_n]
            out[topic] = ([words[i] for i in order], [float(closeness[i]) for i in order])
            continue
        weight = np.asarray(scores, dtype=np.float64)
        relevance = weight / weight.max() if weight.max() > 0 else weight
        order = _mmr(relevance, emb @ emb.T, top_n)
        out[topic] = ([words[i] for i in order], [float(scores[i]) for i in order])
    return out


def topic_keywords(
    texts: list[str],
    assignments: np.ndarray,
    settings: FitSettings,
    own_stop: Iterable[str] = (),
    topic_centres: dict[int, np.ndarray] | None = None,
    embed_words: Callable[[list[str]], np.ndarray] | None = None,
) -> Keywords:
    """Keywords per topic in the order the settings ask for (see :func:`rank`)."""
    wider = settings.keyword_ranking != "ctfidf" and topic_centres is not None
    n = max(CANDIDATES, settings.top_n_words) if wider else settings.top_n_words
    found = keywords.topic_keywords(texts, assignments, settings, own_stop, n_words=n)
    return rank(found, settings.keyword_ranking, settings.top_n_words, topic_centres, embed_words)
