"""Reading real corpora and the awkward files people export from Excel."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from topicdesk.errors import TopicDeskError
from topicdesk.io.readers import list_sheets, load_corpus, read_table, suggest_text_column

SHARED = [
    ("bbc_news.csv", 2225, ["doc_id", "category", "title", "text"]),
    ("bbc_news.xlsx", 2225, ["doc_id", "category", "title", "text"]),
    ("sotu_paragraphs.csv", 24575, ["para_id", "doc_id", "president", "president_full", "party", "year",
                                    "date", "sotu_type", "paragraph_no", "text"]),
    ("bundestag_speeches_sample_de.csv", 1000, ["speech_id", "date", "speaker", "party", "chair", "agenda",
                                                "speechnumber", "n_terms", "text"]),
    ("gnad10k_test_de.csv", 1028, ["doc_id", "category", "text"]),
]


@pytest.mark.parametrize("name, rows, columns", SHARED)
def test_real_corpora(data_dir, name, rows, columns):
    corpus = load_corpus(data_dir / name)
    assert len(corpus) == rows
    assert list(corpus.table.columns) == columns
    assert corpus.text_column == "text"
    assert corpus.source_name == name
    assert len(corpus.source_hash) == 64
    assert corpus.has_text.all()


def test_csv_cells_come_back_exactly(data_dir):
    ours = read_table(data_dir / "bundestag_speeches_sample_de.csv")
    theirs = pd.read_csv(data_dir / "bundestag_speeches_sample_de.csv", dtype=str, keep_default_na=False)
    assert ours.astype(str).equals(theirs.astype(str).astype(object)) or (ours.values == theirs.values).all()
    assert "speechnumber" in ours.columns and isinstance(ours["speechnumber"][0], str)


@pytest.fixture(scope="module")
def mixed(bbc, data_dir) -> pd.DataFrame:
    """German and English texts with umlauts, £, quotes, semicolons and newlines."""
    german = pd.read_csv(data_dir / "gnad10k_test_de.csv", dtype=str, keep_default_na=False).head(20)
    english = bbc[bbc["text"].str.contains("£")].head(20)
    frame = pd.concat([german[["doc_id", "text"]], english[["doc_id", "text"]]], ignore_index=True)
    frame["text"] = frame["text"].str.replace("\n", " \n ", n=1, regex=False)
    frame["note"] = ["a;b, \"c\"\tx"] * len(frame)
    return frame


@pytest.mark.parametrize(
    "suffix, encoding, sep",
    [
        (".csv", "utf-8-sig", ","),
        (".txt", "utf-16", "\t"),  # Excel's "Unicode text": UTF-16 LE with BOM, tab-separated
        (".csv", "cp1252", ";"),  # European Excel: Windows-1252 and semicolons
        (".tsv", "utf-8", "\t"),
        (".csv", "utf-8", "|"),
    ],
)
def test_encodings_and_delimiters(tmp_path, mixed, suffix, encoding, sep):
    path = tmp_path / f"answers{suffix}"
    if encoding == "cp1252":  # keep the rows that Windows-1252 can hold (umlauts and £ can)
        mixed = mixed[mixed["text"].map(lambda t: t.encode("cp1252", "ignore").decode("cp1252") == t)]
        assert len(mixed) >= 30
    mixed.to_csv(path, sep=sep, index=False, encoding=encoding)
    table = read_table(path)
    assert list(table.columns) == ["doc_id", "text", "note"]
    assert table["text"].tolist() == mixed["text"].tolist()
    assert table["note"].tolist() == mixed["note"].tolist()


@pytest.mark.parametrize("suffix, engine", [(".xlsx", "openpyxl"), (".xlsm", "openpyxl"), (".ods", "odf")])
def test_workbooks_with_two_sheets(tmp_path, mixed, suffix, engine):
    path = tmp_path / f"book{suffix}"
    numbers = pd.DataFrame({"id": [1, 2, 3], "score": [0.5, 1.5, 2.0], "comment": ["gut", "schlecht", "naja"]})
    with pd.ExcelWriter(path, engine=engine) as writer:
        numbers.to_excel(writer, sheet_name="Zahlen", index=False)
        mixed.to_excel(writer, sheet_name="Antworten", index=False)
    assert list_sheets(path) == ["Zahlen", "Antworten"]
    first = read_table(path)
    assert first["id"].tolist() == [1, 2, 3] and first["score"].tolist() == [0.5, 1.5, 2.0]
    corpus = load_corpus(path, sheet="Antworten")
    assert corpus.sheet == "Antworten" and corpus.text_column == "text"
    assert corpus.texts == [t.strip() for t in mixed["text"]]
    with pytest.raises(TopicDeskError, match="Zahlen, Antworten"):
        read_table(path, sheet="Sheet9")


def test_preview_reads_only_some_rows(data_dir):
    assert len(read_table(data_dir / "sotu_paragraphs.csv", nrows=50)) == 50
    assert len(read_table(data_dir / "bbc_news.xlsx", nrows=50)) == 50


def test_ragged_rows_nul_bytes_and_empty_texts(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_bytes(
        b"id,text,group\n1,first answer is long enough,a\n2,short row\n3,,c\n"
        b"4,too many fields here,d,extra\n5,nul\x00byte inside,e\n"
    )
    table = read_table(path)
    assert list(table.columns) == ["id", "text", "group", "column 4"]
    assert table["group"].tolist() == ["a", "", "c", "d", "e"]
    assert table["column 4"].tolist() == ["", "", "", "extra", ""]
    corpus = load_corpus(path, text_column="text")
    assert corpus.texts[2] == "" and not corpus.has_text[2]
    assert corpus.texts[4] == "nulbyte inside"


def test_duplicate_and_blank_headers(tmp_path):
    path = tmp_path / "headers.csv"
    path.write_text("text,,text\nhello world,x,again\n", encoding="utf-8")
    assert list(read_table(path).columns) == ["text", "column 2", "text (2)"]


def test_suggests_prose_over_ids_and_numbers():
    frame = pd.DataFrame({
        "id": ["A-0001-XYZ-2024-0000001"] * 3,
        "amount": ["1,234,567.89", "22", "-3"],
        "answer": ["I like the park", "More buses please", "no"],
    })
    assert suggest_text_column(frame) == "answer"
    with pytest.raises(TopicDeskError, match="No column holds text"):
        suggest_text_column(frame[["amount"]])


def _encrypted_like(path):
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


@pytest.mark.parametrize(
    "name, make, words",
    [
        ("missing.csv", None, "does not exist"),
        ("empty.csv", lambda p: p.write_bytes(b""), "empty"),
        ("header.csv", lambda p: p.write_text("id,text\n"), "no documents"),
        ("random.csv", lambda p: p.write_bytes(bytes(range(256)) * 8), "binary"),
        ("random.xlsx", lambda p: p.write_bytes(b"not a zip at all" * 10), "workbook"),
        ("notbook.xlsx", lambda p: zipfile.ZipFile(p, "w").writestr("hello.txt", "hi"), "workbook"),
        ("locked.xlsx", _encrypted_like, "password"),
        ("old.xls", lambda p: p.write_bytes(b"x"), ".xlsx"),
        ("report.pdf", lambda p: p.write_bytes(b"%PDF"), "supported"),
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


def test_folder_and_unknown_column(tmp_path, data_dir):
    with pytest.raises(TopicDeskError, match="folder"):
        load_corpus(tmp_path)
    with pytest.raises(TopicDeskError, match="doc_id, category, title, text"):
        load_corpus(data_dir / "bbc_news.csv", text_column="body")
