"""Starting, opening and describing projects."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from topicdesk.application.files import FileKind, file_kind
from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings, suggest_min_topic_size
from topicdesk.core.state import BY_HUMAN


def suggested_settings(corpus: Corpus, base: FitSettings | None = None) -> FitSettings:
    """Settings a newcomer can trust for this corpus (the minimum topic size scales with it)."""
    base = base or FitSettings()
    return base.replace(min_topic_size=suggest_min_topic_size(int(corpus.has_text.sum())))


def start_project(corpus: Corpus) -> Project:
    """A new, unfitted project with settings suggested for its corpus."""
    project = Project(corpus)
    project.settings = suggested_settings(corpus, project.settings)
    return project


def open_project(path: str | Path) -> Project:
    """Read a saved project (checked, never executed)."""
    from topicdesk.project.store import open_project as read

    return read(path)


def open_any(
    path: str | Path,
    sheet: str | None = None,
    text_column: str | None = None,
    date_column: str | None = None,
    group_column: str | None = None,
) -> tuple[Project, bool]:
    """A project from a project file or a spreadsheet; True when it came from a project file.

    Column and sheet choices only apply to spreadsheets: a project already has them.
    """
    from topicdesk.errors import TopicDeskError
    from topicdesk.io.readers import load_corpus

    if file_kind(path) is FileKind.PROJECT:
        if sheet or text_column:
            raise TopicDeskError(
                "A sheet or text column applies to spreadsheets; a project already has its text column."
            )
        return open_project(path), True
    corpus = load_corpus(path, sheet, text_column, date_column, group_column)
    return start_project(corpus), False


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class ProjectSummary:
    """The counts a researcher needs to read any other number in the app correctly."""

    rows: int
    empty_texts: int
    distinct_texts: int
    repeated_texts: int
    fitted: bool
    topics: int
    unassigned: int
    human_edits: int

    @property
    def with_text(self) -> int:
        return self.rows - self.empty_texts

    def documents_sentence(self) -> str:
        """How many rows are analysed and why the count can differ from the table's."""
        parts = [_count(self.rows, "row")]
        if self.empty_texts:
            parts.append(f"{self.empty_texts:,} with an empty text (left without a topic)")
        if self.repeated_texts:
            parts.append(
                f"{self.repeated_texts:,} repeating another row's text word for word "
                "(each distinct text is embedded once and repeats share its topic)"
            )
        return "; ".join(parts) + f": {_count(self.distinct_texts, 'distinct text')} to embed."

    def topics_sentence(self) -> str:
        if not self.fitted:
            return "No topics yet."
        return (
            f"{self.topics:,} topics; {self.unassigned:,} of {self.with_text:,} documents "
            "with text unassigned"
        )


def summarize(project: Project) -> ProjectSummary:
    corpus, state = project.corpus, project.state
    assert state is not None
    has_text = corpus.has_text
    distinct = len(corpus.unique_texts()[0])
    empty = int((~has_text).sum())
    return ProjectSummary(
        rows=len(corpus),
        empty_texts=empty,
        distinct_texts=distinct,
        repeated_texts=len(corpus) - empty - distinct,
        fitted=project.fitted,
        topics=len(state.topics),
        unassigned=int(((state.assignments < 0) & has_text).sum()),
        human_edits=sum(1 for e in project.history.log if e.action == "do"),
    )


def has_human_work(project: Project) -> bool:
    """True if a person changed the topics since they were fitted, or assigned documents."""
    state = project.state
    return bool(
        project.fitted
        and (
            project.history.can_undo
            or any(t.label_is_human or t.note for t in state.topics.values())
            or state.doc_notes
            or BY_HUMAN in state.assigned_by
        )
    )
