"""The exercise board: one widget for the live exercise and the replay, so both read the same.

Screens hand it a `BoardView` (`Board.show`), as Textual's own widgets take their data; it keeps no
model of the exercise. The transcript below it grows on its own (`Board.transcript`), row by row.
"""

from __future__ import annotations

import textwrap

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from simulator.board import BoardView
from simulator.events import Event
from simulator.timing import Clock
from simulator.wording import Names

from .clockbar import ClockBar
from .eventlog import EventLog
from .injectpanel import InjectPanel
from .modal import take_typing
from .obligations import Obligations
from .scoreboard import Scoreboard
from .timeline import Timeline


class Board(Vertical):
    """Clock bar; inject and MSEL on the left, obligations and scorecard on the right; the transcript below."""
    DEFAULT_CSS = """
    Board #main { height: 2fr; min-height: 10; }
    .-short Board #main { height: 1fr; }
    .-short Board #scoreboard { max-height: 43%; }  /* 80x24: 6 of the 14 rows; the obligations, to act on, get 8 */
    .-short Board #inject { max-height: 72%; }  /* 80x24: 10 of the 14 rows, the MSEL keeps 4 (the last inject and the next) */
    Board #left, Board #right { width: 1fr; }
    """
    SCOPED_CSS = False  # the height class is the screen's


    def __init__(self, title: str, provider: str, clock: Clock, *, log_title: str, log_subtitle: str,
                 score_title: str = "Scorecard if it ended now", names: Names | None = None, id: str | None = None):
        super().__init__(id=id)
        self.clock = clock
        self.clockbar = ClockBar(title, provider, id="clockbar")
        self.inject = InjectPanel(id="inject")
        self.timeline = Timeline(id="timeline")
        self.obligations = Obligations(id="obligations")
        self.scoreboard = Scoreboard(id="scoreboard")
        self.scoreboard.border_title = self.score_title = score_title
        self.transcript = EventLog(clock, names=names, id="eventlog")
        self.transcript.border_title, self.transcript.border_subtitle = log_title, log_subtitle

    def compose(self) -> ComposeResult:
        yield self.clockbar
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield self.inject
                yield self.timeline
            with Vertical(id="right"):
                yield self.obligations
                yield self.scoreboard
        yield self.transcript

    TOAST_WIDTH = 44  # as elsewhere (ttx.tcss)

    def on_resize(self) -> None:
        self.call_after_refresh(self._place_toasts)  # once the panels have their places

    def _place_toasts(self) -> None:
        """Toasts sit over the MSEL, at the bottom of the left column: over the transcript they hid the end of the
        rows just recorded (and their ⚑ flags) for the ten seconds a check shows; the MSEL changes only when the
        clock reaches an inject, and the clock bar says when that is."""
        left, log = self.query_one("#left").region, self.transcript
        width = min(self.TOAST_WIDTH, left.width)  # at the column's right, by the obligations
        for rack in self.screen.query("ToastRack"):
            rack.styles.width = width
            rack.styles.margin = (0, 0, self.screen.size.height - log.region.y, left.right - width)

    def fit_toast(self, title: str, message: str, rest: str) -> str:
        """A check's or a curveball's toast (`title`, `message`) cut to the room over the MSEL: at 80x24 a check with
        two points reached up over the inject's questions for its ten seconds. Where it is cut, its last line says
        where the rest is (`rest`): the entry's row (its ⚑ or ⚠ mark; Enter reads it whole), the curveball's. (A check
        takes the place of the "✓" showing; a "✓" for a later entry lifts it a line for its three seconds.)"""
        text = min(self.TOAST_WIDTH, self.query_one("#left").region.width) - 3  # a toast's left edge and padding
        room = self.timeline.outer_size.height - len(textwrap.wrap(title, max(text, 1)))
        if text < 10 or room < 1:  # not laid out yet
            return message
        lines = [line for said in message.splitlines() for line in textwrap.wrap(said, text)]
        if len(lines) <= room:
            return message
        return "\n".join(lines[:max(room - 1, 1)] + [f"… all of it: {rest}"])

    def show(self, view: BoardView) -> None:
        """Draw the exercise as `view` has it (each panel redraws only what changed)."""
        clock = self.clock
        self.clockbar.show(view.clock, view.mode, view.note)
        self.inject.show(view.inject, clock, view.inject_at)
        self.timeline.show(view.timeline, clock)
        self.obligations.show(view.obligations, clock, view.now)
        self.scoreboard.show(view.card, view.promises)
        self.scoreboard.border_title = "Final scorecard" if view.mode == "ended" else self.score_title  # not "if it ended now"
        n = view.departures
        self.scoreboard.border_subtitle = f"⚑ {n} departure{'s' if n != 1 else ''} from the runbook" if n else ""


class BoardScreen(Screen):
    """A screen showing the board (its `board`, made by the subclass before it is composed)."""

    board: Board
    # Keys typed before the board is set up (ttx just started, `s` pressed at once) would reach the screen's
    # actions before its on_mount (a traceback): the app holds them while the top screen is not `ready`
    # (TtxApp._holding) and replays them in order once it is.
    ready = False

    def __init__(self) -> None:
        super().__init__()
        self._shown = False
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

    @property
    def log_view(self) -> EventLog:
        return self.board.transcript

    READ_KEY = "i"  # the key bound to `read_inject`, as the Inject panel's border names it

    def on_mount(self) -> None:
        # Runs after the subclass's on_mount (Textual calls each class's handler, the subclass's first).
        self.board.inject.more_key = self.READ_KEY  # read when the border is next drawn (after this refresh)
        take_typing(self)

    def action_read_inject(self) -> None:
        """The current inject in full, over the board (most shipped injects are taller than the panel at 80x24)."""
        panel = self.board.inject
        if panel.inject is None:
            self.app.notify("No inject yet.", severity="warning")
            return
        from .detail import InjectReader

        self.app.push_screen(InjectReader(panel.inject, self.board.clock, panel.at))

    def action_read_row(self) -> None:
        self.board.transcript.action_read()

    def on_event_log_read(self, message: EventLog.Read) -> None:
        """Enter on a transcript row: the row in full, with what to check with the candidate about it."""
        from .detail import EntryReader

        log = self.board.transcript
        self.app.push_screen(EntryReader(message.event, log.clock, log.names, withdrawn_by=message.withdrawn_by,
                                         checks=self.checks(message.event)))

    def checks(self, event: Event) -> list[str]:
        """What to check with the candidate about a recorded event (each screen says what it knows)."""
        return []

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (subclass first). Just mounted, every widget has its styles:
        # restyling the whole screen again is the largest cost of the first frame. Later resumes
        # (back from a form) restyle as Textual means them to.
        if not self._shown:
            self._shown = True
            event.refresh_styles = False
