"""The import dialog on real spreadsheets and on files it cannot read."""

from __future__ import annotations

import pandas as pd
from PySide6.QtWidgets import QDialogButtonBox

from topicdesk.gui.dialogs.import_dialog import NONE, PREVIEW_ROWS, ImportDialog

ARTICLE_COLUMNS = ["para_id", "president", "party", "date", "text"]  # as articles_csv writes them


def ok_enabled(dialog: ImportDialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()


def test_csv_preview_suggests_the_text_column(articles_csv, qtbot):
    dialog = ImportDialog(articles_csv)
    qtbot.addWidget(dialog)
    assert dialog.sheet_combo.isHidden()
    assert dialog.text_combo.currentText() == "text"
    assert dialog.date_combo.currentText() == "date"
    assert dialog.group_combo.currentText() == "party"
    assert dialog.preview.rowCount() == PREVIEW_ROWS and dialog.preview.columnCount() == 5
    header = dialog.preview.horizontalHeader()
    names = [dialog.preview.horizontalHeaderItem(header.logicalIndex(v)).text() for v in range(5)]
    assert names[0] == "text" and names[1:] == [c for c in ARTICLE_COLUMNS if c != "text"]
    dialog.text_combo.setCurrentText("party")  # another choice comes first, the rest in order
    names = [dialog.preview.horizontalHeaderItem(header.logicalIndex(v)).text() for v in range(5)]
    assert names[0] == "party" and names[1:] == [c for c in ARTICLE_COLUMNS if c != "party"]
    dialog.text_combo.setCurrentText("text")
    assert dialog.counts.text().startswith("150 rows · 0 empty texts")
    assert ok_enabled(dialog)
    dialog.group_combo.setCurrentText(NONE)
    dialog.accept()
    assert dialog.corpus is not None and len(dialog.corpus) == 150
    assert dialog.corpus.text_column == "text" and dialog.corpus.group_column is None
    assert dialog.corpus.date_column == "date"


def test_workbook_sheets_and_empty_texts(sotu_slice, tmp_path, qtbot):
    path = tmp_path / "survey.xlsx"
    answers = sotu_slice.head(40)[["para_id", "president", "text"]].copy()
    answers.loc[[3, 7, 11], "text"] = ""
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"about": ["codebook", "v2"]}).to_excel(
            writer, sheet_name="Notes", index=False
        )
        answers.to_excel(writer, sheet_name="Answers", index=False)
    dialog = ImportDialog(path)
    qtbot.addWidget(dialog)
    assert not dialog.sheet_combo.isHidden()
    assert [dialog.sheet_combo.itemText(i) for i in range(dialog.sheet_combo.count())] == [
        "Notes",
        "Answers",
    ]
    dialog.sheet_combo.setCurrentText("Answers")
    assert dialog.text_combo.currentText() == "text"
    assert dialog.counts.text().startswith("40 rows · 3 empty texts")
    dialog.accept()
    assert dialog.corpus is not None and len(dialog.corpus) == 40
    assert int(dialog.corpus.has_text.sum()) == 37


def test_unreadable_file_explains_itself_and_cannot_be_imported(tmp_path, qtbot):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    dialog = ImportDialog(path)
    qtbot.addWidget(dialog)
    assert not dialog.error.isHidden()
    assert dialog.error.text().endswith(".") and "broken.xlsx" in dialog.error.text()
    assert not ok_enabled(dialog)
    assert dialog.corpus is None


def test_column_without_text_disables_import(tmp_path, qtbot):
    path = tmp_path / "codes.csv"
    pd.DataFrame(
        {
            "id": ["1", "2", "3"],
            "answer": ["we need more buses", "", "cheaper rent please"],
            "blank": ["", "", ""],
        }
    ).to_csv(path, index=False)
    dialog = ImportDialog(path)
    qtbot.addWidget(dialog)
    assert dialog.text_combo.currentText() == "answer"
    dialog.text_combo.setCurrentText("blank")
    assert not ok_enabled(dialog) and "empty" in dialog.error.text()
    dialog.text_combo.setCurrentText("answer")
    assert ok_enabled(dialog) and dialog.error.isHidden()
