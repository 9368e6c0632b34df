"""Cell values as tagged JSON, so a project gives back exactly the types it was given.

Plain JSON would turn dates into strings and NaN into invalid output; pickle would let a
project file run code. Tags keep both safe and exact.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd


def encode_value(value: object) -> object:
    """A JSON-ready form of one cell value."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else {"f": repr(value)}
    if isinstance(value, str):
        return value
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"t": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"td": value.total_seconds()}
    return {"s": str(value)}


def decode_value(value: object) -> object:
    """The cell value a tagged JSON form stands for."""
    if not isinstance(value, dict):
        return value
    if "f" in value:
        return float(value["f"])
    if "dt" in value:
        return dt.datetime.fromisoformat(value["dt"])
    if "d" in value:
        return dt.date.fromisoformat(value["d"])
    if "t" in value:
        return dt.time.fromisoformat(value["t"])
    if "td" in value:
        return dt.timedelta(seconds=value["td"])
    return str(value.get("s", ""))


def encode_column(series: pd.Series) -> str:
    return json.dumps(
        [encode_value(v) for v in series.tolist()], ensure_ascii=False, allow_nan=False
    )


def decode_column(text: str, dtype: str) -> pd.Series:
    return series_of([decode_value(v) for v in json.loads(text)], dtype)


def series_of(values: Sequence[object] | np.ndarray, dtype: str) -> pd.Series:
    """A column of decoded values in its saved dtype, where this pandas can rebuild it."""
    series = pd.Series(values, dtype=object)
    if dtype != "object":
        try:
            series = series.astype(dtype)
        except (TypeError, ValueError):
            pass  # a dtype this pandas cannot rebuild: the values are still exact
    return series
