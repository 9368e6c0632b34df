"""Filters of the corpus table by the data's variables: some groups, a range of dates.

The masks come from the application layer (``rows_in_groups``, ``rows_between``); this
widget only asks which values and says what is applied.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QMenu, QToolButton, QWidget

from topicdesk.application import variables
from topicdesk.core.project import Project
from topicdesk.errors import TopicDeskError


def _day(value: QDate) -> np.datetime64:
    return np.datetime64(value.toString("yyyy-MM-dd"), "D")


class VariableFilters(QWidget):
    """A group menu and a date range; ``changed`` is sent when the rows they allow change."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._project: Project | None = None
        self.has_groups = self.has_dates = False
        self.groups = QToolButton(text="All groups")
        self.groups.setPopupMode(QToolButton.InstantPopup)
        self.groups.setToolTip("Show only documents of the groups ticked here")
        self._menu = QMenu(self.groups)
        self._menu.triggered.connect(lambda _a: self._groups_changed())
        self.groups.setMenu(self._menu)
        self.dated = QCheckBox("Dated")
        self.dated.setToolTip("Show only documents dated between these two days")
        self.start, self.end = QDateEdit(calendarPopup=True), QDateEdit(calendarPopup=True)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self.dated.isChecked() and self.changed.emit())
        self.dated.toggled.connect(lambda _on: self._dates_changed())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.groups, self.dated, self.start, self.end):
            row.addWidget(widget)
        self.set_project(None)

    def set_project(self, project: Project | None) -> None:
        """Offer the groups and the date span of this project's variables (none: hidden)."""
        self._project = project
        corpus = project.corpus if project is not None else None
        self._menu.clear()
        names: list[str] = []
        if corpus is not None and corpus.group_column:
            try:
                names = list(variables.group_categories(project).names)
            except TopicDeskError:
                names = []
        for name in names:
            action = self._menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(True)
        self.has_groups = bool(names)
        self.groups.setVisible(self.has_groups)
        self.groups.setText("All groups")
        span = self._date_span()
        self.has_dates = span is not None
        for widget in (self.dated, self.start, self.end):
            widget.setVisible(self.has_dates)
        self.dated.blockSignals(True)
        self.dated.setChecked(False)
        self.dated.blockSignals(False)
        if span is not None:
            for edit in (self.start, self.end):
                edit.blockSignals(True)
                edit.setDateRange(*span)
            self.start.setDate(span[0])
            self.end.setDate(span[1])
            for edit in (self.start, self.end):
                edit.blockSignals(False)
        self._dates_changed(emit=False)

    def _date_span(self) -> tuple[QDate, QDate] | None:
        project = self._project
        if project is None or not project.corpus.date_column:
            return None
        dates = variables.parsed_dates(project)
        if dates is None:
            return None
        known = dates.dates[~np.isnat(dates.dates)]
        if not len(known):
            return None
        first, last = (str(d.astype("datetime64[D]")) for d in (known.min(), known.max()))
        return QDate.fromString(first, "yyyy-MM-dd"), QDate.fromString(last, "yyyy-MM-dd")

    def _ticked(self) -> list[str]:
        return [a.text() for a in self._menu.actions() if a.isChecked()]

    def _groups_changed(self) -> None:
        ticked, total = self._ticked(), len(self._menu.actions())
        self.groups.setText(
            "All groups" if len(ticked) == total else f"{len(ticked)} of {total} groups"
        )
        self.changed.emit()

    def _dates_changed(self, emit: bool = True) -> None:
        self.start.setEnabled(self.dated.isChecked())
        self.end.setEnabled(self.dated.isChecked())
        if emit:
            self.changed.emit()

    def mask(self) -> np.ndarray | None:
        """Rows the filters allow, or None when they allow every row."""
        project = self._project
        if project is None:
            return None
        keep = None
        ticked = self._ticked()
        if self.has_groups and len(ticked) < len(self._menu.actions()):
            keep = variables.rows_in_groups(project, ticked)
        if self.has_dates and self.dated.isChecked():
            dated = variables.rows_between(project, _day(self.start.date()), _day(self.end.date()))
            keep = dated if keep is None else keep & dated
        return keep

    def describe(self) -> list[str]:
        """The filters applied, in words for the table's count."""
        out = []
        if self.has_groups and self.groups.text() != "All groups":
            out.append(self.groups.text())
        if self.has_dates and self.dated.isChecked():
            start, end = (e.date().toString("yyyy-MM-dd") for e in (self.start, self.end))
            out.append(f"{start} to {end}")
        return out
