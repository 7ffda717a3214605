"""Playing one pair many times and folding each play into running totals (SPEC section 12).

Each play is `engine.play` + `scoring.verdict` on the scenario with `starts` moved, and (when
sampled) with a `Night` of draws: the calls `ttx run` makes, with nothing re-parsed, less the
scorecard's metrics and findings, which no stress result reads.
Plays are folded into per-start totals as they finish and then dropped, so memory stays flat
however many samples are asked for. Totals are whole numbers (scores in hundredths), so the
result is the same whatever order, and however many processes, the plays ran in.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from scoring.scorecard import Verdict, verdict

from .. import model as m
from ..engine import play
from ..record import record
from . import erlang
from .chance import Night, pools
from .model import StressModel
from .sweep import Start


@record
class Plan:
    """Everything a worker needs, already parsed (sent once to each worker process)."""

    scenario: m.Scenario
    runbook: m.Runbook
    model: StressModel
    starts: tuple[Start, ...]
    samples: int = 100
    seed: int = 0
    rubric: m.Rubric | None = None
    skipped: tuple[str, ...] = ()
    mode: str = "week"  # or "scenario"

    @property
    def plays(self) -> int:
        return len(self.starts) * max(1, self.samples)

    def queues(self) -> dict[str, erlang.Queue]:
        return pools(self.runbook, self.model)


@attrs.define
class ObTally:
    """One obligation at one start, over its plays."""

    judged: int = 0
    met: int = 0
    late: int = 0
    done: Counter[int] = attrs.Factory(Counter)  # minute since the scenario's start -> plays done then


@attrs.define
class StartTally:
    index: int
    plays: int = 0
    score_cents: int = 0  # sum of overall scores in hundredths (exact, order-free)
    sla_held: int = 0  # plays in which every sla obligation was met
    obligations: dict[str, ObTally] = attrs.Factory(dict)
    worst: tuple[int, int] = (10**9, 0)  # (score in hundredths, sample)
    stated: dict[str, Any] = attrs.Factory(dict)  # the as-stated play at this start


def cents(card: Verdict) -> int:
    return round(card.overall * 100)


def sla_held(card: Verdict) -> bool:
    return all(r.status == "met" for r in card.results if r.category == "sla")


def night(plan: Plan, start: Start, sample: int, queues: dict[str, erlang.Queue] | None = None,
          sigmas: tuple[float, float] | None = None) -> Night | None:
    """The draws of night `sample` (1, 2, …) at `start`; sample 0 is the night as stated."""
    if sample == 0:
        return None
    return Night(plan.model, plan.queues() if queues is None else queues, plan.seed, start.key, sample, sigmas)


def play_one(plan: Plan, scenario: m.Scenario, chance: Night | None) -> tuple[list[Any], Verdict]:
    events = play(scenario, plan.runbook, chance)
    return events, verdict(scenario, plan.runbook, events, plan.rubric)


def at(plan: Plan, start: Start) -> m.Scenario:
    return attrs.evolve(plan.scenario, starts=start.local)


def _fold(t: StartTally, card: Verdict, sample: int) -> None:
    c = cents(card)
    t.plays += 1
    t.score_cents += c
    held = sla_held(card)
    t.sla_held += held
    if (c, sample) < t.worst:
        t.worst = (c, sample)
    for r in card.results:
        if r.status == "open":
            continue  # due after the horizon and not done: left out of every score (SPEC section 7)
        ob = t.obligations.get(r.id)
        if ob is None:
            ob = t.obligations[r.id] = ObTally()
        ob.judged += 1
        ob.met += r.status == "met"
        ob.late += r.status == "late"
        if r.done_at is not None:
            ob.done[r.done_at // 60] += 1


def play_start(plan: Plan, index: int, queues: dict[str, erlang.Queue] | None = None) -> StartTally:
    """Every play at one start: the as-stated one, then the sampled nights (if any), folded."""
    start = plan.starts[index]
    scenario = at(plan, start)
    queues = plan.queues() if queues is None else queues
    tally = StartTally(index)
    _, stated = play_one(plan, scenario, None)
    tally.stated = {
        "score": stated.overall, "sla_held": sla_held(stated),
        "obligations": {r.id: {"status": r.status, "done_at": r.done_at, "reason": r.reason} for r in stated.results},
    }
    if plan.samples == 0:
        _fold(tally, stated, 0)
        return tally
    sigmas = (plan.model.responds.sigma, plan.model.takes.sigma)
    for sample in range(1, plan.samples + 1):
        _, card = play_one(plan, scenario, night(plan, start, sample, queues, sigmas))
        _fold(tally, card, sample)
    return tally


# --- running, in this process or several ------------------------------------------------------

TASKS_PER_JOB = 12
_PLAN: Plan | None = None
_QUEUES: dict[str, erlang.Queue] = {}


def _init(plan: Plan) -> None:
    global _PLAN, _QUEUES
    _PLAN, _QUEUES = plan, plan.queues()


def _work(indices: tuple[int, ...]) -> list[StartTally]:
    assert _PLAN is not None
    return [play_start(_PLAN, i, _QUEUES) for i in indices]


def _context() -> multiprocessing.context.BaseContext:
    """How worker processes start.

    fork: each worker is a copy of this process, with ttx imported and the plan parsed, so a worker
    costs no interpreter start-up, no imports and no pickled plan (spawn's cost was a fifth of a
    5,000-play run). Only on Linux (macOS's system frameworks are not fork-safe) and only while this
    process runs no other thread (one holding a lock at the fork would leave it held in the copy).
    Otherwise spawn: a fresh interpreter per worker, safe anywhere, the plan sent to each once.
    """
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def tallies(plan: Plan, jobs: int = 1, progress: Callable[[int], None] | None = None) -> list[StartTally]:
    """Per-start totals, in start order. `progress(plays done so far)` after each start."""
    out: list[StartTally | None] = [None] * len(plan.starts)
    per = max(1, plan.samples)
    done = 0

    def collect(it: Iterator[StartTally]) -> None:
        nonlocal done
        for t in it:
            out[t.index] = t
            done += per
            if progress:
                progress(done)

    if jobs <= 1 or len(plan.starts) == 1:
        queues = plan.queues()
        collect(play_start(plan, i, queues) for i in range(len(plan.starts)))
    else:
        # A task is every n-th start, n = a dozen per worker plus one: n shares no factor with 24, so
        # a task's starts move an hour each day and hold nights and days alike; tasks cost about the
        # same and the workers stay balanced, and the parent handles a few dozen results rather than
        # one per start (each costs it about half a millisecond of CPU).
        n = min(len(plan.starts), jobs * TASKS_PER_JOB + 1)
        tasks = [tuple(range(k, len(plan.starts), n)) for k in range(n)]
        ctx = _context()
        # forked, the copies' collector leaves what they inherit alone, so its pages stay shared; thawed
        # after unless a caller had frozen objects of its own (unfreeze cannot tell theirs from ours)
        freeze = ctx.get_start_method() == "fork"
        thaw = freeze and gc.get_freeze_count() == 0
        if freeze:
            gc.freeze()
        try:
            pool = ctx.Pool(jobs, initializer=_init, initargs=(plan,))
        finally:
            if thaw:
                gc.unfreeze()
        with pool:
            collect(t for batch in pool.imap_unordered(_work, tasks) for t in batch)
    return [t for t in out if t is not None]
