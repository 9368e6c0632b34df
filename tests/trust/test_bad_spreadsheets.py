"""Broken, odd and hostile spreadsheets, each tried where users meet them.

Every input is built here and goes through three doors: the reader, the command line
(``topicdesk fit``) and the app's import dialog. Each must either read correctly (right
rows, text back byte for byte) or stop with one clear line that says what to do.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topicdesk.cli import main
from topicdesk.errors import TopicDeskError
from topicdesk.io.readers import load_corpus, read_table
from topicdesk.pipeline import encoders, runner

MB = 1024 * 1024
WORLD = [
    "Die Busse kommen zu spät 😤 und sind voll 👨‍👩‍👧‍👦🏽",
    "الحافلات متأخرة دائماً، نريد المزيد منها",  # Arabic, right to left
    "האוטובוסים מאחרים תמיד ואנחנו רוצים עוד",  # Hebrew, right to left
    "東京都の公共交通機関はとても便利です",  # Japanese, no spaces
    "我们需要更多的公共汽车和更便宜的车票",  # Chinese
    "버스가 너무 늦게 와요 정말 답답해요",  # Korean
    "cafe\u0301 with a combining accent, not é",  # NFD must stay NFD
    "mixed: abc עברית 123 العربية 😀 漢字",  # bidirectional within one cell
]


@dataclass(frozen=True)
class Case:
    """One bad or odd input: how to make it and what a user must get from it."""

    name: str
    make: Callable[[Path], None]
    words: str | None = None  # for inputs that must be refused: words of the message
    texts: list[str] = field(default_factory=list)  # for inputs that read: the text column
    column: str = "text"
    columns: int = 2


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _delimited(
    rows: list[list[str]], encoding: str = "utf-8", bom: bytes = b"", sep: str = ","
) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
        path.write_bytes(bom + buffer.getvalue().encode(encoding))

    return make


def _book(rows: list[list[object]], merge: tuple[str, ...] = ()) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Answers"
        for row in rows:
            sheet.append(row)
        for cells in merge:
            sheet.merge_cells(cells)
        book.save(path)

    return make


def _patched(rows: list[list[object]], edits: dict[str, str]) -> Callable[[Path], None]:
    """A workbook whose sheet XML is edited afterwards (pattern -> replacement), to write
    what openpyxl will not: saved formula results, and cells beyond Excel's 32,767 characters.
    """

    def make(path: Path) -> None:
        _book(rows)(path)
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        for pattern, replacement in edits.items():
            xml, n = re.subn(pattern, replacement.replace("\\", r"\\"), xml)
            assert n == 1, pattern
        parts["xl/worksheets/sheet1.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)

    return make


def _saved_result(cell: str, formula: str, value: str) -> tuple[str, str]:
    """An edit giving ``cell`` (a formula openpyxl wrote) the result Excel would save."""
    return (
        rf'<c r="{cell}"><f>{re.escape(formula)}</f>(?:<v\s*/>|<v></v>)',  # either XML writer
        f'<c r="{cell}" t="str"><f>{formula}</f><v>{value}</v>',
    )


def _zip(members: dict[str, str]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with zipfile.ZipFile(path, "w") as archive:
            for name, text in members.items():
                archive.writestr(name, text)

    return make


def _password_protected(path: Path) -> None:
    """An OLE2 compound file with the streams Office writes for an encrypted workbook."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    names = "".join(f"{n}\x00" for n in ("EncryptionInfo", "EncryptedPackage")).encode("utf-16-le")
    path.write_bytes(header.ljust(512, b"\xff") + names.ljust(3584, b"\x00"))


SEEDED = random.Random(20240605)
NOISE_CSV = SEEDED.randbytes(64 * 1024)
NOISE_XLSX = SEEDED.randbytes(64 * 1024)
BIG_CELL = ('Ein "langer", sehr langer Text;\nmit Zeilen. ' * (MB // 44 + 1))[:MB]
WIDE_HEADER = [f"v{i}" for i in range(150)] + ["text"] + [f"w{i}" for i in range(149)]
WIDE_ROWS = [
    [f"{i}" for i in range(150)] + [f"answer number {r}, written in full"] + ["x"] * 149
    for r in range(3)
]
SAME = "The bus was late again and nobody told us why"
NUMBERS = [["id", "amount"]] + [[str(i), f"{i * 1234.5:,.2f}"] for i in range(20)]
DATES = [["id", "when"]] + [[i, datetime.datetime(2024, 1, i + 1, 9, 30)] for i in range(20)]

CASES = [
    # Nothing to read.
    pytest.param(Case("empty.tsv", _bytes(b""), words="empty"), id="empty-tsv"),
    pytest.param(Case("empty.xlsx", _bytes(b""), words="empty"), id="empty-xlsx"),
    pytest.param(
        Case("header.csv", _bytes("\ufeffid;text;group\r\n".encode()), words="no documents"),
        id="header-only-csv",
    ),
    pytest.param(
        Case("header.xlsx", _book([["id", "text", "group"]]), words="no documents"),
        id="header-only-xlsx",
    ),
    # Not spreadsheets at all.
    pytest.param(Case("noise.csv", _bytes(NOISE_CSV), words="binary data"), id="random-bytes-csv"),
    pytest.param(
        Case("noise.xlsx", _bytes(NOISE_XLSX), words="not a real workbook"), id="random-bytes-xlsx"
    ),
    pytest.param(
        Case(
            "zipped.xlsx",
            _zip({"answers.csv": "id,text\n1,hello\n"}),
            words="not a readable workbook",
        ),
        id="zip-of-a-csv-named-xlsx",
    ),
    pytest.param(
        Case(
            "letter.xlsx",
            _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
            words="not a readable workbook",
        ),
        id="word-document-named-xlsx",
    ),
    pytest.param(
        Case("zipped.csv", _zip({"answers.csv": "id,text\n1,hello\n"}), words="binary data"),
        id="zip-named-csv",
    ),
    pytest.param(
        Case("locked.xlsm", _password_protected, words="password-protected"),
        id="password-protected-xlsm",
    ),
    # Sizes.
    pytest.param(
        Case(
            "big.csv",
            _delimited([["id", "text"], ["1", BIG_CELL], ["2", "a short answer here"]]),
            texts=[BIG_CELL, "a short answer here"],
        ),
        id="1mb-cell-csv",
    ),
    pytest.param(
        Case(
            "big.xlsx",
            _patched(
                [["id", "text"], [1, "BIG"], [2, "a short answer here"]],
                {"<t>BIG</t>": f"<t>{BIG_CELL}</t>"},
            ),
            texts=[BIG_CELL, "a short answer here"],
        ),
        id="1mb-cell-xlsx",
    ),
    pytest.param(
        Case(
            "wide.csv",
            _delimited([WIDE_HEADER, *WIDE_ROWS]),
            texts=[r[150] for r in WIDE_ROWS],
            columns=300,
        ),
        id="300-columns-csv",
    ),
    pytest.param(
        Case(
            "wide.xlsx",
            _book([WIDE_HEADER, *WIDE_ROWS]),
            texts=[r[150] for r in WIDE_ROWS],
            columns=300,
        ),
        id="300-columns-xlsx",
    ),
    # NUL bytes.
    pytest.param(
        Case(
            "nul.csv",
            _bytes(
                b"i\x00d,te\x00xt\r\n1,hel\x00lo there said the driver\r\n"
                b"2,\x00bye now and see you again tomorrow\r\n"
                b"3,a third answer without any stray bytes\r\n"
            ),
            texts=[
                "hello there said the driver",
                "bye now and see you again tomorrow",
                "a third answer without any stray bytes",
            ],
        ),
        id="scattered-nul-bytes",
    ),
    pytest.param(
        Case(
            "cut.csv", _bytes(b"id,text\r\n1,hello there\r\n" + b"\x00" * 8192), words="binary data"
        ),
        id="nul-padded-tail",
    ),
    # Encodings, right and wrong.
    pytest.param(
        Case(
            "u16.csv",
            _delimited([["id", "text"], ["1", WORLD[0]], ["2", WORLD[2]]], "utf-16-le"),
            texts=[WORLD[0], WORLD[2]],
        ),
        id="utf16-le-without-bom",
    ),
    pytest.param(
        Case(
            "u16be.tsv",
            _delimited([["id", "text"], ["1", WORLD[3]], ["2", WORLD[1]]], "utf-16-be", sep="\t"),
            texts=[WORLD[3], WORLD[1]],
        ),
        id="utf16-be-without-bom",
    ),
    pytest.param(
        Case(
            "win.csv",
            _delimited(
                [
                    ["id", "text"],
                    ["1", "Straße, Café & „Grüße“ für 5 €"],
                    ["2", "naïve façade – œuvre"],
                ],
                "cp1252",
                sep=";",
            ),
            texts=["Straße, Café & „Grüße“ für 5 €", "naïve façade – œuvre"],
        ),
        id="cp1252",
    ),
    pytest.param(
        Case(
            "mixed.csv",
            _bytes("id,text\n1,Grüße aus Köln\n2,".encode() + b'"d\xe9j\xe0 vu, caf\xe9"\n'),
            texts=["Grüße aus Köln", "déjà vu, café"],
        ),
        id="latin1-inside-utf8",
    ),
    pytest.param(
        Case(
            "bom8.csv",
            _bytes(codecs.BOM_UTF8 + "id;text\r\n1;Straße für 5 €\r\n".encode("cp1252")),
            texts=["Straße für 5 €"],
        ),
        id="utf8-bom-but-cp1252",
    ),
    pytest.param(
        Case(
            "bom16.csv",
            _bytes(codecs.BOM_UTF16_LE + "id,text\r\n1,Grüße 😀\r\n".encode()),
            texts=["Grüße 😀"],
        ),
        id="utf16-le-bom-but-utf8",
    ),
    pytest.param(
        Case(
            "bom16be.csv",
            _bytes(codecs.BOM_UTF16_BE + "id,text\r\n1,שלום עולם\r\n".encode()),
            texts=["שלום עולם"],
        ),
        id="utf16-be-bom-but-utf8",
    ),
    pytest.param(
        Case(
            "bom8u16.csv",
            _bytes(codecs.BOM_UTF8 + "id,text\r\n1,中文 text\r\n".encode("utf-16-le")),
            texts=["中文 text"],
        ),
        id="utf8-bom-but-utf16",
    ),
    # Columns without text.
    pytest.param(
        Case("numbers.csv", _delimited(NUMBERS), words="No column holds text"),
        id="only-numbers-csv",
    ),
    pytest.param(
        Case("dates.xlsx", _book(DATES), words="No column holds text"), id="only-dates-xlsx"
    ),
    pytest.param(
        Case(
            "dates.csv",
            _delimited([["id", "when"]] + [[str(i), f"2024-01-{i + 1:02d}"] for i in range(20)]),
            words="No column holds text",
        ),
        id="only-dates-csv",
    ),
    # Too little to model (read fine; the fit refuses them, see below).
    pytest.param(
        Case("one.csv", _delimited([["id", "text"], ["1", SAME]]), texts=[SAME]), id="one-row"
    ),
    pytest.param(
        Case(
            "same.csv",
            _delimited([["id", "text"]] + [[str(i), SAME] for i in range(50)]),
            texts=[SAME] * 50,
        ),
        id="fifty-identical-rows",
    ),
    # Scripts of the world.
    pytest.param(
        Case(
            "world.csv",
            _delimited([["id", "text"]] + [[str(i), t] for i, t in enumerate(WORLD)]),
            texts=WORLD,
        ),
        id="emoji-rtl-cjk-utf8",
    ),
    pytest.param(
        Case(
            "world.txt",
            _delimited(
                [["id", "text"]] + [[str(i), t] for i, t in enumerate(WORLD)],
                "utf-16-le",
                codecs.BOM_UTF16_LE,
                "\t",
            ),
            texts=WORLD,
        ),
        id="emoji-rtl-cjk-utf16-text",
    ),
    pytest.param(
        Case(
            "world.xlsx",
            _book([["id", "text"]] + [[i, t] for i, t in enumerate(WORLD)]),
            texts=WORLD,
        ),
        id="emoji-rtl-cjk-xlsx",
    ),
    # Workbook features.
    pytest.param(
        Case(
            "merged.xlsx",
            _book(
                [
                    ["wave", "text", None],
                    [1, "Merged answer over rows", "a"],
                    [None, None, "b"],
                    [2, "Last answer here", "c"],
                ],
                merge=("B1:C1", "A2:A3", "B2:B3"),
            ),
            texts=["Merged answer over rows", None, "Last answer here"],
            columns=3,
        ),
        id="merged-cells-xlsx",
    ),
    pytest.param(
        Case(
            "calc.xlsx",
            _patched(
                [
                    ["id", "text", "length"],
                    [1, '="The bus " & "was late"', "=LEN(B2)"],
                    [2, "Typed answer, no formula", "=LEN(B3)"],
                ],
                dict(
                    [
                        _saved_result("B2", '"The bus " &amp; "was late"', "The bus was late"),
                        _saved_result("C2", "LEN(B2)", "16"),
                        _saved_result("C3", "LEN(B3)", "24"),
                    ]
                ),
            ),
            texts=["The bus was late", "Typed answer, no formula"],
            columns=3,
        ),
        id="formulas-with-saved-results",
    ),
    pytest.param(
        Case(
            "script.xlsx",
            _book(
                [
                    ["id", "text"],
                    [1, '="The bus " & "was late"'],
                    [2, '=CONCAT("more ", "buses please")'],
                ]
            ),
            words="formulas whose results were never saved",
        ),
        id="formulas-never-calculated",
    ),
    # Ragged rows.
    pytest.param(
        Case(
            "ragged.csv",
            _bytes(
                b"id,text,group\r\n1,first answer,a,EXTRA,more\r\n"
                b"2,short row\r\n3,third answer,c\r\n"
            ),
            texts=["first answer", "short row", "third answer"],
            columns=5,
        ),
        id="too-many-and-too-few-fields",
    ),
    pytest.param(
        Case(
            "ragged.tsv",
            _bytes(b"id\ttext\r\n1\r\n2\tsecond answer\r\n3\tthird\tanswer\tsplit\r\n"),
            texts=["", "second answer", "third"],
            columns=4,
        ),
        id="ragged-tsv-with-missing-text",
    ),
]


def _made(case: Case, tmp_path: Path) -> Path:
    path = tmp_path / case.name
    case.make(path)
    return path


def _one_clear_line(message: str, case: Case) -> None:
    assert case.words.lower() in message.lower(), message
    assert "\n" not in message and message.endswith("."), message
    assert "Traceback" not in message


@pytest.mark.parametrize("case", CASES)
def test_reader(case, tmp_path):
    path = _made(case, tmp_path)
    if case.words:
        with pytest.raises(TopicDeskError) as info:
            load_corpus(path)
        _one_clear_line(str(info.value), case)
        return
    corpus = load_corpus(path)
    assert corpus.text_column == case.column
    assert len(corpus) == len(case.texts)
    assert corpus.table.shape[1] == case.columns
    cells = corpus.table[case.column].tolist()
    assert [None if c is None else str(c).encode() for c in cells] == [
        None if t is None else t.encode() for t in case.texts
    ]


@pytest.fixture
def no_model(monkeypatch) -> list[str]:
    """Records any attempt to load the embedding model (which these inputs must not reach)."""
    loads: list[str] = []
    monkeypatch.setattr(encoders, "load_encoder", lambda *a, **k: loads.append("load"))
    return loads


@pytest.fixture
def fitted_texts(monkeypatch) -> list[list[str]]:
    """The texts of every corpus the CLI hands to the pipeline."""
    seen: list[list[str]] = []
    original = runner.fit_project

    def spy(project, *args, **kwargs):
        seen.append(list(project.corpus.texts))
        return original(project, *args, **kwargs)

    monkeypatch.setattr(runner, "fit_project", spy)
    return seen


@pytest.mark.parametrize("case", CASES)
def test_cli(case, tmp_path, capsys, no_model, fitted_texts):
    path = _made(case, tmp_path)
    out = tmp_path / "out.topicdesk"
    code = main(["fit", str(path), "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.out + captured.err
    assert not out.exists() and no_model == []
    errors = [line for line in captured.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and captured.err.rstrip().endswith(errors[0])
    if case.words:
        _one_clear_line(errors[0], case)
        assert fitted_texts == []
        return
    # Every readable input here has under ten different texts: read, summarised, refused.
    rows = f"{len(case.texts):,} row{'s' if len(case.texts) != 1 else ''}"
    assert f"{path.name}: text column '{case.column}'; {rows}" in captured.err
    assert "too few different documents" in errors[0]
    assert fitted_texts == [[(t or "").strip() for t in case.texts]]


@pytest.mark.parametrize("case", CASES)
def test_import_dialog(case, tmp_path, qtbot):
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    from topicdesk.gui.dialogs.import_dialog import PREVIEW_ROWS, ImportDialog

    path = _made(case, tmp_path)
    dialog = ImportDialog(path)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    if case.words:
        assert not dialog.error.isHidden()
        _one_clear_line(dialog.error.text(), case)
        assert not ok.isEnabled()
        assert dialog.preview.rowCount() == 0
        dialog.accept()
        assert dialog.corpus is None and dialog.result() != QDialog.Accepted
        return
    assert dialog.error.isHidden(), dialog.error.text()
    assert ok.isEnabled()
    assert dialog.text_combo.currentText() == case.column
    assert dialog.counts.text().startswith(f"{len(case.texts):,} rows")
    assert dialog.preview.rowCount() == min(len(case.texts), PREVIEW_ROWS)
    assert dialog.preview.columnCount() == case.columns
    column = [str(c) for c in dialog._table.columns].index(case.column)
    shown = [dialog.preview.item(r, column).text() for r in range(dialog.preview.rowCount())]
    assert shown == [" ".join((t or "").split())[:200] for t in case.texts[:PREVIEW_ROWS]]
    dialog.accept()
    assert dialog.result() == QDialog.Accepted
    assert dialog.corpus.texts == [(t or "").strip() for t in case.texts]


NONSENSE = [
    pytest.param(
        "numbers.csv",
        _delimited(NUMBERS),
        ["--text-column", "amount"],
        "holds only numbers and dates",
        id="only-numbers-chosen-as-text",
    ),
    pytest.param(
        "dates.xlsx",
        _book(DATES),
        ["--text-column", "when"],
        "holds only numbers and dates",
        id="only-dates-chosen-as-text",
    ),
    pytest.param(
        "one.csv",
        _delimited([["id", "text"], ["1", SAME]]),
        [],
        "too few different documents to find topics (1)",
        id="one-row",
    ),
    pytest.param(
        "same.csv",
        _delimited([["id", "text"]] + [[str(i), SAME] for i in range(50)]),
        [],
        "too few different documents to find topics (1)",
        id="fifty-identical-rows",
    ),
    pytest.param(
        "nine.csv",
        _delimited([["id", "text"]] + [[str(i), f"{SAME} {i % 9}"] for i in range(90)]),
        [],
        "(9); add more documents (at least 10 different texts)",
        id="nine-distinct",
    ),
]


@pytest.mark.parametrize("name, make, extra, words", NONSENSE)
def test_fit_refuses_texts_without_topics_before_loading_the_model(
    name, make, extra, words, tmp_path, capsys, no_model
):
    path = tmp_path / name
    make(path)
    out = tmp_path / "out.topicdesk"
    assert main(["fit", str(path), "-o", str(out), *extra]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: ") and words in err[-1], err
    assert no_model == [] and not out.exists()


# Property tests: whatever bytes arrive, the reader answers with a table or one message.


def _assert_consistent(table: pd.DataFrame) -> None:
    assert len(table) >= 1 and table.shape[1] >= 1
    names = list(table.columns)
    assert all(isinstance(n, str) and n for n in names) and len(set(names)) == len(names)
    assert all(isinstance(v, str) and "\x00" not in v for v in table.to_numpy().ravel())
    assert all(any(v.strip() for v in row) for row in table.itertuples(index=False))


def _read_or_refuse(path: Path) -> pd.DataFrame | None:
    try:
        table = read_table(path)
    except TopicDeskError as exc:
        assert "\n" not in str(exc)
        return None
    _assert_consistent(table)
    return table


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".tsv", ".txt"]))
def test_any_bytes_read_or_refused(tmp_path, data, suffix):
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    _read_or_refuse(path)


CELL = st.text(alphabet=st.sampled_from(list("ab ,;\t|\"'\n\r\x00éü€中😀\u200f")), max_size=12)
ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", b""),
    ("cp1252", b""),
    ("latin-1", b""),
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=1, max_size=8),
    sep=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(ENCODINGS),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
)
def test_generated_tables_read_or_refused(tmp_path, rows, sep, encoding, quoting):
    codec, bom = encoding
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, quoting=quoting, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "generated.csv"
    path.write_bytes(bom + buffer.getvalue().encode(codec, "replace"))
    _read_or_refuse(path)


WORD = st.text(alphabet=st.sampled_from(list("abcxyzéü€中🎉")), min_size=1, max_size=6)
PROSE = st.text(alphabet=st.sampled_from(list("abc ,;\"'\né€中🎉")), max_size=20).filter(str.strip)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=st.lists(WORD, min_size=2, max_size=4, unique=True),
    data=st.data(),
    sep=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(
        [
            ("utf-8", b""),
            ("utf-8", codecs.BOM_UTF8),
            ("utf-16-le", codecs.BOM_UTF16_LE),
            ("utf-16-le", b""),
        ]
    ),
)
def test_quoted_tables_come_back_exactly(tmp_path, header, data, sep, encoding):
    """Fully quoted files with a clean header round-trip cell for cell, whatever the cells hold."""
    rows = data.draw(
        st.lists(
            st.lists(PROSE, min_size=len(header), max_size=len(header)), min_size=1, max_size=6
        )
    )
    codec, bom = encoding
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(
        [header, *rows]
    )
    path = tmp_path / "quoted.csv"
    path.write_bytes(bom + buffer.getvalue().encode(codec))
    table = read_table(path)
    assert list(table.columns) == header
    assert table.values.tolist() == rows
