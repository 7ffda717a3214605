"""Checks that need the whole file: references, uniqueness, cycles, limits."""

from __future__ import annotations

import math
from typing import Any

import attrs

from .. import model as m
from ..timing import Clock, Duration, holiday_code, parse_local, zone
from ..yamlsrc import Document, LoadError, Path
from .positions import _first, _prefix
from .values import IDENT, _describe, _did_you_mean, number

MAX_INJECTS = 2000

# A cadence and a horizon bound how many messages and update windows one exercise can hold: a hostile
# `every: 1s` over a year would mean tens of millions of events.
MAX_HORIZON_SECONDS = 90 * 86400
MAX_HORIZON_BD = 60
MIN_EVERY_SECONDS = 60


def _zone(name: str) -> Any:
    """timing.zone, minus names that are files of this machine rather than places: the same file must
    play the same everywhere (`localtime` is whatever zone the computer running ttx is set to)."""
    if name in ("localtime", "posixrules", "Factory") or name.startswith(("posix/", "right/")):
        raise ValueError(f"time zone {name!r} depends on the computer's zone files; write an IANA name like America/Chicago")
    return zone(name)


def _too_frequent(d: Any) -> bool:
    return isinstance(d, Duration) and d.business_days == 0 and d.seconds < MIN_EVERY_SECONDS


class _Checker:
    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[LoadError] = []

    def fail(self, path: Path, message: str, key: bool = False) -> None:
        self.problems.append(self.doc.error(path, f"{_prefix(path)}{message}", key=key))

    def ident(self, path: Path, value: str, what: str, key: bool = False) -> None:
        if not IDENT.match(value):
            self.fail(path, f"expected {what} of letters, digits, '_', '-' or '.'; got {_describe(value)}", key=key)

    def done(self) -> None:
        if self.problems:
            raise _first(self.problems)


def check_scenario(doc: Document, sc: m.Scenario) -> m.Scenario:
    ck = _Checker(doc)
    if sc.severity not in m.SEVERITIES:
        ck.fail(("severity",), f"expected one of {', '.join(m.SEVERITIES)}; got {_describe(sc.severity)}")
    clock: Clock | None = None
    holidays_ok = _check_holidays(ck, sc.holidays)
    try:
        tz = _zone(sc.timezone)
        parse_local(doc.data["starts"], tz)
        clock = Clock(sc.starts, tz, sc.holidays if holidays_ok else None)
    except ValueError as e:
        ck.fail(("timezone",) if "zone" in str(e) else ("starts",), str(e))
    ck.ident(("id",), sc.id, "an id")
    if sc.playbook is not None:
        ck.ident(("playbook",), sc.playbook, "a playbook name")
    if not sc.injects:
        ck.fail(("injects",), "a scenario needs at least one inject")
    if len(sc.injects) > MAX_INJECTS:
        ck.fail(("injects",), f"{len(sc.injects):,} injects; the limit is {MAX_INJECTS:,}")
    if sc.horizon.business_days == 0 and sc.horizon.seconds == 0:
        ck.fail(("horizon",), "the horizon must be longer than 0m")
    elif sc.horizon.seconds > MAX_HORIZON_SECONDS or sc.horizon.business_days > MAX_HORIZON_BD:
        ck.fail(("horizon",), f"{sc.horizon} is out of range: a horizon is at most 90d (or {MAX_HORIZON_BD}bd)")
    for key, sh in sc.stakeholders.items():
        ck.ident(("stakeholders", key), key, "a stakeholder key", key=True)
        if not sh.channels:
            ck.fail(("stakeholders", key, "channels"), "a stakeholder needs at least one channel")
    if sc.resolution is not None:
        if not sc.resolution.after:  # "takes after the last of its tasks": with none, there is no last
            ck.fail(("resolution", "after"), "resolution needs at least one task in `after` (e.g. after: [restore-from-backup])")
    tasks, decisions = sc.tasks(), sc.decisions()  # once: per obligation would be quadratic
    # tasks something in the scenario asks to be done (sc.tasks() also counts `when`'s own, so a typo
    # there would vouch for itself)
    acts = {o.target for _, o in sc.obligations if o.kind == "act" and o.target}
    acts.update(sc.resolution.after if sc.resolution else ())
    seen_injects: set[str] = set()
    seen_ids: dict[str, Path] = {}
    injects = []
    for i, inj in enumerate(sc.injects):
        p: Path = ("injects", i)
        ck.ident(p + ("id",), inj.id, "an inject id")
        if inj.id in seen_injects:
            ck.fail(p + ("id",), f"duplicate inject id {inj.id!r}")
        seen_injects.add(inj.id)
        if clock is not None and clock.after(0, inj.at) > clock.after(0, sc.horizon):
            ck.fail(p + ("at",), f"inject at {inj.at} is after the {sc.horizon} horizon: it would never be played")
        if inj.when and not (inj.when.done or inj.when.not_done):
            ck.fail(p + ("when",), "expected `not_done: TASK` or `done: TASK`")
        for key in ("not_done", "done"):
            val = getattr(inj.when, key, None) if inj.when else None
            if val is None:
                continue
            ck.ident(p + ("when", key), val, "a task name")
            # a task only a runbook's playbook does is fine; one a letter or two off a task this scenario
            # asks for is a typo that would make the inject always (or never) fire
            hint = _did_you_mean(val, acts) if IDENT.match(val) and val not in acts else ""
            if hint:
                ck.fail(p + ("when", key), f"unknown task {val!r}{hint}")
        obligations = []
        for j, ob in enumerate(inj.expects):
            q: Path = p + ("expects", j)
            # an obligation due after the horizon loads: not done by then, it is `open` (SPEC section 7)
            ob = _check_obligation(ck, sc, q, inj, ob, tasks, decisions)
            if ob.id in seen_ids:
                ck.fail(q, f"duplicate obligation id {ob.id!r} (give one an `id:`)")
            seen_ids[ob.id] = q
            obligations.append(ob)
        injects.append(attrs.evolve(inj, expects=tuple(obligations)))
    curveballs = []
    seen_curveballs: set[str] = set()
    for i, cb in enumerate(sc.curveballs):
        p = ("curveballs", i)
        if cb.id:
            ck.ident(p + ("id",), cb.id, "a curveball id")
            if cb.id in seen_curveballs:
                ck.fail(p + ("id",), f"duplicate curveball id {cb.id!r}")
            seen_curveballs.add(cb.id)
        if (cb.unreachable is None) == (cb.channel_down is None):
            ck.fail(p, "a curveball needs exactly one of `unreachable: ROLE_OR_FUNCTION` or `channel_down: CHANNEL`")
        for key in ("unreachable", "channel_down"):
            val = getattr(cb, key)
            if val is not None:
                ck.ident(p + (key,), val, "a name")
        if cb.for_ is not None and cb.for_.seconds == 0 and cb.for_.business_days == 0:
            ck.fail(p + ("for",), "`for` must be longer than 0m (leave it out for the rest of the exercise)")
        if clock is not None and clock.after(0, cb.at) > clock.after(0, sc.horizon):
            ck.fail(p + ("at",), f"curveball at {cb.at} is after the {sc.horizon} horizon: it could never happen")
        curveballs.append(attrs.evolve(cb, id=cb.id or f"curveball-{i + 1}"))
    _check_before_cycles(ck, injects)
    ck.done()
    sc = attrs.evolve(sc, injects=tuple(injects), curveballs=tuple(curveballs))
    check_work(doc, sc, None, None)  # what the scenario asks for by itself; the rest once paired
    return sc


def check_work(sc_doc: Document, sc: m.Scenario, rb_doc: Document | None, rb: m.Runbook | None) -> None:
    """Refuse, at the part to blame, a file (or a pair) whose play and scoring would exceed the engine's
    bound on work: better a reason now than an exercise cut off at the limit (workload.MAX_WORK)."""
    from ..workload import too_much_work, work_estimate

    found = too_much_work(work_estimate(sc, rb))
    if found:
        cost, message = found
        doc = rb_doc if cost.file == "runbook" and rb_doc is not None else sc_doc
        raise doc.error(cost.path, f"{_prefix(cost.path)}{message}")


def _check_obligation(ck: _Checker, sc: m.Scenario, q: Path, inj: m.Inject, ob: m.Obligation,
                      tasks: set[str], decisions: set[str]) -> m.Obligation:
    kq = q + (ob.kind,)
    if ob.kind == "engage" and ob.target not in m.FUNCTIONS:
        ck.fail(kq, f"unknown function {ob.target!r} (expected one of {', '.join(m.FUNCTIONS)})")
    if ob.kind in ("notify", "update") and ob.target not in sc.stakeholders:
        ck.fail(kq, f"unknown stakeholder {ob.target!r}: add it under `stakeholders:` with its channels"
                    + (f" (known: {', '.join(sc.stakeholders)})" if sc.stakeholders else ""))
    if ob.kind == "update" and ob.every is None:
        ck.fail(q, "an update obligation needs `every:` (the cadence, e.g. every: sla.update or 30m)")
    if ob.every is not None and ob.kind != "update":
        ck.fail(q + ("every",), "`every` applies only to update obligations")
    elif _too_frequent(ob.every):
        ck.fail(q + ("every",), f"`every` must be at least 1m (got {ob.every})")
    if ob.kind == "update" and ob.within is not None:
        ck.fail(q + ("within",), "an update obligation is judged by `every`, not `within`")
    for key in ("within", "every"):
        w = getattr(ob, key)
        if isinstance(w, m.SlaRef) and w.metric == "contain" and ob.kind != "act":
            ck.fail(q + (key,), f"sla.contain (the runbook's containment promise) applies only to act obligations, not {ob.kind}")
    if ob.owner is not None and ob.owner not in m.OWNERS:
        ck.fail(q + ("owner",), f"expected `owner: client` (the client's own duty, shown but not scored); got {_describe(ob.owner)}")
    if ob.via and ob.kind not in ("notify", "update"):
        ck.fail(q + ("via",), "`via` applies only to notify and update obligations")
    if ob.via and ob.target in sc.stakeholders:
        takes = sc.stakeholders[ob.target].channels
        if not set(ob.via) & set(takes):
            ck.fail(q + ("via",), f"{ob.target} takes only {', '.join(takes)}: no channel in via ({', '.join(ob.via)}) can reach them")
    if ob.by is not None and ob.kind == "decide" and ob.by not in sc.stakeholders and ob.by not in m.FUNCTIONS:
        ck.fail(q + ("by",), f"unknown owner {ob.by!r} (expected a stakeholder of this scenario or a function)")
    elif ob.by is not None and ob.kind != "decide":  # a role of whichever runbook plays it: an id, like every id
        ck.ident(q + ("by",), ob.by, "a role or function")
    if ob.before is not None:
        ref = ob.before
        # SPEC section 3's own example orders against `customers` without declaring them, so the
        # shared vocabulary is accepted here; an undeclared target simply never receives anything.
        if ref.kind in ("notify", "update") and ref.target not in sc.stakeholders and ref.target not in m.STAKEHOLDERS:
            ck.fail(q + ("before",), f"unknown stakeholder {ref.target!r} in before")
        if ref.kind == "engage" and ref.target not in m.FUNCTIONS:
            ck.fail(q + ("before",), f"unknown function {ref.target!r} in before")
        if ref.kind == "act" and ref.target not in tasks:
            ck.fail(q + ("before",), f"unknown task {ref.target!r} in before")
        if ref.kind == "decide" and ref.target not in decisions:
            ck.fail(q + ("before",), f"unknown decision {ref.target!r} in before")
        if ref.kind == ob.kind and ref.target == ob.target:
            ck.fail(q + ("before",), "an obligation cannot come before itself")
    if ob.id:
        ck.ident(q + ("id",), ob.id.replace("/", "-").replace(":", "-"), "an id")
    default_id = f"{inj.id}/{ob.kind}:{ob.target}" if ob.target else f"{inj.id}/{ob.kind}"
    return ob if ob.id else attrs.evolve(ob, id=default_id)


def _check_before_cycles(ck: _Checker, injects: list[m.Inject]) -> None:
    edges: dict[str, set[str]] = {}
    where: dict[str, Path] = {}
    for i, inj in enumerate(injects):
        for j, ob in enumerate(inj.expects):
            if ob.before:
                a = f"{ob.kind}:{ob.target}" if ob.target else ob.kind
                edges.setdefault(a, set()).add(str(ob.before))
                where.setdefault(a, ("injects", i, "expects", j, "before"))
    state: dict[str, int] = {}
    for start in list(edges):
        stack = [(start, iter(edges.get(start, ())))]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                ck.fail(where[node], f"`before` orders form a cycle through {nxt} (no order can satisfy them)")
                return
            if state.get(nxt) is None:
                state[nxt] = 1
                stack.append((nxt, iter(edges.get(nxt, ()))))


def check_runbook(doc: Document, rb: m.Runbook) -> m.Runbook:
    ck = _Checker(doc)
    ck.ident(("id",), rb.id, "an id")
    if rb.model not in m.MODELS:
        ck.fail(("model",), f"expected one of {', '.join(m.MODELS)}; got {_describe(rb.model)}")
    if rb.timezone is not None:
        try:
            _zone(rb.timezone)
        except ValueError as e:
            ck.fail(("timezone",), str(e))
    for sev, tier in rb.sla.items():
        if sev not in m.SEVERITIES:
            ck.fail(("sla", sev), f"unknown severity {_describe(sev)} (expected {', '.join(m.SEVERITIES)})", key=True)
        if _too_frequent(tier.update):
            ck.fail(("sla", sev, "update"), f"an update cadence must be at least 1m (got {tier.update})")
    for name in rb.hours:
        ck.ident(("hours", name), name, "an hours name", key=True)
    _check_holidays(ck, rb.holidays)
    for source, taker in rb.intake.items():
        ck.ident(("intake", source), source, "an inject source", key=True)
        if taker not in rb.roles:
            ck.fail(("intake", source), f"unknown role {taker!r} for {source} alerts (expected one of {', '.join(rb.roles)})")
    if not rb.roles:
        ck.fail(("roles",), "a runbook needs at least one role")
    for name, role in rb.roles.items():
        p: Path = ("roles", name)
        ck.ident(p, name, "a role key", key=True)
        for k, f in enumerate(role.fills):
            if f not in m.FUNCTIONS:
                ck.fail(p + ("fills", k), f"unknown function {f!r} (expected one of {', '.join(m.FUNCTIONS)})")
        if role.hours not in rb.hours and role.hours.lower() not in ("24x7", "24/7", "always"):
            ck.fail(p + ("hours",), f"unknown hours {role.hours!r}"
                    + (f" (defined: {', '.join(rb.hours)}, or 24x7)" if rb.hours else " (define it under `hours:`, or write 24x7)"))
        if role.after_hours is not None:
            for k, sev in enumerate(role.after_hours.severity):
                if sev not in m.SEVERITIES:
                    ck.fail(p + ("after_hours", "severity", k), f"unknown severity {sev!r} (expected {', '.join(m.SEVERITIES)})")
        if role.pool is not None:
            for key in ("staff", "clients"):
                if getattr(role.pool, key) < 1:
                    ck.fail(p + ("pool", key), f"a pool needs at least 1 {'member of staff' if key == 'staff' else 'client'}")
        if role.backup is not None:
            if role.backup not in rb.roles:
                ck.fail(p + ("backup",), f"unknown role {role.backup!r} (expected one of {', '.join(rb.roles)})")
            elif role.backup == name:
                ck.fail(p + ("backup",), "a role cannot back itself up")
    if any(r.backup for r in rb.roles.values()) and rb.no_answer_after is None:
        first = next(n for n, r in rb.roles.items() if r.backup)
        ck.fail(("roles", first, "backup"), "roles name backups but `no_answer_after` is not set (when is the backup paged?)")
    for name in rb.roles:  # a backup cycle pages forever in a real rota and means nothing here
        seen, cur = [name], rb.roles[name].backup
        while cur in rb.roles and cur not in seen:
            seen.append(cur)
            cur = rb.roles[cur].backup
        if cur == name and len(seen) > 1:
            ck.fail(("roles", name, "backup"), f"backups form a cycle: {' -> '.join(seen + [name])}")
            break
    for i, rule in enumerate(rb.escalation):
        p = ("escalation", i)
        if rule.to not in rb.roles:
            ck.fail(p + ("to",), f"unknown role {rule.to!r} (expected one of {', '.join(rb.roles)})")
        for k, sev in enumerate(rule.severity):
            if sev not in m.SEVERITIES:
                ck.fail(p + ("severity", k), f"unknown severity {sev!r}")
    for i, comm in enumerate(rb.communication):
        p = ("communication", i)
        if comm.by not in rb.roles and comm.by not in m.FUNCTIONS:
            ck.fail(p + ("by",), f"unknown role {comm.by!r} (expected a role of this runbook or a function)")
        if not comm.via:
            ck.fail(p + ("via",), "a communication rule needs a channel")
        if comm.within is not None and comm.every is not None:
            ck.fail(p + ("every",), "write `within` (one message) or `every` (a cadence), not both")
        if _too_frequent(comm.every):
            ck.fail(p + ("every",), f"`every` must be at least 1m (got {comm.every})")
        _check_trigger(ck, p + ("when",), comm.when)
    for name, steps in rb.playbooks.items():
        ck.ident(("playbooks", name), name, "a playbook name", key=True)
        for i, st in enumerate(steps):
            p = ("playbooks", name, i)
            if st.kind == "act" and st.by not in rb.roles and st.by not in m.FUNCTIONS:
                ck.fail(p + ("by",), f"unknown role {st.by!r} (a task is done by a role of this runbook or a function)")
            elif st.kind == "decide" and not IDENT.match(st.by):
                ck.fail(p + ("by",), f"expected a role or a stakeholder; got {_describe(st.by)}")
    ck.done()
    return rb


def _check_holidays(ck: _Checker, code: str | None) -> bool:
    """A public-holiday code the `holidays` package knows (`US`, `US-NY`, `GB-SCT`)."""
    if code is None:
        return True
    try:
        holiday_code(code)
    except ValueError as e:
        ck.fail(("holidays",), str(e))
        return False
    return True


def _check_trigger(ck: _Checker, path: Path, when: str) -> None:
    kind, _, arg = when.partition(":")
    if kind in ("declared", "resolved") and not arg:
        return
    if kind == "engaged" and arg in m.FUNCTIONS:
        return
    if kind in ("done", "inject") and arg and IDENT.match(arg):
        return
    ck.fail(path, f"expected declared, resolved, engaged:FUNCTION, done:TASK or inject:ID; got {_describe(when)}")


def check_rubric(doc: Document) -> m.Rubric:
    data = doc.data
    ck = _Checker(doc)
    extra = set(data) - {"ttx", "weights", "ratings"}
    for key in sorted(extra):
        ck.fail((key,), f"unknown key {_describe(key)} (expected weights, ratings)", key=True)
    weights = dict(m.Rubric().weights)
    ratings = dict(m.Rubric().ratings)
    for section, target, allowed in (("weights", weights, m.CATEGORIES), ("ratings", ratings, ("P", "S", "M"))):
        block = data.get(section)
        if block is None:
            continue
        if not isinstance(block, dict):
            ck.fail((section,), f"expected a mapping of {', '.join(allowed)}")
            continue
        for key, value in block.items():
            if key not in allowed:
                ck.fail((section, key), f"unknown key {_describe(key)} (expected {', '.join(allowed)})", key=True)
                continue
            n = number(value.strip()) if isinstance(value, str) else math.nan
            if not math.isfinite(n) or n < 0 or n > 100:
                ck.fail((section, key), f"expected a number from 0 to 100; got {_describe(value)}")
            else:
                target[key] = n
    if sum(weights.values()) <= 0:
        ck.fail(("weights",), "at least one weight must be above 0")
    ck.done()
    return m.Rubric(weights=weights, ratings=ratings)
