"""The top bar: what is being played, the simulated clock and its mode, where it is recorded."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from .text import lit

MODE_STYLE = {"paused": "bold $warning", "ended": "bold $error"}


class ClockBar(Widget):
    """One line, one widget: what is played, then the mode and the clock at the right. Where the line is short
    (80 columns) the provider goes first, then "running" (`▶ ×60` says it), and the scenario's title stays whole;
    only a title longer than the room is cut with …"""

    DEFAULT_CSS = """
    ClockBar { height: 1; dock: top; background: $panel; padding: 0 1; }
    """

    def __init__(self, title: str, subtitle: str, id: str | None = None):
        super().__init__(id=id)
        self.what = Content.assemble(lit(title, "bold"), ("  vs  ", "$text-muted"), lit(subtitle))
        self.title = lit(title, "bold")
        self._right = self._short = Content("")

    def show(self, clock_label: str, mode: str, extra: str = "") -> None:
        icon = "‖ " if mode == "paused" else ("■ " if mode == "ended" else "▶ ")
        style = MODE_STYLE.get(mode, "bold $success")

        def right(mode: str) -> Content:
            return Content.assemble("  ", (icon + mode, style), (f"  {extra}" if extra else "", "$text-muted"), "  ",
                                    (clock_label, "bold $accent"))

        full = right(mode)
        if full != self._right:
            # at 80 columns "▶ running ×60  next inject in 42m" cut the title ("Ransomware on the file serv…")
            self._right, self._short = full, right(mode.removeprefix("running "))
            self.refresh()

    def render(self) -> Content:
        width = self.content_size.width
        right = self._right if self.title.cell_length + self._right.cell_length <= width else self._short
        room = width - right.cell_length
        what = self.what if self.what.cell_length <= room else self.title
        return Content.assemble(what.truncate(max(0, room), ellipsis=True, pad=True), right)
