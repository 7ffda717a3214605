"""The exercise screen: clock, MSEL, current inject, obligations, live scorecard and the transcript."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding

from simulator.board import BoardView, checks
from simulator.events import SCENARIO_TYPES, Event
from simulator.session import CORRECTABLE, Session, SessionError
from simulator.timing import format_span
from simulator.wording import curveball_effect, end_rule, event_line, sentence

from .board import Board, BoardScreen
from .footer import KeyFooter
from .messages import CURVEBALL, ShowResults

# key, action kind, footer label
ACTION_KEYS = [("a", "acknowledge", "Ack"), ("p", "page", "Page"), ("w", "answer", "Answer"), ("n", "notify", "Notify"), ("u", "update", "Update"),
               ("t", "act", "Act"), ("d", "decide", "Decide"), ("r", "resolve", "Resolved"), ("f", "note", "Note")]


class ExerciseScreen(BoardScreen):
    # Textual focuses the first focusable widget (the Inject panel) as the screen is composed; on_mount then
    # moved the focus to the transcript, restyling both before the first frame. Focus the transcript at once.
    AUTO_FOCUS = "#eventlog"
    # priority: each key takes effect as the app reads it, in the order typed, so a form opened by one key
    # gets the keys typed after it (held until its first field has focus), never the board beneath
    BINDINGS = [
        Binding("question_mark", "app.help", "Help", priority=True),  # first, so it shows even in a narrow footer
        Binding("space", "toggle_clock", "Run", priority=True),
        Binding("s", "step", "Step", priority=True),
        Binding("S", "step_curveball", "Step to curveball", show=False, priority=True),
        Binding("1", "speed(1)", "×1", show=False, priority=True),
        Binding("2", "speed(10)", "×10", show=False, priority=True),
        Binding("3", "speed(60)", "×60", show=False, priority=True),
        *[Binding(key, f"record('{kind}')", label, priority=True) for key, kind, label in ACTION_KEYS],
        Binding("e", "edit", "Edit", show=False, priority=True),
        Binding("x,delete", "delete", "Delete", show=False, priority=True),
        Binding("i", "read_inject", "Inject", show=False, priority=True),  # the Inject panel's border says it when needed
        # not priority: a form's Enter is the form's; the transcript's title says it, whichever panel has focus
        Binding("enter", "read_row", "Row", show=False),
        Binding("v", "results", "Score", priority=True),
        Binding("E", "end", "End", show=False, priority=True),
    ]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.board = Board(session.sc.title, session.rb.provider, session.clock, log_title="Transcript (Enter: a row in full)",
                           log_subtitle=session.path, names=session.names)

    def compose(self) -> ComposeResult:
        yield self.board
        yield KeyFooter()

    def on_mount(self) -> None:
        self.departures: dict[int, list[Any]] = {}
        self._warned: dict[int, list[str]] = {}  # seq -> what ⚠ said of it when it was written (or the exercise resumed)
        self._tracker: Any = None
        self.log_view.extend(self.session.events)
        if any(e.type in CORRECTABLE for e in self.session.events):  # a resumed exercise: its flags too
            self._flag(self.session.events)
        self.session.listeners.append(self._written)
        self.refresh_board()
        self.log_view.focus()
        self._ticker = self.set_interval(0.25, self.tick)
        r = self.session.resumed
        if r is not None and r.get("interrupted"):
            self.notify_resumed(r)
        if self.session.truncated:
            self.notify("The transcript's last line was cut off (a crash mid-write) and was dropped.",
                        title="Resumed", severity="warning", timeout=8)

    def notify_resumed(self, r: Event) -> None:
        self.app.notify(f"The exercise was interrupted while the clock ran ×{r.get('speed')}. It is rewound to "
                        f"{self.session.label(r.t)}, the last recorded moment, and paused; the transcript records the "
                        f"resume (#{r.seq}). Press space to run on.", title="Resumed", severity="warning", timeout=12)

    def on_unmount(self) -> None:
        if self._written in self.session.listeners:
            self.session.listeners.remove(self._written)

    # -- the clock ---------------------------------------------------------------------------
    def tick(self) -> None:
        if not self.session.running:
            return  # a paused clock changes nothing on screen
        try:
            self.session.tick()  # new events arrive through _written
        except OSError as e:
            self._io_error(e)
        self.refresh_board()

    def _written(self, events: list[Event]) -> None:
        """Called once events are on disk: only now does the screen show them."""
        self.log_view.extend(events)
        if any(e.type in CORRECTABLE or e.type == "retract" for e in events):
            self._flag(events)
        self.refresh_board()
        self._announce([e for e in events if e.type in ("curveball", "curveball_end")])
        if any(e.type == "end" and e.get("reason") == "horizon" for e in events):
            self.app.notify("The scenario's horizon is reached: the exercise has ended. Press v for the scorecard.",
                            title="End", timeout=10)

    def _announce(self, happened: list[Event]) -> None:
        """A curveball is for the room to hear, like an inject: said as it starts or ends, also when the clock ran
        or a step went past it (a step goes from inject to inject), not only as a transcript row."""
        if not happened:
            return
        s, lines = self.session, []
        for e in happened:
            cb = s.names.curveballs.get(str(e.get("id"))) if e.type == "curveball" else None
            said = (f"{cb.message}: {curveball_effect(e, s.clock, s.names)}" if cb is not None and cb.message
                    else event_line(e, s.clock, s.names))  # the MSEL's words, then what it does; else the row's
            lines.append(f"{s.clock.label(e.t)} {said}")
        self.app.notify("\n".join(lines), title=CURVEBALL, timeout=10)

    def _flag(self, new: list[Event]) -> None:
        """Where the answers depart from the runbook: marked in the transcript, counted on the scorecard.
        Judged as the report judges them (scoring.departures, in simulated-time order): answers arriving
        after all judged so far are fed on (constant time per key press); one stamped earlier, or a
        withdrawal, has everything judged again."""
        from scoring.departures import judged, order

        s = self.session
        again = self._tracker is None or not all(e.type != "retract" and self._tracker.follows(e) for e in new)
        if again:
            self._tracker = judged(s.sc, s.rb, s.events)
            found, self.departures, self.log_view.flags = self._tracker.found, {}, {}
        else:  # only the new answers' own rows gain flags, and they are not drawn yet
            assert self._tracker is not None
            found = [d for e in sorted(new, key=order) for d in self._tracker.feed(e)]
        for d in found:
            self.departures.setdefault(d.seq, []).append(d)
        self.log_view.flag({d.seq: [x.aspect for x in self.departures[d.seq]] for d in found}, redraw=again)
        # and the answers to check at once (⚠): the row keeps what a toast said once a newer one takes its place, and
        # Enter on it says it again as it was judged then (the card just after it was written, as replay judges it)
        warned = s.warned(new)
        self._warned.update(warned)
        self.log_view.warn(set(warned))

    def view(self) -> BoardView:
        """The board as the live session stands now."""
        s = self.session
        nxt = s.next_inject_time()
        if not s.started:
            note = "space: run · s: first inject"
        elif nxt is not None and not s.ended:
            left = nxt - s.now
            note = f"next inject in {format_span(left - left % 60) if left >= 60 else format_span(left)}"
        elif not s.ended:
            note = "no inject left"  # `s` now asks before it steps to the horizon
        else:
            note = ""
        last = s.last_inject()
        return BoardView(s.label(), s.mode, note, s.current_inject(), last.t if last is not None else None,
                         s.timeline(), s.obligations(), s.card, s.promises(), len(self._tracker.found) if self._tracker else 0,
                         s.now)

    def refresh_board(self) -> None:
        self.board.show(self.view())

    def _io_error(self, e: OSError) -> None:
        self.app.notify(f"Cannot write the transcript: {e}", title="Not recorded", severity="error", timeout=15)

    def _clock(self, fn: Any) -> None:
        try:
            fn()
        except SessionError as e:
            self.app.notify(str(e), severity="warning")
        except OSError as e:
            self._io_error(e)
        self.refresh_board()

    def action_toggle_clock(self) -> None:
        self._clock(self.session.toggle)

    def action_speed(self, speed: int) -> None:
        self._clock(lambda: self.session.run(speed))

    def action_step_curveball(self) -> None:
        """`s`, stopping at a curveball's start or end on the way ("the IC's phone goes to do-not-disturb": now)."""
        s = self.session
        if not s.ended and s.started and s.next_stop(curveballs=True) != s.next_inject_time():
            self._clock(lambda: s.step(curveballs=True))
            return
        self.action_step()  # no curveball before the next inject: as `s` (which asks before the horizon)

    def action_step(self) -> None:
        s = self.session
        if s.ended or not s.started or s.next_inject_time() is not None:
            self._clock(s.step)
            return

        # No inject is left to read (the last one delivered, or held: its condition no longer holds): a step goes to
        # the horizon and ends the exercise, what is due by then and not done missed. One `s` too many must not.
        def done(yes: bool | None) -> None:
            if yes:
                self._clock(s.step)

        from .forms import Confirm

        self.app.push_screen(Confirm(f"No inject is left to read. Step to the horizon ({s.label(s.horizon)}) and end the "
                                     f"exercise? {sentence(end_rule())}."), done)

    # -- recording ---------------------------------------------------------------------------
    def _submit(self, kind: str, when: str, fields: dict[str, Any], amend: int | None = None, at: int | None = None,
                after: int | None = None) -> str | None:
        """Record what the form says; `at` is the simulated now when the form opened (the moment it was said),
        `after` the time its When started at (where the candidate's account stood)."""
        try:
            if amend is None:
                written = self.session.record(kind, when, at=at, after=after, **fields)
            else:
                written = self.session.amend(amend, kind, when, at=at, **fields)
        except SessionError as e:
            return str(e)
        except OSError as e:
            return f"cannot write the transcript: {e}"
        # the event the form was for (a page, not the answer written with it; the acknowledge, not its answer)
        main = next((e for e in written if e.type == kind), written[-1])
        said = f"#{main.seq} {kind}"
        # Recorded as said; what the facilitator may push back on comes in the same toast (and Enter on the row
        # shows it again: `checks`)
        checks = list(dict.fromkeys(c for e in written for c in self.checks(e)))
        if checks:
            self.app.notify("\n".join(checks), title=f"Check {said} with the candidate", severity="warning", timeout=10)
        else:
            self.app.notify(f"✓ {said} at {self.session.clock.label(main.t)}", timeout=3)
        return None

    def checks(self, event: Event) -> list[str]:
        """What to push back on about a recorded action: a role it cannot reach, a message not delivered (⚠), and
        where it departs from the runbook (⚑)."""
        if event.type in SCENARIO_TYPES:
            return []
        return checks(self._warned.get(event.seq, []), self.departures.get(event.seq, []))

    def _defaults(self, kind: str, at: int | None = None) -> dict[str, Any]:
        """The entry the facilitator most likely means, from the state of the exercise (one key and Enter), as it
        stands at `at` (where the form's entry will land), else now."""
        from simulator.suggest import suggest

        s = self.session
        waiting = sorted((o for o in s.obligations() if o.urgency != "done"), key=lambda o: (o.due is None, o.due or 0))
        return suggest(kind, s.sc, s.rb, s.world, s.events, [o.id for o in waiting], s.now if at is None else at)

    def action_record(self, kind: str) -> None:
        if self.session.ended:
            self.app.notify("The exercise has ended; nothing more can be recorded.", severity="warning")
            return
        from .forms import ActionForm  # forms load on first use, not before the first frame

        try:
            self.session.tick()  # deliver what the clock has passed, so "now" is what the board shows
        except OSError as e:
            self._io_error(e)
        opened = self.session.now
        # After an entry placed ahead of the clock ("+20m: we acknowledge"), "then we call Dana" means after it: the
        # form starts where the account has got to. And what the form offers to have done by someone whose page is
        # still to be answered ("he calls back in 15m; he revokes the sessions") is done once they have answered,
        # not before, where it would be flagged. The form says why When is not "now"; `now` is one word away.
        anchor = self.session.ahead()
        at = opened if anchor is None else anchor.t
        values = self._defaults(kind, at)
        doer = values.get("by") if kind in ("act", "decide", "notify", "update") else None
        answer = self.session.first_answer(str(doer)) if doer else None
        if answer is not None and answer.t > at:
            anchor, at = answer, answer.t
        when, hint = "now", ""
        if anchor is not None:
            there, here = self.session.clock.label(at), self.session.clock.label(opened)
            if there.split()[0] == here.split()[0]:  # the same day: once is enough (one line at 80 columns)
                here = here.split()[-1]
            when = f"+{format_span(at - opened)}"
            hint = f"as #{anchor.seq} {anchor.type} ({there}) · now {here}"
        self.app.push_screen(ActionForm(kind, self.session.choices(), lambda k, w, f: self._submit(k, w, f, at=opened, after=at),
                                        values=values, when=when, when_hint=hint, now_label=self.session.label(opened)))

    def action_edit(self) -> None:
        e = self.log_view.selected
        from .forms import FIELDS, ActionForm

        if e is None or e.type not in FIELDS or e.type not in CORRECTABLE or e.seq in self.session.retracted:
            self.app.notify("Select one of the recorded actions (✎) in the transcript to edit it.", severity="warning")
            return
        values = dict(e.data)
        if e.type == "decide":
            values["decision"] = e.get("decision")
        if e.type == "page" and isinstance(e.get("answers_at"), int):
            values["answers"] = f"+{format_span(int(e.get('answers_at')) - e.t)}" if e.get("answers_at") != e.t else "now"
        offset = e.t - self.session.now
        when = "now" if offset == 0 else (f"+{format_span(offset)}" if offset > 0 else f"-{format_span(-offset)}")
        opened = self.session.now
        self.app.push_screen(ActionForm(e.type, self.session.choices(),
                                        lambda k, w, f: self._submit(k, w, f, amend=e.seq, at=opened), values=values, when=when,
                                        title=f"Edit #{e.seq} {e.type} (the original stays, withdrawn)",
                                        now_label=self.session.label(opened)))

    def action_delete(self) -> None:
        e = self.log_view.selected
        if e is None or e.type not in CORRECTABLE or e.seq in self.session.retracted:
            self.app.notify("Select one of the recorded actions (✎) in the transcript to delete it.", severity="warning")
            return

        def done(yes: bool | None) -> None:
            if yes:
                try:
                    r = self.session.retract(e.seq, "deleted")[0]  # a page's answer is withdrawn with it
                    self.app.notify(f"#{e.seq} withdrawn by #{r.seq}", title="Recorded")
                except (SessionError, OSError) as err:
                    self.app.notify(str(err), severity="error")

        from .forms import Confirm

        self.app.push_screen(Confirm(f"Withdraw #{e.seq} ({e.type})? The line stays in the transcript, marked withdrawn."), done)

    # -- moving on ---------------------------------------------------------------------------
    def action_results(self) -> None:
        self.post_message(ShowResults())

    def action_end(self) -> None:
        def hotwash(said: dict[str, str] | None) -> None:
            # each item its own note, so the report lists them one by one; one toast for them all (a toast per
            # note piled up over the results), and a failure said, never dropped
            items = [(kind, item) for kind, text in (said or {}).items() for item in (x.strip() for x in text.split(";")) if item]
            try:
                for kind, item in items:
                    self.session.record("note", "now", text=item, hotwash=kind)
            except (SessionError, OSError) as e:
                self.app.notify(f"The hotwash was not all recorded: {e}", title="Not recorded", severity="error", timeout=15)
            else:
                if items:
                    self.app.notify(f"✓ hotwash recorded: {len(items)} item{'s' if len(items) != 1 else ''}", timeout=4)
            self._clock(lambda: self.session.end("stopped"))
            self.post_message(ShowResults())

        def done(yes: bool | None) -> None:
            if yes:
                self.app.push_screen(Hotwash(), hotwash)
            elif was_running:
                self._clock(self.session.run)  # not ended after all: on at the same speed

        from .forms import Confirm, Hotwash

        if self.session.ended:
            self.post_message(ShowResults())
            return
        # The clock stops while the room decides and holds its hotwash: the exercise ends at the moment E was
        # pressed, not minutes of typing later (at ×60 a two-minute hotwash would cost two hours of updates).
        was_running = self.session.running
        if was_running:
            self._clock(self.session.pause)
        self.app.push_screen(Confirm(f"End the exercise now? {sentence(end_rule('now'))}. "
                                     "(The clock is stopped while you decide.)"), done)
