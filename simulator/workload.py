"""How much work a pair asks of the engine, from the files alone (no play): the load-time bound.

Kept apart from `engine.py` so that checking a file (`ttx validate`) need not import the engine; it
must count exactly what the engine's handlers schedule, so change the two together.
"""

from __future__ import annotations

from typing import Any

from . import model as m
from .record import record
from .timing import Duration

# The engine's work is what it schedules plus what it writes: a rule whose author is never paged
# schedules a happening every minute and writes nothing, so counting events alone bounds nothing.
# Files whose promises would need more are refused at load (`work_estimate`); this stops the rest.
# Far above any real exercise (a 12h night is a few hundred), and small enough that a pair at the
# bound plays, scores and renders in about a second.
MAX_WORK = 50_000


@record
class Cost:
    """Work one part of a file asks for: where it is (a path in that file) and how much."""

    file: str  # "scenario" or "runbook"
    path: tuple[Any, ...]
    amount: int
    why: str  # "an update every 1m over the 90d horizon: 129,600 windows"


def span_at_most(d: Duration) -> int:
    """Seconds a duration can span at most (business days: a week per five, plus a weekend)."""
    return d.seconds if not d.business_days else (d.business_days * 7 // 5 + 3) * 86400


def span_at_least(d: Duration) -> int:
    return d.seconds if not d.business_days else d.business_days * 86400


def _series(horizon: int, start: int, every: Duration) -> int:
    step = span_at_least(every)
    return max(0, horizon - start) // step + 1 if step > 0 else horizon + 1


def work_estimate(scenario: m.Scenario, runbook: m.Runbook | None = None) -> list[Cost]:
    """What playing and scoring a pair would schedule, part by part, from the files alone (no play).

    Without a runbook, only what the scenario decides by itself (cadences written as durations);
    with one, also its communication cadences over this scenario's horizon, and `sla.update`."""
    horizon = span_at_most(scenario.horizon)
    hz = f"the {scenario.horizon} horizon"
    costs = [Cost("scenario", ("injects",), len(scenario.injects), f"{len(scenario.injects):,} injects"),
             Cost("scenario", ("curveballs",), 2 * len(scenario.curveballs), "curveballs")]
    tier = runbook.sla.get(scenario.severity) if runbook else None
    for i, inj in enumerate(scenario.injects):
        for j, ob in enumerate(inj.expects):
            every = ob.every
            if isinstance(every, m.SlaRef):  # the runbook's promise: known only with the pair
                every = getattr(tier, every.metric, None) if tier else None
            if ob.kind == "update" and isinstance(every, Duration):
                n = _series(horizon, span_at_least(inj.at), every)
                costs.append(Cost("scenario", ("injects", i, "expects", j, "every"), n,
                                  f"an update every {every} over {hz}: {n:,} windows to judge"))
    if runbook is None:
        return costs
    costs.append(Cost("runbook", ("escalation",), len(runbook.escalation), "escalation rules"))
    costs.append(Cost("runbook", ("playbooks",), 2 * sum(map(len, runbook.playbooks.values())), "playbook steps"))
    for k, rule in enumerate(runbook.communication):
        each = 1 + len(rule.stakeholders)  # the happening, and a message to each stakeholder
        if rule.every is None:
            costs.append(Cost("runbook", ("communication", k), each, "a message"))
            continue
        n = _series(horizon, 0, rule.every) * each
        costs.append(Cost("runbook", ("communication", k, "every"), n,
                          f"a message every {rule.every} over the {scenario.horizon} horizon of scenario "
                          f"{scenario.id}: {n:,} happenings"))
    return costs


def too_much_work(costs: list[Cost]) -> tuple[Cost, str] | None:
    """The part to blame and what to say, when the whole asks for more than MAX_WORK."""
    total = sum(c.amount for c in costs)
    if total <= MAX_WORK:
        return None
    worst = max(costs, key=lambda c: c.amount)
    alike = sum(1 for c in costs if c.why == worst.why)
    others = f", {alike:,} times" if alike > 1 else ""
    return worst, (f"{worst.why}{others}; {total:,} in all, over the limit of {MAX_WORK:,} "
                   "(ttx would not finish: use a longer cadence, fewer rules or a shorter horizon)")
