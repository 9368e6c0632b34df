"""Checking stability from the app: the re-runs go to the fitting process like a fit.

The re-runs are the costly part (every layout and clustering again, once per seed); they
travel back as a fit result whose stage outputs are the re-runs' topic labels, so the
fitting process, its protocol and its cancel serve this job unchanged. The comparison
with the topics as they are now, curation included, is quick and runs in the app.
"""

from __future__ import annotations

import numpy as np

from topicdesk.analysis.stability import (
    LEAVE_OUT,
    StabilityReport,
    compare_runs,
    rerun_both,
    seeds_after,
)
from topicdesk.application.variables import Colouring
from topicdesk.core.project import Project, StageCache
from topicdesk.core.settings import FitSettings
from topicdesk.core.state import TopicState
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline.progress import Progress
from topicdesk.pipeline.runner import FitResult

TARGET = "topicdesk.application.stability_check:rerun"


def rerun(project: Project, settings: FitSettings, progress: Progress | None = None) -> FitResult:
    """The fitting process's job: the clustering again with other seeds, on every document
    and then leaving ``LEAVE_OUT`` of them out, from the saved embeddings (never
    re-embedding); each run's labels come back as a stage output."""
    embeddings = project.cache.embeddings
    texts, _ = project.corpus.unique_texts()
    if embeddings is None or len(embeddings) != len(texts):
        raise TopicDeskError("Fit topics first; the stability check re-runs a saved fit.")
    seeds = seeds_after(settings.seed)
    (runs, counts), (fewer, fewer_counts) = rerun_both(embeddings, settings, seeds, progress)
    cache = StageCache(
        **{f"run_{s}": (r[:, None], str(s)) for s, r in zip(seeds, runs)},
        **{f"fewer_{s}": (r[:, None], str(s)) for s, r in zip(seeds, fewer)},
    )
    provenance = {
        "stability_seeds": seeds,
        "stability_topics": counts,
        "stability_left_out": LEAVE_OUT,
        "stability_left_out_topics": fewer_counts,
    }
    return FitResult(TopicState.empty(len(project.corpus)), cache, provenance, settings)


def report_from(project: Project, result: FitResult) -> StabilityReport:
    """Compare the re-runs the process sent back with the project's topics as they are now."""
    seeds = [int(s) for s in result.provenance["stability_seeds"]]

    def runs(prefix: str) -> list[np.ndarray]:
        return [np.asarray(result.cache.array(f"{prefix}_{s}"))[:, 0] for s in seeds]

    counts = [int(c) for c in result.provenance["stability_topics"]]
    same = compare_runs(project, seeds, runs("run"), counts)
    left_out = float(result.provenance.get("stability_left_out", 0.0))
    if not left_out:
        return StabilityReport(same)
    counts = [int(c) for c in result.provenance["stability_left_out_topics"]]
    return StabilityReport(same, compare_runs(project, seeds, runs("fewer"), counts, left_out))


def check(project: Project, progress: Progress | None = None) -> StabilityReport:
    """The whole check in this process (the CLI and tests)."""
    return report_from(project, rerun(project, project.settings, progress))


UNSTEADY = " †"  # after the name of a topic not found in every re-run with documents left out


def unsteady_topics(project: Project) -> set[int]:
    """Topics a stability check's re-runs with documents left out did not all find: their
    shares rest on the particular documents of this corpus."""
    return {
        t.id
        for t in project.state.topics.values()
        if t.left_out is not None and t.left_out.found < t.left_out.runs
    }


def unsteady_note(project: Project, topic_ids) -> str:
    """What "†" means, if one of ``topic_ids`` carries it (else "")."""
    marked = unsteady_topics(project) & {int(t) for t in topic_ids}
    if not marked:
        return ""
    out = project.state.topics[min(marked)].left_out
    return (
        f"†: found in fewer than all {out.runs} re-runs that each left out {out.share:.0%} "
        "of the documents; its shares rest on these particular documents."
    )


def marked_labels(project: Project, labels: dict[int, str]) -> dict[int, str]:
    """``labels`` with "†" before the topics :func:`unsteady_topics` names (before, so
    that charts that shorten names keep it)."""
    unsteady = unsteady_topics(project)
    return {t: f"†\u00a0{name}" if t in unsteady else name for t, name in labels.items()}


# From "kept in every run" to "in no other run": ColorBrewer's red-yellow-green, readable
# on white and ordered for the eye.
STABILITY_BINS = (
    ("in every run", "#1a9850"),
    ("in most runs (60% or more)", "#91cf60"),
    ("in some runs", "#fc8d59"),
    ("in no other run", "#d73027"),
)


def has_document_stability(project: Project) -> bool:
    return bool(project.fitted and not np.isnan(project.state.doc_stability).all())


def colour_by_stability(project: Project) -> Colouring:
    """Map colours by how often the runs kept each document in its topic (grey: unassigned
    or not measured)."""
    share = project.state.doc_stability
    codes = np.full(len(share), -1, dtype=np.int64)
    known = ~np.isnan(share)
    codes[known & (share >= 1.0 - 1e-9)] = 0
    codes[known & (share >= 0.6) & (share < 1.0 - 1e-9)] = 1
    codes[known & (share > 0) & (share < 0.6)] = 2
    codes[known & (share <= 0)] = 3
    names, colours = [n for n, _ in STABILITY_BINS], [c for _, c in STABILITY_BINS]
    return Colouring(codes, names, colours, none_name="Unassigned or not measured")
