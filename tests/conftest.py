"""Shared test set-up: offscreen Qt and test corpora that ship with the repository.

The main suite needs nothing beside a fresh clone: it reads ``resources/sample_sotu.csv``
(public domain) or makes its own data. Tests on the licensed corpora in ../shared/data
live in ``tests/corpora`` and skip when those are absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SAMPLE_SOTU = Path(__file__).resolve().parents[1] / "resources" / "sample_sotu.csv"

# Five subjects State of the Union paragraphs speak of in words no other of the five uses:
# a paragraph is labelled with one subject when it names that subject and none of the others.
SUBJECTS = {
    "education": r"\b(?:education|schools?|teachers?|students?|colleges?)\b",
    "farming": r"\b(?:farms?|farmers?|farming|agricultur\w*|crops?)\b",
    "health": r"\b(?:health|medical|medicare|medicaid|doctors?|hospitals?)\b",
    "public finance": r"\b(?:revenues?|treasury|public debt|expenditures?|receipts)\b",
    "terrorism": r"\b(?:terror\w*|iraq\w*|afghan\w*|al qaeda)\b",
}
PER_SUBJECT = 60


@pytest.fixture(scope="session")
def sotu() -> pd.DataFrame:
    """The 3,000 sample paragraphs, read as strings."""
    return pd.read_csv(SAMPLE_SOTU, dtype=str, keep_default_na=False)


def label_subjects(texts: pd.Series, subjects: dict[str, str] = SUBJECTS) -> pd.Series:
    """The one subject each text names, or "" when it names none or several of them."""
    lower = texts.str.lower()
    named = pd.DataFrame({s: lower.str.contains(p, regex=True) for s, p in subjects.items()})
    single = named.sum(axis=1) == 1
    return named.idxmax(axis=1).where(single, "")


# For checking topic quality: five subjects that stay five topics over seeds and versions of
# the pipeline, in paragraphs from 1946 on. Before 1946 the older language groups paragraphs
# by era as much as by subject, and public finance shares its budget words with farm policy:
# in SUBJECTS those two merged when long texts were first read whole (NMI 0.61).
QUALITY_SUBJECTS = {
    "education": SUBJECTS["education"],
    "energy": r"\b(?:energy|oil|gasoline|fuel)\b",
    "farming": SUBJECTS["farming"],
    "health": SUBJECTS["health"],
    "terrorism": SUBJECTS["terrorism"],
}


@pytest.fixture(scope="session")
def subject_paragraphs(sotu: pd.DataFrame) -> pd.DataFrame:
    """300 paragraphs from 1946 on, 60 on each of QUALITY_SUBJECTS (column ``subject``)."""
    modern = sotu[sotu["year"].astype(int) >= 1946]
    subjects = label_subjects(modern["text"], QUALITY_SUBJECTS)
    parts = [modern[subjects == s].head(PER_SUBJECT).assign(subject=s) for s in QUALITY_SUBJECTS]
    assert all(len(p) == PER_SUBJECT for p in parts), "the sample holds fewer paragraphs"
    return pd.concat(parts).sample(frac=1.0, random_state=7).reset_index(drop=True)


@pytest.fixture(scope="session")
def sotu_slice(sotu: pd.DataFrame) -> pd.DataFrame:
    """300 paragraphs, 60 on each of five subjects (column ``subject``), in a fixed order.

    A labelled corpus like the BBC categories: a fit must find these subjects again.
    """
    subjects = label_subjects(sotu["text"])
    parts = [sotu[subjects == s].head(PER_SUBJECT).assign(subject=s) for s in SUBJECTS]
    assert all(len(p) == PER_SUBJECT for p in parts), "the sample holds fewer paragraphs"
    return pd.concat(parts).sample(frac=1.0, random_state=7).reset_index(drop=True)
