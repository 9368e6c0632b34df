"""How a topic is stored: one row of the ``topics`` table, and the upgrade of older files.

File format 2 added four columns to the end of the row: the topic it was split from
(``parent``) and its stability figures (mean best-match Jaccard, runs that found it,
runs compared). Files of format 1 get them empty (NULL) when they are opened. Format 5
added ``left_out``: the stability check's figures from re-runs that each left some of the
documents out, as JSON (NULL where no check measured them, and in older files).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict

import numpy as np

from topicdesk.core.state import Topic, left_out_from

COLUMNS = (
    "id INTEGER PRIMARY KEY, label TEXT NOT NULL, keywords TEXT NOT NULL, weights TEXT NOT NULL, "
    "representatives TEXT NOT NULL, note TEXT NOT NULL, colour TEXT NOT NULL, "
    "label_is_human INTEGER NOT NULL, origin TEXT NOT NULL, "
    "parent INTEGER, stability REAL, runs_found INTEGER, runs_total INTEGER, left_out TEXT"
)
ADDED_IN_2 = ("parent INTEGER", "stability REAL", "runs_found INTEGER", "runs_total INTEGER")
INSERT = f"INSERT INTO topics VALUES ({', '.join('?' * 14)})"
DOCUMENT_STABILITY = "document_stability"  # per-row shares, kept in the arrays table


def to_row(topic: Topic) -> tuple:
    return (
        topic.id,
        topic.label,
        json.dumps(topic.keywords, ensure_ascii=False),
        json.dumps(topic.weights),
        json.dumps(topic.representatives),
        topic.note,
        topic.colour,
        int(topic.label_is_human),
        topic.origin,
        topic.parent,
        topic.stability,
        topic.runs_found,
        topic.runs_total,
        None if topic.left_out is None else json.dumps(asdict(topic.left_out)),
    )


def _maybe(kind: type, value: object):
    return None if value is None else kind(value)


def from_row(row: tuple, n_docs: int) -> Topic:
    """A topic from its row; representatives outside the corpus are dropped.

    Exactly 14 values are unpacked, so a row with more or fewer is damage, not data.
    """
    tid, label, kw, weights, reps, note, colour, human, origin, parent, stab, found, runs, out = row
    stability = _maybe(float, stab)
    left_out = None if out is None else left_out_from(json.loads(out))
    return Topic(
        id=int(tid),
        label=str(label),
        keywords=[str(k) for k in json.loads(kw)],
        weights=[float(w) for w in json.loads(weights)],
        representatives=[int(r) for r in json.loads(reps) if 0 <= int(r) < n_docs],
        note=str(note),
        colour=str(colour),
        label_is_human=bool(human),
        origin=str(origin),
        parent=_maybe(int, parent),
        stability=stability if stability is not None and 0.0 <= stability <= 1.0 else None,
        runs_found=_maybe(int, found),
        runs_total=_maybe(int, runs),
        left_out=left_out if left_out is not None and 0.0 <= left_out.stability <= 1.0 else None,
    )


def drop_broken_parents(topics: dict[int, Topic]) -> None:
    """A parent that is missing, the topic itself, or part of a loop makes a topic a root."""
    for topic in topics.values():
        if topic.parent not in topics or topic.parent == topic.id:
            topic.parent = None
    for topic in topics.values():
        seen = {topic.id}
        node = topic
        while node.parent is not None:
            if node.parent in seen:
                node.parent = None
                break
            seen.add(node.parent)
            node = topics[node.parent]


def document_stability(values: np.ndarray) -> np.ndarray:
    """Stored shares as read back: anything outside 0..1 is "not measured"."""
    values = values.astype(np.float64).ravel()
    return np.where((values >= 0.0) & (values <= 1.0), values, np.nan)


def add_tree_and_stability(db: sqlite3.Connection) -> None:
    """Format 1 to 2: the four new topic columns, empty."""
    for column in ADDED_IN_2:
        db.execute(f"ALTER TABLE topics ADD COLUMN {column}")


def widened(row: tuple, version: int) -> tuple:
    """A row of a file of format 4 or earlier with the column format 5 added, empty (read
    so rather than migrated, which would copy a large file into memory)."""
    return (*row, None) if version < 5 else row
