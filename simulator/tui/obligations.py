"""Open obligations with live countdowns: amber near the deadline, red when late."""

from __future__ import annotations

from textual.content import Content

from simulator.board import Open
from simulator.timing import Clock

from .panel import Panel
from .text import STATUS_STYLE, URGENCY_STYLE, countdown, lit


class Obligations(Panel):
    DEFAULT_CSS = """
    Obligations { height: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    EMPTY = Content.styled("Nothing is due yet.", "$text-muted")

    def __init__(self, id: str | None = None):
        super().__init__(self.EMPTY, id=id)
        self.border_title = "Obligations"

    def show(self, items: list[Open], clock: Clock) -> None:
        if not items:  # before the first inject (a replay stepped back to the start, too)
            self.border_title = "Obligations"
            self.update(self.EMPTY)
            return
        open_ = sorted((o for o in items if o.urgency != "done"), key=lambda o: (o.due is None, o.due or 0))
        done = [o for o in items if o.urgency == "done"]
        lines = []
        for o in open_:
            if o.remaining is None:
                when, style = "unmeasurable", URGENCY_STYLE["late"]
            else:
                when, style = countdown(o.remaining), URGENCY_STYLE[o.urgency]
            icon = "✗" if o.urgency == "late" else ("!" if o.urgency == "soon" else "○")
            lines.append(Content.assemble((f"{icon} {when:<10} ", style), lit(o.label, style or "bold"),
                                          (f"  due {clock.label(o.due)[4:]}" if o.due is not None else "", "$text-muted")))
        for o in done:
            style = STATUS_STYLE.get(o.status, "")
            icon = "→" if o.planned else "✓"  # → : the candidate said it will be done then
            lines.append(Content.assemble((f"{icon} {o.status:<10} ", style), lit(o.label, "$text-muted"),
                                          (f"  at {clock.label(o.done_at)[4:]}" if o.done_at is not None else "", "$text-muted")))
        n_open = len(open_)
        late = sum(1 for o in open_ if o.urgency == "late")
        self.border_title = f"Obligations · {n_open} open" + (f" · {late} late" if late else "")
        self.update(Content("\n").join(lines))
