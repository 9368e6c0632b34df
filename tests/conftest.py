"""Shared test set-up: offscreen Qt and the real corpora (the app sets its own offline switches)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA_DIR = Path(
    os.environ.get("TOPICDESK_TEST_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Folder of the real corpora (../shared/data beside the repository)."""
    if not DATA_DIR.is_dir():
        pytest.skip(f"test corpora not found at {DATA_DIR}")
    return DATA_DIR


@pytest.fixture(scope="session")
def bbc(data_dir: Path) -> pd.DataFrame:
    """The BBC News table, read as strings."""
    return pd.read_csv(data_dir / "bbc_news.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def bbc_slice(bbc: pd.DataFrame) -> pd.DataFrame:
    """300 BBC articles, 60 per category, in a fixed shuffled order."""
    parts = [g.head(60) for _, g in bbc.groupby("category", sort=True)]
    return pd.concat(parts).sample(frac=1.0, random_state=7).reset_index(drop=True)
