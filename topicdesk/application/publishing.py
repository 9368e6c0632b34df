"""Publishing a project: the methods report, REFI-QDA files and the workbook with validation.

Both faces call these: *File › Export report…* and ``topicdesk report PROJECT -o
report.html`` call :func:`write_report`; *File › Export for QDA software…* and
``topicdesk export PROJECT -o out.qdpx`` call :func:`export_any`, which picks the
format from the file name (.qdpx, .qdc, .html, .xlsx or .csv).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from topicdesk import __version__
from topicdesk.application import stability_check, variables
from topicdesk.application import validation as val
from topicdesk.application.methods import REFERENCES, methods_paragraphs
from topicdesk.application.validation_results import (
    coding_rows,
    intrusion_rows,
    validation_frame,
    validation_tables,
)
from topicdesk.core.palette import UNASSIGNED_COLOUR
from topicdesk.core.project import Project
from topicdesk.core.state import UNASSIGNED
from topicdesk.errors import TopicDeskError
from topicdesk.io import figures, qdpx
from topicdesk.io.report import CodebookEntry, Figure, Report
from topicdesk.io.report import write_report as write_html

EXCERPT = 320  # characters of a typical document shown in the codebook
MAX_GROUPS = 12  # groups drawn in the by-group figure (the workbook has all)


def _require_topics(project: Project) -> None:
    if project.state is None or not project.fitted or not project.state.topics:
        raise TopicDeskError("There are no topics to publish yet; fit topics first.")


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rsplit(" ", 1)[0] + " …"


def codebook_entries(project: Project) -> list[CodebookEntry]:
    """One entry per topic: name, definition (its note), keywords, size, share, examples."""
    state, texts = project.state, project.corpus.texts
    assert state is not None
    sizes, shares = state.sizes(), project.topic_shares()
    entries = []
    for topic in state.sorted_topics():
        stability = getattr(topic, "stability", None)
        entries.append(
            CodebookEntry(
                id=topic.id,
                name=topic.label,
                definition=topic.note.strip(),
                keywords=list(topic.keywords),
                size=sizes.get(topic.id, 0),
                share=shares[topic.id],
                stability=None if stability is None else float(stability),
                colour=topic.colour,
                examples=[_excerpt(texts[r]) for r in topic.representatives[:3] if texts[r]],
                left_out=None if topic.left_out is None else topic.left_out.share,
                left_out_stability=None if topic.left_out is None else topic.left_out.stability,
                left_out_shares=None if topic.left_out is None else topic.left_out.held(),
            )
        )
    return entries


# ----- figures -----------------------------------------------------------------------
def map_figure(project: Project) -> Figure | None:
    """The document map with each topic's number and a legend (None before a fit)."""
    coords = project.row_coords()
    state = project.state
    if not np.isfinite(coords).any():
        return None
    sizes = state.sizes()
    topics = [
        figures.MapTopic(t.id, t.label, t.colour, sizes.get(t.id, 0)) for t in state.sorted_topics()
    ]
    svg = figures.map_svg(coords, state.assignments, topics)
    return Figure(
        "The documents on a two-dimensional UMAP map, coloured by topic; numbers mark each "
        "topic's centre and match Table S1. Grey: documents without a topic.",
        svg,
        "Distances on the map are approximate: neighbours are similar, but the space between "
        "distant groups carries little meaning.",
    )


def _panels(project: Project, table, limit: int | None = None) -> list[figures.Panel]:
    state = project.state
    panels = []
    unsteady = stability_check.unsteady_topics(project)
    order = [t for t in table.topic_ids if t != UNASSIGNED] + [UNASSIGNED]
    for topic_id in order:
        j = table.column(int(topic_id))
        topic = state.topics.get(int(topic_id))
        title = f"{topic_id}  {topic.label}" if topic else "Unassigned"
        colour = topic.colour if topic else UNASSIGNED_COLOUR
        cut = slice(None, limit)
        mark = stability_check.UNSTEADY if topic_id in unsteady else ""
        panels.append(
            figures.Panel(
                title,
                colour,
                table.shares[cut, j],
                table.low[cut, j],
                table.high[cut, j],
                mark,
                None if topic is None else topic.id,
            )
        )
    return panels


def _unsteady_note(project: Project, panels: list[figures.Panel]) -> str:
    """What the figures' "†" means, where a drawn panel carries one."""
    ids = [p.topic_id for p in panels[: figures.MAX_PANELS] if p.topic_id is not None]
    note = stability_check.unsteady_note(project, ids)
    return f" {note[:-1]} (Table S1)." if note else ""


def prevalence_figures(project: Project) -> list[Figure]:
    """Topics over time and by group, where the project's date and group columns are set."""
    out = []
    cut = (
        " Only the first 24 topics are drawn; the workbook's sheets hold all."
        if len(project.state.topics) >= figures.MAX_PANELS
        else ""
    )
    try:
        dates = variables.parsed_dates(project)
        groups = variables.group_categories(project)
    except TopicDeskError:
        return out
    if dates is not None:
        table = variables.prevalence_over_time(project)
        if len(table.categories) > 1:
            panels = _panels(project, table)
            svg = figures.panels_svg(
                table.categories,
                panels,
                "share of the period's documents",
                dates=table.starts,
            )
            out.append(
                Figure(
                    f"Each topic's share of the documents per {table.period} "
                    f"(column '{project.corpus.date_column}'), with 95% Wilson intervals.",
                    svg,
                    (
                        f"{table.left_out:,} documents without a readable date are left out. "
                        if table.left_out
                        else ""
                    )
                    + f"Periods with fewer than {table.min_documents} documents have wide "
                    f"intervals.{cut}{_unsteady_note(project, panels)}",
                )
            )
    if groups is not None:
        table = variables.prevalence_by_group(project)
        shown = table.categories[:MAX_GROUPS]
        panels = _panels(project, table, MAX_GROUPS)
        svg = figures.panels_svg(
            shown,
            panels,
            "share of the group's documents",
            small=table.small[:MAX_GROUPS],
        )
        more = (
            f" The {MAX_GROUPS} largest of {len(table.categories)} groups are drawn."
            if len(table.categories) > MAX_GROUPS
            else ""
        )
        out.append(
            Figure(
                f"Each topic's share of the documents per group (column "
                f"'{project.corpus.group_column}'), with 95% Wilson intervals.",
                svg,
                f"Hollow dots: groups of fewer than {table.min_documents} documents.{more}{cut}"
                + _unsteady_note(project, panels),
            )
        )
    return out


# ----- the report and the exports ----------------------------------------------------
def build_report(project: Project) -> Report:
    """Everything the report says, gathered from the project."""
    _require_topics(project)
    corpus, provenance = project.corpus, project.provenance
    now = datetime.now(UTC).isoformat(timespec="seconds")
    source = Path(corpus.source_name).name or "the imported table"
    figures_ = [f for f in [map_figure(project)] if f is not None] + prevalence_figures(project)
    stability = any(
        getattr(t, "stability", None) is not None for t in project.state.topics.values()
    )
    left_out = sorted({t.left_out.share for t in project.state.topics.values() if t.left_out})
    facts = [
        ("Input file", source),
        ("Input SHA-256", corpus.source_hash or "not recorded"),
        ("Text column", corpus.text_column),
        ("Topics fitted", str(provenance.get("fitted_at") or "not recorded")),
        ("Embedding model", str(provenance.get("model") or project.settings.model)),
        ("Embedding precision", str(provenance.get("embedding_precision") or "float32")),
    ]
    versions = provenance.get("versions") or {}
    if isinstance(versions, dict):
        facts += [(f"Version of {k}", str(v)) for k, v in sorted(versions.items())]
    facts += [("Report written", f"{now} by TopicDesk {__version__}")]
    return Report(
        title=f"Topics in {source}: methods, codebook and validation",
        subtitle=f"Supplementary material written by TopicDesk {__version__} on {now[:10]}.",
        methods=methods_paragraphs(project),
        codebook=codebook_entries(project),
        codebook_note=(
            "Definition: the researcher's note on the topic. Keywords: the topic's top words. "
            "Typical documents: those nearest the topic's centre. Share: of all documents with "
            "text."
            + (
                " Stability: agreement of the topic with its counterparts in refits with other "
                "seeds on the same documents (mean best-match Jaccard overlap, 1 = always found "
                "exactly)"
                + (
                    f"; with {left_out[0]:.0%} left out: the same in refits that each also left "
                    f"out a different {left_out[0]:.0%} of the documents, which shows how much "
                    "the topic depends on the particular documents in the sample; under the "
                    "share, the lowest and highest share of the documents the topic's "
                    "counterpart held in those refits. Neither measures how the topic would "
                    "change in texts from another source."
                    if len(left_out) == 1
                    else "; it does not measure how the topic would change with other documents."
                )
                if stability
                else " Stability: not measured."
            )
        ),
        figures=figures_,
        validation=validation_tables(project),
        validation_text=_validation_text(project),
        references=list(REFERENCES),
        provenance=facts,
    )


def _validation_text(project: Project) -> list[str]:
    """What the tables hold and where the topics changed since (the results are in Methods)."""
    if not intrusion_rows(project) and not coding_rows(project):
        return ["No intrusion test or blind coding has been recorded in this project."]
    intro = (
        "The tables below give every score behind the validation results in the methods "
        "paragraph: for each researcher, per topic and overall, with 95% intervals. The tasks "
        "and the coding sample are saved in the project with their seeds, so a reviewer can "
        "draw them again and take the same tests."
    )
    return [intro, *val.changes_since(project)]


def write_report(project: Project, path: str | Path) -> None:
    """Write the methods report as one self-contained HTML file."""
    write_html(build_report(project), path)


def export_qdpx(project: Project, path: str | Path) -> None:
    """The project for QDA software (REFI-QDA .qdpx), with the methods text as its description."""
    _require_topics(project)
    qdpx.export_qdpx(project, path, description="\n\n".join(methods_paragraphs(project)))


def export_codebook(project: Project, path: str | Path) -> None:
    """The topics alone as a REFI-QDA codebook (.qdc)."""
    _require_topics(project)
    qdpx.export_codebook(project, path)


def export_workbook(project: Project, path: str | Path) -> None:
    """The annotated workbook with over_time, by_group and validation sheets (.xlsx), or CSV."""
    from topicdesk.io.export import export_project

    if Path(path).suffix.lower() != ".xlsx" or not project.fitted:
        export_project(project, path)  # its own checks explain a wrong name or a missing fit
        return
    sheets, notes = variables.export_sheets(project)
    sheets["validation"] = validation_frame(project)
    export_project(project, path, sheets=sheets, notes=notes)


EXPORTERS = {
    ".qdpx": export_qdpx,
    ".qdc": export_codebook,
    ".html": write_report,
    ".htm": write_report,
    ".xlsx": export_workbook,
    ".csv": export_workbook,
}


def export_any(project: Project, path: str | Path) -> None:
    """Export in the format the file name asks for."""
    exporter = EXPORTERS.get(Path(path).suffix.lower())
    if exporter is None:
        raise TopicDeskError(
            f"Cannot export to '{Path(path).suffix or Path(path).name}'; choose a name ending in "
            ".xlsx, .csv, .qdpx, .qdc or .html."
        )
    exporter(project, path)
