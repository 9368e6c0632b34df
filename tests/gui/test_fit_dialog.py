"""The fit dialog stays on the screen with its advanced rows open."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from topicdesk.application.projects import ProjectSummary
from topicdesk.core.settings import FitSettings
from topicdesk.gui.dialogs.fit_dialog import FitDialog


def test_advanced_rows_scroll_so_the_buttons_stay_on_a_small_screen(qtbot):
    dialog = FitDialog(FitSettings(), ProjectSummary(1000, 0, 1000, 0, False, 0, 0, 0))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    area = dialog.screen().availableGeometry()
    screen = area.height()
    dialog.move(dialog.x(), area.bottom() - dialog.frameGeometry().height())  # low on screen
    closed = dialog.height()

    dialog.advanced_toggle.setChecked(True)
    qtbot.wait(50)
    scroll = dialog.advanced_scroll
    assert scroll.isVisible() and dialog.height() > closed
    assert dialog.height() <= screen
    assert area.contains(dialog.frameGeometry())  # lifted, not grown past the screen's foot
    fit = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
    assert fit.mapTo(dialog, fit.rect().bottomLeft()).y() <= dialog.height()
    rows_needed = dialog.advanced.sizeHint().height()
    if rows_needed > scroll.viewport().height():  # the rows did not fit: they scroll
        assert scroll.verticalScrollBar().maximum() > 0
    assert scroll.horizontalScrollBar().maximum() == 0  # every row is seen whole in width

    dialog.advanced_toggle.setChecked(False)
    assert not scroll.isVisible()


def test_intro_says_when_a_change_means_embedding_again(qtbot):
    summary = ProjectSummary(1000, 0, 1000, 0, True, 12, 0, 0)
    dialog = FitDialog(
        FitSettings(), summary, reuses=lambda settings: settings.max_seq_length == 256
    )
    qtbot.addWidget(dialog)
    assert "1,000 distinct texts, embedded already" in dialog.intro.text()
    dialog.widgets["max_seq_length"].setValue(128)
    assert "1,000 distinct texts to embed." in dialog.intro.text()
    dialog.widgets["max_seq_length"].setValue(256)
    assert "embedded already" in dialog.intro.text()
