"""The card shown when the pointer rests on a document of the map.

Qt's own tooltip did not suit: plain text is never wrapped (a long paragraph made one
line over 1,000 px wide that Qt pushed against the screen's edge), and the graphics view
hides every tooltip when its own tooltip event finds no item, about a second after the
pointer stops. This card wraps at ``MAX_WIDTH``, sits beside the pointer inside the
screen, and stays until the pointer leaves the document.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from topicdesk.core.density import top_codes
from topicdesk.core.palette import UNASSIGNED_COLOUR

MAX_WIDTH = 420  # px: about 65 characters a line, easy to read
SNIPPET_CHARS = 320
MAX_VARIABLES = 8
VALUE_CHARS = 40
OFFSET = QPoint(14, 18)  # below and right of the pointer's tip, clear of the cursor


def _short(value: object) -> str:
    """A cell as a few words: no time on midnight dates, long values cut."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        value = value.date()
    return _cut(str(value), VALUE_CHARS)


def _cut(text: str, limit: int) -> str:
    """Text on one line, cut at a space before ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit)
    return text[: space if space > limit // 2 else limit - 1] + " …"


def card_html(label: str, colour: str, variables: Sequence[tuple[str, object]], text: str) -> str:
    """Topic (with its colour), the row's other columns, then the start of the document."""
    swatch = f'<span style="color:{colour}; font-size:large;">■</span>'
    parts = [f"<p style='margin:0 0 4px 0'>{swatch} <b>{html.escape(label)}</b></p>"]
    shown = [(str(name), _short(value)) for name, value in variables]
    shown = [(name, value) for name, value in shown if value][:MAX_VARIABLES]
    if shown:
        cells = "".join(
            f"<tr><td style='color:#666666; padding-right:8px'>{html.escape(name)}</td>"
            f"<td>{html.escape(value)}</td></tr>"
            for name, value in shown
        )
        parts.append(f"<table cellspacing='0' cellpadding='0'>{cells}</table>")
    snippet = _cut(str(text), SNIPPET_CHARS)
    parts.append(f"<p style='margin:4px 0 0 0'>{html.escape(snippet)}</p>")
    return "".join(parts)


def block_card_html(
    counts: np.ndarray, names: dict[int, str], none_name: str, colours: dict[int, str]
) -> str:
    """A block of the density map: its document count, its three most common topics (or
    groups, periods) with their share, and how to see single documents.

    ``counts`` holds the block's documents per code column (column 0: no code)."""
    total = int(counts.sum())
    rows = []
    for code, n in top_codes(counts):
        name = names.get(code, str(code)) if code >= 0 else none_name
        colour = colours.get(code, UNASSIGNED_COLOUR) if code >= 0 else UNASSIGNED_COLOUR
        rows.append(
            f"<tr><td><span style='color:{colour}; font-size:large;'>■</span></td>"
            f"<td style='padding-right:8px'>{html.escape(_cut(name, VALUE_CHARS))}</td>"
            f"<td align='right'>{100 * n / max(total, 1):.0f}%</td></tr>"
        )
    return (
        f"<p style='margin:0 0 4px 0'><b>{total:,} document{'s' if total != 1 else ''} here</b></p>"
        f"<table cellspacing='0' cellpadding='0'>{''.join(rows)}</table>"
        "<p style='margin:4px 0 0 0; color:#666666'>Zoom in to see single documents</p>"
    )


def place(pointer: QPoint, size: QSize, screen: QRect) -> QPoint:
    """Top-left corner for the card: beside the pointer, flipped to stay on the screen."""
    x, y = pointer.x() + OFFSET.x(), pointer.y() + OFFSET.y()
    if x + size.width() > screen.right():
        x = pointer.x() - OFFSET.x() - size.width()
    if y + size.height() > screen.bottom():
        y = pointer.y() - OFFSET.y() - size.height()
    x = max(screen.left(), min(x, screen.right() - size.width()))
    y = max(screen.top(), min(y, screen.bottom() - size.height()))
    return QPoint(x, y)


class HoverCard(QLabel):
    """A tooltip-like window for one document; the map shows, moves and hides it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.ToolTip | Qt.FramelessWindowHint)
        self.setObjectName("mapHoverCard")
        self.setTextFormat(Qt.RichText)
        self.setMargin(8)
        self.setAttribute(Qt.WA_ShowWithoutActivating)
        self.setForegroundRole(QPalette.ToolTipText)
        self.setBackgroundRole(QPalette.ToolTipBase)
        self.setAutoFillBackground(True)
        self.setStyleSheet("#mapHoverCard { border: 1px solid #9a9a9a; }")
        self.row: int | None = None

    def show_row(self, row: int, html_text: str, pointer: QPoint) -> None:
        """Show a document's card beside the pointer (global coordinates)."""
        if row != self.row or self.text() != html_text:
            self.setWordWrap(False)
            self.setText(html_text)
            natural = self.sizeHint()
            if natural.width() > MAX_WIDTH:
                self.setWordWrap(True)
                natural = QSize(MAX_WIDTH, self.heightForWidth(MAX_WIDTH))
            self.resize(natural)
            self.row = row
        screen = QGuiApplication.screenAt(pointer) or QGuiApplication.primaryScreen()
        self.move(place(pointer, self.size(), screen.availableGeometry()))
        self.show()
        self.raise_()

    def dismiss(self) -> None:
        self.row = None
        self.hide()
