"""Open obligations with live countdowns: amber near the deadline, red when late; ∅ where the runbook promises no time."""

from __future__ import annotations

import re

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
        # one row per obligation: (its mark and countdown or status, style, label style, label, label without keys,
        # "due 02:37", shorter labels for a narrow panel, the countdown in whole hours for a narrow panel, the count
        # an update series keeps in them)
        self._rows: list[tuple[str, str, str, str, str, str, tuple[str, ...], str, str]] = []
        self._counts = ""  # "7 open · 2 late · 1 not promised", in the border's title

    def show(self, items: list[Open], clock: Clock, now: int | None = None) -> None:
        if not items:  # before the first inject (a replay stepped back to the start, too)
            self._counts = ""
            self._title()
            self._rows = []
            self.update(self.EMPTY)
            return
        open_ = sorted((o for o in items if o.urgency != "done"), key=lambda o: (o.due is None, o.due or 0))
        done = [o for o in items if o.urgency == "done"]
        rows = []

        def at(t: int) -> str:
            """`17:55` on the day of `now`; `Sat 17:25` on another (a deadline a day off must not read as this evening's)."""
            full = clock.label(t)
            return full if now is not None and clock.local(t).date() != clock.local(now).date() else full[4:]

        for o in open_:
            if o.urgency == "unpromised":  # the runbook promises no time to measure it by: missed, but not late
                when, style = "not promised", URGENCY_STYLE[o.urgency]
            elif o.remaining is None:  # the exercise has ended
                when, style = o.status, URGENCY_STYLE[o.urgency]
            else:
                when, style = countdown(o.remaining), URGENCY_STYLE[o.urgency]
            icon = {"late": "✗", "soon": "!", "unpromised": "∅"}.get(o.urgency, "○")
            # two hours or more ahead, whole hours (rounded down: never more time than there is) where the panel is
            # narrow: "○ in 11h15m" made every row's name start a column further in and wrap; a day or more ahead
            # too: "○ in 1d11h" did the same (NIS2's 72 hours: "○ in 35h")
            hours = f"{icon} in {o.remaining // 3600}h" if o.remaining is not None and o.remaining >= 7200 else ""
            rows.append((f"{icon} {when}", style, style or "bold", o.label, o.short or o.label,
                         f"due {at(o.due)}" if o.due is not None else "", o.narrow, hours, o.count))
        for o in done:
            icon = "→" if o.planned else "✓"  # → : the candidate said it will be done then
            rows.append((f"{icon} {o.status}", STATUS_STYLE.get(o.status, ""), "$text-muted", o.label, o.short or o.label,
                         f"at {at(o.done_at)}" if o.done_at is not None else "", o.narrow, "", o.count))
        # what the room can still meet, how much of that is late, apart what the exercise's end left missed (not
        # "late": nothing more can be done) and what the runbook gives no time for
        unpromised = sum(1 for o in open_ if o.urgency == "unpromised")
        missed = sum(1 for o in open_ if o.urgency == "late" and o.status == "missed")
        late = sum(1 for o in open_ if o.urgency == "late") - missed
        self._counts = f"{len(open_) - unpromised - missed} open" + (f" · {late} late" if late else "") + (
            f" · {missed} missed" if missed else "") + (f" · {unpromised} not promised" if unpromised else "")
        self._title()
        # the body is what the rows say at any width (what changed, and what a mouse selection copies)
        body = Content("\n").join(Content(f"{head}  {label}  {when}".rstrip()) for head, _, _, label, _, when, _, _, _ in rows)
        if rows != self._rows:
            self._rows, self._body = rows, body
            self.redraw()

    def _title(self) -> None:
        """The counts after the panel's name, or alone where both do not fit the top border (at 80 columns "7 open · 2
        late · 1 not promised" was cut to "Obligations · 7 open · 2 late · 1 no…": the counts are what is read there)."""
        full = f"Obligations · {self._counts}" if self._counts else "Obligations"
        room = self.outer_size.width - 6  # the border's corners, and a rule and a space each side of the title
        self.border_title = self._counts if self._counts and 0 < room < len(full) else full

    def on_resize(self) -> None:
        super().on_resize()
        self._title()

    def fitted(self, width: int) -> Content:
        """Each obligation on one line, fitted to `width` (the view's, after the scrollbar). With room, names with the
        stakeholders' keys and the due times; narrower (80 columns), stakeholders by name alone ("Notify Dana (IT
        manager)") for every row, then a row's due time left out where it does not fit (its countdown says it), then
        a row's shorter words where it has them ("Update Dana (IT manager) 1/11", then "Update Dana 1/11": an update
        series keeps its count; "Notify Insurer" for "Notify Insurer (written notice address)"); a name longer still
        is cut at the edge with "…", as the MSEL's rows are (on two lines it cost a row exactly when the panel was
        full: its scrollbar takes the column). In a narrow panel a late row says "✗ 30m", not "✗ 30m late" (the ✗
        and the title's count say it), a countdown two hours or more ahead says whole hours ("○ in 11h", "○ in 35h"), and one in
        its last ten minutes whole minutes ("! in 2m", not "! in 2m21s")."""
        if not self._rows:
            return self.body
        heads = [head for head, *_ in self._rows]
        if width < 60:  # "○ in 11h15m" -> "○ in 11h" (its due time says the minutes, where it fits)
            heads = [row[7] or head for head, row in zip(heads, self._rows)]
        if width < 60:  # "! in 2m21s" in the last ten minutes: every row's name two columns further in, and their due
            # times gone, each time a row got there; whole minutes, rounded down, as the hours are ("! in 2m")
            heads = [re.sub(r"(\d+m)\d+s", r"\1", head) for head in heads]
        if width < 60:  # "✗ 1h30m late": a third of the narrow panel, and every name a column further in (wrapping
            # "Notify Insurer claims line"); a late row says "✗ 1h30m" (the ✗, its colour and the title's count say late)
            heads = [head.removesuffix(" late") if head.startswith("✗") else head for head in heads]
        # the countdowns in one column, as wide as the widest up to "✗ 30m late"; a longer one ("∅ not promised")
        # pushes its own name on, not every row's
        col = max((len(head) for head in heads if len(head) <= 10), default=10) + 1
        rows = [(Content.styled(head.ljust(col - 1) + " ", head_style), lit(label, style), lit(short, style),
                 Content.styled(f"  {when}", "$text-muted") if when else Content(""), [lit(n, style) for n in narrow],
                 lit(f" {count}", style) if count else Content(""))
                for head, (_, head_style, style, label, short, when, narrow, _, count) in zip(heads, self._rows)]
        keyed = all(lead.cell_length + label.cell_length + tail.cell_length <= width for lead, label, _, tail, _, _ in rows)
        lines: list[Content] = []
        for lead, label, short, tail, narrow, count in rows:
            name, room = label if keyed else short, width - lead.cell_length
            if name.cell_length > room:  # the row's shorter words, the longest that fits; else the shortest, cut
                words = narrow or [name]  # an update series always has shorter words (its count follows them)
                name = next((n + count for n in words if n.cell_length + count.cell_length <= room), None) or (
                    words[-1].truncate(max(room - count.cell_length, 1), ellipsis=True) + count)
            lines.append(lead + name + tail if name.cell_length + tail.cell_length <= room else lead + name)
        return Content("\n").join(lines)
