"""The exercise board: one layout for the live exercise and the replay, so both read the same."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer


def board(screen) -> ComposeResult:  # type: ignore[no-untyped-def]
    """Clock bar; inject and MSEL on the left, obligations and scorecard on the right; transcript below."""
    yield screen.clockbar
    with Horizontal(id="main"):
        with Vertical(id="left"):
            yield screen.inject
            yield screen.timeline
        with Vertical(id="right"):
            yield screen.obligations
            yield screen.scoreboard
    yield screen.log_view
    yield Footer()
