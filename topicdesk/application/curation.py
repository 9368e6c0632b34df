"""Curation steps that need computing: keywords for a hand-made topic, keywords after edits.

The edits themselves live in :mod:`topicdesk.core.edits`; these functions build them
with the words and typical documents the topics now have.
"""

from __future__ import annotations

import numpy as np

from topicdesk.core import edits
from topicdesk.core.project import Project
from topicdesk.core.state import UNASSIGNED
from topicdesk.pipeline import keywords


def keywords_for_rows(project: Project, rows: list[int]) -> tuple[list[str], list[float]]:
    """Keywords that set some documents apart from the rest, for a topic made by hand."""
    state = project.state
    assert state is not None  # a Project always has a state
    marker = max(state.topics, default=0) + 1
    assignments = state.assignments.copy()
    assignments[np.asarray(rows, dtype=np.int64)] = marker
    return keywords.topic_keywords(project.corpus.texts, assignments, project.settings).get(
        marker, ([], [])
    )


def new_topic_edit(
    project: Project, rows: list[int] | np.ndarray, label: str = ""
) -> edits.NewTopic:
    """A new topic made of these documents, with keywords of its own."""
    rows = [int(r) for r in rows]
    words, weights = keywords_for_rows(project, rows) if rows else ([], [])
    return edits.NewTopic(rows=rows, label=label, keywords=words, weights=weights)


def recompute_keywords_edit(project: Project) -> edits.UpdateKeywords:
    """Keywords and typical documents for the topics as they are now, after curation.

    Without saved embeddings the representatives stay as they were.
    """
    state = project.state
    assert state is not None
    settings = project.settings
    texts = project.corpus.texts
    words = keywords.topic_keywords(texts, state.assignments, settings)
    embeddings = project.row_embeddings()
    representatives = {}
    if embeddings is not None:
        reps = keywords.representatives(
            embeddings, state.assignments, settings.n_representatives, texts
        )
        representatives = {t: reps.get(t, []) for t in state.topics}
    return edits.UpdateKeywords(
        keywords={t: words.get(t, ([], []))[0] for t in state.topics},
        weights={t: words.get(t, ([], []))[1] for t in state.topics},
        representatives=representatives,
    )


def merge_edit(topic_ids: list[int]) -> edits.MergeTopics:
    """Merge into the first topic named (the one chosen first); "Unassigned" is skipped."""
    return edits.MergeTopics(topic_ids=[t for t in topic_ids if t != UNASSIGNED])
