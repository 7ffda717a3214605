"""What reports and exports are drawn from: one scored exercise, assembled once by `simulator.exercise`.

Scoring never opens a file or runs the engine: whoever has the scenario, the runbook,
the transcript's header and events and the as-stated card hands them over here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator import model as m
from simulator.events import Event
from simulator.record import record

from .scorecard import Scorecard


@record
class Played:
    card: Scorecard
    scenario: m.Scenario | None = None  # the files as played (None: a scorecard on its own)
    runbook: m.Runbook | None = None
    stated: Scorecard | None = None  # the as-stated card, for promised vs delivered (the card itself when as stated)
    header: dict[str, Any] | None = None  # the transcript's header and events (None: no transcript)
    events: Sequence[Event] | None = None
