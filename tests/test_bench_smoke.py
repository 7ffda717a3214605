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
