"""The key footer every screen shows: Textual's, on two rows when its keys do not fit on one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """Textual's footer, on two rows when its keys do not fit on one: at 80 columns every key stays in sight."""

    DEFAULT_CSS = """
    KeyFooter.-two-rows { layout: grid; grid-columns: auto; height: 2; }
    """

    def compose(self) -> ComposeResult:
        # Textual's footer waits for a bindings signal and shows its keys a frame late: the keys, on as many
        # rows as they need, belong in the first frame (the screen's bindings are known by now)
        self.set_reactive(Footer._bindings_ready, True)
        children = list(super().compose())
        for k in children:  # bound to the footer's (False) on mount: starting there spares a restyle of each key
            if isinstance(k, FooterKey) and not k.has_class("-command-palette"):  # (the palette key is not bound)
                k.set_reactive(FooterKey.compact, self.compact)
        self._fit(children, self.app.size.width)
        yield from children

    def on_resize(self) -> None:
        self._fit(list(self.children), self.size.width)

    def _fit(self, children: list, width: int) -> None:
        keys = [k for k in children if isinstance(k, FooterKey) and not k.has_class("-command-palette")]
        need = sum(len(k.key_display) + len(k.description) + 3 for k in keys) + 12  # + the palette key at the right
        two = need > width > 0
        self.set_class(two, "-two-rows")
        if two:
            self.styles.grid_size_columns = (len(keys) + 1) // 2
            for k in children:  # no room: ctrl+p still works, and help (?) lists it
                if isinstance(k, FooterKey) and k.has_class("-command-palette"):
                    k.display = False
