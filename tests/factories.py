"""Projects built by hand for tests that do not need a real fit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from topicdesk.core.corpus import Corpus
from topicdesk.core.edits import MoveDocuments, NewTopic, RenameTopic, SetDocumentNote, SetTopicNote
from topicdesk.core.project import Project, StageCache
from topicdesk.core.state import Topic, TopicState


def curated_project(table: pd.DataFrame, text_column: str = "text", n_topics: int = 3) -> Project:
    """A project with topics, cached arrays, human edits and notes on a real table."""
    corpus = Corpus(
        table.reset_index(drop=True), text_column, source_name="slice.csv", source_hash="ab" * 32
    )
    texts, inverse = corpus.unique_texts()
    rng = np.random.default_rng(0)
    labels = rng.integers(-1, n_topics, len(texts))
    cache = StageCache(
        embeddings=(rng.normal(size=(len(texts), 8)).astype(np.float32), "e1"),
        reduced=(rng.normal(size=(len(texts), 5)).astype(np.float32), "r1"),
        coords=(rng.normal(size=(len(texts), 2)).astype(np.float32), "c1"),
    )
    state = TopicState.empty(len(corpus))
    has = inverse >= 0
    state.assignments[has] = labels[inverse[has]]
    state.confidence[has & (state.assignments >= 0)] = 0.75
    for tid in range(n_topics):
        state.topics[tid] = Topic(
            id=tid,
            label=f"topic {tid}",
            keywords=[f"w{tid}", "shared"],
            weights=[0.3, 0.1],
            representatives=[int(r) for r in np.flatnonzero(state.assignments == tid)[:3]],
        )
    project = Project(
        corpus,
        state=state,
        cache=cache,
        provenance={"model": "test", "versions": {"numpy": np.__version__}},
    )
    project.fitted = True
    history = project.history
    history.do(RenameTopic(topic_id=0, label="Economy '); DROP TABLE topics;--"))
    history.do(SetTopicNote(topic_id=1, note="Ask Maria about this one.\nSecond line ✓"))
    history.do(MoveDocuments(rows=[0, 1, 2], topic_id=2))
    history.do(NewTopic(rows=[3, 4], label="Hand-made"))
    history.do(SetDocumentNote(rows=[5], note="quote in chapter 3"))
    history.undo()
    return project


def tamper(path, *statements: str, reseal: bool = True) -> None:
    """Change a saved project with SQL, as a crafted file would.

    ``reseal`` stores a fresh content checksum, as someone who crafts a file can; the
    checks behind the checksum are then what must catch the damage.
    """
    import json
    import sqlite3

    from topicdesk.project import store

    db = sqlite3.connect(path)
    try:
        for statement in statements:
            db.executescript(statement)
        if reseal:
            try:
                digest = store.content_digest(db)
            except sqlite3.Error:  # a table is gone: no checksum can be made for it
                digest = None
            if digest is not None:
                db.execute(
                    "UPDATE meta SET value = ? WHERE key = ?",
                    (json.dumps(digest), store.CHECKSUM_KEY),
                )
        db.commit()
    finally:
        db.close()
