"""The shell of `ttx stress` (SPEC sections 8, 12): files in, progress on a terminal, a report out."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO

from ..exercise import open_pair
from ..files import write_atomic
from ..transcript import make_header, render
from . import aggregate, header, run, sweep
from .model import DEFAULT, StressModel


class Progress:
    """`[#####.....] 4,200/16,800 plays, 0:12 left` on a terminal's stderr; nothing when piped."""

    def __init__(self, total: int, stream: TextIO | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.on = self.stream.isatty()
        self.t0 = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if not self.on or (now - self.last < 0.2 and done < self.total):
            return
        self.last = now
        width = 30
        filled = width * done // max(1, self.total)
        rate = done / max(1e-9, now - self.t0)
        left = int((self.total - done) / rate) if rate else 0
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{self.total:,} plays, "
                          f"{left // 60}:{left % 60:02d} left ")
        self.stream.flush()

    def close(self) -> None:
        if self.on:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()


def load_model(path: str | None) -> StressModel:
    if not path:
        return DEFAULT
    from ..loading import load

    return load(path, "stress").value  # type: ignore[no-any-return]


def plan_for(args: argparse.Namespace, pair: Any, model: StressModel, rubric: Any) -> run.Plan:
    if args.starts == "week":
        starts, skipped = sweep.week(pair.scenario.starts, pair.scenario.timezone)
    else:
        starts, skipped = sweep.own(pair.scenario.starts)
    return run.Plan(pair.scenario, pair.runbook, model, starts, args.samples, args.seed, rubric, skipped, args.starts)


def worst_transcript(plan: run.Plan, pair: Any, start_key: str, sample: int) -> str:
    """The worst night played again from its draws, as a transcript whose header holds them."""
    start = next(s for s in plan.starts if s.key == start_key)
    night = run.night(plan, start, sample)
    events, _ = run.play_one(plan, run.at(plan, start), night)
    head = make_header("auto", pair.scenario_src, pair.runbook_src, plan.seed)
    head["stress"] = header.block(plan.model, plan.seed, start, sample, night)
    return render(head, events)


def main(args: argparse.Namespace, rubric: Any) -> dict[str, Any]:
    """Run the stress test the arguments ask for; the result (plain data) for the caller to print."""
    pair = open_pair(args.scenario, args.runbook)
    model = load_model(args.model)
    plan = plan_for(args, pair, model, rubric)
    progress = Progress(plan.plays)
    try:
        tallies = run.tallies(plan, args.jobs, progress)
    finally:
        progress.close()
    result = aggregate.result(plan, tallies)
    if args.worst:
        w = result["worst"]
        text = worst_transcript(plan, pair, w["start"], w["sample"])
        if args.output == "-":  # `-o -`: the transcript takes standard output, the report standard error
            sys.stdout.write(text)
            sys.stdout.flush()
            return result
        write_atomic(args.output, text)
        print(f"wrote {args.output}: the worst night ({w['label']}, score {w['score']:.1f}); "
              f"check it with `ttx verify {args.output}`", file=sys.stderr)
    return result


def compare_main(args: argparse.Namespace, rubric: Any) -> dict[str, Any]:
    """Every runbook on every scenario, stressed; the ranking (plain data) for the caller to print."""
    from . import rank

    model = load_model(args.model)
    pairs = [[open_pair(s, r) for s in args.scenario] for r in args.runbook]
    keys = []
    for r_path, row in zip(args.runbook, pairs):
        key = row[0].runbook.id
        keys.append(key if key not in keys else f"{key} ({r_path})")
    plans = [[plan_for(args, p, model, rubric) for p in row] for row in pairs]
    progress = Progress(sum(pl.plays for plan_row in plans for pl in plan_row))
    done = 0
    results: dict[str, list[dict[str, Any]]] = {}
    try:
        for key, plan_row in zip(keys, plans):
            results[key] = []
            for plan in plan_row:
                base = done
                results[key].append(aggregate.result(plan, run.tallies(plan, args.jobs, lambda n: progress(base + n))))  # noqa: B023 - called within this iteration
                done += plan.plays
    finally:
        progress.close()
    labels = {k: {"provider": row[0].runbook.provider, "path": path} for k, row, path in zip(keys, pairs, args.runbook)}
    return rank.rank(results, labels)
