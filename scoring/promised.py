"""Promised vs delivered (SPEC section 5 "Live", section 9): the one table the TUI and the report both show.

For each metric the runbook promises at the scenario's severity: the promise, what the runbook
achieves played as stated, and what happened (live, or as stated again). The engage promise is
judged for every function the scenario needs except the first responder, whose response is the
acknowledgement; a function needed only as a decision's owner (`decide: pay, by:
incident_commander`) is needed all the same.
"""

from __future__ import annotations

from simulator import model as m
from simulator.record import record
from simulator.timing import Duration
from simulator.wording import Names, metric_words

from .facts import Facts
from .findings import needed_functions
from .scorecard import Scorecard


@record
class Promise:
    """One runbook metric, as stated and live."""

    metric: str  # an id, by keys: acknowledge | engage FUNCTION | update STAKEHOLDER (longest gap) | contain TASK | restore
    kind: str  # the SLA metric: acknowledge | engage | update | contain | restore
    subject: str | None  # the function, stakeholder or task
    # Times are from the first inject, except `contain`: from the inject of its `within: sla.contain` obligation.
    promise: Duration | None  # what the runbook says, if anything
    as_stated: int | None
    live: int | None
    running: int | None = None  # not yet done: time elapsed so far
    label: str = ""  # the promise in words, people by name, as every view shows it ("Engage security lead")

    @property
    def promised(self) -> str:
        return "—" if self.promise is None else str(self.promise)


def live_gap(facts: Facts, who: str, start: int, now: int) -> int:
    """Longest time so far without a delivered message to `who` (up to the simulated now)."""
    times = [x.t for x in facts.delivered_to(who) if start <= x.t <= now]  # in time order already
    marks = [start] + times + [max(now, start)]
    return max(b - a for a, b in zip(marks, marks[1:]))


def promises(sc: m.Scenario, rb: m.Runbook, stated: Scorecard, live: Scorecard, now: int | None = None,
             first_inject: int | None = None, facts: Facts | None = None, ended: bool = True) -> list[Promise]:
    """The rows, in order: acknowledge, engage each needed function, longest update gap per stakeholder, restore.

    Mid-exercise (`now` given and not `ended`), a metric not yet reached shows its running time instead
    (the update gap from `facts`, the live transcript as judged).
    """
    tier = rb.sla.get(sc.severity)

    def promise(metric: str) -> Duration | None:
        return getattr(tier, metric, None) if tier is not None else None

    def running(done: int | None) -> int | None:
        if done is not None or first_inject is None or now is None or ended:
            return None
        return max(0, now - first_inject)

    sm, lm = stated.metrics, live.metrics
    names = Names(sc, rb)

    def row(metric: str, kind: str, subject: str | None, promised: Duration | None, as_stated: int | None, got: int | None,
            so_far: int | None = None) -> Promise:
        """A row with its words: a handful of strings per re-score, never one per event."""
        return Promise(metric, kind, subject, promised, as_stated, got, so_far, label=metric_words(kind, subject, names, short=True))

    rows = [row("acknowledge", "acknowledge", None, promise("acknowledge"), sm.time_to_acknowledge,
                lm.time_to_acknowledge, running(lm.time_to_acknowledge))]
    for fn in needed_functions(sc):
        if fn != "first_responder":
            got = lm.time_to_engage.get(fn)
            rows.append(row(f"engage {fn}", "engage", fn, promise("engage"), sm.time_to_engage.get(fn), got, running(got)))
    # once service is restored no update is due: the gap is final (as the ended exercise will show it), not running on
    restored = lm.time_to_resolve is not None and first_inject is not None and now is not None \
        and first_inject + lm.time_to_resolve <= now
    began = facts.updates_began() if facts is not None else {}  # as the scorecard measures the gap
    for who in dict.fromkeys(list(sm.longest_update_gap) + list(lm.longest_update_gap)):
        metric = f"update {who} (longest gap)"
        if ended or restored or now is None or facts is None or first_inject is None:
            rows.append(row(metric, "update", who, promise("update"), sm.longest_update_gap.get(who), lm.longest_update_gap.get(who)))
        else:  # mid-exercise: the longest gap so far, still running (nothing before its series began)
            rows.append(row(metric, "update", who, promise("update"), sm.longest_update_gap.get(who), None,
                            live_gap(facts, who, began[who], now) if who in began else None))
    rows += _contain(sc, stated, live, promise("contain"), now if not ended else None, names)
    rows.append(row("restore", "restore", None, promise("restore"), sm.time_to_resolve, lm.time_to_resolve,
                    running(lm.time_to_resolve)))
    return rows


def _contain(sc: m.Scenario, stated: Scorecard, live: Scorecard, promise: Duration | None, now: int | None,
             names: Names) -> list[Promise]:
    """One row per task the scenario holds to the containment promise (`act: T, within: sla.contain`)."""
    clock = sc.clock()
    rows = []
    for inj, ob in sc.obligations:
        if ob.kind != "act" or ob.within != m.SlaRef("contain"):
            continue
        start = clock.after(0, inj.at)
        stated_took, live_took = (_took(card, ob.id, start) for card in (stated, live))
        fired = any(r.id == ob.id for r in live.results)  # an inject that has not fired (yet) starts no clock
        waiting = now is not None and fired and live_took is None
        rows.append(Promise(f"contain {ob.target}", "contain", ob.target, promise, stated_took, live_took,
                            max(0, now - start) if waiting and now is not None else None,
                            label=metric_words("contain", ob.target, names, short=True)))
    return rows


def _took(card: Scorecard, oid: str, start: int) -> int | None:
    r = next((r for r in card.results if r.id == oid), None)
    return None if r is None or r.done_at is None else r.done_at - start
