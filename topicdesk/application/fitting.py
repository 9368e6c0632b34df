"""Fitting topics and adopting the result: the same steps for the app's worker and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import runner
from topicdesk.pipeline.progress import Progress
from topicdesk.pipeline.runner import FitResult


def fit(project: Project, settings: FitSettings, progress: Progress | None = None) -> FitResult:
    """Run the pipeline without touching the project (safe on a worker thread)."""
    return runner.fit_project(project, settings, progress)


@dataclass(frozen=True)
class Adopted:
    """What adopting a fit changed, in words for a status bar or a terminal."""

    topics: int
    unassigned: int
    seconds: float

    def sentence(self) -> str:
        return (
            f"Found {self.topics} topics in {self.seconds:.0f} s; "
            f"{self.unassigned:,} documents unassigned"
        )


def adopt(project: Project, result: FitResult, settings: FitSettings | None = None) -> Adopted:
    """Take a finished fit into the project (on the thread that owns the project)."""
    runner.apply_fit(project, result, settings)
    state = project.state
    unassigned = int(((state.assignments < 0) & project.corpus.has_text).sum())
    return Adopted(len(state.topics), unassigned, sum(result.timings.values()))


def fit_and_adopt(
    project: Project, settings: FitSettings, progress: Progress | None = None
) -> Adopted:
    """Fit and adopt in one go, for the CLI and scripts."""
    return adopt(project, fit(project, settings, progress), settings)
