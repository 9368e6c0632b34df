"""Starting, opening and describing projects."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from topicdesk.application.files import FileKind, file_kind
from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings, suggest_min_topic_size
from topicdesk.pipeline.long_texts import LongCount


def suggested_settings(corpus: Corpus, base: FitSettings | None = None) -> FitSettings:
    """Settings a newcomer can trust for this corpus (the minimum topic size scales with it)."""
    base = base or FitSettings()
    return base.replace(min_topic_size=suggest_min_topic_size(int(corpus.has_text.sum())))


def start_project(corpus: Corpus, language: str | None = None) -> Project:
    """A new, unfitted project with settings suggested for its corpus: its language (found
    in a sample, or ``language`` when the researcher chose one), the model that reads it,
    and for speeches the forms of address as the project's own stop words."""
    from topicdesk.application import languages

    project = Project(corpus)
    choice = languages.suggest(corpus, language)
    settings = suggested_settings(corpus, project.settings)
    project.settings = settings.replace(language=choice.language, model=choice.model)
    project.state.stop_words = languages.address_words(choice)
    return project


def open_project(path: str | Path) -> Project:
    """Read a saved project (checked, never executed)."""
    from topicdesk.project.store import open_project as read

    return read(path)


def open_any(
    path: str | Path,
    sheet: str | None = None,
    text_column: str | None = None,
    date_column: str | None = None,
    group_column: str | None = None,
) -> tuple[Project, bool]:
    """A project from a project file or a spreadsheet; True when it came from a project file.

    Column and sheet choices only apply to spreadsheets: a project already has them.
    """
    from topicdesk.errors import TopicDeskError
    from topicdesk.io.readers import load_corpus

    if file_kind(path) is FileKind.PROJECT:
        if sheet or text_column:
            raise TopicDeskError(
                "A sheet or text column applies to spreadsheets; a project already has its text column."
            )
        return open_project(path), True
    corpus = load_corpus(path, sheet, text_column, date_column, group_column)
    return start_project(corpus), False


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class ProjectSummary:
    """The counts a researcher needs to read any other number in the app correctly."""

    rows: int
    empty_texts: int
    distinct_texts: int
    repeated_texts: int
    fitted: bool
    topics: int
    unassigned: int
    human_edits: int
    long_texts: LongCount | None = None  # None: not counted (see summarize)
    long_text_mode: str = "whole"
    embedded: bool = False  # the project holds embeddings a fit with its settings reuses

    @property
    def with_text(self) -> int:
        return self.rows - self.empty_texts

    def documents_sentence(self) -> str:
        """How many rows are analysed and why the count can differ from the table's."""
        parts = [_count(self.rows, "row")]
        if self.empty_texts:
            parts.append(f"{self.empty_texts:,} with an empty text (left without a topic)")
        if self.repeated_texts:
            parts.append(
                f"{self.repeated_texts:,} repeating another row's text word for word "
                "(each distinct text is embedded once and repeats share its topic)"
            )
        texts = _count(self.distinct_texts, "distinct text")
        if self.embedded:
            tail = f"{texts}, embedded already (the project's saved embeddings are reused)."
        else:
            tail = f"{texts} to embed."
        sentence = "; ".join(parts) + ": " + tail
        return f"{sentence} {self.long_texts_sentence()}".rstrip()

    def long_texts_sentence(self) -> str:
        """How many texts are longer than the model reads at once, and what happens to them."""
        count = self.long_texts
        if count is None:
            return ""
        if count.long == 0:
            return f"No text is longer than the model reads at once ({_window_words(count)})."
        about = "" if count.exact else "about "
        verb = "is" if count.long == 1 and count.exact else "are"
        head = (
            f"{about}{_count(count.long, 'text')} {verb} longer than the model reads at once "
            f"({_window_words(count)})"
        )
        if self.long_text_mode == "whole" or count.always_windows:
            return f"{head[0].upper()}{head[1:]}: each is read whole, in windows whose meanings are averaged."
        return f"{head[0].upper()}{head[1:]}: only the first {count.window} {count.unit} of each are used."

    def topics_sentence(self) -> str:
        if not self.fitted:
            return "No topics yet."
        return (
            f"{self.topics:,} topics; {self.unassigned:,} of {self.with_text:,} documents "
            "with text unassigned"
        )


def _window_words(count: LongCount) -> str:
    """The window in its unit and, for word pieces, in words (0.6 to 0.8 words a piece)."""
    if count.unit != "word pieces":
        return f"{count.window} {count.unit}"
    low, high = (round(count.window * f / 50) * 50 for f in (0.6, 0.8))
    return f"{count.window} word pieces, some {low} to {high} words"


def long_text_count(corpus: Corpus, settings: FitSettings) -> LongCount | None:
    """Texts longer than the model's window (estimated from a sample in large corpora),
    or None when the model's tokenizer cannot be read. The Universal Sentence Encoder's
    windows are words, counted without the model; multilingual-e5 counts with its own
    encoder (loaded for it if the fit has not loaded it). Remembered per corpus and window."""
    from topicdesk.errors import TopicDeskError
    from topicdesk.pipeline import embed, encoders, long_texts, multilingual_encoder

    try:
        folder = embed.resolve_model(settings)
    except TopicDeskError:
        return None
    key = (corpus.text_hash, folder, settings.max_seq_length)
    if key not in _LONG_COUNTS:
        texts, _ = corpus.unique_texts()
        if settings.model == multilingual_encoder.USE_MULTILINGUAL.name:
            count = multilingual_encoder.count_long_words(texts)  # no model needed
        elif multilingual_encoder.is_packaged(settings.model):
            encoder = encoders.ENCODERS.loaded(settings) or encoders.load_encoder(settings)
            count = encoder.count_long(texts)
        else:
            tokenizer = long_texts.load_counting_tokenizer(folder)
            count = None
            if tokenizer is not None:
                count = long_texts.count_long(tokenizer, texts, settings.max_seq_length)
        if count is None:
            return None
        _LONG_COUNTS[key] = count
    return _LONG_COUNTS[key]


_LONG_COUNTS: dict[tuple[str, str, int], LongCount] = {}


def reuses_embeddings(project: Project, settings: FitSettings) -> bool:
    """Whether a fit with ``settings`` would take the embeddings saved in the project
    (same model, texts and reading of them) rather than embed every text again."""
    from topicdesk.pipeline.runner import stage_keys

    if project.cache.embeddings is None:
        return False
    key = stage_keys(project.corpus, settings)[0]
    rows = len(project.corpus.unique_texts()[0])
    return project.cache.matching("embeddings", key, rows) is not None


def summarize(
    project: Project, before_fit: bool = False, settings: FitSettings | None = None
) -> ProjectSummary:
    """The project's counts; ``before_fit`` adds what a fit with ``settings`` (default:
    the project's) will do with the texts: how many exceed the model's window (tokenises up
    to 400 texts once per corpus) and whether saved embeddings are reused. For the fit
    dialog and command, not every status update."""
    corpus, state = project.corpus, project.state
    assert state is not None
    settings = settings or project.settings
    has_text = corpus.has_text
    distinct = len(corpus.unique_texts()[0])
    empty = int((~has_text).sum())
    return ProjectSummary(
        rows=len(corpus),
        empty_texts=empty,
        distinct_texts=distinct,
        repeated_texts=len(corpus) - empty - distinct,
        fitted=project.fitted,
        topics=len(state.topics),
        unassigned=int(((state.assignments < 0) & has_text).sum()),
        human_edits=sum(1 for e in project.history.log if e.action == "do"),
        long_texts=long_text_count(corpus, settings) if before_fit else None,
        long_text_mode=settings.long_texts,
        embedded=before_fit and reuses_embeddings(project, settings),
    )


_DISPLAY: dict[str, list[str]] = {}


def display_texts(project: Project) -> list[str]:
    """The texts as the app shows them: mis-decoded characters repaired when the project
    cleans its texts ("cafÃ©" reads "café"); the cells themselves are never changed.
    Worked out once per corpus (about a quarter of a second per megabyte of non-ASCII text)."""
    corpus = project.corpus
    if not project.settings.clean_text:
        return corpus.texts
    if corpus.text_hash not in _DISPLAY:
        from topicdesk.pipeline.textclean import display_text

        _DISPLAY.clear()  # one corpus open at a time
        _DISPLAY[corpus.text_hash] = [display_text(t) for t in corpus.texts]
    return _DISPLAY[corpus.text_hash]
