"""Delimited text files as people export them: any common encoding, delimiter and quoting.

Cells are returned exactly as written (no number or date guessing) so that an exported
table shows the user's values unchanged. Decoding and splitting happen here rather than
in pandas' reader, which would guess types and stop at the first ragged row.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from topicdesk.errors import TopicDeskError

DELIMITERS = (",", ";", "\t", "|")
SINGLE_COLUMN = "\x1f"  # a delimiter that never occurs, for files with one column
SNIFF_CHARS = 256 * 1024
SNIFF_ROWS = 100
PREVIEW_BYTES = 1024 * 1024
BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF")
UTF8_OR_CP1252 = "topicdesk-utf8-or-cp1252"
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Windows-1252 for every byte, with Latin-1 for the five bytes Windows-1252 leaves undefined.
CP1252_CHARS = "".join(
    chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
    for b in range(256)
)


def _cp1252_for_invalid_utf8(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode bytes that are not UTF-8 as Windows-1252, or Latin-1 where it has gaps.

    So a UTF-8 file with a few pasted Windows-1252 characters, and a whole Windows-1252
    file, both read correctly without guessing one encoding for the whole file.
    """
    invalid = error.object[error.start : error.end]
    return "".join(CP1252_CHARS[b] for b in invalid), error.end


codecs.register_error(UTF8_OR_CP1252, _cp1252_for_invalid_utf8)
csv.field_size_limit(2**31 - 1)


def _utf16_layout(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when zero bytes keep to every other position, else None.

    In UTF-16 every ASCII character (at least the delimiters and line breaks) has a zero
    byte on the same side, while other characters rarely do; so even Arabic or Chinese
    text with few ASCII characters shows the pattern. Binary data has zeros on both sides.
    """
    half = max(len(head) // 2, 1)
    odd_zeros, even_zeros = head[1::2].count(0) / half, head[0::2].count(0) / half
    many, few = max(odd_zeros, even_zeros), min(odd_zeros, even_zeros)
    if many < 0.05 or few > many / 3:
        return None
    return "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"


def detect_encoding(raw: bytes) -> tuple[str, str, int]:
    """Codec, error mode and the length of the BOM to skip, for a file starting with ``raw``.

    Zero bytes at every other position mean UTF-16, with or without a BOM. Otherwise a
    UTF-16 BOM is believed only if zero bytes follow it (a table in UTF-16 always has
    some, since its delimiters and line breaks are ASCII): programs that prepend a BOM
    do not always re-encode the text. Everything else is read as UTF-8 with Windows-1252
    for the bytes that are not UTF-8.
    """
    skip, declared = next(((len(bom), c) for bom, c in BOMS if raw.startswith(bom)), (0, None))
    head = raw[skip : skip + 4096]
    layout = _utf16_layout(head)
    if layout:
        return layout, "replace", skip
    if declared in ("utf-16-le", "utf-16-be") and 0 in head:
        return declared, "replace", skip
    return "utf-8", UTF8_OR_CP1252, skip


def looks_binary(raw: bytes, codec: str) -> bool:
    """True for zip, OLE2 or PDF files and for bytes that are mostly control characters."""
    if raw.startswith(BINARY_MAGIC):
        return True
    if codec.startswith("utf-16"):
        return False
    head = raw[:4096]
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) * 0.05


def sniff_delimiter(text: str, hint: str) -> str:
    """The delimiter that splits the first rows into the most consistent number of fields.

    Quoted fields may hold newlines and other delimiters, so rows are counted with the csv
    parser itself. Ties go to ``hint`` (the delimiter the file extension suggests), then to
    more fields. A file no candidate splits is read as one column.
    """
    sample = text[:SNIFF_CHARS]
    best, best_score = SINGLE_COLUMN, (0.0, False, 0)
    for delim in DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delim)
        counts = [len(row) for _, row in zip(range(SNIFF_ROWS + 1), reader) if row]
        if len(text) > len(sample) and len(counts) > 1:
            counts.pop()  # the last sampled row may be cut off
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode) / len(counts), delim == hint, mode)
        if mode > 1 and score > best_score:
            best, best_score = delim, score
    return best


def _excel_separator_line(text: str) -> tuple[str | None, str]:
    """Excel's optional first line ``sep=;`` names the delimiter; return it and the rest."""
    first, _, rest = text.partition("\n")
    first = first.rstrip("\r")
    if len(first) == 5 and first.lower().startswith("sep="):
        return first[4], rest
    return None, text


def _parse(raw: bytes, complete: bool, hint: str, nrows: int | None, name: str) -> list[list[str]]:
    codec, errors, skip = detect_encoding(raw)
    if looks_binary(raw[skip:], codec):
        raise TopicDeskError(
            f"{name} is not a text spreadsheet (it holds binary data); export it as CSV "
            "or .xlsx and try again."
        )
    text = codecs.getincrementaldecoder(codec)(errors).decode(raw[skip:], final=complete)
    text = text.replace("\x00", "")
    delim, text = _excel_separator_line(text)
    delim = delim or sniff_delimiter(text, hint)
    rows: list[list[str]] = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim):
        if any(cell.strip() for cell in row):
            rows.append(row)
        if nrows is not None and len(rows) > nrows + 1:
            break
    if not complete and rows:
        rows.pop()  # the last row read from a prefix may be cut off
    return rows if nrows is None else rows[: nrows + 1]


def read_rows(path: Path, nrows: int | None = None) -> list[list[str]]:
    """Header and data rows of a delimited file; blank lines are skipped.

    With ``nrows`` only the start of the file is read (growing until ``nrows`` data rows
    are complete), so previews of large files are fast.
    """
    hint = "\t" if path.suffix.lower() == ".tsv" else ","
    size = path.stat().st_size
    limit = size if nrows is None else min(size, PREVIEW_BYTES)
    while True:
        with path.open("rb") as handle:
            raw = handle.read(limit)
        complete = len(raw) >= size
        rows = _parse(raw, complete, hint, nrows, path.name)
        if complete or (nrows is not None and len(rows) > nrows):
            return rows
        limit *= 4
