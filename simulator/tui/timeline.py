"""The MSEL (master scenario events list): injects and curveballs, delivered, pending or conditional."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from simulator.session import TimelineItem
from simulator.timing import Clock

from .text import lit, set_if_changed

STATE = {
    "delivered": ("✓", "$success"), "pending": ("○", "$text-muted"), "conditional": ("◇", "$accent"),
    "held": ("⊘", "$text-muted"), "active": ("⚡", "bold $error"), "ended": ("⚡", "$text-muted"),
}


class Timeline(VerticalScroll):
    def __init__(self, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "MSEL"
        self._body = Static("", id="timeline-body")
        self._last: list[TimelineItem] | None = None

    def compose(self):
        yield self._body

    def show(self, items: list[TimelineItem], clock: Clock) -> None:
        if items == self._last:
            return
        self._last = items
        lines = []
        for it in items:
            icon, style = STATE.get(it.state, ("?", ""))
            what = "curveball" if it.kind == "curveball" else ""
            row = Content.assemble(
                (f"{clock.label(it.t)[4:]} ", "$text-muted"), (f"{icon} ", style),
                lit(it.id, "bold" if it.kind == "inject" else "italic"),
                (f" {what}" if what else "", "$text-muted"),
                (f" [{it.state}]", style), "  ", lit(it.text, "$text-muted" if it.state in ("held", "ended") else ""),
            )
            if it.note:
                row = Content.assemble(row, "  ", lit(it.note, "italic $text-muted"))
            lines.append(row)
        set_if_changed(self._body, Content("\n").join(lines))
