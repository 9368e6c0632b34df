"""The validation results: every score in tables, the results in words, and a co-researcher's copy.

The tables are the report's (``application.validation_results``), so what the researcher
reads here is what the report and the workbook will say.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from topicdesk.application import validation as val
from topicdesk.application.methods import validation_sentences
from topicdesk.application.projects import open_project
from topicdesk.application.validation_results import validation_tables
from topicdesk.core.project import Project
from topicdesk.errors import TopicDeskError
from topicdesk.io.report import Table


class ValidationResultsView(QWidget):
    """Tables of scores and the results in words; ``refresh`` redraws them from the project."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self._layout.addWidget(self.summary)
        self.tables: list[QTableWidget] = []
        self.refresh()

    def refresh(self) -> None:
        for table in self.tables:
            self._layout.removeWidget(table)
            table.deleteLater()
        self.tables = []
        sentences = validation_sentences(self.project)
        self.summary.setText(
            "\n\n".join(sentences)
            or "No results yet: take an intrusion test or code a blind sample first."
        )
        for table in validation_tables(self.project):
            widget = _table_widget(table)
            self._layout.addWidget(widget, 1)
            self.tables.append(widget)


def _table_widget(table: Table) -> QTableWidget:
    widget = QTableWidget(len(table.rows), len(table.columns))
    widget.setHorizontalHeaderLabels(table.columns)
    widget.setToolTip(table.note)
    widget.setAccessibleName(table.caption)
    widget.setEditTriggers(QAbstractItemView.NoEditTriggers)
    widget.verticalHeader().setVisible(False)
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row):
            widget.setItem(i, j, QTableWidgetItem(cell))
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    return widget


class ValidationResultsDialog(QDialog):
    """The results view in a window, with a button to add a co-researcher's answers."""

    changed = Signal()

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Validation results")
        self.resize(900, 640)
        self.project = project
        layout = QVBoxLayout(self)
        self.view = ValidationResultsView(project)
        layout.addWidget(self.view, 1)
        self.combine_button = QPushButton("Add a co-researcher's answers…")
        self.combine_button.setToolTip(
            "Open the copy of this project in which a second researcher took the same tests."
        )
        self.combine_button.clicked.connect(self.combine)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.addButton(self.combine_button, QDialogButtonBox.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def combine(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open the co-researcher's copy", "", "TopicDesk projects (*.topicdesk)"
        )
        if not path:
            return
        try:
            added = val.combine_validation(self.project, open_project(path))
        except TopicDeskError as exc:
            tell(self, "Could not add the answers", str(exc), QMessageBox.Warning)
            return
        self.view.refresh()
        self.changed.emit()
        tell(
            self,
            "Answers added",
            f"Added the answers of {', '.join(added)}." if added else "That copy held no answers.",
        )


def tell(parent: QWidget, title: str, text: str, icon=QMessageBox.Information) -> None:
    """A message in a box of its own (one sentence from a TopicDeskError, or a confirmation)."""
    box = QMessageBox(icon, title, text, QMessageBox.Ok, parent)
    box.exec()
