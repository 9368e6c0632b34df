"""What kind of file the user gave us: the one decision every "open" goes through."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from topicdesk.errors import TopicDeskError
from topicdesk.io.readers import DELIMITED, SUPPORTED, WORKBOOKS

PROJECT_SUFFIX = ".topicdesk"
SPREADSHEET_SUFFIXES = DELIMITED | WORKBOOKS
SQLITE_MAGIC = b"SQLite format 3\x00"


class FileKind(Enum):
    PROJECT = "project"
    SPREADSHEET = "spreadsheet"


def _starts_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def file_kind(path: str | Path) -> FileKind:
    """A project (by suffix, or an SQLite file under another name) or a spreadsheet."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == PROJECT_SUFFIX:
        return FileKind.PROJECT
    if suffix in SPREADSHEET_SUFFIXES:
        return FileKind.SPREADSHEET
    if _starts_like_sqlite(path):
        return FileKind.PROJECT
    raise TopicDeskError(
        f"{path.name} is neither a TopicDesk project nor a spreadsheet TopicDesk reads; "
        f"open a {PROJECT_SUFFIX} file or one of: {SUPPORTED}."
    )


def with_project_suffix(path: str | Path) -> Path:
    """The path with ``.topicdesk`` added when the user typed a name without it."""
    path = Path(path)
    return (
        path
        if path.suffix.lower() == PROJECT_SUFFIX
        else path.with_name(path.name + PROJECT_SUFFIX)
    )


def require_project_output(path: str | Path) -> Path:
    """Refuse an output name that is not a project file (the CLI's ``-o``)."""
    path = Path(path)
    if path.suffix.lower() != PROJECT_SUFFIX:
        raise TopicDeskError(
            f"The output must be a {PROJECT_SUFFIX} file, for example results{PROJECT_SUFFIX}."
        )
    return path
