"""`ttx export SCENARIO --format guide`: the printable facilitator guide (situation, MSEL, questions, good answers)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from scoring.guide import render_guide
from simulator.cli import main
from simulator.loading import load_text

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "ransomware-fileserver.yaml"


def test_guide_has_the_situation_the_msel_with_times_and_what_a_good_answer_contains(tmp_path, capsys):
    out = tmp_path / "guide.html"
    assert main(["export", str(SCENARIO), "--format", "guide", "-o", str(out)]) == 0
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page.lower()
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "Saturday 14 March 2026 02:07 CDT (America/Chicago)" in text
    # the MSEL in played order: the curveball before the inject at the same instant, local times and offsets
    msel = text[text.index("Master scenario events list"):text.index("Injects: what to ask")]
    rows = [x for x in ("Sat 02:07+0mcurveball", "Sat 02:07+0minjectedr-alert", "Sat 02:52+45minjectbackups-mounted",
                        "Sat 03:07+1hcurveballemail down for 6h") if x in msel.replace("\n", "")]
    assert len(rows) == 4, msel
    assert "[only if isolate-host is not done yet]" in msel
    assert "Who has authority to take FS01 offline at 2 a.m.?" in text
    assert "They tell Dana (IT manager; client_it_lead) within 30m, by phone or sms." in text
    assert "it is CEO (ceo)'s to decide" in text
    assert "They tell Insurer claims line (cyber_insurer) within 4h, by phone or email; before notifying customers." in text
    assert "Read it only if isolate-host is not done by then." in text


def test_guide_escapes_file_text():
    sc = load_text("s.yaml", """\
ttx: scenario/v1
id: x
title: "<script>alert(1)</script> & co"
severity: P2
starts: 2026-03-14T09:00:00
timezone: Europe/London
horizon: 2h
stakeholders:
  ceo: {name: "<b>Boss</b>", channels: [phone]}
injects:
  - id: a
    at: 5m
    message: "<img src=x onerror=alert(1)>"
    questions: ["\\"quoted\\" <i>q</i>"]
    expects:
      - notify: ceo
        within: 15m
""", "scenario").value
    page = render_guide(sc)
    assert "<script>" not in page and "<img" not in page and "<b>Boss" not in page and "<i>q" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "&quot;quoted&quot; &lt;i&gt;q&lt;/i&gt;" in page
    assert "default-src &#x27;none&#x27;" in page or "default-src 'none'" in page


def test_guide_of_a_runbook_is_a_one_line_error(capsys):
    assert main(["export", str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml"), "--format", "guide"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "expected a scenario" in err[0]


def test_guide_snapshot(snapshot):
    """The whole page for the shipped ransomware scenario; regenerate with --snapshot-update after an intended change."""
    from simulator.loading import load

    assert render_guide(load(str(SCENARIO), "scenario").value) == snapshot
