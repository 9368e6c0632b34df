"""Topic names shortened for charts, legends and map labels."""

from __future__ import annotations


def short(name: str, chars: int = 32) -> str:
    """``name`` in at most ``chars`` characters: the whole keywords that fit (German
    compounds make names long, and "israelische, isr…" reads worse than
    "israelische…"), cut inside a word only when the first keyword alone is too long."""
    if len(name) <= chars:
        return name
    kept = ""
    for word in name.split(", "):
        longer = f"{kept}, {word}" if kept else word
        if len(longer) > chars - 1:
            break
        kept = longer
    return (kept or name[: chars - 1]) + "…"
