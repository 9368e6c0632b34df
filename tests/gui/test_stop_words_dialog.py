"""The stop-words dialog and the keyword context menu ("Ignore this word everywhere")."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from topicdesk.gui.dialogs.stop_words_dialog import StopWordsDialog
from topicdesk.gui.views.keyword_menu import KeywordMenu, keyword_html


def test_dialog_edits_and_normalises_the_list(qtbot):
    dialog = StopWordsDialog(["hon", "gentleman"])
    qtbot.addWidget(dialog)
    assert dialog.editor.toPlainText() == "gentleman\nhon" and not dialog.changed()
    assert dialog.count.text() == "2 words or phrases"
    dialog.editor.setPlainText("Hon\n  right   honourable \n\nhon\nfriend")
    assert dialog.words() == ["friend", "hon", "right honourable"] and dialog.changed()
    assert dialog.count.text() == "3 words or phrases"
    dialog.clear_button.click()
    assert dialog.words() == [] and dialog.count.text() == "0 words or phrases"


def test_dialog_adds_words_from_a_file_and_explains_a_bad_one(qtbot, tmp_path):
    dialog = StopWordsDialog(["hon"])
    qtbot.addWidget(dialog)
    words = tmp_path / "words.txt"
    words.write_text("Speaker\n# comment\nmadam deputy speaker\n", encoding="utf-8")
    assert dialog.add_from_file(str(words))
    assert dialog.words() == ["hon", "madam deputy speaker", "speaker"]
    assert not dialog.add_from_file(str(tmp_path / "missing.txt"))
    assert dialog.error.isVisibleTo(dialog) and "does not exist" in dialog.error.text()
    assert dialog.words() == ["hon", "madam deputy speaker", "speaker"]  # unchanged


def test_right_click_on_a_keyword_requests_ignoring_it(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    label.setText(keyword_html(["tax", "hon gentleman", "r&d"], [0.5, 0.4, 0.3]))
    assert "keyword:hon%20gentleman" in label.text() and "r&amp;d" in label.text()
    menu = KeywordMenu(label, lambda: ["tax", "hon gentleman", "r&d"])
    label.linkHovered.emit("keyword:hon%20gentleman")
    built = menu.build_menu()
    [action] = built.actions()
    assert action.text() == "Ignore “hon gentleman” everywhere"
    with qtbot.waitSignal(menu.ignoreRequested) as signal:
        action.trigger()
    assert signal.args == ["hon gentleman"]


def test_right_click_between_keywords_lists_them_all(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    menu = KeywordMenu(label, lambda: ["tax", "r&d"])
    label.linkHovered.emit("")
    [entry] = menu.build_menu().actions()
    words = entry.menu().actions()
    assert [a.text() for a in words] == ["tax", "r&d"]
    with qtbot.waitSignal(menu.ignoreRequested) as signal:
        words[1].trigger()
    assert signal.args == ["r&d"]
    assert KeywordMenu(label, list).build_menu() is None
