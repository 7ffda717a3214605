"""The MSEL (master scenario events list): injects and curveballs, delivered, pending or conditional."""

from __future__ import annotations

from textual.content import Content

from simulator.board import TimelineItem
from simulator.timing import Clock

from .panel import Panel
from .text import lit

STATE = {
    "delivered": ("✓", "$success"), "pending": ("○", "$text-muted"), "conditional": ("◇", "$accent"),
    "held": ("⊘", "$text-muted"), "active": ("⚡", "bold $error"), "ended": ("⚡", "$text-muted"),
}


class Timeline(Panel):
    DEFAULT_CSS = """
    Timeline { height: 1fr; min-height: 4; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "MSEL"
        self.border_subtitle = "✓ delivered ○ pending ◇ if ⊘ held ⚡ curveball"
        self._last: list[TimelineItem] | None = None
        self._next = 0  # the row of the next happening (pending or conditional), kept in view

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
        self.update(Content("\n").join(lines))
        # At 80x24 the MSEL shows two rows: keep the row before the next happening and the next in view (the top rows
        # are long past by the second inject), whenever the next one changes; scrolling by hand holds until then.
        nxt = next((i for i, it in enumerate(items) if it.state in ("pending", "conditional")), len(items))
        if nxt != self._next:
            self._next = nxt
            self.call_after_refresh(self.scroll_to, y=max(0, nxt - 1), animate=False)
