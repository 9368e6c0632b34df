"""A large map: density at full view, points when zoomed in, lasso, edits and export."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage

from topicdesk.core.density import count_blocks
from topicdesk.core.geometry import points_in_polygon
from topicdesk.gui.views import map_density
from topicdesk.gui.views.document_map import DocumentMap

N = 200_000
TOPICS = 20


def layout(n: int = N, seed: int = 0):
    rng = np.random.default_rng(seed)
    topics = rng.integers(-1, TOPICS, n)
    centres = np.array([[np.cos(a) * 30, np.sin(a) * 30] for a in np.linspace(0, 6.2, TOPICS + 1)])
    coords = (centres[topics + 1] + rng.normal(scale=2.0, size=(n, 2))).astype(np.float32)
    coords[7] = np.nan
    return coords, topics


def big_map(qtbot):
    coords, topics = layout()
    view = DocumentMap()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    colours = {t: f"#{(t * 2654435761) % 0xFFFFFF:06x}" for t in range(TOPICS)}
    colours[3], colours[5] = "#d62728", "#1f77b4"
    labels = {t: f"topic {t}" for t in range(TOPICS)}
    view.set_points(coords, topics, colours, labels, [f"doc {i}" for i in range(N)])
    return view, coords, topics, colours, labels


def zoom(view: DocumentMap, rect: QRectF) -> None:
    view._view.setRange(rect=rect, padding=0)
    view._refresh_level()  # what the timer does once the view rests


def drawn_points(view: DocumentMap) -> int:
    return sum(len(item.data) for item in view._items.values())


def test_full_view_draws_density_and_zooming_in_draws_points(qtbot):
    view, coords, _, _, _ = big_map(qtbot)
    density = view._density
    assert density.large and density.at_density and density.base.isVisible()
    assert drawn_points(view) == 0  # no point of 200,000 is drawn one by one
    assert int(density.counts.sum()) == N - 1  # every document with coordinates is counted
    assert view.legend()[0].size > 0 and len(view._names.items()) == TOPICS

    zoom(view, QRectF(25, -5, 10, 10))  # about one topic
    assert not density.at_density and not density.base.isVisible()
    in_view = (np.abs(coords[:, 0] - 30) <= 5) & (np.abs(coords[:, 1]) <= 5)
    assert 0 < in_view.sum() <= map_density.POINT_LIMIT
    assert drawn_points(view) == int(density.in_window.sum()) >= int(in_view.sum())

    view.reset_view()
    assert density.at_density and drawn_points(view) == 0


def test_lasso_selects_the_right_rows_at_density_level(qtbot):
    view, coords, _, _, _ = big_map(qtbot)
    got = []
    view.selectionRequested.connect(lambda rows, mode: got.append(rows))
    polygon = np.array([[20, -10], [40, -10], [40, 10], [20, 10]], dtype=float)
    view.lasso_select(polygon)
    expected = np.flatnonzero(points_in_polygon(coords, polygon))
    assert len(expected) > map_density.OVERLAY_POINTS
    assert np.array_equal(got[-1], expected)
    view.set_selection(got[-1])  # a large selection is its own density over a faded map
    assert view._density.selected.isVisible() and view._density.base.opacity() < 1
    view.set_selection(expected[:50])  # a few are rings on top of the density
    assert not view._density.selected.isVisible() and len(view._selected.data) == 50
    assert view._density.base.opacity() == 1


def test_recolouring_after_an_edit_changes_the_density_image(qtbot):
    view, coords, topics, colours, labels = big_map(qtbot)
    before = view._density.base.image.copy()
    merged = topics.copy()
    merged[topics == 5] = 3  # topic 5 (blue) merged into topic 3 (red)
    view.update_topics(merged, colours, labels)
    after = view._density.base.image
    changed = np.any(before != after, axis=2)
    assert changed.any()
    block = view._density.grid.block_at(*np.nanmedian(coords[topics == 5], axis=0))
    row, column = divmod(block, view._density.grid.columns)
    assert before[row, column, :3].tolist() == [0x1F, 0x77, 0xB4]
    assert after[row, column, :3].tolist() == [0xD6, 0x27, 0x28]
    elsewhere = view._density.grid.block_at(*np.nanmedian(coords[topics == 10], axis=0))
    row, column = divmod(elsewhere, view._density.grid.columns)
    assert np.array_equal(before[row, column], after[row, column])
    fresh = count_blocks(view._density._blocks, merged, view._density.grid.size)
    assert np.array_equal(view._density.counts[:, : fresh.shape[1]], fresh)  # moved = recounted
    view.highlight_topics([3])  # choosing a topic fades the others' blocks
    faded = view._density.base.image
    assert faded[row, column, 3] < after[row, column, 3] * 0.2


def test_hover_names_a_block_at_full_view_and_a_document_zoomed_in(qtbot):
    view, coords, topics, _, _ = big_map(qtbot)
    x, y = np.nanmedian(coords[topics == 3], axis=0)
    counts = view._density.block_at(x, y)
    card = view.block_card(counts)
    assert "documents here" in card and "topic 3" in card
    zoom(view, QRectF(x - 2, y - 2, 4, 4))
    assert not view._density.at_density
    row = view._row_at(QPointF(x, y))
    assert row is not None and np.hypot(*(coords[row] - (x, y))) < 0.1
    assert "doc " in view.tooltip_for(row)


def test_export_of_a_large_map_draws_density_and_comes_back(qtbot, tmp_path):
    view, _, _, _, _ = big_map(qtbot)
    zoom(view, QRectF(25, -5, 10, 10))
    path = tmp_path / "map.png"
    view.export_image(str(path))
    image = QImage(str(path))
    assert image.width() >= 1600
    assert not view._density.at_density and drawn_points(view) > 0  # the zoom is back
    colours = {image.pixelColor(x, y).name() for x in range(0, 1600, 7) for y in range(0, 1200, 7)}
    assert len(colours) > TOPICS  # the topics' colours, not a blank or grey picture


def test_density_follows_colour_by_and_search_hits(qtbot):
    from topicdesk.application.variables import Colouring

    view, coords, _, _, _ = big_map(qtbot)
    left = np.where(np.isnan(coords[:, 0]), -1, (coords[:, 0] < 0).astype(np.int64))
    view.set_colouring(Colouring(left, ["East", "West"], ["#2ca02c", "#9467bd"], "No side"))
    image = view._density.base.image
    shown = {tuple(c) for c in image[image[..., 3] > 0][:, :3].tolist()}
    assert shown == {(0x2C, 0xA0, 0x2C), (0x94, 0x67, 0xBD)}
    assert "West" in view.block_card(view._density.block_at(-30.0, 0.0))
    hits = np.flatnonzero(left == 1)  # many search hits (the west): their own density over a faded map
    view._emphasise_rows(hits)
    assert view._density.found.isVisible() and view._density.base.opacity() == 0.25
    view._emphasise_rows(None)
    assert not view._density.found.isVisible() and view._density.base.opacity() == 1
    view.set_colouring(None)
    assert len({tuple(c) for c in view._density.base.image[..., :3].reshape(-1, 3).tolist()}) > 3
