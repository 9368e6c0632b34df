"""Lasso and hover geometry in numpy."""

from __future__ import annotations

import time

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from topicdesk.core.geometry import nearest_point, points_in_polygon

SQUARE = np.array([[0, 0], [10, 0], [10, 10], [0, 10]], dtype=float)


def test_square_inside_outside_and_nan():
    points = np.array(
        [[5, 5], [-1, 5], [11, 5], [5, 11], [0.5, 9.5], [np.nan, 5], [np.nan, np.nan]]
    )
    assert points_in_polygon(points, SQUARE).tolist() == [
        True,
        False,
        False,
        False,
        True,
        False,
        False,
    ]


def test_concave_polygon_and_even_odd_rule():
    u_shape = np.array(
        [[0, 0], [9, 0], [9, 9], [6, 9], [6, 3], [3, 3], [3, 9], [0, 9]], dtype=float
    )
    points = np.array([[1, 5], [4.5, 5], [7.5, 5], [4.5, 1]])
    assert points_in_polygon(points, u_shape).tolist() == [True, False, True, True]
    # A star drawn in one stroke: the pentagon in the middle is covered twice, so it is outside.
    angles = np.pi / 2 + np.arange(5) * 4 * np.pi / 5
    star = np.c_[np.cos(angles), np.sin(angles)]
    assert points_in_polygon(np.array([[0.0, 0.0], [0.0, 0.8]]), star).tolist() == [False, True]


def test_degenerate_inputs():
    assert points_in_polygon(np.empty((0, 2)), SQUARE).shape == (0,)
    assert not points_in_polygon(np.array([[1.0, 1.0]]), SQUARE[:2]).any()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-20, 20), st.floats(-20, 20)), min_size=1, max_size=30),
    st.floats(-5, 5),
    st.floats(-5, 5),
    st.floats(0.5, 15),
    st.floats(0.5, 15),
)
def test_matches_rectangle_test(points, x0, y0, w, h):
    rect = np.array([[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h]])
    pts = np.array(points)
    expected = (pts[:, 0] > x0) & (pts[:, 0] < x0 + w) & (pts[:, 1] > y0) & (pts[:, 1] < y0 + h)
    on_edge = np.isclose(pts[:, 0], x0) | np.isclose(pts[:, 0], x0 + w)
    on_edge |= np.isclose(pts[:, 1], y0) | np.isclose(pts[:, 1], y0 + h)
    got = points_in_polygon(pts, rect)
    assert (got == expected)[~on_edge].all()


def test_lasso_over_many_points_is_fast():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(200_000, 2))
    angles = np.linspace(0, 2 * np.pi, 400, endpoint=False)
    circle = np.c_[np.cos(angles), np.sin(angles)]
    start = time.perf_counter()
    inside = points_in_polygon(points, circle)
    elapsed = time.perf_counter() - start
    radius = np.hypot(points[:, 0], points[:, 1])
    assert (inside == (radius < 1))[np.abs(radius - 1) > 0.01].all()
    assert elapsed < 2.0


def test_nearest_point():
    points = np.array([[0, 0], [np.nan, np.nan], [3, 4], [3.2, 4.1]], dtype=np.float32)
    assert nearest_point(points, 3.0, 4.0, 0.5) == 2
    assert nearest_point(points, 3.3, 4.1, 0.5) == 3
    assert nearest_point(points, 10, 10, 1.0) is None
    assert nearest_point(np.empty((0, 2)), 0, 0, 1.0) is None
    assert nearest_point(np.full((3, 2), np.nan), 0, 0, 1.0) is None


def even_odd(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """The plain even-odd rule, every point against every edge."""
    x, y = points[:, 0:1], points[:, 1:2]
    ax, ay = polygon[:, 0], polygon[:, 1]
    bx, by = np.roll(ax, -1), np.roll(ay, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = ax + (y - ay) * (bx - ax) / (by - ay)
    return (((ay > y) != (by > y)) & (x < x_at)).sum(axis=1) % 2 == 1


def test_many_points_tested_by_cells_match_the_plain_rule():
    """Above 65,536 points in the box, whole cells are decided by their centres."""
    rng = np.random.default_rng(2)
    points = rng.uniform(-1.2, 1.2, size=(120_000, 2)).astype(np.float32)
    points[:50] = np.nan
    angles = np.linspace(0, 2 * np.pi, 90, endpoint=False)
    radius = 0.6 + 0.4 * np.sin(5 * angles)  # wavy, with narrow arms
    star = np.c_[radius * np.cos(angles), radius * np.sin(angles)]
    bowtie = np.array([[-1, -1], [1, 1], [1, -1], [-1, 1]], dtype=float)  # crosses itself
    for polygon in (star, bowtie):
        got = points_in_polygon(points, polygon)
        assert np.array_equal(got, even_odd(points.astype(np.float64), polygon))
        assert not got[:50].any()
