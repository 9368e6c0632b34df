"""Carrying work over a refit: names, notes and a person's placements survive any refit,
whatever could not be carried is listed, and the whole carry-over is one undoable step."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from topicdesk.analysis.carryover import MIN_JACCARD, plan_carry_over
from topicdesk.core.edits import (
    MoveDocuments,
    NewTopic,
    RenameTopic,
    SetTopicNote,
    edit_from_params,
)
from topicdesk.core.history import History
from topicdesk.core.state import BY_HUMAN, UNASSIGNED, Topic, TopicState
from topicdesk.core.tree_edits import SplitTopic

N = 40


def fitted(assignments: np.ndarray) -> TopicState:
    """A state as a fit leaves it: the topics present in ``assignments``, named by the model."""
    state = TopicState.empty(len(assignments))
    state.assignments[:] = assignments
    for tid in np.unique(assignments[assignments >= 0]):
        state.topics[int(tid)] = Topic(id=int(tid), label=f"words {tid}", keywords=[f"w{tid}"])
    return state


@st.composite
def refits(draw):
    """An old fit with a person's work on it, and a refit that keeps some of its topics."""
    k_old = draw(st.integers(1, 6))
    old_labels = np.array(draw(st.lists(st.integers(-1, k_old - 1), min_size=N, max_size=N)))
    old = fitted(old_labels)
    history = History(old)
    for tid in sorted(old.topics):
        if draw(st.booleans()):
            history.do(RenameTopic(topic_id=tid, label=f"Named {tid}"))
        if draw(st.booleans()):
            history.do(SetTopicNote(topic_id=tid, note=f"note on {tid}"))
    for _ in range(draw(st.integers(0, 4))):
        rows = draw(st.lists(st.integers(0, N - 1), min_size=1, max_size=6, unique=True))
        target = draw(st.sampled_from([UNASSIGNED, *sorted(old.topics)]))
        history.do(MoveDocuments(rows=rows, topic_id=target))
    if draw(st.booleans()):
        rows = draw(st.lists(st.integers(0, N - 1), min_size=1, max_size=5, unique=True))
        history.do(NewTopic(rows=rows, label="Hand-made"))
    old.doc_notes.update(
        {int(r): f"doc {r}" for r in draw(st.lists(st.integers(0, N - 1), max_size=3))}
    )
    # the refit: each old topic kept under a new number, or scattered, plus noise
    mapping = draw(st.permutations(range(8)))
    new_labels = np.array([mapping[t] if t >= 0 else -1 for t in old.assignments])
    scatter = np.array(draw(st.lists(st.integers(-1, 7), min_size=N, max_size=N)))
    noisy = np.array(draw(st.lists(st.booleans(), min_size=N, max_size=N)))
    new_labels = np.where(noisy, scatter, new_labels)
    return old, fitted(new_labels)


def apply(plan, new: TopicState) -> tuple[TopicState, History]:
    state = new.copy()
    history = History(state)
    history.do(plan.edit)
    return state, history


@settings(max_examples=150, deadline=None)
@given(refits())
def test_names_notes_and_placements_survive_and_nothing_is_dropped_silently(case):
    old, new = case
    plan = plan_carry_over(old, new)
    after, history = apply(plan, new)
    reported = "\n".join(plan.not_carried)
    edit = plan.edit
    carried_from = {c["from_topic"] for c in edit.topics} | {k["from_topic"] for k in edit.kept}
    for tid, topic in old.topics.items():
        # every old topic either went somewhere or is listed
        assert tid in carried_from or f"(topic {tid}" in reported
        if topic.label_is_human and tid in carried_from:
            assert any(t.label == topic.label and t.label_is_human for t in after.topics.values())
        if topic.note and tid in carried_from:
            assert any(t.note == topic.note for t in after.topics.values())
        if tid not in carried_from and (topic.label_is_human or topic.note):
            assert topic.label in reported
    human = [i for i, by in enumerate(old.assigned_by) if by == BY_HUMAN]
    for i in human:  # placed by a person: still theirs, and still together
        assert after.assigned_by[i] == BY_HUMAN
        if old.assignments[i] == UNASSIGNED:
            assert after.assignments[i] == UNASSIGNED
        else:
            assert after.assignments[i] != UNASSIGNED
            assert (
                after.topics[after.assignments[i]].label == old.topics[old.assignments[i]].label
                or not old.topics[old.assignments[i]].label_is_human
            )
        for j in human:
            same_before = old.assignments[i] == old.assignments[j]
            assert same_before == (after.assignments[i] == after.assignments[j])
    assert after.doc_notes == old.doc_notes
    for m in plan.matches:
        assert m.jaccard >= MIN_JACCARD
    # one step: undo gives the plain refit, and the log replays it exactly
    params = json.loads(json.dumps(history.log[0].params, allow_nan=False))
    again = new.copy()
    History(again).do(edit_from_params(history.log[0].kind, params))
    assert again.equals(after)
    history.undo()
    assert after.equals(new)


@settings(max_examples=60, deadline=None)
@given(refits(), st.lists(st.integers(-1, 7), min_size=N, max_size=N))
def test_a_second_refit_still_keeps_the_placements_of_the_first(case, third):
    old, new = case
    first, _ = apply(plan_carry_over(old, new), new)
    second, _ = apply(plan_carry_over(first, fitted(np.array(third))), fitted(np.array(third)))
    for i, by in enumerate(old.assigned_by):
        if by == BY_HUMAN:
            assert second.assigned_by[i] == BY_HUMAN
            assert (second.assignments[i] == UNASSIGNED) == (old.assignments[i] == UNASSIGNED)


def test_summary_names_what_moved_and_what_did_not():
    old = fitted(np.array([0] * 10 + [1] * 10 + [2] * 10 + [-1] * 10))
    history = History(old)
    history.do(RenameTopic(topic_id=0, label="Economy"))
    history.do(SetTopicNote(topic_id=2, note="ask Maria"))
    history.do(MoveDocuments(rows=[35], topic_id=1))
    history.do(SplitTopic(topic_id=0, groups=[[0, 1, 2]], keywords=[["tax"]]))
    new = fitted(np.array([5] * 10 + [4] * 10 + [-1] * 20))  # topic 2's documents are gone
    plan = plan_carry_over(old, new)
    lines = plan.summary_lines()
    assert lines[0].startswith("Topics matched by shared documents (Hungarian method on Jaccard")
    assert any("“Economy”: name to new topic 5" in line for line in lines)
    assert any("1 document placed by a person kept in place" in line for line in lines)
    assert "Not carried over:" in lines
    assert any("“words 2” (topic 2; its note): no new topic shares" in line for line in lines)
    after, history = apply(plan, new)
    assert after.topics[5].label == "Economy" and after.assignments[35] == 4
    assert after.topics[5].colour == old.topics[0].colour
    assert len({t.colour for t in after.topics.values()}) == len(after.topics)
    assert history.log[0].description == (
        "Carry over 2 topics and 1 placed document from the previous fit (2 not carried)"
    )
    assert any("“tax” (topic 3): no new topic shares" in line for line in plan.not_carried)
