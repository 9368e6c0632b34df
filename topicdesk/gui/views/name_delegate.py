"""Topic-name cells that end after a whole keyword when the column is too narrow."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from topicdesk.gui.views.short_names import whole_keywords


class WholeKeywordDelegate(QStyledItemDelegate):
    """Draws "government, federal…" where Qt's own eliding would draw "government,
    federal, con…": a cut keyword reads as another word. The full name stays in the
    cell's tooltip and in the model."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        text_rect = style.subElementRect(QStyle.SE_ItemViewItemText, opt, widget)
        margin = style.pixelMetric(QStyle.PM_FocusFrameHMargin, None, widget) + 1
        room = text_rect.width() - 2 * margin
        metrics = opt.fontMetrics
        opt.text = whole_keywords(opt.text, lambda text: metrics.horizontalAdvance(text) <= room)
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, widget)
