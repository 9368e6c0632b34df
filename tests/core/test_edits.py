"""Every curation edit does what it says, undoes exactly, redoes identically, and is logged."""

from __future__ import annotations

import numpy as np
import pytest

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
from topicdesk.core.state import BY_HUMAN, BY_MODEL, UNASSIGNED, Topic, TopicState
from topicdesk.errors import TopicDeskError


def make_state() -> TopicState:
    """Ten documents in three topics, two unassigned."""
    state = TopicState.empty(10)
    state.assignments[:] = [0, 0, 0, 1, 1, 1, 2, 2, -1, -1]
    state.confidence[:8] = np.linspace(0.5, 0.9, 8)
    for tid, words in enumerate([["tax", "budget"], ["war", "army"], ["school", "teacher"]]):
        state.topics[tid] = Topic(
            id=tid, label=", ".join(words), keywords=words, weights=[0.2, 0.1]
        )
    return state


def roundtrip(edit, check):
    """Apply, check, undo (state back exactly), redo (same result as first time)."""
    state = make_state()
    before = state.copy()
    history = History(state)
    history.do(edit)
    check(state)
    after = state.copy()
    history.undo()
    assert state.equals(before)
    history.redo()
    assert state.equals(after)
    check(state)
    assert [e.action for e in history.log] == ["do", "undo", "redo"]
    assert history.log[0].kind == edit.kind
    return state


def test_rename_marks_label_human():
    def check(s):
        assert s.topics[1].label == "Foreign wars"
        assert s.topics[1].label_is_human

    roundtrip(RenameTopic(topic_id=1, label="  Foreign wars "), check)


def test_topic_and_document_notes():
    roundtrip(
        SetTopicNote(topic_id=2, note="check 1970s"),
        lambda s: s.topics[2].note == "check 1970s" or pytest.fail(),
    )

    def check(s):
        assert s.doc_notes == {3: "quote this", 8: "quote this"}

    roundtrip(SetDocumentNote(rows=[3, 8], note="quote this"), check)


def test_move_documents_records_human_assignment():
    def check(s):
        assert list(s.assignments[[0, 8]]) == [2, 2]
        assert s.assigned_by[0] == BY_HUMAN and s.assigned_by[1] == BY_MODEL
        assert s.confidence[0] == 1.0

    roundtrip(MoveDocuments(rows=[0, 8], topic_id=2), check)


def test_move_to_unassigned():
    def check(s):
        assert s.assignments[3] == UNASSIGNED and np.isnan(s.confidence[3])

    roundtrip(MoveDocuments(rows=[3], topic_id=UNASSIGNED), check)


def test_new_topic_gets_next_id_and_keeps_it_on_redo():
    def check(s):
        assert 3 in s.topics
        assert s.topics[3].label == "Education reform"
        assert s.topics[3].origin == BY_HUMAN
        assert list(s.members(3)) == [6, 7, 9]

    roundtrip(
        NewTopic(rows=[9, 6, 7], label="Education reform", keywords=["school"], weights=[1.0]),
        check,
    )


def test_new_topic_without_label_uses_keywords():
    state = make_state()
    History(state).do(NewTopic(rows=[8, 9], keywords=["moon", "space", "nasa", "orbit"]))
    assert state.topics[3].label == "moon, space, nasa"
    assert not state.topics[3].label_is_human


def test_merge_moves_members_into_first_topic():
    def check(s):
        assert set(s.topics) == {1, 2}
        assert list(s.members(2)) == [0, 1, 2, 6, 7]

    roundtrip(MergeTopics(topic_ids=[2, 0]), check)


def test_delete_unassigns_members():
    def check(s):
        assert 0 not in s.topics
        assert list(s.members(UNASSIGNED)) == [0, 1, 2, 8, 9]

    roundtrip(DeleteTopic(topic_id=0), check)


def test_update_keywords_keeps_human_labels():
    state = make_state()
    history = History(state)
    history.do(RenameTopic(topic_id=0, label="Public finance"))
    history.do(
        UpdateKeywords(
            keywords={0: ["deficit"], 1: ["peace", "treaty"]}, weights={0: [1.0], 1: [0.5, 0.4]}
        )
    )
    assert state.topics[0].label == "Public finance"
    assert state.topics[0].keywords == ["deficit"]
    assert state.topics[1].label == "peace, treaty"
    history.undo()
    assert state.topics[1].label == "war, army"


@pytest.mark.parametrize(
    "edit",
    [
        RenameTopic(topic_id=7, label="x"),
        RenameTopic(topic_id=0, label="   "),
        MoveDocuments(rows=[], topic_id=0),
        MoveDocuments(rows=[99], topic_id=0),
        MergeTopics(topic_ids=[0]),
        DeleteTopic(topic_id=5),
    ],
)
def test_invalid_edits_raise_and_change_nothing(edit):
    state = make_state()
    before = state.copy()
    history = History(state)
    with pytest.raises(TopicDeskError):
        history.do(edit)
    assert state.equals(before)
    assert not history.can_undo and history.log == []


def test_new_edit_clears_redo_and_log_replays():
    state = make_state()
    history = History(state)
    edits = [
        NewTopic(rows=[8, 9], label="Space"),
        RenameTopic(topic_id=1, label="Defence"),
        MergeTopics(topic_ids=[1, 2]),
        MoveDocuments(rows=[0], topic_id=3),
    ]
    for edit in edits:
        history.do(edit)
    history.undo()
    history.undo()
    history.do(SetTopicNote(topic_id=0, note="fine"))
    assert not history.can_redo

    # Replaying the surviving edits from their logged parameters gives the same state.
    survivors = [e for e in history.done]
    replay = make_state()
    replay_history = History(replay)
    for edit in survivors:
        replay_history.do(edit_from_params(edit.kind, edit.params()))
    assert replay.equals(state)
