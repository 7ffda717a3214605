"""Per-start totals to the result a buyer reads (SPEC section 12), as plain data (the JSON output).

Shares and means come from whole-number totals, so the result is byte-identical whatever
`--jobs` was. The weakest hours carry their cause in words: the as-stated reason at that hour
(which names who works which hours and when they would answer) beside how often the sampled
nights met the obligation and when they did it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..timing import Clock, zone
from ..wording import Names, obligation_words, reason_words
from .erlang import pool_words
from .run import Plan, StartTally
from .sweep import DAY_NAMES

FORMAT = "stress-result/v1"
WEAKEST = 5
# What changes from hour to hour in a cause's words and not its nature: clock times, durations, shares.
_HOURLY = re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d\b|\b\d+h(?:\d+m)?\b|\b\d+m\b|\d+%|<1%|>99%")


def quantile(hist: Counter[int], q: float) -> int | None:
    """The smallest value with at least q of the mass at or below it (exact, from a histogram)."""
    n = sum(hist.values())
    if not n:
        return None
    need, seen = q * n, 0
    for v in sorted(hist):
        seen += hist[v]
        if seen >= need:
            return v
    return max(hist)


def _share(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def pool_rows(plan: Plan) -> list[dict[str, Any]]:
    rows, who = [], Names(plan.scenario, plan.runbook)
    for role, q in sorted(plan.queues().items()):
        text = f"{who(role)}: {pool_words(q, plan.model.demand.describe())}"
        mean = None if q.overloaded else round(q.mean_wait_hours * 60, 1)
        rows.append({"role": role, "staff": q.staff, "clients": q.clients, "load": round(q.load, 4),
                     "p_wait": round(q.p_wait, 4), "mean_wait_minutes": mean, "overloaded": q.overloaded, "text": text})
    return rows


def result(plan: Plan, tallies: list[StartTally]) -> dict[str, Any]:
    sc, rb = plan.scenario, plan.runbook
    tz = zone(sc.timezone)
    who = Names(sc, rb)
    labels = {o.id: obligation_words(o.kind, o.target, who) for _, o in sc.obligations}
    categories = {o.id: o.category for _, o in sc.obligations}
    asks = {o.id: o for _, o in sc.obligations}
    order = [o.id for _, o in sc.obligations]

    # per obligation, over the week
    total: dict[str, list[Any]] = {}
    for t in tallies:
        for oid, ob in t.obligations.items():
            acc = total.setdefault(oid, [0, 0, 0, Counter()])
            acc[0] += ob.judged
            acc[1] += ob.met
            acc[2] += ob.late
            acc[3].update(ob.done)
    own = next((t for t in tallies if plan.starts[t.index].local == sc.starts), None)
    obligations = []
    for oid in order:
        if oid not in total:
            continue
        judged, met, late, done = total[oid]
        med, p90 = quantile(done, 0.5), quantile(done, 0.9)
        stated = own.stated["obligations"].get(oid) if own else None
        obligations.append({
            "id": oid, "label": labels[oid], "category": categories[oid], "judged": judged,
            "met": _share(met, judged), "met_or_late": _share(met + late, judged),
            "done": _share(sum(done.values()), judged),
            "median_done": None if med is None else med * 60, "p90_done": None if p90 is None else p90 * 60,
            "as_stated": None if stated is None else {"status": stated["status"], "done_at": stated["done_at"]},
        })

    starts: list[dict[str, Any]] = []
    heat_sla: list[list[float | None]] = [[None] * 24 for _ in range(7)]
    heat_score: list[list[float | None]] = [[None] * 24 for _ in range(7)]
    plays = 0
    all_cents = all_held = 0
    for t in tallies:
        s = plan.starts[t.index]
        mean = round(t.score_cents / t.plays / 100, 2)
        held = _share(t.sla_held, t.plays)
        plays += t.plays
        all_cents += t.score_cents
        all_held += t.sla_held
        starts.append({"start": s.key, "label": s.label, "day": s.day, "hour": s.hour, "plays": t.plays,
                       "mean_score": mean, "sla_held": held,
                       "as_stated_score": t.stated["score"], "as_stated_sla_held": t.stated["sla_held"]})
        heat_sla[s.day][s.hour] = held
        heat_score[s.day][s.hour] = mean

    def perfect(t: StartTally) -> bool:
        return t.sla_held == t.plays and t.score_cents == 100 * 100 * t.plays

    def causes_of(t: StartTally) -> list[str]:
        clock = Clock(plan.starts[t.index].local, tz)
        causes = []
        weak = sorted(((oid, ob) for oid, ob in t.obligations.items() if ob.met < ob.judged),
                      key=lambda p: (categories.get(p[0]) != "sla", p[1].met / p[1].judged, order.index(p[0])))
        for oid, ob in weak[:2]:
            text = f"{labels[oid]} met in {ob.met / ob.judged:.0%} of nights"
            n_done = sum(ob.done.values())
            if n_done:
                med = quantile(ob.done, 0.5) or 0
                text += f"; done in {n_done / ob.judged:.0%}, by {clock.label(med * 60)} (median)"
            else:
                text += "; never done by the horizon"
            stated = t.stated["obligations"].get(oid)
            if stated and stated["reason"]:
                text += f". As stated: {reason_words(asks[oid].kind, asks[oid].target, stated['reason'])}"
            causes.append(text)
        return causes

    # each weakest hour also names every start of the week whose causes read the same but for times and shares, so a
    # reader gets a cause once with all the hours it explains (the fractional CTO's weekend, not five of its hours)
    weak_all = [t for t in tallies if not perfect(t)]
    cause_key = {t.index: tuple(_HOURLY.sub("#", c) for c in causes_of(t)) for t in weak_all}
    weakest = []
    ranked = sorted(tallies, key=lambda t: (t.sla_held / t.plays, t.score_cents / t.plays, t.index))
    for t in ranked[:WEAKEST]:
        if perfect(t):
            break  # nothing is weak here (nor anywhere after it)
        s = plan.starts[t.index]
        same = sorted(u.index for u in weak_all if cause_key[u.index] == cause_key[t.index])
        weakest.append({"start": s.key, "label": s.label, "sla_held": _share(t.sla_held, t.plays),
                        "mean_score": round(t.score_cents / t.plays / 100, 2), "causes": causes_of(t),
                        "same_cause": [plan.starts[i].key for i in same]})

    worst_t = min(tallies, key=lambda t: (t.worst, t.index))
    ws = plan.starts[worst_t.index]
    return {
        "ttx": FORMAT,
        "scenario": {"id": sc.id, "title": sc.title, "severity": sc.severity, "starts": sc.starts.isoformat(),
                     "timezone": sc.timezone},
        "runbook": {"id": rb.id, "provider": rb.provider, "model": rb.model},
        "model": {**plan.model.as_dict(), "source": plan.model.source},
        "seed": plan.seed, "samples": plan.samples, "starts_mode": plan.mode, "plays": plays,
        "skipped": list(plan.skipped),
        "summary": {
            "mean_score": round(all_cents / plays / 100, 2) if plays else None,
            "sla_held": _share(all_held, plays),
            "as_stated": None if own is None else {"score": own.stated["score"], "sla_held": own.stated["sla_held"]},
        },
        "pools": pool_rows(plan),
        "obligations": obligations,
        "starts": starts,
        "heat": {"sla_held": heat_sla, "mean_score": heat_score},
        "weakest": weakest,
        "worst": {"start": ws.key, "label": ws.label, "sample": worst_t.worst[1], "score": worst_t.worst[0] / 100},
    }


def day_names() -> tuple[str, ...]:
    return DAY_NAMES


def pct(x: float | None) -> str:
    return _pct(x)
