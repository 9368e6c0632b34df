"""The map's hover card (wrapped, with the row's variables, staying while the pointer rests)
and its exported image (the same whatever the screen shows, with a legend)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QHelpEvent, QImage, QMouseEvent, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel

from topicdesk.errors import TopicDeskError
from topicdesk.gui.views.document_map import DocumentMap

COLOURS = {0: "#1f77b4", 1: "#ff7f0e"}
LABELS = {0: "Public finance", 1: "Foreign affairs"}
LONG = (
    "The receipts of the Treasury during the fiscal year exceeded the expenditures, and the "
    "surplus was applied to the reduction of the public debt, which now stands lower than at "
    "any time since the close of the war; the revenue from customs fell short of the estimate, "
    "but the internal revenue more than made up the difference. "
) * 4


def make(qtbot, n: int = 240) -> tuple[DocumentMap, np.ndarray]:
    """Documents on a ring around an empty middle: two topics and some unassigned."""
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    coords = np.c_[10 * np.cos(angle), 10 * np.sin(angle)].astype(np.float32)
    topics = (coords[:, 0] > 0).astype(np.int64)
    topics[::8] = -1
    texts = [LONG if i % 2 else f"paragraph {i} about tax and war" for i in range(n)]
    view = DocumentMap()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_points(coords, topics, COLOURS, LABELS, texts)
    return view, coords


def move_to(view: DocumentMap, pos: QPoint) -> None:
    event = QMouseEvent(
        QEvent.MouseMove,
        QPointF(pos),
        QPointF(view.viewport.mapToGlobal(pos)),
        Qt.NoButton,
        Qt.NoButton,
        Qt.NoModifier,
    )
    QApplication.sendEvent(view.viewport, event)


def shown_tip() -> QLabel | None:
    """The tooltip window on screen, whichever kind the map uses."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QLabel) and widget.windowFlags() & Qt.ToolTip and widget.isVisible():
            return widget
    return None


def plain(html: str) -> str:
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


def test_hover_text_is_wrapped_beside_the_pointer_and_stays_while_it_rests(qtbot):
    view, coords = make(qtbot)
    pos = view.data_to_widget(*coords[1])  # a long text
    move_to(view, pos)
    qtbot.waitUntil(lambda: shown_tip() is not None, timeout=2_000)
    tip = shown_tip()
    pointer = view.viewport.mapToGlobal(pos)
    screen = QGuiApplication.screenAt(pointer).availableGeometry()
    assert tip.width() <= 440, tip.width()  # wrapped: Qt's plain tooltip was one 1,000+ px line
    assert screen.contains(tip.geometry()) and not tip.geometry().contains(pointer)
    text = tip.text()

    # The pointer rests: Qt sends the view its own tooltip event, which used to hide ours.
    QApplication.sendEvent(view.viewport, QHelpEvent(QEvent.ToolTip, pos, pointer))
    qtbot.wait(1_500)
    assert shown_tip() is tip and tip.text() == text

    move_to(view, view.data_to_widget(0, 0))  # the empty middle of the ring
    qtbot.waitUntil(lambda: shown_tip() is None, timeout=2_000)
    move_to(view, pos)
    qtbot.waitUntil(lambda: shown_tip() is not None, timeout=2_000)
    QApplication.sendEvent(view.viewport, QEvent(QEvent.Leave))
    qtbot.waitUntil(lambda: shown_tip() is None, timeout=2_000)


def test_hover_card_shows_the_rows_variables(qtbot):
    view, coords = make(qtbot)
    n = len(coords)
    variables = pd.DataFrame(
        {
            "date": pd.to_datetime(["1790-01-08"] * n),
            "party": ["Federalist"] * n,
            "president": ["George Washington"] * n,
            "empty": [""] * n,
            "note": ["a remark that goes on and on for much longer than any card should show"] * n,
        }
    )
    view.set_points(
        coords,
        (coords[:, 0] > 0).astype(np.int64),
        COLOURS,
        LABELS,
        [LONG] * n,
        variables=variables,
    )
    move_to(view, view.data_to_widget(*coords[3]))
    qtbot.waitUntil(lambda: shown_tip() is not None, timeout=2_000)
    text = plain(shown_tip().text())
    assert text.splitlines()[0].endswith("Foreign affairs")  # x > 0
    for line in ("date\n1790-01-08", "party\nFederalist", "president\nGeorge Washington"):
        assert line in text
    assert "empty" not in text  # an empty cell is not worth a line
    assert "a remark that goes on and on for much …" in text
    assert LONG[:100] in text and LONG not in text


def test_exported_image_is_the_same_whatever_the_screen_shows(qtbot, tmp_path):
    view, coords = make(qtbot)
    view.export_image(str(tmp_path / "plain.png"))

    view.set_selection(np.arange(0, len(coords), 3))
    view.search.setText("tax")
    view.highlight_topics([1])
    view._view.scaleBy((0.4, 0.4))  # zoomed in on part of the map
    screen = view.grab().toImage()
    view_range = view._view.viewRange()
    view.export_image(str(tmp_path / "busy.png"))
    view.export_image(str(tmp_path / "busy.svg"))

    assert QImage(str(tmp_path / "busy.png")) == QImage(str(tmp_path / "plain.png"))
    svg = (tmp_path / "busy.svg").read_text()
    assert "#111111" not in svg.lower()  # no selection rings
    assert "<image" not in svg  # points are shapes, not a pasted picture
    # and the screen shows what it showed before
    np.testing.assert_allclose(view._view.viewRange(), view_range)
    assert view.grab().toImage() == screen


def test_exported_image_has_a_legend_of_topic_colours_and_names(qtbot, tmp_path):
    view, _ = make(qtbot)
    sizes = {t: int((view._topics == t).sum()) for t in (-1, 0, 1)}
    view.export_image(str(tmp_path / "map.png"))
    image = QImage(str(tmp_path / "map.png"))
    area = view._view.sceneBoundingRect()
    map_width = round(image.height() * area.width() / area.height())
    assert image.width() - map_width > 100  # room for the legend beside the map
    assert image.width() >= 1600
    legend = [
        image.pixelColor(x, y).name()
        for x in range(map_width, image.width())
        for y in range(0, image.height(), 2)
    ]
    for colour in (*COLOURS.values(), "#b4b4b4"):  # each topic's swatch, and unassigned
        assert legend.count(colour) > 20, colour

    view.export_image(str(tmp_path / "map.svg"))
    svg = (tmp_path / "map.svg").read_text()
    assert "Topics" in svg and f"Unassigned ({sizes[-1]})" in svg
    for tid, label in LABELS.items():
        assert f"{label} ({sizes[tid]})" in svg


def test_export_to_a_missing_folder_says_so(qtbot, tmp_path):
    view, _ = make(qtbot, n=40)
    for name in ("map.png", "map.svg"):
        with pytest.raises(TopicDeskError, match=f"Could not write {name}; choose another folder"):
            view.export_image(str(tmp_path / "missing" / name))
