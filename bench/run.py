"""ttx benchmarks: every figure beside a reference measured in the same run, and their ratio.

    python bench/run.py            # the full run (a few minutes on 2 cores)
    python bench/run.py --quick    # fewer repeats, same figures: keeps the script working in CI
    python bench/run.py --only validate growth    # some sections only
    python bench/run.py --json F --markdown M     # also keep the rows (M is the table for bench/RESULTS.md)

Numbers are never pass/fail for CI: a missed target is printed as "MISSED", and the exit
status is 0 whenever every section ran. Ratios matter more than absolute times, because the
reference runs on the same machine, in the same run, interleaved with the figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [ROOT, HERE]

import gen  # noqa: E402  (bench/gen.py, found through sys.path above)

PY = sys.executable
PROBE = os.path.join(HERE, "probe.py")

# Whole-process figures are measured as a user's shell runs them: with compiled bytecode cached.
# (Some sandboxes set PYTHONDONTWRITEBYTECODE, which makes every run recompile the project's own
# modules, ~20 ms, while the reference's site-packages came with .pyc files from pip.) The cache
# goes to a folder of its own so the checkout stays clean; both sides use the same environment.
CHILD_ENV = dict(os.environ)
CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
CHILD_ENV.setdefault("PYTHONPYCACHEPREFIX", os.path.join(tempfile.gettempdir(), "ttx-bench-pycache"))
# Measure the checkout this script sits in, whatever `ttx` the environment has installed.
CHILD_ENV["PYTHONPATH"] = os.pathsep.join([ROOT] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])


# --- measuring --------------------------------------------------------------------------------


class Row:
    """One figure beside its reference."""

    def __init__(self, name: str, value: float | None, ref_name: str, ref: float | None, target: str,
                 ok: bool | None, unit: str = "ms", ratio: float | None = None, note: str = ""):
        self.name, self.value, self.ref_name, self.ref = name, value, ref_name, ref
        self.target, self.ok, self.unit, self.note = target, ok, unit, note
        if ratio is None and value is not None and ref:
            ratio = value / ref
        self.ratio = ratio

    def as_dict(self) -> dict[str, Any]:
        return {"figure": self.name, "value": self.value, "unit": self.unit, "reference": self.ref_name,
                "reference_value": self.ref, "ratio": self.ratio, "target": self.target,
                "met": self.ok, "note": self.note}


def not_measured(name: str, ref_name: str, target: str, reason: str) -> Row:
    return Row(name, None, ref_name, None, target, None, note=f"not measured: {reason}")


def wall_cpu_ms(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> list[tuple[float, float]]:
    """(wall, CPU) times of fn in this process; CPU time hardly moves when other work shares the
    machine. The heap built before the batch (inputs, other sections' leftovers) is frozen out of
    the cyclic GC's sight, so a collection during fn costs what it would in a fresh `ttx` process
    rather than growing with whatever ran before."""
    for _ in range(warmup):
        fn()
    gc.collect()
    gc.freeze()
    try:
        times = []
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            times.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
    finally:
        gc.unfreeze()
    return times


def timings_ms(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> list[float]:
    """Wall times of fn in this process (see wall_cpu_ms)."""
    return [w for w, _ in wall_cpu_ms(fn, repeat, warmup)]


def median_ms(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> float:
    return statistics.median(timings_ms(fn, repeat, warmup))


def process_ms(argv: list[str], cwd: str = ROOT) -> float:
    """Wall time of one whole process, from spawn to exit (what a user at a shell feels)."""
    return process_times(argv, cwd)[0]


def process_times(argv: list[str], cwd: str = ROOT, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one whole process. CPU time (user + system of the child) hardly
    moves when other work shares the machine, so it backs up the wall figure on a busy box."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or CHILD_ENV)
    dt = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:4])} ... exited {r.returncode}: {r.stderr.decode()[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return dt * 1000, cpu * 1000


def paired_process_ms(ours: list[str], ref: list[str], repeat: int,
                      env: dict[str, str] | None = None) -> tuple[float, float, float, float]:
    """Medians of interleaved runs, so both sides see the same machine load: wall, wall ref, CPU, CPU ref."""
    process_times(ours, env=env), process_times(ref, env=env)  # warm the page cache and the bytecode cache
    a, b = [], []
    for _ in range(repeat):
        a.append(process_times(ours, env=env))
        b.append(process_times(ref, env=env))
    return (statistics.median(x for x, _ in a), statistics.median(x for x, _ in b),
            statistics.median(y for _, y in a), statistics.median(y for _, y in b))


def probe(*args: str) -> dict[str, Any]:
    """Run bench/probe.py in a fresh interpreter; it prints one JSON object on its last line."""
    env = dict(CHILD_ENV, TTX_BENCH_SPAWN=repr(time.time()))
    t0 = time.perf_counter()
    try:
        r = subprocess.run([PY, PROBE, *args], cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"probe {' '.join(args)} took over 10 minutes") from None
    wall = (time.perf_counter() - t0) * 1000
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
    if r.returncode != 0 or not lines:
        raise RuntimeError(f"probe {' '.join(args)} exited {r.returncode}: {(r.stderr or r.stdout)[-600:]}")
    out = json.loads(lines[-1])
    out["process_ms"] = wall
    return out


def ttx_argv(*args: str) -> list[str]:
    """`ttx` as installed next to this interpreter (the console script), else `python -m simulator`."""
    script = os.path.join(os.path.dirname(PY), "ttx")
    if os.path.exists(script):
        return [script, *args]
    found = shutil.which("ttx")
    return [found, *args] if found else [PY, "-m", "simulator", *args]


# --- the figures ------------------------------------------------------------------------------


def _without_site(argv: list[str]) -> list[str]:
    """The same command with site's .pth files skipped (`python -S`, site-packages on PYTHONPATH instead):
    an editable install's import hook is one of them, which a wheel install does not have."""
    return [PY, "-S", *argv[1:]] if argv[0] == PY else [PY, "-S", *argv]


def fig_validate(quick: bool) -> list[Row]:
    import site

    name = "ttx validate, one scenario (whole process)"
    ref_name = 'python -c "import yaml, attrs, cattrs"'
    argv, ref_argv = ttx_argv("validate", "-q", gen.SPEC_SCENARIO), [PY, "-c", "import yaml, attrs, cattrs"]
    ours, ref, cpu, cpu_ref = paired_process_ms(argv, ref_argv, 5 if quick else 31)
    no_site = dict(CHILD_ENV, PYTHONPATH=os.pathsep.join([CHILD_ENV["PYTHONPATH"], *site.getsitepackages()]))
    _, _, cpu_s, cpu_ref_s = paired_process_ms(_without_site(argv), _without_site(ref_argv), 5 if quick else 21, env=no_site)
    return [Row(name, ours, ref_name, ref, "≤ 1.3×", ours / ref <= 1.3),
            Row("  the same, CPU time (user + system)", cpu, "the reference's CPU time", cpu_ref, "≤ 1.3×",
                cpu / cpu_ref <= 1.3),
            Row("  the same, CPU time, both without site's .pth files (python -S)", cpu_s, "the reference, the same way",
                cpu_ref_s, "≤ 1.3×", cpu_s / cpu_ref_s <= 1.3,
                note="as a wheel install runs: the rows above pay this environment's editable-install import hook "
                     "on both sides, which a wheel install does not have")]


def _pair(scenario: str, runbook: str) -> Any:
    from simulator.exercise import open_pair

    return open_pair(scenario, runbook)


def _play_score(pair: Any) -> Any:
    from scoring.scorecard import score
    from simulator.engine import play

    events = play(pair.scenario, pair.runbook)
    return score(pair.scenario, pair.runbook, events, None, "auto")


def fig_spec_pair(quick: bool) -> list[Row]:
    import yaml

    pair = _pair(gen.SPEC_SCENARIO, gen.SPEC_RUNBOOK)
    repeat = 30 if quick else 300

    def yaml_only() -> None:
        for path in (gen.SPEC_SCENARIO, gen.SPEC_RUNBOOK):
            with open(path, "rb") as fh:
                yaml.load(fh, Loader=yaml.CSafeLoader)

    ours = median_ms(lambda: _play_score(pair), repeat, warmup=5)
    ref = median_ms(yaml_only, repeat, warmup=5)
    # load + check beside the bare parse, in alternating batches so that both see the same machine
    loads: list[tuple[float, float]] = []
    refs: list[tuple[float, float]] = []
    for _ in range(3 if quick else 10):
        loads += wall_cpu_ms(lambda: _pair(gen.SPEC_SCENARIO, gen.SPEC_RUNBOOK), repeat // 10, warmup=2)
        refs += wall_cpu_ms(yaml_only, repeat // 10, warmup=2)
    load, load_ref = statistics.median(w for w, _ in loads), statistics.median(w for w, _ in refs)
    load_cpu, ref_cpu = statistics.median(c for _, c in loads), statistics.median(c for _, c in refs)
    return [
        Row("play + score, SPEC §11 pair (in process)", ours, "yaml.CSafeLoader on the same two files", ref,
            "≤ 1×", ours <= ref),
        Row("load + check the two files (in process)", load, "yaml.CSafeLoader on the same two files", load_ref,
            "≤ 1.5×", load / load_ref <= 1.5,
            note="read, decode, parse, structure into the model, every check; positions are found only for an error"),
        Row("  the same, CPU time", load_cpu, "the reference's CPU time", ref_cpu, "≤ 1.5×",
            load_cpu / ref_cpu <= 1.5),
    ]


def fig_growth(quick: bool, tmp: str) -> list[Row]:
    sizes = (10, 100, 1000, 2000)
    repeat = 3 if quick else 15
    times: dict[int, list[float]] = {}
    loads: dict[int, float] = {}
    for n in sizes:
        path = gen.write_growth(tmp, n)
        loads[n] = min(timings_ms(lambda: _pair(path, gen.SPEC_RUNBOOK), 1 if quick else 3, warmup=1 if n < 1000 else 0))  # noqa: B023 - timed within this iteration
        pair = _pair(path, gen.SPEC_RUNBOOK)
        times[n] = timings_ms(lambda: _play_score(pair), repeat if n >= 1000 else repeat * 3)  # noqa: B023 - timed within this iteration
    med = {n: statistics.median(ts) for n, ts in times.items()}
    rows = []
    base = med[10]
    for n in sizes:
        allowed = (n * math.log(n)) / (10 * math.log(10))
        ratio = med[n] / base
        target = "—" if n == 10 else f"≤ {allowed:.0f}× (n log n)" + ("; < 500 ms" if n == 2000 else "")
        ok: bool | None = None if n == 10 else ratio <= allowed and (n != 2000 or med[n] < 500)
        rows.append(Row(f"growth: play + score, {n:,} injects", med[n], "the 10-inject time", base, target, ok))
    # The slope of log t against log n over the larger sizes says more than ratios to a tiny base.
    # Fitted on the best of each size's runs: the least disturbed by other work on the machine.
    xs = [math.log(n) for n in (100, 1000, 2000)]
    ys = [math.log(min(times[n])) for n in (100, 1000, 2000)]
    mx, my = sum(xs) / 3, sum(ys) / 3
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    rows.append(Row("growth: exponent k in t ∝ n^k, fitted over 100 … 2,000 injects", slope, "1.0 is linear", 1.0,
                    "≤ 1.2 (n log n ≈ 1.1)", slope <= 1.2, unit="", ratio=slope,
                    note="fitted on each size's best run (robust to other load); values above are medians"))
    lslope = math.log(loads[2000] / loads[1000]) / math.log(2)
    rows.append(Row("  (for information) load + check, 2,000 injects", loads[2000], "the 10-inject load", loads[10],
                    "—", None, note=f"load exponent 1,000 → 2,000: {lslope:.2f}"))
    return rows


def fig_compare(quick: bool, tmp: str) -> list[Row]:
    name = "ttx compare, 10 runbooks × 12 scenarios (whole process)"
    ref_name = "120 × one in-process play + score"
    try:
        import scoring.compare as sc_compare
    except ImportError as e:
        return [not_measured(name, ref_name, "≤ 1.3×", f"scoring.compare is not there yet ({e})")]
    if not hasattr(sc_compare, "rank") or not hasattr(sc_compare, "render"):
        return [not_measured(name, ref_name, "≤ 1.3×", "scoring.compare has no rank()/render() yet")]
    folder = os.path.join(tmp, "compare")
    os.makedirs(folder, exist_ok=True)
    scenarios, runbooks = gen.compare_inputs(folder)
    pairs = [_pair(s, r) for s in scenarios for r in runbooks]

    def all_pairs() -> None:
        for p in pairs:
            _play_score(p)

    ref = median_ms(all_pairs, 3 if quick else 7)
    argv = ttx_argv("compare", "--scenario", *scenarios, "--runbook", *runbooks)
    startup_argv = [PY, "-c", "import simulator.cli, simulator.exercise, scoring.compare"]
    process_ms(argv), process_ms(startup_argv)
    runs = [(process_ms(argv), process_ms(startup_argv)) for _ in range(1 if quick else 5)]
    ours = statistics.median(a for a, _ in runs)
    startup = statistics.median(b for _, b in runs)

    def load_all() -> None:
        from simulator.exercise import read_source

        for path in scenarios:
            read_source(path, "scenario")
        for path in runbooks:
            read_source(path, "runbook")

    load = median_ms(load_all, 3 if quick else 7)
    naive = median_ms(lambda: [_play_score(_pair(s, r)) for s in scenarios for r in runbooks], 1 if quick else 3)
    rest = ours - startup - load
    return [
        Row(name, ours, ref_name, ref, "≤ 1.3×", ours / ref <= 1.3,
            note=f"of which fixed: start-up and imports {startup:.0f} ms, loading the 22 files once {load:.0f} ms"),
        Row("  compare less its fixed start-up and file loading", rest, ref_name, ref, "—", None,
            note="what the 120 pairs cost inside `ttx compare`: ≈ 1× means no per-pair overhead"),
        Row("  (for information) the same against 120 in-process `ttx run`s", ours,
            "120 × (load both files + play + score)", naive, "—", None),
    ]


def count_instructions(argv: list[str], env: dict[str, str], cwd: str = ROOT) -> float:
    """Millions of instructions a command executes, counted by valgrind's callgrind (one run: the same count every
    run on the same machine and install, whatever else the box is doing). Used here and by bench/stages.py."""
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv], cwd=cwd,
                       capture_output=True, text=True, timeout=600, env=dict(env, PYTHONHASHSEED="0"))  # same dict order
    got = re.search(r"Collected\s*:\s*(\d+)", r.stderr)
    if r.returncode != 0 or got is None:
        raise RuntimeError(f"callgrind exited {r.returncode}: {r.stderr[-400:]}")
    return int(got.group(1)) / 1e6


def instructions_to_first_frame(which: str, tmp: str) -> float | None:
    """Millions of instructions from process start to the first frame (the probe exits at that frame). Unlike time,
    a ratio that does not move with the neighbours' load. None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    return count_instructions([PY, PROBE, "first-frame", which, tmp], dict(CHILD_ENV, TTX_BENCH_EXIT_AT_FIRST_FRAME="1"))


def fig_first_frame(quick: bool, tmp: str) -> list[Row]:
    name = "ttx play to first frame, headless (from process spawn)"
    ref_name = "bare Textual app with one Static, same measurement"
    mine: list[dict[str, Any]] = []
    bare: list[dict[str, Any]] = []
    libs: list[dict[str, Any]] = []
    # interleaved, so a burst of load on the box falls on both sides; 15, not 7: on a noisy box the median of 7 moved
    # the ratio by ±0.1 from one run to the next (1.42 to 1.63 in one hour, eighth session)
    for _ in range(1 if quick else 15):
        try:
            mine.append(probe("first-frame", "ttx", tmp))
        except RuntimeError as e:
            return [not_measured(name, ref_name, "≤ 1.4×", str(e).splitlines()[-1][:200])]
        if mine[0].get("skip"):
            return [not_measured(name, ref_name, "≤ 1.4×", mine[0]["skip"])]
        bare.append(probe("first-frame", "bare", tmp))
        libs.append(probe("first-frame", "bare-libs", tmp))
    ours = statistics.median(p["first_frame_ms"] for p in mine)
    ref = statistics.median(p["first_frame_ms"] for p in bare)
    whole = statistics.median(p["process_ms"] for p in mine)
    whole_ref = statistics.median(p["process_ms"] for p in bare)
    cpu = statistics.median(p["first_frame_cpu_ms"] for p in mine)
    cpu_ref = statistics.median(p["first_frame_cpu_ms"] for p in bare)
    counted = [] if quick else [instructions_to_first_frame(w, tmp) for w in ("ttx", "bare", "bare-libs")]
    instr = []
    if counted and None not in counted:
        instr = [
            Row("  (for information) instructions to the first frame (callgrind, one run each: no noise)", counted[0],
                "the bare app, same count", counted[1], "—", None, unit="Minstr",
                note="counted by valgrind, not timed: repeatable to a few instructions in a million whatever the "
                     "load, so a change to the start shows here even when the timed ratio moves more with the box"),
            Row("  (for information) … the same against the bare app that imports yaml, attrs, cattrs", counted[0],
                "bare app + the libraries every ttx run needs, same count", counted[2], "—", None, unit="Minstr"),
        ]
    return [
        Row(name, ours, ref_name, ref, "≤ 1.4×", ours / ref <= 1.4,
            note="process spawn → first compositor frame of the app's own screen; `ttx play SCENARIO --runbook R`"),
        Row("  the same, CPU time of the process (robust to other load)", cpu, "the bare app's CPU time, same",
            cpu_ref, "≤ 1.4×", cpu / cpu_ref <= 1.4),
        Row("  (for information) the same process through to exit", whole, "the bare app, same", whole_ref, "—", None),
        Row("  (for information) the first frame against a bare app that imports yaml, attrs, cattrs", ours,
            "bare app + the libraries every ttx run needs", statistics.median(p["first_frame_ms"] for p in libs), "—", None,
            note="how much of the gap is the libraries a scenario needs, which no change to ttx removes"),
        *instr,
    ]


def fig_keypress(quick: bool, tmp: str) -> list[Row]:
    """Recording is two keys here: the action key opens a form (defaults filled), Enter records.
    The figure is the key that records: Enter → event on disk → exercise screen redrawn."""
    name = "key press (record an action) → updated screen, 2,000 events"
    ref_name = "the same on an empty exercise"
    try:
        big = probe("keypress", tmp, "2000", "3" if quick else "15")
    except RuntimeError as e:
        return [not_measured(name, ref_name, "≤ 1.5×", str(e).splitlines()[-1][:200])]
    if big.get("skip"):
        return [not_measured(name, ref_name, "≤ 1.5×", big["skip"])]
    empty = probe("keypress", tmp, "0", "3" if quick else "15")
    small = None if quick else probe("keypress", tmp, "100", "15")
    ours, ref = big["submit_ms"], empty["submit_ms"]
    return [
        Row(name, ours, ref_name, ref, "≤ 1.5×", ours / ref <= 1.5,
            note="Enter in the action form → the event is on disk → first frame of the exercise screen"),
        Row("  the same, CPU time of the process (robust to other load)", big["submit_cpu_ms"], ref_name,
            empty["submit_cpu_ms"], "≤ 1.5×", big["submit_cpu_ms"] / empty["submit_cpu_ms"] <= 1.5),
        Row("  the whole entry: action key, form drawn, Enter → updated screen", big["keypress_ms"],
            ref_name, empty["keypress_ms"], "—", None,
            note=f"opening the form: {big['form_ms']:.0f} ms with 2,000 events, {empty['form_ms']:.0f} ms empty"),
        Row("  (for information) Enter → updated screen, 2,000 events against 100 events", ours,
            "the same, 100 events", small["submit_ms"] if small else None, "—", None,
            note="separates growth with the transcript from an empty screen's having little to draw"
            if small else "not measured: skipped in --quick"),
    ]


def fig_replay(quick: bool, tmp: str) -> list[Row]:
    names = ("ttx replay, 10,000 events: open", "ttx replay, 10,000 events: one step",
             "ttx replay, 10,000 events: peak memory")
    ref_name = "the same, 100-event transcript"
    targets = ("≤ 2 s", "≤ 50 ms", "≤ 200 MB")
    try:
        for n in (100, 10000):
            gen.write_transcript(tmp, n)
        big = probe("replay", tmp, "10000", "3" if quick else "9")
    except RuntimeError as e:
        return [not_measured(n, ref_name, t, str(e).splitlines()[-1][:200]) for n, t in zip(names, targets)]
    if big.get("skip"):
        return [not_measured(n, ref_name, t, big["skip"]) for n, t in zip(names, targets)]
    small = probe("replay", tmp, "100", "3" if quick else "9")
    note = big.get("note", "")
    return [
        Row(names[0], big["open_ms"], ref_name, small["open_ms"], targets[0], big["open_ms"] <= 2000, note=note),
        Row(names[1], big["step_ms"], ref_name, small["step_ms"], targets[1], big["step_ms"] <= 50),
        Row("  the same, CPU time of the process (robust to other load)", big["step_cpu_ms"], ref_name,
            small["step_cpu_ms"], targets[1], big["step_cpu_ms"] <= 50),
        Row(names[2], big["peak_mb"], ref_name, small["peak_mb"], targets[2], big["peak_mb"] <= 200, unit="MB"),
    ]


# --- output -----------------------------------------------------------------------------------


def _rss_of(argv: list[str]) -> tuple[float, float]:
    """(wall ms, peak resident MiB) of one whole process, measured by a small parent of its own."""
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
            "w = time.perf_counter() - t; sys.exit(r.stderr.decode()[-400:]) if r.returncode else "
            "print(w * 1000, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    r = subprocess.run([PY, "-c", code, *argv], cwd=ROOT, capture_output=True, text=True, env=CHILD_ENV)
    if r.returncode:
        raise RuntimeError(f"{' '.join(argv[:4])} ... failed: {r.stderr[-400:]}")
    wall, rss = r.stdout.split()
    return float(wall), float(rss)


def fig_stress(quick: bool, tmp: str) -> list[Row]:
    """`ttx stress` (SPEC §12) on the SPEC §11 pair, each figure beside the in-process play + score it is made of."""
    from simulator.stress import run as stress_run
    from simulator.stress import sweep
    from simulator.stress.model import DEFAULT

    pair = _pair(gen.SPEC_SCENARIO, gen.SPEC_RUNBOOK)
    starts, _ = sweep.week(pair.scenario.starts, pair.scenario.timezone)
    samples = 2 if quick else 20
    plan = stress_run.Plan(pair.scenario, pair.runbook, DEFAULT, starts, samples)
    plays = plan.plays

    def reference(n: int) -> None:
        for _ in range(n):
            _play_score(pair)

    moved = [stress_run.at(plan, st) for st in starts]

    def same_starts(judge: Callable[..., Any]) -> Callable[[], None]:
        """The plays stress makes, as stated: what each start costs before any draw."""
        from simulator.engine import play

        def go() -> None:
            for sc in moved:
                for _ in range(samples):
                    judge(sc, pair.runbook, play(sc, pair.runbook), None, "auto")
        return go

    from scoring.scorecard import score, verdict

    # interleaved, so all sides see the same load; per play, wall and CPU time
    ours_t: list[tuple[float, float]] = []
    ref_t: list[tuple[float, float]] = []
    week_t: list[tuple[float, float]] = []
    lean_t: list[tuple[float, float]] = []
    for _ in range(1 if quick else 5):
        ours_t.append(wall_cpu_ms(lambda: stress_run.tallies(plan), 1, warmup=0)[0])
        ref_t.append(wall_cpu_ms(lambda: reference(plays), 1, warmup=0)[0])
        week_t.append(wall_cpu_ms(same_starts(score), 1, warmup=0)[0])
        lean_t.append(wall_cpu_ms(same_starts(verdict), 1, warmup=0)[0])
    ours, ref, week = (statistics.median(w for w, _ in ts) / plays for ts in (ours_t, ref_t, week_t))
    ours_c, ref_c, week_c, lean_c = (statistics.median(c for _, c in ts) / plays for ts in (ours_t, ref_t, week_t, lean_t))
    rows = [Row(f"stress: one play inside ttx stress (in process, {plays:,} plays)", ours,
                "one in-process play + score, SPEC §11 pair", ref, "≤ 1.2×", ours / ref <= 1.2,
                note="sampled nights at all 168 starts, with their draws and the totals, plus one as-stated play per "
                     "start, each judged obligation by obligation without the scorecard's metrics and findings (no "
                     "stress result reads them); the reference is a full play + score of the scenario's own night "
                     "(Sat 02:07) as stated, where the SOC manager never answers and less happens"),
            Row("  the same, beside as-stated play + score at the same 168 starts", ours,
                "in-process play + score, as stated, same starts", week, "≤ 1.2×", ours / week <= 1.2,
                note="isolates what stress adds (draws, totals, the as-stated play per start) from what a start costs"),
            Row("  the same two, CPU time of this process (robust to other load): against one play + score", ours_c,
                "one in-process play + score, SPEC §11 pair, CPU time", ref_c, "≤ 1.2×", ours_c / ref_c <= 1.2),
            Row("  … and against as-stated play + score at the same 168 starts", ours_c,
                "in-process play + score, as stated, same starts, CPU time", week_c, "≤ 1.2×", ours_c / week_c <= 1.2),
            Row("  (for information) … and against as-stated play + verdict (score less metrics and findings), same "
                "starts", ours_c, "in-process play + scorecard.verdict, same starts, CPU time", lean_c, "—", None,
                note="the same judging on both sides: what the draws, the totals and the as-stated play per start "
                     "cost on their own")]

    # --jobs 2 against --jobs 1, whole process, the same sizeable run
    n = "2" if quick else "30"
    base = ttx_argv("stress", gen.SPEC_SCENARIO, "--runbook", gen.SPEC_RUNBOOK, "--format", "json", "--samples", n)
    one, two = [], []
    for _ in range(1 if quick else 3):
        one.append(process_times(base + ["--jobs", "1"]))
        two.append(process_times(base + ["--jobs", "2"]))
    t1, t2 = statistics.median(w for w, _ in one), statistics.median(w for w, _ in two)
    c1, c2 = statistics.median(c for _, c in one), statistics.median(c for _, c in two)
    eff = t1 / (2 * t2)
    load = os.getloadavg()[0]
    rows.append(Row(f"stress: parallel efficiency, --jobs 2 (168 × {n} plays, whole process)", t2,
                    "--jobs 1, same run", t1, "ratio ≥ 0.80", eff >= 0.8, ratio=eff,
                    note=f"ratio here is the wall-clock efficiency T(jobs 1) / (2 × T(jobs 2)); load average {load:.1f} on "
                         f"{os.cpu_count()} cores while measured. Linux autogroup scheduling shares the CPU fairly between "
                         "sessions, not processes: on a box saturated by other sessions a second worker adds no share"))
    rows.append(Row("  the same, CPU time (user + system, all workers)", c2, "--jobs 1, same run", c1, "ratio ≥ 0.80",
                    c1 / c2 >= 0.8, ratio=c1 / c2,
                    note="CPU(jobs 1) / CPU(jobs 2): the work --jobs 2 adds (on Linux two forked workers, 25 tasks of "
                         "6–7 starts spread over the week's hours, results sent back; spawn elsewhere) and two processes sharing "
                         "two cores; the tasks keep the workers balanced, so on two idle cores this ratio is the "
                         "efficiency to expect"))

    # the default run as a whole process, beside 16,800 in-process play + score
    n_default = 2 if quick else 100
    wall, rss_small = _rss_of(ttx_argv("stress", gen.SPEC_SCENARIO, "--runbook", gen.SPEC_RUNBOOK,
                                       "--samples", str(n_default)))
    ref_all = median_ms(lambda: reference(168 * n_default), 1, warmup=0)
    rows.append(Row(f"stress: default run, 168 × {n_default} (whole process)", wall,
                    f"{168 * n_default:,} × in-process play + score", ref_all, "—", None))

    # memory at 100,000 plays (168 × 596 = 100,128), beside the run above
    n_big = 4 if quick else 596
    _, rss_big = _rss_of(ttx_argv("stress", gen.SPEC_SCENARIO, "--runbook", gen.SPEC_RUNBOOK, "--samples", str(n_big)))
    rows.append(Row(f"stress: peak memory at {168 * n_big:,} plays (whole process)", rss_big,
                    f"peak memory at {168 * n_default:,} plays", rss_small, "≤ 300 MB", rss_big <= 300, unit="MB"))
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            names = [ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")]
        if names:
            cpu = names[0]
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            kb = int(fh.readline().split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    libs = []
    for dist in ("textual", "attrs", "cattrs", "PyYAML"):
        try:
            libs.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            libs.append(f"{dist} (not installed)")
    return (f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()} ({platform.python_implementation()}); {', '.join(libs)}")


def fmt_value(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "ms":
        return f"{v:.0f} ms" if v >= 100 else f"{v:.2f} ms" if v < 10 else f"{v:.1f} ms"
    if unit == "MB":
        return f"{v:.0f} MB"
    if unit == "Minstr":
        return f"{v:,.0f} M instr"
    return f"{v:.2f}"


def table(rows: list[Row]) -> str:
    head = ("figure", "value", "reference", "ref", "ratio", "target", "verdict")
    body = []
    for r in rows:
        verdict = "met" if r.ok else "MISSED" if r.ok is False else ""
        if r.note.startswith("not measured"):
            verdict = r.note
        body.append((r.name, fmt_value(r.value, r.unit), r.ref_name, fmt_value(r.ref, r.unit),
                     "—" if r.ratio is None else f"{r.ratio:.2f}", r.target, verdict))
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head) - 1)]
    lines = []
    for cells in [head, *body]:
        lines.append("  ".join(c.ljust(w) if i in (0, 2, 5) else c.rjust(w)
                               for i, (c, w) in enumerate(zip(cells, widths))) + "  " + cells[-1])
        if cells is head:
            lines.append("-" * len(lines[0]))
    notes = [f"  {r.name.strip()}: {r.note}" for r in rows if r.note and not r.note.startswith("not measured")]
    return "\n".join(lines + (["", "notes:"] + notes if notes else []))


def markdown(rows: list[Row]) -> str:
    """The same table in Markdown, for bench/RESULTS.md."""
    out = ["| figure | value | reference | ref | ratio | target | verdict |", "| --- | ---: | --- | ---: | ---: | --- | --- |"]
    for r in rows:
        verdict = "met" if r.ok else "**missed**" if r.ok is False else ""
        if r.note.startswith("not measured"):
            verdict = r.note
        name = ("↳ " + r.name.strip()) if r.name.startswith("  ") else r.name
        cells = (name, fmt_value(r.value, r.unit), r.ref_name, fmt_value(r.ref, r.unit),
                 "—" if r.ratio is None else f"{r.ratio:.2f}", r.target, verdict)
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    notes = [f"- {r.name.strip()}: {r.note}" for r in rows if r.note and not r.note.startswith("not measured")]
    return "\n".join(out + ([""] + notes if notes else [])) + "\n"


SECTIONS: list[tuple[str, Callable[..., list[Row]]]] = [
    ("validate", fig_validate),
    ("spec-pair", fig_spec_pair),
    ("growth", fig_growth),
    ("compare", fig_compare),
    ("first-frame", fig_first_frame),
    ("keypress", fig_keypress),
    ("replay", fig_replay),
    ("stress", fig_stress),
]
# The figures of the Performance issue, by section: printed even when a section cannot run.
FIGURES = {
    "validate": ["ttx validate, one scenario (whole process)"],
    "spec-pair": ["play + score, SPEC §11 pair (in process)", "load + check the two files (in process)"],
    "growth": [f"growth: play + score, {n:,} injects" for n in (10, 100, 1000, 2000)],
    "compare": ["ttx compare, 10 runbooks × 12 scenarios (whole process)"],
    "first-frame": ["ttx play to first frame, headless (from process spawn)"],
    "keypress": ["key press (record an action) → updated screen, 2,000 events"],
    "replay": ["ttx replay, 10,000 events: open", "ttx replay, 10,000 events: one step",
               "ttx replay, 10,000 events: peak memory"],
    "stress": ["stress: one play inside ttx stress", "stress: parallel efficiency, --jobs 2",
               "stress: default run", "stress: peak memory"],
}


def compile_like_an_install() -> int:
    """Write the .pyc of every ttx module whose bytecode is missing or older than its source; the number written.

    `pip install` compiles a wheel's modules as it installs them. A working tree under
    PYTHONDONTWRITEBYTECODE=1 (set on some machines, this one included) keeps no bytecode, so every
    module edited since its last .pyc would be compiled again at each start and the start-up figures
    would count compiling, which no installed ttx does. Textual's modules, installed by pip, have theirs."""
    import compileall
    import glob
    import importlib.util

    stale = 0
    for pkg in ("simulator", "scoring"):
        for src in glob.glob(os.path.join(ROOT, pkg, "**", "*.py"), recursive=True):
            pyc = importlib.util.cache_from_source(src)
            if not os.path.exists(pyc) or os.path.getmtime(pyc) < os.path.getmtime(src):
                stale += 1
        compileall.compile_dir(os.path.join(ROOT, pkg), quiet=1)
    return stale


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one or a few runs each: checks the script works")
    ap.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    ap.add_argument("--only", nargs="+", choices=[s for s, _ in SECTIONS], help="run only these sections")
    args = ap.parse_args(argv)
    print(f"machine: {machine()}")
    print(f"mode: {'quick (numbers are rough)' if args.quick else 'full'}; started {time.strftime('%Y-%m-%d %H:%M:%S %Z')}; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
          + (" (busy: wall times are inflated, ratios less so)" if os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1) else ""))
    stale = compile_like_an_install()
    if stale:
        print(f"compiled the bytecode of {stale} module(s) edited since their last .pyc, as a wheel install does")
    rows: list[Row] = []
    failed = 0
    with tempfile.TemporaryDirectory(prefix="ttx-bench-") as tmp:
        for key, fn in SECTIONS:
            if args.only and key not in args.only:
                continue
            t0 = time.perf_counter()
            try:
                got = fn(args.quick) if key in ("validate", "spec-pair") else fn(args.quick, tmp)
            except Exception as e:  # a broken section is reported, and the others still run
                failed += 1
                why = f"the benchmark broke ({type(e).__name__}: {str(e)[:160]})"
                got = [not_measured(n, "", "", why) for n in FIGURES[key]]
            rows.extend(got)
            print(f"  [{key}: {time.perf_counter() - t0:.1f} s]", file=sys.stderr, flush=True)
    print()
    print(table(rows))
    if any(r.ok is False for r in rows):
        print("\nwhy each MISSED target is missed, what was tried, and before/after figures: bench/RESULTS.md")
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as fh:
            fh.write(f"machine: {machine()}\n\n" + markdown(rows))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"machine": machine(), "quick": args.quick, "rows": [r.as_dict() for r in rows]}, fh, indent=2)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
