"""The key footer every screen shows: one widget drawing every key hint, on more rows when they do not fit on one.

It shows what Textual's Footer shows (the screen's active bindings with `show=True`, one per action, dimmed
when disabled, the command palette key at the right) and looks the same, but it is one widget, not one per
key: a screen with fifteen keys styles, lays out and draws one widget instead of sixteen, which is most of
what the footer cost before the first frame.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.widget import Widget

MAX_ROWS = 3  # past this the board would lose more than the keys gain (80 columns need two)
KEY = "bold $footer-key-foreground on $footer-key-background"
DESCRIPTION = "$footer-description-foreground on $footer-description-background"
HOVER = "on $block-hover-background"  # the whole key, under its own colours


class Key(NamedTuple):
    key: str  # what a click presses
    display: str
    description: str
    enabled: bool
    tooltip: str
    compact: bool = False  # "key description" (the palette key, as Textual draws it), not " key description "

    @property
    def width(self) -> int:
        return cell_len(self.text[0]) + cell_len(self.text[1])

    @property
    def text(self) -> tuple[str, str]:
        """The key and the description as Textual's footer draws them (a key alone has no padding)."""
        if not self.description:
            return self.display, ""
        if self.compact:
            return self.display, f" {self.description}"
        return f" {self.display} ", f"{self.description} "

    def content(self, hover: bool) -> Content:
        key, description = self.text
        c = Content.assemble((key, KEY), (description, DESCRIPTION))
        if hover:
            c = c.stylize_before(HOVER)
        return c.stylize("dim") if not self.enabled else c


class Placed(NamedTuple):
    row: int
    x: int
    key: Key


def arrange(keys: list[Key], palette: Key | None, width: int) -> tuple[int, list[Placed]]:
    """Rows and places: one row if every key fits, else the fewest rows of aligned columns that fit (as
    Textual's grid would place them). The palette key sits at the right of the last row when there is room;
    where there is none, ctrl+p still works and help (?) lists it."""
    pal_w = palette.width + 2 if palette else 0  # "▏" before it, one space after
    if sum(k.width for k in keys) + pal_w <= width or len(keys) <= 1:
        rows, cols = 1, max(1, len(keys))
        widths = [k.width for k in keys]
    else:
        for rows in range(2, MAX_ROWS + 1):
            cols = -(-len(keys) // rows)
            widths = [max(k.width for k in keys[c::cols]) for c in range(cols)]
            if sum(widths) <= width:
                break
    placed, xs = [], [sum(widths[:c]) for c in range(len(widths))]
    for i, k in enumerate(keys):
        row, col = divmod(i, cols)
        if row < rows:  # more keys than MAX_ROWS rows hold at this width are cut, as a grid would cut them
            placed.append(Placed(row, xs[col], k))
    if palette is not None:
        last = [p for p in placed if p.row == rows - 1]
        used = max((p.x + p.key.width for p in last), default=0)
        if used + pal_w <= width:
            placed.append(Placed(rows - 1, width - pal_w + 1, palette))
    return rows, placed


class KeyFooter(Widget, can_focus=False):
    """The keys of the screen it is on: a click on one presses it."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[Key] = []
        self._palette: Key | None = None
        self._placed: list[Placed] = []
        self._rows = 1
        self._width = 0
        self._hover: Key | None = None

    def on_mount(self) -> None:
        # The keys belong in the first frame: the screen's bindings are known by now (Textual's footer waits
        # for the bindings signal and shows them a frame late)
        self._read_bindings()
        self._fit(self.app.size.width)
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:  # type: ignore[no-untyped-def]
        # the screen switched, the focus moved, a check_action changed its mind: what Textual's footer follows
        if screen is not self.screen or not self.app.app_focus:
            return
        if self._read_bindings():
            self._fit(self.size.width or self.app.size.width, force=True)

    def _read_bindings(self) -> bool:
        """The screen's active bindings as key hints; True when they changed."""
        app, active = self.app, self.screen.active_bindings
        keys, actions = [], set()
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in actions:  # one key per action, the first (as Textual)
                actions.add(binding.action)
                keys.append(Key(binding.key, app.get_key_display(binding), binding.description, enabled, tooltip))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = Key(binding.key, app.get_key_display(binding), binding.description, enabled,
                          binding.tooltip or binding.description, compact=True)
        if (keys, palette) == (self._keys, self._palette):
            return False
        self._keys, self._palette = keys, palette
        return True

    def _fit(self, width: int, force: bool = False) -> None:
        if width == self._width and not force:
            return
        self._width = width
        rows, self._placed = arrange(self._keys, self._palette, width)
        if rows != self._rows:
            self._rows = rows
            self.styles.height = rows  # (a layout refresh: the board above gives or takes the row)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def render(self) -> Content:
        lines: list[list[Content]] = [[] for _ in range(self._rows)]
        ends = [0] * self._rows
        for p in self._placed:
            line, edge = lines[p.row], p.x - (p.key is self._palette)  # the palette key has its "▏" before it
            if edge > ends[p.row]:
                line.append(Content(" " * (edge - ends[p.row])))
            if p.key is self._palette:
                line.append(Content.styled("▏", "$foreground 20%"))
            line.append(p.key.content(p.key is self._hover))
            ends[p.row] = p.x + p.key.width
        return Content("\n").join(Content.assemble(*line) for line in lines)

    # -- the mouse: a click presses the key, as on Textual's footer ---------------------------------
    def _key_at(self, x: int, y: int) -> Key | None:
        for p in self._placed:
            if p.row == y and p.x <= x < p.x + p.key.width:
                return p.key
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x, event.y)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._key_at(event.x, event.y))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, key: Key | None) -> None:
        if key is not self._hover:
            self._hover = key
            self.tooltip = key.tooltip or None if key else None
            self.refresh()
