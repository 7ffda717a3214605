"""The exercise board: one layout for the live exercise and the replay, so both read the same."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from simulator.timing import Clock

from .clockbar import ClockBar
from .eventlog import EventLog
from .injectpanel import InjectPanel
from .obligations import Obligations
from .scoreboard import Scoreboard
from .timeline import Timeline


class KeyFooter(Footer):
    """Textual's footer, on two rows when its keys do not fit on one: at 80 columns every key stays in sight."""

    DEFAULT_CSS = """
    KeyFooter.-two-rows { layout: grid; grid-columns: auto; height: 2; }
    """

    def compose(self) -> ComposeResult:
        yield from super().compose()
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        keys = [k for k in self.query(FooterKey) if not k.has_class("-command-palette")]
        need = sum(len(k.key_display) + len(k.description) + 3 for k in keys) + 12  # + the palette key at the right
        two = need > self.size.width > 0
        self.set_class(two, "-two-rows")
        if two:
            self.styles.grid_size_columns = (len(keys) + 1) // 2
            for k in self.query(".-command-palette"):  # no room: ctrl+p still works, and help (?) lists it
                k.display = False


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
