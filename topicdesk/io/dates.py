"""Dates as researchers write them, read one column at a time.

A column is read as a whole because one cell cannot say whether "03/04/2015" is the 3rd
of April or March the 4th: cells with a day above 12 decide the order for the column, and
a column where no cell decides is reported as ambiguous so the app can ask. Cells that
cannot be read are counted and listed with their row, never guessed.

pandas assembles and checks the calendar dates (a 30 February is refused) and converts
Excel serial numbers; the cells are split by the small pattern table below rather than by
``pandas.to_datetime`` or ``dateutil.parser`` alone, because those decide the day/month
order cell by cell (dateutil guesses, pandas takes the first cell's format), read no
German month names, and dateutil fills a missing year or day from today's date.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

YEAR, MONTH, DAY = 0, 1, 2  # how finely a cell gives its date
PRECISION_NAMES = ("year", "month", "day")
EXCEL_EPOCH = "1899-12-30"  # serial 1 is 1900-01-01 in Excel's (leap-year-bugged) count
SERIALS = (10_000, 2_958_466)  # 1927-05-18 up to 9999-12-31; 1000-2999 are read as years
YEARS = (1000, 2999)
PIVOT = 30  # two-digit years 00-29 are 2000-2029, 30-99 are 1930-1999, as Excel reads them
MISSING = frozenset({"", "na", "n/a", "nan", "nat", "none", "null", "-", "--", "—"})

_MONTH_WORDS = {
    1: "january jan januar jänner jaenner jän",
    2: "february feb februar feber",
    3: "march mar märz maerz mär mrz",
    4: "april apr",
    5: "may mai",
    6: "june jun juni",
    7: "july jul juli",
    8: "august aug",
    9: "september sep sept",
    10: "october oct oktober okt",
    11: "november nov",
    12: "december dec dezember dez",
}
MONTHS = {word: month for month, words in _MONTH_WORDS.items() for word in words.split()}
# Words that may stand beside a date without changing it: weekdays, "of", "den", ordinals.
FILLER = frozenset(
    {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonnabend",
        "sonntag",
        "of",
        "the",
        "den",
        "am",
        "st",
        "nd",
        "rd",
        "th",
    }
)

_TIME = r"(?:[T ,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
_ZONE = r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?"
YMD = re.compile(rf"^(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME}{_ZONE}$")
DMY = re.compile(rf"^(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}$")
YM = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
MY = re.compile(r"^(\d{1,2})[/.](\d{4})$")
NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?\b")
TOKEN = re.compile(r"\d+|[^\W\d_]+")

FORM_ISO = "year-month-day (2015-03-12)"
FORM_DAY_FIRST = "day/month/year (12/03/2015)"
FORM_MONTH_FIRST = "month/day/year (03/12/2015)"
FORM_DOTS = "day.month.year (12.03.2015)"
FORM_NAMES = "month names (March 3, 2015 / 3. März 2015)"
FORM_CELLS = "spreadsheet date cells"
FORM_SERIAL = "Excel serial numbers (42075)"
FORM_YEAR = "years alone (2015)"
FORM_YEAR_MONTH = "year and month (2015-03)"
FORM_COMPACT = "compact dates (20150312)"


@dataclass(frozen=True, eq=False)
class ParsedDates:
    """A date column as read: one datetime64 per row (NaT where none), and what was found.

    ``day_first`` is the order used for cells like 12/03/2015 (None when there are none);
    ``ambiguous`` means such cells exist but none has a day above 12, so the order was
    not decided by the data: it was read day first unless the caller said otherwise.
    """

    dates: np.ndarray  # datetime64[ms]
    precision: np.ndarray  # int8 per row: YEAR, MONTH or DAY; -1 where there is no date
    forms: tuple[str, ...]  # the ways of writing found, most common first
    day_first: bool | None
    ambiguous: bool
    unreadable_rows: np.ndarray  # row positions, ascending
    unreadable_values: tuple[str, ...]
    blank: int
    two_digit_years: int = 0

    @property
    def readable(self) -> int:
        return int((self.precision >= 0).sum())

    @property
    def coarsest(self) -> int | None:
        """The coarsest precision of any read cell (YEAR, MONTH or DAY), None if none read."""
        read = self.precision[self.precision >= 0]
        return int(read.min()) if read.size else None

    def sentences(self, column: str, examples: int = 5) -> list[str]:
        """What was read, in words for a dialog or a terminal."""
        n = len(self.dates)
        out = [
            f"{self.readable:,} of {_cells(n)} in '{column}' read as dates"
            + (f" ({', '.join(self.forms)})." if self.forms else ".")
        ]
        if self.ambiguous:
            out.append(
                "No day is above 12, so 03/04/2015 could be 3 April or 4 March; "
                f"read {'day' if self.day_first else 'month'} first until you choose."
            )
        if self.two_digit_years:
            out.append(
                f"{_cells(self.two_digit_years)} with two-digit years, read as 1930-2029 "
                "as Excel does."
            )
        if self.blank:
            out.append(f"{_cells(self.blank)} empty or marked missing, left out.")
        if len(self.unreadable_rows):
            shown = ", ".join(
                f"row {r + 2} '{v}'"  # spreadsheet row numbers: 1-based, after the header
                for r, v in zip(self.unreadable_rows[:examples], self.unreadable_values)
            )
            more = len(self.unreadable_rows) - examples
            out.append(
                f"{_cells(len(self.unreadable_rows))} not readable as dates, left out: "
                f"{shown}{f' and {more:,} more' if more > 0 else ''}."
            )
        return out


def _cells(n: int) -> str:
    return f"{n:,} cell{'' if n == 1 else 's'}"


def _two_digit(year: str) -> int:
    value = int(year)
    if len(year) > 2:
        return value
    return 2000 + value if value < PIVOT else 1900 + value


def _clock(groups: tuple) -> tuple[int, int, int]:
    hour, minute, second = groups
    return int(hour or 0), int(minute or 0), int(second or 0)


def _named(text: str) -> tuple | None:
    """Day, month and year from a date written with a month name, or None."""
    clock = CLOCK.search(text)
    time = _clock(clock.groups()) if clock else (0, 0, 0)
    if clock:
        text = text[: clock.start()] + " " + text[clock.end() :]
    months, numbers = [], []
    for token in TOKEN.findall(text.lower()):
        if token.isdigit():
            numbers.append(token)
        elif token in MONTHS:
            months.append(MONTHS[token])
        elif token not in FILLER:
            return None
    if len(months) != 1:
        return None
    years = [t for t in numbers if len(t) == 4]
    if len(numbers) == 1 and years:  # "March 2015"
        return (int(years[0]), months[0], 1, 0, 0, 0, MONTH)
    if len(numbers) != 2 or len(years) > 1:
        return None
    if years:  # "3. März 2015", "March 3, 2015"
        day = next(t for t in numbers if t != years[0] or numbers.count(t) > 1)
        year = int(years[0])
    else:  # "3 Mar 15": day before a two-digit year
        day, year = numbers[0], _two_digit(numbers[1])
    if len(day) > 2:
        return None
    return (year, months[0], int(day), *time, DAY)


def _number(value: float) -> tuple | None:
    """A year, a compact yyyymmdd date or an Excel serial, by size; None otherwise."""
    if value.is_integer():
        whole = int(value)
        if YEARS[0] <= whole <= YEARS[1]:
            return ("year", whole)
        if 10_000_101 <= whole <= 29_991_231:
            return ("compact", whole)
    if SERIALS[0] <= value < SERIALS[1]:
        return ("serial", value)
    return None


def _classify(value: object) -> tuple[str, object] | None:
    """The form of one cell and its parts; ("blank", None) for an empty one; None if unreadable."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ("blank", None)
    if isinstance(value, (dt.datetime, dt.date, np.datetime64)):  # pd.Timestamp is a datetime
        stamp = pd.Timestamp(value)
        return ("cell", stamp.tz_localize(None) if stamp.tzinfo else stamp)
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _number(float(value))
    text = str(value).strip()
    if text.lower() in MISSING:
        return ("blank", None)
    if NUMBER.match(text):
        return _number(float(text))
    if match := YMD.match(text):  # a time zone is dropped: the date is the one written
        y, _, m, d, *clock = match.groups()
        return ("iso", (int(y), int(m), int(d), *_clock(tuple(clock)), DAY))
    if match := DMY.match(text):
        a, sep, b, y, *clock = match.groups()
        return ("dmy", (int(a), int(b), y, sep, _clock(tuple(clock))))
    if match := YM.match(text):
        return ("ym", (int(match[1]), int(match[2]), 1, 0, 0, 0, MONTH))
    if match := MY.match(text):
        return ("ym", (int(match[2]), int(match[1]), 1, 0, 0, 0, MONTH))
    if parts := _named(text):
        return ("named", parts)
    return None


def _decide_order(cells: list[tuple], day_first: bool | None) -> tuple[bool | None, bool]:
    """The day/month order for the column's dd/mm cells, and whether it is undecided.

    A cell whose first number is above 12 votes day first, one whose second is above 12
    votes month first; the larger vote wins (cells against it are then unreadable). Dots
    are day first by convention (12.03.2015), so only slashes and dashes can be ambiguous.
    """
    if not cells:
        return None, False
    if day_first is not None:
        return day_first, False
    votes = Counter("day" if a > 12 >= b else "month" for a, b, *_ in cells if (a > 12) != (b > 12))
    if votes:
        return votes["day"] >= votes["month"], False
    undecided = any(a != b and sep != "." for a, b, _, sep, _ in cells)
    return True, undecided


def parse_dates(values: pd.Series | list, day_first: bool | None = None) -> ParsedDates:
    """Read a column of dates; ``day_first`` settles the order of 12/03/2015-style cells.

    Each distinct cell is read once, so a column of 100,000 rows and a few thousand dates
    takes milliseconds.
    """
    series = pd.Series(values, dtype=object).reset_index(drop=True)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    kinds = [_classify(v) for v in uniques]
    dmy = [kind[1] for kind in kinds if kind and kind[0] == "dmy"]
    order, ambiguous = _decide_order(dmy, day_first)

    n_unique = len(uniques)
    stamps = np.full(n_unique, np.datetime64("NaT"), dtype="datetime64[ms]")
    precision = np.full(n_unique, -1, dtype=np.int8)
    blank = np.zeros(n_unique, dtype=bool)
    forms = np.full(n_unique, "", dtype=object)
    short_year = np.zeros(n_unique, dtype=bool)
    parts: dict[int, tuple] = {}
    serials: dict[int, float] = {}
    for i, kind in enumerate(kinds):
        if kind is None:
            continue
        name, data = kind
        if name == "blank":
            blank[i] = True
        elif name == "cell":
            stamps[i], precision[i], forms[i] = (
                np.datetime64(data.to_pydatetime(), "ms"),
                DAY,
                FORM_CELLS,
            )
        elif name == "serial":
            serials[i] = data
            forms[i] = FORM_SERIAL
        elif name == "year":
            parts[i], forms[i] = (data, 1, 1, 0, 0, 0, YEAR), FORM_YEAR
        elif name == "compact":
            parts[i] = (data // 10_000, data // 100 % 100, data % 100, 0, 0, 0, DAY)
            forms[i] = FORM_COMPACT
        elif name == "dmy":
            a, b, year, sep, clock = data
            if sep == ".":  # day first by convention, unless the cell itself shows otherwise
                day, month = (b, a) if b > 12 >= a else (a, b)
            else:
                day, month = (a, b) if order else (b, a)
            parts[i] = (_two_digit(year), month, day, *clock, DAY)
            short_year[i] = len(year) == 2
            forms[i] = FORM_DOTS if sep == "." else FORM_DAY_FIRST if order else FORM_MONTH_FIRST
        else:
            parts[i] = data
            forms[i] = {"iso": FORM_ISO, "ym": FORM_YEAR_MONTH, "named": FORM_NAMES}[name]
    if parts:
        index = np.fromiter(parts, dtype=np.int64, count=len(parts))
        table = pd.DataFrame(
            list(parts.values()),
            columns=["year", "month", "day", "hour", "minute", "second", "precision"],
        )
        made = pd.to_datetime(table.drop(columns="precision"), errors="coerce")
        stamps[index] = made.to_numpy().astype("datetime64[ms]")
        ok = made.notna().to_numpy()
        precision[index[ok]] = table["precision"].to_numpy()[ok]
    if serials:
        index = np.fromiter(serials, dtype=np.int64, count=len(serials))
        made = pd.to_datetime(
            np.fromiter(serials.values(), dtype=float), unit="D", origin=EXCEL_EPOCH
        )
        stamps[index] = made.to_numpy().astype("datetime64[ms]")
        precision[index] = DAY
    read = precision >= 0

    row_ok = codes >= 0
    dates = np.full(len(series), np.datetime64("NaT"), dtype="datetime64[ms]")
    dates[row_ok] = stamps[codes[row_ok]]
    row_precision = np.full(len(series), -1, dtype=np.int8)
    row_precision[row_ok] = precision[codes[row_ok]]
    row_blank = ~row_ok
    row_blank[row_ok] = blank[codes[row_ok]]
    bad = np.flatnonzero(~row_blank & (row_precision < 0))
    counted = Counter(forms[codes[row_ok & (row_precision >= 0)]].tolist())
    return ParsedDates(
        dates=dates,
        precision=row_precision,
        forms=tuple(form for form, _ in counted.most_common()),
        day_first=order,
        ambiguous=ambiguous,
        unreadable_rows=bad,
        unreadable_values=tuple(str(series.iat[r]) for r in bad),
        blank=int(row_blank.sum()),
        two_digit_years=int((short_year & read)[codes[row_ok]].sum()),
    )
