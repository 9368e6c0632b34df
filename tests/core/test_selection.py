"""The shared selection of documents and choice of topics, and their notifications."""

from __future__ import annotations

import numpy as np
import pytest

from topicdesk.core.observable import Event
from topicdesk.core.selection import Selection, TopicChoice
from topicdesk.core.state import UNASSIGNED


def test_event_calls_each_callback_once_in_order():
    event, calls = Event(), []
    first = lambda x: calls.append(("a", x))
    event.connect(first)
    event.connect(first)
    event.connect(lambda x: calls.append(("b", x)))
    event.emit(1)
    event.disconnect(first)
    event.emit(2)
    assert calls == [("a", 1), ("b", 1), ("b", 2)] and len(event) == 1


def test_selection_modes_and_notifications():
    selection, seen = Selection(), []
    selection.changed.connect(lambda rows: seen.append(rows.tolist()))
    selection.select([5, 3, 3])
    selection.select(np.array([7]), "add")
    selection.select([3], "subtract")
    selection.select([5, 7])  # unchanged: no notice
    selection.clear()
    assert seen == [[3, 5], [3, 5, 7], [5, 7], []]
    with pytest.raises(ValueError):
        selection.select([1], "toggle")


def test_topic_choice_keeps_the_order_of_choosing():
    choice, seen = TopicChoice(), []
    choice.changed.connect(seen.append)
    choice.set([24])
    choice.set([13, 24])  # the list reports its own order; 24 was chosen first
    assert choice.ids == [24, 13] and choice.real == [24, 13] and choice.single is None
    choice.set([13, 24])
    choice.set([13, UNASSIGNED])
    assert choice.ids == [13, UNASSIGNED] and choice.real == [13] and choice.single is None
    choice.keep_only([1, 2])
    assert choice.ids == [UNASSIGNED]
    choice.set([2])
    assert choice.single == 2
    assert seen == [[24], [24, 13], [13, UNASSIGNED], [UNASSIGNED], [2]]
