"""Curation steps that need computing: keywords for a hand-made topic, keywords after edits.

The edits themselves live in :mod:`topicdesk.core.edits`; these functions build them
with the words and typical documents the topics now have.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from topicdesk.core import edits
from topicdesk.core.project import Project
from topicdesk.core.state import UNASSIGNED
from topicdesk.errors import TopicDeskError
from topicdesk.pipeline import keywords, ranking
from topicdesk.pipeline.encoders import ENCODERS, EncoderCache

MAX_STOP_WORDS_FILE = 5_000_000  # bytes; a stop-word list is a few kilobytes


def keywords_for_rows(project: Project, rows: list[int]) -> tuple[list[str], list[float]]:
    """Keywords that set some documents apart from the rest, for a topic made by hand."""
    state = project.state
    assert state is not None  # a Project always has a state
    marker = max(state.topics, default=0) + 1
    assignments = state.assignments.copy()
    assignments[np.asarray(rows, dtype=np.int64)] = marker
    return keywords.topic_keywords(
        project.corpus.texts, assignments, project.settings, state.stop_words
    ).get(marker, ([], []))


def new_topic_edit(
    project: Project, rows: list[int] | np.ndarray, label: str = ""
) -> edits.NewTopic:
    """A new topic made of these documents, with keywords of its own."""
    rows = [int(r) for r in rows]
    words, weights = keywords_for_rows(project, rows) if rows else ([], [])
    return edits.NewTopic(rows=rows, label=label, keywords=words, weights=weights)


def _keywords_and_representatives(
    project: Project, stop_words: Iterable[str], encoders: EncoderCache
) -> dict[str, dict]:
    """Every topic's keywords (in the project's keyword order) and typical documents.

    Without saved embeddings the representatives stay as they were and keywords keep
    the c-TF-IDF order.
    """
    state = project.state
    assert state is not None
    settings = project.settings
    texts = project.corpus.texts
    embeddings = project.row_embeddings()
    centres, embed_words = None, None
    if embeddings is not None and settings.keyword_ranking != "ctfidf":
        centres = ranking.centroids(embeddings, state.assignments)
        embed_words = _word_embedder(project, encoders)
    words = ranking.topic_keywords(
        texts, state.assignments, settings, stop_words, centres, embed_words
    )
    representatives = {}
    if embeddings is not None:
        reps = keywords.representatives(
            embeddings, state.assignments, settings.n_representatives, texts
        )
        representatives = {t: reps.get(t, []) for t in state.topics}
    return {
        "keywords": {t: words.get(t, ([], []))[0] for t in state.topics},
        "weights": {t: words.get(t, ([], []))[1] for t in state.topics},
        "representatives": representatives,
    }


def _word_embedder(project: Project, encoders: EncoderCache) -> Callable[[list[str]], np.ndarray]:
    settings = project.settings

    def embed_words(words: list[str]) -> np.ndarray:
        return encoders.get(settings).embed(words, settings.batch_size)

    return embed_words


def recompute_keywords_edit(
    project: Project, encoders: EncoderCache = ENCODERS
) -> edits.UpdateKeywords:
    """Keywords and typical documents for the topics as they are now, after curation.

    Without saved embeddings the representatives stay as they were. Keyword orders
    other than c-TF-IDF embed candidate words, loading the model if it is not loaded.
    """
    state = project.state
    assert state is not None
    return edits.UpdateKeywords(
        **_keywords_and_representatives(project, state.stop_words, encoders)
    )


def normalise_stop_words(entries: Iterable[str]) -> list[str]:
    """Stop words as kept in a project: trimmed, lower case, single spaces, each once, sorted."""
    return sorted({" ".join(e.split()).lower() for e in entries if e and e.strip()})


def stop_words_edit(
    project: Project, words: Iterable[str], encoders: EncoderCache = ENCODERS
) -> edits.SetStopWords:
    """Use these stop words from now on, with every topic's keywords recomputed.

    Names a person gave stay; default names follow the new keywords.
    """
    words = normalise_stop_words(words)
    return edits.SetStopWords(
        words=words, **_keywords_and_representatives(project, words, encoders)
    )


def ignore_word_edit(
    project: Project, word: str, encoders: EncoderCache = ENCODERS
) -> edits.SetStopWords:
    """"Ignore this word everywhere": the word or phrase joins the project's stop words."""
    state = project.state
    assert state is not None
    if not word.strip():
        raise TopicDeskError("There is no word to ignore; choose a keyword first.")
    if " ".join(word.split()).lower() in state.stop_words:
        raise TopicDeskError(f"“{word.strip()}” is already ignored; see the stop words list.")
    return stop_words_edit(project, [*state.stop_words, word], encoders)


def use_stop_words(project: Project, words: Iterable[str]) -> None:
    """Stop words for the next fit (the CLI's --stop-words): set directly on a project
    without topics, and as an undoable, logged edit on a fitted one."""
    state = project.state
    assert state is not None
    if project.fitted:
        project.history.do(stop_words_edit(project, words))
    else:
        state.stop_words = tuple(normalise_stop_words(words))


def read_stop_words(path: str | Path) -> list[str]:
    """Stop words from a text file: one word or phrase per line; empty lines and lines
    starting with '#' are skipped. UTF-8 (with or without a byte-order mark) or Latin-1."""
    path = Path(path)
    try:
        if path.is_dir():
            raise TopicDeskError(
                f"{path} is a folder; choose a text file with one stop word per line."
            )
        size = path.stat().st_size
        if size > MAX_STOP_WORDS_FILE:
            raise TopicDeskError(
                f"{path.name} is {size / 1e6:.0f} MB, too large for a stop-word list; "
                "choose a text file with one word or phrase per line."
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise TopicDeskError(
            f"The stop-word file {path} does not exist; check the name and folder."
        ) from exc
    except OSError as exc:
        raise TopicDeskError(
            f"Could not read the stop-word file {path.name}: {exc.strerror or exc}; "
            "check that you may open it."
        ) from exc
    if b"\x00" in data:
        raise TopicDeskError(
            f"{path.name} is not a text file; save the stop words as plain text, one per line."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    lines = [line.strip() for line in text.splitlines()]
    return normalise_stop_words(line for line in lines if line and not line.startswith("#"))


def merge_edit(topic_ids: list[int]) -> edits.MergeTopics:
    """Merge into the first topic named (the one chosen first); "Unassigned" is skipped."""
    return edits.MergeTopics(topic_ids=[t for t in topic_ids if t != UNASSIGNED])
