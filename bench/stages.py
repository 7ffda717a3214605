"""Where `ttx play` spends its time before the first frame: the process's CPU time at each stage.

    python bench/stages.py [runs]        (median of `runs` fresh processes, 5 by default)

Stages, in the order a `ttx play SCENARIO --runbook R` process meets them (started as the command starts,
`simulator.cli.collect_less` first): Textual imported; the rest of what the play imports (YAML, attrs, cattrs,
the model, loading, engine, scoring, the TUI modules); the arguments read; the pair loaded and the live session
started (`make_app`); the app run to its first frame. The bare app's own two stages come last, for reference.
Not a benchmark row (bench/run.py has those): a breakdown to find what to work on. CPU time is robust to other
load on the machine; the absolute figures still move with it, so compare stages within one run.
"""

from __future__ import annotations

import json
import os
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
    import simulator.cliargs, simulator.tui.app, simulator.tui.exercise, simulator.tui.launch
    mark("import the rest")
    build = simulator.cliargs.build_parser
    def parser(*a, **k):
        got = build(*a, **k)
        mark("read the arguments")
        return got
    simulator.cliargs.build_parser = parser
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


def main() -> None:
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
