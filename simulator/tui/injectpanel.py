"""The current inject: its message and the questions to put to the candidate."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from simulator import model as m
from simulator.timing import Clock

from .text import lit, lit_block, set_if_changed


class InjectPanel(VerticalScroll):
    DEFAULT_CSS = """
    InjectPanel { height: auto; max-height: 65%; min-height: 5; padding: 0 1; }
    """

    EMPTY = Content.styled("No inject yet: press space to start the clock or s to step to the first inject.", "$text-muted")

    def __init__(self, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "Inject"
        self._body = Static(self.EMPTY, id="inject-body")

    def compose(self):
        yield self._body

    def show(self, inj: m.Inject | None, clock: Clock, t: int | None) -> None:
        if inj is None:  # before the first inject (a replay stepped back to the start, too)
            set_if_changed(self._body, self.EMPTY)
            self.border_title = "Inject"
            return
        parts: list[Content | str | tuple[str, str]] = [
            lit(inj.id, "bold $accent"),
            (f"  {clock.label(t or 0)}", "$text-muted"),
        ]
        if inj.source:
            parts += [("  from ", "$text-muted"), lit(inj.source, "italic")]
        parts += ["\n", lit_block(inj.message)]
        if inj.questions:
            parts.append(("\n\nAsk the candidate", "bold"))
            for q in inj.questions:
                parts += ["\n • ", lit_block(q)]
        set_if_changed(self._body, Content.assemble(*parts))
        self.border_title = f"Inject {inj.id}"[:60]
