"""Checking stability re-runs the project's clustering with other seeds, reports per topic
and per document, stores the figures as one undoable step, and can be cancelled."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from tests.toy_fit import toy_project
from topicdesk.analysis.stability import check_stability, default_seeds
from topicdesk.core.edits import MoveDocuments
from topicdesk.core.project import Project
from topicdesk.errors import Cancelled, TopicDeskError
from topicdesk.pipeline.progress import Progress


@pytest.fixture(scope="module")
def fitted() -> Project:
    return toy_project(150, themes=3)


def test_clear_topics_are_found_in_every_re_run(fitted):
    events = []
    before = fitted.state.copy()
    report = check_stability(fitted, [3, 4, 5], Progress(events.append))
    assert fitted.state.equals(before)  # a check changes nothing by itself
    assert report.seeds == [3, 4, 5] and len(report.topic_counts) == 3
    found = report.found()
    assert set(found) == set(fitted.state.topics)
    assert all(k == 3 for k in found.values())
    assert min(report.stability().values()) > 0.8 and min(report.nmi) > 0.8
    documents = report.documents()
    assigned = fitted.state.assignments >= 0
    assert np.isfinite(documents[assigned]).all() and np.isnan(documents[~assigned]).all()
    assert {e.index for e in events} == {0, 1, 2} and {e.total for e in events} == {3}
    assert events[-1].message.startswith("seed 5: ")
    lines = report.summary_lines()
    assert lines[0].startswith("Re-ran the clustering with 3 other seeds (3, 4, 5): ")
    assert f"{len(found)} of {len(found)} topics were found in all 3 re-runs" in lines[1]
    assert "only the random seed, on the same documents" in lines[3]  # what it cannot show


def test_the_figures_are_stored_by_an_undoable_edit(fitted):
    project = toy_project(150, themes=3)
    project.history.do(MoveDocuments(rows=[0], topic_id=-1))
    before = project.state.copy()
    report = check_stability(project, [8, 9])
    project.history.do(report.edit())
    topic = project.state.topics[0]
    assert topic.runs_total == 2 and topic.runs_found == report.found()[0]
    assert topic.stability_words().startswith(f"found in {topic.runs_found} of 2 runs")
    assert np.isnan(project.state.doc_stability[0])  # unassigned now: nothing to measure
    project.history.undo()
    assert project.state.equals(before)


def test_cancel_stops_the_check_and_an_unfitted_project_is_refused(fitted):
    progress = Progress()
    threading.Thread(target=progress.cancel).start()
    with pytest.raises(Cancelled):
        check_stability(fitted, [3, 4], progress)
    with pytest.raises(TopicDeskError, match="Fit topics first"):
        check_stability(Project(fitted.corpus))
    assert default_seeds(fitted, 3) == [43, 44, 45]
