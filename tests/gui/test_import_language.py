"""The import dialog names the corpus's language and lets the researcher change it."""

from __future__ import annotations

import pandas as pd

from tests.german_slice import german_slice
from topicdesk.application.projects import start_project
from topicdesk.core.settings import DEFAULT_MODEL, MULTILINGUAL_MODEL
from topicdesk.gui.dialogs.import_dialog import ImportDialog


def test_german_texts_are_named_and_the_choice_can_be_overridden(tmp_path, qtbot):
    path = tmp_path / "reden.csv"
    speeches = [f"Frau Präsidentin! Liebe Kolleginnen und Kollegen! {t}" for t in german_slice()[0]]
    pd.DataFrame({"id": range(60), "text": speeches}).to_csv(path, index=False)
    dialog = ImportDialog(path)
    qtbot.addWidget(dialog)
    assert dialog.language_combo.currentData() == "german"
    assert dialog.language_note.text().splitlines() == [
        "Language: German 100% of 60 texts sampled.",
        f"Embedding model: {MULTILINGUAL_MODEL}.",
        "Speeches: forms of address stay out of keywords (edit: Topics › Stop words…).",
    ]
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("english"))
    assert f"Embedding model: {DEFAULT_MODEL}." in dialog.language_note.text()
    dialog.accept()
    assert dialog.language == "english"
    project = start_project(dialog.corpus, dialog.language)
    assert (project.settings.language, project.settings.model) == ("english", DEFAULT_MODEL)


def test_english_texts_keep_the_english_model(articles_csv, qtbot):
    dialog = ImportDialog(articles_csv)
    qtbot.addWidget(dialog)
    assert dialog.language_combo.currentData() == "english"
    assert f"Embedding model: {DEFAULT_MODEL}." in dialog.language_note.text()
