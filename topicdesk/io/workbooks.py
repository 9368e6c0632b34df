"""Excel (.xlsx, .xlsm) and OpenDocument (.ods) workbooks, read as rows of cell values.

Cells keep the types the workbook stores (numbers, dates, text); formulas give their
last calculated value, and a merged range gives its value in its top-left cell.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Self

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from topicdesk.errors import TopicDeskError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refuse_unreadable(path: Path) -> None:
    """Name the common reasons a workbook cannot be opened before a parser fails obscurely."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE2_MAGIC:
        raise TopicDeskError(
            f"{path.name} is password-protected (or an old .xls workbook renamed); open it "
            "in Excel, save an unprotected copy as .xlsx and try again."
        )
    if not zipfile.is_zipfile(path):
        raise TopicDeskError(
            f"{path.name} is not a real workbook; open it in a spreadsheet program "
            "and save it again as .xlsx."
        )
    if path.suffix.lower() == ".ods":
        with zipfile.ZipFile(path) as archive:
            listed = "META-INF/manifest.xml" in archive.namelist()
            manifest = archive.read("META-INF/manifest.xml") if listed else b""
        if b"encryption-data" in manifest:
            raise TopicDeskError(
                f"{path.name} is password-protected; open it in LibreOffice, save an "
                "unprotected copy and try again."
            )


class Workbook:
    """An open workbook; use as a context manager so the file is closed again."""

    def __init__(self, path: Path) -> None:
        _refuse_unreadable(path)
        self.path = path
        self._ods = path.suffix.lower() == ".ods"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # openpyxl warns about styles it skips
                if self._ods:
                    self._book = pd.ExcelFile(path, engine="odf")
                else:
                    self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        # The zip, XML and ODF layers raise many exception types on files that are not
        # workbooks; all of them mean the same thing to the user.
        except Exception as exc:
            raise TopicDeskError(
                f"{path.name} is not a readable workbook ({type(exc).__name__}); open it "
                "in a spreadsheet program and save it again as .xlsx."
            ) from exc

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._book.close()

    @property
    def sheet_names(self) -> list[str]:
        """Worksheets in order; chart sheets hold no table and are left out."""
        if self._ods:
            return [str(name) for name in self._book.sheet_names]
        return [sheet.title for sheet in self._book.worksheets]

    def _values(self, sheet: str) -> Iterator[tuple[object, ...]]:
        if self._ods:  # odf parses the whole document anyway, so there is no early stop
            frame = self._book.parse(sheet, header=None, dtype=object)
            cells = frame.astype(object).where(frame.notna(), None)
            yield from cells.itertuples(index=False, name=None)
            return
        worksheet = self._book[sheet]
        worksheet.reset_dimensions()  # some writers store wrong sheet sizes; read what is there
        yield from worksheet.iter_rows(values_only=True)

    def uncalculated_formula(self, sheet: str) -> str | None:
        """The first cell of ``sheet`` holding a formula without a saved result, if any.

        Spreadsheet programs save each formula's result, but files written by scripts
        often do not, and such cells read as empty; this names one so the user can act.
        """
        if self._ods:  # odf reads formulas' results only; there is nothing more to learn
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            formulas = openpyxl.load_workbook(self.path, read_only=True, data_only=False)
        try:
            written, results = formulas[sheet], self._book[sheet]
            written.reset_dimensions()
            rows = zip(written.iter_rows(values_only=True), results.iter_rows(values_only=True))
            for r, (cells, values) in enumerate(rows, start=1):
                for c, (cell, value) in enumerate(zip(cells, values), start=1):
                    formula = isinstance(cell, ArrayFormula) or (
                        isinstance(cell, str) and cell.startswith("=")
                    )
                    if formula and value is None:
                        return f"{get_column_letter(c)}{r}"
        # Only a hint for a message already on its way: a sheet that fails on this second
        # reading keeps that message rather than raising a new kind of error.
        except Exception:  # noqa: BLE001
            return None
        finally:
            formulas.close()
        return None

    def read_rows(
        self, sheet: str | None = None, nrows: int | None = None
    ) -> tuple[list[list[object]], str]:
        """Header and up to ``nrows`` data rows of a sheet (the first if None), and its name.

        Rows with no value in any cell are skipped.
        """
        names = self.sheet_names
        if not names:
            raise TopicDeskError(
                f"{self.path.name} has no worksheets; add a sheet with a header row and documents."
            )
        name = names[0] if sheet is None else sheet
        if name not in names:
            raise TopicDeskError(
                f"{self.path.name} has no sheet named '{name}'; its sheets are: {', '.join(names)}."
            )
        rows: list[list[object]] = []
        try:
            for values in self._values(name):
                if any(v is not None and str(v).strip() for v in values):
                    rows.append(list(values))
                if nrows is not None and len(rows) > nrows:
                    break
        except Exception as exc:  # damaged sheet XML surfaces only while reading
            raise TopicDeskError(
                f"Sheet '{name}' of {self.path.name} is damaged ({type(exc).__name__}); "
                "open the file in a spreadsheet program and save it again."
            ) from exc
        return rows, name
