"""Reading the sample corpus and the files people export from Excel and LibreOffice.

The licensed corpora are read in tests/corpora/test_real_corpora.py.
"""

from __future__ import annotations

import codecs
import zipfile

import openpyxl
import pandas as pd
import pytest
from openpyxl.chart import BarChart, Reference

from tests.conftest import SAMPLE_SOTU
from topicdesk.errors import TopicDeskError
from topicdesk.io.readers import list_sheets, load_corpus, read_table, suggest_text_column

SOTU_COLUMNS = ["para_id", "president", "party", "date", "year", "sotu_type", "text"]


def test_sample_corpus(sotu):
    corpus = load_corpus(SAMPLE_SOTU)
    assert len(corpus) == 3000
    assert list(corpus.table.columns) == SOTU_COLUMNS
    assert corpus.text_column == "text"
    assert corpus.source_name == "sample_sotu.csv"
    assert len(corpus.source_hash) == 64
    assert corpus.has_text.all()
    assert corpus.table.values.tolist() == sotu.values.tolist()
    assert corpus.table["text"].str.contains("\n").sum() == 49  # quoted line breaks kept


def test_workbook_matches_its_csv(sotu, tmp_path):
    path = tmp_path / "sotu.xlsx"
    sotu.head(400).to_excel(path, sheet_name="sotu", index=False)
    corpus = load_corpus(path)
    assert list_sheets(path) == ["sotu"]
    assert corpus.sheet == "sotu"
    assert corpus.table.values.tolist() == sotu.head(400).values.tolist()


def test_csv_cells_come_back_exactly_as_written(sotu, tmp_path):
    table = sotu.head(200).copy()
    table.loc[::7, "party"] = ""
    table["code"] = [f"{i:04d}" for i in range(len(table))]  # leading zeros are text
    path = tmp_path / "speeches.csv"
    table.to_csv(path, index=False)
    ours = read_table(path)
    theirs = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert ours.values.tolist() == theirs.values.tolist() == table.values.tolist()
    assert ours["code"][7] == "0007"
    assert ours["party"].eq("").sum() == 29  # empty cells stay "", not NaN


@pytest.mark.parametrize(
    "name, nrows", [("speeches.csv", 50), ("speeches.csv", 2000), ("speeches.xlsx", 50)]
)
def test_preview_rows_are_the_first_rows(sotu, tmp_path, name, nrows):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes(SAMPLE_SOTU.read_bytes())
    else:
        sotu.head(300).to_excel(path, index=False)
    preview = read_table(path, nrows=nrows)
    full = read_table(path)
    assert len(preview) == nrows
    assert preview.values.tolist() == full.head(nrows).values.tolist()


GERMAN = [
    "Die Bürgerinnen und Bürger erwarten, dass die Straßen im Winter geräumt werden.",
    "Über die Höhe der Grundsteuer wird im Ausschuss für Finanzen gestritten.",
    "Größere Schulklassen lehnen die Elternvertreter ab; sie fordern mehr Lehrkräfte.",
    'Der Haushalt sieht 4,5 Mrd. € für die Bahn vor, "zu wenig", sagt die Opposition.',
    "Die Ärztin aus Köln berichtet über lange Wartezeiten:\nzwei Monate für einen Termin.",
]
POUNDS = [
    "The licence fee rises to £159 a year, the broadcaster said on Tuesday.",
    "Shares fell 3p to 212p, valuing the group at £1.2bn; analysts had expected £1.4bn.",
]


@pytest.fixture(scope="module")
def mixed(sotu) -> pd.DataFrame:
    """German and English texts with umlauts, €, £, quotes, delimiters and newlines."""
    english = sotu[sotu["text"].str.contains("\n")].head(10)["text"].tolist()
    texts = GERMAN + POUNDS + english + sotu["text"].head(10).tolist()
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    frame["note"] = ['a;b, "c"\tx|y'] * len(frame)
    return frame


def _write(path, frame, encoding, sep, bom=b""):
    """The table as a delimited file in the given encoding, with Excel's CRLF line ends."""
    data = frame.to_csv(sep=sep, index=False, lineterminator="\r\n")
    path.write_bytes(bom + data.encode(encoding))


@pytest.mark.parametrize(
    "suffix, encoding, bom, sep",
    [
        (".csv", "utf-8", codecs.BOM_UTF8, ","),
        (".txt", "utf-16-le", codecs.BOM_UTF16_LE, "\t"),  # Excel's "Unicode text"
        (".txt", "utf-16-be", codecs.BOM_UTF16_BE, "\t"),
        (".txt", "utf-16-le", b"", "\t"),
        (".csv", "cp1252", b"", ";"),  # European Excel
        (".tsv", "utf-8", b"", "\t"),
        (".csv", "utf-8", b"", "|"),
    ],
)
def test_encodings_and_delimiters(tmp_path, mixed, suffix, encoding, bom, sep):
    if encoding == "cp1252":  # keep the rows Windows-1252 can hold (umlauts and £ can)
        fits = mixed["text"].map(lambda t: t.encode("cp1252", "ignore").decode("cp1252") == t)
        mixed = mixed[fits]
        assert mixed["text"].str.contains("ü").any() and mixed["text"].str.contains("£").any()
    path = tmp_path / f"answers{suffix}"
    _write(path, mixed, encoding, sep, bom)
    table = read_table(path)
    assert list(table.columns) == ["doc_id", "text", "note"]
    assert table.values.tolist() == mixed.values.tolist()


def test_windows_1252_with_latin1_for_its_gaps(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_bytes(b"id;text\r\n1;Stra\xdfe \x80 5\r\n2;gap \x81 byte\r\n3;\x96 dash\r\n")
    assert read_table(path)["text"].tolist() == ["Straße € 5", "gap \x81 byte", "– dash"]


def test_utf8_with_a_stray_windows_1252_byte(tmp_path):
    path = tmp_path / "mixed.csv"  # like one BBC article: UTF-8 with a pasted Latin-1 "£"
    path.write_bytes("id,text\n1,Grüße aus Köln\n2,costs ".encode() + b"\xa35m\n")
    assert read_table(path)["text"].tolist() == ["Grüße aus Köln", "costs £5m"]


def test_excel_separator_line(tmp_path):
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\nid;text\n1;Kommas, aber Semikolon trennt\n", encoding="utf-8")
    assert read_table(path)["text"].tolist() == ["Kommas, aber Semikolon trennt"]


def test_single_column_text_file_keeps_its_commas(tmp_path):
    path = tmp_path / "answers.txt"
    path.write_text("answer\nI like it, mostly\nNo\nToo loud, too late, too dear\n")
    table = read_table(path)
    assert list(table.columns) == ["answer"]
    assert table["answer"].tolist() == ["I like it, mostly", "No", "Too loud, too late, too dear"]


@pytest.mark.parametrize(
    "suffix, engine", [(".xlsx", "openpyxl"), (".xlsm", "openpyxl"), (".ods", "odf")]
)
def test_workbooks_with_two_sheets(tmp_path, mixed, suffix, engine):
    path = tmp_path / f"book{suffix}"
    numbers = pd.DataFrame(
        {"id": [1, 2, 3], "score": [0.5, 1.5, 2.0], "comment": ["gut", "schlecht", "naja"]}
    )
    with pd.ExcelWriter(path, engine=engine) as writer:
        numbers.to_excel(writer, sheet_name="Zahlen", index=False)
        mixed.to_excel(writer, sheet_name="Antworten", index=False)
    assert list_sheets(path) == ["Zahlen", "Antworten"]
    first = read_table(path)
    assert first["id"].tolist() == [1, 2, 3] and first["score"].tolist() == [0.5, 1.5, 2.0]
    assert read_table(path, sheet="Antworten").values.tolist() == mixed.values.tolist()
    assert len(read_table(path, sheet="Antworten", nrows=7)) == 7
    corpus = load_corpus(path, sheet="Antworten")
    assert corpus.sheet == "Antworten" and corpus.text_column == "text"
    with pytest.raises(TopicDeskError, match="Zahlen, Antworten"):
        read_table(path, sheet="Sheet9")


def test_merged_cells_formulas_and_chart_sheets(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Survey"
    sheet.append(["wave", "answer", "length"])
    sheet.append(["2024", "The bus was late again this morning", "=LEN(B2)"])
    sheet.append([None, "Friendly driver, clean seats", None])
    sheet.merge_cells("A2:A3")
    sheet.append([None, None, None])  # a row with formatting only
    sheet["C4"].number_format = "0.00"
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=3, min_row=1, max_row=3), titles_from_data=True)
    book.create_chartsheet("Chart").add_chart(chart)
    path = tmp_path / "survey.xlsx"
    book.save(path)
    assert list_sheets(path) == ["Survey"]
    table = read_table(path)
    assert table.values.tolist() == [
        ["2024", "The bus was late again this morning", None],
        [None, "Friendly driver, clean seats", None],
    ]
    assert suggest_text_column(table) == "answer"


def test_ragged_rows_nul_bytes_and_empty_texts(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_bytes(
        b"id,text,group,,\n1,first answer is long enough,a\n2,short row\n\n3,,c\n"
        b"4,too many fields here,d,,extra\n5,nul\x00byte inside,e\n"
    )
    table = read_table(path)
    assert list(table.columns) == ["id", "text", "group", "column 4", "column 5"]
    assert table["group"].tolist() == ["a", "", "c", "d", "e"]
    assert table["column 5"].tolist() == ["", "", "", "extra", ""]
    corpus = load_corpus(path, text_column="text")
    assert corpus.texts[2] == "" and not corpus.has_text[2]
    assert corpus.texts[4] == "nulbyte inside"


def test_trailing_empty_columns_are_dropped(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("id;text;;\n1;hello there;;\n2;general kenobi;;\n", encoding="utf-8")
    assert list(read_table(path).columns) == ["id", "text"]


def test_quoted_newlines_and_delimiters(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text('id,text\n1,"line one\nline two, with comma"\n2,"say ""hi""; bye"\n')
    assert read_table(path)["text"].tolist() == ["line one\nline two, with comma", 'say "hi"; bye']


def test_duplicate_and_blank_headers(tmp_path):
    path = tmp_path / "headers.csv"
    path.write_text("text,,text, text \nhello world,x,again,and again\n", encoding="utf-8")
    assert list(read_table(path).columns) == ["text", "column 2", "text (2)", "text (3)"]


def test_suggests_prose_over_ids_numbers_and_dates():
    frame = pd.DataFrame(
        {
            "id": ["A-0001-XYZ-2024-0000001"] * 3,
            "amount": ["1,234,567.89", "22", "-3"],
            "when": ["2024-01-05", "05.01.2024", "12:30"],
            "mostly_numbers": [1.5, 2.5, "see notes please"],
            "answer": ["I like the park", "More buses please", "no"],
        }
    )
    assert suggest_text_column(frame) == "answer"
    with pytest.raises(TopicDeskError, match="No column holds text"):
        suggest_text_column(frame.drop(columns="answer"))


def _encrypted_like(path):
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


def _encrypted_ods(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "META-INF/manifest.xml",
            "<manifest:file-entry><manifest:encryption-data/></manifest:file-entry>",
        )
        archive.writestr("content.xml", b"\x93\x11scrambled")


def _header_only_workbook(path):
    pd.DataFrame({"id": [], "text": []}).to_excel(path, index=False)


@pytest.mark.parametrize(
    "name, make, words",
    [
        ("missing.csv", None, "does not exist"),
        ("empty.csv", lambda p: p.write_bytes(b""), "empty"),
        ("header.csv", lambda p: p.write_text("id,text\n"), "no documents"),
        ("blank.csv", lambda p: p.write_text("\n ,\n\n"), "no rows"),
        ("header.xlsx", _header_only_workbook, "no documents"),
        ("random.csv", lambda p: p.write_bytes(bytes(range(256)) * 8), "binary"),
        ("renamed.csv", _encrypted_like, "binary"),
        ("random.xlsx", lambda p: p.write_bytes(b"not a zip at all" * 10), "not a real workbook"),
        ("notbook.xlsx", lambda p: zipfile.ZipFile(p, "w").writestr("hello.txt", "hi"), "workbook"),
        ("locked.xlsx", _encrypted_like, "password-protected"),
        ("locked.ods", _encrypted_ods, "password-protected"),
        ("old.xls", lambda p: p.write_bytes(b"x"), "save it as .xlsx"),
        ("report.pdf", lambda p: p.write_bytes(b"%PDF"), ".csv, .ods, .tsv, .txt, .xlsm, .xlsx"),
        ("numbers.csv", lambda p: p.write_text("a,b\n1,2\n3,4\n"), "No column holds text"),
    ],
)
def test_failures_are_clear(tmp_path, name, make, words):
    path = tmp_path / name
    if make:
        make(path)
    with pytest.raises(TopicDeskError) as info:
        load_corpus(path)
    message = str(info.value)
    assert words.lower() in message.lower()
    assert "\n" not in message


def test_folder_unknown_column_sheet_on_csv_and_empty_text_column(tmp_path, sotu):
    with pytest.raises(TopicDeskError, match="folder"):
        load_corpus(tmp_path)
    with pytest.raises(TopicDeskError, match="no text column named 'body'.*para_id, president"):
        load_corpus(SAMPLE_SOTU, text_column="body")
    with pytest.raises(TopicDeskError, match="no date column named 'Datum'"):
        load_corpus(SAMPLE_SOTU, date_column="Datum")
    with pytest.raises(TopicDeskError, match="without sheets"):
        read_table(SAMPLE_SOTU, sheet="Sheet1")
    path = tmp_path / "blank_texts.csv"
    path.write_text("id,text,comment\n1,,long comment here\n2,,another one\n")
    with pytest.raises(TopicDeskError, match="'text' is empty in every row"):
        load_corpus(path, text_column="text")
