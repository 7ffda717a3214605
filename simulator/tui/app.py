"""The ttx Textual app: one factory (`make_app`) used by the CLI and by the tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import uuid4

from textual import events
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.notifications import Notification, Notify
from textual.screen import Screen
from textual.widgets._toast import ToastRack  # imported by textual.screen already

from scoring.played import Played
from scoring.promised import Promise
from simulator import startup
from simulator.filenames import default_output
from simulator.session import Session, utc_stamp
from simulator.transcript import TranscriptError, read

from .messages import CURVEBALL, ResumeExercise, ShowResults, StartExercise

if TYPE_CHECKING:
    from simulator.replay import Replay

RECORDED = "✓ #"  # how the toast confirming an entry begins (ExerciseScreen._submit): only the latest stays
CHECK = "Check #"  # how the title of the toast with what to check about an entry begins (ExerciseScreen._submit)


def toast_kind(title: str, message: str) -> str:
    """"check" (what to check with the candidate about an entry), "recorded" (its ✓), "curveball" (one starting or
    ending), or "" (any other toast)."""
    if title == CURVEBALL:
        return "curveball"
    return "check" if title.startswith(CHECK) else ("recorded" if message.startswith(RECORDED) else "")


# Which earlier toasts a newer one takes the place of. The latest "✓ #9 decide" says the entries before it went in
# too, and a check on an entry says it was recorded. A check replaces the check before it: at 80x24 two of them and
# a ✓ reached up over the inject the room was reading, and each check stays on its transcript row (⚑ or ⚠; Enter
# reads it whole). A curveball toast goes once the room records its next entry: the room heard it, and the MSEL
# keeps it bright while it lasts; and a curveball takes the place of the ✓ before it, an entry the clock has since
# moved past (at 80x24 the two together reached over the inject). Errors, and any other warning, are never replaced.
REPLACES = {"check": ("check", "recorded", "curveball"), "recorded": ("recorded", "curveball"), "curveball": ("curveball", "recorded")}

SCREEN_KEYS = {"ExerciseScreen": "exercise", "ReplayScreen": "replay", "PickerScreen": "picker", "ResultsScreen": "results"}


class TtxApp(App[int]):
    CSS_PATH = "ttx.tcss"
    # a short terminal (80x24) gives the panels room and keeps the transcript to a few lines
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    TITLE = "ttx"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", show=False),  # each screen shows "? Help" first in its footer
        Binding("q", "quit_ttx", "Quit"),
    ]

    def __init__(self, *, session: Session | None = None, replay: Replay | None = None, replay_path: str = "",
                 library: str | None = None, output: str | None = None,
                 wall: Callable[[], float] = time.monotonic, stamp: Callable[[], str] = utc_stamp,
                 today: Callable[[], datetime] = datetime.now, served: tuple[str, ...] | None = None):
        super().__init__()
        self.session, self.replay, self.replay_path = session, replay, replay_path
        self.library, self.output = library, output
        # In a browser tab (`--serve`), whoever holds the page is not the facilitator at their keyboard:
        # files are opened only from the library and the ones named on the command line.
        self.served = served
        self.wall, self.stamp, self.today = wall, stamp, today
        self._held: list[events.Key] = []  # keys typed while a form opens or a modal closes (type-ahead)
        self._holds = 0
        self._held_at = 0.0  # when the oldest key still held was read
        self.keys_handed_on_at = float("-inf")  # when held keys were last handed on (EventLog: an Enter typed twice)
        self._parked: list[tuple[Notification, float]] = []  # toasts waiting for a form to close, with the seconds left

    # -- type-ahead -----------------------------------------------------------------------------
    # The app hands each key to the screen and field in focus as it reads it, but a key that opens or
    # closes a form takes effect a moment later. Keys typed in that moment (a fast typist, keys arriving
    # in one batch over ssh) went to the board beneath (a letter of the hotwash opening the Decide form)
    # or to nothing. So while a modal closes into what comes next, or a form opens, keys are held and then
    # replayed in order, through the same route, into the field that then has focus.
    STUCK = 3.0  # seconds: keys are never held longer than this, whatever went wrong

    def hold_keys(self) -> None:
        """Hold keys until `release_keys` (a modal closing; its callback may open the next form)."""
        self._holds += 1

    def release_keys(self, counted: bool = True) -> None:
        """Release one hold (counted) or say a form is ready (not counted); from any screen. Queued behind the
        keys the app has read so far, so those are held first and replayed in order."""
        self.call_later(self._released, counted)

    def _holding(self) -> bool:
        return self._holds > 0 or (bool(self.screen_stack) and getattr(self.screen_stack[-1], "ready", True) is False)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and (self._held or self._holding()):
            if not self._held:
                self._held_at = time.monotonic()
                self.set_timer(self.STUCK, self._unstick)
            self._held.append(event)  # behind the keys held before it, in the order typed
            return
        await super().on_event(event)

    async def _released(self, counted: bool) -> None:
        if counted:
            self._holds = max(0, self._holds - 1)
        await self._replay_held()

    async def _unstick(self) -> None:
        if not self._held:
            return
        left = self._held_at + self.STUCK - time.monotonic()
        if left > 0.05:  # a timer from an earlier hold: this one started later
            self.set_timer(left, self._unstick)
            return
        self._holds = 0
        for s in self.screen_stack:  # a form, or a board whose set-up failed: typing goes on regardless
            if getattr(s, "ready", True) is False:
                s.ready = True  # type: ignore[attr-defined]
        await self._replay_held()

    async def _replay_held(self) -> None:
        # one key at a time, each as if just typed: a replayed key that opens a form holds the rest again
        if self._held and not self._holding():
            self.keys_handed_on_at = time.monotonic()
        while self._held and not self._holding():
            await super().on_event(self._held.pop(0))
        if self._held:  # held again (a replayed key opened a form): a wait of its own
            self._held_at = time.monotonic()
            self.set_timer(self.STUCK, self._unstick)

    def may_open(self, path: str) -> str | None:
        """Why a path typed into the app may not be opened here (None: it may)."""
        if self.served is None:
            return None
        import os

        from simulator.library import library_dir

        real = os.path.realpath(path)
        root = os.path.realpath(library_dir(self.library))
        if real in {os.path.realpath(p) for p in self.served} or real.startswith(root + os.sep):
            return None
        return (f"served in a browser, ttx opens only files in the library ({root}) and the files named "
                "on the command line")

    def get_default_screen(self) -> Screen:
        # The first screen is the stack's base, not pushed over Textual's blank one: one screen to style
        # before the first frame. Only its module is imported: every module costs time before that frame.
        if self.replay is not None:
            from .replay import ReplayScreen

            return ReplayScreen(self.replay, self.replay_path)
        if self.session is not None:
            from .exercise import ExerciseScreen

            return ExerciseScreen(self.session)
        from .picker import PickerScreen

        return PickerScreen(self.library)

    def on_ready(self) -> None:
        startup.resume()  # paused by `ttx play` / `ttx replay` until this first frame (launch.py)

    def on_mount(self) -> None:
        if self.session is not None and self.replay is None and self.session.ended:
            self.show_results()

    # -- flows (screens ask by message) -------------------------------------------------------
    def on_show_results(self, message: ShowResults) -> None:
        # what the board said about its entries (checks, ✓, curveballs) is the board's: the results start clean,
        # also of those the hotwash form held back (the hotwash's own "✓ recorded" and any error stay)
        board = ("check", "recorded", "curveball")
        self._parked = [(n, left) for n, left in self._parked if toast_kind(n.title, n.message) not in board]
        self._drop_toasts(board, refresh=True)
        self.show_results(message.card, message.promises, message.heading)

    def on_start_exercise(self, message: StartExercise) -> None:
        self.start_exercise(message.scenario, message.runbook)

    def on_resume_exercise(self, message: ResumeExercise) -> None:
        self.resume_exercise(message.path)

    def start_exercise(self, scenario: str, runbook: str) -> None:
        from simulator.exercise import open_pair
        from simulator.yamlsrc import LoadError

        from .exercise import ExerciseScreen

        try:
            pair = open_pair(scenario, runbook)
            path = self.output or default_output(pair.scenario.id, pair.runbook.id, self.today())
            self.session = Session.start(pair, path, wall=self.wall, stamp=self.stamp)
        except (LoadError, TranscriptError) as e:
            self.notify(str(e), title="Cannot start", severity="error", timeout=12)
            return
        except OSError as e:
            self.notify(f"{e.filename or ''}: {e.strerror or e}", title="Cannot start", severity="error", timeout=12)
            return
        self.push_screen(ExerciseScreen(self.session))
        self.notify(f"Recording to {path}", title="Exercise started", timeout=6)

    def resume_exercise(self, path: str) -> None:
        from simulator.yamlsrc import LoadError

        from .exercise import ExerciseScreen

        try:
            self.session = Session.resume(path, wall=self.wall, stamp=self.stamp)
        except (LoadError, TranscriptError) as e:
            self.notify(str(e), title="Cannot resume", severity="error", timeout=12)
            return
        self.push_screen(ExerciseScreen(self.session))

    def show_results(self, card=None, promises: list[Promise] | None = None, heading: str = "") -> None:
        from simulator.wording import Names

        from .results import ResultsScreen

        if card is None and self.session is not None:
            s = self.session
            card, promises = s.card, s.promises()
            heading = heading or ("Final scorecard" if s.ended else "Scorecard so far")
            played = s.played
            path, names = s.path, s.names
        else:
            rp, shown = self.replay, card

            def played() -> Played:
                return rp.played(shown) if rp is not None else Played(shown)

            path = self.replay_path
            names = rp.names if rp is not None else Names()
        self.push_screen(ResultsScreen(card, promises or [], played, path, heading or "Scorecard", names))

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,  # type: ignore[override]
               markup: bool = False) -> None:
        """Toasts carry file names and file text (load errors, role names): never markup, never control characters."""
        from simulator.textsafe import block, plain

        # one waiting under a form goes now (`on_notify` takes care of those showing, or on their way)
        gone = REPLACES.get(toast_kind(title, message), ())
        self._parked = [(n, left) for n, left in self._parked if toast_kind(n.title, n.message) not in gone]
        rest = {"check": f"Enter on row {title.removeprefix('Check ').split(' ')[0]}",
                "curveball": "Enter on its row"}.get(toast_kind(title, message))
        if rest is not None:  # fitted to the room over the MSEL, the rest on its row
            board = next((s.board for s in reversed(self.screen_stack) if getattr(s, "board", None) is not None), None)
            message = board.fit_toast(title, message, rest) if board is not None else message
        if severity != "error" and self._form_on_top():
            timeout = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
            n = Notification(block(message), plain(title), severity, timeout, markup=False)
            self._parked.append((n, timeout))  # "✓ #5 acknowledge" is raised as the form records, before it closes
            return
        super().notify(block(message), title=plain(title), severity=severity, timeout=timeout, markup=False)

    def on_notify(self, message: Notify) -> None:
        """A toast is about to show (App's own handler adds it next): the earlier ones it takes the place of go
        (`REPLACES`). Here, not in `notify`, so that a toast still on its way (posted, or parked under a form) is
        replaced as well."""
        new = message.notification
        self._drop_toasts(REPLACES.get(toast_kind(new.title, new.message), ()))

    def _drop_toasts(self, kinds: tuple[str, ...], refresh: bool = False) -> None:
        for n in [n for n in self._notifications if toast_kind(n.title, n.message) in kinds]:
            self._unnotify(n, refresh=refresh)  # else App's Notify handler, next, refreshes the rack
            # A toast the rack is still mounting (the board back from a form) is not yet among the toasts its refresh
            # removes, and stayed for its time beside the one that replaced it: its holder goes now.
            for screen in self.screen_stack:
                for rack in screen.query_children(ToastRack):
                    for holder in [c for c in rack.children if c.id == ToastRack._toast_id(n)]:
                        holder.remove()

    # -- toasts under a form ------------------------------------------------------------------
    # A form hides information and warning toasts (FormModal's CSS: at 80x24 they would cover its hint and Record
    # button), but a toast's time runs from when it is raised: the 3 s "✓ recorded" raised as the form records, or
    # one showing as the next form opened, ran out unseen. So they wait while a form is open and then show for the
    # time they had left (a toast raised under the form: all of it). Errors show at once, over the form.
    def _form_on_top(self) -> bool:
        try:
            return getattr(self.screen, "hides_toasts", False)
        except ScreenStackError:
            return False

    def park_toasts(self) -> None:
        """A form opened: the information and warning toasts showing wait for it to close (`show_parked_toasts`)."""
        for n in list(self._notifications):
            if n.severity != "error":
                self._parked.append((n, n.time_left))
                del self._notifications[n]
        # the screens beneath too: Textual refreshes only the top screen's toasts, and the board's showed through at
        # the form's edge (its left column's toasts at 80 columns)
        for screen in self.screen_stack:
            for rack in screen.query_children(ToastRack):
                rack.show(self._notifications)

    def show_parked_toasts(self) -> None:
        """A form closed: the toasts it hid show, each for the time it had left (a new identity: a new toast, whose
        timer starts now, not the one left beneath the form). Under another form (opened by a key typed ahead)
        they wait on."""
        if self._form_on_top():
            return
        parked, self._parked = self._parked, []
        for n, left in parked:
            self.post_message(Notify(replace(n, raised_at=n.raised_at + left - n.time_left, identity=str(uuid4()))))

    # -- app-wide actions ----------------------------------------------------------------------
    def action_help(self) -> None:
        from .help import HelpScreen  # the key map and its screen: not needed for the first frame

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_quit_ttx(self) -> None:
        """Leave ttx. From a running exercise, only once asked: a `q` typed into the board by mistake (a note
        begun before its form opened) would close the exercise in front of the candidate. `q` again leaves."""
        from .forms import Leave

        if self.session is None or self.session.ended:
            self.exit(0)
            return

        def done(leave: bool | None) -> None:
            if leave:
                self.exit(0)

        self.push_screen(Leave(f"Leave the exercise? Everything is saved; `ttx play --resume {self.session.path}` "
                                 "carries on from here. (q again: leave)"), done)

    def on_unmount(self) -> None:
        if self.session is not None:
            try:
                self.session.close()  # pauses the clock first, so a resume starts where it stood
            except OSError:
                pass

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from .help import KEYMAP

        yield from super().get_system_commands(screen)
        key = SCREEN_KEYS.get(type(screen).__name__)
        for _, title, action, help_ in KEYMAP.get(key or "", []):
            if action:
                yield SystemCommand(title, help_ or title, lambda a=action, s=screen: s.run_action(a))
        yield SystemCommand("Help: keys", "Show the key map", self.action_help)


def make_app(*, scenario: str | None = None, runbook: str | None = None, output: str | None = None,
             resume: str | None = None, replay: str | None = None, library: str | None = None,
             wall: Callable[[], float] = time.monotonic, stamp: Callable[[], str] = utc_stamp,
             today: Callable[[], datetime] = datetime.now, served: tuple[str, ...] | None = None) -> TtxApp:
    """Build the app for a picker, a new or resumed exercise, or a replay.

    Files are opened here, before any screen appears, so bad input raises
    `LoadError` / `TranscriptError` for the caller to report in one line.
    """
    if replay:
        from simulator.replay import Replay

        tr = read(replay)
        return TtxApp(replay=Replay(tr), replay_path=replay, wall=wall, stamp=stamp, today=today)
    if resume:
        return TtxApp(session=Session.resume(resume, wall=wall, stamp=stamp), wall=wall, stamp=stamp, today=today)
    if scenario:
        from simulator.exercise import open_pair

        if not runbook:
            raise TranscriptError("ttx play", "give --runbook RUNBOOK with a scenario (or no arguments for the picker)")
        pair = open_pair(scenario, runbook)
        path = output or default_output(pair.scenario.id, pair.runbook.id, today())
        return TtxApp(session=Session.start(pair, path, wall=wall, stamp=stamp), wall=wall, stamp=stamp, today=today)
    return TtxApp(library=library, output=output, wall=wall, stamp=stamp, today=today, served=served)
