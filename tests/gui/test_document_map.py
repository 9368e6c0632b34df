"""The document map: real mouse lasso, click, modifiers, hover text, search, speed."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from topicdesk.core.geometry import points_in_polygon
from topicdesk.gui.views.document_map import DocumentMap


def drag(widget, points: list[QPoint], modifiers=Qt.NoModifier) -> None:
    """Press, move through the points and release, as a real mouse would.

    Moves are spaced in time like a hand's: pyqtgraph drops moves faster than 60 per second.
    """

    def send(kind, pos, buttons):
        event = QMouseEvent(
            kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), Qt.LeftButton, buttons, modifiers
        )
        QApplication.sendEvent(widget, event)

    send(QEvent.MouseButtonPress, points[0], Qt.LeftButton)
    for p in points[1:]:
        time.sleep(0.02)
        send(QEvent.MouseMove, p, Qt.LeftButton)
        QApplication.processEvents()
    send(QEvent.MouseButtonRelease, points[-1], Qt.NoButton)
    QApplication.processEvents()


def lasso(view: DocumentMap, corners, modifiers=Qt.NoModifier) -> np.ndarray:
    """Drag around corners given in map coordinates; return the polygon the view received."""
    pixels = []
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1]):
        for t in np.linspace(0, 1, 8, endpoint=False):
            pixels.append(view.data_to_widget(ax + (bx - ax) * t, ay + (by - ay) * t))
    drag(view.viewport, pixels, modifiers)
    scene = [view._plot.mapToScene(p) for p in pixels]
    return np.array(
        [[view._view.mapSceneToView(s).x(), view._view.mapSceneToView(s).y()] for s in scene]
    )


def make_map(qtbot, n=2000, seed=1):
    rng = np.random.default_rng(seed)
    coords = rng.uniform(-10, 10, size=(n, 2)).astype(np.float32)
    coords[5] = np.nan
    topics = (coords[:, 0] > 0).astype(np.int64)
    topics[::10] = -1
    texts = [f"document {i} about {'tax' if i % 7 == 0 else 'war'}" for i in range(n)]
    view = DocumentMap()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_points(coords, topics, {0: "#1f77b4", 1: "#ff7f0e"}, {0: "West", 1: "East"}, texts)
    return view, coords, texts


def test_lasso_with_real_mouse_selects_points_inside(qtbot):
    view, coords, _ = make_map(qtbot)
    received = []
    view.selectionRequested.connect(lambda rows, mode: received.append((rows, mode)))
    polygon = lasso(view, [(-6, -6), (4, -6), (4, 2), (-6, 5)])
    rows, mode = received[-1]
    expected = np.flatnonzero(points_in_polygon(coords, polygon))
    assert mode == "replace"
    assert 150 < len(rows) < 1000
    np.testing.assert_array_equal(rows, expected)
    assert 5 not in rows

    lasso(view, [(5, 5), (9, 5), (9, 9)], Qt.ShiftModifier)
    assert received[-1][1] == "add"
    lasso(view, [(5, 5), (9, 5), (9, 9)], Qt.AltModifier)
    assert received[-1][1] == "subtract"


def test_pan_mode_does_not_lasso(qtbot):
    view, _, _ = make_map(qtbot)
    received = []
    view.selectionRequested.connect(lambda rows, mode: received.append(rows))
    view.pan_button.click()
    before = view._view.viewRange()
    drag(
        view.viewport,
        [view.data_to_widget(0, 0), view.data_to_widget(3, 0), view.data_to_widget(6, 0)],
    )
    assert received == []
    assert view._view.viewRange()[0] != before[0]
    # off the full view, pyqtgraph would show its "A" button; the map has Reset view instead
    assert not view._plot.getPlotItem().autoBtn.isVisible()


def test_click_selects_nearest_point(qtbot):
    view, coords, _ = make_map(qtbot)
    received = []
    view.selectionRequested.connect(lambda rows, mode: received.append((list(rows), mode)))
    qtbot.mouseClick(view.viewport, Qt.LeftButton, pos=view.data_to_widget(*coords[42]))
    assert received[-1] == ([42], "replace")


def test_hover_text_and_search(qtbot):
    view, _, texts = make_map(qtbot)
    assert "<b>Unassigned</b>" in view.tooltip_for(10)
    assert "<b>West</b>" in view.tooltip_for(11) or "<b>East</b>" in view.tooltip_for(11)
    assert texts[11] in view.tooltip_for(11)
    view.search.setText("tax")
    assert view.search_count.text() == f"{sum('tax' in t for t in texts):,} documents contain “tax”"
    view.search.clear()
    assert view.search_count.text() == ""


def test_export_image(qtbot, tmp_path):
    view, _, _ = make_map(qtbot, n=300)
    view.export_image(str(tmp_path / "map.png"))
    view.export_image(str(tmp_path / "map.svg"))
    assert (tmp_path / "map.png").stat().st_size > 5000
    assert (tmp_path / "map.svg").read_text().lstrip().startswith("<?xml")


def test_hundred_thousand_points(qtbot):
    """Drawing 100,000 documents stays interactive; an edit redraws only the topics it touches."""
    view, _, _ = make_map(qtbot, n=1000)
    rng = np.random.default_rng(0)
    n = 100_000
    topics = rng.integers(-1, 30, n)
    centres = rng.uniform(-50, 50, size=(31, 2))
    coords = (centres[topics + 1] + rng.normal(size=(n, 2))).astype(np.float32)
    colours = {t: f"#{(t * 2654435761) % 0xFFFFFF:06x}" for t in range(30)}
    labels = {t: f"topic {t}" for t in range(30)}
    start = time.perf_counter()
    view.set_points(coords, topics, colours, labels, [""] * n)
    set_time = time.perf_counter() - start
    topics = topics.copy()
    topics[topics == 5] = 3
    del labels[5]
    start = time.perf_counter()
    view.update_topics(topics, colours, labels)
    recolour = time.perf_counter() - start
    polygon = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]] * 50, dtype=float)
    start = time.perf_counter()
    view.lasso_select(polygon)
    lasso_time = time.perf_counter() - start
    print(
        f"100k points: set {set_time * 1000:.0f} ms, merge recolour {recolour * 1000:.0f} ms, "
        f"lasso {lasso_time * 1000:.0f} ms"
    )
    assert set_time < 2.0 and recolour < 0.5 and lasso_time < 0.5
    assert 5 not in view._items


def test_hover_shows_the_document_under_the_cursor(qtbot):
    view, coords, texts = make_map(qtbot)
    target = view.data_to_widget(*coords[11])
    event = QMouseEvent(
        QEvent.MouseMove,
        QPointF(target),
        QPointF(view.viewport.mapToGlobal(target)),
        Qt.NoButton,
        Qt.NoButton,
        Qt.NoModifier,
    )
    QApplication.sendEvent(view.viewport, event)
    qtbot.waitUntil(lambda: view._card.isVisible(), timeout=2_000)
    assert view._card.text() == view.tooltip_for(11)
    assert texts[11] in view._card.text()


def test_click_modifiers_and_double_click(qtbot):
    view, coords, _ = make_map(qtbot)
    received, opened = [], []
    view.selectionRequested.connect(lambda rows, mode: received.append((list(rows), mode)))
    view.pointActivated.connect(opened.append)
    qtbot.mouseClick(
        view.viewport, Qt.LeftButton, Qt.ShiftModifier, view.data_to_widget(*coords[42])
    )
    assert received[-1] == ([42], "add")
    qtbot.mouseClick(
        view.viewport, Qt.LeftButton, Qt.ControlModifier, view.data_to_widget(*coords[42])
    )
    assert received[-1] == ([42], "subtract")
    # What a widget receives from a double-click: press, release, double-click, release.
    pos = QPointF(view.data_to_widget(*coords[42]))
    for kind, buttons in (
        (QEvent.MouseButtonPress, Qt.LeftButton),
        (QEvent.MouseButtonRelease, Qt.NoButton),
        (QEvent.MouseButtonDblClick, Qt.LeftButton),
        (QEvent.MouseButtonRelease, Qt.NoButton),
    ):
        event = QMouseEvent(
            kind, pos, view.viewport.mapToGlobal(pos), Qt.LeftButton, buttons, Qt.NoModifier
        )
        QApplication.sendEvent(view.viewport, event)
    assert opened == [42]


def test_selection_highlight_update_and_clear(qtbot):
    view, coords, _ = make_map(qtbot)
    received = []
    view.selectionRequested.connect(lambda rows, mode: received.append(rows))
    view.set_selection(np.array([1, 2, 5]))  # row 5 has no position
    assert received == [] and len(view._selected.data) == 2
    view.highlight_topics([1])
    assert view._items[1].opacity() == 1.0 and view._items[0].opacity() < 0.5
    view.highlight_topics([])
    assert view._items[0].opacity() == 1.0

    topics = (coords[:, 1] > 0).astype(np.int64)
    view.update_topics(topics, {0: "#1f77b4", 1: "#ff7f0e"}, {0: "South", 1: "North"})
    labels = {item.textItem.toPlainText(): item.pos() for item in view._names.items().values()}
    assert set(labels) == {"South", "North"}
    assert labels["North"].y() > 2 and labels["South"].y() < -2
    assert len(view._items[1].data) == int(np.nansum(coords[:, 1] > 0))

    view.clear()
    assert view._items == {} and view._hint.isVisible()
    received.clear()
    view.lasso_select(np.array([[-10, -10], [10, -10], [10, 10]]))
    assert len(received[-1]) == 0


def test_export_rejects_other_formats(qtbot, tmp_path):
    view, _, _ = make_map(qtbot, n=50)
    with pytest.raises(ValueError):
        view.export_image(str(tmp_path / "map.jpg"))


def test_uniform_scatter_draws_exactly_like_pyqtgraphs_scatter(qtbot):
    """The fast item must put the same pixels on screen, also after a recolour."""
    from topicdesk.gui.views.uniform_scatter import UniformScatter

    rng = np.random.default_rng(4)
    x, y = rng.uniform(0, 10, 300), rng.uniform(0, 10, 300)
    images = []
    for make in (pg.ScatterPlotItem, UniformScatter):
        plot = pg.PlotWidget(background="w")
        qtbot.addWidget(plot)
        plot.resize(300, 300)
        plot.setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
        item = make(pxMode=True, pen=None, size=6, brush=pg.mkBrush("#1f77b4"))
        item.setData(x=x, y=y, size=6, brush=pg.mkBrush("#1f77b4"), pen=None)
        plot.addItem(item)
        if isinstance(item, UniformScatter):
            item.set_brush(pg.mkBrush("#d62728"))
        else:
            item.setBrush(pg.mkBrush("#d62728"))
        images.append(plot.grab().toImage())
    assert images[0] == images[1]
    assert images[1].pixelColor(0, 0).name() == "#ffffff"  # not blank: points were drawn
    reds = sum(
        images[1].pixelColor(i, j).name() == "#d62728"
        for i in range(0, 300, 3)
        for j in range(0, 300, 3)
    )
    assert reds > 50


def test_labels_never_cover_each_other_and_zooming_in_shows_more(qtbot):
    view, _, _ = make_map(qtbot, n=10)
    rng = np.random.default_rng(5)
    n_topics = 12
    topics = np.repeat(np.arange(n_topics), 50)
    topics[:80] = 0  # topic 0 is the largest
    centres = rng.normal(scale=0.4, size=(n_topics, 2))  # crowded: labels would pile up
    coords = (centres[topics] + 0.05 * rng.normal(size=(len(topics), 2))).astype(np.float32)
    labels = {t: f"a rather long label for topic {t}" for t in range(n_topics)}
    view.set_points(coords, topics, {}, labels, [""] * len(topics))
    QApplication.processEvents()

    def shown() -> list:
        return [item for item in view._names.items().values() if item.isVisible()]

    rects = [item.sceneBoundingRect() for item in shown()]
    assert all(not a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1 :])
    assert view._names.items()[0].isVisible()  # the largest topic always keeps its label
    before = len(shown())
    assert before < n_topics
    view._view.scaleBy((0.1, 0.1))  # zoom in tenfold
    qtbot.waitUntil(lambda: len(shown()) > before, timeout=2_000)


def test_reset_view_keeps_names_at_the_edge_whole(qtbot):
    view, _, _ = make_map(qtbot, n=10)
    topics = np.repeat(np.arange(3), 40)
    centres = np.array([[-10.0, 0.0], [0.0, 0.0], [10.0, 0.0]])  # a topic at each side
    coords = (centres[topics] + np.random.default_rng(2).normal(size=(120, 2)) * 0.1).astype(
        np.float32
    )
    labels = {t: f"a long enough name for the topic at {t}" for t in range(3)}
    view.set_points(coords, topics, {}, labels, [""] * len(topics))
    view.reset_view()
    QApplication.processEvents()
    area = view._view.sceneBoundingRect()
    shown = view._names.shown_rects()
    assert len(shown) == 3
    assert all(area.contains(rect) for rect in shown)


def test_long_names_on_the_map_keep_whole_keywords():
    from topicdesk.gui.views.map_labels import MAX_CHARS, short_name

    assert short_name("spö, fpö, övp") == "spö, fpö, övp"
    assert short_name("palästinenser, israelische, israel") == "palästinenser, israelische…"
    long_word = "donaudampfschifffahrtsgesellschaftskapitän, wien"
    assert short_name(long_word) == long_word[: MAX_CHARS - 1] + "…"
