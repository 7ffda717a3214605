"""The exercise board: one layout for the live exercise and the replay, so both read the same."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from simulator.timing import Clock

from .clockbar import ClockBar
from .eventlog import EventLog
from .footer import KeyFooter
from .injectpanel import InjectPanel
from .obligations import Obligations
from .scoreboard import Scoreboard
from .timeline import Timeline


class BoardScreen(Screen):
    """A screen showing the board: its panels, made by `make_panels`, laid out by `board`."""

    clockbar: ClockBar
    inject: InjectPanel
    timeline: Timeline
    obligations: Obligations
    scoreboard: Scoreboard
    log_view: EventLog

    def __init__(self) -> None:
        super().__init__()
        # The height class Textual sets on the first resize, set now: changing it then restyles every widget
        # on the screen once more before the first frame.
        try:
            height = self.app.size.height
        except Exception:
            return
        for floor, name in sorted(self.app.VERTICAL_BREAKPOINTS or [], reverse=True):
            if height >= floor:
                self.add_class(name, update=False)
                break
        self._shown = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (subclass first). Just mounted, every widget has its styles:
        # restyling the whole screen again is the largest cost of the first frame. Later resumes
        # (back from a form) restyle as Textual means them to.
        if not self._shown:
            self._shown = True
            event.refresh_styles = False


def make_panels(screen: BoardScreen, title: str, provider: str, clock: Clock) -> None:
    """The board's widgets, the same for the live exercise and the replay."""
    screen.clockbar = ClockBar(title, provider, id="clockbar")
    screen.inject = InjectPanel(id="inject")
    screen.timeline = Timeline(id="timeline")
    screen.obligations = Obligations(id="obligations")
    screen.scoreboard = Scoreboard(id="scoreboard")
    screen.log_view = EventLog(clock, id="eventlog")


def board(screen: BoardScreen) -> ComposeResult:
    """Clock bar; inject and MSEL on the left, obligations and scorecard on the right; transcript below."""
    yield screen.clockbar
    with Horizontal(id="main"):
        with Vertical(id="left"):
            yield screen.inject
            yield screen.timeline
        with Vertical(id="right"):
            yield screen.obligations
            yield screen.scoreboard
    yield screen.log_view
    yield KeyFooter()
