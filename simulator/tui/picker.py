"""The library picker (`ttx play` with no arguments): shipped scenarios and runbooks, or files by path."""

from __future__ import annotations

import os

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from simulator.library import Entry, empty_reason, entries, library_dir

from .footer import KeyFooter
from .forms import AskText
from .messages import ResumeExercise, StartExercise
from .text import lit


def entry_prompt(e: Entry) -> Content:
    if e.error:
        return Content.assemble(lit(os.path.basename(e.path), "bold $error"), "\n", lit(e.error, "$error"))
    parts: list[Content | str | tuple[str, str]] = [lit(e.title, "bold"), "\n", lit(f"{e.id} · {e.detail}", "$text-muted")]
    if e.summary:
        summary = e.summary if len(e.summary) <= SUMMARY else e.summary[: SUMMARY - 1].rstrip() + "…"
        parts += ["\n", lit(summary, "italic")]
    return Content.assemble(*parts)


SUMMARY = 110  # characters of a summary in the list: two or three lines at 80 columns


class PickerScreen(Screen):
    DEFAULT_CSS = """
    #picker-head { height: 1; dock: top; background: $panel; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    #picker-lists { height: 1fr; }
    #picker-lists OptionList {
        height: 1fr;
        border: round $primary-darken-1;
        border-title-color: $accent;
        border-title-style: bold;
    }
    #picker-lists OptionList:focus { border: round $accent; }
    #picker-lists OptionList > .option-list--option { padding: 0 1; }
    #picker-status { height: auto; padding: 0 1; background: $panel; }
    """

    BINDINGS = [
        Binding("question_mark", "app.help", "Help"),
        Binding("enter", "start", "Start", show=True),
        Binding("o", "open_path", "Open file…"),
        Binding("R", "resume_path", "Resume…"),
        Binding("tab", "app.focus_next", "Switch list", show=False),
    ]

    def __init__(self, library: str | None = None):
        super().__init__()
        self.library = library
        self.items: list[Entry] = entries(library)
        self.scenario: str | None = None
        self.runbook: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("ttx", "bold $accent"), ("  tabletop incident exercises", "$text-muted"),
                                      ("   library ", "$text-muted"), lit(str(library_dir(self.library)))), id="picker-head")
        with Horizontal(id="picker-lists"):
            with Vertical():
                yield self._list("scenario", "Scenarios")
            with Vertical():
                yield self._list("runbook", "Runbooks")
        yield Static("", id="picker-status")
        yield KeyFooter()

    def _list(self, kind: str, title: str) -> OptionList:
        opts: list[Option | None] = []
        for e in (e for e in self.items if e.kind == kind):
            if opts:
                opts.append(None)  # a separator line between entries
            opts.append(Option(entry_prompt(e), id=e.path))
        ol = OptionList(*opts, id=f"{kind}-list", markup=False)
        ol.border_title = f"{title} ({sum(1 for o in opts if o is not None)})"
        return ol

    def on_mount(self) -> None:
        sc = self.query_one("#scenario-list", OptionList)
        rb = self.query_one("#runbook-list", OptionList)
        for ol in (sc, rb):
            if ol.option_count:
                ol.highlighted = 0
        first = lambda kind: next((e.path for e in self.items if e.kind == kind and not e.error), None)  # noqa: E731
        self.scenario, self.runbook = first("scenario"), first("runbook")
        sc.focus()
        self.show_status()

    def show_status(self) -> None:
        missing = next((k for k in ("scenario", "runbook") if not any(e.kind == k for e in self.items)), None)
        if missing and not (self.scenario and self.runbook):  # an empty list says why, and what to do
            self.query_one("#picker-status", Static).update(Content.assemble(
                lit(empty_reason(self.library, missing), "$warning"), ("   o: open a file by path", "$accent")))
            return
        ids = {e.path: e.id for e in self.items if not e.error}

        def name(p: str | None) -> str:
            if not p:
                return "—"
            return ids.get(p) or p  # a library entry by its id, a file opened by path as typed
        self.query_one("#picker-status", Static).update(Content.assemble(
            ("Scenario ", "$text-muted"), lit(name(self.scenario), "bold"), ("   Runbook ", "$text-muted"),
            lit(name(self.runbook), "bold"), ("   Enter: start", "$accent")))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        path = event.option.id
        if event.option_list.id == "scenario-list":
            self.scenario = path
        else:
            self.runbook = path
        self.show_status()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "scenario-list":
            self.query_one("#runbook-list", OptionList).focus()
        else:
            self.action_start()

    def action_start(self) -> None:
        if not self.scenario or not self.runbook:
            self.app.notify("Choose a scenario and a runbook first.", severity="warning")
            return
        self.post_message(StartExercise(self.scenario, self.runbook))

    def action_open_path(self) -> None:
        def done(path: str | None) -> None:
            if not path:
                return
            refused = self.app.may_open(path)  # type: ignore[attr-defined]
            if refused:
                self.app.notify(refused, title="Cannot open", severity="error", timeout=10)
                return
            from simulator.loading import load
            from simulator.yamlsrc import LoadError

            try:
                kind = load(path).kind
            except LoadError as e:
                self.app.notify(str(e), title="Cannot open", severity="error", timeout=10)
                return
            if kind == "scenario":
                self.scenario = path
            elif kind == "runbook":
                self.runbook = path
            else:
                self.app.notify(f"{path} is a {kind}, not a scenario or runbook", severity="warning")
            self.show_status()

        self.app.push_screen(AskText("Open a scenario or runbook file (path):"), done)

    def action_resume_path(self) -> None:
        def done(path: str | None) -> None:
            refused = path and self.app.may_open(path)  # type: ignore[attr-defined]
            if refused:
                self.app.notify(refused, title="Cannot resume", severity="error", timeout=10)
            elif path:
                self.post_message(ResumeExercise(path))

        self.app.push_screen(AskText("Resume a live transcript (path to .ttx.jsonl):"), done)
