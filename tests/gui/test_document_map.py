"""The document map: real mouse lasso, click, modifiers, hover text, search, speed."""

from __future__ import annotations

import time

import numpy as np
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
        event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), Qt.LeftButton, buttons, modifiers)
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
    return np.array([[view._view.mapSceneToView(s).x(), view._view.mapSceneToView(s).y()] for s in scene])


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
    drag(view.viewport, [view.data_to_widget(0, 0), view.data_to_widget(3, 0), view.data_to_widget(6, 0)])
    assert received == []
    assert view._view.viewRange()[0] != before[0]


def test_click_selects_nearest_point(qtbot):
    view, coords, _ = make_map(qtbot)
    received = []
    view.selectionRequested.connect(lambda rows, mode: received.append((list(rows), mode)))
    qtbot.mouseClick(view.viewport, Qt.LeftButton, pos=view.data_to_widget(*coords[42]))
    assert received[-1] == ([42], "replace")


def test_hover_text_and_search(qtbot):
    view, _, texts = make_map(qtbot)
    assert view.tooltip_for(10).startswith("Unassigned")
    assert view.tooltip_for(11).split("\n")[0] in ("West", "East")
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
    view, _, _ = make_map(qtbot, n=1000)
    rng = np.random.default_rng(0)
    n = 100_000
    coords = rng.normal(size=(n, 2)).astype(np.float32)
    topics = rng.integers(-1, 30, n)
    colours = {t: "#336699" for t in range(30)}
    labels = {t: f"topic {t}" for t in range(30)}
    texts = [""] * n
    start = time.perf_counter()
    view.set_points(coords, topics, colours, labels, texts)
    set_time = time.perf_counter() - start
    topics[:5000] = 3
    start = time.perf_counter()
    view.update_topics(topics, colours, labels)
    recolour = time.perf_counter() - start
    polygon = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]] * 50, dtype=float)
    start = time.perf_counter()
    view.lasso_select(polygon)
    lasso_time = time.perf_counter() - start
    print(f"100k points: set {set_time * 1000:.0f} ms, recolour {recolour * 1000:.0f} ms, lasso {lasso_time * 1000:.0f} ms")
    assert set_time < 2.0 and recolour < 1.0 and lasso_time < 0.5
