"""The after-action report (SPEC section 9) as Markdown or as one self-contained HTML file.

Split by job: `outline` decides what the report says (plain, still untrusted text), `report_md` and
`report_html` render it, `markup` makes untrusted text inert for each format and holds the shared style.
"""

from __future__ import annotations

from .outline import Outline, outline
from .played import Played
from .report_html import render_html
from .report_md import render_md

__all__ = ["Outline", "outline", "render", "render_html", "render_md"]


def render(played: Played, fmt: str) -> str:
    """The after-action report for a scorecard (and its transcript, when there is one)."""
    o = outline(played)
    if fmt == "md":
        return render_md(o)
    if fmt == "html":
        return render_html(o)
    raise ValueError(f"unknown report format {fmt!r}")
