"""The topic tree: sub-topics made by splitting, and groups of similar topics above them.

Two kinds of structure, both Qt-free:

- Sub-topics are stored: a topic split with :class:`~topicdesk.core.tree_edits.SplitTopic`
  is the ``parent`` of its sub-topics (:func:`subtopics`, :func:`root_topics`).
  :func:`split_preview` re-clusters one topic's documents the way a fit clusters the
  corpus and shows the result without changing anything.
- Broader groups are computed: :func:`topic_hierarchy` joins topics whose centroids are
  alike (average linkage on cosine distance between topic centroids), so a view can show
  "these five topics belong together" at any level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from topicdesk.core.project import Project
from topicdesk.core.state import UNASSIGNED, TopicState, default_label
from topicdesk.core.tree_edits import SplitTopic
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline import cluster, consensus, keywords, reduce
from topicdesk.pipeline.progress import Progress

MIN_SPLIT = 2 * reduce.MIN_DISTINCT_TEXTS  # fewer documents than this cannot be split


def subtopics(state: TopicState, topic_id: int) -> list[int]:
    """The topics split from ``topic_id``, in id order."""
    return sorted(t.id for t in state.topics.values() if t.parent == topic_id)


def root_topics(state: TopicState) -> list[int]:
    """Topics that are no other topic's sub-topic (the top level of the tree view)."""
    return sorted(t.id for t in state.topics.values() if t.parent not in state.topics)


@dataclass(frozen=True)
class TopicHierarchy:
    """Topics joined step by step into broader groups by how alike their centroids are.

    ``merges[i] = (a, b, similarity, size)`` joins nodes ``a`` and ``b`` into node
    ``len(topic_ids) + i``; nodes below ``len(topic_ids)`` are the topics ``topic_ids``.
    ``similarity`` is the mean cosine similarity between the centroids of the two sides.
    """

    topic_ids: list[int]
    merges: list[tuple[int, int, float, int]]

    def topics_under(self, node: int) -> list[int]:
        """The topic ids below a node."""
        n = len(self.topic_ids)
        if node < n:
            return [self.topic_ids[node]]
        a, b, _, _ = self.merges[node - n]
        return sorted(self.topics_under(a) + self.topics_under(b))

    def groups(self, count: int) -> list[list[int]]:
        """The topics in ``count`` broader groups (fewer if there are fewer topics), the
        groups in the order of their smallest topic id."""
        n = len(self.topic_ids)
        count = max(1, min(count, n))
        roots = set(range(n))
        for i, (a, b, _, _) in enumerate(self.merges[: n - count]):
            roots -= {a, b}
            roots.add(n + i)
        return sorted((self.topics_under(r) for r in roots), key=lambda g: g[0])


def topic_hierarchy(state: TopicState, embeddings: np.ndarray) -> TopicHierarchy:
    """Join the topics of ``state`` by centroid similarity (``embeddings``: one row per
    document, as :meth:`Project.row_embeddings` gives)."""
    from scipy.cluster.hierarchy import linkage

    ids = sorted(t for t in state.topics if (state.assignments == t).any())
    if len(ids) < 2:
        return TopicHierarchy(ids, [])
    centres = np.stack([embeddings[state.assignments == t].mean(axis=0) for t in ids])
    tree = linkage(centres.astype(np.float64), method="average", metric="cosine")
    merges = [(int(a), int(b), float(1.0 - d), int(size)) for a, b, d, size in tree]
    return TopicHierarchy(ids, merges)


@dataclass(frozen=True)
class SplitPreview:
    """What splitting a topic would give, before anything changes.

    ``groups[i]`` are the rows of sub-topic ``i`` (largest first) with its ``keywords``,
    ``weights``, ``representatives`` and default ``labels``; ``remaining`` are the rows
    that would stay in the topic itself.
    """

    topic_id: int
    groups: list[list[int]]
    keywords: list[list[str]]
    weights: list[list[float]]
    representatives: list[list[int]]
    labels: list[str]
    remaining: list[int]

    @property
    def sizes(self) -> list[int]:
        return [len(g) for g in self.groups]

    @property
    def can_split(self) -> bool:
        return len(self.groups) >= 2

    def summary_lines(self) -> list[str]:
        if not self.can_split:
            return [f"Topic {self.topic_id} has no clear sub-topics; it stays as it is."]
        lines = [f"Topic {self.topic_id} would split into {len(self.groups)} sub-topics:"]
        lines += [f"  {size:>6,}  {label}" for size, label in zip(self.sizes, self.labels)]
        if self.remaining:
            lines.append(f"  {len(self.remaining):>6,}  stay in topic {self.topic_id}")
        return lines

    def edit(self, labels: list[str] | None = None) -> SplitTopic:
        """The undoable split; ``labels`` are names a person chose ("" keeps the default)."""
        if not self.can_split:
            raise TopicDeskError(
                f"Topic {self.topic_id} has no clear sub-topics to split into; try a smaller "
                "sub-topic size."
            )
        return SplitTopic(
            topic_id=self.topic_id,
            groups=[list(g) for g in self.groups],
            keywords=[list(k) for k in self.keywords],
            weights=[list(w) for w in self.weights],
            representatives=[list(r) for r in self.representatives],
            labels=list(labels or [""] * len(self.groups)),
        )


def split_preview(
    project: Project,
    topic_id: int,
    min_size: int | None = None,
    progress: Progress | None = None,
) -> SplitPreview:
    """Re-cluster one topic's documents into sub-topics, as a fit would (several runs,
    what most agree on, outliers placed if the fit places them); nothing changes.

    ``min_size`` is the smallest sub-topic; by default the fit's smallest topic size,
    but at most a quarter of the topic, so a topic can split in up to four or more parts.
    """
    state = project.state
    if topic_id not in state.topics:
        raise TopicDeskError(f"There is no topic {topic_id}; refresh the topic list and try again.")
    embeddings = project.row_embeddings()
    if embeddings is None:
        raise TopicDeskError("Fit topics first; splitting re-clusters a topic's saved embeddings.")
    rows = state.members(topic_id)
    texts = project.corpus.texts
    distinct, first = np.unique([texts[r] for r in rows], return_index=True)
    if len(distinct) < MIN_SPLIT:
        raise TopicDeskError(
            f"Topic {topic_id} has {len(distinct)} different documents; a split needs at least "
            f"{MIN_SPLIT}."
        )
    settings = project.settings
    size = min_size or max(3, min(cluster.min_cluster_size(settings), len(distinct) // 4))
    sub = settings.replace(min_topic_size=max(2, size), topic_detail=0)
    vectors = embeddings[rows[first]]
    knn = reduce.neighbours(vectors, sub)
    spaces = consensus.all_spaces(vectors, sub, knn, progress)
    try:
        labels = consensus.final_labels(vectors, spaces, sub, progress)
    except TopicDeskError:  # no cluster at all: the topic has no sub-topics to offer
        labels = np.full(len(vectors), -1, dtype=np.int64)
    by_text = dict(zip(distinct.tolist(), labels.tolist()))
    found = np.array([by_text[texts[r]] for r in rows], dtype=np.int64)
    return _preview(project, topic_id, rows, found)


def _preview(project: Project, topic_id: int, rows: np.ndarray, found: np.ndarray) -> SplitPreview:
    """Keywords, typical documents and names of the sub-topics ``found`` (per row of ``rows``)."""
    state = project.state
    count = int(found.max()) + 1 if (found >= 0).any() else 0
    marker = max(state.topics, default=0) + 1  # sub-topic i is counted as topic marker + i
    assignments = state.assignments.copy()
    assignments[rows] = np.where(found >= 0, marker + found, UNASSIGNED)
    words = keywords.topic_keywords(
        project.corpus.texts, assignments, project.settings, state.stop_words
    )
    embeddings = project.row_embeddings()
    typical = keywords.representatives(
        embeddings, assignments, project.settings.n_representatives, project.corpus.texts
    )
    groups = [rows[found == i].tolist() for i in range(count)]
    kws = [words.get(marker + i, ([], []))[0] for i in range(count)]
    taken = [t.label for t in state.topics.values()]
    names: list[str] = []
    for k in kws:
        names.append(_unique_name(k, taken + names))
    return SplitPreview(
        topic_id=topic_id,
        groups=groups,
        keywords=kws,
        weights=[words.get(marker + i, ([], []))[1] for i in range(count)],
        representatives=[typical.get(marker + i, []) for i in range(count)],
        labels=names,
        remaining=rows[found < 0].tolist(),
    )


def _unique_name(words: list[str], taken: list[str]) -> str:
    """The keyword name, numbered if another topic already has it."""
    name = default_label(words)
    used = {t.casefold() for t in taken}
    number = 2
    candidate = name
    while candidate.casefold() in used:
        candidate = f"{name} ({number})"
        number += 1
    return candidate
