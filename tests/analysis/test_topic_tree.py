"""The topic tree: a split preview changes nothing and applies as one undoable edit; topics
group by centroid similarity."""

from __future__ import annotations

import numpy as np
import pytest

from tests.toy_fit import SETTINGS, toy_project
from topicdesk.analysis.topic_tree import root_topics, split_preview, subtopics, topic_hierarchy
from topicdesk.core.edits import MergeTopics
from topicdesk.core.tree_edits import MergeIntoParent
from topicdesk.errors import TopicDeskError


def test_a_topic_of_two_themes_splits_into_them_and_merges_back():
    project = toy_project(160, themes=4)
    state = project.state
    assert len(state.topics) == 4
    project.history.do(MergeTopics(topic_ids=[0, 1]))  # a topic of two themes
    mixed = 0
    before = state.copy()
    preview = split_preview(project, mixed, min_size=8)
    assert state.equals(before)  # a preview changes nothing
    assert preview.can_split and len(preview.groups) >= 2
    for rows in preview.groups:  # each sub-topic is one theme (text i has theme i % 4)
        assert len({r % 4 for r in rows}) == 1
    assert (
        sorted([r for g in preview.groups for r in g] + preview.remaining)
        == state.members(mixed).tolist()
    )
    assert all(preview.keywords) and all(preview.representatives)
    assert preview.summary_lines()[0] == (
        f"Topic {mixed} would split into {len(preview.groups)} sub-topics:"
    )
    project.history.do(preview.edit(labels=["First part"] + [""] * (len(preview.groups) - 1)))
    children = subtopics(state, mixed)
    assert len(children) == len(preview.groups) and mixed in root_topics(state)
    assert state.topics[children[0]].label == "First part"
    assert set(children).isdisjoint(root_topics(state))
    project.history.do(MergeIntoParent(topic_id=children[0]))
    assert len(subtopics(state, mixed)) == len(children) - 1
    project.history.undo()
    project.history.undo()
    assert state.equals(before)
    assert len({r % 4 for r in state.members(mixed)}) == 2


def test_topics_that_cannot_split_say_so():
    project = toy_project(120, themes=3)
    with pytest.raises(TopicDeskError, match="There is no topic 99"):
        split_preview(project, 99)
    project.history.do(MergeTopics(topic_ids=sorted(project.state.topics)))
    small = toy_project(24, themes=2, settings=SETTINGS.replace(min_topic_size=3))
    tid = min(small.state.topics)
    with pytest.raises(TopicDeskError, match="a split needs at least 20"):
        split_preview(small, tid)


def test_similar_topics_join_first_in_the_hierarchy():
    project = toy_project(160, themes=4)
    state = project.state
    tree = topic_hierarchy(state, project.row_embeddings())
    ids = tree.topic_ids
    assert ids == sorted(state.topics) and len(ids) == 4
    assert tree.groups(1) == [ids] and tree.groups(4) == [[t] for t in ids]
    assert sorted(t for g in tree.groups(2) for t in g) == ids
    sims = [m[2] for m in tree.merges]
    assert sims == sorted(sims, reverse=True)  # average linkage joins the most alike first
    emb = project.row_embeddings()
    centre = {t: emb[state.assignments == t].mean(axis=0) for t in ids}
    centre = {t: c / np.linalg.norm(c) for t, c in centre.items()}
    best = max((float(centre[s] @ centre[t]), s, t) for s in ids for t in ids if s < t)
    a, b = tree.merges[0][:2]  # the first join is of two topics, the most alike pair
    assert sorted([ids[a], ids[b]]) == [best[1], best[2]]
    assert tree.merges[0][2] == pytest.approx(best[0])


def test_a_topic_the_clustering_finds_nothing_in_offers_no_split(monkeypatch):
    from topicdesk.pipeline import consensus

    def nothing(*_args, **_kwargs):
        raise TopicDeskError("No topics were found with these settings.")

    project = toy_project(120, themes=3)
    monkeypatch.setattr(consensus, "final_labels", nothing)
    preview = split_preview(project, 0)
    assert not preview.can_split and preview.groups == []
    assert preview.summary_lines() == ["Topic 0 has no clear sub-topics; it stays as it is."]
