"""One recorded thing in an exercise: the unit of a transcript.

The engine, the live session and the scorer all speak in these. `t` is seconds
since the scenario starts; `data` holds the type's fields in a fixed order so
that a transcript serialises to the same bytes every time.
"""

from __future__ import annotations

from typing import Any

import attrs

from .record import record

# type -> what it means (also the legend for docs and the TUI)
EVENT_TYPES = {
    "inject": "an inject delivered to the responders",
    "inject_held": "a conditional inject whose condition did not hold",
    "curveball": "a curveball starts (role unreachable, channel down)",
    "curveball_end": "a curveball ends",
    "page": "a role is paged",
    "answer": "a paged role answers (or its backup, standing in)",
    "acknowledge": "the incident is acknowledged and declared",
    "notify": "a message to a stakeholder",
    "update": "a status update to a stakeholder",
    "act": "a task is done",
    "decide": "a decision is taken",
    "resolve": "service is restored",
    "note": "a facilitator's note",
    "clock": "the live clock is paused, resumed, sped up or stepped",
    "retract": "a correction: an earlier event no longer counts",
    "end": "the exercise ends (horizon reached or stopped)",
}

# The evaluator's capture on an answer (docs/tui.md): how sure the candidate was, whether the answer came from
# their written runbook or was improvised, and a note. Extra fields on the action event; the scorer ignores them.
EVALUATION = ("confidence", "basis", "eval_note")
# A note recorded in the end-of-exercise hotwash carries `hotwash`: one of these.
HOTWASH = ("strength", "improvement")

# What a facilitator can record, in the order the forms offer them ("page" covers engaging a role).
ACTION_TYPES = ("acknowledge", "page", "answer", "notify", "update", "act", "decide", "resolve", "note")
# What the scenario and the clock bring, rather than the candidate.
SCENARIO_TYPES = ("inject", "inject_held", "curveball", "curveball_end", "clock", "end")
MESSAGE_TYPES = ("notify", "update")


@record
class Event:
    t: int
    type: str
    data: dict[str, Any] = attrs.field(factory=dict, eq=True)
    seq: int = 0  # position in the transcript (1-based); 0 until written

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


def live_events(events: list[Event]) -> list[Event]:
    """Events that still count: drop anything a later `retract` names."""
    gone = {e.data.get("target") for e in events if e.type == "retract"}
    return [e for e in events if e.seq not in gone and e.type != "retract"]


def event_now(e: Event) -> int:
    """The simulated time the clock had reached when an event was recorded."""
    stamped = e.get("stamped")
    now = int(stamped) if isinstance(stamped, int) else e.t
    if e.type == "clock" and isinstance(e.get("to"), int):
        now = max(now, int(e.get("to")))
    return now


def reached_at(e: Event) -> int:
    """When an event needs its role within reach: a page, at the answer the candidate said it gets (paged during
    an unreachable hour, the role may still call back once it is over); anything else, at its own time."""
    answers = e.get("answers_at") if e.type == "page" else None
    return int(answers) if isinstance(answers, int) else e.t
