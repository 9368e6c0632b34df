"""Fitting topics and adopting the result, the same steps for the app and the CLI.

A fit never touches the project (it can run elsewhere while the window shows the old
topics). Adopting it takes the new topics; when the project had topics before, the
researcher's names, notes, colours and placements are carried over to the best-matching
new topics as one undoable step on top of the new fit, so undo gives the plain refit.
"""

from __future__ import annotations

from dataclasses import dataclass

from topicdesk.analysis.carryover import CarryOverPlan, plan_carry_over
from topicdesk.application.curation import keywords_for_rows
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import runner
from topicdesk.pipeline.encoders import ENCODERS, EncoderCache
from topicdesk.pipeline.progress import Progress
from topicdesk.pipeline.runner import FitResult


def fit(
    project: Project,
    settings: FitSettings,
    progress: Progress | None = None,
    encoders: EncoderCache = ENCODERS,
    resume: bool = True,
    scheduler: str | None = None,
) -> FitResult:
    """Run the pipeline without touching the project (safe on a worker or in a process).

    The app's fits resume by default: a fit of the same corpus and settings that was
    stopped or killed continues from the embeddings it left on disk, and its progress
    says so ("resuming: N of M already embedded"). With ``scheduler``, a Dask scheduler's
    address, its workers embed the chunks; like the device in ``encoders`` it says where
    the fit runs, not how, so it is not a fit setting.
    """
    return runner.fit_project(project, settings, progress, encoders, resume, scheduler)


def plan_for(project: Project, result: FitResult) -> CarryOverPlan | None:
    """What of the current topics carries over to a new fit (None before the first fit)."""
    if not project.fitted:
        return None
    return plan_carry_over(
        project.state, result.state, keywords_for=lambda rows: keywords_for_rows(project, rows)
    )


@dataclass(frozen=True)
class Adopted:
    """What adopting a fit changed, in words for a status bar or a terminal."""

    topics: int
    unassigned: int
    seconds: float
    warnings: tuple[str, ...] = ()
    placed: int = 0  # distinct texts placed by the models fitted on a sample
    distinct: int = 0

    def sentence(self) -> str:
        sampled = (
            f"; the map and topics were fitted on a sample and {self.placed:,} of "
            f"{self.distinct:,} texts ({self.placed / self.distinct:.0%}) placed from it"
            if self.placed
            else ""
        )
        return (
            f"Found {self.topics} topics in {self.seconds:.0f} s; "
            f"{self.unassigned:,} documents unassigned{sampled}"
        )


def adopt(project: Project, result: FitResult, settings: FitSettings | None = None) -> Adopted:
    """Take a finished fit into the project (on the thread that owns the project).

    Apply the carry-over :func:`plan_for` made (``plan.edit``) afterwards, through
    whatever records undoable steps (the window's undo stack, or the project's history).
    """
    runner.apply_fit(project, result, settings)
    state = project.state
    unassigned = int(((state.assignments < 0) & project.corpus.has_text).sum())
    return Adopted(
        len(state.topics),
        unassigned,
        sum(result.timings.values()),
        tuple(result.warnings),
        int(result.provenance.get("placed_from_sample") or 0),
        int(result.provenance.get("distinct_texts") or 0),
    )


def fit_and_adopt(
    project: Project,
    settings: FitSettings,
    progress: Progress | None = None,
    encoders: EncoderCache = ENCODERS,
    resume: bool = False,
    scheduler: str | None = None,
) -> tuple[Adopted, CarryOverPlan | None]:
    """Fit, adopt and carry the researcher's work over, in one go (the CLI and scripts);
    with ``resume`` an interrupted fit continues (``topicdesk fit --resume``), with
    ``scheduler`` its Dask workers embed the chunks (``--cluster``)."""
    result = fit(project, settings, progress, encoders, resume, scheduler)
    plan = plan_for(project, result)
    adopted = adopt(project, result, settings)
    if plan is not None and not plan.empty:
        project.history.do(plan.edit)
    return adopted, plan
