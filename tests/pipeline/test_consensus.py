"""No collapse, topics agreed by several runs, gradual topic detail, cached extra runs.

``tests/data/sample_sotu_spaces.npy`` holds three 5-d UMAP layouts (seeds 1, 4 and 6,
stored as float16) of the 3,000 distinct paragraphs of ``resources/sample_sotu.csv``
embedded with the bundled all-MiniLM-L6-v2, made once with ``reduce.neighbours`` and
``reduce.reduce``. With a smallest topic of 60 documents HDBSCAN's excess-of-mass
selection collapses all three to two topics, one of 87-90% of the documents.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import hdbscan
import numpy as np
import pandas as pd
import pytest

from tests.toy_fit import ENCODERS, SETTINGS, toy_project, toy_texts
from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import consensus, reduce
from topicdesk.pipeline.cluster import cluster, min_cluster_size
from topicdesk.pipeline.runner import apply_fit, fit_project

SPACES = Path(__file__).resolve().parents[1] / "data" / "sample_sotu_spaces.npy"


@pytest.fixture(scope="module")
def spaces() -> list[np.ndarray]:
    stacked = np.load(SPACES, allow_pickle=False).astype(np.float32)
    return [stacked[:, i : i + 5] for i in range(0, stacked.shape[1], 5)]


def test_layouts_where_excess_of_mass_collapses_give_many_topics(spaces):
    settings = FitSettings(min_topic_size=60)
    n = len(spaces[0])
    for space in spaces:  # the collapse this test guards against
        eom = hdbscan.HDBSCAN(min_cluster_size=60, core_dist_n_jobs=1).fit(space.astype(float))
        sizes = np.bincount(eom.labels_[eom.labels_ >= 0])
        assert len(sizes) == 2 and sizes.max() / n > 0.85
    runs = [cluster(space, settings) for space in spaces]
    for found in runs:
        assert found.labels.max() + 1 >= 6
        assert np.bincount(found.labels[found.labels >= 0]).max() / n < 0.2
        assert found.broad_share > 0.85  # what excess of mass would have kept
    labels, support = consensus.agree([r.labels for r in runs], min_cluster_size(settings))
    assert labels.max() + 1 >= 6 and np.bincount(labels[labels >= 0]).max() / n < 0.35
    assert ((support > 0.5) == (labels >= 0)).all()
    broad = np.mean([r.broad for r in runs], axis=0) > 0.5
    words = consensus.warnings_for(
        labels, broad, consensus.agreement(labels, [r.labels for r in runs])
    )
    assert words[0].startswith("Most documents (88%) are alike enough to form one broad theme, ")
    inside = [t for t in range(labels.max() + 1) if broad[labels == t].mean() >= 2 / 3]
    assert 1 <= len(inside) < labels.max() + 1
    listed = ", ".join(map(str, inside[:-1])) + f" and {inside[-1]}"
    assert f"which topics {listed} divide between them" in words[0]


def test_each_step_of_topic_detail_changes_the_number_of_topics_a_little(spaces):
    counts = [
        int(cluster(spaces[0], FitSettings(min_topic_size=20, topic_detail=d)).labels.max()) + 1
        for d in range(-4, 5)
    ]
    assert counts == sorted(counts) and counts[0] >= 2 and counts[-1] >= 60
    for fewer, more in itertools.pairwise(counts):
        assert not (more >= 10 and fewer <= 3)
        assert more <= 2.2 * fewer
    assert [
        min_cluster_size(FitSettings(min_topic_size=20, topic_detail=d)) for d in (-4, 0, 4)
    ] == [80, 20, 5]


def test_runs_agree_by_majority_and_small_topics_are_dropped():
    a = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, -1, -1])
    b = np.array([1, 1, 1, 0, 0, 0, 0, 0, 2, -1, -1, 2])  # another numbering, one border moved
    c = np.array([0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, 1])
    labels, support = consensus.agree([a, b, c], min_size=3)
    assert labels[:8].tolist() == [0, 0, 0, 0, 1, 1, 1, 1]  # row 3: two runs of three win
    assert labels[8:].tolist() == [-1, -1, -1, -1]  # topic 2 is found in 2 runs, but too small
    assert support[3] == pytest.approx(2 / 3) and support[0] == 1.0 and support[9] == 0.0
    figures = consensus.agreement(labels, [a, b, c])
    assert figures.found() == {0: 3, 1: 3}
    assert figures.stability()[0] == pytest.approx((1 + 0.75 + 1) / 3)
    assert figures.documents[3] == pytest.approx(2 / 3) and np.isnan(figures.documents[10])


def test_a_run_that_left_documents_out_is_compared_on_the_documents_it_kept():
    out = consensus.LEFT_OUT
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, -1])
    whole = np.array([5, 5, 5, 5, 3, 3, 3, 3, 3, 3, -1])  # topic 2 merged into topic 1
    fewer = np.array([5, 5, out, out, 3, 3, 3, 4, out, out, 3])  # topic 2 not given at all
    figures = consensus.agreement(labels, [whole, fewer])
    # topic 0: exact in both, although the second run saw only two of its documents
    assert figures.jaccard[0].tolist() == [1.0, 1.0]
    assert figures.jaccard[1].tolist() == pytest.approx([4 / 6, 3 / 5])  # row 10 joins too
    assert figures.jaccard[2, 0] == pytest.approx(2 / 6) and np.isnan(figures.jaccard[2, 1])
    assert figures.stability() == pytest.approx({0: 1.0, 1: (4 / 6 + 3 / 5) / 2, 2: 2 / 6})
    assert figures.found() == {0: 2, 1: 2, 2: 0}  # a run that saw none of it cannot find it
    assert figures.matches.tolist() == [[5, 5], [3, 3], [3, -1]]
    docs = figures.documents
    assert docs[2] == 1.0 and docs[0] == 1.0  # kept by one run and placed as in both
    assert docs[7] == 0.5 and np.isnan(docs[10])
    assert docs[8] == 1.0  # only the first run kept it, and its best match of topic 2 holds it


def test_run_seeds_start_with_the_fit_seed_and_are_fixed_by_it():
    seeds = consensus.run_seeds(42)
    assert seeds[0] == 42 and len(set(seeds)) == consensus.RUNS == len(seeds)
    assert consensus.run_seeds(42) == seeds and consensus.run_seeds(43)[1:] != seeds[1:]


def test_a_refit_with_the_same_seed_reuses_every_run_and_a_new_seed_makes_new_ones(monkeypatch):
    project = Project(Corpus(pd.DataFrame({"text": toy_texts(90)}), "text"))
    encoders, settings = ENCODERS, SETTINGS
    result = fit_project(project, settings, None, encoders)
    assert result.cache.array("reduced_runs").shape == (90, 5 * (consensus.RUNS - 1))
    assert result.provenance["runs"] == consensus.RUNS
    assert result.provenance["cluster_epochs"] == reduce.CLUSTER_EPOCHS
    topic = result.state.topics[0]
    assert topic.runs_total == consensus.RUNS and 0 <= topic.stability <= 1
    assert np.isfinite(result.state.doc_stability[result.state.assignments >= 0]).all()
    apply_fit(project, result)
    calls = []
    real = reduce.reduce
    monkeypatch.setattr(reduce, "reduce", lambda *a, **k: calls.append(1) or real(*a, **k))
    again = fit_project(project, settings.replace(topic_detail=2), None, encoders)
    assert calls == []  # more detail: clustering only
    fit_project(project, settings.replace(seed=7), None, encoders)
    assert len(calls) == consensus.RUNS + 1  # five clustering layouts and the map
    assert len(again.state.topics) >= len(result.state.topics)


def test_layouts_made_two_at_a_time_equal_those_made_one_by_one():
    from sklearn.utils import check_random_state

    from topicdesk.pipeline import layouts

    vectors = np.random.default_rng(5).normal(size=(300, 12)).astype(np.float32)
    settings = FitSettings(n_neighbors=8)
    knn = reduce.neighbours(vectors, settings)
    jobs = [
        layouts.Layout(
            dims, settings.replace(seed=s), reduce.Neighbours(knn.knn, check_random_state(s))
        )
        for dims, s in ((5, 1), (2, 1), (5, 2), (5, 3))
    ]
    together = layouts.compute(vectors, jobs, workers=2)
    assert layouts.release_gil()
    alone = layouts.compute(vectors, jobs, workers=1)
    assert [a.shape for a in together] == [(300, 5), (300, 2), (300, 5), (300, 5)]
    assert all(np.array_equal(a, b) for a, b in zip(together, alone))


def test_the_same_seed_gives_the_same_topics_and_figures():
    first = toy_project(150, themes=3, settings=SETTINGS.replace(min_topic_size=10, seed=3))
    again = toy_project(150, themes=3, settings=SETTINGS.replace(min_topic_size=10, seed=3))
    assert first.state.equals(again.state)
    assert np.array_equal(first.cache.array("reduced_runs"), again.cache.array("reduced_runs"))
