"""A whole live exercise in a real 80×24 terminal (tmux), driven as a facilitator does: mostly one key and Enter.

Every entry must land as meant (the defaults come from the state of the exercise), the
keys the facilitator needs must be on screen, the flags must show, and the hotwash and
the results must follow the end. The transcript on disk is checked afterwards.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.exercise import rescore, verify
from simulator.transcript import read

from .test_tui_crash import RUNBOOK, SCENARIO, Pane, pytestmark, ttx  # noqa: F401  (pytestmark: skip without tmux)


class Pane80(Pane):
    def __init__(self, command: list[str], cwd: Path, size: tuple[int, int] = (80, 24)):
        super().__init__(command, cwd)
        subprocess.run(["tmux", "resize-window", "-t", self.name, "-x", str(size[0]), "-y", str(size[1])], capture_output=True)


def test_a_whole_exercise_at_80x24_with_one_key_and_enter(tmp_path):
    path = tmp_path / "night.ttx.jsonl"
    pane = Pane80(ttx() + ["play", SCENARIO, "--runbook", RUNBOOK, "-o", str(path)], tmp_path)
    try:
        screen = pane.wait_for("Transcript")
        # every recording key is on screen at 80 columns (the footer wraps onto a second row)
        for key in ("a Ack", "p Page", "w Answer", "n Notify", "u Update", "t Act", "d Decide", "r Resolved", "f Note",
                    "v Score", "s Step"):
            assert key in screen, screen
        pane.keys("s")
        pane.wait_for("Inject edr-alert")

        def entry(key: str, title: str, shown: str, *typed: str) -> str:
            pane.keys(key)
            pane.wait_for(title)
            pane.keys(*typed, "Enter")
            return pane.wait_for(shown)

        entry("a", "Acknowledge the incident", "declared by NOC tier 2 (noc_tier2)")  # noc_tier1 is unreachable: skipped
        entry("p", "Page / engage a role", "Paged SOC manager")  # security_lead is to be engaged (its toast covers the rest)
        # paged outside its business hours: flagged on the board (the row's mark) and said in a toast (a frame later)
        assert "⚑ Paged SOC manager" in pane.wait_for("(soc_manager) works")
        # vcto, the runbook's sender, has not answered a page: sent by noc_tier2, who is on the incident
        entry("n", "Notify a stakeholder", "Notify Dana (IT manager; client_it_lead) by phone from NOC")
        entry("t", "Act: a task is done", "Task isolate-host done by NOC tier 2 (noc_tier2)")
        entry("w", "A paged role answers", "SOC manager (soc_manager) answered")
        entry("u", "Update a stakeholder", "Update Dana (IT manager; client_it_lead) by email from NOC")
        entry("d", "Decide", "Decision restore-or-negotiate taken by CEO (ceo)")
        entry("f", "Facilitator note", "Note: calm under pressure", "calm under pressure")
        pane.keys("E")
        pane.wait_for("End the exercise now?")
        pane.keys("y")
        pane.wait_for("Areas for improvement")
        pane.keys("named an incident commander early", "Tab")
        pane.wait_for("named an incident commander early")
        pane.keys("no insurer contact", "Enter")
        # the results screen: its own "Findings (N)" title (the board's card says "Final scorecard" too, once ended)
        screen = pane.wait_for("Findings (")
        assert "Final scorecard" in screen and "Obligations" in screen, screen
        pane.keys("q")
        pane.wait_closed()
    finally:
        pane.close()
    tr = read(str(path))
    assert verify(tr) == []
    said = [(e.type, e.get("task") or e.get("by") or e.get("role") or e.get("text")) for e in tr.events
            if e.type in ("acknowledge", "page", "notify", "act", "answer", "update", "decide", "note")]
    assert said == [
        ("answer", "noc_tier2"), ("acknowledge", "noc_tier2"), ("page", "soc_manager"), ("notify", "noc_tier2"),
        ("act", "isolate-host"), ("answer", "soc_manager"), ("update", "noc_tier2"), ("decide", "ceo"),
        ("note", "calm under pressure"), ("note", "named an incident commander early"), ("note", "no insurer contact")]
    assert [e.get("hotwash") for e in tr.events if e.type == "note"] == [None, "strength", "improvement"]
    assert sum(1 for e in tr.events if e.type == "end") == 1
    _, card = rescore(tr)
    assert card.result("edr-alert/acknowledge").status == "met"
    assert card.result("edr-alert/notify:client_it_lead").status == "met"


def test_at_80x24_a_long_inject_says_there_is_more_and_the_obligations_read_whole(tmp_path):
    """The BEC night's first inject is twice the panel's height at 80x24: its border says so and `i` shows it all;
    the obligations beside it take a row each (a name longer than the room cut at the edge, an update series keeping
    its count); with no inject left, `s` asks before it ends the night."""
    path = tmp_path / "bec.ttx.jsonl"
    scenario = str(Path(SCENARIO).with_name("bec-wire-fraud.yaml"))
    pane = Pane80(ttx() + ["play", scenario, "--runbook", RUNBOOK, "-o", str(path)], tmp_path)
    try:
        pane.wait_for("Transcript")
        pane.keys("s")
        screen = pane.wait_for("more: i")
        assert re.search(r"▼ \d+ more: i · Fri 17:25", screen), screen
        right = [line[40:] for line in screen.splitlines()[2:8]]  # the Obligations panel's rows
        assert [line.split("│")[1].strip() for line in right] == [
            "○ in 15m Acknowledge the alert", "○ in 30m Notify Controller", "○ in 1h  Engage security lead",
            "○ in 1h  Do reset-compromised-acco…", "○ in 1h  Update Marcus 1/71", "○ in 2h  Decide request-wire-recall"], screen
        pane.keys("i")
        screen = pane.wait_for("(Esc to close)")
        assert "Who is allowed to lock the CFO's mailbox at 17:30 on a Friday?" in screen, screen
        pane.keys("Escape")
        pane.wait_for("more: i")
        pane.keys("s")  # the second inject (18:25)
        pane.wait_for("Inject mailbox-rules-found")
        pane.keys("s")  # the last (21:25)
        pane.wait_for("Inject second-invoice")
        pane.keys("s")
        screen = pane.wait_for("No inject is left to read")
        pane.keys("n")
        screen = pane.wait_for("no inject left")
        assert "ended" not in screen.splitlines()[0], screen
    finally:
        pane.close()
    assert sum(1 for e in read(str(path)).events if e.type == "end") == 0


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_two_entries_typed_at_once_each_say_so_in_a_toast_never_over_a_form(tmp_path, size):
    """The second entry's check takes the place of the first's "✓ #5" (it says both went in; the transcript shows
    #5), no toast covers an open form's hint and Record button (at 80x24 the form fills the screen), and the check
    is back on the board when the form closes."""
    pane = Pane80(ttx() + ["play", SCENARIO, "--runbook", RUNBOOK, "-o", str(tmp_path / "quick.ttx.jsonl")], tmp_path, size)

    def wait(ok: Callable[[str], bool], timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        while not ok(screen := pane.screen()) and time.monotonic() < end:
            time.sleep(0.1)
        assert ok(screen), screen
        return screen

    toasts = ("Check #6 page with the candidate", "(soc_manager) works")  # the page's toast (wrapped at 80x24)
    try:
        pane.wait_for("Transcript")
        pane.keys("s")
        pane.wait_for("Inject edr-alert")
        pane.keys("a", "Enter", "p", "Enter")  # as fast as a facilitator types: each form opens and records in turn
        # the check shows a frame before the ✓ it replaces goes (the rack is refreshed again after the frame): a
        # capture under load caught that frame, so wait for the board to settle, as the room sees it
        screen = wait(lambda s: all(t in s for t in toasts) and "✓ #5" not in s)
        assert "declared by NOC tier 2" in screen, screen
        pane.keys("n")
        pane.wait_for("Notify a stakeholder")
        time.sleep(0.3)  # a toast would come a frame after the form
        # the form's hint and its buttons, whole on their row: the toasts stay on the board beneath the form
        screen = pane.screen()
        assert any(re.search(r"Tab next · Space pick · Enter record · Esc cancel +Record +Cancel", line)
                   for line in screen.splitlines()), screen
        pane.keys("Escape")
        screen = wait(lambda s: "Notify a stakeholder" not in s and all(t in s for t in toasts))  # back with the form gone
        assert "⚑ Paged SOC manager" in screen, screen
    finally:
        pane.close()
