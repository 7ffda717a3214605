"""The MSEL (master scenario events list): injects and curveballs, delivered, pending or conditional."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from simulator.board import TimelineItem
from simulator.timing import Clock

from .text import lit, set_if_changed

STATE = {
    "delivered": ("✓", "$success"), "pending": ("○", "$text-muted"), "conditional": ("◇", "$accent"),
    "held": ("⊘", "$text-muted"), "active": ("⚡", "bold $error"), "ended": ("⚡", "$text-muted"),
}


class Timeline(VerticalScroll):
    DEFAULT_CSS = """
    Timeline { height: 1fr; min-height: 4; padding: 0 1; }
    Timeline #timeline-body { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "MSEL"
        self.border_subtitle = "✓ delivered ○ pending ◇ if ⊘ held ⚡ curveball"
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
            muted = it.state in ("held", "ended", "pending")
            parts: list[Content | str | tuple[str, str]] = [(f"{clock.label(it.t)[4:]} ", "$text-muted"), (f"{icon} ", style)]
            if it.kind == "inject":
                parts += [lit(it.id, "bold $text-muted" if muted else "bold"), "  "]
            parts.append(lit(it.text, "italic $text-muted" if muted else ("italic" if it.kind == "curveball" else "")))
            if it.note:
                parts += ["  ", lit(f"({it.note})", "$text-muted")]
            lines.append(Content.assemble(*parts))
        set_if_changed(self._body, Content("\n").join(lines))
