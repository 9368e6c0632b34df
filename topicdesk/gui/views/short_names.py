"""Topic names shortened for charts, legends, map labels and list columns."""

from __future__ import annotations

from collections.abc import Callable

ELLIPSIS = "…"


def whole_keywords(name: str, fits: Callable[[str], bool]) -> str:
    """``name`` cut after its last whole keyword for which ``fits`` holds (with "…"
    added): German compounds make names long, and "israelische, isr…" reads worse than
    "israelische…". Falls back to a cut inside the first keyword only when that alone
    does not fit, and returns ``name`` unchanged when it fits whole."""
    if fits(name):
        return name
    kept = ""
    for word in name.split(", "):
        longer = f"{kept}, {word}" if kept else word
        if not fits(longer + ELLIPSIS):
            break
        kept = longer
    if kept:
        return kept + ELLIPSIS
    cut = name
    while cut and not fits(cut + ELLIPSIS):
        cut = cut[:-1]
    return cut + ELLIPSIS


def short(name: str, chars: int = 32) -> str:
    """``name`` in at most ``chars`` characters, cut at whole keywords."""
    return whole_keywords(name, lambda text: len(text) <= chars)
