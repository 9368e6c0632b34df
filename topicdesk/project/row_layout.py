"""How files of formats 1 to 3 hold the per-document data: one row of the ``documents``
table per document (its topic, confidence, who put it there and its note).

Format 4 keeps these as arrays (:mod:`topicdesk.project.columnar`); older files are read
here, unchanged, so every saved project still opens.
"""

from __future__ import annotations

import sqlite3

import numpy as np

from topicdesk.core.state import TopicState


def read_documents(db: sqlite3.Connection, state: TopicState) -> None:
    """Fill ``state``'s per-document values; ValueError when the rows do not match it."""
    n = len(state)
    docs = db.execute(
        "SELECT row, topic, confidence, assigned_by, note FROM documents ORDER BY row"
    ).fetchall()
    if len(docs) != n or (docs and (docs[0][0] != 0 or docs[-1][0] != n - 1)):
        raise ValueError("the topic assignments do not match the documents")
    state.assignments[:] = [d[1] for d in docs]
    state.confidence[:] = [np.nan if d[2] is None else d[2] for d in docs]
    state.assigned_by = [str(d[3]) for d in docs]
    state.doc_notes = {int(d[0]): str(d[4]) for d in docs if d[4]}
