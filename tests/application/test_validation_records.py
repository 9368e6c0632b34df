"""Validation tasks and answers saved in the project, resumed, and combined across copies."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.subject_project import subject_project
from topicdesk.analysis.blind_coding import NONE, UNSURE
from topicdesk.application import validation as val
from topicdesk.core.edits import MoveDocuments
from topicdesk.core.project import Project
from topicdesk.errors import TopicDeskError
from topicdesk.project.store import open_project, save_project


@pytest.fixture
def project(sotu_slice: pd.DataFrame) -> Project:
    return subject_project(sotu_slice)


def _answer_all(project: Project, name: str, right: int) -> None:
    """Answer every open task, the first ``right`` of them correctly."""
    for i, task in enumerate(val.open_tasks(project, name)):
        choice = task.intruder if i < right else (task.intruder + 1) % len(task.options)
        val.record_answer(project, name, task.id, choice, 3.0 + i)


def test_tasks_answers_and_codes_survive_saving(project: Project, tmp_path: Path) -> None:
    test = val.start_intrusion_test(project, per_topic=1, seed=4)
    first = test.tasks[0]
    assert val.record_answer(project, "Ana", first.id, first.intruder, 7.5) is True
    sample = val.draw_coding_sample(project, per_topic=2, seed=4)
    val.record_code(project, "Ana", sample.rows[0], sample.model[0])
    path = tmp_path / "p.topicdesk"
    save_project(project, path)
    again = open_project(path)
    assert val.intrusion_test(again) == test and val.coding_sample(again) == sample
    assert val.intrusion_answers(again)["Ana"][0].seconds == 7.5
    assert val.all_codes(again) == {"Ana": {sample.rows[0]: sample.model[0]}}
    assert [t.id for t in val.open_tasks(again, "Ana")] == [t.id for t in test.tasks[1:]]
    assert val.uncoded_rows(again, "Ana") == list(sample.rows[1:])


def test_a_new_test_does_not_drop_answers_without_being_told(project: Project) -> None:
    test = val.start_intrusion_test(project, per_topic=1, seed=1)
    val.record_answer(project, "Ana", test.tasks[0].id, 0, 1.0)
    with pytest.raises(TopicDeskError, match="replaces them"):
        val.start_intrusion_test(project, per_topic=1, seed=2)
    val.start_intrusion_test(project, per_topic=1, seed=2, replace=True)
    assert val.intrusion_answers(project) == {}


def test_bad_answers_and_codes_are_refused_in_one_sentence(project: Project) -> None:
    test = val.start_intrusion_test(project, per_topic=1, seed=1)
    with pytest.raises(TopicDeskError, match="no intrusion task"):
        val.record_answer(project, "Ana", "nope", 0, 1.0)
    with pytest.raises(TopicDeskError, match="Choose one of the 6"):
        val.record_answer(
            project, "Ana", next(t.id for t in test.tasks if t.kind == "word"), 6, 1.0
        )
    with pytest.raises(TopicDeskError, match="name or initials"):
        val.record_answer(project, "  ", test.tasks[0].id, 0, 1.0)
    sample = val.draw_coding_sample(project, per_topic=1, seed=1)
    outside = next(r for r in range(len(project.corpus)) if r not in sample.rows)
    with pytest.raises(TopicDeskError, match="not in this project's coding sample"):
        val.record_code(project, "Ana", outside, 0)
    with pytest.raises(TopicDeskError, match="'none' or 'unsure'"):
        val.record_code(project, "Ana", sample.rows[0], 99)


def test_a_damaged_validation_record_is_refused_not_a_traceback(project: Project) -> None:
    project.records["validation"] = ["not", "a", "dict"]
    with pytest.raises(TopicDeskError, match="unreadable"):
        val.intrusion_test(project)
    project.records["validation"] = {"coding": {"sample": {"rows": "x"}}}
    with pytest.raises(TopicDeskError, match="unreadable"):
        val.coding_sample(project)


def test_two_researchers_in_two_copies_combine(project: Project, tmp_path: Path) -> None:
    val.start_intrusion_test(project, per_topic=1, seed=8)
    sample = val.draw_coding_sample(project, per_topic=3, seed=8)
    path = tmp_path / "shared.topicdesk"
    save_project(project, path)
    copy = open_project(path)  # the co-author's copy, before anyone answered
    _answer_all(project, "Ana", right=6)
    _answer_all(copy, "Ben", right=3)
    for i, (row, model) in enumerate(zip(sample.rows, sample.model)):
        val.record_code(project, "Ana", row, model)
        val.record_code(copy, "Ben", row, model if i % 4 else NONE)
    val.record_code(copy, "Ben", sample.rows[1], UNSURE)
    added = val.combine_validation(project, copy)
    assert added == ["Ben"] and val.researchers(project) == ["Ana", "Ben"]
    n = len(val.intrusion_test(project).tasks)
    overall = [s for s in val.intrusion_scores(project) if s.topic_id is None]
    assert sum(s.answered for s in overall) == 2 * n and sum(s.found for s in overall) == 9
    ana = [s for s in val.intrusion_scores(project, "Ana") if s.topic_id is None]
    assert sum(s.found for s in ana) == 6
    alpha = val.researchers_alpha(project)
    assert 0 < alpha < 1
    assert val.coding_result(project, "Ana").agreement == 1.0
    assert val.coding_result(project, "Ben").unsure == 1
    # combining again changes nothing; a copy with other tasks is refused
    val.combine_validation(project, copy)
    assert val.researchers_alpha(project) == alpha
    stranger = open_project(path)
    val.start_intrusion_test(stranger, per_topic=1, seed=9)
    with pytest.raises(TopicDeskError, match="intrusion tasks differ"):
        val.combine_validation(project, stranger)


def test_the_same_name_with_different_answers_is_refused(project: Project, tmp_path: Path) -> None:
    test = val.start_intrusion_test(project, per_topic=1, seed=3)
    save_project(project, tmp_path / "p.topicdesk")
    other = open_project(tmp_path / "p.topicdesk")
    task = test.tasks[0]
    val.record_answer(project, "Ana", task.id, 0, 1.0)
    val.record_answer(other, "Ana", task.id, 1, 1.0)
    with pytest.raises(TopicDeskError, match="their own name"):
        val.combine_validation(project, other)


def test_changes_after_drawing_are_pointed_out(project: Project) -> None:
    val.start_intrusion_test(project, per_topic=1, seed=3)
    sample = val.draw_coding_sample(project, per_topic=2, seed=3)
    assert val.changes_since(project) == []
    row = next(r for r, m in zip(sample.rows, sample.model) if m >= 0)
    target = next(t for t in project.state.topics if t != project.state.assignments[row])
    project.history.do(MoveDocuments(rows=[row], topic_id=target))
    notes = val.changes_since(project)
    assert any("1 of the" in n for n in notes)


def test_the_sample_note_counts_the_projects_strata(project: Project) -> None:
    note = val.sample_note(project, 5)
    assert "each of 6 groups" in note and "30 documents" in note
