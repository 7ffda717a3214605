"""The top bar: what is being played, the simulated clock and its mode, where it is recorded."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from .text import lit

MODE_STYLE = {"paused": "bold $warning", "ended": "bold $error"}


class ClockBar(Widget):
    """One line, one widget: what is played, then the mode and the clock at the right. Where the line is short
    (80 columns) the provider goes first and the scenario's title stays whole; only a title longer than the
    room is cut with …"""

    DEFAULT_CSS = """
    ClockBar { height: 1; dock: top; background: $panel; padding: 0 1; }
    """

    def __init__(self, title: str, subtitle: str, id: str | None = None):
        super().__init__(id=id)
        self.what = Content.assemble(lit(title, "bold"), ("  vs  ", "$text-muted"), lit(subtitle))
        self.title = lit(title, "bold")
        self._right = Content("")

    def show(self, clock_label: str, mode: str, extra: str = "") -> None:
        icon = "‖ " if mode == "paused" else ("■ " if mode == "ended" else "▶ ")
        style = MODE_STYLE.get(mode, "bold $success")
        right = Content.assemble("  ", (icon + mode, style), (f"  {extra}" if extra else "", "$text-muted"), "  ",
                                 (clock_label, "bold $accent"))
        if right != self._right:
            self._right = right
            self.refresh()

    def render(self) -> Content:
        room = self.content_size.width - self._right.cell_length
        what = self.what if self.what.cell_length <= room else self.title
        return Content.assemble(what.truncate(max(0, room), ellipsis=True, pad=True), self._right)
