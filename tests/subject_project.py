"""A fitted-looking project whose topics are known subjects, without the embedding model.

Topics are the ``subject`` column of ``sotu_slice`` (a few paragraphs left unassigned),
keywords come from the app's own c-TF-IDF, and embeddings and map coordinates from a
TF-IDF + SVD of the texts, so documents of a subject lie near each other as in a real fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from topicdesk.application.curation import recompute_keywords_edit
from topicdesk.core.corpus import Corpus
from topicdesk.core.edits import MoveDocuments, RenameTopic, SetTopicNote
from topicdesk.core.project import Project, StageCache
from topicdesk.core.state import Topic, TopicState


def subject_project(table: pd.DataFrame, unassigned: int = 12, curate: bool = True) -> Project:
    """Topics = subjects; ``unassigned`` paragraphs without a topic; a few human edits."""
    table = table.reset_index(drop=True)
    corpus = Corpus(
        table.drop(columns=["subject"]),
        "text",
        source_name="sotu_slice.csv",
        source_hash="cd" * 32,
        date_column="date",
        group_column="party",
    )
    texts, _ = corpus.unique_texts()
    vectors = TfidfVectorizer(stop_words="english").fit_transform(texts)
    embeddings = TruncatedSVD(16, random_state=0).fit_transform(vectors).astype(np.float32)
    coords = TruncatedSVD(2, random_state=1).fit_transform(vectors).astype(np.float32)
    subjects = sorted(table["subject"].unique())
    state = TopicState.empty(len(corpus))
    state.assignments[:] = [subjects.index(s) for s in table["subject"]]
    state.assignments[:unassigned] = -1
    state.confidence[state.assignments >= 0] = 0.8
    for tid, subject in enumerate(subjects):
        state.topics[tid] = Topic(id=tid, label=subject)
    project = Project(
        corpus,
        state=state,
        cache=StageCache(
            embeddings=(embeddings, "e"), reduced=(embeddings[:, :5], "r"), coords=(coords, "c")
        ),
        provenance={
            "model": "all-MiniLM-L6-v2",
            "embedding_precision": "bfloat16 (OpenVINO)",
            "versions": {
                "sentence-transformers": "3.4.1",
                "umap-learn": "0.5.7",
                "hdbscan": "0.8.40",
            },
            "unassigned": unassigned,
        },
    )
    project.fitted = True
    project.history.do(recompute_keywords_edit(project))
    if curate:
        history = project.history
        history.do(RenameTopic(topic_id=0, label="Schools and teachers"))
        history.do(SetTopicNote(topic_id=0, note="Paragraphs on schooling and universities."))
        history.do(MoveDocuments(rows=[int(np.flatnonzero(state.assignments == 1)[0])], topic_id=2))
        history.do(RenameTopic(topic_id=3, label="Revenue & debt <public>"))
        history.do(RenameTopic(topic_id=3, label="Revenue & debt <public finance>"))
        history.do(MoveDocuments(rows=[0], topic_id=4))
        history.undo()
    return project
