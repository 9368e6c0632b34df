"""Preview of splitting a topic: the sub-topics it would give, to name before applying."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from topicdesk.analysis.topic_tree import SplitPreview

NAME, SIZE, WORDS = range(3)


class SplitDialog(QDialog):
    """Shows a :class:`SplitPreview`; the names can be edited; ``labels()`` after OK."""

    def __init__(self, preview: SplitPreview, topic_label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Split topic")
        self.resize(720, 420)
        self.preview = preview
        total = sum(preview.sizes) + len(preview.remaining)
        intro = QLabel(
            f"Topic {preview.topic_id} (“{topic_label}”, {total:,} documents) would be split "
            f"into {len(preview.groups)} sub-topics, found by clustering its documents again "
            "the way a fit does. They stay under it in the topic list; "
            "Topics › Merge into parent puts one back. Nothing changes until you click Split."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(preview.groups), 3)
        self.table.setHorizontalHeaderLabels(["Name (edit to rename)", "Documents", "Keywords"])
        for i, (label, size, words) in enumerate(
            zip(preview.labels, preview.sizes, preview.keywords)
        ):
            self.table.setItem(i, NAME, QTableWidgetItem(label))
            count = QTableWidgetItem(f"{size:,}")
            count.setTextAlignment(int(Qt.AlignRight | Qt.AlignVCenter))
            keywords = QTableWidgetItem(", ".join(words[:8]))
            for item in (count, keywords):
                item.setFlags(item.flags() & ~Qt.ItemIsEditable)
            self.table.setItem(i, SIZE, count)
            self.table.setItem(i, WORDS, keywords)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.Interactive)
        header.resizeSection(NAME, 230)
        header.setSectionResizeMode(SIZE, QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        rest = QLabel(
            f"{len(preview.remaining):,} documents fit no sub-topic and stay in topic "
            f"{preview.topic_id} itself."
            if preview.remaining
            else "Every document goes to a sub-topic."
        )
        rest.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Split")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(rest)
        layout.addWidget(buttons)

    def labels(self) -> list[str]:
        """The names to give, "" where the suggested name was kept (it follows the keywords)."""
        out = []
        for i, suggested in enumerate(self.preview.labels):
            text = self.table.item(i, NAME).text().strip()
            out.append("" if text == suggested else text)
        return out
