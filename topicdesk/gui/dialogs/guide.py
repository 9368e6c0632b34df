"""The user guide, shown inside the app.

Handing docs/user-guide.md to the desktop did nothing visible where no program is
registered for Markdown ("Unable to detect a launcher"). A QTextBrowser renders the
Markdown itself, with its pictures scaled to the window; links to other local pages open
in the same window (Back returns), links to a heading scroll there, and web links go to
the user's browser, never fetched by TopicDesk.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from topicdesk.errors import TopicDeskError
from topicdesk.resources import resources_root

IMAGE_WIDTH = 760  # px: wider screenshots are scaled down to fit the window


def guide_path() -> Path:
    """docs/user-guide.md beside the resources, in a checkout and in the packaged app."""
    path = resources_root().parent / "docs" / "user-guide.md"
    if not path.is_file():
        raise TopicDeskError(
            "The user guide is not installed with this copy of TopicDesk; reinstall TopicDesk "
            "to get it."
        )
    return path


def heading_anchor(title: str) -> str:
    """The anchor a link uses for a heading, as GitHub makes it ("1. Open" -> "1-open")."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


class GuideBrowser(QTextBrowser):
    """A QTextBrowser that scales pictures to fit and gives headings their link anchors."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(True)
        self.setOpenExternalLinks(True)  # web links open in the desktop's browser
        self.document().setDocumentMargin(14)

    def doSetSource(self, name: QUrl, resource_type=QTextDocument.UnknownResource) -> None:
        super().doSetSource(name, resource_type)
        self._anchor_headings()
        if name.hasFragment():  # a link into another page: go to its heading
            self.scrollToAnchor(name.fragment())

    def _anchor_headings(self) -> None:
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0:
                cursor = QTextCursor(block)
                cursor.select(QTextCursor.BlockUnderCursor)
                anchor = QTextCharFormat()
                anchor.setAnchor(True)
                anchor.setAnchorNames([heading_anchor(block.text())])
                cursor.mergeCharFormat(anchor)
            block = block.next()

    def loadResource(self, kind: int, name: QUrl) -> object:
        data = super().loadResource(kind, name)
        if kind != QTextDocument.ImageResource or data is None:
            return data
        image = data if isinstance(data, QImage) else QImage.fromData(data)
        if image.width() > IMAGE_WIDTH:
            image = image.scaledToWidth(IMAGE_WIDTH, Qt.SmoothTransformation)
        return image


class GuideDialog(QDialog):
    """A window with the guide and Back, Forward and Home buttons."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("TopicDesk user guide")
        self.resize(IMAGE_WIDTH + 120, 760)
        self.browser = GuideBrowser(self)
        self.browser.setSource(QUrl.fromLocalFile(str(path)))
        back = QPushButton("Back")
        forward = QPushButton("Forward")
        home = QPushButton("Home")
        back.setEnabled(False)
        forward.setEnabled(False)
        back.clicked.connect(self.browser.backward)
        forward.clicked.connect(self.browser.forward)
        home.clicked.connect(self.browser.home)
        self.browser.backwardAvailable.connect(back.setEnabled)
        self.browser.forwardAvailable.connect(forward.setEnabled)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        row = QHBoxLayout()
        for button in (back, forward, home):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)


def show_user_guide(parent: QWidget) -> GuideDialog:
    """Show the guide beside the window (not blocking it); a second call raises the same one."""
    dialog = parent.findChild(GuideDialog)
    if dialog is None:
        dialog = GuideDialog(guide_path(), parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
