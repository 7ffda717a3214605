"""A board panel that draws its own body: one widget where a scroll container around a Static was two.

Each widget costs styling, layout and a render before the first frame; a panel's body is one `Content`,
wrapped (or cut with …, as the panel's `text-wrap` / `text-overflow` say) to the panel's width, and
scrolled when it is taller than the panel, as the container did.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.visual import Visual


class Panel(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    Panel { overflow-x: hidden; }
    """

    def __init__(self, body: Content | str = "", id: str | None = None):
        super().__init__(id=id)
        self._body = Content(body) if isinstance(body, str) else body
        self._drawn: tuple[int, Content, list[Strip]] | None = None  # (width, body fitted to it, its lines) as last drawn

    @property
    def body(self) -> Content:
        """What the panel shows (before wrapping)."""
        return self._body

    def update(self, body: Content) -> None:
        """Show `body`; nothing is redrawn when it is what is shown."""
        if body != self._body:
            self._body = body
            self.redraw()

    def redraw(self) -> None:
        """Draw the body again (a subclass whose `fitted` body changed calls this)."""
        self._drawn = None
        self._fit()
        self.refresh(layout=True)  # an auto height follows the body

    def fitted(self, width: int) -> Content:
        """The body for a width (a table fitted to it, say); the body itself unless a subclass says otherwise."""
        return self._body

    def _lines(self, width: int) -> list[Strip]:
        # the width is the view's, after any scrollbar: a body fitted to the panel is fitted to what is left
        if width <= 0:  # not laid out yet: nothing to fit (a subclass's table is not worth building for no width)
            return []
        if self._drawn is None or self._drawn[0] != width:
            fitted = self.fitted(width)
            self._drawn = (width, fitted, Visual.to_strips(self, fitted, width, None, self.visual_style))
        return self._drawn[2]

    def _fit(self) -> None:
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, len(self._lines(width)))

    def on_resize(self) -> None:
        self._fit()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn = None  # the lines hold resolved colours: a theme change (or a :focus rule) draws them again

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    # Text selected with the mouse, as in a Static: the lines carry offsets into the body they were drawn from
    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return (selection.extract(self._drawn[1].plain), "\n") if self._drawn else None

    def selection_updated(self, selection: Selection | None) -> None:
        self._drawn = None  # drawn again with the selection's highlight
        super().selection_updated(selection)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        lines = self._lines(width)
        i = self.scroll_offset.y + y
        if 0 <= i < len(lines):
            return lines[i]
        return Strip.blank(width, self.visual_style.rich_style)
