"""Untrusted text made inert for each output format, and the reports' shared page style.

Every string that comes from a scenario, runbook or transcript is untrusted: Markdown escapes its
control characters, Mermaid labels carry only a safe character set (the rest as `#NNN;` entity codes),
and HTML escapes everything and runs no script at all (a strict Content-Security-Policy forbids it even
if something slipped through). The report, the comparison, the stress report, the facilitator guide and
the RACI chart all draw on these, so they look and escape alike.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from simulator.textsafe import plain

from .rubric import RATING_WORDS

# --- Markdown ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~&${}@])")
# Viewers (GitHub, GitLab, most chat tools) turn a bare https://..., www.... or name@host into a live
# link; an escaped character (the scheme's colon, www's dot, the @ above) splits the text where they look.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|\b(www)(\.)")


def md(text: object) -> str:
    """Untrusted text as inert Markdown inline content (also safe inside a table cell), no live links."""
    s = plain(text)  # newlines and control characters can't start a new block or restyle a terminal
    return _AUTOLINK.sub(lambda m: "\\:" if m.group(1) else m.group(2) + "\\.", _MD_SPECIAL.sub(r"\\\1", s))


_MERMAID_SAFE = re.compile(r"[^A-Za-z0-9 .,:()/_'-]")
_MERMAID_ALIAS_SAFE = re.compile(r"[^A-Za-z0-9 .()_]")


def mermaid_text(text: object, alias: bool = False) -> str:
    """Untrusted text for a Mermaid label: anything outside a small safe set becomes `#NNN;`.

    Mermaid decodes these entity codes only after parsing, so no character can end
    the label, start a new statement (newline, `;`), open a directive (`%%`) or
    close the Markdown code fence (backticks).
    """
    s = plain(text)
    pattern = _MERMAID_ALIAS_SAFE if alias else _MERMAID_SAFE
    return pattern.sub(lambda mo: f"#{ord(mo.group())};", s)



def md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    out += ["| " + " | ".join(c if c else " " for c in row) + " |" for row in rows]
    return out



def code_span(text: object) -> str:
    """Text for inside a Markdown code span: no backticks, no controls."""
    return plain(text).replace("`", "'")



# --- HTML --------------------------------------------------------------------------------------

def h(text: object) -> str:
    """Untrusted text as inert HTML (quotes too, so it is safe in attributes)."""
    return html.escape(plain(text), quote=True)


CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
:root{--ink:#1b1f24;--muted:#5b6470;--line:#d5dae1;--bg:#ffffff;--soft:#f4f6f8;
--met:#1e7b34;--met-bg:#e3f4e7;--late:#8a5a00;--late-bg:#fff1cc;--missed:#b3261e;--missed-bg:#fde2df;
--P:#1e7b34;--S:#4d7a00;--M:#b35c00;--U:#b3261e}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
main{max-width:68rem;margin:0 auto;padding:2rem 2.5rem 3rem}
h1{font-size:1.7rem;line-height:1.25;margin:0 0 .25rem}
h2{font-size:1.25rem;margin:2.2rem 0 .6rem;padding-bottom:.3rem;border-bottom:2px solid var(--line);break-after:avoid}
h3{font-size:1.05rem;margin:1.4rem 0 .5rem;break-after:avoid}
p.sub{color:var(--muted);margin:0 0 1rem}
.verdict{display:flex;gap:1.2rem;align-items:center;border:2px solid var(--line);border-left-width:10px;border-radius:6px;padding:1rem 1.2rem;margin:1rem 0 1.5rem;background:var(--soft)}
.verdict.P{border-color:var(--P)}.verdict.S{border-color:var(--S)}.verdict.M{border-color:var(--M)}.verdict.U{border-color:var(--U)}
.score{font-size:2rem;font-weight:700;line-height:1;min-width:7.5rem;text-align:center}
.score small{display:block;font-size:.8rem;font-weight:600;color:var(--muted);margin-top:.3rem}
.verdict p{margin:0;font-size:1.05rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.92rem}
th,td{border:1px solid var(--line);padding:.35rem .55rem;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
tr{break-inside:avoid}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.nowrap{white-space:nowrap}
.overview th{width:12rem}
table.obligations td:first-child{width:46%}
.glance{display:flex;gap:.8rem;margin:0 0 1.2rem;flex-wrap:wrap}
.glance div{flex:1;min-width:8rem;border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem}
.glance b{display:block;font-size:1.6rem;line-height:1.1}
.glance .met b{color:var(--met)}.glance .late b{color:var(--late)}.glance .missed b{color:var(--missed)}
.badge{display:inline-block;min-width:1.6rem;padding:0 .4rem;border-radius:4px;font-weight:700;text-align:center;color:#fff}
.badge.P{background:var(--P)}.badge.S{background:var(--S)}.badge.M{background:var(--M)}.badge.U{background:var(--U)}
.status{display:inline-block;padding:0 .45rem;border-radius:4px;font-weight:600;white-space:nowrap}
.status.met{color:var(--met);background:var(--met-bg)}.status.late{color:var(--late);background:var(--late-bg)}.status.missed{color:var(--missed);background:var(--missed-bg)}
.sev{font-weight:700;text-transform:uppercase;font-size:.78rem}
.sev.high{color:var(--missed)}.sev.medium{color:var(--late)}.sev.low{color:var(--muted)}
.muted{color:var(--muted)}
.reason{color:var(--muted);font-size:.86rem}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.82rem;color:var(--muted)}
.kind{font-size:.78rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);white-space:nowrap}
.bad{color:var(--missed);font-weight:600}
ol.questions li{margin:.3rem 0}
ul li{margin:.2rem 0}
figure{margin:.5rem 0 1rem;overflow-x:auto}
figure svg{max-width:100%;height:auto}
figcaption{color:var(--muted);font-size:.85rem}
ol.seq{list-style:none;padding:0;margin:0 0 .4rem}
ol.seq li{border-left:4px solid var(--met);padding:.2rem .6rem;margin:0 0 .5rem}
ol.seq li.missed{border-left-style:dashed;border-color:var(--missed)}
ol.seq .when{color:var(--muted);font-variant-numeric:tabular-nums}
ol.seq .fate{font-weight:600;color:var(--met)}ol.seq li.missed .fate{color:var(--missed)}
footer{margin-top:2.5rem;color:var(--muted);font-size:.8rem;border-top:1px solid var(--line);padding-top:.6rem}
.overview td{overflow-wrap:anywhere}
.phone{display:none}
@media (max-width:40rem){
 main{padding:1rem .8rem 2rem}
 h1{font-size:1.35rem}
 .verdict{flex-direction:column;align-items:stretch;gap:.5rem;padding:.8rem}
 .score{min-width:0}
 table{display:block;overflow-x:auto}
 .overview th{width:auto}
 .wide-only{display:none}
 .phone{display:block}
 table.cards{display:table}
 table.cards thead{display:none}
 table.cards tr{display:block;border:1px solid var(--line);border-radius:6px;margin:0 0 .6rem;padding:.3rem 0}
 table.cards td,table.cards tbody th{display:block;border:0;padding:.1rem .6rem;width:auto;text-align:left;background:none;white-space:normal;overflow-wrap:anywhere}
 table.cards td:first-child{width:auto;font-weight:600}
 table.cards td:first-child :is(.reason,code){font-weight:400}
 table.cards td.inline{display:inline-block;padding-right:0}
 table.cards td.inline~td.inline{padding-left:.3rem}
 table.cards td.inline~td.inline:not([data-label])::before{content:"· ";color:var(--muted)}
 table.cards td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-weight:600}
 table.cards td:empty{display:none}
}
@media print{
 @page{margin:14mm}
 body{font-size:10.5pt}
 main{max-width:none;padding:0}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 h2{break-before:auto}
 section{break-inside:auto}
 .verdict,figure{break-inside:avoid}
 .phone{display:none}
 #scorecard>p:first-of-type{break-after:avoid}
 a{color:inherit;text-decoration:none}
}
"""


def status_badge(status: str, words: str | None = None) -> str:
    cls = status if status in ("met", "late", "missed") else ""
    return f'<span class="status {cls}">{h(words or status)}</span>'


def badge(rating: str) -> str:
    r = rating if rating in RATING_WORDS else "U"
    return f'<span class="badge {r}" title="{h(RATING_WORDS[r])}">{r}</span>'



class Col(NamedTuple):
    """A column of a cards table: its heading (plain text), its cells' class, and whether a phone labels
    its cells with the heading (not the row's name, nor a number that reads beside its neighbour)."""
    head: str
    cls: str = ""
    label: bool = True
    th: bool = False  # the row's heading: a <th> (no label)
    title: str = ""  # the heading's tooltip


class Cell(NamedTuple):
    """A cell with a class of its own beside its column's (a rating's colour)."""
    html: str
    cls: str


class Row(NamedTuple):
    """A row of a cards table: its cells as HTML (already escaped), in column order."""
    cells: Sequence[str | Cell]
    id: str = ""
    cls: str = ""


def cards_table(cls: str, cols: Sequence[Col], rows: Iterable[Row | Sequence[str | Cell]]) -> str:
    """A table (classes `cls` and `cards`) that a phone shows as one labelled card per row (`table.cards` in CSS):
    every cell carries its column's heading as `data-label` unless the column says not to, or the cell is empty."""
    def cell(col: Col, x: str | Cell) -> str:
        html_, classes = (x.html, " ".join(filter(None, (col.cls, x.cls)))) if isinstance(x, Cell) else (x, col.cls)
        if col.th:
            return f"<th>{html_}</th>"
        attrs = (f' class="{classes}"' if classes else "") + (f' data-label="{h(col.head)}"' if col.label and html_ else "")
        return f"<td{attrs}>{html_}</td>"

    def tr(row: Row | Sequence[str | Cell]) -> str:
        r = row if isinstance(row, Row) else Row(row)
        attrs = (f' id="{h(r.id)}"' if r.id else "") + (f' class="{r.cls}"' if r.cls else "")
        return f"<tr{attrs}>" + "".join(cell(c, x) for c, x in zip(cols, r.cells, strict=True)) + "</tr>"

    head = "".join(f'<th title="{h(c.title)}">{h(c.head)}</th>' if c.title else f"<th>{h(c.head)}</th>" for c in cols)
    opening = f'<table class="{cls + " " if cls else ""}cards"><thead><tr>{head}</tr></thead><tbody>'
    return "\n".join([opening, *map(tr, rows), "</tbody></table>"])


def html_head(title: str, css: str = "") -> str:
    """A self-contained page's head (no script may run: the CSP), up to the opening <main>."""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">', '<meta name="referrer" content="no-referrer">',
        f"<title>{h(title)}</title><style>{CSS}{css}</style></head><body><main>"])

