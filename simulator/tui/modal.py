"""A modal screen that closes once, whatever the keyboard does, and hands on the keys typed while it closes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

R = TypeVar("R")


def take_typing(screen: Any) -> None:
    """`screen` (a form, a board) can take typing now: the keys the app held while its `ready` was False
    (`TtxApp._holding`) are replayed into it, in the order typed."""
    screen.ready = True
    release = getattr(screen.app, "release_keys", None)
    if release is not None:  # a ttx app; a test's own app holds nothing
        release(counted=False)


def hold_keys(app: Any) -> Callable[[], None]:
    """Hold the keys typed from now on (`TtxApp.hold_keys`) and return what releases them; a test's own app
    holds nothing, and releasing then does nothing."""
    hold, release = getattr(app, "hold_keys", None), getattr(app, "release_keys", None)
    if hold is None or release is None:
        return lambda: None
    hold()
    return release


class Modal(ModalScreen[R]):
    """A modal that closes once. Keys typed faster than it closes (Enter Enter Enter) reach it again;
    a second `dismiss` would pop the screen beneath it (Textual pops whatever is on top)."""
    DEFAULT_CSS = """
    Modal { align: center middle; background: $background 60%; }
    """

    closing = False
    # False until the screen can take typing (a form: its first field has focus); keys typed before are held
    # for it by the app (`TtxApp.hold_keys`), not lost
    ready = True
    # True: the app's information and warning toasts wait while this screen is open, and then show for the time
    # they had left (`TtxApp.park_toasts`): a form, a question
    hides_toasts = False

    # (Textual calls each class's own `on_mount` down the MRO: a subclass's does not replace these.)
    def on_mount(self) -> None:
        park = getattr(self.app, "park_toasts", None)
        if self.hides_toasts and park is not None:  # a ttx app; a test's own app has no toasts to hold
            park()

    def on_unmount(self) -> None:
        show = getattr(self.app, "show_parked_toasts", None)
        if self.hides_toasts and show is not None:
            self.app.call_later(show)  # once the screen beneath (or a form typed ahead) is on top

    def dismiss(self, result: R | None = None) -> AwaitComplete:
        if self.closing or self.app.screen is not self:
            return AwaitComplete.nothing()
        self.closing = True
        app = self.app
        # when: an Enter typed twice (the form's, then one more) must not open the transcript row beneath (EventLog)
        app.modal_closed_at = time.monotonic()  # type: ignore[attr-defined]
        # What the result opens next (the hotwash after "End the exercise now?") opens a moment later, when
        # the screen that asked runs its callback: keys typed in that moment wait for it, not for the board.
        last = self._result_callbacks[-1] if self._result_callbacks else None
        asker = last.requester if last is not None and last.callback is not None else app
        release = hold_keys(app)
        done = super().dismiss(result)
        asker.call_next(release)  # after the callback, which was queued on the same screen first
        return done
