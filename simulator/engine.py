"""The as-stated engine (SPEC section 5): what a runbook's promises produce on this night.

A discrete-event simulation, pure and deterministic: the same scenario and
runbook give the same list of events. Every promise is taken at its bound
(a role answers exactly `responds` after it can, a message goes exactly at its
promised time), so each number in the result can be explained from the files.

One module (about 600 lines, over the ~450 norm on purpose): `_Sim` is a single state machine
whose handlers (paging, escalation, playbooks, messages) schedule each other on one queue, so
splitting them would only pass its state around; the rules it shares with the live session are the
module-level functions. `workload.py` holds the load-time bound on what `_Sim` will schedule (kept
apart so `ttx validate` need not import the engine; it must count what these handlers do).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Protocol

import attrs

from . import model as m
from .events import Event
from .record import record
from .timing import Calendar, Clock, Duration, zone
from .workload import MAX_WORK

NEVER = math.inf

# Order of simultaneous happenings: world changes first, then work finishing, then people
# answering, then injects (which so see a task done at their own time as done), pages, messages.
P_CURVEBALL, P_DONE, P_RESOLVE, P_ANSWER, P_INJECT, P_PAGE, P_MESSAGE, P_END = range(8)


class Chance(Protocol):
    """Draws that change one night's promises (SPEC section 12); a play as stated has none."""

    def page(self, role: str, responds: Duration) -> tuple[Duration | None, str]:
        """How long this page takes to answer once the role can (None: never, and why)."""

    def step(self, task: str, takes: Duration) -> Duration:
        """How long this playbook step takes."""


@record
class Interval:
    start: int
    end: float  # NEVER for "until the end"
    source: str

    def covers(self, t: float) -> bool:
        return self.start <= t < self.end

    def until(self, clock: Clock) -> str:
        """When it ends, as the board and the report say it: a time, or "the end" for one that lasts to the horizon."""
        return "the end" if self.end == NEVER else clock.label(int(self.end))


class World:
    """Who is reachable and which channels work, from the scenario's curveballs."""

    def __init__(self, scenario: m.Scenario, runbook: m.Runbook, clock: Clock):
        self.unreachable: dict[str, list[Interval]] = {}
        self.down: dict[str, list[Interval]] = {}
        self.unknown_targets: list[tuple[m.Curveball, str]] = []
        for cb in scenario.curveballs:
            start = clock.after(0, cb.at)
            end = clock.after(start, cb.for_) if cb.for_ else NEVER
            if cb.channel_down:
                self.down.setdefault(cb.channel_down, []).append(Interval(start, end, cb.id))
                continue
            role = resolve_role(runbook, cb.unreachable or "")
            if role is None:
                self.unknown_targets.append((cb, cb.unreachable or ""))
            else:
                self.unreachable.setdefault(role, []).append(Interval(start, end, cb.id))

    def unreachable_at(self, role: str, t: float) -> Interval | None:
        return next((iv for iv in self.unreachable.get(role, ()) if iv.covers(t)), None)

    def down_at(self, channel: str, t: float) -> Interval | None:
        return next((iv for iv in self.down.get(channel, ()) if iv.covers(t)), None)


@record
class OffDuty:
    """Why a role is not at work at a moment (`Duty.off`), in the parts a reason is said from."""

    holiday: str  # "Thu 26 Nov, Thanksgiving Day": a public holiday shuts hours that are otherwise open; else ""
    callout: m.AfterHours | None  # its after-hours call-out, which then does not cover this severity; None: it has none


class Duty:
    """When a runbook's roles work on this night: inside their hours in the runbook's zone, except on the
    runbook's public holidays, or at any hour when their after-hours call-out covers the scenario's severity.

    The one rule for when a paged role can answer (the engine's `answer_time`) and for whether it is at work
    now (the board's reach flag, the live forms' defaults)."""

    def __init__(self, scenario: m.Scenario, runbook: m.Runbook, clock: Clock):
        self.sc, self.rb, self.clock = scenario, runbook, clock
        self.tz = zone(runbook.timezone) if runbook.timezone else clock.tz
        self.closed = clock.closed_dates(runbook.holidays, self.tz)  # local dates the runbook's hours shut

    def calendar(self, role: str) -> Calendar:
        return self.rb.calendar(self.rb.roles[role])

    def callout(self, role: str) -> m.AfterHours | None:
        """The role's after-hours call-out, if it covers this scenario's severity (else it is not paid for)."""
        ah = self.rb.roles[role].after_hours
        return ah if ah is not None and ah.covers(self.sc.severity) else None

    def opens(self, role: str, t: int) -> int:
        """The first moment from t on inside the role's hours (t itself if open now); public holidays shut them."""
        return self.clock.next_open(t, self.calendar(role), self.tz, self.closed)

    def off(self, role: str, t: int) -> OffDuty | None:
        """None when the role is at work at t (in its hours, or called out at this severity); else why not."""
        if self.callout(role) is not None or self.opens(role, t) == t:
            return None
        local = self.clock.local(t, self.tz)
        shut = self.closed.get(local.date()) if self.calendar(role).is_open(local) else None
        return OffDuty(holiday_words(local.date(), shut) if shut else "", self.rb.roles[role].after_hours)

    def holiday_between(self, t: int, opens: int, role: str) -> str:
        """`Thu 26 Nov, Thanksgiving Day` when a public holiday kept the role's hours shut between t and opens."""
        if not self.closed or self.clock.next_open(t, self.calendar(role), self.tz) >= opens:
            return ""
        a, b = self.clock.local(t, self.tz).date(), self.clock.local(opens, self.tz).date()
        return "; ".join(holiday_words(d, name) for d, name in self.closed.items() if a <= d <= b)


def holiday_words(day: date, name: str) -> str:
    return f"{day:%a %d %b}, {name}"


def resolve_role(runbook: m.Runbook, name: str) -> str | None:
    """A role by name, or the first role listed that fills a function of that name."""
    if name in runbook.roles:
        return name
    fillers = runbook.fillers(name)
    return fillers[0] if fillers else None


def inject_event(inj: m.Inject, t: int, done: Mapping[str, int], clock: Clock) -> Event:
    """An inject at t: delivered, or held by its `when:` given when tasks were done (the engine and the
    live session both deliver injects with this)."""
    if inj.when:
        task = inj.when.not_done or inj.when.done or ""
        done_at = done.get(task)
        is_done = done_at is not None and done_at <= t
        if inj.when.not_done and is_done:
            return Event(int(t), "inject_held", {"id": inj.id, "reason": f"{task} was done at {clock.label(int(done_at or 0))}"})
        if inj.when.done and not is_done:
            return Event(int(t), "inject_held", {"id": inj.id, "reason": f"{task} was not done by then"})
    return Event(int(t), "inject", {"id": inj.id, "source": inj.source, "message": inj.message})


def curveball_event(cb: m.Curveball, t: int, clock: Clock, runbook: m.Runbook) -> Event:
    """A curveball starting at t (its end, if it has one, is `until`)."""
    until = clock.after(t, cb.for_) if cb.for_ else None
    if cb.channel_down:
        return Event(int(t), "curveball", {"id": cb.id, "what": "channel_down", "target": cb.channel_down, "until": until})
    return Event(int(t), "curveball", {"id": cb.id, "what": "unreachable", "target": cb.unreachable,
                                        "role": resolve_role(runbook, cb.unreachable or ""), "until": until})


def delivery(scenario: m.Scenario, world: World, stakeholder: str, via: tuple[str, ...], t: int) -> tuple[str, bool, str]:
    """The channel a message goes on and whether it arrives (one rule for auto and live play).

    The first listed channel that the stakeholder takes and that is up is used;
    failing that the first they take (down), failing that the first listed.
    """
    sh = scenario.stakeholders.get(stakeholder)
    takes = sh.channels if sh else ()
    usable = [c for c in via if c in takes]
    for c in usable:
        if not world.down_at(c, t):
            return c, True, ""
    if usable:
        iv = world.down_at(usable[0], t)
        return usable[0], False, f"{usable[0]} is down ({iv.source})" if iv else f"{usable[0]} is down"
    channel = via[0] if via else "?"
    if sh is None:
        return channel, False, f"{stakeholder} is not a stakeholder in this scenario"
    return channel, False, f"{stakeholder} takes only {', '.join(takes)}"


@attrs.define
class _Chain:
    """One call for help: a page, and the backups it rolls to, closed by the first answer."""

    origin: str
    reason: str
    closed: bool = False
    paged: list[str] = attrs.Factory(list)
    declares: bool = False
    intake: str | None = None  # the inject source whose intake route made this call


@attrs.define(eq=False)
class _Page:
    """One outstanding page of a role; every call waiting on its answer."""

    role: str
    chains: list[_Chain]

    def live(self) -> list[_Chain]:
        return [c for c in self.chains if not c.closed]


class _Sim:
    def __init__(self, scenario: m.Scenario, runbook: m.Runbook, chance: Chance | None = None):
        self.chance = chance
        self.sc = scenario
        self.rb = runbook
        self.clock = scenario.clock()
        self.duty = Duty(scenario, runbook, self.clock)
        self.paged_ever: set[str] = set()  # every role paged so far (intake pages a role once)
        self.horizon = self.clock.after(0, scenario.horizon)
        self.world = World(scenario, runbook, self.clock)
        self.events: list[Event] = []
        self.queue: list[tuple[float, int, int, Callable[[int], None]]] = []
        self.counter = 0
        self.work = 0  # happenings scheduled plus events written, bounded by MAX_WORK
        self.answered: dict[str, int] = {}  # role -> first answer, by itself or a backup standing in
        self.answered_self: set[str] = set()  # roles that answered a page themselves (as themselves or as a backup)
        self.open_page: dict[str, _Page] = {}  # role -> its outstanding page
        self.engaged: dict[str, int] = {}
        self.done: dict[str, int] = {}
        self.declared: int | None = None
        self.resolved: int | None = None
        self.first_inject = True
        self.waiting: dict[str, list[Callable[[int], None]]] = {}  # role -> callbacks on its answer
        self.triggers: dict[str, list[Callable[[int], None]]] = {}
        self.in_progress: dict[str, int] = {}  # task -> when it started, until done

    # -- plumbing ---------------------------------------------------------------------------
    def at(self, t: float, prio: int, fn: Callable[[int], None]) -> None:
        if t <= self.horizon:
            self.counter += 1
            self.work += 1
            heapq.heappush(self.queue, (t, prio, self.counter, fn))

    def emit(self, t: int, type_: str, **data: Any) -> None:
        self.work += 1
        self.events.append(Event(int(t), type_, data, len(self.events) + 1))  # numbered as written, from 1

    def record(self, e: Event) -> None:
        """An event made by a rule shared with the live session, numbered here."""
        self.events.append(Event(e.t, e.type, e.data, len(self.events) + 1))

    def label(self, t: float) -> str:
        return self.clock.label(int(t)) if t != NEVER else "never"

    def run(self) -> list[Event]:
        for cb in self.sc.curveballs:
            self.at(self.clock.after(0, cb.at), P_CURVEBALL, lambda t, cb=cb: self.curveball(t, cb))  # type: ignore[misc]  # mypy cannot type default-bound lambdas
        for inj in sorted(self.sc.injects, key=lambda i: self.clock.after(0, i.at)):
            self.at(self.clock.after(0, inj.at), P_INJECT, lambda t, inj=inj: self.inject(t, inj))  # type: ignore[misc]  # as above
        self.at(self.horizon, P_END, self.end)
        while self.queue:
            t, _, _, fn = heapq.heappop(self.queue)
            if self.work >= MAX_WORK:  # a pathological pair (many fast cadences): stop, and say so
                self.emit(int(t), "end", reason=f"work limit reached ({MAX_WORK:,} happenings scheduled or recorded)")
                break
            fn(int(t))
        return self.events

    def end(self, t: int) -> None:
        # Tasks under way at the horizon: their start still orders a `before: act:TASK` (SPEC section 7).
        # Transcript fields are flat: one `started:TASK` field (seconds) per task.
        self.emit(t, "end", reason="horizon", **{f"started:{task}": st for task, st in self.in_progress.items()})

    def fire(self, trigger: str, t: int) -> None:
        for fn in self.triggers.pop(trigger, []):
            fn(t)

    def on_trigger(self, trigger: str, fn: Callable[[int], None]) -> None:
        known = {"declared": self.declared, "resolved": self.resolved}
        kind, _, arg = trigger.partition(":")
        if kind == "engaged":
            known[trigger] = self.engaged.get(arg)
        elif kind == "done":
            known[trigger] = self.done.get(arg)
        if known.get(trigger) is not None:
            fn(known[trigger])  # type: ignore[arg-type]
        else:
            self.triggers.setdefault(trigger, []).append(fn)

    # -- the world --------------------------------------------------------------------------
    def curveball(self, t: int, cb: m.Curveball) -> None:
        e = curveball_event(cb, t, self.clock, self.rb)
        self.record(e)
        until = e.get("until")
        if until is not None:
            self.at(until, P_CURVEBALL, lambda t2: self.emit(t2, "curveball_end", id=cb.id))

    def inject(self, t: int, inj: m.Inject) -> None:
        e = inject_event(inj, t, self.done, self.clock)
        self.record(e)
        if e.type == "inject_held":
            return
        self.fire(f"inject:{inj.id}", t)
        first, self.first_inject = self.first_inject, False
        routed = self.rb.intake.get(inj.source or "")
        if routed is not None:  # the runbook's intake: this source pages its own role
            if first or routed not in self.paged_ever:
                self.page(t, routed, _Chain(routed, f"inject {inj.id} (intake: {inj.source})", declares=True, intake=inj.source))
        elif first:
            role = resolve_role(self.rb, "first_responder")
            if role is not None:
                self.page(t, role, _Chain(role, f"inject {inj.id}", declares=True))

    # -- paging -----------------------------------------------------------------------------
    def answer_time(self, t: int, role: str) -> tuple[float, str, dict[str, Any]]:
        """When a role paged at t would answer, why it is not sooner, and what the page event
        should add (`after_hours`, `holiday`: only when those rules shaped the answer)."""
        r = self.rb.roles[role]
        blocked = self.world.unreachable_at(role, t)
        if blocked:
            return NEVER, f"unreachable when paged ({blocked.source})", {}
        responds: Duration | None = r.responds  # as stated; a stress draw may change it
        if self.chance is not None:
            responds, drawn_why = self.chance.page(role, r.responds)
            if responds is None:
                return NEVER, drawn_why, {}
        assert responds is not None
        x: float = t
        for _ in range(100):  # alternate hours and outages until both allow an answer
            x = self.duty.opens(role, int(x))
            iv = self.world.unreachable_at(role, x)
            if iv is None:
                break
            x = iv.end
            if x == NEVER:
                break
        answer = NEVER if x == NEVER else self.clock.after(int(x), responds)
        extra: dict[str, Any] = {}
        why = ""
        if x == NEVER:
            assert iv is not None  # only an outage without end makes the answer never come
            why = f"unreachable from {self.label(iv.start)} on ({iv.source})"
        elif x > t:
            why = f"{r.name} works {r.hours} hours ({self.duty.calendar(role).describe()} {self.duty.tz.key})"
            holiday = self.duty.holiday_between(t, int(x), role)
            if holiday:
                extra["holiday"] = holiday
                why += f", closed on {holiday} ({self.rb.holidays} public holiday)"
        ah = self.duty.callout(role)
        if ah is not None:
            promise = ah.responds
            if self.chance is not None and r.responds.seconds and not promise.business_days:
                # a stress night's draw for this page scales the call-out as it scales the in-hours answer
                promise = Duration(round(promise.seconds * responds.seconds / r.responds.seconds))  # type: ignore[union-attr]
            callout = self.clock.after(t, promise)  # reachable at t (else never): any hour will do
            if callout < answer:
                extra = {"after_hours": True}  # the call-out answers: a holiday no longer shapes it
                why = f"{r.name} is called out after hours for {self.sc.severity} (answers within {ah.responds})" + (
                    f"; in hours it would answer {self.label(answer)}" if answer != NEVER else "")
                answer = callout
        return answer, why, extra

    def page(self, t: int, role: str, chain: _Chain, backs: str | None = None) -> None:
        if chain.closed:
            return
        chain.paged.append(role)
        self.paged_ever.add(role)
        routed = {"intake": chain.intake} if chain.intake and role == chain.origin else {}
        if role in self.answered_self and not self.world.unreachable_at(role, t):
            # already working the incident and reachable: takes the call at once
            self.emit(t, "page", role=role, reason=chain.reason, backs=backs, answers_at=t, why="already on the incident", **routed)
            self.close(t, role, chain)
            return
        if role in self.open_page:  # already being paged: this call waits on the same answer
            self.open_page[role].chains.append(chain)
            return
        answer, why, extra = self.answer_time(t, role)
        self.emit(t, "page", role=role, reason=chain.reason, backs=backs,
                  answers_at=None if answer == NEVER else int(answer), why=why, **extra, **routed)
        page = self.open_page[role] = _Page(role, [chain])
        r = self.rb.roles[role]
        if answer != NEVER:
            self.at(answer, P_ANSWER, lambda ta: self.answer(ta, page))
        elif not r.backup:  # no backup: paged again once it can be reached
            blocked = self.world.unreachable_at(role, t)
            if blocked and blocked.end != NEVER:
                self.at(blocked.end, P_PAGE, lambda tr: self.repage(tr, page))
        if r.backup and self.rb.no_answer_after is not None:
            deadline = self.clock.after(t, self.rb.no_answer_after)
            if answer == NEVER or answer > deadline:
                self.at(deadline, P_PAGE, lambda td: self.roll_to_backup(td, page))

    def repage(self, t: int, page: _Page) -> None:
        if self.open_page.get(page.role) is not page:
            return
        del self.open_page[page.role]
        for chain in page.live():
            chain.reason = "re-page: reachable again"
            self.page(t, page.role, chain)

    def roll_to_backup(self, t: int, page: _Page) -> None:
        backup = self.rb.roles[page.role].backup
        for chain in page.live():
            if backup and backup not in chain.paged:
                self.page(t, backup, chain, backs=page.role)

    def answer(self, t: int, page: _Page) -> None:
        if self.open_page.get(page.role) is not page:
            return  # the call was taken by someone else first: this page is closed
        del self.open_page[page.role]
        chains = page.live()
        if chains:
            self.close(t, page.role, *chains)

    def close(self, t: int, role: str, *chains: _Chain) -> None:
        for chain in chains:
            chain.closed = True
        for other in {r for c in chains for r in c.paged} - {role}:
            pending = self.open_page.get(other)
            if pending is not None and not pending.live():
                del self.open_page[other]  # its page is closed: it never answers it, and is free to be called again
        stands_in = next((c.origin for c in chains if c.origin != role), None)
        self.emit(t, "answer", role=role, stands_in_for=stands_in)
        self.answered_self.add(role)
        for who in [role] + [c.origin for c in chains]:
            if who not in self.answered:
                self.answered[who] = t
                for fn in self.waiting.pop(who, []):
                    fn(t)
        for f in self.rb.roles[role].fills:
            if f not in self.engaged:
                self.engaged[f] = t
                self.fire(f"engaged:{f}", t)
        if any(c.declares for c in chains) and self.declared is None:
            self.declare(t, role)

    def has_answered(self, who: str) -> bool:
        return who in self.answered if who in self.rb.roles else who in self.engaged

    def when_answered(self, who: str, fn: Callable[[int], None]) -> None:
        """Call fn once `who` (a role, or a function) has answered."""
        if who in self.rb.roles:
            if who in self.answered:
                fn(self.answered[who])
            else:
                self.waiting.setdefault(who, []).append(fn)
        else:
            self.on_trigger(f"engaged:{who}", fn)

    def page_if_idle(self, t: int, who: str, reason: str) -> None:
        role = resolve_role(self.rb, who)
        if role is None:
            return
        busy = role in self.answered or role in self.open_page
        if who not in self.rb.roles:  # a function: any filler already called will do
            busy = busy or any(r in self.answered or r in self.open_page for r in self.rb.fillers(who))
        if not busy:
            self.page(t, role, _Chain(role, reason))

    # -- the response -----------------------------------------------------------------------
    def declare(self, t: int, role: str) -> None:
        self.declared = t
        self.emit(t, "acknowledge", by=role)
        for i, rule in enumerate(self.rb.escalation):
            if self.sc.severity in rule.severity:
                self.at(self.clock.after(t, rule.after), P_PAGE,
                        lambda tp, to=rule.to, i=i: self.page_if_idle(tp, to, f"escalation rule {i + 1}"))  # type: ignore[misc]
        steps = self.rb.playbooks.get(self.sc.playbook or "", ())
        if steps:
            self.start_step(t, steps, 0)
        self.fire("declared", t)

    def start_step(self, t: int, steps: tuple[m.Step, ...], i: int) -> None:
        if i >= len(steps):
            return
        step = steps[i]
        is_person = step.by in self.rb.roles or step.by in m.FUNCTIONS

        def begin(ts: int) -> None:
            start = max(ts, t)
            if step.kind == "act" and step.task not in self.done:
                self.in_progress.setdefault(step.task, start)
            takes = step.takes if self.chance is None else self.chance.step(step.task, step.takes)
            self.at(self.clock.after(start, takes), P_DONE, lambda td: self.finish(td, steps, i, start))

        if not is_person:  # a decision owned by a stakeholder: no one to page
            begin(t)
            return
        self.page_if_idle(t, step.by, f"playbook: {step.kind} {step.task}")
        self.when_answered(step.by, begin)

    def finish(self, t: int, steps: tuple[m.Step, ...], i: int, started: int) -> None:
        step = steps[i]
        by = self.step_by(step)
        if step.kind == "act":
            self.in_progress.pop(step.task, None)
            self.emit(t, "act", task=step.task, by=by, started=started)
            if step.task not in self.done:
                self.done[step.task] = t
                self.fire(f"done:{step.task}", t)
                self.check_resolution(t)
        else:
            self.emit(t, "decide", decision=step.task, by=by, started=started)
        self.start_step(t, steps, i + 1)

    def step_by(self, step: m.Step) -> str | None:
        return resolve_role(self.rb, step.by) if step.by in m.FUNCTIONS else step.by

    def check_resolution(self, t: int) -> None:
        res = self.sc.resolution
        if res and self.resolved is None and all(task in self.done for task in res.after):
            when = self.clock.after(max(self.done[task] for task in res.after), res.takes)
            self.at(when, P_RESOLVE, self.resolve)

    def resolve(self, t: int) -> None:
        if self.resolved is None:
            self.resolved = t
            self.emit(t, "resolve")
            self.fire("resolved", t)

    # -- communication ----------------------------------------------------------------------
    def plan_messages(self) -> None:
        for i, rule in enumerate(self.rb.communication):
            self.on_trigger(rule.when, lambda t, rule=rule, i=i: self.start_rule(t, rule, i))  # type: ignore[misc]

    def start_rule(self, t: int, rule: m.CommRule, index: int) -> None:
        pending: list[int] = []
        sent: set[int] = set()

        def send(ts: int, collapsed: int) -> None:
            if ts not in sent:  # one message per instant, even when a due time meets the answer
                sent.add(ts)
                self.send(ts, rule, index, collapsed)

        def due(tm: int) -> None:
            if rule.every is not None and self.resolved is not None and self.resolved <= tm:
                return  # a cadence runs until resolution
            if self.has_answered(rule.by):
                send(tm, 0)
            else:
                pending.append(tm)
                if len(pending) == 1:  # the ones due before the author answers go once, at the answer
                    self.when_answered(rule.by, lambda ta: send(ta, len(pending)))  # collapsed: how many were due
            if rule.every is not None:
                self.at(self.clock.after(tm, rule.every), P_MESSAGE, due)

        first = self.clock.after(t, rule.within or rule.every or Duration(0))
        self.at(first, P_MESSAGE, due)

    def send(self, t: int, rule: m.CommRule, index: int, collapsed: int) -> None:
        by = resolve_role(self.rb, rule.by) if rule.by in m.FUNCTIONS else rule.by
        for who in rule.stakeholders:
            if who not in self.sc.stakeholders:
                continue  # a mismatch between the files: reported as a finding by the scorer
            channel, ok, why = delivery(self.sc, self.world, who, rule.via, t)
            data: dict[str, Any] = {"stakeholder": who, "via": channel, "by": by, "delivered": ok}
            if why:
                data["why"] = why
            data["rule"] = index + 1
            if collapsed > 1:
                data["collapsed"] = collapsed
            self.emit(t, rule.kind, **data)


def play(scenario: m.Scenario, runbook: m.Runbook, chance: Chance | None = None) -> list[Event]:
    """Play the scenario as the runbook states (or as `chance` draws it); events in time order, numbered from 1."""
    sim = _Sim(scenario, runbook, chance)
    sim.plan_messages()
    return sim.run()


def unknown_curveball_targets(scenario: m.Scenario, runbook: m.Runbook) -> list[tuple[m.Curveball, str]]:
    return World(scenario, runbook, scenario.clock()).unknown_targets
