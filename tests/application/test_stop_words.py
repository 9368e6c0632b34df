"""The researcher's own stop words: an undoable edit that recomputes every topic's keywords,
kept names, replay from the log, saving, and reading a stop-word file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from topicdesk.application import curation
from topicdesk.core.corpus import Corpus
from topicdesk.core.edits import RenameTopic, SetStopWords, edit_from_params
from topicdesk.core.project import Project
from topicdesk.core.state import Topic, TopicState
from topicdesk.errors import TopicDeskError
from topicdesk.project.store import open_project, save_project

SPEECHES = {
    0: "the hon gentleman, the honourable gentleman, my hon friend speaks on taxes budget deficit",
    1: "a member speaks on schools teachers pupils exams",
    2: "a member speaks on hospitals nurses patients waiting",
}


def speeches_project() -> Project:
    """Parliamentary speeches in three topics, one full of forms of address."""
    texts = [f"{SPEECHES[i % 3]} number {i}" for i in range(60)]
    corpus = Corpus(pd.DataFrame({"text": texts}), "text")
    state = TopicState.empty(len(texts))
    state.assignments[:] = np.arange(len(texts)) % 3
    project = Project(corpus, state=state)
    for tid in range(3):
        state.topics[tid] = Topic(id=tid, label="")
    project.fitted = True
    project.history.do(curation.recompute_keywords_edit(project))
    return project


def test_stop_words_recompute_every_topic_and_keep_given_names():
    project = speeches_project()
    state = project.state
    assert {"hon", "gentleman", "honourable"} & set(state.topics[0].keywords[:3])
    project.history.do(RenameTopic(topic_id=1, label="Education"))
    before = {t: list(topic.keywords) for t, topic in state.topics.items()}
    project.history.do(curation.stop_words_edit(project, ["Hon", "gentleman ", "honourable"]))
    assert state.stop_words == ("gentleman", "hon", "honourable")
    for topic in state.topics.values():
        assert not {"hon", "gentleman", "honourable"} & {w for k in topic.keywords for w in k.split()}
    assert state.topics[1].label == "Education"
    assert state.topics[0].label.split(", ")[0] in {"taxes", "budget", "deficit", "revenue"}
    project.history.undo()
    assert state.stop_words == () and {t: x.keywords for t, x in state.topics.items()} == before
    assert state.topics[1].label == "Education"
    project.history.redo()
    assert state.stop_words == ("gentleman", "hon", "honourable")


def test_phrases_remove_only_keywords_that_contain_them():
    project = speeches_project()
    project.history.do(curation.stop_words_edit(project, ["hon gentleman"]))
    words = project.state.topics[0].keywords
    assert not any("hon gentleman" in k for k in words)
    assert "gentleman" in words and "hon" in words  # the single words still count


def test_ignore_one_word_adds_it_and_refuses_repeats():
    project = speeches_project()
    edit = curation.ignore_word_edit(project, "Gentleman")
    project.history.do(edit)
    assert edit.describe() == "Ignore “gentleman”"
    assert project.state.stop_words == ("gentleman",)
    with pytest.raises(TopicDeskError, match="already ignored"):
        curation.ignore_word_edit(project, "gentleman")
    with pytest.raises(TopicDeskError, match="no word to ignore"):
        curation.ignore_word_edit(project, "  ")


def test_stop_word_edit_replays_from_its_log_entry():
    project = speeches_project()
    start = project.state.copy()
    project.history.do(curation.stop_words_edit(project, ["hon", "gentleman"]))
    entry = project.history.log[-1]
    assert entry.kind == "set_stop_words" and entry.params["words"] == ["gentleman", "hon"]
    replayed = edit_from_params(entry.kind, entry.params)
    assert isinstance(replayed, SetStopWords)
    replayed.apply(start)
    assert start.equals(project.state)


def test_stop_words_survive_saving_and_a_refit_keeps_them(tmp_path):
    project = speeches_project()
    project.history.do(curation.stop_words_edit(project, ["hon", "right honourable"]))
    save_project(project, tmp_path / "s.topicdesk")
    reopened = open_project(tmp_path / "s.topicdesk")
    assert reopened.state.stop_words == ("hon", "right honourable")
    assert reopened.state.equals(project.state)
    assert reopened.log[-1].kind == "set_stop_words"


def test_use_stop_words_before_the_first_fit_needs_no_edit():
    texts = [f"text number {i}" for i in range(10)]
    project = Project(Corpus(pd.DataFrame({"text": texts}), "text"))
    curation.use_stop_words(project, ["Foo", "bar baz", "foo"])
    assert project.state.stop_words == ("bar baz", "foo") and not project.history.log
    fitted = speeches_project()
    curation.use_stop_words(fitted, ["hon"])
    assert fitted.state.stop_words == ("hon",) and fitted.history.log[-1].kind == "set_stop_words"


def test_read_stop_words_file(tmp_path):
    good = tmp_path / "stop.txt"
    good.write_bytes("\ufeffHon\n# forms of address\n\n  right   honourable \ngentleman\r\nhon\n".encode())
    assert curation.read_stop_words(good) == ["gentleman", "hon", "right honourable"]
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Stra\xdfe\nM\xfcnchen\n".encode("latin-1"))
    assert curation.read_stop_words(latin) == ["münchen", "straße"]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p, "does not exist"),
        (lambda p: (p.mkdir(), p)[1], "is a folder"),
        (lambda p: (p.write_bytes(b"PK\x03\x04\x00\x00binary"), p)[1], "not a text file"),
    ],
)
def test_unreadable_stop_word_files_get_one_sentence(tmp_path, make, message):
    path = make(tmp_path / "words.txt")
    with pytest.raises(TopicDeskError, match=message) as info:
        curation.read_stop_words(path)
    assert str(info.value).count(". ") == 0 and str(info.value).endswith(".")


def test_damaged_stop_words_in_a_file_are_refused(tmp_path):
    from tests.factories import tamper

    project = speeches_project()
    save_project(project, tmp_path / "s.topicdesk")
    tamper(tmp_path / "s.topicdesk", "UPDATE meta SET value = '{\"a\": 1}' WHERE key = 'stop_words'")
    with pytest.raises(TopicDeskError, match="stop words are unreadable"):
        open_project(tmp_path / "s.topicdesk")


def test_export_lists_the_stop_words_in_the_settings_sheet():
    from topicdesk.io.export import settings_frame

    project = speeches_project()
    project.history.do(curation.stop_words_edit(project, ["hon", "right honourable"]))
    rows = dict(zip(settings_frame(project)["parameter"], settings_frame(project)["value"]))
    assert rows["own_stop_words"] == "hon; right honourable"
