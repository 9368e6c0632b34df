"""Keywords per language: stop words from stopwords-iso, the parliamentary list, and
words split as each language writes them."""

from __future__ import annotations

import re

import pytest

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import keywords, stopwords

FUNCTION_WORDS = {
    "german": ("und", "der", "nicht"),
    "french": ("les", "une", "dans"),
    "spanish": ("los", "una", "para"),
    "italian": ("gli", "della", "per"),
    "dutch": ("het", "een", "niet"),
    "portuguese": ("não", "uma", "para"),
    "polish": ("się", "jest", "nie"),
    "swedish": ("och", "att", "det"),
}


@pytest.mark.parametrize("language", sorted(FUNCTION_WORDS))
def test_each_language_has_its_function_words_and_english_ones(language):
    words = set(stopwords.stop_words(language))
    assert set(FUNCTION_WORDS[language]) <= words
    assert {"the", "and", "of"} <= words  # quotes and titles in English stay out of names


def test_english_is_scikit_learns_list_as_before():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert stopwords.stop_words("english") == sorted(ENGLISH_STOP_WORDS)
    assert stopwords.stop_words("none") is None


def test_german_keeps_content_words_the_maintained_list_has():
    words = set(stopwords.stop_words("german"))
    assert {"menschen", "gott", "recht", "arbeit"}.isdisjoint(words)
    assert {"dass", "daß", "außerdem", "jedoch"} <= words
    assert {"heuer", "bislang"} <= words  # Austrian "this year", like "heute"; like "bisher"


def test_mixed_joins_the_lists_of_the_languages_found():
    texts = ["Der Bundestag hat heute über den Haushalt debattiert."] * 5 + [
        "Le gouvernement a présenté son budget hier soir à Paris."
    ] * 5
    words = set(stopwords.stop_words("mixed", texts))
    assert {"und", "les", "dans", "der"} <= words
    assert "nosotros" not in words  # Spanish was not found


def test_parliamentary_lists_hold_forms_of_address():
    assert {"präsidentin", "kollegin", "frau"} <= set(stopwords.parliamentary(("de",)))
    assert {"monsieur", "président"} <= set(stopwords.parliamentary(("fr",)))
    assert "hon" in stopwords.parliamentary(("en",))
    speeches = ["Frau Präsidentin! Meine Damen und Herren! Wir beraten heute."] * 3
    assert stopwords.looks_like_speeches(speeches + ["Ein Bericht über das Wetter."])
    assert not stopwords.looks_like_speeches(["Ein Bericht über das Wetter."] * 10)


def _tokens(text: str, language: str) -> list[str]:
    cleaned = keywords._clean(text, True, language).lower()
    return re.findall(keywords.token_pattern(language), cleaned)


def test_words_keep_umlauts_accents_apostrophes_and_hyphens():
    text = "Die CDU-Fraktion lehnt die Änderung ab; aujourd\u2019hui l\u2019État, Mu\u0308ller."
    tokens = _tokens(text, "french")
    assert {"cdu-fraktion", "änderung", "aujourd'hui", "état", "müller"} <= set(tokens)
    assert "l'état" not in tokens  # the elided article is cut off
    assert _tokens("dell'Unione europea, nell'anno", "italian") == ["unione", "europea", "anno"]
    assert "collega's" in _tokens("De collega's van de minister", "dutch")
    assert _tokens("Haus- und Hofpolitik 2-3 20", "german") == ["haus", "und", "hofpolitik"]


def test_english_tokens_are_unchanged():
    assert _tokens("The hon. Member's e-mail", "english") == ["the", "hon", "member", "mail"]


def test_german_keywords_come_from_german_words_without_stop_words():
    texts = [
        "Die Bürgerinnen und Bürger in Österreich zahlen höhere Gebühren für die Müllabfuhr.",
        "Die Müllabfuhr in Österreich wird teurer, sagen die Bürgerinnen und Bürger.",
        "Der Fußball-Verein hat das Derby gegen den Nachbarn gewonnen.",
        "Das Derby gewann der Fußball-Verein nach einem späten Tor.",
    ]
    labels = __import__("numpy").array([0, 0, 1, 1])
    settings = FitSettings(language="german", min_df=2, ngram_max=1)
    words = keywords.topic_keywords(texts, labels, settings)
    assert {"müllabfuhr", "österreich", "bürgerinnen"} <= set(words[0][0])
    assert {"fußball-verein", "derby"} <= set(words[1][0])
    assert not {"die", "und", "der", "das"} & set(words[0][0] + words[1][0])


def test_own_stop_words_are_split_as_the_language_splits_words():
    words, phrases = keywords.own_stop_words(
        ["CDU-Fraktion", "l\u2019État", "Frau Kollegin"], "french"
    )
    assert words == ["cdu-fraktion", "état"] and phrases == ["frau kollegin"]
