"""Opening the spreadsheets social scientists actually have, as tables and corpora.

Every failure is a :class:`TopicDeskError` in one sentence, because the person importing
a file cannot act on a parser's traceback. Rows whose fields do not match the header
never stop an import: short rows are padded and extra fields become extra columns.
"""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

import pandas as pd

from topicdesk.core.corpus import Corpus
from topicdesk.errors import TopicDeskError
from topicdesk.io import text_files
from topicdesk.io.workbooks import Workbook

DELIMITED = frozenset({".csv", ".tsv", ".txt"})
WORKBOOKS = frozenset({".xlsx", ".xlsm", ".ods"})
SUPPORTED = ", ".join(sorted(DELIMITED | WORKBOOKS))
NUMBERISH = re.compile(r"^[\s\d.,:;/%+\-−()€$£]*$")
SCORED_ROWS = 2000


def _checked(path: str | Path) -> Path:
    """The path, if it names a non-empty file of a supported kind."""
    path = Path(path)
    if not path.exists():
        raise TopicDeskError(f"The file {path} does not exist; check the name and the folder.")
    if path.is_dir():
        raise TopicDeskError(f"{path} is a folder; choose a spreadsheet file inside it.")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise TopicDeskError(
            f"{path.name} is an old-style .xls workbook; open it in Excel or LibreOffice "
            "and save it as .xlsx."
        )
    if suffix not in DELIMITED | WORKBOOKS:
        raise TopicDeskError(f"{path.name} is not a supported spreadsheet; use one of {SUPPORTED}.")
    if path.stat().st_size == 0:
        raise TopicDeskError(f"{path.name} is empty; choose a file with a header and documents.")
    return path


def _blank(value: object) -> bool:
    """True for empty cells: None, NaN and whitespace."""
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is None or not str(value).strip()


def _unique_names(header: list[object]) -> list[str]:
    """Column names from a header row: blanks become 'column N', repeats 'name (2)'."""
    names: list[str] = []
    seen: set[str] = set()
    for i, value in enumerate(header):
        base = "" if value is None else str(value).strip()
        base = base or f"column {i + 1}"
        name, n = base, 2
        while name in seen:
            name, n = f"{base} ({n})", n + 1
        seen.add(name)
        names.append(name)
    return names


def _frame(rows: list[list[object]], fill: object, name: str) -> pd.DataFrame:
    """A table from a header row and data rows.

    Short rows are padded with ``fill``; fields beyond the header become extra columns
    named 'column N'. Trailing columns with neither a header nor any value are dropped,
    since spreadsheet programs leave them behind from formatting.
    """
    if not rows:
        raise TopicDeskError(
            f"{name} holds no rows; it needs a header row and one row per document."
        )
    width = max((i + 1 for row in rows for i, v in enumerate(row) if not _blank(v)), default=0)
    header = (list(rows[0]) + [None] * width)[:width]
    data = [(list(row) + [fill] * width)[:width] for row in rows[1:]]
    if not data:
        raise TopicDeskError(
            f"{name} has a header row but no documents; add one row per document below the header."
        )
    return pd.DataFrame(data, columns=_unique_names(header), dtype=object)


def list_sheets(path: str | Path) -> list[str]:
    """Worksheet names of a workbook in order; an empty list for delimited text files."""
    path = _checked(path)
    if path.suffix.lower() in DELIMITED:
        return []
    with Workbook(path) as book:
        return book.sheet_names


def _read(path: Path, sheet: str | None, nrows: int | None) -> tuple[pd.DataFrame, str | None]:
    if path.suffix.lower() in DELIMITED:
        if sheet is not None:
            raise TopicDeskError(
                f"{path.name} is a text file without sheets; leave the sheet empty."
            )
        return _frame(text_files.read_rows(path, nrows), "", path.name), None
    with Workbook(path) as book:
        rows, name = book.read_rows(sheet, nrows)
    return _frame(rows, None, f"Sheet '{name}' of {path.name}"), name


def read_table(
    path: str | Path, sheet: str | None = None, nrows: int | None = None
) -> pd.DataFrame:
    """Every original column in order, under unique string names.

    Text files give every cell as the string written (empty cells as ''); workbooks keep
    cell types (empty cells None). ``sheet`` None means the first sheet; ``nrows`` limits
    the data rows read, for quick previews. Rows with no value at all are skipped.
    """
    return _read(_checked(path), sheet, nrows)[0]


def _wordy(text: str) -> bool:
    """Several words, or one long run of letters (scripts written without spaces)."""
    if len(text.split()) > 1:
        return True
    letters = sum(c.isalpha() for c in text)
    return letters >= 10 and letters >= 0.8 * len(text)


def _text_score(values: pd.Series) -> float:
    """How much a column looks like prose: long cells of several words score high.

    Columns whose filled cells are mostly numbers, dates or non-text values score 0, and
    so do columns of codes and ids; single-word cells (categories) count for little.
    """
    filled = [v for v in values if not _blank(v)]
    prose = [
        v.strip()
        for v in filled
        if isinstance(v, str) and not NUMBERISH.match(v) and any(c.isalpha() for c in v)
    ]
    if not prose or len(prose) < 0.5 * len(filled):
        return 0.0
    wordy = sum(map(_wordy, prose)) / len(prose)
    if wordy == 0:
        return 0.0
    return sum(len(s) for s in prose) / len(prose) * (0.1 + wordy)


def suggest_text_column(df: pd.DataFrame) -> str:
    """The column with the longest texts, which is nearly always the one to analyse."""
    scores = {str(col): _text_score(df[col].head(SCORED_ROWS)) for col in df.columns}
    best = max(scores, key=scores.__getitem__, default=None)
    if best is None or scores[best] == 0:
        raise TopicDeskError(
            "No column holds text; check that the file has a column of written answers "
            "or documents."
        )
    return best


def explain_missing_text(
    path: str | Path, sheet: str | None, error: TopicDeskError
) -> TopicDeskError:
    """``error``, or a clearer one when the sheet holds formulas whose results were never saved.

    Such cells read as empty, so a column the user sees full of text in Excel would
    otherwise be reported as having none.
    """
    path = Path(path)
    if path.suffix.lower() not in WORKBOOKS:
        return error
    with Workbook(path) as book:
        name = sheet if sheet is not None else book.sheet_names[0]
        cell = book.uncalculated_formula(name)
    if cell is None:
        return error
    return TopicDeskError(
        f"Sheet '{name}' of {path.name} has formulas whose results were never saved (for "
        f"example in cell {cell}), so they read as empty; open the file in Excel or "
        "LibreOffice, save it and try again."
    )


def _file_hash(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def load_corpus(
    path: str | Path,
    sheet: str | None = None,
    text_column: str | None = None,
    date_column: str | None = None,
    group_column: str | None = None,
) -> Corpus:
    """Read a spreadsheet into a corpus, suggesting the text column if none is named."""
    path = _checked(path)
    table, sheet_name = _read(path, sheet, None)
    for role, column in (("text", text_column), ("date", date_column), ("group", group_column)):
        if column is not None and column not in table.columns:
            some = ", ".join(map(str, list(table.columns)[:8]))
            raise TopicDeskError(
                f"There is no {role} column named '{column}' in {path.name}; "
                f"its columns are: {some}."
            )
    try:
        suggested = text_column or suggest_text_column(table)
    except TopicDeskError as exc:
        raise explain_missing_text(path, sheet_name, exc) from None
    corpus = Corpus(
        table=table,
        text_column=suggested,
        source_name=path.name,
        source_hash=_file_hash(path),
        sheet=sheet_name,
        date_column=date_column,
        group_column=group_column,
    )
    if not corpus.has_text.any():
        empty = TopicDeskError(
            f"The column '{corpus.text_column}' is empty in every row; choose the column that "
            "holds the documents."
        )
        raise explain_missing_text(path, sheet_name, empty)
    if all(NUMBERISH.match(text) for text in corpus.texts):
        raise TopicDeskError(
            f"The column '{corpus.text_column}' holds only numbers and dates, which have no "
            "topics; choose the column that holds the written texts."
        )
    return corpus
