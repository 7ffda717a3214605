"""Findings: the gaps a buyer should raise before signing (SPEC section 7 and 10).

Each finding says what is wrong, the question to put to the candidate and a
corrective action, so reports can build the improvement plan from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from difflib import get_close_matches

from simulator import model as m
from simulator.engine import resolve_role, unknown_curveball_targets
from simulator.record import record
from simulator.timing import Duration
from simulator.wording import Names, function_words, obligation_words, when_words

from .facts import Facts
from .judge import Result

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
# "your notifys" read badly aloud: the plural of each message kind
PLURAL = {"notify": "notifications", "update": "updates"}


@record
class Finding:
    code: str
    severity: str  # high | medium | low
    subject: str
    message: str
    question: str
    action: str
    evidence: tuple[int, ...] = ()


def needed_functions(sc: m.Scenario) -> list[str]:
    needed = ["first_responder"]
    for _, ob in sc.obligations:
        if ob.kind == "engage" and ob.target:
            needed.append(ob.target)
        if ob.by in m.FUNCTIONS:
            needed.append(ob.by)
    return list(dict.fromkeys(needed))


def _can_fire(when: str, sc: m.Scenario) -> bool:
    kind, _, arg = when.partition(":")
    if kind == "inject":
        return any(i.id == arg for i in sc.injects)
    if kind == "done":
        return arg in sc.tasks()
    return True


def find(facts: Facts, results: list[Result]) -> list[Finding]:
    sc, rb, f = facts.scenario, facts.runbook, facts
    out: list[Finding] = []
    add = out.append
    fired = [(inj, ob) for inj, ob in sc.obligations if inj.id in f.injects]  # a held inject obliges nobody
    start = f.clock.local(f.first_inject)
    when = f"{start:%H:%M} on a {start:%A}"
    provider = rb.provider
    who = Names(sc, rb)  # people as the board and the report name them; `subject` keeps the key

    # -- promises that do not cover this scenario -------------------------------------------
    used_metrics = sorted({w.metric for _, ob in fired for w in (ob.within, ob.every) if isinstance(w, m.SlaRef)})
    tier = rb.sla.get(sc.severity)
    if used_metrics and tier is None:
        add(Finding("no-sla", "high", sc.severity, f"{provider} promises no SLA for {sc.severity} incidents; "
                    f"{', '.join(used_metrics)} cannot be measured and are scored as missed",
                    f"What do you commit to for a {sc.severity} incident: acknowledge, update and restore times?",
                    f"Add {sc.severity} acknowledge, update and restore times to the contract SLA."))
    elif tier is not None:
        for metric in used_metrics:
            if getattr(tier, metric) is None:
                add(Finding("no-sla-metric", "high", metric, f"{provider} promises no {metric} time for {sc.severity}; "
                            "the obligations that rely on it are scored as missed",
                            f"What {metric} time do you commit to for {sc.severity}?",
                            f"Add a {sc.severity} {metric} time to the SLA."))

    # -- who is there ------------------------------------------------------------------------
    for fn in needed_functions(sc):
        fw = function_words(fn)  # "security lead", as the room says it
        fillers = rb.fillers(fn)
        if not fillers:
            add(Finding("function-unfilled", "high", fn, f"no role in {provider}'s runbook acts as {fw}, which this scenario needs",
                        f"Who is your {fw} on a night like this, and how are they reached?",
                        f"Name a role that acts as {fw}, with hours and a response time."))
            continue
        calendars = [rb.calendar(rb.roles[r]) for r in fillers]
        callouts = [r for r in fillers if (ah := rb.roles[r].after_hours) is not None and ah.covers(sc.severity)]
        if sc.severity == "P1" and not any(c.always for c in calendars) and callouts:
            role, name = rb.roles[callouts[0]], who(callouts[0])
            assert role.after_hours is not None
            add(Finding("after-hours-callout", "medium", fn,
                        f"the {fw} is covered out of hours only by paid call-out: {name} works {role.hours} hours "
                        f"({rb.calendar(role).describe()}) and answers a {sc.severity} within {role.after_hours.responds} outside them",
                        f"Your {fw} is a call-out after hours: who picks up at {when}, "
                        f"and is {role.after_hours.responds} written into the contract?",
                        f"Confirm the {sc.severity} call-out time for {name} in the contract, or put a 24x7 role behind the {fw}."))
        elif sc.severity == "P1" and not any(c.always for c in calendars):
            names = ", ".join(f"{who(r)}, {rb.roles[r].hours} hours {rb.calendar(rb.roles[r]).describe()}" for r in fillers)
            said = f"{'the only' if len(fillers) == 1 else 'every'} {fw} — {names} — works set hours"
            add(Finding("business-hours-only", "high", fn, f"{said}, for a P1",
                        f"Your {fw} works set hours: who answers a P1 at {when}?",
                        f"Put a 24x7 role (or an on-call rota) behind the {fw} for P1 incidents."))
    if not rb.fillers("incident_commander"):
        add(Finding("no-incident-commander", "high", "incident_commander",
                    f"no role in {provider}'s runbook is the incident commander: nobody is named to run the response",
                    "Who runs the incident and has authority to make calls at 2 a.m.?",
                    "Name a single incident commander role, reachable 24x7 for P1."))
    elif "incident_commander" not in f.engaged:
        add(Finding("no-incident-commander", "medium", "incident_commander",
                    f"the incident commander was never engaged before the end ({f.label(f.ended)})",
                    "When and how does your incident commander get involved?",
                    "Escalate to the incident commander on declaration for P1."))
    first = resolve_role(rb, "first_responder")
    if first and not rb.roles[first].backup and len(rb.fillers("first_responder")) == 1:
        add(Finding("no-backup", "medium", first, f"the only first responder, {who(first)}, has no backup",
                    f"If {who(first)} does not answer, who is paged and after how long?",
                    "Name a backup for the first responder and a no-answer escalation time."))

    # -- the communication plan ------------------------------------------------------------
    paged_by_plan = {e.to for e in rb.escalation if sc.severity in e.severity}
    paged_by_plan.update(s.by for steps in rb.playbooks.values() for s in steps)
    if first:
        paged_by_plan.add(first)
        b = rb.roles[first].backup
        while b and b not in paged_by_plan:
            paged_by_plan.add(b)
            b = rb.roles[b].backup
    for rule in rb.communication:
        if not _can_fire(rule.when, sc):
            continue  # keyed to an inject or task this scenario does not have: it never runs here
        author = resolve_role(rb, rule.by) if rule.by in m.FUNCTIONS else rule.by
        if author and author not in paged_by_plan and rule.by not in m.FUNCTIONS:
            told = who.listed(rule.stakeholders)
            add(Finding("comm-author-unpaged", "high", rule.by,
                        f"the {rule.kind} plan for {told} is sent by {who(rule.by)}, whom nothing in the runbook pages for {sc.severity}",
                        f"Who calls {who(rule.by)} in, so that the messages to {told} actually go?",
                        f"Add an escalation rule that pages {who(rule.by)} on declaration."))
        for key in rule.stakeholders:
            sh = sc.stakeholders.get(key)
            if sh is None:
                # A runbook is written for every incident and a scenario has the stakeholders of one: telling someone
                # this night does not involve is no gap (a third of all findings said so). A near miss of a
                # stakeholder it does involve is: a plan that misnames them never reaches them.
                meant = _meant(key, sc.stakeholders)
                if meant is not None:
                    add(Finding("unknown-stakeholder", "low", key,
                                f"the runbook tells {key}, whom this scenario does not have: does it mean {who(meant)}?",
                                f"Is {key} in your plan {who(meant)}?",
                                "Name stakeholders in the communication plan as the client's stakeholder list does."))
                continue
            if not set(rule.via) & set(sh.channels):
                add(Finding("channel-mismatch", "high", key,
                            f"{who(key)} is sent {'/'.join(rule.via)} but takes only {', '.join(sh.channels)}",
                            f"How do your {PLURAL[rule.kind]} reach {who(key)} when they only take {', '.join(sh.channels)}?",
                            f"Send {who(key)} {PLURAL[rule.kind]} on a channel they take ({', '.join(sh.channels)})."))
    owed = [(inj, ob) for inj, ob in fired if ob.owner is None]  # the client's own duties ask nothing of the provider
    needs = {(ob.kind, ob.target) for _, ob in owed if ob.kind in ("notify", "update")}
    for key in sorted({t for _, t in needs if t}):
        if not any(key in r.stakeholders for r in rb.communication):
            add(Finding("no-comm-route", "high", key, f"the communication plan never tells {who(key)}, whom this scenario requires to be told",
                        f"When, how and by whom is {who(key)} told about an incident like this?",
                        f"Add {who(key)} to the communication plan with a channel and a deadline."))
    for inj, ob in owed:
        if ob.kind != "notify" or not isinstance(ob.within, Duration):
            continue
        promised = [r for r in rb.communication if ob.target in r.stakeholders and r.within is not None]
        if promised and all(f.clock.after(0, r.within) > f.clock.after(0, ob.within) for r in promised if r.within is not None):
            rule = promised[0]
            add(Finding("comm-window-too-long", "high", ob.target or "",
                        f"{who(ob.target)} is promised a message within {rule.within} of {when_words(rule.when)}; "
                        f"this scenario needs it within {ob.within} of inject {inj.id}",
                        f"Your plan tells {who(ob.target)} within {rule.within}: how do you meet a {ob.within} deadline?",
                        f"Commit to notifying {who(ob.target)} within {ob.within}."))
    down_rules: dict[tuple[str, str], list[int]] = {}
    for x in f.messages:
        if not x.delivered and " is down" in x.why:
            down_rules.setdefault((x.via, x.kind), []).append(x.seq)
    for (channel, kind), seqs in sorted(down_rules.items()):
        add(Finding("channel-down", "high", channel, f"the {kind} plan relies on {channel}, which went down: {len(seqs)} message(s) not delivered",
                    f"When {channel} is down, how do your {PLURAL[kind]} reach the client?",
                    f"Add a fallback channel for {PLURAL[kind]} that does not depend on {channel}.", tuple(seqs[:20])))

    # -- playbook and files that do not line up ------------------------------------------
    if sc.playbook and sc.playbook not in rb.playbooks:
        add(Finding("no-playbook", "high", sc.playbook, f"{provider} has no {sc.playbook} playbook",
                    f"Walk us through your {sc.playbook} playbook: who does what, in what order?",
                    f"Write a {sc.playbook} playbook with owners and times."))
    elif sc.playbook:
        steps = rb.playbooks[sc.playbook]
        covered = {s.task for s in steps}
        for task in sorted((sc.tasks() | sc.decisions()) - covered):
            if any(ob.target == task for _, ob in sc.obligations) or (sc.resolution and task in sc.resolution.after):
                add(Finding("playbook-gap", "medium", task, f"the {sc.playbook} playbook has no step for {task}",
                            f"Who does {task}, and how soon?", f"Add {task} to the {sc.playbook} playbook with an owner."))
    for cb, name in unknown_curveball_targets(sc, rb):
        add(Finding("curveball-target", "low", name, f"{cb.id} makes {name} unreachable, but the runbook has no such role or function",
                    f"Who in your team is {name}?", "Map the scenario's roles to the runbook."))

    for name, role in rb.roles.items():
        if role.pool is not None:
            out.append(_pool(name, role, who))

    # -- what happened on the night -----------------------------------------------------------
    out.extend(_night(facts, who))
    for r in results:
        for p in r.penalties:
            code = "decision-owner" if p.startswith(("decided by", "recorded without")) else "order"
            add(Finding(code, "medium", r.target or r.kind, f"{obligation_words(r.kind, r.target, who)}: {p}",
                        "Who has the authority for this call, and in what order do these steps happen?",
                        "Write the decision owner and the order into the runbook.", r.evidence))
    return sorted(out, key=lambda x: SEVERITY_ORDER[x.severity])


def _pool(name: str, role: m.Role, who: Names) -> Finding:
    """A shared role, with Erlang C's odds at the stress model's default demand (SPEC section 12).
    As stated a pool changes no time; `ttx stress` plays the waits."""
    from simulator.stress import erlang  # only a runbook with a shared pool needs these (and `ttx play` starts faster)
    from simulator.stress.model import DEFAULT as DEFAULT_STRESS
    from simulator.stress.model import hours_of

    assert role.pool is not None
    demand = DEFAULT_STRESS.demand
    q = erlang.queue(role.pool.staff, role.pool.clients, demand.incidents_per_client_month, hours_of(demand.hours))
    said = f"{who(name)} is shared with other clients: {erlang.pool_words(q, demand.describe())}" + (
        " under `ttx stress`" if q.overloaded else "; the as-stated times leave that out")
    return Finding("shared-pool", "high" if q.overloaded else "medium", name, said,
                   f"{who(name)} serves {role.pool.clients} clients with {role.pool.staff} people: what happens to our page "
                   "when they are on another client's incident?",
                   f"Ask for the staffing ratio of {who(name)} and a guaranteed response while other incidents run.")


def _night(f: Facts, who: Names) -> list[Finding]:
    """Holiday closures, intake routing and after-hours call-outs, in words to read aloud."""
    rb, sc = f.runbook, f.scenario
    out: list[Finding] = []
    for p in f.pages:
        if not (p.data.get("holiday") or p.data.get("after_hours") or p.data.get("intake")):
            continue  # most pages: nothing to say (and a live re-score per key press reads every page)
        role = rb.roles.get(str(p.get("role")))
        name = who(p.get("role"))
        ans = p.get("answers_at")
        answers = f"would answer {f.label(ans)}" if isinstance(ans, int) else "no answer"
        if p.get("holiday"):
            out.append(Finding("holiday-closed", "high" if sc.severity == "P1" else "medium", str(p.get("role")),
                               f"{name} is closed for a public holiday ({p.get('holiday')}, {rb.holidays} calendar): "
                               f"paged {f.label(p.t)}, {answers}",
                               f"{name} is closed on public holidays: who answers on {p.get('holiday')}?",
                               f"Name holiday cover for {name}, or a 24x7 role behind it.", (p.seq,)))
        if p.get("after_hours") and role is not None and role.after_hours is not None:
            out.append(Finding("after-hours-called", "low", str(p.get("role")),
                               f"{name} was called out after hours for this {sc.severity}: paged {f.label(p.t)}, "
                               f"answers {f.label(ans) if isinstance(ans, int) else 'never'} "
                               f"(call-out within {role.after_hours.responds}, outside its {role.hours} hours)",
                               f"Is the after-hours call-out for {name} guaranteed, and what does it cost per call?",
                               f"Write the {name} call-out time and rate into the contract.", (p.seq,)))
        if p.get("intake"):
            source = p.get("intake")
            inj = next((i for i, e in f.injects.items() if e.t == p.t and e.get("source") == source), "an inject")
            out.append(Finding("intake-routed", "low", str(p.get("role")),
                               f"the {source} alert ({inj}) went straight to {name}, as the runbook's intake routes {source} alerts "
                               f"(paged {f.label(p.t)})",
                               f"When an alert from {source} fires, who sees it first, and how do they reach the rest of the team?",
                               f"Keep the {source} intake route to {name} documented and tested.", (p.seq,)))
    return out


def _meant(key: str, stakeholders: Mapping[str, object]) -> str | None:
    """The scenario's stakeholder a runbook's unknown key most likely misnames: one name inside the other
    (`it_lead`, `client_it_lead`) or nearly the same spelling; None when nothing is close."""
    near = [k for k in stakeholders if key in k or k in key]
    return near[0] if near else next(iter(get_close_matches(key, list(stakeholders), n=1, cutoff=0.8)), None)
