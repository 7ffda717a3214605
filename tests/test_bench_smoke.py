"""The benchmarks keep working: `python bench/run.py --quick` runs to the end and prints every figure.

Never a number: speed is judged by reading bench/RESULTS.md, not by CI on a shared machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIGURES = [
    "ttx validate, one scenario (whole process)",
    "play + score, SPEC §11 pair (in process)",
    "growth: play + score, 10 injects",
    "growth: play + score, 2,000 injects",
    "ttx compare, 10 runbooks × 12 scenarios (whole process)",
    "ttx play to first frame, headless",
    "key press (record an action) → updated screen, 2,000 events",
    "ttx replay, 10,000 events: open",
    "ttx replay, 10,000 events: one step",
    "ttx replay, 10,000 events: peak memory",
]


def test_quick_benchmark_run_prints_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--json", str(out)],
                       cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    for name in FIGURES:
        assert name in r.stdout, f"{name!r} missing from:\n{r.stdout}"
    assert "ratio" in r.stdout and out.exists()


def test_the_probe_can_stop_at_the_first_frame_for_an_instruction_count(tmp_path: Path) -> None:
    """bench/run.py counts instructions to the first frame under valgrind; the count ends where the process does, so
    the probe must exit at that frame, not after the autopilot and its report: no JSON line, the exercise started."""
    import json
    import os

    env = dict(os.environ, TTX_BENCH_EXIT_AT_FIRST_FRAME="1", PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "probe.py"), "first-frame", "ttx", str(tmp_path)],
                       cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert not [ln for ln in r.stdout.splitlines() if ln.startswith("{")]  # gone before the report
    (transcript,) = tmp_path.glob("first-frame-*.ttx.jsonl")
    assert json.loads(transcript.read_text().splitlines()[0])["mode"] == "live"  # the exercise had started
