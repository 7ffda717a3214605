"""The Week view (SPEC section 12): the heat map of `ttx stress`, for showing the candidate in the room.

Opened from the results screen. It first plays every hour of the scenario's week as stated (168
plays, well under a second), then `s` samples nights with chance (the documented default model)
in a worker thread, so the screen stays live. The text is the same as `ttx stress` prints.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from scoring.stress_report import render_text
from simulator import model as m
from simulator.stress import aggregate, run, sweep
from simulator.stress.model import DEFAULT

from .footer import KeyFooter
from .text import lit, lit_block

SAMPLES = 20  # nights per start when sampling here: about 3,400 plays, seconds rather than a minute


class WeekScreen(Screen):
    DEFAULT_CSS = """
    #week { height: 1fr; scrollbar-size-horizontal: 1; padding: 0 1; }
    #week-body { width: auto; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("s", "sample", f"Sample {SAMPLES} nights"),
    ]

    def __init__(self, scenario: m.Scenario, runbook: m.Runbook):
        super().__init__()
        self.scenario, self.runbook = scenario, runbook
        self.starts, self.skipped = sweep.week(scenario.starts, scenario.timezone)
        self.busy = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="week"):
            yield Static(lit("Playing every hour of the week as stated…"), id="week-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#week").border_title = "Week: every hour, as stated"
        self.compute(0)

    def plan(self, samples: int) -> run.Plan:
        return run.Plan(self.scenario, self.runbook, DEFAULT, self.starts, samples, 0, None, self.skipped)

    @work(thread=True, exclusive=True)
    def compute(self, samples: int) -> None:
        plan = self.plan(samples)

        def progress(done: int) -> None:
            if samples:
                self.app.call_from_thread(self.set_title, f"Week: sampling… {done:,}/{plan.plays:,} plays")

        result = aggregate.result(plan, run.tallies(plan, 1, progress))
        title = (f"Week: every hour × {samples} sampled nights (default stress model)" if samples
                 else "Week: every hour, as stated (s: sample nights with chance)")
        self.app.call_from_thread(self.show, render_text(result), title)

    def set_title(self, title: str) -> None:
        self.query_one("#week").border_title = title

    def show(self, text: str, title: str) -> None:
        self.busy = False
        self.query_one("#week-body", Static).update(lit_block(text))
        self.set_title(title)

    def action_sample(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.set_title(f"Week: sampling {SAMPLES} nights per start…")
        self.compute(SAMPLES)

    def action_back(self) -> None:
        self.app.pop_screen()
