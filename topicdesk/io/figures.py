"""Figures for the methods report, drawn with matplotlib as SVG text to put inline in HTML.

No Qt and no window: figures are made with ``matplotlib.figure.Figure`` and saved to a
string. Text stays text (``svg.fonttype = none``), so it is sharp in print and can be
searched; the map's points are embedded as one image inside the SVG, so a map of
100,000 documents stays a few hundred kilobytes.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass

import numpy as np

from topicdesk.core.palette import UNASSIGNED_COLOUR

STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "topicdesk",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
}
MAX_PANELS = 24  # small multiples beyond this are unreadable in a printed supplement


@dataclass(frozen=True)
class MapTopic:
    """One topic in the map's legend: its id, label, colour and number of documents."""

    id: int
    label: str
    colour: str
    size: int


@dataclass(frozen=True)
class Panel:
    """One topic's share per category (period or group) with its 95% interval."""

    title: str
    colour: str
    share: np.ndarray
    low: np.ndarray
    high: np.ndarray
    mark: str = ""  # after the title, never cut off (the report's "†" for unsteady topics)
    topic_id: int | None = None  # None: the unassigned documents


def _svg(figure) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="svg", dpi=150, metadata={"Date": None})
    text = buffer.getvalue()
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)  # authoring RDF
    return text[text.index("<svg") :]  # inline: no XML declaration or doctype


def _figure(width: float, height: float):
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(width, height), layout="constrained")


def map_svg(coords: np.ndarray, topic_of_row: np.ndarray, topics: list[MapTopic]) -> str:
    """The document map coloured by topic, each topic's number at its centre, and a legend."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        rows = max(1, math.ceil(len(topics) / 2))
        figure = _figure(7.5, 5.2 + 0.17 * rows)
        grid = figure.add_gridspec(2, 1, height_ratios=[5.2, 0.17 * rows + 0.2])
        ax = figure.add_subplot(grid[0])
        shown = np.isfinite(coords).all(axis=1)
        small = 3 if shown.sum() > 20_000 else 6 if shown.sum() > 2_000 else 14
        none = shown & (topic_of_row < 0)
        ax.scatter(
            *coords[none].T, s=small * 0.6, c=UNASSIGNED_COLOUR, linewidths=0, rasterized=True
        )
        colours = {t.id: t.colour for t in topics}
        order = np.flatnonzero(shown & (topic_of_row >= 0))
        if len(order):
            ax.scatter(
                *coords[order].T,
                s=small,
                c=[colours.get(int(t), UNASSIGNED_COLOUR) for t in topic_of_row[order]],
                linewidths=0,
                alpha=0.85,
                rasterized=True,
            )
        for topic in topics:
            members = shown & (topic_of_row == topic.id)
            if members.any():
                x, y = np.median(coords[members], axis=0)
                ax.annotate(
                    str(topic.id),
                    (x, y),
                    ha="center",
                    va="center",
                    fontsize=8,
                    fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": topic.colour, "lw": 1},
                )
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        legend = figure.add_subplot(grid[1])
        legend.axis("off")
        from matplotlib.patches import Patch

        handles = [
            Patch(color=t.colour, label=f"{t.id}  {_short(t.label)} ({t.size:,})") for t in topics
        ]
        handles.append(Patch(color=UNASSIGNED_COLOUR, label="unassigned"))
        legend.legend(
            handles=handles,
            loc="upper left",
            ncols=2,
            frameon=False,
            handlelength=1.0,
            fontsize=8,
            mode="expand",
        )
        return _svg(figure)


def _short(label: str, limit: int = 42) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def panels_svg(
    categories: list[str],
    panels: list[Panel],
    ylabel: str,
    dates: np.ndarray | None = None,
    small: np.ndarray | None = None,
) -> str:
    """Small multiples, one panel per topic: shares with 95% bands over time, or by group.

    With ``dates`` the x axis is time and each panel a line with a band; otherwise each
    panel shows the groups as dots with interval whiskers. ``small`` marks categories with
    few documents, drawn hollow.
    """
    import matplotlib
    from matplotlib.ticker import FuncFormatter

    percent = FuncFormatter(_percent_format)
    panels = panels[:MAX_PANELS]
    with matplotlib.rc_context(STYLE):
        columns = 3 if len(panels) > 4 else max(1, len(panels))
        rows = math.ceil(len(panels) / columns)
        by_group = dates is None
        height = (0.6 + 0.16 * len(categories)) if by_group else 1.7
        figure = _figure(7.5, max(1.0, height) * rows + 0.4)
        axes = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
        top = max(float(np.nanmax([np.nanmax(p.high) for p in panels] or [0.0])), 0.05)
        x = dates if dates is not None else np.arange(len(categories))
        hollow = np.zeros(len(categories), bool) if small is None else np.asarray(small, bool)
        for i, (ax, panel) in enumerate(zip(axes.flat, panels)):
            limit = 26 if columns == 3 else 60
            title = _short(panel.title, limit - len(panel.mark)) + panel.mark
            ax.set_title(title, loc="left", color=panel.colour)
            if by_group:
                y = np.arange(len(categories))[::-1]
                ax.hlines(y, panel.low, panel.high, color=panel.colour, lw=1.2)
                ax.scatter(panel.share[~hollow], y[~hollow], color=panel.colour, s=14, zorder=3)
                ax.scatter(
                    panel.share[hollow],
                    y[hollow],
                    facecolor="white",
                    edgecolor=panel.colour,
                    s=14,
                    zorder=3,
                )
                if i % columns == 0:  # the groups are the same in every panel of a row
                    ax.set_yticks(y, [_short(c, 18) for c in categories], fontsize=7)
                ax.set_xlim(0, top * 1.05)
            else:
                ax.fill_between(x, panel.low, panel.high, color=panel.colour, alpha=0.2, lw=0)
                ax.plot(x, panel.share, color=panel.colour, lw=1.2)
                ax.set_ylim(0, top * 1.05)
            (ax.xaxis if by_group else ax.yaxis).set_major_formatter(percent)
            ax.grid(axis="x" if by_group else "y", color="#dddddd", lw=0.6)
            ax.set_axisbelow(True)
        for ax in list(axes.flat)[len(panels) :]:
            ax.axis("off")
        figure.supylabel(ylabel if not by_group else "", fontsize=8)
        if by_group:
            figure.supxlabel(ylabel, fontsize=8)
        return _svg(figure)


def _percent_format(value: float, _position: int) -> str:
    return f"{value * 100:.0f}%"
