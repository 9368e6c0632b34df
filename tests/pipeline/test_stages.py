"""The small pieces around the heavy stages: progress, cancelling, topic order, cache keys."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pandas as pd
import pytest

from topicdesk.core.corpus import Corpus
from topicdesk.core.settings import FitSettings
from topicdesk.errors import Cancelled, TopicDeskError
from topicdesk.pipeline import reduce as reduce_stage
from topicdesk.pipeline.cluster import cluster, renumber_by_size
from topicdesk.pipeline.progress import Progress, ProgressEvent
from topicdesk.pipeline.reduce import reduce
from topicdesk.pipeline.runner import stage_keys


def test_progress_reports_within_the_current_stage():
    events: list[ProgressEvent] = []
    progress = Progress(events.append)
    progress.begin("Embedding documents", 1, 5)
    progress.update(1.5, "64 of 64 documents")
    assert events == [
        ProgressEvent("Embedding documents", 1, 5, 0.0, ""),
        ProgressEvent("Embedding documents", 1, 5, 1.0, "64 of 64 documents"),
    ]


def test_cancel_from_another_thread_stops_the_next_check():
    progress = Progress()
    progress.check()
    worker = threading.Thread(target=progress.cancel)
    worker.start()
    worker.join()
    assert progress.cancelled
    with pytest.raises(Cancelled):
        progress.check()
    with pytest.raises(Cancelled):
        progress.begin("Finding topics", 3, 5)


def test_topics_are_numbered_by_size():
    labels = np.array([5, 5, -1, 2, 2, 2, 7, 5, 2, 7])
    assert renumber_by_size(labels).tolist() == [1, 1, -1, 0, 0, 0, 2, 1, 0, 2]


def test_clusters_of_separated_groups():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [10, 0], [0, 10]], dtype=np.float32)
    sizes = [30, 20, 12]
    points = np.concatenate([c + rng.normal(0, 0.3, (n, 2)) for c, n in zip(centres, sizes)])
    found = cluster(points, FitSettings(min_topic_size=5))
    labels, probabilities = found.labels, found.probabilities
    assert [int((labels == t).sum()) for t in range(3)] == sizes
    assert labels.dtype == np.int64 and ((probabilities >= 0) & (probabilities <= 1)).all()
    assert found.broad_share == pytest.approx(30 / 62)  # the largest blob, as excess of mass picks


def test_no_clusters_asks_for_a_smaller_minimum_topic_size():
    points = np.random.default_rng(1).uniform(size=(12, 2))
    with pytest.raises(TopicDeskError, match="smaller minimum topic size"):
        cluster(points, FitSettings(min_topic_size=11))


def test_reduce_refuses_tiny_inputs_and_clamps_neighbours():
    embeddings = np.random.default_rng(2).normal(size=(12, 8)).astype(np.float32)
    with pytest.raises(TopicDeskError, match=r"too few different documents to find topics \(9\)"):
        reduce(embeddings[:9], 2, FitSettings())
    out = reduce(embeddings, 2, FitSettings(n_neighbors=50))
    assert out.shape == (12, 2) and out.dtype == np.float32 and np.isfinite(out).all()


def test_cache_keys_follow_what_each_stage_depends_on():
    corpus = Corpus(pd.DataFrame({"text": ["a b", "c d"]}), "text")
    base = stage_keys(corpus, FitSettings())
    assert stage_keys(corpus, FitSettings(min_topic_size=30, language="german")) == base
    spread = stage_keys(corpus, FitSettings(min_dist=0.3))
    assert spread[0] == base[0] and spread[1] != base[1] and spread[2] != base[2]
    dims = stage_keys(corpus, FitSettings(cluster_dimensions=8))
    assert dims[:1] == base[:1] and dims[1] != base[1] and dims[2] == base[2]
    longer = stage_keys(corpus, FitSettings(max_seq_length=512))
    assert all(a != b for a, b in zip(longer, base))
    other = Corpus(pd.DataFrame({"text": ["a b", "c e"]}), "text")
    assert stage_keys(other, FitSettings())[0] != base[0]


def _clustered_points(n: int, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(6, 16))
    return (centres[rng.integers(0, 6, n)] + 0.3 * rng.normal(size=(n, 16))).astype(np.float32)


def test_exact_neighbours_are_the_nearest_by_cosine_with_each_point_first():
    points = _clustered_points(700)
    points[5] = points[4]  # a duplicate must still list itself first
    indices, distances = reduce_stage.exact_neighbours(points, 8)
    unit = points / np.linalg.norm(points, axis=1, keepdims=True)
    brute = 1.0 - unit @ unit.T
    np.fill_diagonal(brute, -1.0)
    expected = np.argsort(brute, axis=1, kind="stable")[:, :8]
    assert (indices[:, 0] == np.arange(len(points))).all() and (distances[:, 0] == 0).all()
    assert np.mean([set(a) == set(b) for a, b in zip(indices, expected)]) > 0.99  # float ties
    np.testing.assert_allclose(distances[:, 1:], np.sort(brute, axis=1)[:, 1:8], atol=1e-5)
    assert (np.diff(distances, axis=1) >= 0).all()


def test_exact_graph_is_the_graph_umap_builds_with_its_own_exact_search():
    """Below 4,096 points UMAP searches exactly too: given our neighbours, it builds the
    same weighted graph (the layout then follows from the graph and the seed)."""
    import umap

    points = _clustered_points(600)
    settings = FitSettings(n_neighbors=8)
    knn = reduce_stage.neighbours(points, settings)
    assert knn.knn[0].shape == (600, 8)
    params = reduce_stage.umap_params(2, settings) | {"n_epochs": 1, "init": "random"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = umap.UMAP(**params, precomputed_knn=knn.knn).fit(points).graph_
        theirs = umap.UMAP(**params).fit(points).graph_
    assert ((ours > 0) != (theirs > 0)).nnz == 0  # the same edges
    assert abs(ours - theirs).max() < 1e-3  # float32 distances here, float64 in UMAP
    assert np.isfinite(reduce_stage.reduce(points, 2, settings, knn=knn)).all()


def test_large_corpora_share_umaps_own_approximate_graph_unchanged(monkeypatch):
    """Above the exact-search limit both reductions reuse UMAP's NN-descent graph, exactly."""
    monkeypatch.setattr(reduce_stage, "EXACT_KNN_UP_TO", 1000)
    n = 4100  # UMAP itself uses NN-descent from 4,096 points
    points = _clustered_points(n)
    settings = FitSettings(n_neighbors=8)  # fewer neighbours: the same check, faster
    knn = reduce_stage.neighbours(points, settings)
    assert knn.knn[0].shape == (n, settings.n_neighbors) and len(knn.knn) == 3
    np.testing.assert_array_equal(
        reduce_stage.reduce(points, 2, settings, knn=knn), reduce_stage.reduce(points, 2, settings)
    )
