"""The transcript as it grows: a line-API view that draws only the visible rows.

Long transcripts (10,000+ events) stay fast: adding events only extends a list
and the virtual height; each row is built when first drawn and cached.
"""

from __future__ import annotations

import time

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from simulator.board import describe
from simulator.events import SCENARIO_TYPES, Event
from simulator.textsafe import plain
from simulator.timing import Clock
from simulator.wording import Names

KIND_STYLE = {
    "inject": "bold cyan", "inject_held": "dim", "curveball": "bold magenta", "curveball_end": "magenta",
    "clock": "dim", "end": "bold", "retract": "yellow", "note": "italic",
}


class EventLog(ScrollView, can_focus=True):
    """Numbered events with a cursor; withdrawn events are struck through."""
    DEFAULT_CSS = """
    EventLog {
        height: 1fr;
        min-height: 5;
        padding: 0;
        overflow-x: hidden;  /* rows are cropped to the view: never a sideways scrollbar eating a row */
    }
    .-short EventLog { height: 7; }  /* a short terminal (80x24): the panels get the room */
    """
    SCOPED_CSS = False  # the height class is the screen's


    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "cursor(-10)", "Page up", show=False),
        Binding("pagedown", "cursor(10)", "Page down", show=False),
        Binding("home", "cursor_to(0)", "First", show=False),
        Binding("end", "cursor_to(-1)", "Last", show=False),
        Binding("enter", "read", "Read row", show=False),  # the screen says it (the board: the transcript's title)
    ]
    DOUBLED = 0.5  # seconds: an Enter this soon after a form or reader closed was that one's, typed twice

    cursor: reactive[int] = reactive(-1, always_update=True)

    class Moved(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Read(Message):
        """Enter on a row: the screen shows the event whole (a row is cut at the view's edge)."""

        def __init__(self, event: Event, withdrawn_by: Event | None) -> None:
            super().__init__()
            self.event, self.withdrawn_by = event, withdrawn_by

    def __init__(self, clock: Clock, *, names: Names | None = None, follow: bool = True, id: str | None = None,
                 classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.clock = clock
        self.names = names  # roles and stakeholders by the files' names, as the report's timeline words them
        self.events: list[Event] = []
        self.limit = 0  # rows shown: all events in a live exercise, a prefix in a replay
        self.withdrawn: dict[int, int] = {}  # seq withdrawn -> index of the retract that withdrew it
        self.flags: dict[int, list[str]] = {}  # seq -> where that answer departs from the runbook (aspects)
        self.warned: set[int] = set()  # answers naming a role out of reach, or a message that did not arrive (⚠)
        self.follow = follow  # keep the cursor on the newest event as events arrive
        self._cache: LRUCache[tuple[int, bool], Text] = LRUCache(2000)  # rows as drawn; the recent ones stay
        self._width = 1
        self._moved_at = float("-inf")  # when a key last moved the cursor

    # -- data -------------------------------------------------------------------------------
    def extend(self, events: list[Event]) -> None:
        """Add events at the end (one batch, one refresh)."""
        if not events:
            return
        for i, e in enumerate(events, len(self.events)):
            if e.type == "retract" and isinstance(e.get("target"), int):
                self.withdrawn.setdefault(int(e.get("target")), i)
        self.events.extend(events)
        self.set_limit(len(self.events), follow=self.follow)

    def load(self, events: list[Event], limit: int | None = None) -> None:
        self.events = list(events)
        self.withdrawn = {}
        for i, e in enumerate(self.events):
            if e.type == "retract" and isinstance(e.get("target"), int):
                self.withdrawn.setdefault(int(e.get("target")), i)
        self._cache.clear()
        self.set_limit(len(events) if limit is None else limit, follow=True)

    def flag(self, flags: dict[int, list[str]], redraw: bool = True) -> None:
        """Mark answers that depart from the runbook (seq -> aspects: channel, role, order, timing, reach, plan).
        `redraw=False`: only rows not drawn yet are marked (answers just added), so no drawn row is redrawn."""
        self.flags.update(flags)
        if redraw:
            self._cache.clear()
            self.refresh()

    def warn(self, seqs: set[int]) -> None:
        """Mark answers to check with the candidate at once (⚠): a role out of reach, a message not delivered. Their
        toast may give way to a newer one; the row keeps the mark, and Enter on it says why. Only rows just added."""
        self.warned |= seqs

    def set_limit(self, limit: int, follow: bool = True) -> None:
        self.limit = max(0, min(limit, len(self.events)))
        self.virtual_size = Size(self._width, self.limit)
        if follow:
            self.cursor = self.limit - 1
        self.refresh()

    @property
    def selected(self) -> Event | None:
        return self.events[self.cursor] if 0 <= self.cursor < self.limit else None

    # -- cursor -----------------------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        self._moved_at = time.monotonic()
        if self.limit:
            self.cursor = max(0, min(self.limit - 1, self.cursor + delta))

    def action_cursor_to(self, index: int) -> None:
        self._moved_at = time.monotonic()
        if self.limit:
            self.cursor = self.limit - 1 if index < 0 else min(index, self.limit - 1)

    def action_read(self) -> None:
        e = self.selected
        if e is None:
            return
        # Enter pressed twice to record (a habit, or a key held down): the second lands here once the form has
        # closed, and would open the row just recorded over the board. An Enter that soon is dropped, unless a
        # cursor key came between (the facilitator chose a row). "That soon" counts from the form's closing, or
        # from when the keys typed while it closed were handed on: recording (a flush to disk) can take longer
        # than the window on a busy machine, and those keys were typed before the board was back.
        closed = getattr(self.app, "modal_closed_at", float("-inf"))
        soon = max(closed, getattr(self.app, "keys_handed_on_at", float("-inf")))
        if time.monotonic() - soon < self.DOUBLED and self._moved_at < closed:
            return
        retract = self.withdrawn.get(e.seq)
        gone = retract is not None and retract < self.limit
        self.post_message(self.Read(e, self.events[retract] if gone and retract is not None else None))

    def watch_cursor(self, old: int, new: int) -> None:
        self.call_after_refresh(self._show_cursor)  # after layout, so the view's height is known
        self.refresh()
        self.post_message(self.Moved(new))

    def _show_cursor(self) -> None:
        new = self.cursor
        if new < 0:
            return
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if new < top:
            self.scroll_to(y=new, animate=False, force=True)
        elif height and new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False, force=True)

    # -- drawing ----------------------------------------------------------------------------
    def _row(self, i: int) -> Text:
        e = self.events[i]
        # withdrawn only from the retract on: a replay before it shows the event as it then stood
        gone = self.withdrawn.get(e.seq, self.limit) < self.limit
        cached = self._cache.get((i, gone))
        if cached is not None:
            return cached
        flags, warned = self.flags.get(e.seq), e.seq in self.warned
        mark = "·" if e.type in SCENARIO_TYPES else ("⚠" if warned else "⚑" if flags else "✎")
        stamp = self.clock.label(e.t)
        extra = ""
        if isinstance(e.get("stamped"), int) and e.get("stamped") != e.t:
            extra = f" (said at {self.clock.label(int(e.get('stamped')))})"
        style = KIND_STYLE.get(e.type, "")
        text = Text.assemble(
            (f"{e.seq:>5} ", "dim"),
            (f"{stamp} ", "bold" if e.type not in SCENARIO_TYPES else ""),
            (f"{mark} ", "bold yellow" if flags or warned else ""),
            (plain(describe(e, self.clock, self.names)), style),  # untrusted text: a plain string, never markup
            (extra, "dim"),
            no_wrap=True, end="",
        )
        if gone:
            text.stylize("strike dim")
            text.append("  withdrawn", "yellow")
        elif flags:
            text.append(f"  ⚑ {', '.join(dict.fromkeys(flags))}", "yellow")
        self._cache.set((i, gone), text)
        return text

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        i = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if i >= self.limit:
            return Strip.blank(width, base)
        text = self._row(i)
        segments = list(text.render(self.app.console))
        strip = Strip(segments).apply_style(base)
        if i == self.cursor:
            strip = strip.apply_style(Style(reverse=True) if self.has_focus else Style(bgcolor="grey23"))
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def on_resize(self) -> None:
        # rows are cropped to the view (no sideways scrolling): the width is the view's
        self._width = max(1, self.scrollable_content_region.width)
        self.virtual_size = Size(self._width, self.limit)
        self._show_cursor()


