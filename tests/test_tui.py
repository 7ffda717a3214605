"""The facilitator TUI driven by key presses (Textual pilot): a whole exercise, corrections, resume, replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.exercise import rescore, verify
from simulator.transcript import read
from simulator.tui.app import make_app

from .pilot import RUNBOOK, SCENARIO, FakeWall, app_for, exercise, record, stamp, sync


def types(path: Path) -> list[str]:
    return [e.type for e in read(str(path)).events]


@sync
async def test_a_whole_exercise_by_keyboard_is_recorded_and_scored(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "ex.ttx.jsonl"
    async with exercise(path) as (app, pilot):  # step to the first inject: 02:07 edr-alert
        # every form opens on what the state of the exercise suggests: mostly Tab to When, and Enter
        # acknowledged by noc_tier2 (noc_tier1 is unreachable: the default skips it), ten minutes from now
        await record(pilot, "a", "tab", "+10m", "enter")
        # page the SOC manager (the default: security_lead is to be engaged), then: When starts where the account
        # has got to (the acknowledgement, +10m); answers 20 minutes after the page
        await record(pilot, "p", "tab", "+20m", "enter")
        # notify client_it_lead by phone (the runbook's channel), in 15 minutes; sent by noc_tier2, on the incident
        # by then (the runbook's sender, the vCTO, has not answered a page)
        await record(pilot, "n", "tab", "tab", "tab", "+15m", "enter")
        # isolate-host (the playbook's first task) by noc_tier2, done in 5 minutes: backups-mounted will be held
        await record(pilot, "t", "tab", "tab", "+5m", "enter")
        # the insurer by phone: the third stakeholder
        await record(pilot, "n", "space", "down", "down", "enter", "tab", "tab", "tab", "enter")
        # restore (the playbook's next task) done 3 hours from now
        await record(pilot, "t", "tab", "tab", "+3h", "enter")
        # the decision, by its owner the CEO (the default)
        await record(pilot, "d", "tab", "tab", "+30m", "enter")
        await record(pilot, "r", "+3h", "enter")
        await record(pilot, "f", "Candidate named the vCTO as incident commander", "enter")
        await pilot.press("E", "y")  # end the exercise: the hotwash, then the results screen
        await pilot.pause()
        assert type(app.screen).__name__ == "Hotwash"
        await record(pilot, "C", "lear escalation", "tab", "Insurer told late; no fallback", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ResultsScreen"
        await pilot.press("j", "c", "m", "h")
        await pilot.pause()
    tr = read(str(path))
    assert verify(tr) == []
    assert tr.header["mode"] == "live"
    ev = tr.events
    assert [e.type for e in ev if e.type not in ("clock", "curveball", "curveball_end")] == [
        "inject", "answer", "acknowledge", "page", "answer", "notify", "act", "notify", "act",
        "decide", "resolve", "note", "note", "note", "note", "end"]
    assert [(e.get("text"), e.get("hotwash")) for e in ev if e.type == "note"][1:] == [
        ("Clear escalation", "strength"), ("Insurer told late", "improvement"), ("no fallback", "improvement")]
    assert [(e.get("task"), e.get("by")) for e in ev if e.type == "act"] == [("isolate-host", "noc_tier2"),
                                                                          ("restore-from-backup", "noc_tier2")]
    assert next(e for e in ev if e.type == "decide").get("by") == "ceo"
    assert [(e.get("stakeholder"), e.get("via"), e.get("by")) for e in ev if e.type == "notify"][0] == (
        "client_it_lead", "phone", "noc_tier2")
    ack = next(e for e in ev if e.type == "acknowledge")
    assert (ack.t, ack.get("by")) == (600, "noc_tier2")
    page = next(e for e in ev if e.type == "page")
    assert (page.t, page.get("role"), page.get("answers_at")) == (600, "soc_manager", 1800)
    insurer = [e for e in ev if e.type == "notify"][1]
    assert (insurer.get("stakeholder"), insurer.get("via"), insurer.get("delivered")) == ("cyber_insurer", "phone", True)
    note = next(e for e in ev if e.type == "note")
    assert note.get("text") == "Candidate named the vCTO as incident commander"
    _, card = rescore(tr)
    status = {r.id: r.status for r in card.results}
    assert status == {
        "edr-alert/acknowledge": "met",
        "edr-alert/engage:security_lead": "met",
        "edr-alert/notify:client_it_lead": "met",
        "edr-alert/update:client_it_lead": "met",  # the first message counts; later windows are open (see below)
        "edr-alert/resolve": "met",
    }
    assert card.category("sla").score == 100.0
    # E at 02:07, everything said with a time ahead ("+15m", "+3h"): what was said counts as said. The update series
    # is met by the 02:22 call (due 03:07); the windows due 03:22 and 04:22 had no message and fall after the stop:
    # open, not missed (to the horizon they were missed, and the series had a third of its credit: overall 83.33).
    # The first open one is listed, the one after it counted: the series ends at the resolution said for 05:07.
    update = card.result("edr-alert/update:client_it_lead")
    assert ([w.status for w in update.windows], update.more_open_windows) == (["met", "open"], 1)
    assert update.reason.endswith("due Sat 03:07 met Sat 02:22; later updates open: the exercise stopped at Sat 02:07, "
                                  "before the next was due (Sat 03:22), and 1 more every 1h to resolution (Sat 05:07)")
    assert (card.category("communication").score, card.overall) == (100.0, 100.0)
    assert card.category("response") is None  # backups-mounted was held: no act obligation
    exported = json.loads((tmp_path / "ex.scorecard.json").read_text())
    assert exported["scorecard"]["overall"] == card.overall
    assert (tmp_path / "ex.obligations.csv").read_text().startswith("id,inject,category")
    assert "Ransomware on the file server" in (tmp_path / "ex.report.md").read_text()
    assert (tmp_path / "ex.report.html").read_text().lstrip().lower().startswith("<!doctype html")


@sync
async def test_edit_and_delete_are_corrections_not_rewrites(tmp_path):
    path = tmp_path / "c.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        await record(pilot, "f", "first note", "enter")
        before = path.read_text()
        await pilot.press("e")  # the note is selected (newest event): edit it
        await pilot.pause()
        for ch in "second note":
            await pilot.press(ch if ch != " " else "space")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("x", "y")  # delete the replacement
        await pilot.pause()
        assert path.read_text().startswith(before)
    ev = read(str(path)).events
    notes = [e for e in ev if e.type == "note"]
    retracts = [e for e in ev if e.type == "retract"]
    assert [n.get("text") for n in notes] == ["first note", "second note"]
    assert [r.get("target") for r in retracts] == [notes[0].seq, notes[1].seq]


@sync
async def test_resume_after_closing_mid_exercise(tmp_path):
    path = tmp_path / "r.ttx.jsonl"
    wall = FakeWall()
    app = app_for(path, wall)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("s")
        await record(pilot, "a", "space", "down", "enter", "tab", "enter")
        await pilot.press("3")  # run at ×60
        await pilot.pause()
        wall.t += 20  # 20 simulated minutes
        await pilot.pause(0.3)
        await pilot.press("q", "q")  # leave (asked first, q again confirms)
    shown_before = types(path)
    assert "curveball_end" in shown_before  # the clock passed 02:27 while running
    app2 = make_app(resume=str(path), wall=wall, stamp=stamp)
    async with app2.run_test(size=(100, 34)) as pilot:
        await pilot.pause()
        log = app2.screen.query_one("#eventlog")
        assert len(log.events) == len(read(str(path)).events)
        assert app2.session.now == 1200 and app2.session.mode == "paused"
        await record(pilot, "f", "after resume", "enter")
        await pilot.press("s")
        await pilot.pause()
    tr = read(str(path))
    assert verify(tr) == []
    assert [e.type for e in tr.events][: len(shown_before)] == shown_before
    assert sum(1 for e in tr.events if e.type == "inject" and e.get("id") == "edr-alert") == 1
    assert any(e.type == "inject" and e.get("id") == "backups-mounted" for e in tr.events)


@sync
async def test_a_second_window_cannot_open_the_same_transcript(tmp_path):
    from simulator.transcript import TranscriptError

    path = tmp_path / "l.ttx.jsonl"
    app = app_for(path)
    async with app.run_test(size=(80, 24)):
        with pytest.raises(TranscriptError, match="locked"):
            make_app(resume=str(path))


@sync
async def test_replay_steps_back_and_forth_and_jumps_to_injects(tmp_path):
    from simulator.exercise import open_pair, run_auto

    path = tmp_path / "auto.ttx.jsonl"
    path.write_text(run_auto(open_pair(SCENARIO, RUNBOOK)).transcript)
    app = make_app(replay=str(path))
    async with app.run_test(size=(100, 34)) as pilot:
        screen = app.screen
        n = len(screen.replay)
        assert screen.pos == n
        assert screen.replay.card(screen.pos).overall == 37.64
        await pilot.press("home")
        assert screen.pos == 0
        await pilot.press("]")  # the first inject
        first = screen.pos
        assert screen.replay.events[first - 1].get("id") == "edr-alert"
        await pilot.press("]")
        second = screen.pos
        assert screen.replay.events[second - 1].get("id") == "backups-mounted"
        await pilot.press("left", "left", "right")
        assert screen.pos == second - 1
        await pilot.press("[")
        assert screen.pos == first
        # the scorecard at the moment of the first inject: only edr-alert's obligations, nothing done yet
        early = screen.replay.card(first)
        assert {r.inject for r in early.results} == {"edr-alert"}
        assert all(r.done_at is None for r in early.results)
        await pilot.press("end")
        await pilot.press("v")
        await pilot.pause()
        assert type(app.screen).__name__ == "ResultsScreen"
        await pilot.press("escape")
        await pilot.press("a")  # read-only: no action forms in replay
        await pilot.pause()
        assert type(app.screen).__name__ == "ReplayScreen"
    assert verify(read(str(path))) == []


@sync
async def test_picker_lists_the_library_and_starts_an_exercise(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(wall=FakeWall(), stamp=stamp, output=str(tmp_path / "p.ttx.jsonl"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "PickerScreen"
        await pilot.press("enter")  # scenario chosen: on to the runbooks
        await pilot.press("enter")  # runbook chosen: start
        await pilot.pause()
        assert type(app.screen).__name__ == "ExerciseScreen"
        await pilot.press("s")
        await pilot.pause()
    assert "inject" in types(tmp_path / "p.ttx.jsonl")


@sync
async def test_command_palette_and_help_reach_every_action(tmp_path):
    path = tmp_path / "cp.ttx.jsonl"
    app = app_for(path)
    async with app.run_test(size=(100, 34)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in ("Run / pause the clock", "Step to the next inject", "Record: acknowledge", "Record: page / engage a role",
                         "Record: notify a stakeholder", "Record: update a stakeholder", "Record: act (a task is done)",
                         "Record: decide", "Record: service restored", "Record: facilitator note",
                         "Edit the selected action", "Delete the selected action", "Scorecard and exports", "End the exercise"):
            assert expected in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in "Step to the next":
            await pilot.press("space" if ch == " " else ch)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.current_inject().id == "edr-alert"
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        help_text = app.screen.query_one("#help Static").visual.plain
        assert "step to the next inject" in help_text.lower() and "ctrl+p" in help_text.lower()
        await pilot.press("escape")
        assert type(app.screen).__name__ == "ExerciseScreen"
    assert "inject" in types(path)


@sync
async def test_w_records_a_role_answering(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "answer.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        # the SOC manager (third role) calls back in 10 minutes
        await record(pilot, "w", "space", "down", "down", "enter", "tab", "tab", "+10m", "enter")
        await pilot.pause()
    answers = [e for e in read(str(path)).events if e.type == "answer"]
    assert [(e.data["role"], e.t) for e in answers] == [("soc_manager", 600)]


def test_promised_vs_delivered_keeps_its_columns_apart_while_a_metric_runs():
    """Seen at ×60: `1h45m2h10m40s…` ran the stated and live figures together. A running figure is whole
    minutes, and every figure has a space before it."""
    from scoring.promised import Promise
    from simulator.timing import Duration
    from simulator.tui.scoreboard import promise_table

    rows = [Promise("update client_it_lead", "update", "client_it_lead", Duration(7200), 6300, None, running=7840,
                    label="Updates to Marcus (IT manager)"),
            Promise("decide report", "restore", None, Duration(28800), 2 * 86400 + 20 * 3600 + 19 * 60, None,
                    running=2 * 86400 + 20 * 3600 + 19 * 60 + 5, label="Restore")]
    lines = promise_table(rows, 56).plain.splitlines()
    assert lines[1].split()[-3:] == ["2h", "1h45m", "2h10m…"]
    assert lines[2].split()[-3:] == ["8h", "2d20h19m", "2d20h19m…"]
