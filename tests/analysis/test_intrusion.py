"""Intrusion tasks: intruders as Chang et al. choose them, seeds that reproduce, hand-checked scores."""

from __future__ import annotations

import math

import numpy as np
import pytest

from topicdesk.analysis import validation as v
from topicdesk.analysis.validation import Answer, IntrusionTask, IntrusionTest
from topicdesk.core.project import Project
from topicdesk.core.state import Topic
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline.keywords import topic_keywords


def wilson_by_hand(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


@pytest.mark.parametrize("seed", range(8))
def test_an_intruder_is_high_elsewhere_low_here_and_never_a_top_word(
    subjects: Project, seed: int
) -> None:
    test = v.make_intrusion_test(subjects, per_topic=3, seed=seed, kinds=[v.WORD])
    topics = subjects.state.topics
    wide = subjects.settings.replace(top_n_words=v.LOW_RANK)
    ranked = topic_keywords(subjects.corpus.texts, subjects.state.assignments, wide)
    assert len(test.tasks) == 3 * len(topics)
    for task in test.tasks:
        words = [o[0] for o in task.options]
        intruder = words[task.intruder]
        own = topics[task.topic_id].keywords
        assert len(words) == v.WORDS_SHOWN + 1 and len(set(words)) == len(words)
        assert intruder not in own
        assert not set(intruder.split()) & {t for w in own for t in w.split()}
        assert intruder not in ranked[task.topic_id][0]
        assert any(
            intruder in t.keywords[: v.INTRUDER_POOL]
            for t in topics.values()
            if t.id != task.topic_id
        )
        assert all(w in own[: v.WORD_POOL] for i, w in enumerate(words) if i != task.intruder)


def test_the_same_seed_draws_the_same_tasks_and_another_seed_others(subjects: Project) -> None:
    first = v.make_intrusion_test(subjects, per_topic=2, seed=11)
    again = v.make_intrusion_test(subjects, per_topic=2, seed=11)
    other = v.make_intrusion_test(subjects, per_topic=2, seed=12)
    assert first.to_dict() == again.to_dict()
    assert [t.to_dict() for t in first.tasks] != [t.to_dict() for t in other.tasks]
    assert IntrusionTest.from_dict(first.to_dict()) == first


def test_tasks_are_shown_in_random_order_across_topics_and_kinds(subjects: Project) -> None:
    test = v.make_intrusion_test(subjects, per_topic=2, seed=5)
    ids = [t.id for t in test.tasks]
    assert sorted(ids) != ids
    kinds = [t.kind for t in test.tasks]
    assert kinds != sorted(kinds) and kinds != sorted(kinds, reverse=True)
    positions = {t.intruder for t in test.tasks if t.kind == v.WORD}
    assert len(positions) > 2  # the intruder's place varies too


def test_topic_tasks_show_the_documents_three_likely_topics_and_an_unlikely_one(
    subjects: Project,
) -> None:
    test = v.make_intrusion_test(subjects, per_topic=3, seed=2, kinds=[v.TOPIC])
    state = subjects.state
    ids = [t.id for t in state.sorted_topics()]
    similarity, order = v.likely_topics(subjects.row_embeddings(), state.assignments, ids)
    assert len(test.tasks) == 3 * len(ids)
    for task in test.tasks:
        assert state.assignments[task.row] == task.topic_id
        assert len(task.options) == 4 and len(set(task.option_topics)) == 4
        intruder = task.option_topics[task.intruder]
        likely = [t for i, t in enumerate(task.option_topics) if i != task.intruder]
        assert task.topic_id in likely and intruder != task.topic_id
        ranked = [int(order[j]) for j in np.argsort(-similarity[task.row])]
        others = [t for t in ranked if t != task.topic_id]
        assert set(likely) - {task.topic_id} == set(others[:2])
        for option, topic_id in zip(task.options, task.option_topics):
            assert list(option) == state.topics[topic_id].keywords[: v.OPTION_WORDS]


def test_topic_intrusion_needs_four_topics_and_embeddings(own_subjects: Project) -> None:
    subjects = own_subjects
    subjects.cache = type(subjects.cache)()  # no embeddings
    test = v.make_intrusion_test(subjects, per_topic=1, seed=0)
    assert {t.kind for t in test.tasks} == {v.WORD}
    assert any("embeddings" in n for n in test.notes)
    with pytest.raises(TopicDeskError, match="No intrusion task"):
        v.make_intrusion_test(subjects, per_topic=1, seed=0, kinds=[v.TOPIC])


def test_a_topic_with_too_few_keywords_gets_a_note_not_a_task() -> None:
    topics = [
        Topic(0, "a", ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"], [6, 5, 4, 3, 2, 1]),
        Topic(1, "b", ["one", "two"], [2, 1]),
    ]
    tasks, notes = v.word_intrusion_tasks(topics, {}, 2, np.random.default_rng(0))
    assert {t.topic_id for t in tasks} == {0}
    assert notes == ["'b' has fewer than 5 keywords: no word task."]
    assert {t.options[t.intruder][0] for t in tasks} == {"one", "two"}


def _task(tid: str, topic: int, kind: str = v.WORD) -> IntrusionTask:
    return IntrusionTask(tid, kind, topic, tuple((w,) for w in "abcdef"), intruder=2)


def test_scores_match_hand_computed_shares_and_wilson_intervals() -> None:
    tasks = [_task(f"w0-{i}", 0) for i in range(4)] + [_task(f"w1-{i}", 1) for i in range(6)]
    test = IntrusionTest(seed=1, per_topic=4, tasks=tuple(tasks))
    # topic 0: 3 of 4 found; topic 1: 2 of 6 found; one answer to an unknown task is ignored
    answers = [Answer(f"w0-{i}", 2 if i < 3 else 0, 10.0 + i) for i in range(4)]
    answers += [Answer(f"w1-{i}", 2 if i < 2 else 5, 4.0) for i in range(6)]
    answers.append(Answer("gone", 2, 1.0))
    scores = v.score_intrusion(test, answers)
    assert [(s.topic_id, s.found, s.answered) for s in scores] == [
        (0, 3, 4),
        (1, 2, 6),
        (None, 5, 10),
    ]
    for score, (k, n) in zip(scores, [(3, 4), (2, 6), (5, 10)]):
        assert score.share == pytest.approx(k / n)
        assert (score.low, score.high) == pytest.approx(wilson_by_hand(k, n))
    assert scores[0].median_seconds == pytest.approx(11.5)
    assert scores[2].median_seconds == pytest.approx(4.0)


def test_a_malformed_saved_test_is_refused_in_one_sentence() -> None:
    with pytest.raises(TopicDeskError, match="unreadable"):
        IntrusionTest.from_dict({"seed": 1, "per_topic": 1, "tasks": [{"id": "x"}]})
    bad = _task("w", 0).to_dict() | {"intruder": 9}
    with pytest.raises(TopicDeskError, match="unreadable"):
        IntrusionTest.from_dict({"seed": 1, "per_topic": 1, "tasks": [bad]})
