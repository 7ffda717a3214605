"""The top bar: what is being played, the simulated clock and its mode, where it is recorded."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from .text import lit, set_if_changed

MODE_STYLE = {"paused": "bold $warning", "ended": "bold $error"}


class ClockBar(Horizontal):
    DEFAULT_CSS = """
    ClockBar { height: 1; dock: top; background: $panel; padding: 0 1; }
    ClockBar #what { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    ClockBar #mode { width: auto; padding: 0 2; }
    ClockBar #clock { width: auto; color: $accent; }
    """

    def __init__(self, title: str, subtitle: str, id: str | None = None):
        super().__init__(id=id)
        self._title, self._subtitle = title, subtitle

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(lit(self._title, "bold"), ("  vs  ", "$text-muted"), lit(self._subtitle)), id="what")
        yield Static("", id="mode")
        yield Static("", id="clock")

    def show(self, clock_label: str, mode: str, extra: str = "") -> None:
        icon = "‖ " if mode == "paused" else ("■ " if mode == "ended" else "▶ ")
        style = MODE_STYLE.get(mode, "bold $success")
        set_if_changed(self.query_one("#mode", Static), Content.assemble((icon + mode, style), (f"  {extra}" if extra else "", "$text-muted")))
        set_if_changed(self.query_one("#clock", Static), Content.styled(clock_label, "bold"))
