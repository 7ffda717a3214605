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

    more_key = "i"  # the key that shows the rest, as the bottom border says it

    EMPTY = Content.styled("No inject yet: press space to start the clock or s to step to the first inject.", "$text-muted")

    def __init__(self, id: str | None = None):
        super().__init__(self.EMPTY, id=id)
        self.border_title = "Inject"
        self._shown: tuple[str | None, str, Content] = (None, "Inject", Content(""))  # (inject id, title, subtitle)
        self.inject: m.Inject | None = None  # what `show` was given, for the full view (`i`)
        self.at: int | None = None
        self._subtitle = Content("")

    def show(self, inj: m.Inject | None, clock: Clock, t: int | None) -> None:
        self.inject, self.at = inj, t
        if inj is None:  # before the first inject (a replay stepped back to the start, too)
            self._titles(None, "Inject", Content(""))
            self.update(self.EMPTY)
            return
        # the id in the title, when and from whom under the body: the lines inside go to what is said and asked
        # (at 80x24 a two-line question fits)
        self._titles(inj.id, f"Inject {inj.id}"[:60],
                     Content.assemble(clock.label(t or 0), *(("  from ", lit(inj.source, "italic")) if inj.source else ())))
        parts: list[Content | str | tuple[str, str]] = [lit_block(inj.message)]
        if inj.questions:
            parts.append(("\n\nAsk the candidate", "bold"))
            for q in inj.questions:
                parts += ["\n" + BULLET, lit_block(q)]
        self.update(Content.assemble(*parts))

    def _titles(self, inject_id: str | None, title: str, subtitle: Content) -> None:
        """Set the border's title and subtitle when they change (each set redraws the panel)."""
        if (inject_id, title, subtitle) == self._shown:
            return
        if inject_id != self._shown[0]:
            self.scroll_home(animate=False)  # a new inject is read from its first line, wherever the last was scrolled to
        self._shown = (inject_id, title, subtitle)
        self.border_title = title
        self._say_more()

    # Most shipped injects are taller than the panel at 80x24 (6 of 63 fit): the bottom border says how many
    # lines are below the view and the key that shows the whole inject, on every change of body, size or scroll.
    def redraw(self) -> None:
        super().redraw()
        self.call_after_refresh(self._say_more)

    def on_resize(self) -> None:
        self.call_after_refresh(self._say_more)  # after the panel's own resize handler has fitted the body

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._say_more()

    def lines_below(self) -> int:
        """Lines of the inject below the view (0: it is all in sight)."""
        return max(0, self.virtual_size.height - self.scroll_offset.y - self.scrollable_content_region.height)

    def _say_more(self) -> None:
        below = self.lines_below()
        more = Content.styled(f"▼ {below} more: {self.more_key}", "bold $warning") + " · " if below and self.inject is not None else Content("")
        subtitle = more + self._shown[2] if more else self._shown[2]
        if subtitle != self._subtitle:  # each set redraws the panel
            self._subtitle = self.border_subtitle = subtitle

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
