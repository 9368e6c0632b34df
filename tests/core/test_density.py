"""Documents counted per block of the map: grid, counts, edits, colours."""

from __future__ import annotations

import numpy as np

from topicdesk.core import density
from topicdesk.core.density import Grid

RED, BLUE, GREY = "#ff0000", "#0000ff", "#b4b4b4"


def colours(*hexes: str) -> np.ndarray:
    return np.array([density.hex_to_rgba(c) for c in hexes], dtype=np.uint8)


def test_grid_is_anchored_on_block_multiples_so_panning_keeps_blocks():
    a = density.grid_for_view((0.3, 10.3), (0.0, 5.0), (1.0, 1.0))
    b = density.grid_for_view((0.7, 10.7), (0.0, 5.0), (1.0, 1.0))
    assert (a.x0, b.x0) == (0.0, 0.0)
    assert a.columns * a.width >= 10.3 and a.rows * a.height >= 5.0
    assert (
        density.block_index(np.array([[5.5, 2.5]]), a)[0]
        == density.block_index(np.array([[5.5, 2.5]]), b)[0]
    )


def test_block_index_rows_columns_outside_and_nan():
    grid = Grid(0.0, 0.0, 1.0, 1.0, rows=2, columns=3)
    points = np.array(
        [
            [0.5, 0.5],
            [2.5, 0.5],
            [0.5, 1.5],
            [2.9, 1.9],
            [3.1, 0.5],
            [-0.1, 0.5],
            [np.nan, 0.5],
            [1.0, 1.0],
        ],
        dtype=np.float32,
    )
    assert density.block_index(points, grid).tolist() == [0, 2, 3, 5, -1, -1, -1, 4]
    assert grid.block_at(2.5, 1.5) == 5 and grid.block_at(3.5, 0.0) is None


def test_counts_per_block_and_code_match_a_loop():
    rng = np.random.default_rng(3)
    blocks = rng.integers(-1, 50, 5000).astype(np.int32)
    codes = rng.integers(-1, 7, 5000)
    counts = density.count_blocks(blocks, codes, 50)
    expected = np.zeros((50, 8), dtype=np.int64)
    for b, c in zip(blocks, codes):
        if b >= 0:
            expected[b, c + 1] += 1
    assert counts.tolist() == expected.tolist()


def test_counts_in_slices_of_codes_equal_counts_in_one(monkeypatch):
    rng = np.random.default_rng(4)
    blocks = rng.integers(0, 300, 20_000).astype(np.int32)
    codes = rng.integers(-1, 150, 20_000)
    whole = density.count_blocks(blocks, codes, 300)
    monkeypatch.setattr(density, "CHUNK_ENTRIES", 300 * 7)  # seven code columns at a time
    assert np.array_equal(density.count_blocks(blocks, codes, 300), whole)


def test_moving_counts_after_an_edit_equals_counting_again():
    rng = np.random.default_rng(5)
    blocks = rng.integers(-1, 40, 3000).astype(np.int32)
    old = rng.integers(-1, 5, 3000)
    new = old.copy()
    new[old == 2] = 4  # a merge
    new[:10] = 9  # a new topic, wider than the counts so far
    counts, changed = density.move_counts(density.count_blocks(blocks, old, 40), blocks, old, new)
    assert np.array_equal(counts, density.count_blocks(blocks, new, 40))
    touched = blocks[(old != new) & (blocks >= 0)]
    assert set(changed.tolist()) == set(touched.tolist())


def test_block_takes_the_colour_of_its_most_common_code_and_opacity_grows_with_count():
    grid = Grid(0.0, 0.0, 1.0, 1.0, rows=1, columns=4)
    blocks = np.array([0, 0, 0, 1, 1, 3] + [2] * 40, dtype=np.int32)
    codes = np.array([0, 0, 1, 1, -1, -1] + [0] * 40)
    image = density.rgba(density.count_blocks(blocks, codes, 4), colours(GREY, RED, BLUE), grid)
    assert image.shape == (1, 4, 4)
    assert image[0, 0, :3].tolist() == [255, 0, 0]  # two red, one blue
    assert image[0, 1, :3].tolist() == [0, 0, 255]  # unassigned counts half: blue wins the tie
    assert image[0, 3, :3].tolist() == [180, 180, 180]  # only unassigned
    alpha = image[0, :, 3].astype(int)
    assert alpha[2] == 255 and 0 < alpha[3] < alpha[0] < alpha[2]
    assert alpha[3] >= round(255 * density.MIN_OPACITY)


def test_empty_blocks_are_transparent_and_faded_codes_fade():
    grid = Grid(0.0, 0.0, 1.0, 1.0, rows=2, columns=2)
    counts = density.count_blocks(np.array([0, 3], np.int32), np.array([0, 1]), 4)
    table = colours(GREY, RED, BLUE)
    table[2, 3] = round(255 * 0.15)  # blue faded, as a topic not chosen
    image = density.rgba(counts, table, grid)
    assert image[0, 1, 3] == 0 and image[1, 0, 3] == 0
    assert image[1, 1, 3] < image[0, 0, 3] * 0.2


def test_codes_without_a_colour_are_dark_grey():
    grid = Grid(0.0, 0.0, 1.0, 1.0, rows=1, columns=1)
    counts = density.count_blocks(np.array([0], np.int32), np.array([5]), 1)
    assert density.rgba(counts, colours(GREY), grid)[0, 0, :3].tolist() == [68, 68, 68]


def test_top_codes_of_a_block():
    row = np.array([3, 0, 10, 1])
    assert density.top_codes(row, 2) == [(1, 10), (-1, 3)]
    assert density.top_codes(np.zeros(3, int)) == []
