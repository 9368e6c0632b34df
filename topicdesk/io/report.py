"""The methods report: one self-contained HTML file for a paper's supplement.

Everything is inside the file: styles, figures as inline SVG (with their images as data
URIs), no script and no link to anything outside. A content security policy tells the
browser to fetch nothing, and a print stylesheet lays it out on A4 pages. All text from
the project is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from topicdesk.errors import TopicDeskError
from topicdesk.io.atomic import write_atomically


@dataclass(frozen=True)
class CodebookEntry:
    """One topic as a code: its name, definition (the researcher's note) and evidence."""

    id: int
    name: str
    definition: str
    keywords: list[str]
    size: int
    share: float
    stability: float | None
    colour: str
    examples: list[str]
    left_out: float | None = None  # stability in re-runs that each left this share out
    left_out_stability: float | None = None
    left_out_shares: tuple[float, float] | None = None  # lowest, highest share in them


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass(frozen=True)
class Figure:
    caption: str
    svg: str
    note: str = ""


@dataclass(frozen=True)
class Report:
    """What the report says, in the order it says it; the HTML follows from it."""

    title: str
    subtitle: str
    methods: list[str]
    codebook: list[CodebookEntry]
    codebook_note: str = ""
    figures: list[Figure] = field(default_factory=list)
    validation: list[Table] = field(default_factory=list)
    validation_text: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    provenance: list[tuple[str, str]] = field(default_factory=list)


STYLE = """
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #1d1d1f; --light: #e4e4e7; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.55 Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2.5rem 2rem 4rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 .3rem; }
.subtitle { color: var(--muted); margin: 0 0 2rem; }
h2 { font-size: 1.15rem; margin: 2.4rem 0 .8rem; padding-bottom: .25rem;
  border-bottom: 1px solid var(--light); }
p { margin: 0 0 .9rem; text-align: justify; hyphens: auto; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .4rem;
  border-top: 1.5px solid var(--rule); border-bottom: 1.5px solid var(--rule);
  font: 12.5px/1.4 "Source Sans 3", "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 0 0 .35rem;
  font: bold 13px/1.4 "Source Sans 3", "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
th { text-align: left; font-weight: 600; border-bottom: 1px solid var(--rule);
  padding: .3rem .5rem; vertical-align: bottom; }
td { padding: .35rem .5rem; vertical-align: top; border-bottom: 1px solid var(--light); }
tr:last-child td { border-bottom: none; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.wrap { white-space: normal; width: 6em; }
td .range { color: var(--muted); font-size: 12px; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
  margin-right: .35em; vertical-align: -.05em; }
.keywords { color: var(--muted); }
.examples { margin: .2rem 0 0; padding-left: 1.1rem; color: #333; }
.examples li { margin-bottom: .2rem; }
.table-note, figcaption .note { color: var(--muted); font-size: 12.5px; margin: .3rem 0 1.4rem; }
figure { margin: 1rem 0 1.8rem; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font: 13px/1.45 "Source Sans 3", "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  margin-top: .4rem; }
figcaption b { font-weight: bold; }
.references p { padding-left: 1.5rem; text-indent: -1.5rem; text-align: left; font-size: 14px; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  color: var(--muted); }
dl.provenance dt { font-weight: bold; }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
@media print {
  @page { size: A4; margin: 16mm 15mm 18mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure, tr, .keep { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _percent(value: float, digits: int = 1) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{100 * value:.{digits}f}%"


def _figure(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.2f}"


def _share_range(shares: tuple[float, float] | None) -> str:
    """Under a topic's share, the range its counterparts held in the re-runs."""
    if shares is None:
        return ""
    low, high = shares
    return f"<div class='range'>{100 * low:.1f}-{100 * high:.1f}%</div>"


def _codebook(report: Report) -> str:
    shares = {e.left_out for e in report.codebook if e.left_out is not None}
    rows = []
    for entry in report.codebook:
        examples = "".join(f"<li>{escape(e)}</li>" for e in entry.examples)
        definition = (
            escape(entry.definition) if entry.definition else "<i>no definition written</i>"
        )
        fewer = f"<td class='num'>{_figure(entry.left_out_stability)}</td>" if shares else ""
        rows.append(
            "<tr class='keep'>"
            f"<td class='num'>{entry.id}</td>"
            f"<td><span class='swatch' style='background:{escape(entry.colour)}'></span>"
            f"<b>{escape(entry.name)}</b></td>"
            f"<td>{definition}<div class='keywords'>{escape(', '.join(entry.keywords))}</div>"
            f"{f'<ol class=examples>{examples}</ol>' if examples else ''}</td>"
            f"<td class='num'>{entry.size:,}</td><td class='num'>{_percent(entry.share)}"
            f"{_share_range(entry.left_out_shares)}</td>"
            f"<td class='num'>{_figure(entry.stability)}</td>{fewer}</tr>"
        )
    # "left out" kept on one line under "Stability," in a narrow column
    share = f", {max(shares):.0%}&nbsp;left&nbsp;out" if len(shares) == 1 else ", left&nbsp;out"
    head = (
        "<thead><tr><th class='num'>Topic</th><th>Name</th>"
        "<th>Definition, keywords and three typical documents</th>"
        "<th class='num'>Documents</th><th class='num'>Share</th>"
        "<th class='num'>Stability</th>"
        + (f"<th class='num wrap'>Stability{share}</th>" if shares else "")
        + "</tr></thead>"
    )
    note = (
        f"<p class='table-note'>{escape(report.codebook_note)}</p>" if report.codebook_note else ""
    )
    return (
        "<table><caption>Table S1. Codebook</caption>"
        f"{head}<tbody>{''.join(rows)}</tbody></table>{note}"
    )


def _table(table: Table, number: int) -> str:
    numeric = [
        all(_looks_numeric(row[i]) for row in table.rows if i < len(row))
        for i in range(len(table.columns))
    ]
    head = "".join(
        f"<th{' class=num' if n else ''}>{escape(c)}</th>" for c, n in zip(table.columns, numeric)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if n else ''}>{escape(cell)}</td>" for cell, n in zip(row, numeric)
        )
        + "</tr>"
        for row in table.rows
    )
    note = f"<p class='table-note'>{escape(table.note)}</p>" if table.note else ""
    return (
        f"<table><caption>Table S{number}. {escape(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"
    )


def _looks_numeric(cell: str) -> bool:
    text = cell.replace(",", "").replace("%", "").replace("–", "").replace("−", "-").strip()
    if not text:
        return True
    try:
        float(text.split(" ")[0])
    except ValueError:
        return False
    return True


def render(report: Report) -> str:
    """The whole report as one HTML document."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{POLICY}\">",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{escape(report.title)}</title><style>{STYLE}</style></head><body><main>",
        f"<h1>{escape(report.title)}</h1><p class='subtitle'>{escape(report.subtitle)}</p>",
        "<h2>1. Methods</h2>",
        *(f"<p>{escape(p)}</p>" for p in report.methods),
        "<h2>2. Codebook</h2>",
        _codebook(report),
    ]
    if report.figures:
        parts.append("<h2>3. Figures</h2>")
        for i, figure in enumerate(report.figures, start=1):
            note = f" <span class='note'>{escape(figure.note)}</span>" if figure.note else ""
            parts.append(
                f"<figure>{figure.svg}<figcaption><b>Figure S{i}.</b> "
                f"{escape(figure.caption)}{note}</figcaption></figure>"
            )
    parts.append("<h2>4. Validation</h2>")
    parts += [f"<p>{escape(p)}</p>" for p in report.validation_text]
    parts += [_table(t, i) for i, t in enumerate(report.validation, start=2)]
    if report.references:
        parts.append("<h2>References</h2><div class='references'>")
        parts += [f"<p>{escape(r)}</p>" for r in report.references]
        parts.append("</div>")
    if report.provenance:
        parts.append("<h2>Provenance</h2><dl class='provenance'>")
        parts += [f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in report.provenance]
        parts.append("</dl>")
    parts.append("</main></body></html>\n")
    return "".join(parts)


def write_report(report: Report, path: str | Path) -> None:
    """Write the report; the file name must end in .html or .htm."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise TopicDeskError("A report needs a file name ending in .html.")
    text = render(report)
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
