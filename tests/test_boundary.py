"""The functional core stays free of the terminal UI (and of import cycles)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import ROOT

CORE = ["simulator.model", "simulator.timing", "simulator.yamlsrc", "simulator.loading", "simulator.engine",
        "simulator.events", "simulator.transcript", "simulator.exercise", "scoring.scorecard", "scoring.judge",
        "scoring.findings", "scoring.text", "scoring.exports", "simulator.cli"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module):
    code = f"import sys, {module}; bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; print(bad)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"{module} pulls in {out.stdout.strip()}"


def test_headless_verbs_do_not_import_textual(tmp_path):
    code = ("import sys; from simulator.cli import main; "
            "rc = main(['run', 'scenarios/ransomware-fileserver.yaml', '--runbook', 'scenarios/runbooks/acme-msp.yaml', "
            f"'-o', {str(tmp_path / 't.ttx.jsonl')!r}]); "
            "rc2 = main(['validate', '-q', 'scenarios/ransomware-fileserver.yaml']); "
            "print('TEXTUAL' if any(m.startswith('textual') for m in sys.modules) else 'CLEAN', rc, rc2, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stderr.strip().endswith("CLEAN 0 0"), out.stderr
