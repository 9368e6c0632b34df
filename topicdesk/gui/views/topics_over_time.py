"""Topics over time: each drawn topic's share per period, with its 95% band.

The topics chosen in the topic list are drawn, or the six largest when none is chosen
(thirty lines at once read as a tangle); bands are drawn for up to six topics, beyond
that they would hide each other. The unassigned
share and the number of documents per period sit in their own panels below, so neither
is mistaken for a topic. Hovering a point gives its counts; clicking it selects that
period's documents of that topic. Numbers come from
:func:`topicdesk.application.variables.prevalence_over_time`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from topicdesk.analysis.prevalence import Prevalence
from topicdesk.analysis.prevalence_model import TopicEffect
from topicdesk.application import stability_check, variables
from topicdesk.core.palette import PALETTE, UNASSIGNED_COLOUR
from topicdesk.core.project import Project
from topicdesk.core.selection import Selection, TopicChoice
from topicdesk.core.state import UNASSIGNED
from topicdesk.errors import TopicDeskError
from topicdesk.gui.views.chart_image import save_widget_image
from topicdesk.gui.views.selection_scope import SelectionScope
from topicdesk.gui.views.short_names import short

MAX_BANDS = 6
BIG, SMALL = pg.mkBrush("#c9d3df"), pg.mkBrush("#f2c6a0")  # documents per period: enough, few
MAX_LEGEND = 12
PERIOD_NAMES = {
    "decade": "Decade",
    "year": "Year",
    "quarter": "Quarter",
    "month": "Month",
    "week": "Week",
}


def decimal_years(starts: np.ndarray, period: str) -> np.ndarray:
    """Period starts as years with a fraction (2015.25 for April 2015), the x of the plot."""
    stamps = pd.DatetimeIndex(starts.astype("datetime64[s]"))
    if period in ("decade", "year"):
        return stamps.year.to_numpy(dtype=float)
    if period in ("quarter", "month"):
        return stamps.year.to_numpy(dtype=float) + (stamps.month.to_numpy() - 1) / 12
    return stamps.year.to_numpy(dtype=float) + (stamps.dayofyear.to_numpy() - 1) / 365.25


def percent(value: float) -> str:
    return f"{100 * value:.1f}%"


class _Line:
    """One topic's line and band, kept between redraws so an update only sets their data."""

    def __init__(self, plot: pg.PlotItem, topic_id: int, colour: str) -> None:
        self.plot = plot
        self.colour = colour
        self.lower = pg.PlotCurveItem([0.0], [0.0], pen=None)
        self.upper = pg.PlotCurveItem([0.0], [0.0], pen=None)
        fill = QColor(colour)
        fill.setAlpha(45)
        self.band = pg.FillBetweenItem(self.lower, self.upper, brush=fill)
        self.curve = pg.PlotCurveItem()
        self.curve.topic_id = topic_id
        plot.addItem(self.band)
        plot.addItem(self.curve)

    def set(self, x, share, low, high, band: bool, thin: bool) -> None:
        if band:  # a hidden band is not recomputed: half the redraw time with 40 topics
            self.lower.setData(x, low)
            self.upper.setData(x, high)
        self.band.setVisible(band)
        self.curve.setData(x, share, pen=pg.mkPen(self.colour, width=1.3 if thin else 2.2))

    def remove(self) -> None:
        for item in (self.band, self.curve):
            self.plot.removeItem(item)


class _YearAxis(pg.AxisItem):
    """Ticks as years, or as year-month when the ticks are closer than a year."""

    def tickStrings(self, values, scale, spacing):
        if spacing >= 1:
            return [str(round(float(v))) for v in values]
        out = []
        for v in values:
            year = int(np.floor(v + 1e-9))
            month = min(12, round(float(v - year) * 12) + 1)
            out.append(f"{year}-{month:02d}")
        return out


class TopicsOverTime(QWidget):
    """Shares of topics per period as lines with 95% bands, and the unassigned share apart."""

    selectionRequested = Signal(object)  # row positions
    periodChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project: Project | None = None
        self._choice: TopicChoice | None = None
        self._table: Prevalence | None = None
        self._labels: dict[int, str] = {}
        self._lines: dict[int, _Line] = {}
        self._rest_line: dict[int, _Line] = {}
        self._styles: dict[int, tuple[QPen, QBrush, QBrush]] = {}
        self._colours: dict[int, str] = {}
        self._legend_key: tuple = ()
        self._estimate_items: list = []
        self.effect: TopicEffect | None = None

        self.period = QComboBox()
        self.period.setToolTip("How finely dates are grouped; suggested from the span of the dates")
        self.period.currentIndexChanged.connect(self._period_chosen)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555555;")
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 0)
        bar.addWidget(QLabel("Period:"))
        bar.addWidget(self.period)
        self.estimate_box = QCheckBox("Model estimate")
        self.estimate_box.setToolTip(
            "A smooth estimate of the first chosen topic's share over time, per group, "
            "from a binomial model (statsmodels); its assumptions are stated below the chart"
        )
        self.estimate_box.toggled.connect(lambda _on: self._draw())
        bar.addWidget(self.estimate_box)
        self.scope = SelectionScope()
        self.scope.scopeChanged.connect(lambda: self.refresh())
        bar.addWidget(self.scope)
        bar.addWidget(self.note, 1)

        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignCenter)
        self.hint.setStyleSheet("color: #8a8a8a;")
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setBackground("w")
        self.plot = self.canvas.addPlot(row=0, col=0, axisItems={"bottom": _YearAxis("bottom")})
        self.legend = pg.LegendItem(offset=None, labelTextSize="9pt", labelTextColor="#1a1a1a")
        side = self.canvas.addLayout(row=0, col=1)  # the legend at the top, empty space below
        side.addItem(self.legend, row=0, col=0)
        side.addLabel("", row=1, col=0)
        side.layout.setRowStretchFactor(1, 1)
        self.canvas.ci.layout.setColumnMaximumWidth(1, 280)
        self.canvas.ci.setContentsMargins(6, 6, 12, 6)
        self.rest = self.canvas.addPlot(row=1, col=0, axisItems={"bottom": _YearAxis("bottom")})
        self.sizes = self.canvas.addPlot(row=2, col=0, axisItems={"bottom": _YearAxis("bottom")})
        for plot, label in (
            (self.plot, "Share of documents (%)"),
            (self.rest, "Unassigned (%)"),
            (self.sizes, "Documents"),
        ):
            plot.setLabel("left", label, color="#333333")
            plot.showGrid(x=False, y=True, alpha=0.15)
            plot.setMenuEnabled(False)
            plot.getAxis("left").setWidth(64)
            for side in ("left", "bottom"):
                plot.getAxis(side).setTextPen("#333333")
        self.rest.setXLink(self.plot)
        self._points = self._scatter(self.plot)
        self._rest_points = self._scatter(self.rest)
        self._documents = pg.BarGraphItem(x=[], height=[], width=1, pen=None)
        self.sizes.addItem(self._documents)
        self.sizes.setXLink(self.plot)
        for panel in (self.rest, self.sizes):  # room for the axis title on short screens
            panel.setMinimumHeight(120)
        grid = self.canvas.ci.layout
        grid.setRowStretchFactor(0, 5)
        grid.setRowStretchFactor(1, 2)
        grid.setRowStretchFactor(2, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.hint, 1)
        layout.addWidget(self.canvas, 5)
        self._show_hint("Fit topics to see how they change over time.")

    def _scatter(self, plot: pg.PlotItem) -> pg.ScatterPlotItem:
        """The points of every line in a panel as one item: hover tells, click selects."""
        points = pg.ScatterPlotItem(
            hoverable=True,
            hoverSize=10,
            tip=lambda x, y, data: self.tooltip(int(data[0]), int(data[1])),
        )
        points.setZValue(10)
        points.sigClicked.connect(self._clicked)
        plot.addItem(points)
        return points

    # ----- wiring ------------------------------------------------------------------
    def bind(self, selection: Selection, choice: TopicChoice) -> None:
        """Select documents through the shared selection; draw the topics chosen in the list."""
        self._choice = choice
        self.selectionRequested.connect(selection.select)
        choice.changed.connect(lambda _ids: self._draw())
        self.scope.bind(selection)

    def show_project(self, project: Project) -> None:
        """A new or refitted project: offer its periods, starting with the kept or suggested one."""
        self._project = project
        self.scope.reset()
        periods = variables.available_periods(project)
        self.period.blockSignals(True)
        self.period.clear()
        for name in periods:
            self.period.addItem(PERIOD_NAMES[name], name)
        if periods:
            self.period.setCurrentIndex(periods.index(variables.current_period(project)))
        self.period.blockSignals(False)
        self.refresh(project)

    def refresh(self, project: Project | None = None) -> None:
        """Recount after an edit (one bincount) and redraw."""
        project = project or self._project
        self._project = project
        self._table = None
        if project is None or not project.fitted:
            self._show_hint("Fit topics to see how they change over time.")
            return
        if not self.period.count():
            self._show_hint("Choose a date column in Project › Variables… to see topics over time.")
            return
        try:
            self._table = variables.prevalence_over_time(
                project, self.period.currentData(), self.scope.rows
            )
        except TopicDeskError as exc:
            self._show_hint(str(exc))
            return
        self._labels = stability_check.marked_labels(project, variables.topic_labels(project))
        self._take_colours(project)
        self._draw()

    # ----- what is drawn -----------------------------------------------------------
    @property
    def table(self) -> Prevalence | None:
        return self._table

    def drawn_topics(self) -> list[int]:
        """The chosen topics that have a column, or the largest ``MAX_BANDS`` when none is
        chosen (largest over the whole span, in the order of the topic list)."""
        if self._table is None:
            return []
        present = [int(t) for t in self._table.topic_ids if t != UNASSIGNED]
        chosen = [t for t in (self._choice.real if self._choice else []) if t in present]
        if chosen:
            return chosen
        totals = self._table.counts.sum(axis=0)
        size = {t: totals[self._table.column(t)] for t in present}
        largest = sorted(present, key=lambda t: (-size[t], t))[:MAX_BANDS]
        return [t for t in present if t in largest]

    def _show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.show()
        self.canvas.hide()
        self.note.setText("")

    def _draw(self) -> None:
        """Set the data of the kept items; items are made or dropped only as topics come and go."""
        table = self._table
        if table is None:
            return
        self.hint.hide()
        self.canvas.show()
        for item in self._estimate_items:
            self.plot.removeItem(item)
        self._estimate_items = []
        x = decimal_years(table.starts, table.period)
        self._draw_panels(x)
        if self.estimate_box.isChecked() and self._draw_estimate():
            return
        topics = self.drawn_topics()
        bands = len(topics) <= MAX_BANDS
        thin = not bands
        for topic_id in [t for t in self._lines if t not in topics]:
            self._lines.pop(topic_id).remove()
        xs, ys, data, pens, brushes = [], [], [], [], []
        for topic_id in topics:
            share = self._set_line(self.plot, self._lines, topic_id, x, bands, thin)
            self._add_points(topic_id, x, share, (xs, ys, data, pens, brushes))
        self._points.setData(
            x=np.concatenate(xs),
            y=np.concatenate(ys),
            data=data,
            pen=pens,
            brush=brushes,
            size=5 if thin else 7,
        )
        self.plot.setYRange(0, 1.06 * self._top(topics, bands), padding=0)
        self.plot.setXRange(x.min() - 0.5, x.max() + 0.5, padding=0.02)
        self._fill_legend(topics)
        caption = self._caption(len(topics), bands, len(self._table.topic_ids) - 1)
        marks = stability_check.unsteady_note(self._project, topics) if self._project else ""
        self.note.setText(f"{caption} {marks}".strip())

    def _take_colours(self, project: Project) -> None:
        """Each topic's own colour, as on the map; lines of a recoloured topic are remade."""
        colours = {t.id: t.colour for t in project.state.sorted_topics()}
        for topic_id in [t for t, c in self._colours.items() if colours.get(t) != c]:
            self._styles.pop(topic_id, None)
            if topic_id in self._lines:
                self._lines.pop(topic_id).remove()
        self._colours = {UNASSIGNED: UNASSIGNED_COLOUR, **colours}

    def _draw_panels(self, x: np.ndarray) -> None:
        """The unassigned share and the documents per period, drawn in every mode."""
        table = self._table
        share = self._set_line(self.rest, self._rest_line, UNASSIGNED, x, True, False)
        rest = ([], [], [], [], [])
        self._add_points(UNASSIGNED, x, share, rest)
        self._rest_points.setData(
            x=rest[0][0], y=rest[1][0], data=rest[2], pen=rest[3], brush=rest[4], size=7
        )
        width = np.min(np.diff(x)) * 0.8 if len(x) > 1 else 0.8
        self._documents.setOpts(
            x=x,
            height=table.totals,
            width=width,
            brushes=[SMALL if s else BIG for s in table.small],
        )
        self.rest.setYRange(0, 100 * float(np.nanmax(table.high[:, 0], initial=0.01)), padding=0.05)

    def _draw_estimate(self) -> bool:
        """The model's curve per group for the first drawn topic; False if it cannot be made."""
        topic_id = self.drawn_topics()[0]
        try:
            effect = variables.estimate_topic_effect(self._project, topic_id)
        except TopicDeskError as exc:
            self.effect = None
            self.note.setText(str(exc))
            return False
        self.effect = effect
        for line in self._lines.values():
            line.remove()
        self._lines = {}
        self._points.setData(x=[], y=[])
        self.legend.clear()
        self._legend_key = ()
        for g, name in enumerate(effect.groups):
            colour = PALETTE[g % len(PALETTE)]
            fill = QColor(colour)
            fill.setAlpha(40)
            seen = ~np.isnan(effect.estimate[g])  # only the years the group speaks in
            years = effect.years[seen]
            low = pg.PlotCurveItem(years, 100 * effect.low[g, seen], pen=None)
            high = pg.PlotCurveItem(years, 100 * effect.high[g, seen], pen=None)
            band = pg.FillBetweenItem(low, high, brush=fill)
            curve = pg.PlotCurveItem(
                years, 100 * effect.estimate[g, seen], pen=pg.mkPen(colour, width=2.2)
            )
            for item in (band, curve):
                self.plot.addItem(item)
                self._estimate_items.append(item)
            self.legend.addItem(curve, short(name))
        # Where a time holds no document of the topic the band spans 0-100%: the model
        # cannot place the share there. The axis follows the curves and the observed
        # shares instead, so such bands run off the top rather than flatten everything.
        observed = self._table.high[:, self._table.column(topic_id)]
        top = max(float(np.nanmax(effect.estimate)), float(np.nanmax(observed)), 0.0001)
        self.plot.setYRange(0, 100 * min(1.0, 1.3 * top), padding=0)
        self.plot.setXRange(effect.years[0], effect.years[-1], padding=0.02)
        skipped = ", ".join(f"{g} ({why})" for g, why in effect.left_out.items())
        self.note.setText(
            f"{self._labels.get(topic_id, topic_id)}, {effect.documents:,} documents: "
            f"{effect.assumptions} Bands that run off "
            "the top: years with no document of this topic, where the model cannot say."
            + (f" Not estimated: {skipped}." if skipped else "")
        )
        return True

    def _top(self, topics: list[int], bands: bool) -> float:
        table = self._table
        columns = [table.column(t) for t in topics]
        values = (table.high if bands else table.shares)[:, columns]
        return 100 * max(float(np.nanmax(values, initial=0.0)), 0.01)

    def _style(self, topic_id: int) -> tuple[QPen, QBrush, QBrush]:
        """One pen and two brushes (filled, hollow) per topic, shared by all its points."""
        if topic_id not in self._styles:
            colour = self._colours.get(topic_id, UNASSIGNED_COLOUR)
            self._styles[topic_id] = (
                pg.mkPen(colour, width=1.2),
                pg.mkBrush(colour),
                pg.mkBrush("w"),
            )
        return self._styles[topic_id]

    def _set_line(
        self, plot: pg.PlotItem, lines: dict, topic_id: int, x: np.ndarray, band: bool, thin: bool
    ) -> np.ndarray:
        table = self._table
        j = table.column(topic_id)
        share, low, high = 100 * table.shares[:, j], 100 * table.low[:, j], 100 * table.high[:, j]
        if topic_id not in lines:
            lines[topic_id] = _Line(plot, topic_id, self._colours.get(topic_id, UNASSIGNED_COLOUR))
        lines[topic_id].set(x, share, low, high, band, thin)
        return share

    def _add_points(self, topic_id: int, x: np.ndarray, share: np.ndarray, into) -> None:
        xs, ys, data, pens, brushes = into
        pen, filled, hollow = self._style(topic_id)
        xs.append(x)
        ys.append(share)
        data.extend((topic_id, i) for i in range(len(x)))
        pens.extend([pen] * len(x))
        brushes.extend(hollow if s else filled for s in self._table.small)

    def _fill_legend(self, topics: list[int]) -> None:
        """At most 12 names; the rest are read by hovering. Rebuilt only when they change."""
        names = [(t, short(self._labels.get(t, str(t)))) for t in topics[:MAX_LEGEND]]
        key = (tuple(names), len(topics))
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        for topic_id, name in names:
            self.legend.addItem(self._lines[topic_id].curve, name)
        if len(topics) > MAX_LEGEND:
            self.legend.addItem(pg.PlotDataItem(pen=None), f"… and {len(topics) - MAX_LEGEND} more")

    def _caption(self, n_topics: int, bands: bool, n_present: int) -> str:
        table = self._table
        parts = [
            f"The {n_topics} largest of {n_present} topics; choose topics in the list to "
            "compare others."
            if not (self._choice and self._choice.real) and n_topics < n_present
            else "",
            "Lines: share of each period's documents; shaded: 95% Wilson interval.",
            f"Hollow points and orange bars: periods of fewer than {table.min_documents} documents."
            if table.small.any()
            else "",
            "" if bands else f"Choose up to {MAX_BANDS} topics in the list to see their bands.",
            f"{table.left_out:,} documents without a readable date left out."
            if table.left_out
            else "",
        ]
        return " ".join(p for p in parts if p)

    def tooltip(self, topic_id: int, index: int) -> str:
        """What hovering a point says: topic, period, counts, share and its interval."""
        table = self._table
        j = table.column(topic_id)
        name = self._labels.get(topic_id, str(topic_id))
        small = " (few documents: read with care)" if table.small[index] else ""
        return (
            f"{name}\n{table.categories[index]}: {table.counts[index, j]:,} of "
            f"{table.totals[index]:,} documents{small}\n{percent(table.shares[index, j])} "
            f"(95% CI {percent(table.low[index, j])} to {percent(table.high[index, j])})"
        )

    # ----- requests ----------------------------------------------------------------
    def _clicked(self, _item, points, _event=None) -> None:
        if len(points):
            topic_id, index = points[0].data()
            self.point_clicked(int(topic_id), int(index))

    def point_clicked(self, topic_id: int, index: int) -> np.ndarray:
        """Select the documents of ``topic_id`` in the period at ``index``."""
        rows = variables.rows_in_period(
            self._project, self._table.period, index, topic_id, self.scope.rows
        )
        self.selectionRequested.emit(rows)
        return rows

    def _period_chosen(self, _index: int) -> None:
        period = self.period.currentData()
        if period and self._project is not None:
            variables.remember_period(self._project, period)
            self.periodChanged.emit(period)
            self.refresh()

    def point_position(self, topic_id: int, index: int):
        """Where a point is drawn, in the plot's widget coordinates (for tests and tours)."""
        plot, points = (
            (self.rest, self._rest_points) if topic_id == UNASSIGNED else (self.plot, self._points)
        )
        found = next(i for i, d in enumerate(points.data["data"]) if tuple(d) == (topic_id, index))
        x, y = points.data["x"][found], points.data["y"][found]
        scene = plot.vb.mapViewToScene(pg.Point(x, y))
        return self.canvas.mapFromScene(scene)

    def export_image(self, path: str) -> None:
        """Save the chart (all three panels and the legend) as PNG or SVG."""
        save_widget_image(self.canvas, path, "TopicDesk: topics over time")
