"""What a transcript shows happened, indexed for judging (works for auto and live alike)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from simulator import model as m
from simulator.events import MESSAGE_TYPES, Event, live_events
from simulator.timing import Clock


@attrs.define  # not frozen: one is built per message event on every re-score, and frozen attrs classes build 3× slower
class Message:
    t: int
    kind: str
    stakeholder: str
    via: str
    delivered: bool
    by: str | None
    why: str
    seq: int
    rule: int | None = None  # the runbook's communication rule (auto play): orders messages sent together


@attrs.define
class Facts:
    scenario: m.Scenario
    runbook: m.Runbook
    clock: Clock
    horizon: int
    events: list[Event]
    injects: dict[str, Event] = attrs.Factory(dict)
    held: dict[str, Event] = attrs.Factory(dict)
    declared: Event | None = None
    engaged: dict[str, Event] = attrs.Factory(dict)  # function -> the answer that engaged it
    answers: dict[str, Event] = attrs.Factory(dict)  # role -> first answer (itself or a stand-in)
    answered: set[str] = attrs.Factory(set)  # roles that answered in person
    pages: list[Event] = attrs.Factory(list)
    paged: dict[Any, list[int]] = attrs.Factory(dict)  # role -> where its pages are in `pages`
    routed: list[Event] = attrs.Factory(list)  # pages an inject's source made through the runbook's `intake`
    messages: list[Message] = attrs.Factory(list)
    to: dict[str, list[Message]] = attrs.Factory(dict)  # stakeholder -> the messages sent them, in time order
    acts: dict[str, Event] = attrs.Factory(dict)
    decisions: dict[str, Event] = attrs.Factory(dict)
    started: dict[str, int] = attrs.Factory(dict)  # task -> when work on it first started, where the transcript says
    resolved: Event | None = None
    stopped: int | None = None  # where the facilitator ended a live exercise before its horizon
    running: bool = False  # `stopped` is the simulated now of an exercise still running (`at`), not a recorded end

    def label(self, t: int | None) -> str:
        return "never" if t is None else self.clock.label(t)

    @property
    def first_inject(self) -> int:
        return min((e.t for e in self.injects.values()), default=0)

    @property
    def end(self) -> int:
        """Where cadences stop: resolution, else the horizon."""
        return self.resolved.t if self.resolved else self.horizon

    @property
    def ended(self) -> int:
        """When the exercise ended: the facilitator's stop, else the horizon. "By the end" means this, and the
        stop stands for the horizon (SPEC section 7): what is not done by it and falls due after it is open."""
        return self.horizon if self.stopped is None else self.stopped

    def at(self, now: int) -> Facts:
        """These facts judged as if the exercise ended at `now` while it is still running (the live board's "if it
        ended now"): the same rule as a facilitator's stop. Everything recorded still counts, even an action stamped
        ahead of the clock ("+20m"): the candidate's stated time is their answer. Shares the indexes (read-only)."""
        if now >= self.ended:
            return self
        return attrs.evolve(self, stopped=now, running=True)

    def delivered_to(self, who: str, via: Iterable[str] = ()) -> list[Message]:
        allowed = set(via)
        return [x for x in self.to.get(who, ()) if x.delivered and (not allowed or x.via in allowed)]

    def failed_to(self, who: str | None) -> list[Message]:
        """Messages to `who` that did not arrive."""
        return [x for x in self.to.get(who or "", ()) if not x.delivered]

    def updates_began(self) -> dict[str, int]:
        """Stakeholder -> when the first of its update series began (the inject that obliges it), for the series
        whose inject has fired: where the longest gap between updates is measured from."""
        began: dict[str, int] = {}
        for inj, ob in self.scenario.obligations:
            if ob.kind == "update" and ob.target and inj.id in self.injects:
                t = self.injects[inj.id].t
                began[ob.target] = min(began.get(ob.target, t), t)
        return began

    def pages_of(self, roles: Iterable[str]) -> list[Event]:
        return [self.pages[i] for i in sorted(i for r in set(roles) for i in self.paged.get(r, ()))]


def gather(scenario: m.Scenario, runbook: m.Runbook, events: list[Event]) -> Facts:
    clock = scenario.clock()
    horizon = clock.after(0, scenario.horizon)
    f = Facts(scenario, runbook, clock, horizon, [])
    # A live transcript is in the order things were recorded, not simulated time (a "+20m" stamp comes
    # later in the file than it happened): "first" always means first in simulated time (stable sort).
    _count(f, sorted((e for e in live_events(events) if e.t <= horizon), key=lambda e: e.t))
    return f


def follow(f: Facts, new: list[Event]) -> bool:
    """Count events just written after those `f` was gathered from, as a fresh `gather` of them all would
    (a live exercise's key press then costs what the new events cost, not the whole transcript).
    False, and `f` untouched, when only a fresh gather can say: a withdrawal, or an event stamped before the
    latest counted one (it would be "first" in simulated time)."""
    last = f.events[-1].t if f.events else 0
    if any(e.type == "retract" or e.t < last for e in new):
        return False
    _count(f, sorted((e for e in new if e.t <= f.horizon), key=lambda e: e.t))
    return True


def _count(f: Facts, counted: list[Event]) -> None:
    """Index events that come after all counted so far, in simulated-time order."""
    f.events.extend(counted)
    roles = f.runbook.roles
    for e in counted:  # one pass, reading fields straight from each event's data (hot on long transcripts)
        kind, d = e.type, e.data
        if kind in MESSAGE_TYPES:
            msg = Message(e.t, kind, str(d.get("stakeholder")), str(d.get("via")), bool(d.get("delivered")), d.get("by"),
                          str(d.get("why") or ""), e.seq, d.get("rule"))
            f.messages.append(msg)
            f.to.setdefault(msg.stakeholder, []).append(msg)
        elif kind == "answer":
            role = str(d.get("role"))
            f.answers.setdefault(role, e)
            f.answered.add(role)
            if d.get("stands_in_for"):
                f.answers.setdefault(str(d.get("stands_in_for")), e)
            if role in roles:
                for fn in roles[role].fills:
                    f.engaged.setdefault(fn, e)
        elif kind == "page":
            f.paged.setdefault(d.get("role"), []).append(len(f.pages))
            f.pages.append(e)
            if d.get("intake"):
                f.routed.append(e)
        elif kind == "inject":
            f.injects.setdefault(str(d.get("id")), e)
        elif kind == "inject_held":
            f.held.setdefault(str(d.get("id")), e)
        elif kind == "acknowledge":
            if f.declared is None:
                f.declared = e
        elif kind == "act":
            task = str(d.get("task"))
            f.acts.setdefault(task, e)
            began = d.get("started")
            _started(f, task, began if isinstance(began, int) else e.t)
        elif kind == "end":
            if e.t < f.horizon and f.stopped is None:
                f.stopped = e.t
            for key, began in d.items():  # tasks under way at the horizon: `started:TASK`
                if key.startswith("started:") and isinstance(began, int):
                    _started(f, key[len("started:"):], began)
        elif kind == "decide":
            f.decisions.setdefault(str(d.get("decision")), e)
        elif kind == "resolve" and f.resolved is None:
            f.resolved = e


def _started(f: Facts, task: str, t: int) -> None:
    if task not in f.started or t < f.started[task]:
        f.started[task] = t
