"""Showing untrusted text literally, and small formatting helpers shared by the widgets.

Scenario and runbook text never reaches a markup parser: it is made inert for the
terminal (`textsafe`) and wrapped as `Content`, whose plain strings are not markup.
Styling around it goes through `Content.assemble` / markup variables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from simulator.textsafe import block, plain
from simulator.timing import format_span

if TYPE_CHECKING:
    from rich.text import Text


def lit(text: object, style: str = "") -> Content:
    """One line of untrusted text, shown exactly as written."""
    return Content.styled(plain("" if text is None else text), style) if style else Content(plain("" if text is None else text))


def lit_block(text: object, style: str = "") -> Content:
    """Untrusted multi-line text, shown exactly as written."""
    s = block("" if text is None else text)
    return Content.styled(s, style) if style else Content(s)


def span(seconds: int | None) -> str:
    return "—" if seconds is None else format_span(seconds)


def countdown(remaining: int) -> str:
    """`in 12m`, `due now`, `8m late` (seconds shown in the last minutes, for a live feel)."""
    if remaining == 0:
        return "due now"
    mag = abs(remaining)
    txt = format_span(mag - mag % 60) if mag >= 600 else format_span(mag)
    return f"in {txt}" if remaining > 0 else f"{txt} late"


RATING_STYLE = {"P": "bold $success", "S": "bold $accent", "M": "bold $warning", "U": "bold $error"}
STATUS_STYLE = {"met": "$success", "late": "$warning", "missed": "$error", "overdue": "bold $error",
                "open": "", "done": "$success"}
URGENCY_STYLE = {"ok": "", "soon": "bold $warning", "late": "bold $error", "done": "$text-muted", "unpromised": "$error"}


def rtext(text: object, style: str = "") -> Text:
    """Untrusted text as a rich Text (for DataTable cells, which would parse a str as markup)."""
    from rich.text import Text

    return Text(plain("" if text is None else text), style=style, end="")


RICH_STATUS = {"met": "green", "late": "yellow", "missed": "red"}


def set_if_changed(widget, content) -> None:  # type: ignore[no-untyped-def]
    """Update a Static only when its content differs: repaints (and modal backdrops) stay cheap."""
    if getattr(widget, "_ttx_last", None) != content:
        widget._ttx_last = content
        widget.update(content)
