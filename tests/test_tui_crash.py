"""The real `ttx play` killed with SIGKILL mid-exercise, then resumed: nothing the screen showed is lost.

Runs the installed command in a tmux pane (a real terminal), reads the screen
with `capture-pane`, kills the process without warning and checks the
transcript on disk against what the screen had shown as recorded.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from simulator.board import describe
from simulator.exercise import pair_from_transcript, verify
from simulator.timing import Clock, zone
from simulator.transcript import read
from simulator.wording import Names

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = str(ROOT / "scenarios" / "ransomware-fileserver.yaml")
RUNBOOK = str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)")

ROW = re.compile(r"│\s*(\d+) (\w{3} \d\d:\d\d) ([·✎]) (.*?)\s*│?$")


class Pane:
    def __init__(self, command: list[str], cwd: Path):
        self.name = f"ttx-crash-{uuid.uuid4().hex[:8]}"
        env_cmd = " ".join(_quote(c) for c in command)
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", "100", "-y", "32", "-c", str(cwd),
                        f"exec {env_cmd}"], check=True, env=_env())

    def screen(self) -> str:
        out = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return out.stdout

    def keys(self, *keys: str) -> None:
        for k in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, k], check=True)
            time.sleep(0.08)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def pid(self) -> int:
        out = subprocess.run(["tmux", "display-message", "-p", "-t", self.name, "#{pane_pid}"], capture_output=True, text=True)
        return int(out.stdout.strip())

    def wait_closed(self, timeout: float = 10.0) -> None:
        """Wait for the app to exit by itself (after `q`), so its last writes are on disk."""
        end = time.monotonic() + timeout
        while time.monotonic() < end and subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0:
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def _quote(s: str) -> str:
    return "'" + s.replace("'", "'\"'\"'") + "'"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["TERM"] = "xterm-256color"
    env.pop("TEXTUAL", None)
    return env


def ttx() -> list[str]:
    return [sys.executable, "-m", "simulator"]


def shown_rows(screen: str) -> dict[int, str]:
    """seq -> the description the transcript view showed for it."""
    rows = {}
    for line in screen.splitlines():
        m = ROW.search(line)
        if m:
            # a toast or the scrollbar may cover the row's end
            rows[int(m.group(1))] = m.group(4).split("▌")[0].rstrip(" │▁▂▃▄▅▆▇█")
    return rows


def test_sigkill_mid_exercise_then_resume_loses_nothing_shown(tmp_path):
    path = tmp_path / "crash.ttx.jsonl"
    pane = Pane(ttx() + ["play", SCENARIO, "--runbook", RUNBOOK, "-o", str(path)], tmp_path)
    try:
        pane.wait_for("Transcript")
        pane.keys("s")
        pane.wait_for("Inject edr-alert")
        pane.keys("a")
        pane.wait_for("Acknowledge the incident")
        pane.keys("Tab", "Enter")  # acknowledged by the default first responder, now
        pane.wait_for("declared by")
        pane.keys("f")
        pane.wait_for("Facilitator note")
        pane.keys("crash-proof", "Enter")
        pane.wait_for("Note: crash-proof")
        pane.keys("3")  # the clock runs at ×60 while we pull the plug
        screen = pane.wait_for("Clock running ×60")
        time.sleep(0.5)
        screen = pane.screen()
        shown = shown_rows(screen)
        os.kill(pane.pid(), signal.SIGKILL)
        time.sleep(0.3)
    finally:
        pane.close()

    assert len(shown) >= 3 and any(t.startswith("Note: crash-proof") for t in shown.values()), screen
    tr = read(str(path))
    assert verify(tr) == [] or tr.truncated  # a torn last line is possible after SIGKILL, never a broken chain
    pair = pair_from_transcript(tr)
    clock = Clock(pair.scenario.starts, zone(pair.scenario.timezone))
    names = Names(pair.scenario, pair.runbook)  # the board names roles as the files do
    on_disk = {e.seq: describe(e, clock, names) for e in tr.events}
    for seq, text in shown.items():
        assert seq in on_disk, f"#{seq} was shown as recorded but is not in the transcript"
        assert on_disk[seq].startswith(text.rstrip("…").split(" (said at")[0][:40])
    assert any("Note: crash-proof" in t for t in on_disk.values())
    before = len(tr.events)

    pane = Pane(ttx() + ["play", "--resume", str(path)], tmp_path)
    try:
        pane.wait_for("Note: crash-proof")
        screen = pane.wait_for("paused")  # the clock bar may draw a moment after the transcript
        assert "paused" in screen
        pane.keys("f")
        pane.wait_for("Facilitator note")
        pane.keys("after the crash", "Enter")
        pane.wait_for("Note: after the crash")
        pane.keys("q")
        pane.wait_for("Leave the exercise?")
        pane.keys("q")
        pane.wait_closed()
    finally:
        pane.close()
    tr2 = read(str(path))
    assert verify(tr2) == []
    assert [e.seq for e in tr2.events[:before]] == [e.seq for e in tr.events]
    assert tr2.events[-1].type in ("note", "clock")
    assert any(e.type == "note" and e.get("text") == "after the crash" for e in tr2.events)
