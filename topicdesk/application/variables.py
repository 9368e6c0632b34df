"""The data's own variables: choosing the date and group columns, and topics by them.

The views, the CLI and the export all call these functions. A date column is parsed and
a group column coded once per corpus and kept (the corpus never changes after import),
so a recount after an edit is one bincount (see :mod:`topicdesk.analysis.prevalence`).
The researcher's answers that are not columns (day or month first, the period) are kept
in the project's records under ``"variables"``.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

import numpy as np

from topicdesk.analysis import prevalence as prev
from topicdesk.analysis.prevalence_model import TopicEffect, decimal_years, estimate_effect
from topicdesk.core.corpus import Corpus
from topicdesk.core.palette import PALETTE, UNASSIGNED_COLOUR
from topicdesk.core.project import Project
from topicdesk.core.state import UNASSIGNED
from topicdesk.errors import TopicDeskError
from topicdesk.io.dates import PRECISION_NAMES, ParsedDates, parse_dates

RECORD = "variables"
MAX_GROUPS = 200
UNASSIGNED_LABEL = "Unassigned"
_cache: weakref.WeakKeyDictionary[Corpus, dict[tuple, object]] = weakref.WeakKeyDictionary()


def _kept(corpus: Corpus, key: tuple, make):
    store = _cache.setdefault(corpus, {})
    if key not in store:
        store[key] = make()
    return store[key]


def _saved(project: Project) -> dict:
    record = project.records.get(RECORD)
    return dict(record) if isinstance(record, dict) else {}


def parsed_dates(project: Project) -> ParsedDates | None:
    """The project's date column as read (kept per corpus), or None without one."""
    corpus = project.corpus
    column = corpus.date_column
    if column is None or column not in corpus.table.columns:
        return None
    day_first = _saved(project).get("day_first")
    return _kept(
        corpus, ("dates", column, day_first), lambda: parse_dates(corpus.table[column], day_first)
    )


def group_categories(project: Project) -> prev.Categories | None:
    """The group of every row (kept per corpus), or None without a group column."""
    corpus = project.corpus
    column = corpus.group_column
    if column is None or column not in corpus.table.columns:
        return None
    return _kept(corpus, ("groups", column), lambda: prev.group_codes(corpus.table[column]))


def _column_exists(corpus: Corpus, column: str, role: str) -> None:
    if column not in corpus.table.columns:
        names = ", ".join(map(str, list(corpus.table.columns)[:8]))
        raise TopicDeskError(
            f"There is no column named '{column}'; choose a {role} column of: {names}."
        )
    if column == corpus.text_column:
        raise TopicDeskError(f"'{column}' holds the texts; choose a column of {role}s instead.")


@dataclass(frozen=True, eq=False)
class VariablesReport:
    """What the chosen columns hold, in numbers and in words."""

    date_column: str | None
    group_column: str | None
    dates: ParsedDates | None
    groups: list[str]
    group_sizes: list[int]
    group_blank: int
    periods: tuple[str, ...]
    suggested_period: str | None

    @property
    def needs_order(self) -> bool:
        """True when the app should ask whether 03/04/2015 is day or month first."""
        return self.dates is not None and self.dates.ambiguous

    @property
    def small_groups(self) -> list[str]:
        return [g for g, n in zip(self.groups, self.group_sizes) if n < prev.SMALL]

    def sentences(self) -> list[str]:
        out: list[str] = []
        if self.dates is not None and self.date_column is not None:
            out += self.dates.sentences(self.date_column)
            coarsest = self.dates.coarsest
            if coarsest is not None and coarsest < 2:
                out.append(
                    f"Some cells give only the {PRECISION_NAMES[coarsest]}, so topics over time "
                    f"go by {' or '.join(self.periods)}."
                )
        if self.group_column is not None:
            out.append(f"{len(self.groups):,} groups in '{self.group_column}'.")
            if self.group_blank:
                rows, are = (
                    ("1 row has", "is")
                    if self.group_blank == 1
                    else (f"{self.group_blank:,} rows have", "are")
                )
                out.append(f"{rows} no group and {are} left out of group comparisons.")
            if self.small_groups:
                shown = ", ".join(self.small_groups[:6]) + (
                    " …" if len(self.small_groups) > 6 else ""
                )
                out.append(
                    f"{len(self.small_groups):,} groups have {prev.SMALL_RULE} and are flagged "
                    f"as small: {shown}."
                )
        return out


def check_variables(
    project: Project,
    date_column: str | None,
    group_column: str | None,
    day_first: bool | None = None,
) -> VariablesReport:
    """Read the columns and say what they hold, without changing the project.

    Raises a one-sentence :class:`TopicDeskError` for a column that cannot serve.
    """
    corpus = project.corpus
    dates = None
    periods: tuple[str, ...] = ()
    suggested = None
    if date_column is not None:
        _column_exists(corpus, date_column, "date")
        dates = _kept(
            corpus,
            ("dates", date_column, day_first),
            lambda: parse_dates(corpus.table[date_column], day_first),
        )
        if dates.readable == 0:
            example = ""
            if len(dates.unreadable_rows):
                example = f" (for example '{dates.unreadable_values[0]}' in row {dates.unreadable_rows[0] + 2})"
            raise TopicDeskError(
                f"No cell in '{date_column}' reads as a date{example}; choose the column that holds dates."
            )
        periods = prev.periods_for(dates.coarsest)
        suggested = prev.suggest_period(dates.dates[corpus.has_text], dates.coarsest)
    names: list[str] = []
    sizes: list[int] = []
    blank = 0
    if group_column is not None:
        _column_exists(corpus, group_column, "group")
        groups = _kept(
            corpus, ("groups", group_column), lambda: prev.group_codes(corpus.table[group_column])
        )
        filled = int((groups.codes >= 0).sum())
        if not groups.names:
            raise TopicDeskError(
                f"'{group_column}' is empty in every row; choose a column such as party or country."
            )
        if len(groups.names) > MAX_GROUPS or (
            len(groups.names) > 20 and len(groups.names) > filled / 2
        ):
            raise TopicDeskError(
                f"'{group_column}' has {len(groups.names):,} different values in {filled:,} rows; a group "
                f"column needs a few values shared by many documents (at most {MAX_GROUPS}), such as party or country."
            )
        names = list(groups.names)
        sizes = np.bincount(
            groups.codes[corpus.has_text & (groups.codes >= 0)], minlength=len(names)
        ).tolist()
        blank = int((groups.codes < 0).sum())
    return VariablesReport(
        date_column, group_column, dates, names, sizes, blank, periods, suggested
    )


def set_variables(
    project: Project,
    date_column: str | None,
    group_column: str | None,
    day_first: bool | None = None,
) -> VariablesReport:
    """Choose the date and group columns of a project (no refit needed); None clears one.

    ``day_first`` answers the question an ambiguous date column raises; it is kept with
    the project, as is nothing else that the columns do not already say.
    """
    report = check_variables(project, date_column, group_column, day_first)
    corpus = project.corpus
    corpus.date_column, corpus.group_column = date_column, group_column
    saved = _saved(project)
    saved["day_first"] = day_first if date_column is not None else None
    if saved.get("period") not in report.periods:
        saved.pop("period", None)
    project.records[RECORD] = saved
    return report


def remember_period(project: Project, period: str) -> None:
    """Keep the period the researcher chose, so the export groups dates the same way."""
    if period not in prev.PERIODS:
        raise TopicDeskError(
            f"'{period}' is not a period; choose one of {', '.join(prev.PERIODS)}."
        )
    project.records[RECORD] = {**_saved(project), "period": period}


def _required_dates(project: Project) -> ParsedDates:
    dates = parsed_dates(project)
    if dates is None:
        raise TopicDeskError("This project has no date column; choose one in Project > Variables….")
    if not dates.readable:
        raise TopicDeskError(
            f"No cell in '{project.corpus.date_column}' reads as a date; choose the date "
            "column in Project > Variables…."
        )
    return dates


def _required_groups(project: Project) -> prev.Categories:
    groups = group_categories(project)
    if groups is None:
        raise TopicDeskError(
            "This project has no group column; choose one in Project > Variables…."
        )
    return groups


def available_periods(project: Project) -> tuple[str, ...]:
    dates = parsed_dates(project)
    return () if dates is None else prev.periods_for(dates.coarsest)


def current_period(project: Project) -> str:
    """The period chosen and kept, or the one suggested by the dates' span."""
    dates = _required_dates(project)
    saved = _saved(project).get("period")
    if saved in prev.periods_for(dates.coarsest):
        return saved
    return prev.suggest_period(dates.dates[project.corpus.has_text], dates.coarsest)


def period_categories(project: Project, period: str | None = None) -> prev.Categories:
    """The period of every row (kept per corpus and period)."""
    dates = _required_dates(project)
    period = period or current_period(project)
    if period not in prev.periods_for(dates.coarsest):
        allowed = ", ".join(prev.periods_for(dates.coarsest))
        raise TopicDeskError(f"The dates cannot be grouped by {period}; choose {allowed}.")
    key = ("periods", project.corpus.date_column, dates.day_first, period)
    return _kept(project.corpus, key, lambda: prev.period_codes(dates.dates, period))


def _analysed(project: Project, within: np.ndarray | None) -> np.ndarray:
    """Rows that count: those with text, and only ``within`` (row positions) when given."""
    analysed = project.corpus.has_text
    if within is None:
        return analysed
    inside = np.zeros(len(analysed), dtype=bool)
    inside[np.asarray(within, dtype=np.int64)] = True
    return analysed & inside


def _table(
    project: Project, categories: prev.Categories, within: np.ndarray | None = None
) -> prev.Prevalence:
    state = project.state
    if state is None or not project.fitted:
        raise TopicDeskError("There are no topics yet; fit topics first.")
    return prev.prevalence(
        categories,
        state.assignments,
        prev.topic_columns(list(state.topics)),
        _analysed(project, within),
    )


def prevalence_over_time(
    project: Project, period: str | None = None, within: np.ndarray | None = None
) -> prev.Prevalence:
    """Topic counts and shares per period with 95% Wilson intervals (``.period`` says which),
    of all documents or only those ``within`` (for example the selected ones)."""
    period = period or current_period(project)
    return replace(_table(project, period_categories(project, period), within), period=period)


def prevalence_by_group(project: Project, within: np.ndarray | None = None) -> prev.Prevalence:
    """Topic counts and shares per group with 95% Wilson intervals (all, or ``within``)."""
    return _table(project, _required_groups(project), within)


def group_difference(project: Project, group_a: str, group_b: str) -> prev.Difference:
    """Each topic's share in one group minus its share in another, with 95% intervals."""
    table = prevalence_by_group(project)
    missing = [g for g in (group_a, group_b) if g not in table.categories]
    if missing:
        raise TopicDeskError(f"There is no group '{missing[0]}'; choose one of the groups listed.")
    return prev.difference(table, table.categories.index(group_a), table.categories.index(group_b))


def estimate_topic_effect(project: Project, topic_id: int) -> TopicEffect:
    """A model-based estimate of the topic's share along time, per group when there is a
    group column (see :mod:`topicdesk.analysis.prevalence_model` for its assumptions)."""
    state = project.state
    if state is None or not project.fitted:
        raise TopicDeskError("There are no topics yet; fit topics first.")
    if topic_id not in state.topics:
        raise TopicDeskError("Choose a topic in the list to estimate its share over time.")
    dates = _required_dates(project)
    years = _kept(
        project.corpus,
        ("years", project.corpus.date_column, dates.day_first),
        lambda: decimal_years(dates.dates),
    )
    groups = group_categories(project)
    return estimate_effect(
        years,
        state.assignments == topic_id,
        project.corpus.has_text,
        topic_id,
        None if groups is None else groups.codes,
        None if groups is None else list(groups.names),
    )


def _rows(
    project: Project,
    categories: prev.Categories,
    index: int,
    topic_id: int,
    within: np.ndarray | None,
) -> np.ndarray:
    state = project.state
    assert state is not None
    hit = (categories.codes == index) & (state.assignments == topic_id)
    return np.flatnonzero(hit & _analysed(project, within)).astype(np.int64)


def rows_in_period(
    project: Project, period: str, index: int, topic_id: int, within: np.ndarray | None = None
) -> np.ndarray:
    """The documents of a topic (``UNASSIGNED`` for none) in the period at ``index``."""
    return _rows(project, period_categories(project, period), index, topic_id, within)


def rows_in_group(
    project: Project, index: int, topic_id: int, within: np.ndarray | None = None
) -> np.ndarray:
    """The documents of a topic (``UNASSIGNED`` for none) in the group at ``index``."""
    return _rows(project, _required_groups(project), index, topic_id, within)


def topic_labels(project: Project) -> dict[int, str]:
    state = project.state
    assert state is not None
    return {UNASSIGNED: UNASSIGNED_LABEL, **{t.id: t.label for t in state.sorted_topics()}}


def export_sheets(project: Project) -> tuple[dict[str, object], dict[str, object]]:
    """The ``over_time`` and ``by_group`` sheets for the columns set, and notes on how.

    Notes (the period, the interval method, the small-group rule) go to the settings sheet.
    """
    sheets: dict[str, object] = {}
    notes: dict[str, object] = {}
    labels = topic_labels(project)
    dates = parsed_dates(project)
    if dates is not None and dates.readable:  # a column chosen at import may hold no date
        table = prevalence_over_time(project)
        sheets["over_time"] = table.frame(labels, "period")
        notes["variables.date_column"] = project.corpus.date_column
        notes["variables.period"] = table.period
        notes["variables.documents_without_date"] = table.left_out
    if group_categories(project) is not None:
        table = prevalence_by_group(project)
        sheets["by_group"] = table.frame(labels, "group")
        notes["variables.group_column"] = project.corpus.group_column
        notes["variables.documents_without_group"] = table.left_out
    if sheets:
        notes["variables.share_interval"] = prev.INTERVAL_METHOD
        notes["variables.small_when"] = prev.SMALL_RULE
    return sheets, notes


@dataclass(frozen=True, eq=False)
class Colouring:
    """A code per row (-1 for none), a colour per code and legend entries (colour, name, size);
    ``none_name`` says in the legend what the rows without a code are."""

    codes: np.ndarray
    names: list[str]
    colours: list[str]
    none_name: str = "None"
    none_colour: str = UNASSIGNED_COLOUR

    def legend(self, rows: np.ndarray | None = None) -> list[tuple[str, str, int]]:
        codes = self.codes if rows is None else self.codes[rows]
        sizes = np.bincount(codes[codes >= 0], minlength=len(self.names))
        return [(c, n, int(s)) for c, n, s in zip(self.colours, self.names, sizes)]


# Seven steps of the viridis ramp: ordered, readable on white, distinguishable without red/green.
RAMP = ("#440154", "#443983", "#31688e", "#21918c", "#35b779", "#90d743", "#fde725")


def ramp_colours(n: int) -> list[str]:
    """``n`` colours along the ramp, early periods dark and late ones light."""
    anchors = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in RAMP], dtype=float)
    where = np.linspace(0, len(RAMP) - 1, max(n, 1))[:n]
    low = np.floor(where).astype(int).clip(0, len(RAMP) - 2)
    mixed = anchors[low] + (where - low)[:, None] * (anchors[low + 1] - anchors[low])
    return ["#" + "".join(f"{round(v):02x}" for v in rgb) for rgb in mixed]


def colour_by_group(project: Project) -> Colouring:
    """Map colours by group: the topic palette in group order, grey for rows without one."""
    groups = _required_groups(project)
    return Colouring(
        groups.codes,
        list(groups.names),
        [PALETTE[i % len(PALETTE)] for i in range(len(groups.names))],
        none_name="No group",
    )


def colour_by_period(project: Project, period: str | None = None) -> Colouring:
    """Map colours by period along an ordered ramp, grey for rows without a date."""
    periods = period_categories(project, period)
    return Colouring(
        periods.codes, list(periods.names), ramp_colours(len(periods.names)), none_name="No date"
    )


def rows_between(
    project: Project, start: np.datetime64 | None, end: np.datetime64 | None
) -> np.ndarray:
    """A mask of rows dated from ``start`` up to and including ``end`` (either may be open)."""
    dates = _required_dates(project).dates
    keep = ~np.isnat(dates)
    if start is not None:
        keep &= dates >= np.datetime64(start, "ms")
    if end is not None:  # the whole end day counts, whatever time a document has
        keep &= dates < (np.datetime64(end, "D") + np.timedelta64(1, "D")).astype(dates.dtype)
    return keep


def rows_in_groups(project: Project, names: list[str]) -> np.ndarray:
    """A mask of rows whose group is one of ``names``."""
    groups = _required_groups(project)
    wanted = [i for i, name in enumerate(groups.names) if name in set(names)]
    return np.isin(groups.codes, wanted)
