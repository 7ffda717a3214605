"""The live scorecard with HSEEP ratings, and promised vs delivered for each runbook metric."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from scoring.promised import Promise
from scoring.scorecard import Scorecard
from simulator.textsafe import plain
from simulator.wording import sentence

from .panel import Panel
from .text import RATING_STYLE, set_if_changed, span

SHORT = {"sla": "SLA", "communication": "Comms", "response": "Resp"}


def score_line(card: Scorecard, width: int = 52) -> Content:
    """The overall score, then each category's on one line that fits `width` (whole numbers when it must)."""
    if not card.results:
        return Content.styled("No obligations yet.", "$text-muted")
    nothing = card.nothing_due()
    if nothing:  # every obligation falls due later: no score yet, not "0.0 U"
        return Content.styled(f"{sentence(nothing)}.", "$text-muted")
    head = Content.assemble(("Overall ", "bold"), (f"{card.overall:.1f} ", "bold"), (card.rating, RATING_STYLE[card.rating]))
    for digits, gap in ((1, "  "), (0, "  "), (0, " ")):
        cats: list[Content | str | tuple[str, str]] = []
        for c in card.categories:
            if cats:
                cats.append((gap, ""))
            cats += [(f"{SHORT.get(c.name, c.name)} ", "$text-muted"), (f"{c.score:.{digits}f} ", ""),
                     (c.rating, RATING_STYLE[c.rating])]
        line = Content.assemble(*cats)
        if line.cell_length <= width:
            break
    scored = [r for r in card.results if r.scored]
    if scored and all(r.unmeasurable for r in scored):
        # all there is to score yet is what the runbook promises no time for (SPEC: missed from the start): the
        # "0.0 U" before the candidate has said a word is the runbook's, said where it shows
        why = Content.styled(f"(∅ {len(scored)} not promised: missed)", "$text-muted")
        return Content.assemble(head, "\n", line, "\n", why)
    return Content.assemble(head, "\n", line)


def promise_table(rows: list[Promise], width: int = 52) -> Content:
    """Metric, what the runbook promises, the as-stated time and the live one, fitted to `width`."""
    name_w = max(10, min(28, width - 22))
    lines = [Content.styled(f"{'metric':<{name_w}}{'SLA':>6}{'stated':>8}{'live':>8}", "bold $text-muted")]
    for p in rows:
        if p.live is not None:
            live, style = span(p.live), ""
        elif p.running is not None:
            # whole minutes: seconds ticking by at ×60 are noise, and "2h10m40s…" overran the stated column
            live, style = f"{span(p.running - p.running % 60)}…", "italic $text-muted"
        else:
            live, style = "—", "$text-muted"
        metric = plain(p.label)
        metric = metric if len(metric) <= name_w - 1 else metric[: name_w - 2] + "…"
        # a space before each figure, whatever its length: a long one pushes the row, never touches its neighbour
        lines.append(Content.assemble(f"{metric:<{name_w}}", f" {p.promised:>5}", f" {span(p.as_stated):>7}", (f" {live:>7}", style)))
    return Content("\n").join(lines)


class Scoreboard(Panel):
    DEFAULT_CSS = """
    Scoreboard { height: auto; max-height: 60%; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "Scorecard if it ended now"
        self._data: tuple[Scorecard, list[Promise]] | None = None

    def show(self, card: Scorecard, promises: list[Promise]) -> None:
        if (card, promises) != self._data:
            self._data = (card, promises)
            self.redraw()

    def fitted(self, width: int) -> Content:
        """The score line, then promised vs delivered fitted to the panel's width."""
        if self._data is None:
            return Content("")
        card, promises = self._data
        return Content.assemble(score_line(card, width), "\n", promise_table(promises, width))


class PromiseTable(Static):
    """Promised vs delivered as a table that fits its width."""

    def __init__(self, rows: list[Promise], id: str | None = None):
        super().__init__(promise_table(rows), id=id)
        self.rows = rows

    def on_resize(self) -> None:
        set_if_changed(self, promise_table(self.rows, self.content_size.width or 40))
