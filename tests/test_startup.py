"""The cyclic garbage collector is paused while `ttx` starts (simulator.startup) and always on again for the
command's own work: a long `ttx stress` or a three-hour exercise must collect its garbage as any program does."""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys

from simulator import startup
from simulator.tui.launch import play

from .pilot import ROOT, RUNBOOK, SCENARIO, app_for, sync


def test_a_ttx_command_runs_with_the_collector_on_and_the_start_set_aside():
    # as the `ttx` command starts (simulator.cli.entry), in a process of its own: the pause must not outlive the start
    code = f"""
import gc
from simulator import cli
cli.collect_less()
assert not gc.isenabled(), "paused while starting"
assert cli.main(["validate", {SCENARIO!r}]) == 0
print(gc.isenabled(), gc.get_freeze_count() > 1000, gc.get_threshold()[0])
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1].split() == ["True", "True", "50000"]


@sync
async def test_the_exercise_turns_the_collector_on_once_its_first_frame_is_drawn(tmp_path):
    startup.pause()  # as `ttx play` does until the first frame (launch.play)
    try:
        app = app_for(tmp_path / "t.ttx.jsonl")
        async with app.run_test() as pilot:
            await pilot.pause()
            assert type(app.screen).__name__ == "ExerciseScreen"
            assert gc.isenabled()
    finally:
        gc.enable()


def test_a_play_that_cannot_open_its_files_leaves_the_collector_on(tmp_path, capsys):
    gc.disable()  # paused as at the start of a `ttx` process
    try:
        args = argparse.Namespace(resume=None, scenario=str(tmp_path / "missing.yaml"), runbook=RUNBOOK, output=None,
                                  library=None, served=False)
        assert play(args) == 1
        assert gc.isenabled()
    finally:
        gc.enable()
    assert "missing.yaml" in capsys.readouterr().err
