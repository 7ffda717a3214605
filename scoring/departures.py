"""Where a live answer departs from the candidate's written runbook: channel, role, order, timing, reach.

The gap between what a runbook promises and what the candidate says they would do on the
night is the point of a tabletop exercise. The scorer judges outcomes; this names each
departure as it is recorded, so the facilitator can ask about it at once, and the report
collects them beside promised vs delivered. Pure: a scenario, a runbook and events in, flags out.
"""

from __future__ import annotations

from collections.abc import Iterable

from simulator import model as m
from simulator.engine import Duty, World
from simulator.events import Event, live_events, reached_at
from simulator.record import record
from simulator.timing import Clock
from simulator.wording import Names, when_words

ASPECTS = ("channel", "role", "order", "timing", "reach", "plan")


@record
class Departure:
    seq: int
    t: int
    aspect: str  # one of ASPECTS
    text: str  # one line to read aloud: what the runbook says, what the candidate said


class _State:
    """What the candidate has said so far, in simulated time."""

    def __init__(self) -> None:
        self.answered: dict[str, int] = {}  # role -> first answer (itself or standing in)
        self.done: dict[str, int] = {}  # task or decision -> when
        self.declared: int | None = None
        self.injects: dict[str, int] = {}
        self.resolved: int | None = None
        self.told: set[tuple[str, str]] = set()  # (kind, stakeholder) already messaged

    def trigger(self, when: str, rb: m.Runbook) -> int | None:
        """The time a communication rule's `when` names, once it has happened."""
        if when == "declared":
            return self.declared
        if when == "resolved":
            return self.resolved
        kind, _, target = when.partition(":")
        if kind == "inject":
            return self.injects.get(target)
        if kind == "done":
            return self.done.get(target)
        if kind == "engaged":
            times = [t for r, t in self.answered.items() if r in rb.roles and target in rb.roles[r].fills]
            return min(times, default=None)
        return None


def order(e: Event) -> tuple[int, int]:
    """The one order answers are judged in: simulated time, then the order they were recorded."""
    return (e.t, e.seq)


class Tracker:
    """Departures as answers arrive: feed events one by one in `order` (a live board), or all at once (`judged`)."""

    def __init__(self, sc: m.Scenario, rb: m.Runbook):
        self.sc, self.rb = sc, rb
        self.clock = sc.clock()  # the engine's: business days skip the scenario's public holidays
        self.world = World(sc, rb, self.clock)
        self.duty = Duty(sc, rb, self.clock)
        self.steps = list(rb.playbooks.get(sc.playbook or "", ()))
        self.who = Names(sc, rb)  # read aloud: roles and stakeholders by their names, as the board and report say them
        self.st = _State()
        self.found: list[Departure] = []
        self.last: tuple[int, int] = (-1, -1)  # the latest event judged, in `order`

    def follows(self, e: Event) -> bool:
        """Whether `e` comes after everything judged so far: only then may it be fed on (else judge all again)."""
        return order(e) > self.last

    def feed(self, e: Event) -> list[Departure]:
        self.last = max(self.last, order(e))
        d, st = e.data, self.st
        out: list[Departure] = []
        if e.type == "inject":
            st.injects.setdefault(str(d.get("id")), e.t)
        elif e.type == "answer":
            for r in (d.get("role"), d.get("stands_in_for")):
                if r:
                    st.answered.setdefault(str(r), e.t)
        elif e.type == "acknowledge" and st.declared is None:
            st.declared = e.t
        elif e.type == "resolve" and st.resolved is None:
            st.resolved = e.t
        elif e.type == "page":
            out = _page(e, self.sc, self.rb, self.world, self.duty, self.who)
        elif e.type in ("notify", "update"):
            out = _message(e, self.rb, st, self.clock, self.who)
        elif e.type in ("act", "decide"):
            out = _step(e, self.rb, self.steps, st, self.who)
            st.done.setdefault(str(d.get("task") if e.type == "act" else d.get("decision")), e.t)
        self.found += out
        return out


def judged(sc: m.Scenario, rb: m.Runbook, events: Iterable[Event]) -> Tracker:
    """A tracker that has judged every answer of a transcript in `order` (withdrawn answers left out)."""
    tr = Tracker(sc, rb)
    for e in sorted(live_events(list(events)), key=order):
        tr.feed(e)
    return tr


def departures(sc: m.Scenario, rb: m.Runbook, events: Iterable[Event]) -> list[Departure]:
    """Every departure in a transcript, judged in simulated-time order (withdrawn answers left out)."""
    return judged(sc, rb, events).found


def _page(e: Event, sc: m.Scenario, rb: m.Runbook, world: World, duty: Duty, name: Names) -> list[Departure]:
    role = str(e.get("role"))
    r = rb.roles.get(role)
    if r is None:
        return [Departure(e.seq, e.t, "plan", f"{role} is not a role in the runbook")]
    out = []
    answer_at = reached_at(e)
    iv = world.unreachable_at(role, answer_at)
    if iv is not None and answer_at == e.t:
        out.append(Departure(e.seq, e.t, "reach", f"{name(role)} is unreachable now ({iv.source}): who answers instead?"))
    elif iv is not None:  # said to call back while still out of reach
        out.append(Departure(e.seq, e.t, "reach", f"{name(role)} is unreachable until {iv.until(duty.clock)} ({iv.source}): "
                                                  f"an answer at {duty.clock.label(answer_at)} cannot come; who answers instead?"))
    off = duty.off(role, e.t)  # the engine's own rule for when a paged role can answer
    if off is not None:
        at = duty.clock.label(e.t)
        text = (f"{name(role)} works {r.hours} hours, closed on {off.holiday} ({rb.holidays} public holiday): paged at {at}"
                if off.holiday else f"{name(role)} works {r.hours} hours: paged outside them at {at}")
        if off.callout is not None:
            text += f"; its after-hours call-out covers {', '.join(off.callout.severity)} only, not this {sc.severity}"
        out.append(Departure(e.seq, e.t, "reach", text))
    return out


def _message(e: Event, rb: m.Runbook, st: _State, clock: Clock, name: Names) -> list[Departure]:
    who, via, by = str(e.get("stakeholder")), str(e.get("via") or ""), e.get("by")
    to = name(who)
    rules = [r for r in rb.communication if who in r.stakeholders]
    same = [r for r in rules if r.kind == e.type] or rules
    out = []
    first = (e.type, who) not in st.told
    st.told.add((e.type, who))
    if not same:
        out.append(Departure(e.seq, e.t, "plan", f"the runbook has no plan to tell {to}: improvised"))
    else:
        vias = list(dict.fromkeys(v for r in same for v in r.via))
        if via and via not in vias:
            out.append(Departure(e.seq, e.t, "channel", f"the runbook says {' or '.join(vias)} to {to}; said {via}"))
        senders = list(dict.fromkeys(r.by for r in same))
        if by and by not in senders and not any(by == (rb.roles[s].backup if s in rb.roles else None) for s in senders):
            out.append(Departure(e.seq, e.t, "role", f"the runbook has {' or '.join(map(name, senders))} tell {to}; said {name(by)}"))
        if first:
            for r in same:
                if r.kind == e.type and r.within is not None:
                    start = st.trigger(r.when, rb)
                    if start is not None and e.t > clock.after(start, r.within):
                        due = clock.after(start, r.within)
                        out.append(Departure(e.seq, e.t, "timing", f"the runbook promises {to} within {r.within} of {when_words(r.when)} "
                                                                   f"(by {clock.label(due)}); said {clock.label(e.t)}"))
                    break
    return out + _unanswered(e, rb, st, name, "sends this")


def _unanswered(e: Event, rb: m.Runbook, st: _State, name: Names, doing: str) -> list[Departure]:
    """A runbook role said to send, do or decide something before it has answered a page."""
    by = e.get("by")
    if by and by in rb.roles and (st.answered.get(by) is None or st.answered[by] > e.t):
        return [Departure(e.seq, e.t, "reach", f"{name(by)} has not answered a page yet: who {doing}?")]
    return []


def _step(e: Event, rb: m.Runbook, steps: list[m.Step], st: _State, name: Names) -> list[Departure]:
    task = str(e.get("task") if e.type == "act" else e.get("decision"))
    reach = _unanswered(e, rb, st, name, "decides this" if e.type == "decide" else "does this")
    idx = next((i for i, s in enumerate(steps) if s.task == task), None)
    if idx is None:
        return ([Departure(e.seq, e.t, "plan", f"{task} is not in the runbook's playbook: improvised")] if steps else []) + reach
    out = []
    before = next((s for s in steps[:idx] if st.done.get(s.task, e.t + 1) > e.t), None)
    if before is not None:
        out.append(Departure(e.seq, e.t, "order", f"the runbook does {before.task} before {task}; {before.task} is not done yet"))
    step, by = steps[idx], e.get("by")
    if by and by != step.by:
        out.append(Departure(e.seq, e.t, "role", f"the runbook has {name(step.by)} {'decide' if e.type == 'decide' else 'do'} "
                                                 f"{task}; said {name(by)}"))
    return out + reach
