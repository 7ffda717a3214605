"""What a live form should offer first, from the state of the exercise (so the usual answer is one key and Enter).

Each default is the entry the facilitator most likely means: the open obligation the form
answers, the stakeholder's own channels, the role the runbook names if it can act now.
Pure: the scenario, runbook, world, events so far, the obligations as they stand and the
simulated now in; a dict of field values out. Nothing is recorded from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import model as m
from .engine import Duty, World, resolve_role
from .events import Event, live_events


class _Now:
    def __init__(self, sc: m.Scenario, rb: m.Runbook, world: World, events: Iterable[Event], now: int):
        self.sc, self.rb, self.world, self.now = sc, rb, world, now
        self.duty = Duty(sc, rb, sc.clock())
        self.events = live_events(list(events))
        self.answered = {str(r) for e in self.events if e.type == "answer" and e.t <= now
                         for r in (e.get("role"), e.get("stands_in_for")) if r}
        self.done = {str(e.get("task")) for e in self.events if e.type == "act"}
        self.decided = {str(e.get("decision")) for e in self.events if e.type == "decide"}

    def reachable(self, role: str | None) -> bool:
        return bool(role) and role in self.rb.roles and self.world.unreachable_at(str(role), self.now) is None

    def can_act(self, role: str | None) -> str | None:
        """The named role if it can act now, else its backup if that can, else whoever has answered and is reachable."""
        if self.reachable(role):
            return role
        backup = self.rb.roles[role].backup if role in self.rb.roles else None
        if self.reachable(backup):
            return backup
        on = [r for r in self.rb.roles if r in self.answered and self.reachable(r)]
        return on[0] if on else role

    def sender(self, named: str | None, stakeholder: str) -> str | None:
        """Who sends a message to `stakeholder`: the first of the runbook's sender and its backup (what the candidate
        wrote: the board does not flag them), the role that sent that stakeholder the previous message (the room keeps
        one voice per stakeholder), the incident commander and the communications lead the runbook names, then any
        other role, that is on the incident (has answered) and reachable now. A message from a role nobody has engaged
        is a departure the board flags, so it is offered only before anyone is on the incident: then the runbook's own
        sender, else the previous one."""
        previous = self.last_sender(stakeholder)
        backup = self.rb.roles[named].backup if named in self.rb.roles else None
        ladder = [named, backup, previous, *self.rb.fillers("incident_commander"), *self.rb.fillers("communications_lead"),
                  *self.rb.roles]
        on = [r for r in dict.fromkeys(ladder) if r and r in self.answered and self.reachable(r)]
        if on:
            return on[0]
        return named or previous or self.filler("incident_commander") or self.filler("communications_lead")

    def last_sender(self, stakeholder: str) -> str | None:
        """The role that sent `stakeholder` the latest message (notify or update) by now, if a role did."""
        sent = [e for e in self.events if e.type in ("notify", "update") and e.get("stakeholder") == stakeholder
                and e.t <= self.now and e.get("by") in self.rb.roles]
        return str(max(sent, key=lambda e: (e.t, e.seq)).get("by")) if sent else None

    def on_duty(self, role: str) -> bool:
        """Reachable and at work now, by the engine's own rule (`Duty.off`: in its hours, which the runbook's
        public holidays shut, or called out after hours at this severity), as the board's reach flag judges it."""
        return role in self.rb.roles and self.reachable(role) and self.duty.off(role, self.now) is None

    def acknowledger(self) -> str | None:
        """Who picks up: a first responder that can now; if none can, the first the runbook escalates to that
        can, then anyone on the incident; failing all, the first responder as written. "Can" is first "on
        duty" (a desk that works business hours does not pick up at 02:07 on a Saturday: the on-call role
        does), then, where nobody on that ladder is, merely reachable."""
        responders = self.rb.fillers("first_responder")
        ladder = [r for r in dict.fromkeys([*responders, *(resolve_role(self.rb, e.to) for e in self.rb.escalation),
                                            *(r for r in self.rb.roles if r in self.answered)]) if r in self.rb.roles]
        now = next((r for r in ladder if self.on_duty(r)), None) or next((r for r in ladder if self.reachable(r)), None)
        return now or self.filler("first_responder") or next(iter(self.rb.roles), None)

    def filler(self, function: str) -> str | None:
        """A role filling the function: one already on the incident, else one reachable now, else the first listed."""
        roles = self.rb.fillers(function)
        for pick in ([r for r in roles if r in self.answered and self.reachable(r)], [r for r in roles if self.reachable(r)], roles):
            if pick:
                return pick[0]
        return None


def suggest(kind: str, sc: m.Scenario, rb: m.Runbook, world: World, events: Iterable[Event], open_ids: list[str],
            now: int) -> dict[str, Any]:
    """Default field values for a form of `kind`. `open_ids`: ids of obligations not yet done, most urgent first."""
    x = _Now(sc, rb, world, events, now)
    wanted = {o.id: o for _, o in sc.obligations}
    pending = [wanted[i] for i in open_ids if i in wanted]
    first = next((o for o in pending if o.kind == kind or (kind == "page" and o.kind == "engage")), None)
    if kind in ("act", "decide"):
        first = _in_turn(kind, pending, rb.playbooks.get(sc.playbook or "", ()))
    if kind == "acknowledge":
        return {"by": x.acknowledger()}
    if kind == "page":
        called = {str(e.get("role")) for e in x.events if e.type == "page"} | x.answered
        # the functions engage obligations wait for, most urgent first: the first one someone can be paged for now
        # (the technical lead is on another bridge all morning: the security lead, whose deadline is the same)
        functions = [str(o.target) for o in pending if o.kind == "engage" and o.target]
        reach = next((fn for fn in functions if any(r not in called and x.reachable(r) for r in rb.fillers(fn))), None)
        waits = reach or (functions[0] if functions else None)
        fn = waits or "first_responder"
        ladder: list[str | None] = list(rb.fillers(fn))
        if waits is None and x.answered:
            # no function waits and someone is on the incident: who the playbook needs next (the NOC lead who
            # restores DNS), then the escalation ladder; not the analyst already working it
            todo = [st for st in rb.playbooks.get(sc.playbook or "", ()) if st.task not in (x.done if st.kind == "act" else x.decided)]
            ladder = [*(resolve_role(rb, st.by) for st in todo),
                      *(resolve_role(rb, e.to) for e in rb.escalation if sc.severity in e.severity), *ladder]
        fresh = [r for r in dict.fromkeys(ladder) if r and r not in called and x.reachable(r)]
        # one at work now first: a desk that works business hours is not who a 02:07 page goes to
        return {"role": next((r for r in fresh if x.on_duty(r)), fresh[0] if fresh else x.filler(fn))}
    if kind == "answer":
        answered_at = {str(e.get("role")): e.t for e in x.events if e.type == "answer"}
        waiting = [e for e in x.events if e.type == "page" and e.get("answers_at") is None
                   and answered_at.get(str(e.get("role")), -1) < e.t]
        if not waiting:
            return {}
        page = max(waiting, key=lambda e: (e.t, e.seq))  # the latest call out is the one calling back
        return {"role": page.get("role"), "stands_in_for": page.get("backs")}
    if kind in ("notify", "update"):
        return _message(kind, x, first)
    if kind == "act":
        steps = [s for s in rb.playbooks.get(sc.playbook or "", ()) if s.kind == "act"]
        task = first.target if first is not None else next((s.task for s in steps if s.task not in x.done), None)
        if task is None:
            task = next((t for t in sorted(sc.tasks()) if t not in x.done), None)
        step = next((s for s in steps if s.task == task), None)
        return {"task": task, "by": x.can_act(step.by) if step else x.filler("technical_lead")}
    if kind == "decide":
        steps = [s for s in rb.playbooks.get(sc.playbook or "", ()) if s.kind == "decide"]
        decision = first.target if first is not None else next((s.task for s in steps if s.task not in x.decided), None)
        owner = first.by if first is not None and first.by else next((s.by for s in steps if s.task == decision), None)
        if owner in m.FUNCTIONS:
            owner = x.filler(owner)
        elif owner in rb.roles:
            owner = x.can_act(owner)
        return {"decision": decision, "by": owner}
    return {}


def _in_turn(kind: str, pending: list[m.Obligation], steps: Iterable[m.Step]) -> m.Obligation | None:
    """The open task or decision the candidate most likely answers: the one their playbook reaches first (they
    work down it), then the one due first (`pending` comes most urgent first). By due date alone, a decision
    the scenario wants within the hour came before the one the playbook takes first, still open."""
    order = {s.task: i for i, s in enumerate(steps) if s.kind == kind}
    mine = [o for o in pending if o.kind == kind]
    last = max(order.values(), default=0) + 1  # steps the playbook does not name come after those it does
    return min(mine, key=lambda o: order.get(o.target or "", last), default=None)  # the earlier of equals


def _message(kind: str, x: _Now, first: m.Obligation | None) -> dict[str, Any]:
    sc, rb = x.sc, x.rb
    who: str | None
    if first is not None and first.target:
        who = first.target
    else:  # nobody is waiting: the first stakeholder the runbook tells, else the scenario's first
        planned = [s for r in rb.communication if r.kind == kind for s in r.stakeholders if s in sc.stakeholders]
        who = (planned or list(sc.stakeholders) or [None])[0]  # type: ignore[list-item]  # None: nobody to tell
    if who is None:
        return {}
    takes = sc.stakeholders[who].channels if who in sc.stakeholders else ()
    rules = [r for r in rb.communication if who in r.stakeholders]
    rules = [r for r in rules if r.kind == kind] or rules
    allowed = set(first.via) if first is not None and first.via else set(takes)
    up = [c for c in takes if not x.world.down_at(c, x.now)]
    promised = [c for r in rules for c in r.via if c in takes and c in up]
    if first is not None and first.via:
        tried = {e.get("via") for e in x.events if e.type in ("notify", "update") and e.get("stakeholder") == who}
        promised = [c for c in promised if c in allowed or c not in tried]
    # The runbook's channel if the stakeholder takes it and it works now: what the candidate wrote is what
    # they most likely say, and a default that departs from it would be flagged the moment it is accepted
    # (a runbook that emails where the scenario wants a phone call misses that obligation: the point).
    # Else one the obligation accepts, else any the stakeholder takes that works. Once the room has sent on the
    # runbook's channel and the obligation still waits (the portal ticket did not count), offering it again would
    # record the same miss: then one the obligation accepts comes first.
    via = next(iter(promised + [c for c in up if c in allowed] + up), None) or (takes[0] if takes else None)
    sender = resolve_role(rb, rules[0].by) if rules else None
    return {"stakeholder": who, "via": via, "by": x.sender(sender, who)}
