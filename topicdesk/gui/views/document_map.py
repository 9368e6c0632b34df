"""The document map: a scatter of every document, coloured by topic, with lasso selection.

One scatter item per topic with one shared brush (never one brush per point) keeps
100,000 points fast to draw and to recolour: an edit redraws only the topics it touches,
and labels are moved rather than rebuilt. Hit tests run in numpy. Resting the pointer on
a document shows its card (map_hover); an exported image is drawn clean (map_image).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QGuiApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from topicdesk.core.geometry import nearest_point, points_in_polygon
from topicdesk.core.palette import UNASSIGNED_COLOUR
from topicdesk.core.search import Query, Search
from topicdesk.core.selection import Selection, TopicChoice
from topicdesk.gui.views.colour_by import MapLegend, legend_entries
from topicdesk.gui.views.map_density import BLOCK_PX, FADED, MapDensity, column_colours
from topicdesk.gui.views.map_export import plain
from topicdesk.gui.views.map_hover import HoverCard, block_card_html, card_html
from topicdesk.gui.views.map_image import LegendEntry, save_map_image
from topicdesk.gui.views.map_labels import MapLabels
from topicdesk.gui.views.map_lasso import LassoViewBox, modifier_mode
from topicdesk.gui.views.map_toolbar import MapToolbar
from topicdesk.gui.views.uniform_scatter import UniformScatter

TOPIC_SIZE = 6
UNASSIGNED_SIZE = 4
HOVER_RADIUS_PX = 6
HOVER_INTERVAL_MS = 30  # the document under the pointer is looked up at most this often
LEVEL_DELAY_MS = 60  # a large map counts its blocks again once the view rests this long


class DocumentMap(QWidget):
    """Scatter of documents with topic colours, labels, hover text, lasso and word search."""

    selectionRequested = Signal(object, str)
    pointActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._coords = np.empty((0, 2), dtype=np.float32)
        self._valid = np.zeros(0, dtype=bool)
        self._topics = np.empty(0, dtype=np.int64)
        self._codes = self._topics  # what the colours show: topics, or a variable's codes
        self._colouring = None  # application.variables.Colouring, or None for topics
        self._topic_colours: dict[int, str] = {}
        self._texts: Sequence[str] = []
        self._owns_search = True
        self._labels: dict[int, str] = {}
        self._items: dict[int, UniformScatter] = {}
        self._branches: dict[int, list[int]] = {}  # topics with sub-topics: their branch
        self._chosen: set[int] = set()
        self._shown_colours: dict[int, str] = {}
        self._label_members: dict[int, np.ndarray] = {}
        self._label_codes = np.empty(0, dtype=np.int64)  # the sample's codes they were made from
        self._drawn: dict[int, tuple[str, np.ndarray]] = {}
        self._brushes: dict[int, QBrush] = {}
        self._selected_rows = np.empty(0, dtype=np.int64)
        self._found_rows: np.ndarray | None = None
        self._variables: pd.DataFrame | None = None
        self._hover_pos: QPointF | None = None
        self._card = HoverCard(self)
        self._hover_timer = QTimer(self, singleShot=True, interval=HOVER_INTERVAL_MS)
        self._hover_timer.timeout.connect(self._hover_now)

        self._view = LassoViewBox()
        self._plot = pg.PlotWidget(viewBox=self._view, background="w")
        self._plot.hideAxis("left")
        self._plot.hideAxis("bottom")
        self._plot.setAspectLocked(True)
        self._plot.hideButtons()  # pyqtgraph's small "A" does what the Reset view button does
        self._plot.setMouseTracking(True)
        self._view.lassoFinished.connect(self.lasso_select)
        self._names = MapLabels(self._view)
        self._declutter_timer = QTimer(self, singleShot=True, interval=30)
        self._declutter_timer.timeout.connect(self._names.declutter)
        self._view.sigTransformChanged.connect(lambda *_: self._declutter_timer.start())
        self._density = MapDensity(self._view)
        self._level_timer = QTimer(self, singleShot=True, interval=LEVEL_DELAY_MS)
        self._level_timer.timeout.connect(self._refresh_level)
        self._view.sigRangeChanged.connect(
            lambda *_: self._density.large and self._level_timer.start()
        )
        self._plot.scene().sigMouseClicked.connect(self._on_click)
        self._plot.scene().sigMouseMoved.connect(self._on_hover)
        self._plot.viewport().installEventFilter(self)

        self._selected = UniformScatter(  # a dark ring around each point; its colour shows through
            pxMode=True, size=TOPIC_SIZE + 3, pen=pg.mkPen("#111111", width=1.6), brush=None
        )
        self._selected.setZValue(20)
        self._highlight = pg.ScatterPlotItem(
            pxMode=True, size=TOPIC_SIZE + 1, pen=pg.mkPen("#333333", width=0.8)
        )
        self._highlight.setZValue(15)
        self._hint = pg.TextItem("Fit topics to see the map", color="#8a8a8a", anchor=(0.5, 0.5))
        for item in (self._selected, self._highlight, self._hint):
            self._view.addItem(item)

        self._build_toolbar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self._toolbar)
        layout.addWidget(self._plot, 1)

    # ----- construction -------------------------------------------------------------
    def _build_toolbar(self) -> None:
        self._toolbar = bar = MapToolbar(self)
        self.lasso_button, self.pan_button = bar.lasso_button, bar.pan_button
        self.lasso_button.toggled.connect(self._set_lasso_mode)
        bar.reset.clicked.connect(self.reset_view)
        self.search_box, self.colour_by = bar.search_box, bar.colour_by
        self.search_box.search.changed.connect(self._show_search)
        self.search, self.search_count = self.search_box.edit, self.search_box.count
        self.legend_overlay = MapLegend(self._plot)

    def _set_lasso_mode(self, on: bool) -> None:
        self._view.lasso_mode = on
        self._view.setMouseMode(pg.ViewBox.PanMode)

    # ----- data ---------------------------------------------------------------------
    def set_points(
        self,
        coords: np.ndarray,
        topic_ids: np.ndarray,
        colours: dict[int, str],
        labels: dict[int, str],
        texts: Sequence[str],
        *,
        variables: pd.DataFrame | None = None,
    ) -> None:
        """Show a new set of documents; rows without coordinates (NaN) are left out.

        ``variables`` holds the rows' other columns (date, party, ...), in the same row
        order, for the card shown on hover.
        """
        self._coords = np.asarray(coords, dtype=np.float32)
        self._valid = ~np.isnan(self._coords).any(axis=1)
        self._density.set_coords(self._coords, self._valid)
        self._drawn, self._label_members = {}, {}
        self._label_codes = np.empty(0, dtype=np.int64)
        self._texts = texts
        self._variables = variables
        self._card.dismiss()
        if self._owns_search:
            self.search_box.search.set_texts(texts)
        self._hint.setVisible(False)
        self._selected_rows = np.empty(0, dtype=np.int64)
        if self._density.large:
            self._fit_view()  # the first drawing is already the whole map's density
        self.update_topics(topic_ids, colours, labels)
        search = self.search_box.search
        self._show_search(search.query, search.rows)
        self.reset_view()

    def update_topics(
        self, topic_ids: np.ndarray, colours: dict[int, str], labels: dict[int, str]
    ) -> None:
        """Recolour after an edit: one item per topic, each with a single shared brush."""
        self._topics = np.asarray(topic_ids, dtype=np.int64)
        self._labels = dict(labels)
        self._topic_colours = dict(colours)
        self._draw()

    def set_colouring(self, colouring) -> None:
        """Colour the documents by a variable (codes, names, colours, legend), or by topic
        again with None; topic names show on the map only when colouring by topic."""
        if colouring is None and self._colouring is None:
            return  # by topic already: nothing to redraw
        self._colouring = colouring
        for item in self._items.values():
            self._view.removeItem(item)
        self._items, self._drawn = {}, {}
        self._draw()

    def _group(self, rows: np.ndarray) -> dict[int, np.ndarray]:
        rows = rows[np.argsort(self._codes[rows], kind="stable")]
        ids, starts = np.unique(self._codes[rows], return_index=True)
        return dict(zip(ids.tolist(), np.split(rows, starts[1:]))) if len(rows) else {}

    def _draw(self, choose: bool = True) -> None:
        by_topic = self._colouring is None
        self._codes = self._topics if by_topic else np.asarray(self._colouring.codes, np.int64)
        colours = self._topic_colours if by_topic else dict(enumerate(self._colouring.colours))
        self._shown_colours = colours
        if choose:
            self._density.choose()
        groups = self._group(self._density.point_rows(self._valid))
        for tid in list(self._items):
            if tid not in groups:
                self._view.removeItem(self._items.pop(tid))
                self._drawn.pop(tid, None)
        for tid, colour in [(-1, UNASSIGNED_COLOUR), *colours.items()]:
            if tid not in self._brushes or self._brushes[tid].color().name() != colour:
                self._brushes[tid] = pg.mkBrush(colour)
        moved = set()
        for tid, members in groups.items():
            colour = UNASSIGNED_COLOUR if tid < 0 else colours.get(tid, "#444444")
            if tid not in self._brushes or self._brushes[tid].color().name() != colour:
                self._brushes[tid] = pg.mkBrush(colour)
            drawn = self._drawn.get(tid)
            item = self._items.get(tid)
            if drawn is not None and item is not None and np.array_equal(drawn[1], members):
                if drawn[0] != colour:  # same documents, new colour: no new points needed
                    item.set_brush(self._brushes[tid])
                    self._drawn[tid] = (colour, members)
                continue  # an edit touches few topics: leave the others as they are
            if item is None:
                item = UniformScatter(pxMode=True, pen=None, hoverable=False)
                item.setZValue(0 if tid < 0 else 1)
                faded = self._chosen and tid not in self._chosen
                item.setOpacity(0.25 if self._found_rows is not None else FADED if faded else 1)
                self._view.addItem(item)
                self._items[tid] = item
            self._drawn[tid] = (colour, members)
            moved.add(tid)
            item.set_points(
                self._coords[members, 0],
                self._coords[members, 1],
                size=UNASSIGNED_SIZE if tid < 0 else TOPIC_SIZE,
                brush=self._brushes[tid],
                pen=None,
            )
        self._density.draw(self._codes, self._column_colours())
        if by_topic:
            self._names.place(*self._label_groups(groups, moved))
        else:
            self._names.clear()
        self._overlay(self._selected, self._selected_rows)
        if self._found_rows is not None:
            self._overlay(self._highlight, self._found_rows)

    def _label_groups(self, groups: dict[int, np.ndarray], moved: set[int]):
        """Names go at the medians of each topic's points; on a large map, of a fixed sample
        (grouped again only when its topics changed, not on every pan)."""
        if self._density.large:
            codes = self._codes[self._density.sample]
            old, old_codes = self._label_members, self._label_codes
            if len(old_codes) == len(codes) and np.array_equal(old_codes, codes):
                return old, self._coords, self._labels, set()
            groups = self._group(self._density.sample)
            moved = {t for t, m in groups.items() if t not in old or not np.array_equal(old[t], m)}
            self._label_members, self._label_codes = groups, codes
        return groups, self._coords, self._labels, moved

    def _column_colours(self) -> np.ndarray:
        faded = self._chosen if self._colouring is None else set()
        return column_colours(self._codes, self._shown_colours, faded)

    def _refresh_level(self, block_px: int = BLOCK_PX) -> None:
        """After the view rests: density counted for the new view, or the points around it."""
        self._density.block_px = block_px
        if self._density.large and self._density.choose():
            self._draw(choose=False)

    def clear(self) -> None:
        """An empty map with a hint, as before the first fit."""
        self._card.dismiss()
        self._variables = None
        for item in self._items.values():
            self._view.removeItem(item)
        self._names.clear()
        self._items, self._drawn = {}, {}
        self._coords = np.empty((0, 2), dtype=np.float32)
        self._valid = np.zeros(0, dtype=bool)
        self._density.set_coords(self._coords, self._valid)
        self._topics = self._codes = np.empty(0, dtype=np.int64)
        self._colouring = None
        self._selected_rows, self._found_rows = np.empty(0, dtype=np.int64), None
        self._selected.setData([], [])
        self._highlight.setData([], [])
        self._hint.setVisible(True)
        self._hint.setPos(0, 0)
        self._view.setRange(xRange=(-1, 1), yRange=(-1, 1))

    def _fit_view(self) -> bool:
        """Show every document with a little margin; False when there are none."""
        valid = self._coords[self._valid]
        if len(valid):
            lo, hi = valid.min(axis=0).astype(float), valid.max(axis=0).astype(float)
            pad = (hi - lo) * 0.04 + 1e-6
            self._view.setRange(
                xRange=(lo[0] - pad[0], hi[0] + pad[0]),
                yRange=(lo[1] - pad[1], hi[1] + pad[1]),
                padding=0,
            )
        return bool(len(valid))

    def reset_view(self) -> None:
        """Zoom out to show every document and every topic name shown, with a little margin."""
        if self._fit_view() and self.isVisible():  # a name near the edge is otherwise cut off
            self._names.declutter()
            self._names.make_room()
        self._refresh_level()

    # ----- selection and emphasis ---------------------------------------------------------
    def set_selection(self, rows: np.ndarray) -> None:
        """Outline the selected documents (the shared selection); emits nothing."""
        rows = np.asarray(rows, dtype=np.int64)
        self._selected_rows = rows[(rows >= 0) & (rows < len(self._coords))]
        self._overlay(self._selected, self._selected_rows)

    def _overlay(self, item: pg.ScatterPlotItem, rows: np.ndarray) -> None:
        """Draw some documents again on top: rings for the selection, filled for search hits."""
        rows = rows[self._valid[rows]]
        image = self._density.selected if item is self._selected else self._density.found
        if self._density.overlay(image, rows, self._codes, self._column_colours()):
            rows = rows[:0]  # drawn as their own density instead
        elif self._density.large and not self._density.at_density:
            rows = rows[self._density.in_window[rows]]
        self._fade_base()
        x, y = self._coords[rows, 0], self._coords[rows, 1]
        if isinstance(item, UniformScatter):
            item.set_points(x, y, size=TOPIC_SIZE + 3, brush=None, pen=item.opts["pen"])
            return
        brushes = [self._brushes.get(t) for t in self._codes[rows].tolist()]
        item.setData(x=x, y=y, brush=brushes)

    def _fade_base(self) -> None:
        """The density fades behind search hits and behind a selection drawn as density."""
        faded = self._found_rows is not None or self._density.selected.isVisible()
        self._density.base.setOpacity(
            0.25 if self._found_rows is not None else 0.35 if faded else 1
        )

    def set_branches(self, branches: dict[int, list[int]]) -> None:
        """Topics with sub-topics: choosing one emphasises its whole branch."""
        self._branches = dict(branches)

    def highlight_topics(self, topic_ids: list[int]) -> None:
        """Emphasise some topics (with their sub-topics) by fading the others; an empty list
        shows all equally."""
        chosen = {t for tid in topic_ids for t in self._branches.get(tid, [tid])}
        for tid, item in self._items.items():
            item.setOpacity(1.0 if not chosen or tid in chosen else FADED)
        if chosen != self._chosen:
            self._chosen = chosen
            self._density.draw(self._codes, self._column_colours())

    def _emphasise_rows(self, rows: np.ndarray | None) -> None:
        self._found_rows = rows
        if rows is None:
            self._highlight.setData([], [])
            self._density.found.setVisible(False)
            self._fade_base()
            for item in self._items.values():
                item.setOpacity(1.0)
            return
        self._overlay(self._highlight, rows)
        for item in self._items.values():
            item.setOpacity(0.25)

    def bind(self, selection: Selection, choice: TopicChoice, search: Search) -> None:
        """Follow the app's shared selection, topic choice and search, and feed them."""
        self.search_box.search.changed.disconnect(self._show_search)
        self.search_box.bind(search)
        self._owns_search = False
        search.changed.connect(self._show_search)
        selection.changed.connect(self.set_selection)
        self.selectionRequested.connect(selection.select)
        self.pointActivated.connect(lambda row: selection.select([row]))
        choice.changed.connect(self.highlight_topics)

    def _show_search(self, _query: Query, rows: np.ndarray | None) -> None:
        """Dim everything but the documents the search found."""
        self._emphasise_rows(None if rows is None or not len(self._coords) else rows)

    def lasso_select(self, polygon: np.ndarray, mode: str = "replace") -> None:
        """Select the documents inside a polygon in map coordinates (what a lasso drag does)."""
        inside = points_in_polygon(self._coords, np.asarray(polygon, dtype=np.float64))
        self.selectionRequested.emit(np.flatnonzero(inside).astype(np.int64), mode)

    def _pixel_size(self) -> float:
        sx, sy = self._view.viewPixelSize()
        return max(sx, sy)

    def _row_at(self, point: QPointF) -> int | None:
        """The document nearest a map position within a few pixels; on a large map zoomed
        in, looked for among the documents drawn around the view."""
        near = self._density.large and not self._density.at_density
        rows = self._density.window_rows if near else None
        coords = self._coords if rows is None else self._coords[rows]
        hit = nearest_point(coords, point.x(), point.y(), HOVER_RADIUS_PX * self._pixel_size())
        return hit if rows is None or hit is None else int(rows[hit])

    def _on_click(self, event) -> None:
        """Every click in the plot, whoever else saw it: pick the nearest document."""
        if event.button() != Qt.LeftButton or not len(self._coords):
            return
        row = self._row_at(self._view.mapSceneToView(event.scenePos()))
        if event.double() and row is not None:
            self.pointActivated.emit(row)
            return
        mode = modifier_mode(event.modifiers())
        if row is None:
            if mode == "replace":
                self.selectionRequested.emit(np.empty(0, dtype=np.int64), "replace")
            return
        self.selectionRequested.emit(np.array([row], dtype=np.int64), mode)

    def tooltip_for(self, row: int) -> str:
        """The hover card's text: topic, the row's other columns, the start of the document."""
        tid = int(self._topics[row]) if row < len(self._topics) else -1
        label = self._labels.get(tid, "Unassigned") if tid >= 0 else "Unassigned"
        colour = self._topic_colours.get(tid, UNASSIGNED_COLOUR)
        variables = [] if self._variables is None else list(self._variables.iloc[row].items())
        return card_html(label, colour, variables, str(self._texts[row]))

    def _on_hover(self, scene_pos: QPointF) -> None:
        """Remember where the pointer is; the look-up runs shortly after, for the latest spot."""
        self._hover_pos = scene_pos
        if not self._hover_timer.isActive():
            self._hover_timer.start()

    def block_card(self, counts: np.ndarray) -> str:
        """The card of a density block: how many documents, and its most common codes."""
        colouring = self._colouring
        names = self._labels if colouring is None else dict(enumerate(colouring.names))
        none = "Unassigned" if colouring is None else colouring.none_name
        return block_card_html(counts, names, none, self._shown_colours)

    def _hover_now(self) -> None:
        """Show the card of the document under a resting pointer, or of its block at
        density level, or none."""
        pos = self._hover_pos
        row, text = None, ""
        if (
            pos is not None
            and len(self._coords)
            and QGuiApplication.mouseButtons() == Qt.NoButton  # not while dragging a lasso
            and self._plot.sceneBoundingRect().contains(pos)
        ):
            point = self._view.mapSceneToView(pos)
            if self._density.at_density:
                counts = self._density.block_at(point.x(), point.y())
                if counts is not None:
                    row, text = -1, self.block_card(counts)
            else:
                row = self._row_at(point)
                text = "" if row is None else self.tooltip_for(row)
        if row is None:
            self._card.dismiss()
            return
        pointer = self._plot.mapToGlobal(self._plot.mapFromScene(pos))
        self._card.show_row(row, text, pointer)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The card goes when the pointer leaves the map or the map is clicked or zoomed."""
        if event.type() in (QEvent.Leave, QEvent.MouseButtonPress, QEvent.Wheel):
            self._hover_pos = None
            self._card.dismiss()
        return super().eventFilter(watched, event)

    def hideEvent(self, event) -> None:
        self._card.dismiss()
        super().hideEvent(event)

    # ----- helpers for tests and export -------------------------------------------------------
    def data_to_widget(self, x: float, y: float) -> QPoint:
        """Where a map coordinate is on the plot's viewport, for driving real mouse events."""
        scene = self._view.mapViewToScene(QPointF(x, y))
        return self._plot.mapFromScene(scene)

    @property
    def viewport(self) -> QWidget:
        return self._plot.viewport()

    def legend(self) -> list[LegendEntry]:
        """Topics with their colours and document counts, largest first; unassigned last.

        Coloured by a variable: its values in their own order, then those without one."""
        colours = {t: b.color().name() for t, b in self._brushes.items()}
        rows = np.flatnonzero(self._valid)
        return legend_entries(rows, self._codes, self._colouring, self._labels, colours)

    def export_image(self, path: str) -> None:
        """Save the whole map as PNG (twice the screen's size, at least 1,600 px) or SVG.

        The picture is the same whatever the screen shows: every document in its topic's
        colour, topic labels, and a legend of colours and names; no selection, search hits,
        faded topics or zoom.
        """
        if Path(path).suffix.lower() not in (".png", ".svg"):
            raise ValueError("The map can be saved as .png or .svg")
        with plain(self):
            source = self._view.sceneBoundingRect()
            save_map_image(path, self._plot.plotItem, source, self.legend(), self.font())
