"""A project whose topics are five known subjects of the sample paragraphs."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.subject_project import subject_project
from topicdesk.core.project import Project


@pytest.fixture(scope="module")
def subjects(sotu_slice: pd.DataFrame) -> Project:
    """Shared by a module's tests, which only read it."""
    return subject_project(sotu_slice)


@pytest.fixture
def own_subjects(sotu_slice: pd.DataFrame) -> Project:
    """A project of the test's own, for tests that change it."""
    return subject_project(sotu_slice)
