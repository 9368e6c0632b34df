"""The application layer: file kinds, opening anything, summaries, curation steps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.factories import curated_project
from topicdesk.application import curation
from topicdesk.application.files import (
    FileKind,
    file_kind,
    require_project_output,
    with_project_suffix,
)
from topicdesk.application.projects import open_any, start_project, summarize
from topicdesk.core.corpus import Corpus
from topicdesk.errors import TopicDeskError
from topicdesk.project.store import save_project


def small_table() -> pd.DataFrame:
    texts = ["Taxes rise.", "", "Schools open.", "Taxes rise.", "Farms fail.", "", "Schools open."]
    return pd.DataFrame({"text": texts, "party": list("ABABABA")})


def test_file_kind_by_suffix_and_by_content(tmp_path):
    assert file_kind("a.TOPICDESK") is FileKind.PROJECT
    assert file_kind("answers.xlsx") is FileKind.SPREADSHEET
    assert file_kind("answers.tsv") is FileKind.SPREADSHEET
    renamed = tmp_path / "study.backup"
    save_project(curated_project(small_table()), renamed)
    assert file_kind(renamed) is FileKind.PROJECT
    odd = tmp_path / "notes.pdf"
    odd.write_bytes(b"%PDF-1.7")
    with pytest.raises(TopicDeskError, match="neither a TopicDesk project nor a spreadsheet"):
        file_kind(odd)


def test_project_suffix_rules():
    assert with_project_suffix("study").name == "study.topicdesk"
    assert with_project_suffix("study.TopicDesk").name == "study.TopicDesk"
    with pytest.raises(TopicDeskError, match=r"\.topicdesk file"):
        require_project_output("out.xlsx")


def test_open_any_reads_spreadsheets_and_projects(tmp_path):
    csv = tmp_path / "answers.csv"
    small_table().to_csv(csv, index=False)
    project, from_file = open_any(csv, text_column="text")
    assert not from_file and not project.fitted
    assert project.settings.min_topic_size == 5  # suggested for a tiny corpus
    saved = tmp_path / "answers.topicdesk"
    save_project(curated_project(small_table()), saved)
    again, from_file = open_any(saved)
    assert from_file and again.fitted
    with pytest.raises(TopicDeskError, match="applies to spreadsheets"):
        open_any(saved, text_column="text")


def test_summary_explains_the_document_counts():
    project = start_project(Corpus(small_table(), "text"))
    summary = summarize(project)
    assert (summary.rows, summary.empty_texts, summary.distinct_texts) == (7, 2, 3)
    assert summary.repeated_texts == 2 and summary.with_text == 5
    sentence = summary.documents_sentence()
    assert sentence.startswith("7 rows; 2 with an empty text")
    assert "2 repeating another row's text word for word" in sentence
    assert sentence.endswith("3 distinct texts to embed.")
    assert summary.topics_sentence() == "No topics yet."


def test_merge_goes_into_the_topic_named_first_and_skips_unassigned():
    edit = curation.merge_edit([2, -1, 0])
    assert edit.topic_ids == [2, 0]
    project = curated_project(small_table())
    label_two = project.state.topics[2].label
    project.history.do(edit)
    assert 0 not in project.state.topics and project.state.topics[2].label == label_two


def test_new_topic_edit_carries_keywords_of_its_documents(sotu):
    project = curated_project(sotu.head(200))
    rows = [i for i, t in enumerate(project.corpus.texts) if "tax" in t.lower()][:12]
    edit = curation.new_topic_edit(project, np.array(rows), "")
    assert edit.rows == rows and edit.keywords
    assert any("tax" in word for word in edit.keywords[:5])
