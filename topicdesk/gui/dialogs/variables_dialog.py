"""Project › Variables…: choose the date and group columns of an open project, no refit.

Every change of column is read at once and described in words below the choices
(dates read, cells left out with their rows, small groups), so the researcher sees what
the charts will rest on before accepting. A date column whose cells cannot tell day from
month (03/04/2015) asks which comes first.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from topicdesk.application import variables
from topicdesk.application.variables import VariablesReport
from topicdesk.core.project import Project
from topicdesk.errors import TopicDeskError

NONE = "(none)"


class VariablesDialog(QDialog):
    """Date and group columns with a live report; ``report`` holds what was applied."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Variables")
        self.project = project
        self.report: VariablesReport | None = None
        corpus = project.corpus
        columns = [str(c) for c in corpus.table.columns if c != corpus.text_column]

        self.date_combo = QComboBox()
        self.group_combo = QComboBox()
        for combo, current in (
            (self.date_combo, corpus.date_column),
            (self.group_combo, corpus.group_column),
        ):
            combo.addItem(NONE, None)
            for name in columns:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(0, combo.findData(current)))
        self.date_combo.setToolTip("The column holding each document's date")
        self.group_combo.setToolTip("A column such as party, country, outlet or survey wave")

        self.day_first = QRadioButton("Day first (03/04/2015 is 3 April)")
        self.month_first = QRadioButton("Month first (03/04/2015 is 4 March)")
        self.order = QButtonGroup(self)
        self.order.addButton(self.day_first)
        self.order.addButton(self.month_first)
        saved = project.records.get(variables.RECORD)
        answer = saved.get("day_first") if isinstance(saved, dict) else None
        (self.month_first if answer is False else self.day_first).setChecked(True)
        self.order_row = QWidget()
        order_layout = QHBoxLayout(self.order_row)
        order_layout.setContentsMargins(0, 0, 0, 0)
        order_layout.addWidget(self.day_first)
        order_layout.addWidget(self.month_first)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setMinimumWidth(460)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Date column:", self.date_combo)
        form.addRow("Day and month:", self.order_row)
        form.addRow("Group column:", self.group_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        for combo in (self.date_combo, self.group_combo):
            combo.currentIndexChanged.connect(self._check)
        self.order.buttonToggled.connect(lambda *_: self._check())
        self._ambiguous = False
        self._check()

    def choice(self) -> tuple[str | None, str | None, bool | None]:
        """The date column, the group column and the day/month answer (None if not asked)."""
        day_first = self.day_first.isChecked() if self._ambiguous else None
        return self.date_combo.currentData(), self.group_combo.currentData(), day_first

    def _check(self) -> None:
        """Read the chosen columns and say what they hold, or why they cannot serve."""
        date_column, group_column, _ = self.choice()
        ok = self.buttons.button(QDialogButtonBox.Ok)
        try:
            plain = variables.check_variables(self.project, date_column, group_column)
            self._ambiguous = plain.needs_order
            report = plain
            if self._ambiguous:
                report = variables.check_variables(
                    self.project, date_column, group_column, self.day_first.isChecked()
                )
        except TopicDeskError as exc:
            self.order_row.setEnabled(False)
            self.summary.setStyleSheet("color: #b00020;")
            self.summary.setText(str(exc))
            ok.setEnabled(False)
            return
        self.order_row.setEnabled(self._ambiguous)
        self.summary.setStyleSheet("")
        lines = plain.sentences() if self._ambiguous else report.sentences()
        if self._ambiguous:
            lines = [s for s in lines if "until you choose" not in s]
            lines.insert(  # right after the sentence on the dates, before the groups
                1,
                "No day in this column is above 12: choose whether the day or the month "
                "comes first.",
            )
        self.summary.setText(
            "\n".join(lines) or "No variables: topics are not compared by date or group."
        )
        ok.setEnabled(True)

    def accept(self) -> None:
        """Apply the choice to the project; the caller redraws and marks it changed."""
        try:
            self.report = variables.set_variables(self.project, *self.choice())
        except TopicDeskError as exc:
            self.summary.setText(str(exc))
            return
        super().accept()
