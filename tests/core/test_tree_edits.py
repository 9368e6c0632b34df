"""Splitting a topic into sub-topics and merging one back: exact undo, identical redo,
replay from the logged parameters, and refusal of splits that no longer fit the state."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topicdesk.core.edits import MoveDocuments, edit_from_params
from topicdesk.core.history import History
from topicdesk.core.refit_edits import RecordStability
from topicdesk.core.state import BY_HUMAN, BY_MODEL, Topic, TopicState
from topicdesk.core.tree_edits import MergeIntoParent, SplitTopic
from topicdesk.errors import TopicDeskError


def make_state() -> TopicState:
    """Twelve documents: topic 0 holds rows 0-7, topic 1 rows 8-10, row 11 unassigned."""
    state = TopicState.empty(12)
    state.assignments[:] = [0] * 8 + [1] * 3 + [-1]
    state.confidence[:11] = 0.8
    state.doc_stability[:11] = 0.6
    state.topics[0] = Topic(id=0, label="economy", keywords=["tax"], note="broad")
    state.topics[1] = Topic(id=1, label="war", keywords=["army"])
    return state


def split() -> SplitTopic:
    return SplitTopic(
        topic_id=0,
        groups=[[0, 1, 2], [4, 5]],
        keywords=[["tax", "income"], ["trade", "tariff"]],
        weights=[[0.3, 0.2], [0.4, 0.1]],
        labels=["", "Trade"],
        representatives=[[1, 0], [5]],
    )


def replayed(state: TopicState, history: History) -> TopicState:
    """The state that replaying the logged edits on ``state`` gives (JSON as in the file)."""
    again = History(state)
    for entry in history.log:
        params = json.loads(json.dumps(entry.params, allow_nan=False))
        if entry.action == "do":
            again.do(edit_from_params(entry.kind, params))
        elif entry.action == "undo":
            again.undo()
        else:
            again.redo()
    return again.state


def test_split_makes_sub_topics_of_the_topic_and_undoes_exactly():
    state = make_state()
    before = state.copy()
    history = History(state)
    history.do(split())
    assert state.assignments.tolist() == [2, 2, 2, 0, 3, 3, 0, 0, 1, 1, 1, -1]
    assert [state.topics[t].parent for t in (0, 1, 2, 3)] == [None, None, 0, 0]
    assert state.topics[2].label == "tax, income" and not state.topics[2].label_is_human
    assert state.topics[3].label == "Trade" and state.topics[3].label_is_human
    assert state.topics[3].representatives == [5] and state.topics[2].weights == [0.3, 0.2]
    assert state.topics[0].note == "broad"  # the parent keeps its name, note and leftovers
    assert state.assigned_by == [BY_MODEL] * 12  # the model chose these documents
    after = state.copy()
    history.undo()
    assert state.equals(before)
    history.redo()
    assert state.equals(after)
    assert replayed(make_state(), history).equals(state)
    assert history.log[0].description == "Split topic 0 into 2 sub-topics"


def test_merge_into_parent_gives_the_documents_back_and_lifts_grandchildren():
    state = make_state()
    history = History(state)
    history.do(split())
    history.do(SplitTopic(topic_id=2, groups=[[0, 1]], keywords=[["income"]]))
    assert state.topics[4].parent == 2
    before = state.copy()
    history.do(MergeIntoParent(topic_id=2))
    assert 2 not in state.topics
    assert state.assignments[:3].tolist() == [4, 4, 0]
    assert state.topics[4].parent == 0  # the sub-topic of the merged topic moves up
    history.undo()
    assert state.equals(before)
    history.do(MergeIntoParent(topic_id=3))
    assert state.assignments[4:6].tolist() == [0, 0]
    assert replayed(make_state(), history).equals(state)


@pytest.mark.parametrize(
    "edit, words",
    [
        (SplitTopic(topic_id=0, groups=[[0, 8]]), "has changed since the split was previewed"),
        (SplitTopic(topic_id=0, groups=[[0, 1], [1, 2]]), "cannot go to two sub-topics"),
        (SplitTopic(topic_id=0, groups=[]), "at least one non-empty sub-topic"),
        (SplitTopic(topic_id=0, groups=[[0]], new_ids=[1]), "numbers are taken"),
        (SplitTopic(topic_id=7, groups=[[0]]), "There is no topic 7"),
        (MergeIntoParent(topic_id=1), "is not a sub-topic"),
    ],
)
def test_splits_and_merges_that_do_not_fit_are_refused_and_change_nothing(edit, words):
    state = make_state()
    before = state.copy()
    with pytest.raises(TopicDeskError, match=words):
        History(state).do(edit)
    assert state.equals(before)


def test_recorded_stability_undoes_with_the_figures_before_it():
    state = make_state()
    before = state.copy()
    history = History(state)
    history.do(MoveDocuments(rows=[11], topic_id=1))
    moved = state.copy()
    edit = RecordStability(
        topics=[[0, 0.75, 4, 5], [9, 0.1, 0, 5]],  # topic 9 is gone: ignored
        documents=[0.8] * 11 + [None],
        seeds=[43, 44, 45, 46, 47],
    )
    history.do(edit)
    assert state.topics[0].stability_words() == "found in 4 of 5 runs, overlap 0.75"
    assert np.isnan(state.doc_stability[11]) and state.doc_stability[0] == 0.8
    assert state.topics[1].stability is None
    history.undo()
    assert state.equals(moved)
    history.undo()
    assert state.equals(before)
    with pytest.raises(TopicDeskError, match="another corpus"):
        history.do(RecordStability(topics=[], documents=[0.5], seeds=[1]))


# random sequences of splits, merges into the parent, moves, undos and redos replay exactly
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("split"), st.integers(0, 9), st.integers(1, 3), st.integers(0, 99)),
        st.tuples(st.just("merge"), st.integers(0, 9)),
        st.tuples(st.just("move"), st.integers(0, 11), st.integers(0, 9)),
        st.just(("undo",)),
        st.just(("redo",)),
    ),
    max_size=14,
)


@settings(max_examples=60, deadline=None)
@given(OPS)
def test_tree_edits_in_any_order_equal_their_replay(ops):
    state = make_state()
    history = History(state)
    for op in ops:
        ids = sorted(state.topics)
        if op[0] == "undo":
            history.undo()
            continue
        if op[0] == "redo":
            history.redo()
            continue
        tid = ids[op[1] % len(ids)]
        if op[0] == "split":
            rows = state.members(tid)
            if len(rows) == 0:
                continue
            rng = np.random.default_rng(op[3])
            parts = rng.integers(-1, op[2], len(rows))
            groups = [rows[parts == g].tolist() for g in range(op[2]) if (parts == g).any()]
            edit = SplitTopic(topic_id=tid, groups=groups) if groups else None
        elif op[0] == "merge":
            edit = MergeIntoParent(topic_id=tid)
        else:
            edit = MoveDocuments(rows=[op[1]], topic_id=tid)
        if edit is None:
            continue
        try:
            history.do(edit)
        except TopicDeskError:
            continue
        parents = {t.parent for t in state.topics.values()} - {None}
        assert parents <= set(state.topics)  # no sub-topic points at a topic that is gone
    assert replayed(make_state(), history).equals(state)
    assert all(by in (BY_MODEL, BY_HUMAN) for by in state.assigned_by)


def test_a_topics_branch_holds_every_sub_topic_below_it_once():
    state = make_state()
    state.topics[2] = Topic(id=2, label="a", parent=0)
    state.topics[3] = Topic(id=3, label="b", parent=2)
    state.topics[4] = Topic(id=4, label="c", parent=0)
    state.topics[5] = Topic(id=5, label="loop", parent=6)  # a hand-edited cycle
    state.topics[6] = Topic(id=6, label="loop", parent=5)
    branches = state.branches()
    assert branches[0][0] == 0 and sorted(branches[0]) == [0, 2, 3, 4]
    assert 1 not in branches and 3 not in branches  # no sub-topics: the topic alone
    assert sorted(branches[5]) == [5, 6] and sorted(branches[6]) == [5, 6]
