"""Dates and groups of the real corpora: read whole, by party and by decade."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from topicdesk.analysis.prevalence import group_codes, period_codes, suggest_period
from topicdesk.io.dates import DAY, parse_dates

pytestmark = pytest.mark.corpora


@pytest.mark.parametrize(
    ("name", "period", "parties"),
    [
        ("bundestag_speeches_sample_de.csv", "year", {"CDU/CSU", "SPD", "FDP", "GRUENE"}),
        ("sotu_paragraphs.csv", "decade", {"Democratic", "Republican", "Whig"}),
    ],
)
def test_every_date_reads_and_parties_are_groups(corpus_path, name, period, parties):
    table = pd.read_csv(corpus_path(name), dtype=str, keep_default_na=False)
    dates = parse_dates(table["date"])
    assert dates.readable == len(table) and not len(dates.unreadable_rows)
    assert dates.coarsest == DAY and not dates.ambiguous
    assert suggest_period(dates.dates, dates.coarsest) == period
    groups = group_codes(table["party"])
    assert parties <= set(groups.names)
    years = period_codes(dates.dates, "year")
    first = pd.to_datetime(table["date"]).dt.year.astype(str).to_numpy()
    assert (np.array(years.names)[years.codes] == first).all()
