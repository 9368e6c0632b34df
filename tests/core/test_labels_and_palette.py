"""Default names no two topics share, and colours that stay apart for many topics."""

from __future__ import annotations

import numpy as np
import pytest

from topicdesk.core import palette
from topicdesk.core.edits import NewTopic, UpdateKeywords
from topicdesk.core.state import Topic, TopicState, default_label, relabel


def test_default_label_changes_as_little_as_needed():
    words = ["outbreak", "virus", "ebola", "guinea", "liberia"]
    assert default_label(words) == "outbreak, virus, ebola"
    assert default_label(words, taken=["OUTBREAK, virus, ebola"]) == "outbreak, virus, guinea"
    taken = ["outbreak, virus, ebola", "outbreak, virus, guinea", "outbreak, virus, liberia"]
    assert default_label(words, taken=taken) == "outbreak, virus, ebola (2)"
    assert default_label([]) == "untitled topic"
    assert default_label([], taken=["untitled topic"]) == "untitled topic (2)"


def test_default_label_leaves_out_keywords_that_repeat_a_word():
    assert default_label(["nuclear", "weapons", "nuclear weapons", "arms"]) == "nuclear, weapons, arms"
    assert default_label(["health care", "health", "insurance", "care", "costs"]) == (
        "health care, insurance, costs"
    )
    assert default_label(["Tax", "tax cuts"]) == "Tax"


def test_no_two_topics_share_a_default_name_after_keywords_change():
    state = TopicState.empty(6)
    state.assignments[:] = [0, 0, 1, 1, 2, 2]
    for tid in range(3):
        state.topics[tid] = Topic(id=tid, label=f"t{tid}")
    state.topics[2].label, state.topics[2].label_is_human = "tax, budget, deficit", True
    same = ["tax", "budget", "deficit", "spending", "growth"]
    UpdateKeywords(keywords={0: same, 1: same, 2: same}).apply(state)
    labels = [t.label for t in state.sorted_topics()]
    assert len(set(labels)) == 3 and labels[2] == "tax, budget, deficit"  # the given name stays
    assert labels[0] == "tax, budget, spending" and labels[1] == "tax, budget, growth"
    NewTopic(rows=[0], keywords=same).apply(state)
    assert len({t.label for t in state.topics.values()}) == 4


def test_relabel_keeps_names_of_topics_not_named_again():
    topics = {i: Topic(id=i, label="a, b, c", keywords=["a", "b", "c", "d"]) for i in range(2)}
    relabel(topics, [1])
    assert topics[0].label == "a, b, c" and topics[1].label == "a, b, d"


def test_first_40_colours_are_far_apart_and_not_grey():
    """CIELAB distances: the 20-colour palette before had pairs 4.6 apart; these 19.1."""
    d = palette.colour_distances(palette.PALETTE[:40])
    np.fill_diagonal(d, np.inf)
    assert d.min() >= 15
    grey = palette.to_lab([palette.UNASSIGNED_COLOUR])
    assert np.linalg.norm(palette.to_lab(palette.PALETTE[:60]) - grey, axis=1).min() >= 10
    assert len(set(palette.PALETTE)) == len(palette.PALETTE) >= 256


def test_lab_conversion_matches_reference_values():
    lab = palette.to_lab(["#ff0000", "#ffffff", "#808080"])
    assert lab[0] == pytest.approx([53.24, 80.09, 67.20], abs=0.02)
    assert lab[1] == pytest.approx([100, 0, 0], abs=0.01)
    assert lab[2] == pytest.approx([53.59, 0, 0], abs=0.02)


def _neighbour_min(colours, centres, k=3):
    d = palette.colour_distances(colours)
    gaps = np.linalg.norm(centres[:, None] - centres[None], axis=2)
    np.fill_diagonal(gaps, np.inf)
    return min(d[i, j] for i in range(len(centres)) for j in np.argsort(gaps[i])[:k])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_neighbours_on_the_map_get_distant_colours(seed):
    """45 topics scattered at random: the closest colours among map neighbours lie far
    further apart than with colours in palette order (about 45 against 22-28)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(45, 2))
    sizes = rng.integers(10, 500, 45)
    colours = palette.assign_colours(centres, sizes)
    assert sorted(colours) == sorted(palette.PALETTE[:45])  # each colour once
    assert _neighbour_min(colours, centres) >= 35
    assert _neighbour_min(colours, centres) > _neighbour_min(list(palette.PALETTE[:45]), centres) + 8


def test_colour_assignment_edge_cases():
    assert palette.assign_colours(np.empty((0, 2)), np.empty(0)) == []
    assert palette.assign_colours(np.zeros((1, 2)), np.array([5])) == [palette.PALETTE[0]]
    assert palette.colour_for(-1) == palette.UNASSIGNED_COLOUR
