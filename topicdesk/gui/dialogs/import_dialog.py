"""Import dialog: choose sheet and columns while seeing the first rows of the file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from topicdesk.application import languages
from topicdesk.application.projects import start_project, summarize
from topicdesk.core.corpus import Corpus
from topicdesk.core.settings import SPEC_BY_NAME
from topicdesk.errors import TopicDeskError
from topicdesk.io.readers import (
    explain_missing_text,
    list_sheets,
    load_corpus,
    read_table,
    suggest_text_column,
)

PREVIEW_ROWS = 50
NONE = "(none)"


class ImportDialog(QDialog):
    """Shows a preview and returns the corpus the user asked for (``self.corpus``)."""

    def __init__(self, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.corpus: Corpus | None = None
        self.language: str | None = None  # the stop-word language chosen (found or overridden)
        self._found: languages.LanguageChoice | None = None
        self._table: pd.DataFrame | None = None
        self._workbook = False
        self.setWindowTitle(f"Import {self.path.name}")
        self.resize(900, 600)

        self.sheet_combo = QComboBox()
        self.text_combo = QComboBox()
        self.text_combo.setToolTip("The column whose texts TopicDesk should sort into topics")
        self.date_combo = QComboBox()
        self.date_combo.setToolTip("Optional: a date column, kept with each document")
        self.group_combo = QComboBox()
        self.group_combo.setToolTip(
            "Optional: a grouping column such as party, country or survey wave"
        )
        self.language_combo = QComboBox()
        for value, label in SPEC_BY_NAME["language"].choices:
            self.language_combo.addItem(label, value)
        self.language_combo.setToolTip(
            "Found in a sample of the texts; it sets the embedding model, the stop words and "
            "how words are split. Change it if the guess is wrong."
        )
        self.language_note = QLabel("")
        self.language_note.setWordWrap(True)
        self.language_note.setStyleSheet("color: #444;")
        self.counts = QLabel("")
        self.counts.setStyleSheet("color: #444;")
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: 600;")
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.NoEditTriggers)
        self.preview.setWordWrap(False)
        self.preview.verticalHeader().setDefaultSectionSize(22)

        form = QFormLayout()
        form.addRow("File:", QLabel(str(self.path)))
        self.sheet_label = QLabel("Sheet:")
        form.addRow(self.sheet_label, self.sheet_combo)
        form.addRow("Text column:", self.text_combo)
        form.addRow("Date column:", self.date_combo)
        form.addRow("Group column:", self.group_combo)
        form.addRow("Language:", self.language_combo)
        form.addRow("", self.language_note)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.counts)
        layout.addWidget(self.error)
        layout.addWidget(QLabel(f"First {PREVIEW_ROWS} rows:"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.buttons)

        self.text_combo.currentIndexChanged.connect(self._update_counts)
        self.text_combo.currentIndexChanged.connect(self._show_text_column)
        self.language_combo.currentIndexChanged.connect(self._describe_language)
        self.sheet_combo.currentIndexChanged.connect(self._load_sheet)
        self._load_sheets()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(False)

    def _load_sheets(self) -> None:
        try:
            sheets = list_sheets(self.path)
        except TopicDeskError as exc:
            self._fail(str(exc))
            self.sheet_label.setVisible(False)
            self.sheet_combo.setVisible(False)
            return
        self._workbook = bool(sheets)
        self.sheet_label.setVisible(self._workbook)
        self.sheet_combo.setVisible(self._workbook)
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.addItems(sheets)
        self.sheet_combo.blockSignals(False)
        self._load_sheet()

    def _sheet(self) -> str | None:
        return self.sheet_combo.currentText() if self._workbook else None

    def _load_sheet(self) -> None:
        self.error.setVisible(False)
        try:
            table = read_table(self.path, sheet=self._sheet())
            try:
                suggested = suggest_text_column(table)
            except TopicDeskError as exc:
                raise explain_missing_text(self.path, self._sheet(), exc) from None
        except TopicDeskError as exc:
            self._table = None
            self.preview.clear()
            self.preview.setRowCount(0)
            self.preview.setColumnCount(0)
            for combo in (self.text_combo, self.date_combo, self.group_combo):
                combo.clear()
            self.counts.setText("")
            self._fail(str(exc))
            return
        self._table = table
        columns = [str(c) for c in table.columns]
        for combo, options in (
            (self.text_combo, columns),
            (self.date_combo, [NONE, *columns]),
            (self.group_combo, [NONE, *columns]),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(options)
            combo.blockSignals(False)
        self.text_combo.setCurrentText(suggested)
        for combo, hints in (
            (self.date_combo, ("date", "datum", "time", "year")),
            (self.group_combo, ("party", "group", "category", "partei")),
        ):
            match = next((c for c in columns if any(h in c.lower() for h in hints)), NONE)
            combo.setCurrentText(match)
        self._fill_preview(table.head(PREVIEW_ROWS))
        self._update_counts()

    def _fill_preview(self, head: pd.DataFrame) -> None:
        self.preview.clear()
        self.preview.setColumnCount(len(head.columns))
        self.preview.setRowCount(len(head))
        self.preview.setHorizontalHeaderLabels([str(c) for c in head.columns])
        for r, row in enumerate(head.itertuples(index=False, name=None)):
            for c, value in enumerate(row):
                text = (
                    ""
                    if value is None or (isinstance(value, float) and pd.isna(value))
                    else str(value)
                )
                item = QTableWidgetItem(" ".join(text.split())[:200])
                item.setToolTip(text[:1000])
                self.preview.setItem(r, c, item)
        header = self.preview.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        self._show_text_column()

    def _show_text_column(self) -> None:
        """The chosen text column first and widest in the preview, where the eye starts (it
        was often the last column, cut off at the right)."""
        header = self.preview.horizontalHeader()
        chosen = self.text_combo.currentText()
        for c in range(self.preview.columnCount()):
            header.moveSection(header.visualIndex(c), c)  # the file's own order first
        for c in range(self.preview.columnCount()):
            is_text = self.preview.horizontalHeaderItem(c).text() == chosen
            header.resizeSection(c, 420 if is_text else 130)
            if is_text:
                header.moveSection(header.visualIndex(c), 0)

    def _update_counts(self) -> None:
        if self._table is None or not self.text_combo.currentText():
            return
        column = self._table[self.text_combo.currentText()]
        empty = int(
            column.map(
                lambda v: v is None or (isinstance(v, float) and pd.isna(v)) or not str(v).strip()
            ).sum()
        )
        self.counts.setText(
            f"{len(self._table):,} rows · {empty:,} empty texts (kept in the table, without a topic)"
            + self._long_texts(self.text_combo.currentText(), empty)
        )
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(empty < len(self._table))
        self._find_language(self.text_combo.currentText(), empty)
        if empty == len(self._table):
            self.error.setText(
                "Every cell of this column is empty; choose the column that holds the texts."
            )
            self.error.setVisible(True)
        else:
            self.error.setVisible(False)

    def _long_texts(self, column: str, empty: int) -> str:
        """What happens to texts longer than the model reads at once (with the defaults)."""
        if empty == len(self._table):
            return ""
        try:
            summary = summarize(start_project(Corpus(self._table, column)), before_fit=True)
        except (TopicDeskError, ValueError, TypeError):
            return ""
        sentence = summary.long_texts_sentence()
        return f"\n{sentence}" if sentence and summary.long_texts.long else ""

    def _find_language(self, column: str, empty: int) -> None:
        """Name the language(s) of the column's texts and choose the setting for them."""
        self._found = None
        if empty < len(self._table):
            try:
                self._found = languages.suggest(Corpus(self._table, column))
            except (TopicDeskError, ValueError, TypeError):
                self._found = None
        value = self._found.language if self._found else "english"
        self.language_combo.blockSignals(True)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(value)))
        self.language_combo.blockSignals(False)
        self._describe_language()

    def _describe_language(self) -> None:
        """The detector's finding and what the chosen language sets, in a few lines."""
        if self._found is None:
            self.language_note.setText("")
            return
        chosen = self.language_combo.currentData()
        choice = languages.LanguageChoice(
            self._found.report, chosen, languages.model_for(chosen), self._found.speeches
        )
        self.language_note.setText("\n".join(choice.sentences()))

    def accept(self) -> None:
        def optional(combo: QComboBox) -> str | None:
            return None if combo.currentText() in ("", NONE) else combo.currentText()

        try:
            self.corpus = load_corpus(
                self.path,
                sheet=self._sheet(),
                text_column=self.text_combo.currentText(),
                date_column=optional(self.date_combo),
                group_column=optional(self.group_combo),
            )
        except TopicDeskError as exc:
            self._fail(str(exc))
            return
        self.language = self.language_combo.currentData()
        super().accept()
