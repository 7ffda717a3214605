"""A modal screen that closes once, whatever the keyboard does."""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

R = TypeVar("R")


class Modal(ModalScreen[R]):
    """A modal that closes once. Keys typed faster than it closes (Enter Enter Enter) reach it again;
    a second `dismiss` would pop the screen beneath it (Textual pops whatever is on top)."""
    DEFAULT_CSS = """
    Modal { align: center middle; background: $background 60%; }
    """


    closing = False

    def dismiss(self, result: R | None = None) -> AwaitComplete:
        if self.closing or self.app.screen is not self:
            return AwaitComplete.nothing()
        self.closing = True
        return super().dismiss(result)
