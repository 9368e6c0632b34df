"""Topic colours: a fixed, distinct palette so a topic keeps its colour across sessions."""

from __future__ import annotations

# 20 colours after Glasbey/Tableau: distinct on white, none close to the grey of
# unassigned documents.
PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
    "#ad494a",
    "#637939",
    "#e7969c",
    "#6b6ecf",
    "#8c6d31",
    "#3182bd",
    "#e6550d",
    "#31a354",
    "#756bb1",
    "#de9ed6",
)
UNASSIGNED_COLOUR = "#b4b4b4"


def colour_for(topic_id: int) -> str:
    """The palette colour of a topic id; ids beyond the palette wrap around."""
    if topic_id < 0:
        return UNASSIGNED_COLOUR
    return PALETTE[topic_id % len(PALETTE)]
