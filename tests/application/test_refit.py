"""A refit keeps names, notes and a person's placements as one undoable step."""

from __future__ import annotations

import pandas as pd

from tests.toy_fit import ENCODERS, SETTINGS, toy_project, toy_texts
from topicdesk.application import fitting
from topicdesk.core.corpus import Corpus
from topicdesk.core.edits import MoveDocuments, RenameTopic, SetTopicNote
from topicdesk.core.project import Project
from topicdesk.core.state import BY_HUMAN


def test_refit_with_another_seed_keeps_the_work_and_undo_gives_the_plain_fit():
    project = toy_project(150, themes=3)
    state = project.state
    history = project.history
    history.do(RenameTopic(topic_id=0, label="Theme of a and b"))
    history.do(SetTopicNote(topic_id=1, note="compare with interviews"))
    moved = state.members(2)[:2].tolist()
    history.do(MoveDocuments(rows=moved, topic_id=0))
    named_rows = state.members(0)
    result = fitting.fit(project, SETTINGS.replace(seed=5), None, ENCODERS)
    plan = fitting.plan_for(project, result)
    assert project.state is state and len(history.done) == 3  # nothing changed yet
    plain = result.state.copy()
    fitting.adopt(project, result)
    step = project.history.do(plan.edit)
    new = project.state
    named = [t for t in new.topics.values() if t.label == "Theme of a and b"]
    assert len(named) == 1 and set(new.members(named[0].id)) >= set(named_rows.tolist())
    assert any(t.note == "compare with interviews" for t in new.topics.values())
    assert all(new.assigned_by[r] == BY_HUMAN and new.assignments[r] == named[0].id for r in moved)
    assert project.log[-1].kind == "carry_over" and step is project.history.done[-1]
    assert any("“Theme of a and b”: name to new topic" in line for line in plan.summary_lines())
    project.history.undo()
    assert project.state.equals(plain)


def test_a_first_fit_has_nothing_to_carry_over():
    project = Project(Corpus(pd.DataFrame({"text": toy_texts(60)}), "text"))
    adopted, plan = fitting.fit_and_adopt(project, SETTINGS, None, ENCODERS)
    assert plan is None and adopted.topics == len(project.state.topics)
    assert project.fitted and project.log == []
