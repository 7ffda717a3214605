"""What screens ask of the app, as messages (Textual's way: a screen posts, the app decides what to show)."""

from __future__ import annotations

from typing import Any

from textual.message import Message

# A toast is a message too: the board raises it, the app decides which earlier ones it replaces (app.REPLACES)
CURVEBALL = "⚡ Curveball"  # the title of the toast that says a curveball started or ended (ExerciseScreen._announce)


class ShowResults(Message):
    """Open the results screen: the live session's card when `card` is None, else this card (a replay)."""

    def __init__(self, card: Any = None, promises: list[Any] | None = None, heading: str = "") -> None:
        super().__init__()
        self.card, self.promises, self.heading = card, promises, heading


class StartExercise(Message):
    """Play this scenario against this runbook, live."""

    def __init__(self, scenario: str, runbook: str) -> None:
        super().__init__()
        self.scenario, self.runbook = scenario, runbook


class ResumeExercise(Message):
    """Continue the live exercise recorded in this transcript."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
