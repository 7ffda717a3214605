"""Determinism across processes: two fresh interpreters (with different hash seeds) write the same bytes.

Calling the same function twice in one process cannot catch what varies between runs: set and dict
order under hash randomisation, the wall clock, the machine's time zone.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT

SCENARIO = "scenarios/ransomware-fileserver.yaml"
RUNBOOK = "scenarios/runbooks/acme-msp.yaml"


def _ttx(tmp_path, seed: str, tz: str, *args: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed, TZ=tz)
    out = subprocess.run([sys.executable, "-m", "simulator", *args], cwd=ROOT, env=env, capture_output=True, check=True)
    return out.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "md"])
def test_run_prints_the_same_bytes_in_two_processes(tmp_path, fmt):
    a = _ttx(tmp_path, "1", "UTC", "run", SCENARIO, "--runbook", RUNBOOK, "--format", fmt)
    b = _ttx(tmp_path, "2", "Asia/Tokyo", "run", SCENARIO, "--runbook", RUNBOOK, "--format", fmt)
    assert a and a == b


def test_transcript_and_html_report_are_the_same_bytes_in_two_processes(tmp_path):
    outs = []
    for seed, tz in (("3", "UTC"), ("4", "America/Los_Angeles")):
        path = tmp_path / f"t{seed}.ttx.jsonl"
        _ttx(tmp_path, seed, tz, "run", SCENARIO, "--runbook", RUNBOOK, "-o", str(path))
        html = _ttx(tmp_path, seed, tz, "export", str(path), "--format", "html")
        outs.append((path.read_bytes(), html))
    assert outs[0] == outs[1]
