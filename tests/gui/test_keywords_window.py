"""Readable keywords in the window: own stop words, ignore a keyword, repaired characters."""

from __future__ import annotations

import pandas as pd

from tests.factories import curated_project
from topicdesk.gui.dialogs.stop_words_dialog import StopWordsDialog


def test_stop_words_dialog_and_keyword_menu_recompute_and_undo(
    make_window, sotu, qtbot, monkeypatch
):
    window = make_window()
    project = curated_project(sotu.head(300), n_topics=4)
    window.session.replace(project, None)
    window.session.recompute_keywords()
    before = {t.id: list(t.keywords) for t in project.state.topics.values()}
    word = before[1][0]

    window.choice.set([1])
    menu = window.inspector.keyword_menu.build_menu()
    ignore = menu.actions()[0].menu().actions()[0]
    assert ignore.text() == word
    ignore.trigger()
    assert word in project.state.stop_words
    assert window.session.undo_stack.undoText() == f"Ignore “{word}”"
    assert all(word not in t.keywords for t in project.state.topics.values())
    assert project.state.topics[0].label == "Economy '); DROP TABLE topics;--"  # a given name stays
    window.actions["undo"].trigger()
    assert project.state.stop_words == () and project.state.topics[1].keywords == before[1]

    def edit_words(dialog: StopWordsDialog) -> int:
        dialog.editor.setPlainText("gentlemen\nfellow citizens\n")
        dialog.accept()
        return 1

    monkeypatch.setattr(StopWordsDialog, "exec", edit_words)
    window.actions["stop_words"].trigger()
    assert project.state.stop_words == ("fellow citizens", "gentlemen")
    assert window.session.undo_stack.undoText() == "Ignore 2 more words"


def test_mis_decoded_characters_are_shown_repaired_and_exported_as_they_were(make_window, qtbot):
    texts = [f"Le cafÃ© numÃ©ro {i} est ouvert le dimanche." for i in range(30)]
    window = make_window()
    project = curated_project(pd.DataFrame({"text": texts}))
    window.session.replace(project, None)
    assert window.table.model.document(0)[2] == "Le café numéro 0 est ouvert le dimanche."
    assert project.corpus.texts[0] == texts[0]  # the cell itself is untouched
    assert window.map.tooltip_for(0).count("café") == 1
