"""Where `ttx play` spends its time before the first frame: the process's CPU time at each stage.

    python bench/stages.py [runs]        (median of `runs` fresh processes, 5 by default)
    python bench/stages.py --instructions (each stage's instructions, counted by valgrind's callgrind: one run each,
                                           the same count every time, whatever the load; about two minutes)

Stages, in the order a `ttx play SCENARIO --runbook R` process meets them (started as the command starts,
`simulator.cli.collect_less` first): Textual imported; the rest of what the play imports (YAML, attrs, cattrs,
the model, loading, engine, scoring, the TUI modules); the pair loaded and the live session started (`make_app`); the
app run to its first frame. The bare app's own two stages come last, for reference.
Not a benchmark row (bench/run.py has those): a breakdown to find what to work on. CPU time is robust to other
load on the machine; the absolute figures still move with it, so compare stages within one run.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

CHILD = r"""
import json, os, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
marks = [("interpreter", time.process_time())]
def mark(name):
    marks.append((name, time.process_time()))
    if os.environ.get("TTX_STAGE_EXIT") == name:  # --instructions: the count ends here
        os._exit(0)
if sys.argv[3] == "ttx":
    from simulator.cli import collect_less
    collect_less()
import probe
from textual.app import App
from textual.widgets import Static
mark("import Textual")
async def first(app, pilot):
    got = await probe.content_frame(app)
    marks.append(("app run to first frame", probe.CPU_AT[got]))
probe.patch_textual(first)
if sys.argv[3] == "bare":
    class Bare(App):
        def compose(self):
            yield Static("Hello")
    Bare().run()
else:
    import simulator.tui.app, simulator.tui.exercise, simulator.tui.launch  # (a plain `ttx play` reads no argparse)
    mark("import the rest")
    make = simulator.tui.app.make_app
    def made(*a, **k):
        got = make(*a, **k)
        mark("load the pair, start the session")
        return got
    simulator.tui.app.make_app = made
    import gen
    from simulator.cli import main
    main(["play", gen.SPEC_SCENARIO, "--runbook", gen.SPEC_RUNBOOK, "-o", os.path.join(sys.argv[4], "t.ttx.jsonl")])
print(json.dumps([(n, t * 1000) for n, t in marks]))
"""


def once(which: str) -> list[tuple[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", CHILD, ROOT, HERE, which, tmp], capture_output=True, text=True,
                             check=True, timeout=120).stdout
    marks = json.loads(out.strip().splitlines()[-1])
    return [(name, t - marks[i - 1][1] if i else t) for i, (name, t) in enumerate(marks)]


STAGES = {"ttx": ["import Textual", "import the rest", "load the pair, start the session", "app run to first frame"],
          "bare": ["import Textual", "app run to first frame"]}


def instructions(which: str, stage: str) -> float:
    """Millions of instructions from process start to the end of `stage` (the child exits there)."""
    from run import count_instructions  # (bench/ is on sys.path: main put it there)

    env = dict(os.environ, TTX_STAGE_EXIT=stage)
    if stage == "app run to first frame":
        env["TTX_BENCH_EXIT_AT_FIRST_FRAME"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        return count_instructions([sys.executable, "-c", CHILD, ROOT, HERE, which, tmp], env)


def main_instructions() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    for which, stages in STAGES.items():
        print(f"{'ttx play SCENARIO --runbook R' if which == 'ttx' else 'bare Textual app (one Static)'}:")
        before = 0.0
        for stage in stages:
            upto = instructions(which, stage)
            print(f"  {stage:34} {upto - before:8.1f} M instructions  (to here {upto:,.1f} M)")
            before = upto


def main() -> None:
    if sys.argv[1:2] == ["--instructions"]:
        sys.path[:0] = [ROOT, HERE]
        from run import compile_like_an_install

        compile_like_an_install()
        main_instructions()
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    sys.path[:0] = [ROOT, HERE]
    from run import compile_like_an_install

    compile_like_an_install()
    for which in ("ttx", "bare"):
        samples = [once(which) for _ in range(runs)]
        print(f"{'ttx play SCENARIO --runbook R' if which == 'ttx' else 'bare Textual app (one Static)'}:")
        total = 0.0
        for i, (name, _) in enumerate(samples[0]):
            ms = statistics.median(s[i][1] for s in samples)
            total += ms
            print(f"  {name:34} {ms:7.1f} ms CPU")
        print(f"  {'to the first frame':34} {total:7.1f} ms CPU (sum of the medians)")


if __name__ == "__main__":
    main()
