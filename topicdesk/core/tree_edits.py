"""Edits of the topic tree: split a topic into sub-topics, merge a sub-topic back.

A sub-topic records the topic it came from in ``Topic.parent``. Splitting moves the
documents of each sub-topic out of the parent, which keeps its name, note and the
documents that fit no sub-topic; merging into the parent moves them back. Both undo
exactly and replay from their logged parameters like every other edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from topicdesk.core.edits import EDIT_TYPES, Edit, _require_topic, _rows
from topicdesk.core.state import BY_MODEL, Topic, default_label
from topicdesk.errors import TopicDeskError


@dataclass
class SplitTopic(Edit):
    """Move groups of a topic's documents into new sub-topics of it (see ``split_preview``).

    ``groups`` holds the rows of each sub-topic, ``keywords``/``weights`` their words,
    ``representatives`` their typical rows and ``labels`` their names ("" for a name made
    from the keywords). ``new_ids`` is filled
    on the first run and kept, so redo and replay give the same ids.
    """

    kind: ClassVar[str] = "split_topic"
    topic_id: int = 0
    groups: list[list[int]] = field(default_factory=list)
    keywords: list[list[str]] = field(default_factory=list)
    weights: list[list[float]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    representatives: list[list[int]] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)

    def touched(self, state):
        _require_topic(state, self.topic_id)
        groups = [_rows(g, len(state)) for g in self.groups]
        if not groups or any(g.size == 0 for g in groups):
            raise TopicDeskError(
                "A split needs at least one non-empty sub-topic; preview it again."
            )
        rows = np.concatenate(groups)
        if len(np.unique(rows)) != len(rows):
            raise TopicDeskError("A document cannot go to two sub-topics; preview the split again.")
        if (state.assignments[rows] != self.topic_id).any():
            raise TopicDeskError(
                f"Topic {self.topic_id} has changed since the split was previewed; preview it again."
            )
        if not self.new_ids:
            first = state.next_topic_id()
            self.new_ids = list(range(first, first + len(groups)))
        elif len(self.new_ids) != len(groups) or set(self.new_ids) & set(state.topics):
            raise TopicDeskError("The sub-topics' numbers are taken; preview the split again.")
        return np.sort(rows), [self.topic_id, *self.new_ids]

    def _do(self, state):
        for i, (tid, rows) in enumerate(zip(self.new_ids, self.groups)):
            words = [str(w) for w in self._listed(self.keywords, i, [])]
            label = str(self._listed(self.labels, i, "")).strip()
            state.topics[tid] = Topic(
                id=tid,
                label=label or default_label(words),
                keywords=words,
                weights=[float(w) for w in self._listed(self.weights, i, [])],
                representatives=[int(r) for r in self._listed(self.representatives, i, rows[:3])],
                label_is_human=bool(label),
                origin=BY_MODEL,
                parent=self.topic_id,
            )
            state.assignments[_rows(rows, len(state))] = tid

    @staticmethod
    def _listed(values: list, i: int, default):
        return values[i] if i < len(values) else default

    def describe(self):
        return f"Split topic {self.topic_id} into {len(self.groups)} sub-topics"


@dataclass
class MergeIntoParent(Edit):
    """Give a sub-topic's documents back to the topic it was split from and remove it;
    its own sub-topics move up to that parent."""

    kind: ClassVar[str] = "merge_into_parent"
    topic_id: int = 0

    def _parent(self, state) -> int:
        topic = _require_topic(state, self.topic_id)
        if topic.parent is None or topic.parent not in state.topics:
            raise TopicDeskError(
                f"Topic {self.topic_id} is not a sub-topic; use Merge to join it with another topic."
            )
        return topic.parent

    def touched(self, state):
        parent = self._parent(state)
        children = [t.id for t in state.topics.values() if t.parent == self.topic_id]
        return state.members(self.topic_id), [self.topic_id, parent, *children]

    def _do(self, state):
        parent = self._parent(state)
        state.assignments[state.members(self.topic_id)] = parent
        for topic in state.topics.values():
            if topic.parent == self.topic_id:
                topic.parent = parent
        state.topics.pop(self.topic_id)

    def describe(self):
        return f"Merge sub-topic {self.topic_id} into its parent"


EDIT_TYPES.update({cls.kind: cls for cls in (SplitTopic, MergeIntoParent)})
