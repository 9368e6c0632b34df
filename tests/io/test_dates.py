"""Date columns as researchers write them: every form read, nothing guessed silently."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from topicdesk.io.dates import DAY, MONTH, YEAR, parse_dates


def days(parsed) -> list[str]:
    return [str(d)[:10] if not np.isnat(d) else "" for d in parsed.dates]


def test_iso_dates_and_datetimes_with_blanks():
    parsed = parse_dates(["2015-03-12", "2015-03-12T23:30:00+01:00", "", None, "NA", "2015/3/9"])
    assert days(parsed) == ["2015-03-12", "2015-03-12", "", "", "", "2015-03-09"]
    assert str(parsed.dates[1]) == "2015-03-12T23:30:00.000"  # the written wall time
    assert parsed.blank == 3
    assert len(parsed.unreadable_rows) == 0
    assert parsed.day_first is None and not parsed.ambiguous


def test_day_first_decided_by_the_column():
    parsed = parse_dates(["03/04/2015", "25/12/2015", "01/02/2016"])
    assert parsed.day_first is True and not parsed.ambiguous
    assert days(parsed) == ["2015-04-03", "2015-12-25", "2016-02-01"]


def test_month_first_decided_by_the_column():
    parsed = parse_dates(["03/04/2015", "12/25/2015", "1-2-2016"])
    assert parsed.day_first is False and not parsed.ambiguous
    assert days(parsed) == ["2015-03-04", "2015-12-25", "2016-01-02"]


def test_undecidable_order_is_reported_and_can_be_given():
    column = ["03/04/2015", "05/06/2015", "07/07/2015"]
    parsed = parse_dates(column)
    assert parsed.ambiguous and parsed.day_first is True
    assert any("could be 3 April or 4 March" in s for s in parsed.sentences("date"))
    told = parse_dates(column, day_first=False)
    assert not told.ambiguous and told.day_first is False
    assert days(told) == ["2015-03-04", "2015-05-06", "2015-07-07"]


def test_cells_against_the_column_order_are_listed_not_swapped():
    parsed = parse_dates(["13/01/2015", "14/01/2015", "01/15/2015"])
    assert parsed.day_first is True
    assert parsed.unreadable_rows.tolist() == [2]
    assert parsed.unreadable_values == ("01/15/2015",)
    assert "row 4 '01/15/2015'" in " ".join(parsed.sentences("date"))


def test_dots_are_day_first_by_convention_and_two_digit_years_pivot_like_excel():
    parsed = parse_dates(["03.04.2015", "05.06.29", "05.06.30"])
    assert not parsed.ambiguous
    assert days(parsed) == ["2015-04-03", "2029-06-05", "1930-06-05"]
    assert parsed.two_digit_years == 2


def test_month_names_in_english_and_german():
    column = [
        "3. März 2015",
        "March 3, 2015",
        "Dienstag, 3. Maerz 2015",
        "3rd of Mar. 2015",
        "12-Okt-2015",
        "1 Dezember 15",
        "Oktober 2015",
        "Mai 3 2015 14:05",
    ]
    parsed = parse_dates(column)
    assert days(parsed) == [
        "2015-03-03",
        "2015-03-03",
        "2015-03-03",
        "2015-03-03",
        "2015-10-12",
        "2015-12-01",
        "2015-10-01",
        "2015-05-03",
    ]
    assert parsed.precision.tolist() == [DAY] * 6 + [MONTH, DAY]
    assert str(parsed.dates[-1]) == "2015-05-03T14:05:00.000"


def test_excel_cells_serials_years_and_compact_dates():
    column = pd.Series(
        [
            dt.datetime(2015, 3, 12, 9, 0),
            dt.date(1999, 1, 2),
            42075,
            "42075.5",
            1848,
            "2015",
            20150312,
        ],
        dtype=object,
    )
    parsed = parse_dates(column)
    assert days(parsed) == [
        "2015-03-12",
        "1999-01-02",
        "2015-03-12",
        "2015-03-12",
        "1848-01-01",
        "2015-01-01",
        "2015-03-12",
    ]
    assert str(parsed.dates[3]) == "2015-03-12T12:00:00.000"
    assert parsed.precision.tolist() == [DAY, DAY, DAY, DAY, YEAR, YEAR, DAY]
    assert parsed.coarsest == YEAR


def test_unreadable_cells_are_counted_and_listed_with_their_rows():
    column = ["2015-02-30", "soon", "12:30", "3/4", True, 5000, "March", "2015-03-01"]
    parsed = parse_dates(column)
    assert days(parsed)[-1] == "2015-03-01"
    assert parsed.unreadable_rows.tolist() == [0, 1, 2, 3, 4, 5, 6]
    assert parsed.unreadable_values[:2] == ("2015-02-30", "soon")
    words = " ".join(parsed.sentences("when", examples=2))
    assert "1 of 8 cells in 'when'" in words
    assert "7 cells not readable as dates" in words and "and 5 more" in words


def test_mixed_forms_in_one_column_are_all_named():
    parsed = parse_dates(["2015-03-12", "12/03/2015", "25/12/2015", "3. März 2015", 2016])
    assert days(parsed) == ["2015-03-12", "2015-03-12", "2015-12-25", "2015-03-03", "2016-01-01"]
    assert len(parsed.forms) == 4
    assert parsed.forms[0] == "day/month/year (12/03/2015)"


def test_a_large_column_reads_each_distinct_value_once():
    dates = pd.date_range("2000-01-01", periods=2000, freq="D").strftime("%d/%m/%Y")
    column = np.tile(dates.to_numpy(), 50)
    parsed = parse_dates(column)
    assert parsed.readable == 100_000 and parsed.day_first is True
    assert days(parsed)[1999] == "2005-06-22"
