"""Help > User guide (F1) shows the guide inside the app: rendered, with pictures and links."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QMouseEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication

from topicdesk.gui.dialogs import guide
from topicdesk.gui.dialogs.guide import IMAGE_WIDTH, GuideDialog
from topicdesk.resources import resources_root

GUIDE = resources_root().parent / "docs" / "user-guide.md"


def test_f1_shows_the_guide_in_a_window_with_its_pictures(make_window, qtbot, isolated):
    window = make_window()
    window.show()
    window.actions["guide"].trigger()
    dialogs = [d for d in window.findChildren(GuideDialog) if d.isVisible()]
    assert len(dialogs) == 1 and isolated == []
    browser = dialogs[0].browser
    assert browser.source() == QUrl.fromLocalFile(str(GUIDE))
    text = browser.toPlainText()
    assert text.startswith("TopicDesk user guide") and "## " not in text and "![" not in text

    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert len(pictures) >= 5
    shown = []
    block = browser.document().begin()
    while block.isValid():
        for fragment in (it.fragment() for it in block):
            if fragment.isValid() and fragment.charFormat().isImageFormat():
                shown.append(fragment.charFormat().toImageFormat().name())
        block = block.next()
    assert shown == pictures
    for name in shown:
        image = browser.loadResource(QTextDocument.ImageResource, QUrl(name))
        assert not image.isNull() and image.width() <= IMAGE_WIDTH, name

    window.actions["guide"].trigger()  # a second time: the same window, not another
    assert len(window.findChildren(GuideDialog)) == 1


def click_link(browser, words: str) -> None:
    """Click the middle of a link's text, as a person would."""
    start = browser.toPlainText().index(words)
    cursor = QTextCursor(browser.document())
    cursor.setPosition(start + len(words) // 2)
    browser.ensureCursorVisible()
    browser.setTextCursor(cursor)
    pos = QPointF(browser.cursorRect(cursor).center())
    for kind, buttons in (
        (QEvent.MouseButtonPress, Qt.LeftButton),
        (QEvent.MouseButtonRelease, Qt.NoButton),
    ):
        event = QMouseEvent(
            kind, pos, browser.viewport().mapToGlobal(pos), Qt.LeftButton, buttons, Qt.NoModifier
        )
        QApplication.sendEvent(browser.viewport(), event)


class WebBrowser(QObject):
    """Stands in for the desktop's web browser: records what it was asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


@pytest.fixture
def web_browser():
    browser = WebBrowser()
    QDesktopServices.setUrlHandler("https", browser, "open")
    yield browser
    QDesktopServices.unsetUrlHandler("https")


def test_links_to_pages_headings_and_the_web(tmp_path, qtbot, web_browser):
    filler = "\n\n".join(f"Paragraph {i} of the guide." for i in range(80))
    (tmp_path / "guide.md").write_text(
        "# Guide\n\nSee [the other page](other.md), [the last part](#9-exporting-your-work) "
        f"or [the website](https://example.org/topicdesk).\n\n{filler}\n\n"
        "## 9. Exporting your work\n\nThe end.\n",
        encoding="utf-8",
    )
    (tmp_path / "other.md").write_text(
        "# Other page\n\nBack to [the end of the guide](guide.md#9-exporting-your-work).\n",
        encoding="utf-8",
    )
    dialog = GuideDialog(tmp_path / "guide.md")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    browser = dialog.browser
    bar = browser.verticalScrollBar()

    click_link(browser, "the last part")
    assert bar.value() > bar.maximum() // 2  # scrolled down to the heading

    bar.setValue(0)
    click_link(browser, "the website")
    assert web_browser.opened == [QUrl("https://example.org/topicdesk")]
    assert browser.source().fileName() == "guide.md"  # not fetched into the guide

    click_link(browser, "the other page")
    assert browser.source().fileName() == "other.md"
    assert browser.toPlainText().startswith("Other page")
    click_link(browser, "the end of the guide")
    assert browser.source().fileName() == "guide.md" and bar.value() > bar.maximum() // 2
    browser.backward()
    assert browser.source().fileName() == "other.md"


def test_a_missing_guide_is_one_clear_sentence(make_window, monkeypatch, tmp_path, isolated):
    monkeypatch.setattr(guide, "resources_root", lambda: tmp_path / "resources")
    window = make_window()
    window.actions["guide"].trigger()
    assert isolated == [
        "The user guide is not installed with this copy of TopicDesk; reinstall TopicDesk to get it."
    ]
    assert window.findChildren(GuideDialog) == []
