"""Topic colours: a categorical palette made for distinctness, handed out so neighbours differ.

The palette is colorcet's ``glasbey_dark`` (Glasbey et al. 2007, in Kovesi's colorcet):
256 colours, each chosen to be as far as possible from all before it in a perceptual
colour space, with lightness capped so they stand out on the white map and chroma kept
up so none looks like the grey of unassigned documents. Its first 40 colours are at
least 12 CIELAB units apart; the 20-colour palette before it repeated after 20 topics.

After a fit, :func:`assign_colours` gives each topic one of the first n colours so that
topics lying close on the map get colours far apart.
"""

from __future__ import annotations

import numpy as np

UNASSIGNED_COLOUR = "#b4b4b4"
NEIGHBOURS = 5  # map neighbours whose colours a topic's colour should differ from
MAX_PASSES = 8  # rounds of swaps; 40 topics settle in 3-4, 200 topics take 0.3 s a round


def _glasbey() -> tuple[str, ...]:
    import colorcet

    return tuple(str(c) for c in colorcet.glasbey_dark)


PALETTE: tuple[str, ...] = _glasbey()


def colour_for(topic_id: int) -> str:
    """The palette colour of a topic id; ids beyond the palette wrap around."""
    if topic_id < 0:
        return UNASSIGNED_COLOUR
    return PALETTE[topic_id % len(PALETTE)]


def to_lab(colours: list[str] | tuple[str, ...]) -> np.ndarray:
    """CIELAB (D65) coordinates of ``#rrggbb`` colours, one row each."""
    rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in colours]) / 255.0
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = linear @ np.array(
        [[0.4124564, 0.2126729, 0.0193339], [0.3575761, 0.7151522, 0.1191920],
         [0.1804375, 0.0721750, 0.9503041]]
    )
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.column_stack(
        [116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])]
    )


def colour_distances(colours: list[str] | tuple[str, ...]) -> np.ndarray:
    """Pairwise CIELAB distances (Delta E 1976) between colours."""
    lab = to_lab(colours)
    return np.linalg.norm(lab[:, None, :] - lab[None, :, :], axis=2)


def _closeness(distance: np.ndarray) -> np.ndarray:
    """How much two colours on neighbouring topics hurt: grows fast as they get alike."""
    return 1.0 / np.maximum(distance, 1.0) ** 2


def assign_colours(centres: np.ndarray, sizes: np.ndarray) -> list[str]:
    """A colour per topic (rows of ``centres``, its map position) from the first n colours.

    Each topic and its nearest map neighbours form pairs whose colours should differ;
    starting from the palette order by size (the largest topic gets the first colour),
    colours of two topics are swapped while that makes the closest neighbouring colours
    less alike (sum of 1 / Delta E squared over neighbour pairs), until no swap helps.
    """
    n = len(centres)
    if n == 0:
        return []
    colours = [PALETTE[i % len(PALETTE)] for i in range(n)]
    cost = _closeness(colour_distances(colours))
    gaps = np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=2)
    np.fill_diagonal(gaps, np.inf)
    near = np.zeros((n, n), dtype=bool)
    rows = np.repeat(np.arange(n), min(NEIGHBOURS, n - 1))
    near[rows, np.argsort(gaps, axis=1, kind="stable")[:, : min(NEIGHBOURS, n - 1)].ravel()] = True
    near |= near.T
    chosen = np.empty(n, dtype=np.int64)
    chosen[np.argsort(-np.asarray(sizes), kind="stable")] = np.arange(n)
    for _ in range(MAX_PASSES):
        improved = False
        for a in range(n):
            # change in cost if topic a took topic b's colour and b took a's, for every b
            now = cost[chosen[:, None], chosen[None, :]] * near
            a_now = now[a].sum()
            b_now = now.sum(axis=1)
            a_new = (cost[chosen, :][:, chosen[near[a]]]).sum(axis=1)  # a with b's colour
            b_new = (cost[chosen[a], chosen] * near).sum(axis=1)  # b with a's colour
            # the pair (a, b) itself keeps its two colours, so its term cancels out
            pair = cost[chosen[a], chosen] * near[a]
            delta = (a_new - pair) + (b_new - pair) - (a_now - now[a]) - (b_now - now[:, a])
            delta[a] = 0.0
            b = int(np.argmin(delta))
            if delta[b] < -1e-12:
                chosen[a], chosen[b] = chosen[b], chosen[a]
                improved = True
        if not improved:
            break
    return [colours[c] for c in chosen]
