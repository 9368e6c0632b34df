"""File format 4: the per-document data as arrays, not one SQLite row or JSON value per document.

Formats 1 to 3 kept a row of the ``documents`` table per document and each of the user's
columns as one JSON list; at a million documents a save built a million tuples (the save
peaked at 5.3 GiB) and an open read them back one by one. Now, as rows of the arrays
table (so a large one is stored in parts and covered by the checksum like the embeddings):

- a column of texts (strings, with None, NaN or NA in empty cells) is its UTF-8 bytes, the
  cells joined by NUL characters, with a code per row for the empty cells if it has any;
  when rows repeat texts (dates, groups: 4 rows or more a text) each distinct text is
  stored once with the number of each row's text, so opening makes one string per text;
- a column of numbers, booleans, dates or durations is its raw bytes;
- each document's topic, confidence and who put it there (a code into the names kept in
  the meta table) are one array each, and notes on documents are rows of ``notes``;
- so is the index of each document's distinct text, which opening takes with the texts
  instead of finding them again (:func:`known_texts`).

Any other column (mixed types, a NUL inside a text, pandas' own types) stays the tagged
JSON list of :mod:`topicdesk.project.values`, exact as before.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from topicdesk.core.state import TopicState
from topicdesk.project.values import decode_column, encode_column, series_of

DOCUMENTS_KEY = "documents"  # the key of the per-document arrays in the arrays table
TOPIC = "document topic"
CONFIDENCE = "document confidence"
ASSIGNED_BY = "document assigned_by"
ASSIGNED_BY_NAMES = "assigned_by_names"  # meta: what the codes of ASSIGNED_BY stand for
TEXT_INDEX = "document text index"  # Corpus.unique_texts()'s index of each row's text
NUMBER_KINDS = "biufmM"  # booleans, integers, floats, durations, dates
MISSING = "missing"  # the array of a text column's empty cells: 1 None, 2 NaN, 3 pd.NA
NONE_CODE, NAN_CODE, NA_CODE = 1, 2, 3
SEPARATOR = "\x00"
TEXT_BLOCK = 16_384  # cells encoded at a time when saving
NUMBERS = "numbers"  # of a column of repeated texts: the number of each row's text
REPEATED_MIN_ROWS, REPEATED_SHARE = 1_000, 4  # texts repeated when 4 rows or more a text
Stored = np.ndarray | Iterator[np.ndarray]  # an array, or a one-dimensional one block by block


def column_array_name(position: int) -> str:
    return f"column {position}"


def encode_table_column(position: int, series: pd.Series) -> tuple[str, list[tuple[str, Stored]]]:
    """The columns table's ``data`` for one column, and the arrays that hold its cells."""
    name = column_array_name(position)
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in NUMBER_KINDS:
        values = np.ascontiguousarray(series.to_numpy())
        return json.dumps({"array": name, "as": "numbers"}), [(name, values)]
    texts = _texts(series)
    if texts is None:
        return encode_column(series), []
    cells, codes = texts
    arrays: list[tuple[str, Stored]] = []
    layout = "texts"
    if len(cells) >= REPEATED_MIN_ROWS:
        numbers, distinct = pd.factorize(np.asarray(cells, dtype=object))
        if len(distinct) <= len(cells) // REPEATED_SHARE:
            layout, cells = "repeated texts", list(distinct)
            arrays.append((f"{name} {NUMBERS}", numbers.astype(np.int32)))
    arrays.append((name, _text_blocks(cells)))
    if codes is not None:
        arrays.append((f"{name} {MISSING}", codes))
    return json.dumps({"array": name, "as": layout}), arrays


def _texts(series: pd.Series) -> tuple[list[str], np.ndarray | None] | None:
    """A column of strings (object or pandas' string type) with '' in its empty cells, and
    the codes of those, or None when it holds anything else (or a NUL, which would shift
    every later cell)."""
    if not len(series) or not (series.dtype == object or isinstance(series.dtype, pd.StringDtype)):
        return None
    if infer_dtype(series, skipna=True) not in ("string", "empty"):
        return None
    values = series.to_numpy(dtype=object, copy=True)
    missing = np.flatnonzero(series.isna().to_numpy())
    codes = None
    if len(missing):
        codes = np.zeros(len(values), dtype=np.uint8)
        for row in missing.tolist():
            value = values[row]
            if value is None:
                codes[row] = NONE_CODE
            elif isinstance(value, float) and math.isnan(value):
                codes[row] = NAN_CODE
            elif value is pd.NA:
                codes[row] = NA_CODE
            else:  # NaT: kept by the JSON list
                return None
        values[missing] = ""
    cells = values.tolist()
    if any(SEPARATOR in cell for cell in cells):
        return None
    return cells, codes


def _text_blocks(cells: list[str]) -> Iterator[np.ndarray]:
    """The UTF-8 bytes of the cells joined by NUL, a block of cells at a time (joined at
    once, the text of a million documents took three times its size in memory)."""
    for start in range(0, len(cells), TEXT_BLOCK):
        block = SEPARATOR.join(cells[start : start + TEXT_BLOCK])
        block = SEPARATOR + block if start else block
        yield np.frombuffer(block.encode("utf-8", "surrogatepass"), dtype=np.uint8)


def _vector(arrays: dict[str, tuple], name: str, rows: int | None) -> np.ndarray:
    """A one-dimensional stored array (of ``rows`` values when given), read-only."""
    if name not in arrays:
        raise ValueError(f"the array {name!r} is missing")
    _name, _key, dtype, shape_text, data = arrays[name]
    dtype = np.dtype(dtype)
    if dtype.kind not in NUMBER_KINDS:
        raise ValueError(f"array {name} has the unsupported type {dtype}")
    shape = json.loads(shape_text)
    values = np.frombuffer(data, dtype=dtype)
    if shape != [len(values)] or (rows is not None and len(values) != rows):
        raise ValueError(f"array {name} does not match the documents")
    return values


TextCells = tuple[np.ndarray, list[str], np.ndarray | None]  # bytes, cells, empty-cell codes


def decode_table_column(
    data: str, dtype: str, arrays: dict[str, tuple], rows: int
) -> tuple[pd.Series, TextCells | None]:
    """A column as it was saved, from its ``data`` and the arrays it names; for a column
    stored as texts also its bytes, cells and codes, from which :func:`known_texts` works."""
    if not data.startswith("{"):
        return decode_column(data, dtype), None
    spec = json.loads(data)
    if not isinstance(spec, dict) or spec.get("as") not in ("numbers", "texts", "repeated texts"):
        raise ValueError("a column has an unknown layout")
    name = str(spec.get("array"))
    if spec["as"] == "numbers":
        return pd.Series(_vector(arrays, name, rows).copy()), None
    data_bytes = _vector(arrays, name, None)
    if data_bytes.dtype != np.uint8:
        raise ValueError(f"array {name} has the unsupported type {data_bytes.dtype}")
    cells = str(data_bytes, "utf-8", "surrogatepass").split(SEPARATOR)
    values = np.empty(len(cells), dtype=object)
    values[:] = cells
    if spec["as"] == "repeated texts":
        numbers = _vector(arrays, f"{name} {NUMBERS}", rows).astype(np.int64)
        if rows and (numbers.min() < 0 or numbers.max() >= len(values)):
            raise ValueError(f"array {name} does not match the documents")
        values = values[numbers]
    elif len(cells) != rows:
        raise ValueError(f"array {name} does not match the documents")
    codes_name = f"{name} {MISSING}"
    codes = None
    if codes_name in arrays:
        codes = _vector(arrays, codes_name, rows)
        values[codes == NONE_CODE] = None
        values[codes == NAN_CODE] = np.nan
        values[codes == NA_CODE] = pd.NA
    series = series_of(values, dtype)
    return series, (data_bytes, cells, codes) if spec["as"] == "texts" else None


def _maybe_space(first_or_last: np.ndarray) -> np.ndarray:
    """Bytes that may begin or end white space str.strip() removes: ASCII controls and
    space, and any byte of a non-ASCII character (those cells are stripped one by one)."""
    return (first_or_last <= 32) | (first_or_last >= 128)


def known_texts(
    cells: TextCells, arrays: dict[str, tuple], rows: int
) -> tuple[list[str], list[str], np.ndarray] | None:
    """``Corpus.texts``, the distinct texts and their index per row, from the text column's
    stored cells and the stored index (None when the file has no index).

    Found without a Python step per document: a cell is its text unless it is empty or
    its first or last byte may be white space (only those are stripped), and the
    distinct texts are the cells where the index reaches a new number. The index is
    checked against the texts that are empty and for its order, not text by text: the
    checksum has vouched for it.
    """
    data, texts, codes = cells
    if TEXT_INDEX not in arrays or (codes is not None and (codes == NA_CODE).any()):
        return None  # (the corpus reads an NA cell as the text "<NA>")
    inverse = _vector(arrays, TEXT_INDEX, rows)
    if inverse.dtype != np.int64:
        raise ValueError(f"array {TEXT_INDEX} has the unsupported type {inverse.dtype}")
    ends = np.append(np.flatnonzero(data == 0), len(data))
    starts = np.concatenate(([0], ends[:-1] + 1))
    has_text = ends > starts
    edges = np.zeros(rows, dtype=bool)
    edges[has_text] = _maybe_space(data[starts[has_text]]) | _maybe_space(data[ends[has_text] - 1])
    if codes is not None:
        has_text &= codes == 0
        edges &= codes == 0
    for row in np.flatnonzero(edges).tolist():
        texts[row] = texts[row].strip()
        has_text[row] = bool(texts[row])
    running = np.maximum.accumulate(inverse) if rows else inverse
    before = np.concatenate(([-1], running[:-1]))
    if not np.array_equal(inverse >= 0, has_text) or (inverse > before + 1).any():
        raise ValueError("the distinct texts do not match the documents")
    distinct = np.array(texts, dtype=object)[inverse > before].tolist()
    return texts, distinct, inverse


def state_arrays(state: TopicState) -> tuple[list[tuple[str, np.ndarray]], list[str]]:
    """The per-document arrays of a topic state, and the names the assigned_by codes stand for."""
    names = sorted(set(state.assigned_by))
    index = {name: code for code, name in enumerate(names)}
    codes = np.fromiter(
        (index[by] for by in state.assigned_by), dtype=np.int32, count=len(state.assigned_by)
    )
    arrays = [
        (TOPIC, np.ascontiguousarray(state.assignments, dtype=np.int64)),
        (CONFIDENCE, np.ascontiguousarray(state.confidence, dtype=np.float64)),
        (ASSIGNED_BY, codes),
    ]
    return arrays, names


def read_state_arrays(
    state: TopicState, arrays: dict[str, tuple], names: object, rows: int
) -> None:
    """Fill ``state``'s per-document values from the stored arrays."""
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValueError("the names of who assigned the documents are unreadable")
    topic = _vector(arrays, TOPIC, rows)
    confidence = _vector(arrays, CONFIDENCE, rows)
    codes = _vector(arrays, ASSIGNED_BY, rows).astype(np.int64)
    if rows and (codes.min() < 0 or codes.max() >= len(names)):
        raise ValueError("a document's assigned_by code names no one")
    state.assignments[:] = topic
    state.confidence[:] = confidence
    state.assigned_by = np.array(names, dtype=object)[codes].tolist() if rows else []
