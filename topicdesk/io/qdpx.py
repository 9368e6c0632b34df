"""REFI-QDA exchange files: the topics as codes for NVivo, ATLAS.ti, MAXQDA or QualCoder.

A ``.qdpx`` file is a zip holding ``project.qde`` (XML in the REFI-QDA project namespace)
and ``Sources/`` with one UTF-8 text file per document. Each topic is a code (its label,
colour and note, with its keywords and stability figures, as description); each document with text is a text
source whose whole text is coded with its topic, by one of two users: the topic model or
the researcher, as the project's ``assigned_by`` says. Notes on documents become notes
linked to their source, and the other columns become typed variables of each source.

A ``.qdc`` file is the codebook alone. Both are checked against the REFI-QDA schema
(``refi_qda/Project.xsd``, shipped with TopicDesk) before they are saved, and GUIDs are
derived from the project, so exporting again gives the same identifiers.
"""

from __future__ import annotations

import math
import re
import uuid
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
from lxml import etree

from topicdesk import __version__
from topicdesk.core.project import Project
from topicdesk.core.state import BY_HUMAN, UNASSIGNED, Topic
from topicdesk.errors import TopicDeskError
from topicdesk.io.atomic import write_atomically

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
RGB = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
MODEL_USER = "TopicDesk topic model"
RESEARCHER_USER = "Researcher"


@cache
def schema() -> etree.XMLSchema:
    """The REFI-QDA project schema shipped with TopicDesk."""
    source = files("topicdesk.io").joinpath("refi_qda", "Project.xsd")
    return etree.XMLSchema(etree.fromstring(source.read_bytes()))


def _clean(text: object) -> str:
    return ILLEGAL_XML.sub("", str(text))


class _Ids:
    """GUIDs derived from the project's input and a name, stable across exports."""

    def __init__(self, project: Project) -> None:
        corpus = project.corpus
        seed = f"topicdesk:{corpus.source_hash or corpus.text_hash}:{corpus.text_column}"
        self._base = uuid.uuid5(uuid.NAMESPACE_URL, seed)

    def __call__(self, *parts: object) -> str:
        return str(uuid.uuid5(self._base, ":".join(map(str, parts)))).upper()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _code(parent: etree._Element, ns: str, topic: Topic, guid: str) -> None:
    attrs = {"guid": guid, "name": _clean(topic.label) or f"Topic {topic.id}", "isCodable": "true"}
    if RGB.match(topic.colour or ""):
        attrs["color"] = topic.colour
    code = etree.SubElement(parent, f"{{{ns}}}Code", attrs)
    parts = [topic.note.strip()] if topic.note.strip() else []
    if topic.keywords:
        parts.append("Keywords: " + ", ".join(topic.keywords))
    if topic.stability_lines():  # how reliably the clustering finds it again
        parts.append("Stability: " + "; ".join(topic.stability_lines()) + ".")
    parts.append(f"Topic {topic.id} in TopicDesk.")
    etree.SubElement(code, f"{{{ns}}}Description").text = _clean("\n\n".join(parts))


def _codes(parent: etree._Element, ns: str, project: Project, ids: _Ids) -> None:
    codes = etree.SubElement(etree.SubElement(parent, f"{{{ns}}}CodeBook"), f"{{{ns}}}Codes")
    for topic in project.state.sorted_topics():
        _code(codes, ns, topic, ids("code", topic.id))


# ----- variables ---------------------------------------------------------------------
def _variable_kind(project: Project, name: str) -> str:
    """The REFI-QDA type of a column: from its dtype, or Date for a readable date column."""
    column = project.corpus.table[name]
    if pd.api.types.is_bool_dtype(column):
        return "Boolean"
    if pd.api.types.is_integer_dtype(column):
        return "Integer"
    if pd.api.types.is_float_dtype(column):
        return "Float"
    if pd.api.types.is_datetime64_any_dtype(column):
        return "DateTime"
    if name == project.corpus.date_column:
        from topicdesk.io.dates import parse_dates

        parsed = parse_dates(column)
        if parsed.readable and not len(parsed.unreadable_rows):
            return "Date"
    return "Text"


def _typed_values(project: Project, name: str, kind: str) -> list[tuple[str, str] | None]:
    """Per row, the value element's tag and text (None for an empty cell)."""
    column = project.corpus.table[name]
    if kind == "Date":
        from topicdesk.io.dates import parse_dates

        dates = parse_dates(column).dates
        return [
            None if np.isnat(d) else ("DateValue", str(d.astype("datetime64[D]"))) for d in dates
        ]
    out: list[tuple[str, str] | None] = []
    for value in column.tolist():
        if value is None or value is pd.NaT or value is pd.NA:
            out.append(None)
        elif kind == "Boolean":
            out.append(("BooleanValue", "true" if value else "false"))
        elif kind == "Integer":
            out.append(("IntegerValue", str(int(value))))
        elif kind == "Float":
            finite = isinstance(value, (float, np.floating)) and math.isfinite(value)
            out.append(("FloatValue", format(Decimal(repr(float(value))), "f")) if finite else None)
        elif kind == "DateTime":
            stamp = pd.Timestamp(value)
            out.append(("DateTimeValue", stamp.tz_localize(None).isoformat(timespec="seconds")))
        elif isinstance(value, date):
            out.append(("TextValue", value.isoformat()))
        else:
            text = _clean(value).strip()
            out.append(("TextValue", text) if text else None)
    return out


def _variables(root: etree._Element, project: Project, ids: _Ids) -> dict[str, tuple]:
    names = [str(c) for c in project.corpus.table.columns if c != project.corpus.text_column]
    if not names:
        return {}
    holder = etree.SubElement(root, f"{{{PROJECT_NS}}}Variables")
    found = {}
    for name in names:
        kind = _variable_kind(project, name)
        guid = ids("variable", name)
        etree.SubElement(
            holder,
            f"{{{PROJECT_NS}}}Variable",
            {"guid": guid, "name": _clean(name) or "column", "typeOfVariable": kind},
        )
        found[name] = (guid, _typed_values(project, name, kind))
    return found


# ----- the project -------------------------------------------------------------------
def project_xml(project: Project, description: str = "") -> tuple[etree._Element, dict[str, str]]:
    """The ``project.qde`` element and the source files it points to (name: text)."""
    state = project.state
    if state is None or not project.fitted:
        raise TopicDeskError("There are no topics to export yet; fit topics first.")
    ids = _Ids(project)
    corpus = project.corpus
    users = {"model": ids("user", "model"), BY_HUMAN: ids("user", "researcher")}
    stamp = _now()
    root = etree.Element(
        f"{{{PROJECT_NS}}}Project",
        {
            "name": _clean(Path(corpus.source_name).stem or "TopicDesk project"),
            "origin": f"TopicDesk {__version__}",
            "creatingUserGUID": users[BY_HUMAN],
            "creationDateTime": stamp,
        },
        nsmap={None: PROJECT_NS},
    )
    people = etree.SubElement(root, f"{{{PROJECT_NS}}}Users")
    for key, name in (("model", MODEL_USER), (BY_HUMAN, RESEARCHER_USER)):
        etree.SubElement(people, f"{{{PROJECT_NS}}}User", {"guid": users[key], "name": name})
    if state.topics:
        _codes(root, PROJECT_NS, project, ids)
    variables = _variables(root, project, ids)
    width = len(str(len(corpus)))
    sources = etree.SubElement(root, f"{{{PROJECT_NS}}}Sources")
    notes: list[tuple[str, int, str]] = []
    texts: dict[str, str] = {}
    for row, text in enumerate(corpus.texts):
        if not text:
            continue
        guid = ids("source", row)
        text = _clean(text)
        texts[f"{guid}.txt"] = text
        source = etree.SubElement(
            sources,
            f"{{{PROJECT_NS}}}TextSource",
            {
                "guid": guid,
                "name": f"Document {row + 1:0{width}d}",
                "plainTextPath": f"internal://{guid}.txt",
                "creatingUser": users[BY_HUMAN],
                "creationDateTime": stamp,
            },
        )
        topic_id = int(state.assignments[row])
        if topic_id != UNASSIGNED and topic_id in state.topics:
            who = users[BY_HUMAN] if state.assigned_by[row] == BY_HUMAN else users["model"]
            selection = etree.SubElement(
                source,
                f"{{{PROJECT_NS}}}PlainTextSelection",
                {
                    "guid": ids("selection", row),
                    "name": _clean(state.topics[topic_id].label)[:200],
                    "startPosition": "0",
                    "endPosition": str(len(text)),
                    "creatingUser": who,
                    "creationDateTime": stamp,
                },
            )
            coding = etree.SubElement(
                selection,
                f"{{{PROJECT_NS}}}Coding",
                {"guid": ids("coding", row), "creatingUser": who, "creationDateTime": stamp},
            )
            etree.SubElement(
                coding, f"{{{PROJECT_NS}}}CodeRef", {"targetGUID": ids("code", topic_id)}
            )
        note = state.doc_notes.get(row, "").strip()
        if note:
            notes.append((ids("note", row), row, note))
            etree.SubElement(source, f"{{{PROJECT_NS}}}NoteRef", {"targetGUID": ids("note", row)})
        for guid_var, values in variables.values():
            value = values[row]
            if value is None:
                continue
            holder = etree.SubElement(source, f"{{{PROJECT_NS}}}VariableValue")
            etree.SubElement(holder, f"{{{PROJECT_NS}}}VariableRef", {"targetGUID": guid_var})
            etree.SubElement(holder, f"{{{PROJECT_NS}}}{value[0]}").text = value[1]
    if not len(sources):
        root.remove(sources)
    if notes:
        holder = etree.SubElement(root, f"{{{PROJECT_NS}}}Notes")
        for guid, row, note in notes:
            element = etree.SubElement(
                holder,
                f"{{{PROJECT_NS}}}Note",
                {
                    "guid": guid,
                    "name": f"Note on document {row + 1}",
                    "creatingUser": users[BY_HUMAN],
                    "creationDateTime": stamp,
                },
            )
            etree.SubElement(element, f"{{{PROJECT_NS}}}PlainTextContent").text = _clean(note)
    if description.strip():
        etree.SubElement(root, f"{{{PROJECT_NS}}}Description").text = _clean(description.strip())
    _check(root)
    return root, texts


def _check(root: etree._Element) -> None:
    """Refuse to save a file the QDA programs would reject (a fault of TopicDesk, not the data)."""
    checker = schema()
    if not checker.validate(root):
        error = checker.error_log.last_error
        raise TopicDeskError(
            f"The REFI-QDA file did not pass the schema check ({error.message}); "
            "please report this to the TopicDesk developers."
        )


def export_qdpx(project: Project, path: str | Path, description: str = "") -> None:
    """Write a ``.qdpx`` project: ``project.qde`` and ``Sources/`` in one zip."""
    path = Path(path)
    if path.suffix.lower() != ".qdpx":
        raise TopicDeskError("A REFI-QDA project needs a file name ending in .qdpx.")
    root, texts = project_xml(project, description)
    document = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", document)
            for name, text in texts.items():
                archive.writestr(f"Sources/{name}", text.encode("utf-8"))

    write_atomically(path, write)


def codebook_xml(project: Project) -> etree._Element:
    """The codebook alone (REFI-QDA ``.qdc``): one code per topic."""
    state = project.state
    if state is None or not state.topics:
        raise TopicDeskError("There are no topics to export yet; fit topics first.")
    ids = _Ids(project)
    # the codebook schema's Codes are the project schema's: check them inside a project
    wrapper = etree.Element(
        f"{{{PROJECT_NS}}}Project", {"name": "codebook"}, nsmap={None: PROJECT_NS}
    )
    _codes(wrapper, PROJECT_NS, project, ids)
    _check(wrapper)
    root = etree.Element(
        f"{{{CODEBOOK_NS}}}CodeBook",
        {"origin": f"TopicDesk {__version__}"},
        nsmap={None: CODEBOOK_NS},
    )
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    for topic in state.sorted_topics():
        _code(codes, CODEBOOK_NS, topic, ids("code", topic.id))
    return root


def export_codebook(project: Project, path: str | Path) -> None:
    """Write the topics as a REFI-QDA codebook (``.qdc``)."""
    path = Path(path)
    if path.suffix.lower() != ".qdc":
        raise TopicDeskError("A REFI-QDA codebook needs a file name ending in .qdc.")
    document = etree.tostring(
        codebook_xml(project), xml_declaration=True, encoding="utf-8", pretty_print=True
    )
    write_atomically(path, lambda tmp: tmp.write_bytes(document))
