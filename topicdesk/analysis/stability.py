"""Checking how well a project's topics hold when the clustering is run with other seeds.

The check re-runs the project's whole clustering (every run of the consensus, outliers
placed) from its saved embeddings with each of a few other seeds, and compares every
result with the topics as they are now, curation included. A topic's stability is the
mean Jaccard overlap with its best match over the re-runs; it is "found" in a re-run
where that overlap reaches 0.5. A document's figure is the share of re-runs whose best
match of its topic holds it.

Unlike the figures a fit records about its own runs (which helped make the topics and
so agree with them more), these come from fits the topics never saw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from topicdesk.core.project import Project
from topicdesk.core.refit_edits import RecordStability
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline import consensus, reduce
from topicdesk.pipeline.progress import Progress

STAGE = "Checking stability"


@dataclass(frozen=True)
class StabilityReport:
    """Per topic and per document, how often re-runs with other seeds find them again."""

    seeds: list[int]
    agreement: consensus.Agreement  # rows are the project's rows
    topic_counts: list[int]  # topics in each re-run
    nmi: list[float]  # NMI of each re-run with the current topics

    def stability(self) -> dict[int, float]:
        return self.agreement.stability()

    def found(self) -> dict[int, int]:
        """Re-runs in which each topic has a match of Jaccard 0.5 or more."""
        return self.agreement.found()

    def documents(self) -> np.ndarray:
        """Per row, the share of re-runs that put the document in its topic (NaN: unassigned)."""
        return self.agreement.documents

    def edit(self) -> RecordStability:
        """The undoable step that stores these figures in the project."""
        stability, found = self.stability(), self.found()
        return RecordStability(
            topics=[
                [t, round(stability[t], 4), found[t], len(self.seeds)] for t in sorted(stability)
            ],
            documents=[None if np.isnan(v) else round(float(v), 4) for v in self.documents()],
            seeds=list(self.seeds),
        )

    def summary_lines(self) -> list[str]:
        found = self.found()
        n = len(self.seeds)
        every = sum(1 for k in found.values() if k == n)
        counts = f"{min(self.topic_counts)}-{max(self.topic_counts)}"
        return [
            f"Re-ran the clustering with {n} other seeds ({', '.join(map(str, self.seeds))}): "
            + f"{counts} topics.",
            f"{every} of {len(found)} topics were found in all {n} re-runs "
            + "(a match sharing at least half of its documents, Jaccard 0.5).",
            f"Agreement with the current topics: NMI {np.mean(self.nmi):.2f} on average "
            + f"(lowest {min(self.nmi):.2f}).",
            "The re-runs change only the random seed, on the same documents: they do not show "
            + "how the topics would change with other documents from the same source.",
        ]


def default_seeds(project: Project, count: int = 5) -> list[int]:
    """``count`` seeds other than the project's own: the next ones up."""
    return seeds_after(project.settings.seed, count)


def seeds_after(seed: int, count: int = 5) -> list[int]:
    return [seed + i for i in range(1, count + 1)]


def rerun_labels(
    embeddings: np.ndarray,
    settings,
    seeds: list[int],
    progress: Progress | None = None,
) -> tuple[list[np.ndarray], list[int]]:
    """The whole clustering run again from the embeddings once per seed: topic labels per
    distinct text for each run, and the number of topics each found (the costly part)."""
    progress = progress or Progress()
    progress.begin(STAGE, 0, len(seeds))
    knn = reduce.neighbours(embeddings, settings)
    runs, counts = [], []
    for i, seed in enumerate(seeds):
        progress.begin(STAGE, i, len(seeds))
        progress.update(0.0, f"re-running with seed {seed} ({i + 1} of {len(seeds)})")
        other = settings.replace(seed=seed)
        spaces = consensus.all_spaces(embeddings, other, knn, progress)
        labels = consensus.final_labels(embeddings, spaces, other, progress)
        runs.append(labels)
        counts.append(int(labels.max()) + 1)
        progress.update(1.0, f"seed {seed}: {counts[-1]} topics")
    return runs, counts


def compare(
    project: Project, seeds: list[int], text_runs: list[np.ndarray], counts: list[int]
) -> StabilityReport:
    """Compare re-runs (labels per distinct text) with the project's topics as they are now."""
    from sklearn.metrics import normalized_mutual_info_score

    _, inverse = project.corpus.unique_texts()
    has = inverse >= 0
    runs = []
    for labels in text_runs:
        rows = np.full(len(inverse), -1, dtype=np.int64)
        rows[has] = labels[inverse[has]]
        runs.append(rows)
    current = project.state.assignments
    nmi = [float(normalized_mutual_info_score(current[has], r[has])) for r in runs]
    return StabilityReport(list(seeds), consensus.agreement(current, runs), list(counts), nmi)


def check_stability(
    project: Project, seeds: list[int] | None = None, progress: Progress | None = None
) -> StabilityReport:
    """Re-run the clustering of a fitted project with other seeds and compare (no changes
    to the project; apply ``report.edit()`` to store the figures)."""
    embeddings = project.cache.embeddings
    texts, _ = project.corpus.unique_texts()
    if not project.fitted or embeddings is None or len(embeddings) != len(texts):
        raise TopicDeskError("Fit topics first; the stability check re-runs a saved fit.")
    seeds = list(seeds) if seeds else default_seeds(project)
    runs, counts = rerun_labels(embeddings, project.settings, seeds, progress)
    return compare(project, seeds, runs, counts)
