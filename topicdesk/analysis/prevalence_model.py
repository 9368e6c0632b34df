"""A model-based estimate of how one topic's prevalence depends on time and group.

The counterpart of the structural topic model's ``estimateEffect``: a binomial GLM with
a logit link (statsmodels) of "this document is in the topic" on a smooth function of
time (a natural cubic regression spline, patsy's ``cr``) plus the group. It gives a
smooth curve per group with a 95% confidence band, so the researcher can ask how a
topic's share moves with time once group is held constant, and whether groups differ
at the same time.

It is an estimate that rests on assumptions, and says so: topic membership as found by
the clustering is taken as data (its own uncertainty is not carried over); the logit of
the share is a smooth function of time plus a group shift, the same shape for every
group (no interaction); documents are independent given time and group, with
over-dispersion allowed for by Pearson's chi-square (never below the binomial's).
Documents are counted per group and per step of time (1/500 of the span), which leaves
the fit unchanged up to that rounding and keeps it fast at 100,000 documents.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from topicdesk.analysis.prevalence import CONFIDENCE, SMALL
from topicdesk.errors import TopicDeskError

STEPS = 500  # time is counted in this many steps of the span
GRID = 80  # points along each estimated curve
ALL = "all documents"
ASSUMPTIONS = (
    "Estimate from a binomial GLM (logit link, statsmodels) of topic membership on a "
    "natural cubic spline of time plus group: the same time shape for every group, "
    "documents independent given time and group (over-dispersion allowed by Pearson's "
    "chi-square, never below binomial), topic assignments taken as given. 95% "
    "confidence bands."
)


@dataclass(frozen=True, eq=False)
class TopicEffect:
    """Estimated share of one topic along time (``years``), one curve per group.

    Each group's curve is NaN outside the time its own documents span: the model is not
    asked about years in which a group said nothing.
    """

    topic_id: int
    groups: list[str]
    years: np.ndarray
    estimate: np.ndarray  # (groups, years)
    low: np.ndarray
    high: np.ndarray
    documents: int  # dated documents of the groups estimated (those without a group left out)
    left_out: dict[str, str]  # group name -> why it was not estimated
    spline_df: int
    assumptions: str = ASSUMPTIONS


def decimal_years(dates: np.ndarray) -> np.ndarray:
    """Dates as years with a fraction (2015.5 is early July 2015); NaN for NaT."""
    has = ~np.isnat(dates)
    out = np.full(len(dates), np.nan)
    year = dates[has].astype("datetime64[Y]")
    begin = year.astype(dates.dtype)
    length = (year + 1).astype(dates.dtype) - begin
    out[has] = year.astype(np.int64) + 1970 + (dates[has] - begin) / length
    return out


def _dispersion(result, cells: pd.DataFrame) -> float:
    """Pearson's chi-square per residual degree of freedom, never below 1.

    Computed here from the counts: statsmodels' ``scale="X2"`` treats two-column
    (hits, misses) counts as single trials and comes out far too small.
    """
    n = cells["count"].to_numpy(dtype=float)
    share = np.clip(result.fittedvalues.to_numpy(), 1e-12, 1 - 1e-12)
    pearson = ((cells["sum"].to_numpy() - n * share) ** 2 / (n * share * (1 - share))).sum()
    return float(max(1.0, pearson / max(result.df_resid, 1.0)))


def _spline_df(distinct_times: int) -> int:
    """Flexibility of the time curve: up to 5 degrees of freedom, fewer for few dates."""
    return int(min(5, max(1, distinct_times - 2)))


def estimate_effect(
    years: np.ndarray,
    member: np.ndarray,
    analysed: np.ndarray,
    topic_id: int,
    group_codes: np.ndarray | None = None,
    group_names: list[str] | None = None,
) -> TopicEffect:
    """Fit the model for one topic; ``years`` are decimal years per row (NaN for none).

    Groups of fewer than 30 documents, and groups with none or only documents of this
    topic (whose share the logit cannot place), are left out and named in the result.
    """
    import statsmodels.api as sm
    from patsy import build_design_matrices, dmatrix
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    use = analysed & ~np.isnan(years)
    names = [ALL]
    codes = np.zeros(len(years), dtype=np.int64)
    left_out: dict[str, str] = {}
    if group_codes is not None and group_names:
        grouped = use & (group_codes >= 0)
        sizes = np.bincount(group_codes[grouped], minlength=len(group_names))
        hits = np.bincount(group_codes[grouped & member], minlength=len(group_names))
        kept = []
        for i, (size, hit) in enumerate(zip(sizes, hits)):
            if size < SMALL:
                left_out[group_names[i]] = f"fewer than {SMALL} dated documents"
            elif hit == 0 or hit == size:
                left_out[group_names[i]] = (
                    "none of its documents in this topic"
                    if hit == 0
                    else ("all of its documents in this topic")
                )
            else:
                kept.append(i)
        remap = np.full(len(group_names), -1, dtype=np.int64)
        remap[kept] = np.arange(len(kept))
        codes = np.where(group_codes >= 0, remap[np.maximum(group_codes, 0)], -1)
        names = [group_names[i] for i in kept]
        use &= codes >= 0
    if use.sum() < SMALL or not names:
        raise TopicDeskError(
            f"Too few dated documents ({int(use.sum()):,}) for a model estimate; it needs {SMALL}."
        )
    start, end = float(np.min(years[use])), float(np.max(years[use]))
    step = max((end - start) / STEPS, 1e-9)
    slot = np.round((years[use] - start) / step).astype(np.int64)
    frame = pd.DataFrame({"slot": slot, "group": codes[use], "hit": member[use].astype(np.int64)})
    cells = frame.groupby(["slot", "group"], sort=True)["hit"].agg(["sum", "count"]).reset_index()
    cells["year"] = start + cells["slot"] * step
    cells["group"] = cells["group"].map(dict(enumerate(names)))
    df = _spline_df(int(cells["slot"].nunique()))
    time_term = f"cr(year, df={df}, constraints='center')" if df >= 3 else "year"
    formula = time_term + (" + C(group)" if len(names) > 1 else "")
    design = dmatrix(formula, cells, return_type="dataframe")
    outcome = np.column_stack([cells["sum"], cells["count"] - cells["sum"]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        try:
            model = sm.GLM(outcome, design, family=sm.families.Binomial())
            result = model.fit()
            result = model.fit(scale=_dispersion(result, cells))
        except (ValueError, np.linalg.LinAlgError) as exc:
            raise TopicDeskError(
                f"The model could not be estimated for this topic ({exc}); "
                "read the shares per period instead."
            ) from exc
    grid = np.linspace(start, end, GRID)
    newdata = pd.DataFrame({"year": np.tile(grid, len(names)), "group": np.repeat(names, GRID)})
    rows = build_design_matrices([design.design_info], newdata, return_type="dataframe")[0]
    frame = result.get_prediction(rows).summary_frame(alpha=1 - CONFIDENCE)
    shape = (len(names), GRID)
    estimate, low, high = (
        frame[c].to_numpy().reshape(shape).copy()
        for c in ("mean", "mean_ci_lower", "mean_ci_upper")
    )
    for g, name in enumerate(names):  # no curve where the group has no documents
        seen = cells.loc[cells["group"] == name, "year"]
        outside = (grid < seen.min() - step) | (grid > seen.max() + step)
        for values in (estimate, low, high):
            values[g, outside] = np.nan
    return TopicEffect(
        topic_id=topic_id,
        groups=names,
        years=grid,
        estimate=estimate,
        low=low,
        high=high,
        documents=int(use.sum()),
        left_out=left_out,
        spline_df=df,
    )
