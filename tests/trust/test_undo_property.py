"""Random sequences of edits, undos and redos always leave a state that replaying the
surviving edits from scratch reproduces exactly, and that a save and reopen keeps."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topicdesk.core.corpus import Corpus
from topicdesk.core.edits import (
    DeleteTopic,
    MergeTopics,
    MoveDocuments,
    NewTopic,
    RenameTopic,
    SetDocumentNote,
    SetTopicNote,
    UpdateKeywords,
    edit_from_params,
)
from topicdesk.core.history import History
from topicdesk.core.project import Project
from topicdesk.core.state import Topic, TopicState
from topicdesk.errors import TopicDeskError
from topicdesk.project.store import open_project, save_project

N_DOCS = 24
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
ROWS = st.lists(st.integers(0, N_DOCS - 1), min_size=1, max_size=8, unique=True)
# a topic is named by its position among the topics that exist when the edit is made
PICK = st.integers(0, 20)
EDIT = st.one_of(
    st.tuples(st.just("rename"), PICK, TEXT),
    st.tuples(st.just("topic_note"), PICK, TEXT),
    st.tuples(st.just("doc_note"), ROWS, TEXT),
    st.tuples(st.just("move"), ROWS, st.integers(-1, 20)),
    st.tuples(st.just("new"), ROWS, TEXT),
    st.tuples(st.just("merge"), st.lists(PICK, min_size=1, max_size=3)),
    st.tuples(st.just("delete"), PICK),
    st.tuples(
        st.just("keywords"), PICK, st.lists(st.sampled_from(["tax", "war", "vote"]), max_size=3)
    ),
)
# blocks of a few edits, then some undos, then some redos: the orders that matter
BLOCK = st.tuples(st.lists(EDIT, max_size=3), st.integers(0, 3), st.integers(0, 3)).map(
    lambda b: [*b[0], *[("undo",)] * b[1], *[("redo",)] * b[2]]
)
OPS = st.lists(BLOCK, max_size=8).map(lambda blocks: [op for block in blocks for op in block])


def initial_state() -> TopicState:
    state = TopicState.empty(N_DOCS)
    state.assignments[:] = np.arange(N_DOCS) % 4 - 1  # topics 0-2 and some unassigned
    state.confidence[state.assignments >= 0] = 0.5
    for tid in range(3):
        state.topics[tid] = Topic(id=tid, label=f"topic {tid}", keywords=["w"], weights=[0.1])
    return state


def make_edit(op: tuple, state: TopicState):
    """The edit an op stands for, given the topics that exist now (None: nothing to do)."""
    ids = sorted(state.topics)

    def topic(i: int) -> int:
        return ids[i % len(ids)] if ids else i  # with no topics, a missing id: must be refused

    kind = op[0]
    if kind == "rename":
        return RenameTopic(topic_id=topic(op[1]), label=op[2])
    if kind == "topic_note":
        return SetTopicNote(topic_id=topic(op[1]), note=op[2])
    if kind == "doc_note":
        return SetDocumentNote(rows=op[1], note=op[2])
    if kind == "move":
        return MoveDocuments(rows=op[1], topic_id=-1 if op[2] < 0 else topic(op[2]))
    if kind == "new":
        return NewTopic(rows=op[1], label=op[2])
    if kind == "merge":
        return MergeTopics(topic_ids=sorted({topic(i) for i in op[1]}))
    if kind == "delete":
        return DeleteTopic(topic_id=topic(op[1]))
    if kind == "keywords":
        tid = topic(op[1])
        return UpdateKeywords(keywords={tid: op[2]}, weights={tid: [0.5] * len(op[2])})
    raise AssertionError(kind)


def replayed(history: History) -> TopicState:
    """A fresh state with the surviving edits redone from their logged parameters."""
    state = initial_state()
    fresh = History(state)
    for edit in history.done:
        fresh.do(edit_from_params(edit.kind, edit.params()))
    return state


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_any_sequence_of_edits_undos_and_redos_replays_exactly(ops):
    table = pd.DataFrame({"text": [f"document {i}" for i in range(N_DOCS)]})
    project = Project(Corpus(table, "text"), state=initial_state())
    project.fitted = True
    history = project.history
    for op in ops:
        before = project.state.copy()
        if op[0] == "undo":
            history.undo()
        elif op[0] == "redo":
            history.redo()
        else:
            try:
                history.do(make_edit(op, project.state))
            except TopicDeskError:
                assert project.state.equals(before), f"a refused {op[0]} changed the state"
                continue
        assert project.state.equals(replayed(history)), f"state differs from replay after {op}"

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.topicdesk"
        save_project(project, path)
        reopened = open_project(path)
    assert reopened.state.equals(project.state)
    assert [(e.action, e.kind, e.params) for e in reopened.log] == [
        (e.action, e.kind, e.params) for e in project.log
    ]
    while history.undo():
        pass
    assert project.state.equals(initial_state()), "undoing everything did not restore the start"
