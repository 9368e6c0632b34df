"""Sentences repeated word for word across many texts are left out of what is read."""

from __future__ import annotations

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import boilerplate
from topicdesk.pipeline.runner import model_texts

NOTICE = "Der Volltext dieses Artikels steht aus rechtlichen Gründen nicht zur Verfügung."


def _texts(n_notice: int) -> list[str]:
    texts = [
        f"Meldung {i}: Die Regierung plant neue Regeln für Mieten. {NOTICE}"
        for i in range(n_notice)
    ]
    return texts + [f"Bericht {i} über das Wetter in den Bergen und im Tal." for i in range(200)]


def test_a_sentence_in_five_texts_is_boilerplate_and_left_out():
    texts = _texts(5)
    assert boilerplate.repeated_sentences(texts) == {NOTICE}
    cleaned = boilerplate.without(texts)
    assert NOTICE not in cleaned[0] and "neue Regeln für Mieten" in cleaned[0]
    assert cleaned[5:] == texts[5:]
    assert model_texts(texts, FitSettings())[0] == cleaned[0]
    assert model_texts(texts, FitSettings(clean_text=False)) == texts


def test_fewer_repeats_or_short_sentences_stay():
    assert boilerplate.repeated_sentences(_texts(4)) == frozenset()
    assert boilerplate.repeated_sentences(["Vielen Dank. Gut."] * 10) == frozenset()


def test_a_text_made_only_of_boilerplate_is_kept_whole():
    texts = [NOTICE] * 6 + [f"Ein anderer Text Nummer {i} über Politik." for i in range(10)]
    assert boilerplate.without(texts)[0] == NOTICE
