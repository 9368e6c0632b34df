"""Keyword orders by the embedding model: topic centroids and the three rankings."""

import numpy as np

from topicdesk.pipeline import keywords, ranking


def test_centroids_in_blocks_equal_the_mean_of_unit_vectors(monkeypatch):
    rng = np.random.default_rng(3)
    embeddings = (rng.standard_normal((257, 8)) * rng.uniform(0.5, 3, (257, 1))).astype(np.float32)
    labels = rng.integers(-1, 5, 257)
    monkeypatch.setattr(keywords, "BLOCK_DOCS", 40)  # several blocks, the last one short

    centres = ranking.centroids(embeddings, labels)

    unit = embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True)
    assert sorted(centres) == sorted(set(labels[labels >= 0].tolist()))
    for topic, centre in centres.items():
        expected = unit[labels == topic].mean(axis=0)
        np.testing.assert_allclose(centre, expected / np.linalg.norm(expected), atol=1e-6)
        assert centre.dtype == np.float32


def test_centroids_without_topics_and_with_a_zero_vector():
    assert ranking.centroids(np.ones((4, 3), dtype=np.float32), np.full(4, -1)) == {}
    vectors = np.array([[0, 0], [3, 4]], dtype=np.float32)
    centres = ranking.centroids(vectors, np.array([0, 1]))
    np.testing.assert_array_equal(centres[0], [0, 0])
    np.testing.assert_allclose(centres[1], [0.6, 0.8])


def _words() -> tuple[ranking.Keywords, dict[str, np.ndarray]]:
    candidates = {0: (["tax", "taxes", "budget", "war"], [0.9, 0.8, 0.5, 0.1])}
    vectors = {
        "tax": np.array([1.0, 0.0, 0.0]),
        "taxes": np.array([0.99, 0.14, 0.0]),
        "budget": np.array([0.6, 0.0, 0.8]),
        "war": np.array([0.0, 1.0, 0.0]),
    }
    return candidates, vectors


def test_embedding_order_is_closeness_to_the_centre_and_mmr_avoids_near_repeats():
    candidates, vectors = _words()
    embed = lambda words: np.stack([vectors[w] for w in words])
    centre = {0: np.array([0.0, 0.0, 1.0])}

    closest = ranking.rank(candidates, "embedding", 2, centre, embed)[0][0]
    varied = ranking.rank(candidates, "mmr", 3, centre, embed)[0][0]

    assert closest == ["budget", "tax"]
    assert varied[0] == "tax" and "taxes" not in varied[:2]


def test_every_order_falls_back_to_ctfidf_without_embeddings():
    candidates, _ = _words()
    for method in ("ctfidf", "mmr", "embedding"):
        assert ranking.rank(candidates, method, 2, None, None)[0][0] == ["tax", "taxes"]
