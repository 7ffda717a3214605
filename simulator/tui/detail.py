"""Read-aloud views: the current inject in full (from the board), one transcript row in full (Enter on it), one
obligation in full and the whole transcript in time order (from the results)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from scoring.judge import Result
from scoring.scorecard import Scorecard
from simulator import model as m
from simulator.board import describe
from simulator.events import EVALUATION, SCENARIO_TYPES, Event
from simulator.timing import Clock
from simulator.wording import Names, obligation_words, reason_words

from .eventlog import EventLog
from .footer import KeyFooter
from .injectpanel import InjectPanel
from .modal import Modal
from .text import STATUS_STYLE, lit, lit_block, span


class InjectReader(Modal[None]):
    """The whole inject on the whole width of the screen, to read aloud (`i` on the board): at 80x24 the board's
    panel shows a third of most shipped injects; here all but the longest fit, and those scroll (↑ ↓)."""
    DEFAULT_CSS = """
    InjectReader InjectPanel { width: 100%; max-width: 100; height: auto; max-height: 100%; border: thick $accent;
                               background: $surface; }
    InjectReader InjectPanel:focus-within { border: thick $accent; }
    """

    BINDINGS = [Binding("escape,enter,q,i", "close", "Close")]

    def __init__(self, inject: m.Inject, clock: Clock, at: int | None):
        super().__init__()
        self.inject, self.clock, self.at = inject, clock, at

    def compose(self) -> ComposeResult:
        panel = InjectPanel(id="inject-full")
        panel.more_key = "↓"
        panel.show(self.inject, self.clock, self.at)
        yield panel

    def on_mount(self) -> None:
        panel = self.query_one(InjectPanel)
        panel.border_title = f"{panel.border_title}  (Esc to close)"
        panel.focus()

    def action_close(self) -> None:
        self.dismiss(None)


class EntryReader(Modal[None]):
    """One transcript row in full, wrapped (Enter on the row): at 80 columns a row is cut at the panel's edge, and
    what an answer departs from is what the facilitator reads back to the candidate."""
    DEFAULT_CSS = """
    #entry { width: 100%; max-width: 100; height: auto; max-height: 100%; border: thick $accent; background: $surface;
             padding: 0 1; }
    """

    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, event: Event, clock: Clock, names: Names | None = None, *, withdrawn_by: Event | None = None,
                 checks: Sequence[str] = ()):
        super().__init__()
        self.event, self.clock, self.names = event, clock, names
        self.withdrawn_by, self.checks = withdrawn_by, checks

    def compose(self) -> ComposeResult:
        e, clock = self.event, self.clock
        who = "· from the scenario and its clock" if e.type in SCENARIO_TYPES else "✎ recorded"
        parts: list[Content | str | tuple[str, str]] = [
            (clock.label_zone(e.t), "bold"), (f"  {who}", "$text-muted"), "\n\n", lit_block(describe(e, clock, self.names))]
        if isinstance(e.get("stamped"), int) and e.get("stamped") != e.t:
            parts += ["\n", (f"said at {clock.label(int(e.get('stamped')))}", "$text-muted")]
        candidate = ", ".join(str(e.get(k)) for k in ("confidence", "basis") if e.get(k))
        if candidate:
            parts += ["\n\n", ("Candidate  ", "bold"), lit(candidate)]
        if e.get(EVALUATION[-1]):
            parts += ["\n", ("Evaluator  ", "bold"), lit_block(e.get(EVALUATION[-1]))]
        if self.checks:
            parts.append(("\n\nCheck with the candidate", "bold $warning"))
            parts += [x for c in self.checks for x in ("\n", lit(c))]
        if self.withdrawn_by is not None:
            parts += ["\n\n", (f"Withdrawn by #{self.withdrawn_by.seq}", "bold $warning"),
                      lit(f" ({self.withdrawn_by.get('why')})" if self.withdrawn_by.get("why") else "")]
        with VerticalScroll(id="entry"):
            yield Static(Content.assemble(*parts), id="entry-body")

    def on_mount(self) -> None:
        self.query_one("#entry").border_title = f"#{self.event.seq} {self.event.type}  (Esc to close)"

    def action_close(self) -> None:
        self.dismiss(None)


class ObligationDetail(Modal[None]):
    """Everything about one obligation, wrapped to the screen: nothing is cut off."""
    DEFAULT_CSS = """
    #detail { width: 90%; max-width: 110; height: auto; max-height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    """


    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, card: Scorecard, result: Result, events: Sequence[Event] | None, names: Names | None = None):
        super().__init__()
        self.card, self.result, self.events = card, result, events
        self.names = names or Names()

    def compose(self) -> ComposeResult:
        r, clock = self.result, self.card.scenario.clock()

        def at(t: int | None) -> str:
            return "—" if t is None else f"{clock.label(t)} (+{span(t)})"

        parts: list[Content | str | tuple[str, str]] = [
            lit(obligation_words(r.kind, r.target, self.names), "bold $accent"), ("  ", ""), lit(r.id, "$text-muted"), ("\n\n", ""),
            ("status  ", "$text-muted"), (r.status_summary(), f"bold {STATUS_STYLE.get(r.status, '')}".strip()),
            (f"   credit {r.credit:.2f} of weight {r.weight:g}", "$text-muted"), "\n",
            ("due     ", "$text-muted"), at(r.due), "\n", ("done    ", "$text-muted"), at(r.done_at), "\n\n",
            ("Why\n", "bold"), lit_block(reason_words(r.kind, r.target, r.reason))]
        if r.penalties:
            parts += [("\n\nHalf credit\n", "bold")] + [x for p in r.penalties for x in (" • ", lit(p), "\n")]
        if r.windows:
            parts.append(("\n\nUpdate windows\n", "bold"))
            for n, w in enumerate(r.windows, 1):
                parts.append(Content.assemble(f" {n:>2}. due {clock.label(w.due)}  done {at(w.done_at)}  ",
                                              (w.status, STATUS_STYLE.get(w.status, "")), f"  {w.credit:.2f}\n"))
            if r.more_open_windows:  # the cadence projected past the stop: counted in the reason, not listed
                parts.append((f"     and {r.more_open_windows} more, open (see Why)\n", "$text-muted"))
        if r.evidence:
            by_seq = {e.seq: e for e in self.events or ()}
            parts.append(("\n\nEvidence\n", "bold"))
            for seq in r.evidence:
                e = by_seq.get(seq)
                parts += [f" #{seq} ", lit(f"{clock.label(e.t)} {describe(e, clock, self.names)}" if e is not None else ""), "\n"]
        with VerticalScroll(id="detail"):
            yield Static(Content.assemble(*parts), id="detail-body")

    def on_mount(self) -> None:
        self.query_one("#detail").border_title = "Obligation  (Esc to close)"

    def action_close(self) -> None:
        self.dismiss(None)


class TranscriptView(Screen):
    """The transcript sorted by simulated time (what happened when), or in the order it was recorded."""
    DEFAULT_CSS = """
    TranscriptView EventLog, TranscriptView.-short EventLog { height: 1fr; }  /* the whole screen, at 80x24 too */
    """


    BINDINGS = [Binding("question_mark", "app.help", "Help"), Binding("escape", "back", "Back"),
                Binding("o", "order", "Order")]

    def __init__(self, events: list[Event], path: str, clock: Clock, names: Names | None = None):
        super().__init__()
        self.events, self.path = events, path
        self.by_time = True
        self.log_view = EventLog(clock, names=names, follow=False, id="eventlog")

    def compose(self) -> ComposeResult:
        yield self.log_view
        yield KeyFooter()

    def on_mount(self) -> None:
        self._load()
        self.log_view.focus()

    def _load(self) -> None:
        events = sorted(self.events, key=lambda e: (e.t, e.seq)) if self.by_time else list(self.events)
        self.log_view.load(events, None)
        self.log_view.action_cursor_to(0)
        order = "by simulated time" if self.by_time else "in the order recorded"
        self.log_view.border_title = f"Transcript, {order} (o: the other order; Enter: a row in full)"
        self.log_view.border_subtitle = self.path

    def action_order(self) -> None:
        self.by_time = not self.by_time
        self._load()

    def on_event_log_read(self, message: EventLog.Read) -> None:
        self.app.push_screen(EntryReader(message.event, self.log_view.clock, self.log_view.names,
                                         withdrawn_by=message.withdrawn_by))

    def action_back(self) -> None:
        self.app.pop_screen()
