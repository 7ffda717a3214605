"""A live exercise the facilitator ends early (`E`): what falls due after the stop is open, not missed (SPEC section 7,
the stop standing for the horizon); the board's "if it ended now" card is the same rule at the simulated now."""

from __future__ import annotations

import json

import jsonschema
import pytest
from textual.widgets import Static

from scoring.exports import export
from scoring.text import render
from simulator.exercise import open_pair, open_transcript, rescore
from simulator.replay import Replay
from simulator.session import Session
from simulator.transcript import read
from simulator.tui.scoreboard import score_line
from simulator.wording import Names

from .pilot import RUNBOOK, SCENARIO, FakeWall, exercise, stamp, sync
from .test_report import SCHEMA


@pytest.fixture
def session(tmp_path):
    s = Session.start(open_pair(SCENARIO, RUNBOOK), str(tmp_path / "early.ttx.jsonl"), wall=FakeWall(), stamp=stamp)
    yield s
    s.close()


def _ended_at_0252(s: Session) -> None:
    """Ransomware on the file server against Acme, 45 minutes in: acknowledged and Dana called, then stopped when
    backups-mounted arrives (02:52)."""
    s.step()  # 02:07 edr-alert
    s.record("acknowledge", "+10m", by="noc_tier2")  # 02:17, due 02:22
    s.record("notify", "+20m", stakeholder="client_it_lead", via="phone", by="noc_tier2")  # 02:27, due 02:37
    s.step()  # 02:52 backups-mounted
    s.end()


def test_an_exercise_ended_early_leaves_later_deadlines_open_and_scores_only_what_was_due(session):
    _ended_at_0252(session)
    played = open_transcript(read(session.path))
    card = played.card
    assert {r.id: r.status for r in card.results} == {
        "edr-alert/acknowledge": "met",
        "edr-alert/engage:security_lead": "missed",  # due 02:37, before the stop: missed, as before
        "edr-alert/notify:client_it_lead": "met",
        "edr-alert/update:client_it_lead": "met",  # the 02:27 call answers the first window (03:07); the rest are open
        "edr-alert/resolve": "open",  # due 06:07
        "backups-mounted/act:isolate-host": "open",  # due 03:07
        "backups-mounted/decide:restore-or-negotiate": "open",  # due at the horizon, 14:07
        "backups-mounted/notify:cyber_insurer": "open",  # due 06:52
    }
    # SLA: acknowledge met, engage missed (50); communication: Dana told in time (100); response: all open, left out
    assert [(c.name, c.score) for c in card.categories] == [("sla", 50.0), ("communication", 100.0)]
    assert (card.overall, card.rating) == (75.0, "S")  # to the horizon it was 28.57 U: everything open counted missed
    isolate = card.result("backups-mounted/act:isolate-host")
    assert (isolate.due, isolate.credit, isolate.scored) == (60 * 60, 0.0, False)
    assert isolate.reason == ("act isolate-host: open: the exercise stopped at Sat 02:52, before this was due "
                              "(Sat 03:07, 15m); left out of the scores")
    update = card.result("edr-alert/update:client_it_lead")
    # the window judged, the next one open, the ten the cadence brings after it to the horizon counted, not listed
    assert [(w.due, w.status) for w in update.windows] == [(60 * 60, "met"), (80 * 60, "open")] and update.credit == 1.0
    assert update.more_open_windows == 10  # 04:27 ... 13:27, hourly, before the horizon at 14:07
    assert update.reason == ("update client_it_lead: every 1h (P1 update SLA 1h): due Sat 03:07 met Sat 02:27; later updates "
                             "open: the exercise stopped at Sat 02:52, before the next was due (Sat 03:27), and 10 more every "
                             "1h to the horizon (Sat 14:07)")
    # the insurer's notice is open: not counted among the notifications due; the update gap runs to the stop
    assert (card.metrics.notifications_on_time, card.metrics.notifications_due) == (1, 1)
    assert card.metrics.longest_update_gap == {"client_it_lead": 25 * 60}  # Dana called 02:27, stopped 02:52
    assert card.stopped == 45 * 60 and not card.running
    # the board after the stop: no countdowns; open where the card says open (the series' next window too)
    rows = {o.id: (o.status, o.urgency, o.remaining) for o in session.obligations()}
    assert rows["edr-alert/update:client_it_lead"] == ("open", "ok", None)
    assert rows["backups-mounted/act:isolate-host"] == ("open", "ok", None)
    assert rows["edr-alert/engage:security_lead"] == ("missed", "late", None)
    # the session's final card is the file's
    assert [(r.id, r.status, r.reason) for r in session.card.results] == [(r.id, r.status, r.reason) for r in card.results]

    text = render(card, Names(played.scenario, played.runbook))
    # the same count as the verdict's "4 open"; the update series that goes on past the stop said apart
    assert ("Stopped: Sat 02:52 (+45m) by the facilitator, before the horizon (Sat 14:07): 4 obligations due after it "
            "are open and 1 update series goes on past it, not scored") in text
    assert "  [open  ] Do isolate-host: open: the exercise stopped at Sat 02:52, before this was due (Sat 03:07, 15m)" in text
    md = export(played, "md")
    assert "| **Stopped** | Sat 02:52 (+45m) by the facilitator" in md
    assert "**open (due after the stop, not scored)**" in md
    assert "3 of 4 obligations met on time, 0 late, 1 missed; 4 open (due after the stop, not scored)" in md
    assert "**met (later ones open)**" in md
    assert '<div class="open"><b>4</b>open: due after the stop, not scored</div>' in export(played, "html")
    data = json.loads(export(played, "json"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["scorecard"]["stopped"] == 45 * 60 and "running" not in data["scorecard"]
    series = next(r for r in data["scorecard"]["results"] if r["kind"] == "update")
    assert ([w["status"] for w in series["windows"]], series["more_open_windows"]) == (["met", "open"], 10)
    assert all("more_open_windows" not in r for r in data["scorecard"]["results"] if r["kind"] != "update")
    assert "edr-alert/update:client_it_lead,edr-alert,communication,update,client_it_lead,1,3600,1200,met,0,1.0000,2,6," in (
        export(played, "csv"))  # two windows: the one judged and the next, open


def test_the_board_card_before_anything_is_due_says_so_and_matches_ending_then(session):
    session.step()  # 02:07 edr-alert: the acknowledgement is due 02:22
    live = session.card
    assert live.running and not live.scored and all(r.status == "open" for r in live.results)
    assert live.nothing_due() == "nothing due yet at Sat 02:07"
    assert score_line(live).plain == "Nothing due yet at Sat 02:07."  # not "Overall 0.0 U"
    assert live.result("edr-alert/acknowledge").reason == (
        "acknowledge: open: not due yet at Sat 02:07 (due Sat 02:22, P1 acknowledge SLA 15m); left out of the scores")
    assert live.result("edr-alert/update:client_it_lead").reason == (
        "update client_it_lead: every 1h (P1 update SLA 1h): open: not due yet at Sat 02:07 (the first due Sat 03:07), "
        "and 10 more every 1h to the horizon (Sat 14:07); left out of the scores")  # the board's "(1/11)"
    session.end()
    ended = session.card
    assert not ended.running and ended.nothing_due() == "nothing due by the stop (Sat 02:07)"
    assert ended.result("edr-alert/acknowledge").reason == (
        "acknowledge: open: the exercise stopped at Sat 02:07, before this was due (Sat 02:22, P1 acknowledge SLA 15m); "
        "left out of the scores")
    assert render(ended).splitlines()[3:5] == [
        "", "Overall —  [nothing due by the stop (Sat 02:07): no score]"]


def test_the_live_card_moves_with_the_clock_and_is_the_card_of_ending_there(session):
    session.step()  # 02:07
    session.record("acknowledge", by="noc_tier2")  # met at once
    session.run(60)
    session.wall.t += 35  # ×60: 35 simulated minutes, 02:42; Dana (due 02:37) and the security lead (02:37) are past due
    live = session.card
    assert {r.id: r.status for r in live.results if r.status != "open"} == {
        "edr-alert/acknowledge": "met", "edr-alert/engage:security_lead": "missed", "edr-alert/notify:client_it_lead": "missed"}
    assert live.overall == 25.0  # SLA 50 (ack 1, engage 0), communication 0
    session.end()
    ended = session.card
    assert ended.stopped == live.stopped == 35 * 60
    assert [(r.id, r.status, r.credit) for r in ended.results] == [(r.id, r.status, r.credit) for r in live.results]
    assert ended.overall == live.overall


def test_a_miss_on_the_running_card_says_by_now_and_by_the_end_once_ended(session):
    session.step()  # 02:07
    session.step()  # 02:52 backups-mounted: isolate-host due 03:07
    session.run(60)
    session.wall.t += 18  # 03:10
    live = session.card.result("backups-mounted/act:isolate-host")
    assert live.status == "missed" and live.reason.startswith("act isolate-host: no one did it by now (Sat 03:10); ")
    session.end()
    ended = session.card.result("backups-mounted/act:isolate-host")
    assert ended.reason.startswith("act isolate-host: no one did it by the end (Sat 03:10); ")


def test_an_action_said_with_a_time_after_the_stop_counts_at_that_time(session):
    """The candidate's "+30m" is their answer: ending the exercise before that time does not withdraw it. It is judged
    at the time said, as the board showed it ("planned"), however early the room stops."""
    session.step()  # 02:07
    session.step()  # 02:52 backups-mounted: isolate-host due 03:07
    session.record("act", "+30m", task="isolate-host", by="noc_tier2")  # 03:22: 15m late
    session.record("notify", "+1h", stakeholder="cyber_insurer", via="phone", by="noc_tier2")  # 03:52, due 06:52
    session.end()  # at 02:52
    card = rescore(read(session.path))[1]
    isolate = card.result("backups-mounted/act:isolate-host")
    assert (isolate.status, isolate.done_at, isolate.lateness) == ("late", 75 * 60, 15 * 60)
    assert isolate.reason.startswith("act isolate-host: done Sat 03:22 by NOC tier 2 (noc_tier2), 15m late; due Sat 03:07")
    insurer = card.result("backups-mounted/notify:cyber_insurer")
    assert (insurer.status, insurer.done_at) == ("met", 105 * 60)
    # and the report's stop line says so, where "stopped at 02:52" would read as if nothing after it could count
    label, text = card.stop_note()
    assert label == "Stopped" and text.endswith("; 2 obligations done after it, at the time the candidate said "
                                                "(their account ran ahead of the clock), count")


def test_a_replay_before_the_end_judges_as_the_board_did_then(session):
    _ended_at_0252(session)
    rp = Replay(read(session.path))
    pos = next(i + 1 for i, e in enumerate(rp.events) if e.type == "inject" and e.get("id") == "edr-alert")
    early = rp.card(pos)  # 02:07, just after the first inject: nothing due yet
    assert early.running and early.nothing_due() == "nothing due yet at Sat 02:07"
    final = rp.card(len(rp))
    assert (final.stopped, final.running, final.overall) == (45 * 60, False, 75.0)


def test_a_live_transcript_not_ended_is_scored_as_it_stood(session):
    """Quit to resume later (or cut off): `ttx score` judges it at its last recorded moment, as its board showed it,
    not to the horizon as if the room had sat silent for twelve hours."""
    session.step()  # 02:07
    session.record("acknowledge", "+10m", by="noc_tier2")
    session.step()  # 02:52
    session.close()
    played = open_transcript(read(session.path))
    card = played.card
    assert card.running and card.stopped == 45 * 60
    assert (card.overall, card.result("backups-mounted/act:isolate-host").status) == (25.0, "open")
    # the report's count of what is open says what the verdict says: not due yet (it once said "due after the stop")
    html = export(played, "html")
    assert "; 5 open (not due yet, not scored)" in html and '<div class="open"><b>5</b>open: not due yet, not scored</div>' in html


@sync
async def test_e_says_the_rule_and_the_results_of_a_stop_before_anything_was_due_say_there_is_no_score(tmp_path):
    async with exercise(tmp_path / "e.ttx.jsonl") as (app, pilot):  # at 02:07, the first inject just read
        await pilot.press("E")
        await pilot.pause()
        question = str(app.screen.query(Static).first().render())
        assert question == ("End the exercise now? What was due by now and not done counts as missed; what falls due "
                            "later stays open, not scored. (The clock is stopped while you decide.)")
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("escape")  # no hotwash: the results
        await pilot.pause()
        await pilot.pause()
        hseep = str(app.screen.query_one("#hseep", Static).render())
        assert hseep == "Overall       — nothing due by the stop (Sat 02:07)"


def test_a_long_series_stopped_early_lists_the_next_window_and_counts_the_rest(tmp_path):
    """The business email compromise runs three days with hourly updates: stopped 45 minutes in, the series had one
    window judged and 71 still to come. The card lists the one judged and the next (open), and counts the other 70
    (they are the cadence projected, not anything that happened), in the JSON as a number and in the reason."""
    from .pilot import ROOT

    pair = open_pair(str(ROOT / "scenarios" / "bec-wire-fraud.yaml"), str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml"))
    s = Session.start(pair, str(tmp_path / "bec.ttx.jsonl"), wall=FakeWall(), stamp=stamp)
    s.step()  # Fri 17:25 wire-fraud-reported
    s.record("notify", "+20m", stakeholder="client_it_lead", via="phone", by="noc_tier2")  # 17:45: the first update
    s.run(60)
    s.wall.t += 45  # x60: Fri 18:10
    s.end()
    s.close()
    played = open_transcript(read(s.path))
    update = played.card.result("wire-fraud-reported/update:client_it_lead")
    assert [(w.due, w.status) for w in update.windows] == [(60 * 60, "met"), (80 * 60, "open")]
    assert update.more_open_windows == 70  # Fri 19:45 ... Mon 16:45, hourly, before the horizon at Mon 17:25
    assert update.reason.endswith("due Fri 18:25 met Fri 17:45; later updates open: the exercise stopped at Fri 18:10, "
                                  "before the next was due (Fri 18:45), and 70 more every 1h to the horizon (Mon 17:25)")
    # the scores as they were when all 72 windows were listed (the open ones were never scored)
    card = played.card
    assert [(c.name, c.score) for c in card.categories] == [("sla", 0.0), ("communication", 50.0)] and card.overall == 25.0
    data = json.loads(export(played, "json"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    series = next(r for r in data["scorecard"]["results"] if r["kind"] == "update")
    assert (len(series["windows"]), series["more_open_windows"]) == (2, 70)
    assert "**met (later ones open)**" in export(played, "md")


def test_as_stated_no_series_has_windows_left_open(tmp_path):
    """Played as stated, every window is judged to the horizon: none is open, and the JSON has no count of them."""
    from simulator.exercise import run_auto

    from .pilot import ROOT

    pair = open_pair(str(ROOT / "scenarios" / "bec-wire-fraud.yaml"), str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml"))
    played = run_auto(pair).played()
    update = played.card.result("wire-fraud-reported/update:client_it_lead")
    assert len(update.windows) > 12 and update.more_open_windows == 0 and {w.status for w in update.windows} <= {"met", "late", "missed"}
    assert "more_open_windows" not in export(played, "json")


@sync
async def test_the_obligation_detail_lists_the_next_window_and_says_how_many_more(session):
    """The results' detail of the series: the windows judged and the next one, then one line for the rest."""
    from textual.app import App

    from simulator.tui.detail import ObligationDetail

    _ended_at_0252(session)
    played = open_transcript(read(session.path))
    r = played.card.result("edr-alert/update:client_it_lead")
    app = App()
    async with app.run_test(size=(110, 40)) as pilot:
        app.push_screen(ObligationDetail(played.card, r, played.events, Names(played.scenario, played.runbook)))
        await pilot.pause()
        body = app.screen.query_one("#detail-body", Static).visual.plain
    windows = body[body.index("Update windows\n"):].splitlines()[1:4]
    assert [line.strip() for line in windows] == [
        "1. due Sat 03:07  done Sat 02:27 (+20m)  met  1.00", "2. due Sat 03:27  done —  open  0.00",
        "and 10 more, open (see Why)"]


def test_a_card_whose_only_score_is_what_the_runbook_does_not_promise_says_so(tmp_path):
    """Dale promises no containment time: the scenario's isolate-host is missed from the first inject (SPEC), so the
    board's card reads "Overall 0.0 U" before the candidate has said a word. The card says why where the 0.0 shows;
    once something the runbook does promise is judged, the score speaks for itself and the line goes."""
    from pathlib import Path

    lib = Path(SCENARIO).parent
    pair = open_pair(str(lib / "holiday-night-ransomware.yaml"), str(lib / "runbooks" / "dale-breakfix.yaml"))
    s = Session.start(pair, str(tmp_path / "dale.ttx.jsonl"), wall=FakeWall(), stamp=stamp)
    try:
        s.step()  # Thu 23:40 dispatch-encrypted
        assert score_line(s.card).plain.splitlines() == ["Overall 0.0 U", "SLA 0.0 U", "(∅ 1 not promised: missed)"]
        s.record("acknowledge", by="dale")
        s.step()  # past the acknowledgement's 2h window, met: a promised obligation is judged
        assert score_line(s.card).plain.splitlines()[-1].startswith("SLA ")
    finally:
        s.close()
