"""The annotated spreadsheet: the user's own columns, then what the topics say about each row.

Cells are made safe for spreadsheet programs on the way out. Text that Excel would run
as a formula (starting with = + - @, tab or carriage return) gets a leading apostrophe,
kept as a visible character in .xlsx and .csv alike so both files hold the same text;
plain signed numbers such as "-5" are left alone. Control characters that XML forbids are
dropped, and cells over Excel's length limit are cut with a marker saying how much is gone.
"""

from __future__ import annotations

import math
import os
import re
import secrets
import stat
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from topicdesk import __version__
from topicdesk.core.project import Project
from topicdesk.core.state import UNASSIGNED, LeftOut
from topicdesk.errors import TopicDeskError

EXCEL_CELL_LIMIT = 32_767
EXCEL_ROW_LIMIT = 1_048_576
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?([eE][+-]?\d+)?$")  # "-5" is data, not a formula
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
ANNOTATION_COLUMNS = [
    "topic_id",
    "topic_label",
    "topic_keywords",
    "topic_confidence",
    "topic_stability",
    "assigned_by",
    "note",
]
UNASSIGNED_LABEL = "Unassigned"


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as text: no formula, no control characters, within limits."""
    value = ILLEGAL_XML.sub("", value)
    if value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        value = "'" + value
    if len(value) > EXCEL_CELL_LIMIT:
        room = EXCEL_CELL_LIMIT - 40
        value = value[:room] + f" […cut: {len(value) - room:,} more characters]"
    return value


def _safe_cell(value: object) -> object:
    """A value openpyxl and spreadsheet programs take as it is meant."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, (bool, int, np.bool_, np.integer)):
        return value
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value  # Excel has no time zones
    if isinstance(value, (date, time, timedelta)):
        return value
    return safe_text(str(value))


def _safe_column(values: pd.Series) -> list:
    return [_safe_cell(v) for v in values.tolist()]


def documents_frame(project: Project) -> pd.DataFrame:
    """Original columns in their order, then topic id, label, keywords, confidence, the
    share of clustering runs that put the document in its topic, who placed it, note."""
    corpus, state = project.corpus, project.state
    assert state is not None
    has_text = corpus.has_text
    keywords = {t.id: ", ".join(t.keywords) for t in state.topics.values()}
    ids, labels, words, conf, who = [], [], [], [], []
    for row in range(len(corpus)):
        tid = int(state.assignments[row])
        if not has_text[row] and tid == UNASSIGNED:
            ids.append(None)
            labels.append("")
            words.append("")
            conf.append(None)
            who.append("")
            continue
        ids.append(tid)
        labels.append(UNASSIGNED_LABEL if tid == UNASSIGNED else state.label_of(tid))
        words.append(keywords.get(tid, ""))
        c = state.confidence[row]
        conf.append(None if np.isnan(c) else round(float(c), 4))
        who.append(state.assigned_by[row])
    out = corpus.table.copy()
    extra = pd.DataFrame(
        {
            "topic_id": pd.array(ids, dtype="Int64"),
            "topic_label": labels,
            "topic_keywords": words,
            "topic_confidence": pd.array(conf, dtype="Float64"),
            "topic_stability": pd.array(
                [None if np.isnan(v) else round(float(v), 4) for v in state.doc_stability],
                dtype="Float64",
            ),
            "assigned_by": who,
            "note": [state.doc_notes.get(r, "") for r in range(len(corpus))],
        }
    )
    clash = [c for c in ANNOTATION_COLUMNS if c in out.columns]
    if clash:  # the user's own columns keep their names; ours get a prefix
        extra = extra.rename(columns={c: f"topicdesk_{c}" for c in clash})
    return pd.concat([out, extra], axis=1)


def _left_out_columns(out: LeftOut | None) -> dict:
    """The stability check's figures from re-runs that left documents out (empty if none)."""
    return {
        "left_out_share": None if out is None else out.share,
        "stability_left_out": None if out is None else round(out.stability, 4),
        "found_in_runs_left_out": "" if out is None else f"{out.found} of {out.runs}",
        "share_low_left_out": None if out is None else out.prevalence_low,
        "share_high_left_out": None if out is None else out.prevalence_high,
    }


def topics_frame(project: Project) -> pd.DataFrame:
    """One row per topic: id, label, parent topic, size, keywords, stability (mean overlap
    with its best match over the runs, and in how many runs it was found; then the same in
    the stability check's re-runs that left a share of the documents out, with the lowest
    and highest share of the documents its best match held in them), representative
    documents, note."""
    state, texts = project.state, project.corpus.texts
    assert state is not None
    sizes = state.sizes()
    rows = []
    for topic in state.sorted_topics():
        reps = [
            texts[r][:300] + ("…" if len(texts[r]) > 300 else "") for r in topic.representatives
        ]
        rows.append(
            {
                "id": topic.id,
                "label": topic.label,
                "parent_topic": topic.parent,
                "size": sizes.get(topic.id, 0),
                "keywords": ", ".join(topic.keywords),
                "stability": None if topic.stability is None else round(topic.stability, 4),
                "found_in_runs": (
                    f"{topic.runs_found} of {topic.runs_total}" if topic.runs_total else ""
                ),
                **_left_out_columns(topic.left_out),
                "representative_documents": "\n\n".join(
                    f"[{i + 1}] {t}" for i, t in enumerate(reps)
                ),
                "note": topic.note,
            }
        )
    unassigned = int(((state.assignments == UNASSIGNED) & project.corpus.has_text).sum())
    rows.append(
        {
            "id": UNASSIGNED,
            "label": UNASSIGNED_LABEL,
            "parent_topic": None,
            "size": unassigned,
            "keywords": "",
            "stability": None,
            "found_in_runs": "",
            **_left_out_columns(None),
            "representative_documents": "",
            "note": "",
        }
    )
    return pd.DataFrame(rows)


# Provenance entries that restate a row the settings sheet already has, under its name there.
RESTATED = {"source_name": "input_file", "source_hash": "input_sha256", "model": "setting.model"}


def settings_frame(project: Project) -> pd.DataFrame:
    """Parameters, versions and the input's hash: what a methods section needs, each once.

    The fit's provenance repeats some facts (documents, empty texts, model, input file);
    a fact already listed is not listed again, unless the provenance says otherwise (a
    project whose settings changed after its fit keeps the model the topics came from).
    """
    corpus = project.corpus
    rows: dict[str, object] = {
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "topicdesk_version": __version__,
        "input_file": corpus.source_name,
        "input_sha256": corpus.source_hash,
        "input_sheet": corpus.sheet or "",
        "text_column": corpus.text_column,
        "documents": len(corpus),
        "empty_texts": int((~corpus.has_text).sum()),
    }
    for name, value in project.settings.to_dict().items():
        rows[f"setting.{name}"] = "" if value is None else value
    provenance = dict(project.provenance)
    for name, value in (provenance.pop("versions", None) or {}).items():
        rows[f"version.{name}"] = value
    for name, value in provenance.items():
        value = value if isinstance(value, (str, int, float, bool)) else str(value)
        if name in rows or rows.get(RESTATED.get(name, ""), object()) == value:
            continue
        rows[name] = value
    # the researcher's own stop words shape every keyword list, so a methods section needs them
    rows["own_stop_words"] = "; ".join(project.state.stop_words) if project.state else ""
    rows["human_edits"] = sum(1 for e in project.history.log if e.action == "do")
    return pd.DataFrame(list(rows.items()), columns=["parameter", "value"])


def _column_width(name: str, values: pd.Series) -> float:
    sample = [len(str(v)) for v in values.head(200).tolist() if v is not None]
    longest = max([len(str(name)), *sample]) if sample else len(str(name))
    return float(min(60, max(8, longest + 2)))


def _write_sheet(book: Workbook, title: str, frame: pd.DataFrame) -> None:
    """One streamed sheet: bold frozen header with a filter, columns sized to their content."""
    sheet = book.create_sheet(title)
    for i, name in enumerate(frame.columns, start=1):  # write-only sheets take sizes before rows
        sheet.column_dimensions[get_column_letter(i)].width = _column_width(name, frame[name])
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    header = []
    for name in frame.columns:
        cell = WriteOnlyCell(sheet, value=safe_text(str(name)))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in zip(*(_safe_column(frame[name]) for name in frame.columns)):
        sheet.append(row)


def export_xlsx(
    project: Project,
    path: Path,
    sheets: Mapping[str, pd.DataFrame] | None = None,
    notes: Mapping[str, object] | None = None,
) -> None:
    """Documents, topics and settings as three sheets of one workbook, then ``sheets``.

    ``notes`` are further rows of the settings sheet (how the extra sheets were made).
    """
    documents = documents_frame(project)
    if len(documents) >= EXCEL_ROW_LIMIT:
        raise TopicDeskError(
            f"{len(documents):,} documents are more rows than Excel allows; export as .csv instead."
        )
    book = Workbook(write_only=True)
    _write_sheet(book, "documents", documents)
    _write_sheet(book, "topics", topics_frame(project))
    settings = settings_frame(project)
    if notes:
        extra = pd.DataFrame(list(notes.items()), columns=["parameter", "value"])
        settings = pd.concat([settings, extra], ignore_index=True)
    _write_sheet(book, "settings", settings)
    for title, frame in (sheets or {}).items():
        _write_sheet(book, title, frame)
    book.save(path)


def export_csv(project: Project, path: Path) -> None:
    """The documents table as UTF-8 with a byte-order mark, which Excel needs to read umlauts.

    Lines end in CRLF, so every cell holding a carriage return or a line feed is quoted
    (with "\n" endings a lone "\r" went unquoted and started a new row in Excel).
    """
    frame = documents_frame(project)
    safe = frame.apply(
        lambda col: col if pd.api.types.is_numeric_dtype(col) else col.map(_safe_cell)
    )
    safe.columns = [safe_text(str(c)) for c in safe.columns]
    safe.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")


def export_project(
    project: Project,
    path: str | Path,
    sheets: Mapping[str, pd.DataFrame] | None = None,
    notes: Mapping[str, object] | None = None,
) -> None:
    """Write the annotated spreadsheet; the format follows the file name (.xlsx or .csv).

    A workbook also gets ``sheets`` (by title) and ``notes`` in its settings sheet; a CSV
    file holds the documents only.
    """
    path = Path(path)
    writers = {".xlsx": partial(export_xlsx, sheets=sheets, notes=notes), ".csv": export_csv}
    writer = writers.get(path.suffix.lower())
    if writer is None:
        raise TopicDeskError(
            f"Cannot export to '{path.suffix or path.name}'; choose a file name ending in .xlsx or .csv."
        )
    if project.state is None or not project.fitted:
        raise TopicDeskError("There are no topics to export yet; fit topics first.")
    tmp_name = str(path.parent / f".{path.stem}.{secrets.token_hex(4)}{path.suffix}")
    try:  # created as open() creates files: readable as the user's umask allows, not 0600
        os.close(os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise TopicDeskError(
            f"Could not write {path.name}: {exc.strerror or exc}; choose another folder."
        ) from exc
    try:  # a half-written export never replaces a good one
        writer(project, Path(tmp_name))
        if path.is_file():  # a replaced export stays as readable to others as it was
            os.chmod(tmp_name, stat.S_IMODE(path.stat().st_mode))
        os.replace(tmp_name, path)
    except OSError as exc:
        raise TopicDeskError(
            f"Could not write {path.name}: {exc.strerror or exc}; choose another folder."
        ) from exc
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
