"""The key map, as a help screen and as command palette entries (one list, so they never disagree)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from .modal import Modal

# screen name -> (key, title, action, help)
KEYMAP: dict[str, list[tuple[str, str, str, str]]] = {
    "exercise": [
        ("space", "Run / pause the clock", "toggle_clock", "Start or pause the simulated clock"),
        ("1", "Run the clock in real time (×1)", "speed(1)", "Simulated time passes as fast as real time"),
        ("2", "Run the clock ten times faster (×10)", "speed(10)", "Ten simulated minutes a real minute"),
        ("3", "Run the clock sixty times faster (×60)", "speed(60)", "A simulated hour a real minute"),
        ("s", "Step to the next inject", "step", "Jump the clock to the next inject, deliver it and pause"),
        ("S", "Step to the next inject or curveball", "step_curveball",
         "As s, but stop at a curveball's start or end on the way, to play it at its own time"),
        ("a", "Record: acknowledge", "record('acknowledge')", "The candidate acknowledges / declares the incident"),
        ("p", "Record: page / engage a role", "record('page')", "A role is paged, and when it answers"),
        ("w", "Record: a role answers", "record('answer')", "A paged role (or its backup) calls back now or +20m"),
        ("n", "Record: notify a stakeholder", "record('notify')", "A first message to a stakeholder"),
        ("u", "Record: update a stakeholder", "record('update')", "A status update to a stakeholder"),
        ("t", "Record: act (a task is done)", "record('act')", "A playbook task is done (now or +20m)"),
        ("d", "Record: decide", "record('decide')", "A decision is taken, and by whom"),
        ("r", "Record: service restored", "record('resolve')", "The incident is resolved"),
        ("f", "Record: facilitator note", "record('note')", "Free text for the after-action report"),
        ("↑ ↓", "Select an event in the transcript", "", ""),
        ("Enter", "Read the selected transcript row in full", "read_row",
         "The row wrapped, with what to check with the candidate (⚑ departures, ⚠ warnings)"),
        ("e", "Edit the selected action", "edit", "A correction: the original is withdrawn, a new event recorded"),
        ("x / Del", "Delete the selected action", "delete", "Withdraws it; the line stays in the transcript"),
        ("i", "Read the inject in full", "read_inject", "The current inject and its questions on the whole screen"),
        ("v", "Scorecard and exports", "results", "The scorecard so far, findings, exports"),
        ("E", "End the exercise", "end", "Stop here: what falls due later stays open, not scored"),
    ],
    "replay": [
        ("→", "Next event", "step(1)", "Step forward one event"),
        ("←", "Previous event", "step(-1)", "Step back one event"),
        ("PgDn", "Ten events forward", "step(10)", ""),
        ("PgUp", "Ten events back", "step(-10)", ""),
        ("Home", "First event", "goto(0)", "Before anything happened"),
        ("End", "Last event", "goto(-1)", "The end of the exercise"),
        ("]", "Next inject", "inject(1)", "Jump to the next inject"),
        ("[", "Previous inject", "inject(-1)", "Jump to the previous inject"),
        ("i", "Jump to an inject…", "jump", "Choose an inject to jump to"),
        ("o", "Read the inject in full", "read_inject", "The inject at this moment and its questions on the whole screen"),
        ("Enter", "Read the selected transcript row in full", "read_row", "The event stepped to (← → move), wrapped"),
        ("v", "Scorecard at this moment", "results", "The scorecard as it stood after this event"),
    ],
    "picker": [
        ("↑ ↓", "Choose a scenario / runbook", "", ""),
        ("Tab", "Switch between the lists", "", ""),
        ("Enter", "Start the exercise", "start", "Play the chosen scenario against the chosen runbook"),
        ("o", "Open a file by path…", "open_path", "A scenario or runbook outside the library"),
        ("R", "Resume a transcript…", "resume_path", "Continue an interrupted live exercise"),
    ],
    "results": [
        ("Enter", "The selected obligation in full", "detail", "Due, done, credit and the whole reason, to read aloud"),
        ("l", "Transcript by time", "transcript", "Every event sorted by simulated time (o: recording order; Enter: a row in full)"),
        ("j", "Export JSON", "export('json')", "Scorecard and transcript as JSON, next to the transcript"),
        ("c", "Export CSV", "export('csv')", "One row per obligation"),
        ("m", "Export Markdown report", "export('md')", "After-action report"),
        ("h", "Export HTML report", "export('html')", "Self-contained after-action report"),
        ("w", "The week", "week", "This pair started at every hour of the week: score and SLA held (SPEC section 12)"),
        ("Esc", "Back", "back", ""),
    ],
    "everywhere": [
        ("?", "Help (this screen)", "", ""),
        ("ctrl+p", "Command palette", "", ""),
        ("q", "Quit (the transcript is already saved)", "", ""),
    ],
}


class HelpScreen(Modal[None]):
    DEFAULT_CSS = """
    #help { width: 72; max-width: 100%; height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    """

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        parts: list[Content] = []
        for section, rows in KEYMAP.items():
            parts.append(Content.styled(section.capitalize(), "bold $accent"))
            for key, title, _, _ in rows:
                parts.append(Content.assemble((f"  {key:<12}", "bold"), title))
            parts.append(Content(""))
        with VerticalScroll(id="help"):
            yield Static(Content("\n").join(parts))

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys  (Esc to close)"

    def action_close(self) -> None:
        self.dismiss(None)
