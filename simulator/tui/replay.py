"""`ttx replay`: step through a recorded exercise (auto or live), read-only, watching the scorecard."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simulator.board import BoardView, checks
from simulator.events import Event
from simulator.replay import Replay

from .board import Board, BoardScreen
from .footer import KeyFooter
from .messages import ShowResults
from .modal import Modal
from .text import lit


class JumpToInject(Modal[int | None]):
    DEFAULT_CSS = """
    #jump-list { width: 60; max-width: 100%; height: auto; max-height: 80%; background: $surface; padding: 0 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, replay: Replay):
        super().__init__()
        self.replay = replay

    def compose(self) -> ComposeResult:
        opts = [Option(lit(f"{self.replay.clock.label(t)}  {iid}"), id=str(pos)) for pos, iid, t in self.replay.inject_positions()]
        ol = OptionList(*opts, id="jump-list")
        ol.border_title = "Jump to inject"
        yield ol

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReplayScreen(BoardScreen):
    READ_KEY = "o"  # `i` jumps to an inject here
    BINDINGS = [
        Binding("question_mark", "app.help", "Help"),  # first, so it shows even in a narrow footer
        # priority: these move through time, whichever panel has focus
        Binding("right", "step(1)", "Next", priority=True),
        Binding("left", "step(-1)", "Back", priority=True),
        Binding("pagedown,shift+right", "step(10)", "+10", show=False, priority=True),
        Binding("pageup,shift+left", "step(-10)", "-10", show=False, priority=True),
        Binding("home", "goto(0)", "Start", show=False, priority=True),
        Binding("end", "goto(-1)", "End", show=False, priority=True),
        Binding("]", "inject(1)", "Next inject"),
        Binding("[", "inject(-1)", "Prev inject", show=False),
        Binding("i", "jump", "Jump"),
        Binding("o", "read_inject", "Inject", show=False),  # the Inject panel's border says it when needed
        Binding("enter", "read_row", "Row", show=False),  # the transcript's title says it; whichever panel has focus
        Binding("v", "results", "Scorecard"),
    ]

    def __init__(self, replay: Replay, path: str):
        super().__init__()
        self.replay = replay
        self.path = path
        self.board = Board(replay.sc.title, replay.rb.provider, replay.clock, log_title="Transcript (replay, read-only; Enter: a row in full)",
                           log_subtitle=path, score_title="Scorecard at this moment",
                           names=replay.names)
        self.pos = len(replay)
        self.marks = replay.inject_positions()

    def compose(self) -> ComposeResult:
        yield self.board
        yield KeyFooter()

    def on_mount(self) -> None:
        self.log_view.load(self.replay.events, self.pos)
        # the answers that depart from the runbook, marked as the live board marked them (a row shows only once reached)
        # and the answers to check at once (⚠: a role out of reach, a message not delivered), by the live board's rule
        self.log_view.warn(set(self.replay.warned))
        self.log_view.flag({seq: [d.aspect for d in flags] for seq, flags in self.replay.departures.items()})
        self.show()

    def view(self) -> BoardView:
        """The board as the recording stood after event `pos`."""
        rp, pos = self.replay, self.pos
        t = next((t for p, _, t in reversed(self.marks) if p <= pos), None)
        return BoardView(rp.clock.label_zone(rp.now(pos)), "replay", f"event {pos}/{len(rp)} · {rp.mode}", rp.current_inject(pos), t,
                         rp.timeline(pos), rp.obligations(pos), rp.card(pos), rp.promises(pos), rp.departures_at(pos),
                         rp.now(pos))

    def checks(self, event: Event) -> list[str]:
        """What the live board said to check about a recorded answer (Enter on its row): ⚠ and ⚑."""
        return checks(self.replay.warned.get(event.seq, []), self.replay.departures.get(event.seq, []))

    def show(self) -> None:
        self.log_view.set_limit(self.pos)
        self.board.show(self.view())

    def action_step(self, delta: int) -> None:
        self.pos = max(0, min(len(self.replay), self.pos + delta))
        self.show()

    def action_goto(self, pos: int) -> None:
        self.pos = len(self.replay) if pos < 0 else pos
        self.show()

    def action_inject(self, direction: int) -> None:
        marks = [p for p, _, _ in self.marks]
        if direction > 0:
            nxt = next((p for p in marks if p > self.pos), None)
        else:
            nxt = next((p for p in reversed(marks) if p < self.pos), None)
        if nxt is not None:
            self.action_goto(nxt)

    def action_jump(self) -> None:
        def done(pos: int | None) -> None:
            if pos is not None:
                self.action_goto(pos)

        self.app.push_screen(JumpToInject(self.replay), done)

    def action_results(self) -> None:
        self.post_message(ShowResults(self.replay.card(self.pos), self.replay.promises(self.pos),
                                      heading=f"Scorecard after event {self.pos}/{len(self.replay)}"))
