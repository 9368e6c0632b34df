"""Curation edits as events that can be undone, redone and logged.

Each edit names the documents and topics it may touch; before it first runs it takes a
snapshot of exactly those, and undo puts the snapshot back. Redo runs the edit again on
the same state it first saw, so it gives the same result (new topic ids included).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from topicdesk.core.state import (
    BY_HUMAN,
    UNASSIGNED,
    Topic,
    TopicState,
    default_label,
    relabel,
)
from topicdesk.errors import TopicDeskError


@dataclass
class _Snapshot:
    rows: np.ndarray
    assignments: np.ndarray
    confidence: np.ndarray
    stability: np.ndarray
    assigned_by: list[str]
    notes: dict[int, str]
    topics: dict[int, Topic | None]


def _rows(values: list[int] | np.ndarray, n_docs: int) -> np.ndarray:
    rows = np.unique(np.asarray(values, dtype=np.int64))
    if rows.size and (rows[0] < 0 or rows[-1] >= n_docs):
        raise TopicDeskError("The selection names documents that are not in this corpus.")
    return rows


@dataclass
class Edit:
    """Base class: subclasses set ``kind`` and implement ``touched`` and ``_do``."""

    kind: ClassVar[str] = ""
    _before: _Snapshot | None = field(default=None, init=False, repr=False, compare=False)

    def touched(self, state: TopicState) -> tuple[np.ndarray, list[int]]:
        """Rows and topic ids this edit may change, read from the state before it."""
        raise NotImplementedError

    def _do(self, state: TopicState) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        """Short text for the Undo menu and the edit log."""
        raise NotImplementedError

    def params(self) -> dict:
        """JSON-ready parameters for the edit log."""
        return {
            k: (v.tolist() if isinstance(v, np.ndarray) else v)
            for k, v in self.__dict__.items()
            if not k.startswith("_")
        }

    def apply(self, state: TopicState) -> None:
        """Run the edit, first taking the snapshot that undo restores."""
        if self._before is None:
            rows, topic_ids = self.touched(state)
            self._before = _Snapshot(
                rows=rows,
                assignments=state.assignments[rows].copy(),
                confidence=state.confidence[rows].copy(),
                stability=state.doc_stability[rows].copy(),
                assigned_by=[state.assigned_by[r] for r in rows],
                notes={int(r): state.doc_notes[r] for r in rows if r in state.doc_notes},
                topics={t: copy.deepcopy(state.topics.get(t)) for t in topic_ids},
            )
        self._do(state)

    def revert(self, state: TopicState) -> None:
        """Put back what the edit changed."""
        snap = self._before
        if snap is None:
            raise RuntimeError("revert() before apply()")
        state.assignments[snap.rows] = snap.assignments
        state.confidence[snap.rows] = snap.confidence
        state.doc_stability[snap.rows] = snap.stability
        for row, by in zip(snap.rows.tolist(), snap.assigned_by):
            state.assigned_by[row] = by
            if row in snap.notes:
                state.doc_notes[row] = snap.notes[row]
            else:
                state.doc_notes.pop(row, None)
        for tid, topic in snap.topics.items():
            if topic is None:
                state.topics.pop(tid, None)
            else:
                state.topics[tid] = copy.deepcopy(topic)
        state.topics = dict(sorted(state.topics.items()))


def _require_topic(state: TopicState, topic_id: int) -> Topic:
    topic = state.topics.get(topic_id)
    if topic is None:
        raise TopicDeskError(f"There is no topic {topic_id}; refresh the topic list and try again.")
    return topic


def _assign(state: TopicState, rows: np.ndarray, topic_id: int) -> None:
    state.assignments[rows] = topic_id
    state.confidence[rows] = 1.0 if topic_id != UNASSIGNED else np.nan
    for row in rows.tolist():
        state.assigned_by[row] = BY_HUMAN


@dataclass
class RenameTopic(Edit):
    kind: ClassVar[str] = "rename_topic"
    topic_id: int = 0
    label: str = ""

    def touched(self, state):
        _require_topic(state, self.topic_id)
        if not self.label.strip():
            raise TopicDeskError("A topic label cannot be empty; type a name for the topic.")
        return np.empty(0, dtype=np.int64), [self.topic_id]

    def _do(self, state):
        topic = state.topics[self.topic_id]
        topic.label = self.label.strip()
        topic.label_is_human = True

    def describe(self):
        return f"Rename topic {self.topic_id} to “{self.label.strip()}”"


@dataclass
class SetTopicNote(Edit):
    kind: ClassVar[str] = "topic_note"
    topic_id: int = 0
    note: str = ""

    def touched(self, state):
        _require_topic(state, self.topic_id)
        return np.empty(0, dtype=np.int64), [self.topic_id]

    def _do(self, state):
        state.topics[self.topic_id].note = self.note

    def describe(self):
        return f"Note on topic {self.topic_id}"


@dataclass
class SetDocumentNote(Edit):
    kind: ClassVar[str] = "document_note"
    rows: list[int] = field(default_factory=list)
    note: str = ""

    def touched(self, state):
        return _rows(self.rows, len(state)), []

    def _do(self, state):
        for row in _rows(self.rows, len(state)).tolist():
            if self.note:
                state.doc_notes[row] = self.note
            else:
                state.doc_notes.pop(row, None)

    def describe(self):
        n = len(set(self.rows))
        return "Note on document" if n == 1 else f"Note on {n} documents"


@dataclass
class MoveDocuments(Edit):
    kind: ClassVar[str] = "move_documents"
    rows: list[int] = field(default_factory=list)
    topic_id: int = UNASSIGNED

    def touched(self, state):
        if self.topic_id != UNASSIGNED:
            _require_topic(state, self.topic_id)
        rows = _rows(self.rows, len(state))
        if rows.size == 0:
            raise TopicDeskError(
                "No documents are selected; select some on the map or in the table first."
            )
        return rows, []

    def _do(self, state):
        _assign(state, _rows(self.rows, len(state)), self.topic_id)

    def describe(self):
        n = len(set(self.rows))
        where = "unassigned" if self.topic_id == UNASSIGNED else f"topic {self.topic_id}"
        return f"Move {n} document{'s' if n != 1 else ''} to {where}"


@dataclass
class NewTopic(Edit):
    """Make a topic from documents; keywords are given by the caller (see curation)."""

    kind: ClassVar[str] = "new_topic"
    rows: list[int] = field(default_factory=list)
    label: str = ""
    keywords: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    topic_id: int | None = None

    def touched(self, state):
        rows = _rows(self.rows, len(state))
        if rows.size == 0:
            raise TopicDeskError(
                "No documents are selected; select some on the map or in the table first."
            )
        if self.topic_id is None:
            self.topic_id = state.next_topic_id()
        elif self.topic_id in state.topics:
            raise TopicDeskError(f"Topic {self.topic_id} already exists.")
        return rows, [self.topic_id]

    def _do(self, state):
        rows = _rows(self.rows, len(state))
        assert self.topic_id is not None
        state.topics[self.topic_id] = Topic(
            id=self.topic_id,
            label=self.label.strip()
            or default_label(self.keywords, taken=[t.label for t in state.topics.values()]),
            keywords=list(self.keywords),
            weights=list(self.weights),
            representatives=[int(r) for r in rows[:3]],
            label_is_human=bool(self.label.strip()),
            origin=BY_HUMAN,
        )
        _assign(state, rows, self.topic_id)

    def describe(self):
        return f"New topic from {len(set(self.rows))} documents"


@dataclass
class MergeTopics(Edit):
    """Merge topics into the first one named; the others disappear."""

    kind: ClassVar[str] = "merge_topics"
    topic_ids: list[int] = field(default_factory=list)

    def touched(self, state):
        ids = list(dict.fromkeys(self.topic_ids))
        if len(ids) < 2:
            raise TopicDeskError("Choose at least two topics to merge.")
        for tid in ids:
            _require_topic(state, tid)
        rows = np.flatnonzero(np.isin(state.assignments, ids[1:]))
        return rows, ids

    def _do(self, state):
        ids = list(dict.fromkeys(self.topic_ids))
        target, others = ids[0], ids[1:]
        rows = np.flatnonzero(np.isin(state.assignments, others))
        state.assignments[rows] = target
        for tid in others:
            state.topics.pop(tid)

    def describe(self):
        ids = list(dict.fromkeys(self.topic_ids))
        return f"Merge topics {', '.join(map(str, ids[1:]))} into {ids[0]}"


@dataclass
class DeleteTopic(Edit):
    """Remove a topic; its documents become unassigned."""

    kind: ClassVar[str] = "delete_topic"
    topic_id: int = 0

    def touched(self, state):
        _require_topic(state, self.topic_id)
        return state.members(self.topic_id), [self.topic_id]

    def _do(self, state):
        rows = state.members(self.topic_id)
        state.assignments[rows] = UNASSIGNED
        state.confidence[rows] = np.nan
        for row in rows.tolist():
            state.assigned_by[row] = BY_HUMAN
        state.topics.pop(self.topic_id)

    def describe(self):
        return f"Delete topic {self.topic_id}"


@dataclass
class UpdateKeywords(Edit):
    """Replace keywords and representatives; labels a person chose stay as they are."""

    kind: ClassVar[str] = "update_keywords"
    keywords: dict[int, list[str]] = field(default_factory=dict)
    weights: dict[int, list[float]] = field(default_factory=dict)
    representatives: dict[int, list[int]] = field(default_factory=dict)

    def touched(self, state):
        return np.empty(0, dtype=np.int64), [t for t in self.keywords if t in state.topics]

    def _do(self, state):
        for tid, words in self.keywords.items():
            topic = state.topics.get(tid)
            if topic is None:
                continue
            topic.keywords = list(words)
            topic.weights = list(self.weights.get(tid, []))
            topic.representatives = list(self.representatives.get(tid, topic.representatives))
        relabel(state.topics, self.keywords)

    def params(self):
        return {
            "keywords": {str(k): v for k, v in self.keywords.items()},
            "weights": {str(k): v for k, v in self.weights.items()},
            "representatives": {str(k): v for k, v in self.representatives.items()},
        }

    def describe(self):
        return "Recompute keywords"


@dataclass
class SetStopWords(UpdateKeywords):
    """The researcher's own stop words, with every topic's keywords recomputed without them.

    Names a person gave stay; undo restores the previous list and keywords.
    """

    kind: ClassVar[str] = "set_stop_words"
    words: list[str] = field(default_factory=list)
    _words_before: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)

    def apply(self, state):
        if self._before is None:
            self._words_before = state.stop_words
        super().apply(state)

    def _do(self, state):
        state.stop_words = tuple(self.words)
        super()._do(state)

    def revert(self, state):
        super().revert(state)
        state.stop_words = self._words_before

    def params(self):
        return {"words": list(self.words), **super().params()}

    def describe(self):
        added = len(self.words) - len(self._words_before)
        if added > 0 and set(self._words_before) <= set(self.words):
            new = [w for w in self.words if w not in self._words_before]
            return f"Ignore “{new[0]}”" if len(new) == 1 else f"Ignore {len(new)} more words"
        return "Change the stop words"


EDIT_TYPES: dict[str, type[Edit]] = {
    cls.kind: cls
    for cls in (
        RenameTopic,
        SetTopicNote,
        SetDocumentNote,
        MoveDocuments,
        NewTopic,
        MergeTopics,
        DeleteTopic,
        UpdateKeywords,
        SetStopWords,
    )
}


def edit_from_params(kind: str, params: dict) -> Edit:
    """Rebuild an edit from its log entry (used to replay and to check logs)."""
    cls = EDIT_TYPES.get(kind)
    if cls is None:
        raise TopicDeskError(
            f"Unknown edit '{kind}' in the edit log; the project may come from a newer TopicDesk."
        )
    if issubclass(cls, UpdateKeywords):  # JSON turned the topic ids into strings
        by_topic = ("keywords", "weights", "representatives")
        return cls(
            **{name: {int(k): v for k, v in params.get(name, {}).items()} for name in by_topic},
            **{k: v for k, v in params.items() if k not in by_topic},
        )
    return cls(**params)


# The topic tree's edits and those a refit or a stability check makes live in modules of
# their own, which register them in EDIT_TYPES when imported here.
from topicdesk.core import refit_edits, tree_edits  # noqa: F401
