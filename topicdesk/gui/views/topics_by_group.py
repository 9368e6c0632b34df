"""Topics by group: a heatmap of shares, one topic's bars across groups, a group difference.

The heatmap is a table (topics down, groups across) whose cells carry the share as text
and as colour, so values stay readable and can be copied. Small groups (fewer than 30
documents) are marked in the header, in grey italics and in orange bars. The difference
between two chosen groups is shown for every drawn topic with its 95% interval; those
whose interval leaves out zero are drawn dark. Numbers come from
:mod:`topicdesk.application.variables`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from topicdesk.analysis.prevalence import Difference, Prevalence
from topicdesk.application import stability_check, variables
from topicdesk.core.project import Project
from topicdesk.core.selection import Selection, TopicChoice
from topicdesk.core.state import UNASSIGNED
from topicdesk.errors import TopicDeskError
from topicdesk.gui.views.chart_image import save_widget_image
from topicdesk.gui.views.selection_scope import SelectionScope
from topicdesk.gui.views.share_heatmap import ShareModel
from topicdesk.gui.views.short_names import short

SMALL_BRUSH = "#f2c6a0"
CLEAR_PEN = "#1f3b5c"
NOISE_PEN = "#a0a0a0"
TICK_WIDTH = 190  # px for group and topic names beside the bars
TICK_CHARS = 24
EXPORT_CHART_WIDTH = 520  # px of the charts beside the heatmap in a saved picture
EXPORT_MIN_HEIGHT = 560
MAX_COMPARED = 12  # rows of the difference chart: more would not leave room for their names


class TopicsByGroup(QWidget):
    """Which group talks about what: shares by group, one topic's bars, two groups compared."""

    selectionRequested = Signal(object)  # row positions

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project: Project | None = None
        self._choice: TopicChoice | None = None
        self._table: Prevalence | None = None
        self._labels: dict[int, str] = {}
        self.difference: Difference | None = None
        self._heatmap_width = 0

        self.topic = QComboBox()
        self.topic.setToolTip("The topic whose share is shown across groups")
        self.group_a = QComboBox()
        self.group_b = QComboBox()
        for combo, letters in ((self.topic, 30), (self.group_a, 14), (self.group_b, 14)):
            combo.setMinimumContentsLength(letters)  # a topic's three keywords, uncut
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(self._redraw_charts)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 0)
        for text, widget in (
            ("Topic:", self.topic),
            ("Compare", self.group_a),
            ("with", self.group_b),
        ):
            bar.addWidget(QLabel(text))
            bar.addWidget(widget)
        bar.addStretch(1)
        self.scope = SelectionScope()
        self.scope.scopeChanged.connect(lambda: self.refresh())
        scope_row = QHBoxLayout()
        scope_row.setContentsMargins(6, 0, 6, 0)
        scope_row.addWidget(self.scope)
        scope_row.addStretch(1)

        self.heatmap = QTableView()
        self.model = ShareModel()
        self.heatmap.setModel(self.model)
        self.heatmap.setSelectionMode(QAbstractItemView.NoSelection)
        self.heatmap.setWordWrap(False)
        self.heatmap.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.heatmap.horizontalHeader().setDefaultAlignment(Qt.AlignCenter)
        self.heatmap.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.heatmap.verticalHeader().setDefaultSectionSize(22)
        self.heatmap.clicked.connect(self._cell_clicked)

        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setBackground("w")
        self.bars = self.canvas.addPlot(row=0, col=0)
        self.forest = self.canvas.addPlot(row=1, col=0)
        for plot in (self.bars, self.forest):
            plot.setMenuEnabled(False)
            plot.invertY(True)
            plot.showGrid(x=True, y=False, alpha=0.15)
            plot.getAxis("left").setWidth(TICK_WIDTH)
            for side in ("left", "bottom"):
                plot.getAxis(side).setTextPen("#333333")
        self.canvas.ci.setContentsMargins(6, 6, 18, 6)
        self.canvas.setMinimumWidth(360)
        self.bars.setLabel("bottom", "Share of the group's documents (%)", color="#333333")
        self.forest.setLabel("bottom", "Difference in percentage points", color="#333333")
        self.bars.scene().sigMouseClicked.connect(self._bars_clicked)

        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555555;")
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignCenter)
        self.hint.setStyleSheet("color: #8a8a8a;")
        self.body = QSplitter(Qt.Horizontal)
        self.body.addWidget(self.heatmap)
        self.body.addWidget(self.canvas)
        self.body.setSizes([420, 480])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addLayout(scope_row)
        layout.addWidget(self.hint, 1)
        layout.addWidget(self.body, 5)
        layout.addWidget(self.note)
        self._show_hint("Fit topics to compare groups.")

    # ----- wiring ------------------------------------------------------------------
    def bind(self, selection: Selection, choice: TopicChoice) -> None:
        """Select documents through the shared selection; follow the topics chosen in the list."""
        self._choice = choice
        self.selectionRequested.connect(selection.select)
        choice.changed.connect(lambda _ids: self._draw())
        self.scope.bind(selection)

    def show_project(self, project: Project) -> None:
        """A new or refitted project: fill the group choices, then draw."""
        self._project = project
        self.scope.reset()
        self.refresh(project)

    def refresh(self, project: Project | None = None) -> None:
        """Recount after an edit and redraw; the chosen topic and groups stay."""
        project = project or self._project
        self._project = project
        self._table = None
        if project is None or not project.fitted:
            self._show_hint("Fit topics to compare groups.")
            return
        try:
            self._table = variables.prevalence_by_group(project, self.scope.rows)
        except TopicDeskError:
            self._show_hint("Choose a group column in Project › Variables… to compare groups.")
            return
        self._labels = stability_check.marked_labels(project, variables.topic_labels(project))
        self._draw()

    @property
    def table(self) -> Prevalence | None:
        return self._table

    def drawn_topics(self) -> list[int]:
        """Chosen topics (all when none is chosen), then the unassigned row."""
        if self._table is None:
            return []
        present = [int(t) for t in self._table.topic_ids if t != UNASSIGNED]
        chosen = [t for t in (self._choice.real if self._choice else []) if t in present]
        return [*(chosen or present), UNASSIGNED]

    def _show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.show()
        self.body.hide()
        self.note.setText("")

    @staticmethod
    def _refill(
        combo: QComboBox, items: list[tuple[str, object]], fallback: int, wanted: object = None
    ) -> None:
        """New items; the wanted one, else the one shown before, else ``fallback``."""
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        for data in (wanted, current):
            if data is not None and combo.findData(data) >= 0:
                combo.setCurrentIndex(combo.findData(data))
                break
        else:
            combo.setCurrentIndex(min(fallback, combo.count() - 1))
        combo.blockSignals(False)

    def _draw(self) -> None:
        table = self._table
        if table is None:
            return
        self.hint.hide()
        self.body.show()
        topics = self.drawn_topics()
        self.model.show(table, topics, self._labels)
        self._fit_heatmap()
        real = [t for t in topics if t != UNASSIGNED]
        first = self._choice.real[0] if self._choice and self._choice.real else None
        self._refill(self.topic, [(short(self._labels[t]), t) for t in real], 0, first)
        groups = [(g, i) for i, g in enumerate(table.categories)]
        self._refill(self.group_a, groups, 0)
        self._refill(self.group_b, groups, 1)
        self._redraw_charts()

    def _fit_heatmap(self) -> None:
        """Columns as wide as their header or "100.0%", the heatmap as wide as its columns
        (up to 60% of the view); measured from the texts, not by asking every cell."""
        table = self.model.table
        header = self.heatmap.horizontalHeader()
        metrics = header.fontMetrics()
        cell = self.heatmap.fontMetrics().horizontalAdvance("100.0%") + 14
        total_width = 0
        for g in range(len(table.categories)):
            text = self.model.headerData(g, Qt.Horizontal)
            wide = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 14
            width = max(cell, wide)
            header.resizeSection(g, width)
            total_width += width
        self._heatmap_width = self.heatmap.verticalHeader().sizeHint().width() + total_width + 24
        total = max(self.body.width(), 600)
        left = min(self._heatmap_width, int(total * 0.55))
        self.body.setSizes([left, total - left])

    def _redraw_charts(self, *_args) -> None:
        table = self._table
        if table is None or self.topic.currentData() is None:
            return
        self._draw_bars(int(self.topic.currentData()))
        self._draw_difference()
        small = [g for g, s in zip(table.categories, table.small) if s]
        parts = [
            (
                "Shares of each group's documents (colour: against the topic's largest share); "
                "bars and lines: 95% Wilson intervals. "
                "Differences: 95% Newcombe intervals, dark where they leave out 0 (with many "
                "topics about one in twenty does by chance)."
            ),
            f"Small groups ({', '.join(small)}): fewer than {table.min_documents} documents."
            if small
            else "",
            f"{table.left_out:,} documents without a group left out." if table.left_out else "",
            stability_check.unsteady_note(self._project, table.topic_ids) if self._project else "",
        ]
        self.note.setText(" ".join(p for p in parts if p))

    def _ticks(self, plot: pg.PlotItem, names: list[str]) -> None:
        plot.getAxis("left").setTicks([[(i, short(n, TICK_CHARS)) for i, n in enumerate(names)]])

    def _draw_bars(self, topic_id: int) -> None:
        table = self._table
        j = table.column(topic_id)
        y = np.arange(len(table.categories), dtype=float)
        share, low, high = 100 * table.shares[:, j], 100 * table.low[:, j], 100 * table.high[:, j]
        self.bars.clear()
        colour = self._project.state.topics[topic_id].colour  # as on the map
        brushes = [SMALL_BRUSH if s else colour for s in table.small]
        self.bars.addItem(
            pg.BarGraphItem(x0=0, y=y, height=0.6, width=share, brushes=brushes, pen=None)
        )
        self.bars.addItem(
            pg.ErrorBarItem(
                x=share, y=y, left=share - low, right=high - share, beam=0.25, pen="#333333"
            )
        )
        self._ticks(self.bars, table.categories)
        self.bars.setTitle(short(self._labels[topic_id], 40), color="#1a1a1a", size="10pt")
        trusted = high[~table.small] if (~table.small).any() else high
        # small groups' wide intervals run off the edge instead of squeezing the rest;
        # every bar itself stays inside
        right = max(float(np.nanmax(trusted, initial=1.0)), float(np.nanmax(share, initial=0.0)))
        self.bars.setXRange(0, max(right, 1.0), padding=0.03)
        self.bars.setYRange(-0.6, len(y) - 0.4, padding=0)

    def _draw_difference(self) -> None:
        table = self._table
        a, b = self.group_a.currentData(), self.group_b.currentData()
        self.forest.clear()
        self.difference = None
        if a is None or b is None or a == b:
            self.forest.setTitle(
                "Choose two different groups to compare", color="#8a8a8a", size="9pt"
            )
            return
        diff = variables.group_difference(self._project, table.categories[a], table.categories[b])
        self.difference = diff
        topics = self.compared_topics(diff)
        columns = [table.column(t) for t in topics]
        y = np.arange(len(topics), dtype=float)
        est, low, high = (100 * v[columns] for v in (diff.estimate, diff.low, diff.high))
        clear = diff.clear[columns]
        self.forest.addItem(pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen("#666666", width=1)))
        for mask, colour in ((clear, CLEAR_PEN), (~clear, NOISE_PEN)):
            if mask.any():
                self.forest.addItem(
                    pg.ErrorBarItem(
                        x=est[mask],
                        y=y[mask],
                        left=est[mask] - low[mask],
                        right=high[mask] - est[mask],
                        beam=0.2,
                        pen=pg.mkPen(colour, width=1.5),
                    )
                )
                self.forest.addItem(
                    pg.ScatterPlotItem(x=est[mask], y=y[mask], size=7, brush=colour, pen=None)
                )
        self._ticks(self.forest, [self._labels[t] for t in topics])
        drawn = len(self.drawn_topics()) - 1
        which = "" if len(topics) == drawn else f" ({len(topics)} largest)"
        self.forest.setTitle(
            f"{short(diff.group_a, 16)} − {short(diff.group_b, 16)}{which}",
            color="#1a1a1a",
            size="9pt",
        )
        self.forest.setYRange(-0.6, len(y) - 0.4, padding=0)

    def compared_topics(self, diff: Difference) -> list[int]:
        """The drawn topics, or the 12 with the largest differences when more are drawn,
        ordered from the largest positive difference to the largest negative one."""
        table = self._table
        topics = [t for t in self.drawn_topics() if t != UNASSIGNED]
        estimate = {t: float(diff.estimate[table.column(t)]) for t in topics}
        if len(topics) > MAX_COMPARED:
            topics = sorted(topics, key=lambda t: -abs(estimate[t]))[:MAX_COMPARED]
        return sorted(topics, key=lambda t: -estimate[t])

    # ----- requests ----------------------------------------------------------------
    def cell_clicked(self, group: int, topic_id: int) -> np.ndarray:
        """Select the documents of ``topic_id`` in the group at ``group``."""
        rows = variables.rows_in_group(self._project, group, topic_id, self.scope.rows)
        self.selectionRequested.emit(rows)
        return rows

    def _cell_clicked(self, index: QModelIndex) -> None:
        group, topic_id = self.model.cell(index)
        self.cell_clicked(group, topic_id)

    def _bars_clicked(self, event) -> None:
        if self._table is None or event.button() != Qt.LeftButton:
            return
        box = self.bars.vb
        if not box.sceneBoundingRect().contains(event.scenePos()):
            return
        point = box.mapSceneToView(event.scenePos())
        group = round(float(point.y()))
        if 0 <= group < len(self._table.categories):
            self.cell_clicked(group, int(self.topic.currentData()))

    def export_image(self, path: str) -> None:
        """Save the whole heatmap (every row and column, no scroll bars) and both charts.

        The view is laid out at the size the picture needs while it is painted, then put
        back as it was.
        """
        if self._table is None:
            raise TopicDeskError("There is no chart to save yet; choose a group column first.")
        old_size, old_sizes = self.body.size(), self.body.sizes()
        rows = self.heatmap.verticalHeader().length() + self.heatmap.horizontalHeader().height()
        charts = max(self.canvas.width(), EXPORT_CHART_WIDTH)
        height = max(EXPORT_MIN_HEIGHT, rows + 8)
        handle = self.body.handleWidth()
        off = Qt.ScrollBarAlwaysOff
        policies = (
            self.heatmap.horizontalScrollBarPolicy(),
            self.heatmap.verticalScrollBarPolicy(),
        )
        self.heatmap.setHorizontalScrollBarPolicy(off)
        self.heatmap.setVerticalScrollBarPolicy(off)
        try:
            self.body.resize(self._heatmap_width + handle + charts, height)
            self.body.setSizes([self._heatmap_width, charts])
            save_widget_image(self.body, path, "TopicDesk: topics by group")
        finally:
            self.heatmap.setHorizontalScrollBarPolicy(policies[0])
            self.heatmap.setVerticalScrollBarPolicy(policies[1])
            self.body.resize(old_size)
            self.body.setSizes(old_sizes)
