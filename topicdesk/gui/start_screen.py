"""What the window shows before any file is open: what TopicDesk does and where to start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from topicdesk.resources import resources_root

INTRO = (
    "TopicDesk finds the topics in your texts — survey answers, interviews, speeches, articles — "
    "and lets you read, rename, merge and reshape them on a map of your documents. "
    "Everything runs on this computer: your data never leaves it."
)


def sample_corpus() -> Path | None:
    path = resources_root() / "sample_sotu.csv"
    return path if path.is_file() else None


class StartScreen(QWidget):
    """Three ways in, and the projects opened recently."""

    openSpreadsheet = Signal()
    openProject = Signal()
    trySample = Signal()
    openRecent = Signal(str)
    openGuide = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(600)
        card.setStyleSheet(
            "#card { background: white; border: 1px solid #ddd; border-radius: 10px; }"
        )
        icon = QLabel()
        logo = resources_root() / "icons" / "topicdesk-128.png"
        if logo.is_file():
            icon.setPixmap(
                QPixmap(str(logo)).scaled(72, 72, Qt.KeepAspectRatio, Qt.SmoothTransformation)
            )
        icon.setAlignment(Qt.AlignCenter)
        title = QLabel("TopicDesk")
        title.setAlignment(Qt.AlignCenter)
        title.setStyleSheet("font-size: 26px; font-weight: 600;")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignCenter)
        intro.setStyleSheet("font-size: 13px; color: #333;")
        intro.setMinimumHeight(intro.heightForWidth(600 - 72) + 8)

        buttons = []
        for text, tip, signal in (
            (
                "Open a spreadsheet…",
                "Excel, CSV or OpenDocument file with one document per row",
                self.openSpreadsheet,
            ),
            ("Open a project…", "A .topicdesk file saved earlier", self.openProject),
            (
                "Try the sample corpus",
                "3,000 paragraphs of U.S. State of the Union addresses (public domain)",
                self.trySample,
            ),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.setMinimumHeight(40)
            button.setStyleSheet("font-size: 14px;")
            button.clicked.connect(signal.emit)
            buttons.append(button)
        self.sample_button = buttons[2]
        if sample_corpus() is None:
            self.sample_button.setEnabled(False)
            self.sample_button.setToolTip(
                "The sample corpus is not installed with this copy of TopicDesk"
            )

        guide = QLabel("New here? Read the <a href='guide'>short user guide</a>.")
        guide.setAlignment(Qt.AlignCenter)
        guide.linkActivated.connect(lambda _link: self.openGuide.emit())
        self.guide_label = guide
        self.recent_title = QLabel("Recent projects")
        self.recent_title.setStyleSheet("color: #666; margin-top: 8px;")
        self.recent = QListWidget()
        self.recent.setStyleSheet(
            "QListWidget { border: none; background: transparent; }"
            "QListWidget::item { padding: 3px; color: #1a5fb4; }"
        )
        self.recent.itemClicked.connect(lambda item: self.openRecent.emit(item.data(Qt.UserRole)))

        inner = QVBoxLayout(card)
        inner.setContentsMargins(36, 28, 36, 28)
        inner.setSpacing(12)
        inner.addWidget(icon)
        inner.addWidget(title)
        inner.addWidget(intro)
        inner.addSpacing(8)
        for button in buttons:
            inner.addWidget(button)
        inner.addWidget(guide)
        inner.addWidget(self.recent_title)
        inner.addWidget(self.recent)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignHCenter)
        outer.addStretch(2)
        self.setStyleSheet("StartScreen { background: #f4f5f7; }")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.set_recent([])

    def set_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for path in paths:
            item = QListWidgetItem(Path(path).name)
            item.setToolTip(path)
            item.setData(Qt.UserRole, path)
            self.recent.addItem(item)
        self.recent.setFixedHeight(min(len(paths), 6) * 24 + 4)
        self.recent.setVisible(bool(paths))
        self.recent_title.setVisible(bool(paths))
