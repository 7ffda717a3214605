"""Small forms for recording what the candidate says, one per action kind.

Pickers are filled from the runbook's roles and the scenario's stakeholders,
channels, tasks and decisions. The form hands its values to a callback that
writes them to the transcript; only when that succeeds does the form close, so
the screen never shows as recorded something that is not on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from .modal import Modal, R, hold_keys, take_typing
from .text import lit

# kind -> fields: (name, label, picker key or "text", required)
FIELDS: dict[str, list[tuple[str, str, str, bool]]] = {
    "acknowledge": [("by", "Acknowledged by", "role", True)],
    "page": [("role", "Role paged", "role", True), ("answers", "Answers at", "text", False)],
    "answer": [("role", "Who answered", "role", True), ("stands_in_for", "Stands in for", "role", False)],
    "notify": [("stakeholder", "Stakeholder", "stakeholder", True), ("via", "Channel", "channel", True),
               ("by", "Sent by", "role", False)],
    "update": [("stakeholder", "Stakeholder", "stakeholder", True), ("via", "Channel", "channel", True),
               ("by", "Sent by", "role", False)],
    "act": [("task", "Task", "task", True), ("by", "Done by", "role", False)],
    "decide": [("decision", "Decision", "decision", True), ("by", "Decided by", "decider", False)],
    "resolve": [],
    "note": [("text", "Note", "text", True)],
}
# what a text field takes, where its label (kept to the label column's 24 cells) cannot say it
PLACEHOLDERS = {"answers": "now, +20m, 06:25; empty: no answer"}
# Evaluator capture on every answer (the AAR method): how sure the candidate was, and where the answer came from.
EVALUATION: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("confidence", "sure / unsure", [("sure", "sure"), ("unsure", "unsure")]),
    ("basis", "runbook / improvised", [("from the runbook", "runbook"), ("improvised", "improvised")]),
]
TITLES = {
    "acknowledge": "Acknowledge the incident", "page": "Page / engage a role", "answer": "A paged role answers", "notify": "Notify a stakeholder",
    "update": "Update a stakeholder", "act": "Act: a task is done", "decide": "Decide", "resolve": "Service restored",
    "note": "Facilitator note",
}


class Picker(Select[str], inherit_bindings=False):
    """A Select that leaves Enter to the form (Enter records, as the hint says); Space or arrows open it."""

    BINDINGS = [Binding("down,space,up", "show_overlay", "Show menu", show=False)]

    class Typed(Message):
        """Text typed at a closed picker, which takes none: the form says so rather than drop it unseen."""

        def __init__(self, picker: Picker, character: str) -> None:
            super().__init__()
            self.picker, self.character = picker, character

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character and event.character != " " and not self.expanded:
            event.stop()
            self.post_message(self.Typed(self, event.character))


class Field(Input):
    """A text field whose own editing keys (backspace, arrows, home…) act in the order they were typed. Textual
    runs them only once the key has bubbled up to the app, so in a burst of keys (typed ahead, or bunched over
    ssh) the characters after them went in first: backspace ×3 then "+20m" over "now" left "+"
    (Textualize/textual#6605). Keys the app or form bind with priority never get here."""

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            own = [b for key in event.aliases for b in self._bindings.key_to_bindings.get(key, ()) if not b.priority]
            if own:
                event.stop()
                event.prevent_default()
                await self.run_action(own[0].action)
                return
        await super()._on_key(event)


class FormModal(Modal[R]):
    """A form in a box (an action, the hotwash): the box's and the fields' layout, and typing that keeps up
    with the typist. The app hands each key to the field in focus as it reads it, but Tab, Enter and Escape
    take effect a moment later; so they act as the app reads them (priority), and keys typed meanwhile wait:
    keys typed while the form opens go to its first field (`Modal.ready`), the keys after Tab to the next
    field, and the keys after Enter or Escape to what comes after the form, never into it."""

    BINDINGS = [Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
                Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
                Binding("enter", "enter", "Record", show=False, priority=True),
                Binding("escape", "escape", "Cancel", show=False, priority=True)]
    ready = False

    DEFAULT_CSS = """
    #form {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    #form-title { margin-bottom: 1; }
    #form .field { height: auto; margin-bottom: 1; }
    #form .field-label { width: 25; color: $text-muted; padding-top: 0; }  /* the longest label, 24, and a space */
    #form Select, #form Input { width: 1fr; }
    #f-when-box { width: 1fr; height: auto; }
    #form-error { height: auto; }
    #form-buttons { height: 1; margin-top: 1; }
    #form-hint { width: 1fr; }
    #form-buttons Button { margin-left: 1; min-width: 10; }
    /* Textual draws the app's toasts on the screen on top (each screen has its own ToastRack); at 80x24 the
       form fills the screen and a toast would cover its hint and Record button (and take their clicks).
       Hidden here, the same notifications come back on the board when the form closes (a resumed screen
       refreshes them) for the rest of their time. An error still shows. (Each selector names FormModal: Textual
       scopes only the last of a comma-separated list to the class, and the board's toasts must not match.) */
    FormModal Toast.-information, FormModal Toast.-warning { visibility: hidden; }
    """



    hides_toasts = True  # the app holds information and warning toasts while a form is open (TtxApp.notify)
    _lost: tuple[str, Picker | None] = ("", None)  # text typed at a picker so far, and which picker

    def on_mount(self) -> None:
        self.call_after_refresh(self._take_typing)  # after the first refresh: the first field has focus

    def _take_typing(self) -> None:
        take_typing(self)

    def on_picker_typed(self, message: Picker.Typed) -> None:
        """Typed at a picker (Tab went one field too far, say): shown in the form, nothing recorded from it."""
        text = (self._lost[0] if self._lost[1] is message.picker else "") + message.character
        self._lost = (text, message.picker)
        row = message.picker.parent
        labels = list(row.query(Label)) if row is not None else []
        label = str(labels[0].content).strip() if labels else str(message.picker.prompt)
        error = self.query_one("#form-error", Static)
        error.update(lit(f"“{text}” was not typed: {label} is a picker (Space opens it). Shift+Tab goes back to the field "
                         "you meant.", "bold $warning"))
        self.app.bell()

    def _in_a_field(self) -> bool:
        """Whether the keys go to one of the form's fields (not an open option list, not a button)."""
        return self.focused is None or isinstance(self.focused, (Input, Select))

    def action_enter(self) -> None:
        """Enter records; in an open option list it picks, on a button it presses."""
        if not self._in_a_field():
            raise SkipAction()
        self.action_record()

    def action_record(self) -> None:
        """Record (submit), once the field in focus has taken every key typed before."""
        release = hold_keys(self.app)  # the keys typed after Enter wait until it has taken effect (recorded and
        # closed, or an error shown)

        def submit() -> None:
            try:
                self.action_submit()
            finally:
                release()

        (self.focused or self).call_later(submit)  # behind the keys the field has still to take

    def action_escape(self) -> None:
        if not self._in_a_field():
            raise SkipAction()  # Escape closes an open list first
        self.action_cancel()

    def action_submit(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        raise NotImplementedError


class ActionForm(FormModal[bool]):
    """Record (or correct) one action. Enter in the last field records; Escape cancels."""

    # the first field has focus as the screen appears: a focus() in on_mount runs later and would
    # pull focus back from a field the facilitator already tabbed to (keys typed as the form opens)
    AUTO_FOCUS = "Select, Input"

    BINDINGS = [Binding("ctrl+s", "record", "Record", priority=True)]

    def __init__(self, kind: str, choices: dict[str, list[tuple[str, str]]], submit: Callable[[str, str, dict[str, Any]], str | None],
                 values: dict[str, Any] | None = None, when: str = "now", title: str | None = None, now_label: str = "",
                 when_hint: str = ""):
        super().__init__()
        self.kind, self.choices, self._submit = kind, choices, submit
        self.values = values or {}
        self.when, self.when_hint = when, when_hint
        self.title_text = title or TITLES[kind]
        self.now_label = now_label

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            # "now" is frozen when the form opens: typing for a minute at ×60 must not cost the candidate an hour
            yield Static(Content.assemble((self.title_text, "bold"), (f"   now {self.now_label}", "bold $accent"),
                                          (" · held while open", "$text-muted")), id="form-title")
            for name, label, picker, required in FIELDS[self.kind]:
                with Horizontal(classes="field"):
                    yield Label(label + ("" if required else " (optional)"), classes="field-label")
                    yield self._field(name, label, picker, required)
            if self.kind != "note":
                with Horizontal(classes="field"):
                    yield Label("When (now, +20m, 06:25)", classes="field-label")
                    with Vertical(id="f-when-box"):
                        yield Field(value=self.when, id="f-when", placeholder="now", compact=True)
                        if self.when_hint:  # why "When" does not say now, under the field it explains
                            yield Static(Content.styled(self.when_hint, "$text-muted"), id="f-when-hint")
                with Horizontal(classes="field"):
                    yield Label("Candidate (optional)", classes="field-label")
                    for name, prompt, opts in EVALUATION:
                        value = self.values.get(name)
                        yield Picker(opts, id=f"f-{name}", allow_blank=True, prompt=prompt, compact=True,
                                     value=value if value in {v for _, v in opts} else Select.NULL)
                with Horizontal(classes="field"):
                    yield Label("Evaluator note", classes="field-label")
                    yield Field(value=str(self.values.get("eval_note") or ""), id="f-eval_note", placeholder="what you noticed",
                                compact=True)
            yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Static(Content.styled("Tab next · Space pick · Enter record · Esc cancel", "$text-muted"), id="form-hint")
                yield Button("Record", variant="primary", id="record", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def _field(self, name: str, label: str, picker: str, required: bool) -> Field | Select:
        if picker == "text":
            return Field(value=str(self.values.get(name) or ""), id=f"f-{name}", placeholder=PLACEHOLDERS.get(name, label),
                         compact=True)
        opts = [(lit(lbl), val) for val, lbl in self.choices.get(picker, [])]
        value = self.values.get(name)
        known = {v for _, v in opts}
        if required:
            start = value if value in known else (opts[0][1] if opts else Select.NULL)
            return Picker(opts, id=f"f-{name}", allow_blank=not opts, value=start, prompt="choose…", compact=True)
        return Picker(opts, id=f"f-{name}", allow_blank=True, value=value if value in known else Select.NULL,
                      prompt="(nobody named)", compact=True)

    def gather(self) -> tuple[str, dict[str, Any]]:
        fields: dict[str, Any] = {}
        for name, _, _picker, _ in FIELDS[self.kind]:
            w = self.query_one(f"#f-{name}")
            if isinstance(w, Select):
                fields[name] = None if w.value is Select.NULL else w.value
            else:
                fields[name] = w.value  # type: ignore[attr-defined]
        when = "now"
        if self.kind != "note":
            when = self.query_one("#f-when", Input).value
            for name, _, _ in EVALUATION:
                value = self.query_one(f"#f-{name}", Select).value
                fields[name] = None if value is Select.NULL else value
            fields["eval_note"] = self.query_one("#f-eval_note", Input).value.strip() or None
        return when, fields

    def action_submit(self) -> None:
        if self.closing:  # one submission per form, however many Enters were queued behind the first
            return
        when, fields = self.gather()
        error = self._submit(self.kind, when, fields)
        if error:
            self.query_one("#form-error", Static).update(lit(error, "bold $error"))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "record":
            self.action_submit()
        else:
            self.action_cancel()


class Confirm(Modal[bool]):
    DEFAULT_CSS = """
    #confirm { width: 64; max-width: 100%; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    """
    # the toasts showing wait for the answer (Modal.hides_toasts): Textual drew each twice, on the board beneath and
    # again at this screen's corner, over the transcript (watched at 80x24: "✓ #19 resolve" as E asked to end)
    hides_toasts = True

    # priority: the answer takes effect as the key is read, so the keys typed after "y" (the hotwash) wait
    # for what it opens instead of reaching the screen beneath
    BINDINGS = [Binding("escape", "no", "No", priority=True), Binding("y", "yes", "Yes", priority=True),
                Binding("n", "no", "No", priority=True)]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(lit(self.question, "bold"))
            yield Static(Content.styled("y: yes   n / Escape: no", "$text-muted"))

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class Leave(Confirm):
    """Leaving a running exercise: `q` again means yes."""

    BINDINGS = [Binding("q", "yes", "Leave")]


class AskText(Modal[str | None]):
    """One line of input (a file path, say)."""
    DEFAULT_CSS = """
    #ask { width: 64; max-width: 100%; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    """


    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, value: str = ""):
        super().__init__()
        self.prompt, self.value = prompt, value

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Static(lit(self.prompt, "bold"))
            yield Field(value=self.value, id="ask-input")
            yield Static(Content.styled("Enter: open   Escape: cancel", "$text-muted"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Hotwash(FormModal["dict[str, str] | None"]):
    """The end-of-exercise hotwash: what went well and what to improve, in the room's words, into the transcript."""

    BINDINGS = [Binding("ctrl+s", "record", "Record", priority=True)]
    AUTO_FOCUS = "#f-strength"

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Content.assemble(("Hotwash", "bold"), ("  before the scorecard: the room's own view", "$text-muted")),
                         id="form-title")
            for name, label in (("strength", "Strengths"), ("improvement", "Areas for improvement")):
                with Horizontal(classes="field"):
                    yield Label(label, classes="field-label")
                    yield Field(id=f"f-{name}", placeholder="separate several with ;", compact=True)
            with Horizontal(id="form-buttons"):
                yield Static(Content.styled("Tab: next · Enter: record and end · Esc: skip and end", "$text-muted"), id="form-hint")
                yield Button("Record", variant="primary", id="record", compact=True)

    def action_submit(self) -> None:
        self.dismiss({name: self.query_one(f"#f-{name}", Input).value for name in ("strength", "improvement")})

    def action_cancel(self) -> None:  # Escape: end without a hotwash
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()
