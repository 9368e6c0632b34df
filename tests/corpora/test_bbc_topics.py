"""Topics on 300 BBC articles agree with the five editorial categories."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score

from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.pipeline.runner import fit_project

pytestmark = pytest.mark.corpora

SETTINGS = FitSettings(min_topic_size=8, max_seq_length=128)


def test_topics_match_bbc_categories(bbc_slice):
    result = fit_project(Project(Corpus(bbc_slice, "text", source_name="bbc.csv")), SETTINGS)
    assignments = result.state.assignments
    nmi = normalized_mutual_info_score(bbc_slice["category"], assignments)
    assert nmi >= 0.6, nmi
    assert (assignments == -1).mean() <= 0.15
    assert 4 <= len(result.state.topics) <= 20
    sport = bbc_slice["category"].eq("sport").to_numpy()
    top = np.bincount(assignments[sport & (assignments >= 0)]).argmax()
    assert {"match", "game", "win", "cup", "team", "england", "olympic", "champion", "world"} & set(
        result.state.topics[top].keywords
    )
