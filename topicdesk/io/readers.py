"""Reading the spreadsheets social scientists actually have.

Delimited text is decoded and split here rather than by pandas' type-guessing reader,
so every cell comes back exactly as written and ragged rows never stop an import.
Workbooks keep their cell types. Every failure is a :class:`TopicDeskError` in one line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from topicdesk.core.corpus import Corpus
from topicdesk.errors import TopicDeskError

DELIMITED = {".csv", ".tsv", ".txt"}
WORKBOOKS = {".xlsx", ".xlsm", ".ods"}
SUPPORTED = ", ".join(sorted(DELIMITED | WORKBOOKS))
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DELIMITERS = (",", ";", "\t", "|")
NUMBERISH = re.compile(r"^[\s+\-]?[\d.,:/%\s-]*$")

csv.field_size_limit(2**31 - 1)


def _checked(path: str | Path) -> Path:
    path = Path(path)
    if not path.exists():
        raise TopicDeskError(f"The file {path} does not exist; check the name and folder.")
    if path.is_dir():
        raise TopicDeskError(f"{path} is a folder; choose a spreadsheet file inside it.")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise TopicDeskError(f"{path.name} is an old-style .xls workbook; open it in Excel or LibreOffice and save it as .xlsx.")
    if suffix not in DELIMITED | WORKBOOKS:
        raise TopicDeskError(f"{path.name} is not a supported spreadsheet; use one of {SUPPORTED}.")
    if path.stat().st_size == 0:
        raise TopicDeskError(f"{path.name} is empty; choose a file with a header row and documents.")
    return path


def _decode(raw: bytes) -> str:
    """Text of a delimited file: BOMs first, then UTF-8, then Windows-1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8", errors="replace")
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    elif len(raw) >= 4 and raw[1:4:2] == b"\x00\x00" and raw[0:4:2] != b"\x00\x00":
        text = raw.decode("utf-16-le", errors="replace")
    elif len(raw) >= 4 and raw[0:4:2] == b"\x00\x00" and raw[1:4:2] != b"\x00\x00":
        text = raw.decode("utf-16-be", errors="replace")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    return text.replace("\x00", "")


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:4096]
    if sample.startswith((b"PK\x03\x04", OLE2_MAGIC)):
        return True
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > len(sample) * 0.1


def _sniff_delimiter(text: str, suffix: str) -> str:
    """The delimiter that splits the first lines into the most consistent field counts."""
    sample = text[:65536]
    best, best_score = ("\t" if suffix == ".tsv" else ","), (0.0, 0)
    for delim in DELIMITERS:
        rows = []
        try:
            for i, row in enumerate(csv.reader(io.StringIO(sample), delimiter=delim)):
                if i >= 60:
                    break
                rows.append(len(row))
        except csv.Error:
            continue
        if len(rows) > 1 and len(text) > len(sample):
            rows = rows[:-1]  # the last sampled row may be cut off
        if not rows:
            continue
        mode = max(set(rows), key=rows.count)
        if mode < 2:
            continue
        score = (rows.count(mode) / len(rows), mode)
        if score > best_score:
            best, best_score = delim, score
    return best


def _unique_names(header: list[object]) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for i, value in enumerate(header):
        base = "" if value is None else str(value).strip()
        if not base or base.lower() == "nan":
            base = f"column {i + 1}"
        name, n = base, 2
        while name in seen:
            name, n = f"{base} ({n})", n + 1
        seen.add(name)
        names.append(name)
    return names


def _frame(rows: list[list[object]], fill: object) -> pd.DataFrame:
    """A table from a header row and data rows, padding short rows and naming extra fields."""
    if not rows:
        raise TopicDeskError("The file holds no rows; it needs a header row and one row per document.")
    width = max(len(r) for r in rows)
    header = list(rows[0]) + [None] * (width - len(rows[0]))
    data = [list(r) + [fill] * (width - len(r)) for r in rows[1:]]
    if not data:
        raise TopicDeskError("The file has a header row but no documents; add one row per document below the header.")
    return pd.DataFrame(data, columns=_unique_names(header), dtype=object)


def _read_delimited(path: Path, nrows: int | None) -> pd.DataFrame:
    raw = path.read_bytes()
    if _looks_binary(raw):
        raise TopicDeskError(f"{path.name} is not a text spreadsheet (it holds binary data); export it as CSV or .xlsx and try again.")
    text = _decode(raw)
    delim = _sniff_delimiter(text, path.suffix.lower())
    rows: list[list[object]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            rows.append(row)
            if nrows is not None and len(rows) > nrows:
                break
    except csv.Error as exc:
        raise TopicDeskError(f"{path.name} could not be read as a table ({exc}); check that it is a CSV file.") from exc
    return _frame(rows, "")


def _open_workbook(path: Path):
    head = path.read_bytes()[:8]
    if head == OLE2_MAGIC:
        raise TopicDeskError(
            f"{path.name} is password-protected (or an old binary workbook); open it in Excel, "
            "remove the password, save it as .xlsx and try again."
        )
    try:
        if path.suffix.lower() == ".ods":
            return pd.ExcelFile(path, engine="odf")
        import openpyxl

        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TopicDeskError(f"{path.name} is not a readable workbook; open it in a spreadsheet program and save it again.") from exc
    except Exception as exc:  # odf and openpyxl raise many kinds on damaged files
        raise TopicDeskError(f"{path.name} is damaged or not a workbook ({type(exc).__name__}); save it again as .xlsx.") from exc


def list_sheets(path: str | Path) -> list[str]:
    """Sheet names of a workbook in order; an empty list for delimited text files."""
    path = _checked(path)
    if path.suffix.lower() in DELIMITED:
        return []
    book = _open_workbook(path)
    try:
        return list(book.sheet_names) if isinstance(book, pd.ExcelFile) else list(book.sheetnames)
    finally:
        book.close()


def _read_workbook(path: Path, sheet: str | None, nrows: int | None) -> tuple[pd.DataFrame, str]:
    book = _open_workbook(path)
    try:
        names = list(book.sheet_names) if isinstance(book, pd.ExcelFile) else list(book.sheetnames)
        if not names:
            raise TopicDeskError(f"{path.name} has no worksheets.")
        name = sheet if sheet is not None else names[0]
        if name not in names:
            raise TopicDeskError(f"{path.name} has no sheet named '{name}'; its sheets are: {', '.join(names)}.")
        rows: list[list[object]] = []
        if isinstance(book, pd.ExcelFile):
            frame = book.parse(name, header=None, dtype=object, nrows=None if nrows is None else nrows + 1)
            values = frame.astype(object).where(frame.notna(), None).values.tolist()
        else:
            values = book[name].iter_rows(values_only=True)
        for row in values:
            if not any(v is not None and str(v).strip() for v in row):
                continue
            rows.append(list(row))
            if nrows is not None and len(rows) > nrows:
                break
    finally:
        book.close()
    if rows:  # drop columns that are empty in every row (trailing formatting)
        width = max((i + 1 for r in rows for i, v in enumerate(r) if v is not None and str(v).strip()), default=0)
        rows = [r[:width] for r in rows]
    table = _frame(rows, None)
    return table, name


def read_table(path: str | Path, sheet: str | None = None, nrows: int | None = None) -> pd.DataFrame:
    """Every original column in order; text files as strings, workbooks with cell types."""
    path = _checked(path)
    if path.suffix.lower() in DELIMITED:
        if sheet is not None:
            raise TopicDeskError(f"{path.name} is a text file without sheets; leave the sheet empty.")
        return _read_delimited(path, nrows)
    return _read_workbook(path, sheet, nrows)[0]


def _text_score(values: pd.Series) -> float:
    """How much a column looks like prose: long cells of several words score high.

    Numbers, dates and codes score 0; single-word cells (categories, ids) count little.
    """
    strings = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    if not strings:
        return 0.0
    prose = [s for s in strings if not NUMBERISH.match(s) and any(c.isalpha() for c in s)]
    if len(prose) < 0.5 * len(strings):
        return 0.0
    several_words = sum(1 for s in prose if len(s.split()) > 1) / len(prose)
    return (sum(len(s) for s in prose) / len(prose)) * (0.1 + several_words)


def suggest_text_column(df: pd.DataFrame) -> str:
    """The column with the longest texts, which is nearly always the one to analyse."""
    scores = {str(col): _text_score(df[col].head(2000)) for col in df.columns}
    best = max(scores, key=scores.get, default=None)
    if best is None or scores[best] == 0:
        raise TopicDeskError("No column holds text; check that the file has a column of written answers or documents.")
    return best


def load_corpus(
    path: str | Path,
    sheet: str | None = None,
    text_column: str | None = None,
    date_column: str | None = None,
    group_column: str | None = None,
) -> Corpus:
    """Read a spreadsheet into a corpus, choosing the text column if none is named."""
    path = _checked(path)
    if path.suffix.lower() in DELIMITED:
        table, sheet_name = read_table(path, sheet), None
    else:
        table, sheet_name = _read_workbook(path, sheet, None)
    for role, name in (("text", text_column), ("date", date_column), ("group", group_column)):
        if name is not None and name not in table.columns:
            some = ", ".join(map(str, list(table.columns)[:8]))
            raise TopicDeskError(f"There is no {role} column named '{name}' in {path.name}; its columns are: {some}.")
    column = text_column or suggest_text_column(table)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Corpus(
        table=table,
        text_column=column,
        source_name=path.name,
        source_hash=digest,
        sheet=sheet_name,
        date_column=date_column,
        group_column=group_column,
    )
