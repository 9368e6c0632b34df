"""A real fit with the bundled model: BBC topics, reproducibility, caching, cancelling."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score

from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.errors import Cancelled, TopicDeskError
from topicdesk.pipeline import embed
from topicdesk.pipeline.progress import Progress
from topicdesk.pipeline.runner import apply_fit, fit_project

SETTINGS = FitSettings(min_topic_size=8, max_seq_length=128)


@pytest.fixture(scope="module")
def fitted(bbc_slice):
    """300 BBC articles fitted once; the events the fit reported."""
    project = Project(Corpus(bbc_slice, "text", source_name="bbc.csv"))
    events = []
    result = fit_project(project, SETTINGS, Progress(events.append))
    return project, result, events


def test_topics_match_bbc_categories(fitted, bbc_slice):
    _, result, _ = fitted
    assignments = result.state.assignments
    nmi = normalized_mutual_info_score(bbc_slice["category"], assignments)
    assert nmi >= 0.6, nmi
    assert (assignments == -1).mean() <= 0.15
    assert 4 <= len(result.state.topics) <= 20
    for topic in result.state.topics.values():
        assert len(topic.keywords) == 10 and topic.label
        assert topic.representatives and all(assignments[r] == topic.id for r in topic.representatives)
    sport = bbc_slice["category"].eq("sport").to_numpy()
    top = np.bincount(assignments[sport & (assignments >= 0)]).argmax()
    assert {"match", "game", "win", "cup", "team", "england", "olympic", "champion", "world"} & set(result.state.topics[top].keywords)


def test_progress_reports_every_stage_and_batch(fitted):
    _, result, events = fitted
    stages = list(dict.fromkeys(e.stage for e in events))
    assert stages == ["Loading the language model", "Embedding documents", "Reducing dimensions",
                      "Finding topics", "Placing outliers", "Choosing keywords"]
    distinct = len(result.cache.embeddings)
    batches = [e for e in events if e.stage == "Embedding documents" and " of " in e.message]
    assert len(batches) == -(-distinct // SETTINGS.batch_size)
    assert batches[0].message == f"{SETTINGS.batch_size} of {distinct} documents"
    assert batches[-1].fraction == 1.0 and batches[-1].message == f"{distinct} of {distinct} documents"
    assert set(result.timings) == set(stages)


def test_same_settings_same_topics_and_cache_reuse(fitted, monkeypatch):
    project, first, _ = fitted
    cached = Project(project.corpus)
    apply_fit(cached, first, SETTINGS)
    monkeypatch.setattr(embed, "embed_texts", lambda *a, **k: pytest.fail("embeddings should be reused"))
    again = fit_project(cached, SETTINGS)
    np.testing.assert_array_equal(again.state.assignments, first.state.assignments)
    assert {t: v.keywords for t, v in again.state.topics.items()} == {t: v.keywords for t, v in first.state.topics.items()}
    bigger = fit_project(cached, SETTINGS.replace(min_topic_size=20))
    assert len(bigger.state.topics) <= len(first.state.topics)
    assert bigger.cache.reduced is first.cache.reduced


def test_fresh_fit_is_reproducible(bbc_slice):
    small = Project(Corpus(bbc_slice.head(120), "text"))
    settings = SETTINGS.replace(min_topic_size=5)
    a = fit_project(small, settings)
    b = fit_project(Project(Corpus(bbc_slice.head(120), "text")), settings)
    np.testing.assert_array_equal(a.state.assignments, b.state.assignments)
    np.testing.assert_array_equal(a.cache.coords, b.cache.coords)


def test_cancel_stops_within_one_batch(bbc_slice):
    project = Project(Corpus(bbc_slice.head(200), "text"))
    batches = []

    def on_event(event):
        if event.stage == "Embedding documents" and event.fraction > 0:
            batches.append(event)
            if len(batches) == 2:
                progress.cancel()

    progress = Progress(on_event)
    with pytest.raises(Cancelled):
        fit_project(project, SETTINGS, progress)
    assert len(batches) == 2


def test_empty_texts_and_duplicates(bbc_slice):
    table = bbc_slice.head(60).copy()
    table.loc[[3, 9], "text"] = ""
    table.loc[10, "text"] = table.loc[11, "text"]
    project = Project(Corpus(table, "text"))
    result = fit_project(project, SETTINGS.replace(min_topic_size=5))
    assert result.state.assignments[3] == -1 and np.isnan(result.state.confidence[3])
    assert result.cache.embeddings.shape[0] == 57
    assert result.state.assignments[10] == result.state.assignments[11]
    apply_fit(project, result)
    coords = project.row_coords()
    assert np.isnan(coords[3]).all() and (coords[10] == coords[11]).all()


@pytest.mark.parametrize("texts, words", [
    (["one short answer", "another answer", "a third"], "too few different documents"),
    (["exactly the same"] * 50, "too few different documents"),
])
def test_corpora_too_small(texts, words):
    import pandas as pd

    project = Project(Corpus(pd.DataFrame({"text": texts}), "text"))
    with pytest.raises(TopicDeskError, match=words):
        fit_project(project, SETTINGS)


def test_unknown_model_is_not_downloaded(tmp_path):
    with pytest.raises(TopicDeskError, match="not on this computer"):
        embed.resolve_model(FitSettings(model="someone/some-model"))
    with pytest.raises(TopicDeskError, match="modules.json"):
        embed.resolve_model(FitSettings(model=str(tmp_path)))
