"""The licensed corpora in ../shared/data (or $TOPICDESK_TEST_DATA): an optional extra set.

Their licences forbid shipping them, so these tests skip, saying why, where they are absent.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

DATA_DIR = Path(
    os.environ.get("TOPICDESK_TEST_DATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)


@pytest.fixture(scope="session")
def corpus_path() -> Callable[[str], Path]:
    """The path of one licensed corpus; the test skips when the file is not there."""

    def path(name: str) -> Path:
        found = DATA_DIR / name
        if not found.is_file():
            pytest.skip(
                f"licensed corpus {name} not found in {DATA_DIR} "
                "(set TOPICDESK_TEST_DATA to the folder holding it)"
            )
        return found

    return path


@pytest.fixture(scope="session")
def bbc(corpus_path) -> pd.DataFrame:
    """The BBC News table, read as strings."""
    return pd.read_csv(corpus_path("bbc_news.csv"), dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def bbc_slice(bbc: pd.DataFrame) -> pd.DataFrame:
    """300 BBC articles, 60 per category, in a fixed shuffled order."""
    parts = [g.head(60) for _, g in bbc.groupby("category", sort=True)]
    return pd.concat(parts).sample(frac=1.0, random_state=7).reset_index(drop=True)
