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
        yield from super().compose()
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        keys = [k for k in self.query(FooterKey) if not k.has_class("-command-palette")]
        need = sum(len(k.key_display) + len(k.description) + 3 for k in keys) + 12  # + the palette key at the right
        two = need > self.size.width > 0
        self.set_class(two, "-two-rows")
        if two:
            self.styles.grid_size_columns = (len(keys) + 1) // 2
            for k in self.query(".-command-palette"):  # no room: ctrl+p still works, and help (?) lists it
                k.display = False
