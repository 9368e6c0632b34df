"""File format 2: the topic tree and stability figures round-trip, and format-1 files
(made by TopicDesk before them, kept in tests/data) still open with those fields empty."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.factories import curated_project, tamper
from topicdesk.core.refit_edits import RecordStability
from topicdesk.core.state import LeftOut
from topicdesk.core.tree_edits import SplitTopic
from topicdesk.errors import TopicDeskError
from topicdesk.project import store
from topicdesk.project.store import open_project, save_project

FORMAT_1 = Path(__file__).resolve().parents[1] / "data" / "project_format1.topicdesk"


def test_parent_and_stability_figures_round_trip(sotu, tmp_path):
    project = curated_project(sotu.head(60))
    state = project.state
    rows = state.members(1)[:2].tolist()
    project.history.do(SplitTopic(topic_id=1, groups=[rows], keywords=[["w"]]))
    n = len(state)
    documents = [None if i % 7 == 0 else round(i / n, 3) for i in range(n)]
    project.history.do(
        RecordStability(topics=[[0, 0.9, 5, 5], [1, 0.25, 1, 5]], documents=documents, seeds=[1])
    )
    path = tmp_path / "tree.topicdesk"
    save_project(project, path)
    back = open_project(path)
    assert back.state.equals(state)
    child = max(back.state.topics)
    assert back.state.topics[child].parent == 1
    assert back.state.topics[0].stability_words() == "found in 5 of 5 runs, overlap 0.90"
    assert np.isnan(back.state.doc_stability[0]) and back.state.doc_stability[1] == documents[1]
    assert [e.kind for e in back.history.log][-2:] == ["split_topic", "record_stability"]


def test_figures_with_documents_left_out_round_trip_and_damage_is_refused(sotu, tmp_path):
    project = curated_project(sotu.head(60))
    n = len(project.state)
    project.history.do(
        RecordStability(
            topics=[[0, 0.9, 5, 5], [1, 0.8, 4, 5]],
            documents=[0.5] * n,
            seeds=[1, 2, 3, 4, 5],
            left_out=0.1,
            left_out_topics=[[0, 0.7, 4, 5], [1, 0.3, 1, 5]],
        )
    )
    path = tmp_path / "left_out.topicdesk"
    save_project(project, path)
    back = open_project(path)
    assert back.state.equals(project.state)
    assert back.state.topics[0].left_out == LeftOut(0.1, 0.7, 4, 5)
    assert back.state.topics[2].left_out is None  # not in the check: nothing measured
    assert back.history.log[-1].params["left_out_topics"][1] == [1, 0.3, 1, 5]
    tamper(path, "UPDATE topics SET left_out = '{\"share\": 0.1' WHERE id = 0")
    with pytest.raises(TopicDeskError, match="damaged"):
        open_project(path)


def test_a_format_1_file_opens_with_empty_tree_and_figures(sotu, tmp_path):
    copy = tmp_path / "old.topicdesk"
    shutil.copy(FORMAT_1, copy)
    before = copy.read_bytes()
    old = open_project(copy)
    assert copy.read_bytes() == before  # migrated in memory only
    made_now = curated_project(sotu.head(30))
    assert old.state.equals(made_now.state)  # empty figures on both sides
    assert all(
        t.parent is None and t.stability is None and t.left_out is None
        for t in old.state.topics.values()
    )
    assert np.isnan(old.state.doc_stability).all()
    assert [(e.kind, e.params) for e in old.log] == [(e.kind, e.params) for e in made_now.log]
    save_project(old, copy)  # saved again, it is a format-2 file
    assert open_project(copy).state.equals(old.state)


def test_broken_parents_become_top_level_topics(sotu, tmp_path):
    path = tmp_path / "loops.topicdesk"
    save_project(curated_project(sotu.head(60)), path)
    tamper(
        path,
        "UPDATE topics SET parent = 2 WHERE id = 1",
        "UPDATE topics SET parent = 1 WHERE id = 2",  # a loop
        "UPDATE topics SET parent = 0 WHERE id = 0",  # its own parent
        "UPDATE topics SET parent = 99 WHERE id = 3",  # a topic that is not there
        "UPDATE topics SET stability = 7.5 WHERE id = 0",  # not a share
    )
    topics = open_project(path).state.topics
    assert topics[0].parent is None and topics[3].parent is None
    assert [topics[1].parent, topics[2].parent].count(None) == 1  # the loop is cut once
    assert topics[0].stability is None


@pytest.mark.parametrize(
    "statement, words",
    [
        ("UPDATE topics SET parent = 'x' WHERE id = 1", "ValueError"),
        ("UPDATE arrays SET shape = '[3, 1]' WHERE name = 'document_stability'", "does not match"),
    ],
)
def test_damaged_tree_and_figures_are_refused(sotu, tmp_path, statement, words):
    project = curated_project(sotu.head(60))
    project.state.doc_stability[:] = 0.5
    path = tmp_path / "bad.topicdesk"
    save_project(project, path)
    tamper(path, statement)
    with pytest.raises(store.TopicDeskError, match=words):
        open_project(path)
