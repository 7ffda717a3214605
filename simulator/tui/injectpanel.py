"""The current inject: its message and the questions to put to the candidate."""

from __future__ import annotations

from textual.content import Content

from simulator import model as m
from simulator.timing import Clock

from .panel import Panel
from .text import lit, lit_block

BULLET = " • "


class InjectPanel(Panel):
    DEFAULT_CSS = """
    InjectPanel { height: auto; max-height: 65%; min-height: 4; padding: 0 1; }
    """

    EMPTY = Content.styled("No inject yet: press space to start the clock or s to step to the first inject.", "$text-muted")

    def __init__(self, id: str | None = None):
        super().__init__(self.EMPTY, id=id)
        self.border_title = "Inject"

    def show(self, inj: m.Inject | None, clock: Clock, t: int | None) -> None:
        if inj is None:  # before the first inject (a replay stepped back to the start, too)
            self.update(self.EMPTY)
            self.border_title, self.border_subtitle = "Inject", ""
            return
        # the id in the title, when and from whom under the body: the lines inside go to what is said and asked
        # (at 80x24 a two-line question fits)
        self.border_title = f"Inject {inj.id}"[:60]
        self.border_subtitle = Content.assemble(clock.label(t or 0), *(("  from ", lit(inj.source, "italic")) if inj.source else ()))
        parts: list[Content | str | tuple[str, str]] = [lit_block(inj.message)]
        if inj.questions:
            parts.append(("\n\nAsk the candidate", "bold"))
            for q in inj.questions:
                parts += ["\n" + BULLET, lit_block(q)]
        self.update(Content.assemble(*parts))

    def fitted(self, width: int) -> Content:
        """A question that wraps goes on under its first word, not under the bullet."""
        indent = len(BULLET)
        if width <= indent + 8:
            return self.body
        lines = []
        for line in self.body.split("\n"):
            if line.plain.startswith(BULLET) and line.cell_length > width:
                first, *rest = line[indent:].wrap(width - indent)
                lines += [BULLET + first, *(Content(" " * indent) + more for more in rest)]
            else:
                lines.append(line)
        return Content("\n").join(lines)
