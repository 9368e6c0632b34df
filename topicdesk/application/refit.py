"""Refitting a project without losing the researcher's work (for the app and the CLI).

``refit_with_carry_over`` runs on a worker thread and changes nothing; ``adopt_refit``
then takes the new fit and applies the carry-over as one undoable edit on top of it, so
undo gives the plain new fit.
"""

from __future__ import annotations

from topicdesk.analysis.carryover import CarryOverPlan, plan_carry_over
from topicdesk.application.curation import keywords_for_rows
from topicdesk.core.edits import Edit
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import runner
from topicdesk.pipeline.encoders import ENCODERS, EncoderCache
from topicdesk.pipeline.progress import Progress
from topicdesk.pipeline.runner import FitResult


def refit_with_carry_over(
    project: Project,
    settings: FitSettings | None = None,
    progress: Progress | None = None,
    encoders: EncoderCache = ENCODERS,
) -> tuple[FitResult, CarryOverPlan | None]:
    """Fit again and plan what carries over from the current topics (None for a first fit).

    Nothing in ``project`` changes; the plan's ``summary_lines()`` say what will be kept
    and what cannot be.
    """
    result = runner.fit_project(project, settings, progress, encoders)
    if not project.fitted:
        return result, None
    plan = plan_carry_over(
        project.state, result.state, keywords_for=lambda rows: keywords_for_rows(project, rows)
    )
    return result, plan


def adopt_refit(project: Project, result: FitResult, plan: CarryOverPlan | None) -> Edit | None:
    """Adopt the new fit, then apply the carry-over as one step of its history; returns
    that step (for an undo stack), or None when there was nothing to carry over."""
    runner.apply_fit(project, result)
    if plan is None or plan.empty:
        return None
    return project.history.do(plan.edit)
