"""Which language a corpus is in: short texts, one language, mixed corpora."""

from __future__ import annotations

from topicdesk.core import languages

GERMAN = [
    "Der Bundestag hat heute lange über den Haushalt für das nächste Jahr debattiert.",
    "Die Mannschaft gewann das Spiel nach einem späten Tor in der Nachspielzeit.",
    "Die Preise für Strom und Gas sind im vergangenen Winter deutlich gestiegen.",
    "Viele Schülerinnen und Schüler müssen morgens weite Wege zur Schule fahren.",
]
ENGLISH = [
    "Parliament debated the budget for next year late into the night.",
    "The team won the match after a late goal in stoppage time.",
    "Electricity and gas prices rose sharply over the past winter.",
    "Many pupils travel a long way to school every morning.",
]
FRENCH = [
    "Le gouvernement a présenté hier soir son projet de budget pour l'année prochaine.",
    "Les agriculteurs s'inquiètent de la sécheresse qui menace les récoltes de l'été.",
]


def test_one_language_is_named_with_its_setting():
    report = languages.detect(GERMAN * 10)
    assert report.main == "de" and not report.mixed
    assert report.setting == "german"
    assert report.sentence() == "Language: German 100% of 40 texts sampled."


def test_short_texts_are_left_out_of_the_sample_unless_nothing_else_is_there():
    report = languages.detect(["ok", "ja", "Hi", *FRENCH])
    assert report.sampled == 2 and report.setting == "french"
    only_short = languages.detect(["Danke!", "Merci"])
    assert only_short.sampled == 2  # still classified rather than called empty


def test_a_mixed_corpus_says_so_and_asks_for_each_languages_stop_words():
    report = languages.detect(GERMAN * 5 + ENGLISH * 5)
    assert report.mixed and set(report.found) == {"de", "en"}
    assert report.setting == languages.MIXED
    assert report.sentence().startswith("Mixed languages: ")
    assert set(languages.codes_for(languages.MIXED, GERMAN * 5 + ENGLISH * 5)) == {"de", "en"}


def test_a_language_without_a_list_is_named_by_its_code():
    czech = ["Vláda dnes schválila rozpočet na příští rok po dlouhé debatě ve sněmovně."] * 5
    report = languages.detect(czech)
    assert report.setting == "none"
    assert "(no stop-word list for it)" in report.sentence()


def test_no_text_at_all_is_said_in_words():
    report = languages.detect(["", "  "])
    assert report.main is None and report.setting == "none"
    assert report.sentence() == "Language: too little text to tell."
