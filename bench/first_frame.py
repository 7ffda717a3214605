"""Time to first frame: `ttx play` (straight into an exercise) vs a bare Textual app with one Static.

    python bench/first_frame.py [runs]

Both are started the same way, in a pseudo-terminal of 80x24, and timed from spawn until a marker
text of their first screen appears in the terminal output. Prints the median and min of N runs.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("READY-MARKER")

Bare().run()
"""


def first_frame(argv: list[str], marker: bytes, cwd: str, timeout: float = 30.0) -> float:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24")
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, close_fds=True,
                            start_new_session=True)
    os.close(slave)
    buf = b""
    try:
        while time.perf_counter() - start < timeout:
            r, _, _ = select.select([master], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                buf += chunk
                if marker in buf:
                    return time.perf_counter() - start
        raise RuntimeError(f"marker {marker!r} not seen; output tail: {buf[-300:]!r}")
    finally:
        proc.kill()
        proc.wait()
        os.close(master)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as d:
        bare = os.path.join(d, "bare.py")
        Path(bare).write_text(BARE)
        results: dict[str, list[float]] = {"bare Textual app (one Static)": [], "ttx play SCENARIO --runbook RUNBOOK": []}
        for i in range(runs):
            results["bare Textual app (one Static)"].append(first_frame([sys.executable, bare], b"READY-MARKER", d))
            out = os.path.join(d, f"run{i}.ttx.jsonl")
            argv = [sys.executable, "-m", "simulator", "play", str(ROOT / "scenarios/ransomware-fileserver.yaml"),
                    "--runbook", str(ROOT / "scenarios/runbooks/acme-msp.yaml"), "-o", out]
            results["ttx play SCENARIO --runbook RUNBOOK"].append(first_frame(argv, b"Transcript", d))
    for name, xs in results.items():
        print(f"{name:40} median {statistics.median(xs) * 1000:6.0f} ms   min {min(xs) * 1000:6.0f} ms   ({runs} runs)")


if __name__ == "__main__":
    main()
