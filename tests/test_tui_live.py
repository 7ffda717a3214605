"""Issue 14: live facilitation that holds up in a real meeting (Pilot tests, one per bug)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from simulator.exercise import verify
from simulator.transcript import read
from simulator.tui.app import make_app
from simulator.tui.messages import CURVEBALL

from .pilot import ROOT, RUNBOOK, SCENARIO, FakeWall, app_for, burst, exercise, record, results, stamp, sync, type_ahead


@sync
async def test_rapid_enter_in_a_form_records_once_and_never_crashes(tmp_path, monkeypatch):
    from simulator.tui.eventlog import EventLog

    # the Enters typed after the form's own are dropped by time (half a second); on a loaded CI machine the pilot's
    # pauses can outlast that (seen once): give it room, this test is about recording once and never crashing
    monkeypatch.setattr(EventLog, "DOUBLED", 10.0)
    path = tmp_path / "rapid.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        await pilot.press("f", *"hello")
        burst(app, "enter", 3, "\r")
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "ExerciseScreen"  # the board is still there, not popped too
        await pilot.press("a")
        burst(app, "enter", 2, "\r")
        await pilot.pause()
        await pilot.pause()
        # a confirmation answered twice: one withdrawal, the board stays
        await pilot.press("x")
        burst(app, "y", 3, "y")
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "ExerciseScreen" and app.is_running
    ev = read(str(path)).events
    assert [e.get("text") for e in ev if e.type == "note"] == ["hello"]
    assert sum(1 for e in ev if e.type == "acknowledge") == 1
    assert sum(1 for e in ev if e.type == "retract") == 2  # the acknowledgement and the answer written with it
    assert verify(read(str(path))) == []


@sync
async def test_the_toast_after_a_page_names_the_page_not_its_answer(tmp_path):
    path = tmp_path / "toast.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        await record(pilot, "p", "tab", "+20m", "enter")
        await pilot.pause()
        page = next(e for e in read(str(path)).events if e.type == "page")
        # the SOC manager works business hours: the one toast names the page and says what to ask about
        (toast,) = list(app._notifications)
        assert toast.title == f"Check #{page.seq} page with the candidate"
        assert toast.message == "⚑ SOC manager (soc_manager) works business hours: paged outside them at Sat 02:07"


@sync
async def test_the_results_open_without_the_boards_toasts_about_entries(tmp_path):
    """Watched in tmux: the check on the last entry ("the runbook does open-vendor-ticket before …") was still over
    the results' findings after the hotwash. The results start clean; the hotwash's own toast stays."""
    path = tmp_path / "clean.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        await record(pilot, "p", "tab", "+20m", "enter")  # flagged: a check toast
        await pilot.pause()
        assert [n.title for n in app._notifications if n.title.startswith("Check #")]
        await pilot.press("E", "y")
        await pilot.pause()
        await pilot.press(*"calm", "enter")
        for _ in range(4):
            await pilot.pause()
        assert type(app.screen).__name__ == "ResultsScreen"
        assert [(n.title, n.message) for n in app._notifications] == [("", "✓ hotwash recorded: 1 item")]


@sync
async def test_a_key_typed_as_ttx_opens_waits_for_the_board(tmp_path, monkeypatch):
    """`s` pressed the moment ttx opened reached the board's action before the board was set up: a traceback."""
    import asyncio

    from textual import events

    from simulator.tui.exercise import ExerciseScreen

    set_up = ExerciseScreen.on_mount

    async def slow_set_up(self):
        self.app.post_message(events.Key("s", "s"))  # typed while the screen is being set up (a busy machine)
        await asyncio.sleep(0.05)  # the app reads it meanwhile
        set_up(self)

    monkeypatch.setattr(ExerciseScreen, "on_mount", slow_set_up)
    async with exercise(tmp_path / "early.ttx.jsonl", step=False) as (app, pilot):
        await pilot.pause(0.2)
        assert app.is_running and type(app.screen).__name__ == "ExerciseScreen"
        assert [e.get("id") for e in app.session.events if e.type == "inject"] == ["edr-alert"]  # stepped once
        assert "Inject edr-alert" in str(app.screen.query_one("#inject").border_title)


@sync
async def test_a_q_typed_into_the_board_does_not_close_a_running_exercise(tmp_path):
    """A note begun before its form opened ("quick ...") reaches the board: its q only asks."""
    async with exercise(tmp_path / "q.ttx.jsonl", size=(80, 24)) as (app, pilot):
        await pilot.press(*"quick")
        await pilot.pause()
        assert app.is_running and type(app.screen).__name__ == "Leave"
        assert "ttx play --resume" in str(app.screen.query_one("#confirm Static").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and type(app.screen).__name__ == "ExerciseScreen"
        await pilot.press("q", "q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


@sync
async def test_an_entry_with_nothing_to_check_is_confirmed_in_one_line(tmp_path):
    async with exercise(tmp_path / "ok.ttx.jsonl") as (app, pilot):
        await record(pilot, "a", "enter")  # noc_tier2 acknowledges: reachable, and as the runbook has it
        await pilot.pause()
        ack = next(e for e in app.session.events if e.type == "acknowledge")
        (toast,) = list(app._notifications)
        assert (toast.title, toast.message, toast.severity) == ("", f"✓ #{ack.seq} acknowledge at Sat 02:07", "information")


@sync
async def test_a_toast_hidden_under_a_form_gets_its_full_time_once_it_shows(tmp_path, monkeypatch):
    """A form's toasts are raised as it records (the form still on top, hiding them), and the next form often opens
    at once: their time used to run out beneath the forms, unseen. Ten seconds under a form later, they show on the
    board with their whole time (10 s to check a page with the candidate, 3 s for "✓"); a toast showing when a form
    opens keeps what it had left; a newer "✓" replaces the one before (no pile of them over the board)."""
    import textual.notifications as tn

    now = [1000.0]
    monkeypatch.setattr(tn, "time", lambda: now[0])  # the clock toasts are timed by

    def shown(app):  # the toasts the app shows on the screen on top (a pilot app draws none), with the seconds left
        return [(n.message.split(":")[0], round(n.time_left, 1)) for n in app._notifications]

    async with exercise(tmp_path / "toasts.ttx.jsonl") as (app, pilot):
        await record(pilot, "p", "enter")  # the SOC manager, paged outside business hours: a warning to check
        await record(pilot, "f")  # the next form opens before the warning's first second is out
        await pilot.pause()
        now[0] += 10  # the facilitator types for ten seconds
        await pilot.press(*"two", "enter")
        for _ in range(3):
            await pilot.pause()
        assert type(app.screen).__name__ == "ExerciseScreen"
        page, note = (next(e.seq for e in app.session.events if e.type == kind) for kind in ("page", "note"))
        assert shown(app) == [("⚑ SOC manager (soc_manager) works business hours", 10.0), (f"✓ #{note} note at Sat 02", 3.0)]
        now[0] += 1.5  # on the board, the time runs
        await pilot.press("f")
        await pilot.pause()
        assert shown(app) == []  # held while the form is open, their time stopped
        now[0] += 20
        await pilot.press("escape")
        for _ in range(2):
            await pilot.pause()
        assert shown(app) == [("⚑ SOC manager (soc_manager) works business hours", 8.5), (f"✓ #{note} note at Sat 02", 1.5)]
        await record(pilot, "f", "three", "enter")
        for _ in range(3):
            await pilot.pause()
        last = max(e.seq for e in app.session.events if e.type == "note")
        assert shown(app) == [("⚑ SOC manager (soc_manager) works business hours", 8.5), (f"✓ #{last} note at Sat 02", 3.0)]
        app.notify("disk full", severity="error")  # an error is never held back
        await pilot.press("f")
        await pilot.pause()
        assert [m for m, _ in shown(app)] == ["disk full"]
        assert page < note


@sync
async def test_s_with_no_inject_left_asks_before_it_ends_the_exercise(tmp_path):
    """Watched in tmux: isolate-host done at 02:07 holds the only inject left, and the next `s` went to the
    horizon (14:07) and ended the exercise, every open obligation missed. Now the clock bar says no inject is
    left, and `s` asks first; n keeps the exercise where it was."""
    async with exercise(tmp_path / "last.ttx.jsonl") as (app, pilot):
        await record(pilot, "t", "enter")  # isolate-host: backups-mounted (only if it is not done) will be held
        await pilot.pause()
        assert "no inject left" in str(app.screen.board.clockbar.render())
        await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "Confirm"
        assert "No inject is left to read. Step to the horizon (Sat 14:07 CDT) and end the exercise?" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert not app.session.ended and app.session.label() == "Sat 02:07 CDT"
        await pilot.press("s", "y")
        await pilot.pause()
        assert app.session.ended and app.session.label() == "Sat 14:07 CDT"


@sync
async def test_a_long_inject_says_how_much_is_below_and_i_shows_it_all(tmp_path):
    """At 80x24 the BEC report and its two questions take 17 lines of the panel's 35 columns; the panel shows 8 and
    says what is left and how to read it; scrolled to the end, it says nothing; `i` shows it all, Escape goes back."""
    from textual.content import Content

    from simulator.tui.detail import InjectReader

    scenario = str(ROOT / "scenarios" / "bec-wire-fraud.yaml")
    async with exercise(tmp_path / "bec.ttx.jsonl", scenario=scenario, size=(80, 24)) as (app, pilot):
        await pilot.pause()
        panel = app.screen.board.inject
        assert (panel.virtual_size.height, panel.scrollable_content_region.height) == (17, 8)
        def said() -> str:  # the bottom border as drawn
            return Content.from_markup(panel.border_subtitle).plain

        assert said() == "▼ 9 more: i · Fri 17:25  from finance_lead"
        panel.scroll_end(animate=False)
        await pilot.pause()
        assert said() == "Fri 17:25  from finance_lead"
        await pilot.press("i")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, InjectReader)
        full = reader.query_one("#inject-full")
        assert full.lines_below() == 0 and "Who is allowed to lock the CFO's mailbox" in full.body.plain
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExerciseScreen"


@sync
async def test_each_open_obligation_reads_whole_at_80x24(tmp_path):
    """The panel is 36 columns wide at 80x24: stakeholders by name alone, due times left out where they do not
    fit (the countdown says it), an update series in shorter words ("Keep updating Dana (IT manager) (1/11)"
    took two lines) that keep its count: "Update Dana 1/11" (which window is running matters more than Dana's
    title, said in the notify row above).
    Wide, the stakeholder's key and the due time come back."""
    async with exercise(tmp_path / "narrow.ttx.jsonl", size=(80, 24)) as (app, pilot):
        await pilot.pause()
        panel = app.screen.board.obligations

        def drawn() -> list[str]:
            return [line.rstrip() for line in panel.fitted(panel.scrollable_content_region.width).plain.splitlines()]

        assert drawn() == ["○ in 15m Acknowledge the alert",
                           "○ in 30m Engage security lead",
                           "○ in 30m Notify Dana (IT manager)",
                           "○ in 1h  Update Dana 1/11  due 03:07",
                           "○ in 4h  Restore service  due 06:07"]
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.pause()
        assert drawn()[2:4] == ["○ in 30m Notify Dana (IT manager; client_it_lead)  due 02:37",
                                "○ in 1h  Keep updating Dana (IT manager; client_it_lead) (1/11)  due 03:07"]
        app.session.run(60)
        app.wall.t += 100  # 100 simulated minutes later: 03:47
        app.screen.tick()
        await pilot.pause()
        assert drawn()[0] == "✗ 1h25m late Acknowledge the alert  due 02:22"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        # an hour late would take a third of the narrow panel: the ✗ says late (and the title counts them)
        assert drawn()[:4] == ["✗ 1h25m  Acknowledge the alert", "✗ 1h10m  Engage security lead",
                               "✗ 1h10m  Notify Dana (IT manager)", "✗ 40m    Update Dana 1/11"]
        assert app.screen.board.obligations.border_title.endswith("· 5 late")


@sync
async def test_results_at_80x24_show_every_obligation_and_findings_read_under_their_words(tmp_path):
    """Watched in tmux: at 80x24 the results table showed 2 of 5 obligations (a sideways scrollbar took a row) and
    each finding's second line started under its severity."""
    from simulator.tui.results import ResultsScreen

    async with exercise(tmp_path / "results.ttx.jsonl", size=(80, 24)) as (app, pilot):
        assert isinstance(await results(app, pilot), ResultsScreen)
        table = app.screen.query_one("#results-table")
        assert table.row_count == 5 and not table.show_horizontal_scrollbar
        assert table.scrollable_content_region.height >= 1 + table.row_count  # the header and every row in sight
        findings = app.screen.query_one("#findings")
        lines = findings.fitted(findings.scrollable_content_region.width).plain.splitlines()
        first = app.session.card.findings[0]
        ask = next(i for i, line in enumerate(lines) if line.startswith("   ask "))
        assert ask >= 2  # the first finding's words take two lines at 80 columns...
        assert lines[0].startswith(f"{first.severity.upper():<7}") and all(line.startswith(" " * 7) for line in lines[1:ask])
        assert " ".join(line[7:].strip() for line in lines[:ask]) == first.message  # ...the second under the first's words
        assert lines[ask][7:] + " " + lines[ask + 1].strip() == first.question


@sync
async def test_replay_at_event_0_shows_the_start_not_the_end(tmp_path):
    from simulator.session import Session

    path = tmp_path / "rp.ttx.jsonl"
    from simulator.exercise import open_pair

    s = Session.start(open_pair(SCENARIO, RUNBOOK), str(path), wall=FakeWall(), stamp=stamp)
    s.step()
    (note,) = s.record("note", text="first")
    s.retract(note.seq, "deleted")
    s.step()
    s.close()
    app = make_app(replay=str(path))
    async with app.run_test(size=(100, 34)) as pilot:
        screen = app.screen
        inject, obligations = screen.query_one("#inject"), screen.query_one("#obligations")
        assert inject.border_title == "Inject backups-mounted"
        log = screen.log_view
        note_row = next(i for i, e in enumerate(log.events) if e.seq == note.seq)
        assert "withdrawn" in log._row(note_row).plain
        await pilot.press("home")
        await pilot.pause()
        assert "No inject yet" in inject.body.plain
        assert obligations.body.plain == "Nothing is due yet."
        assert screen.query_one("#obligations").border_title == "Obligations"
        # just after the note: it is not withdrawn yet
        await pilot.press(*["right"] * (note_row + 1))
        await pilot.pause()
        assert "withdrawn" not in log._row(note_row).plain
        await pilot.press("right")  # the retract
        await pilot.pause()
        assert "withdrawn" in log._row(note_row).plain


@sync
async def test_results_show_each_reason_in_full_and_the_transcript_by_time(tmp_path):
    path = tmp_path / "res.ttx.jsonl"
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await record(pilot, "n", "tab", "tab", "tab", "+15m", "enter")  # said for 02:22, recorded before the note
        await record(pilot, "f", "a note", "enter")
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("down", "enter")  # the second obligation: engage security_lead
        await pilot.pause()
        assert type(app.screen).__name__ == "ObligationDetail"
        card = app.session.card
        body = app.screen.query_one("#detail-body").visual.plain
        r = card.result("edr-alert/engage:security_lead")
        # the whole reason, not cut at a column, under the obligation's name (said once, not again at the reason's head)
        assert body.startswith("Engage security lead  edr-alert/engage:security_lead\n")
        assert r.reason.startswith("engage security_lead: ") and r.reason.removeprefix("engage security_lead: ") in body
        assert "engage security_lead:" not in body
        await pilot.press("escape", "l")
        await pilot.pause()
        assert type(app.screen).__name__ == "TranscriptView"
        # the whole screen at 80x24 (it once kept the board's 7 rows, the results showing through below)
        assert app.screen.log_view.outer_size.height == 24 - 1  # all but the footer's row
        seqs = [(e.t, e.type) for e in app.screen.log_view.events]
        assert seqs == sorted(seqs, key=lambda x: x[0])
        assert [t for _, t in seqs][-2:] == ["note", "notify"]  # the +15m message sorts after the note said at 02:07
        await pilot.press("o")
        assert [e.type for e in app.screen.log_view.events][-2:] == ["notify", "note"]  # recording order


def test_the_report_numbers_every_event_and_shows_corrections_as_such(tmp_path):
    import re

    from scoring.report import render
    from simulator.exercise import open_pair, open_transcript
    from simulator.session import Session

    path = tmp_path / "rep.ttx.jsonl"
    s = Session.start(open_pair(SCENARIO, RUNBOOK), str(path), wall=FakeWall(), stamp=stamp)
    s.step()
    (note,) = s.record("note", text="first")
    s.amend(note.seq, "note", text="second")
    s.step()
    s.close()
    tr = read(str(path))
    played = open_transcript(tr)
    md = render(played, "md")
    timeline = md[md.index("## Timeline"):]
    seqs = [int(x) for x in re.findall(r"^\| (\d+) \|", timeline, re.M)]
    assert seqs == list(range(1, len(tr.events) + 1))  # no silent jumps
    assert "| ~~Note: first~~ _(withdrawn by \\#5, edited)_ |" in timeline  # Markdown escapes the #
    assert "| Withdrew \\#4 (edited) |" in timeline
    assert "action=" not in md and "Clock stepped to Sat 02:52" in timeline
    html = render(played, "html")
    assert "<del>Note: first</del>" in html


@sync
async def test_the_form_freezes_now_when_it_opens_and_the_event_is_stamped_then(tmp_path):
    path = tmp_path / "freeze.ttx.jsonl"
    wall = FakeWall()
    app = app_for(path, wall)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("s", "3")  # the first inject, then the clock runs at ×60
        await pilot.pause()
        wall.t += 23  # 23 s at ×60: 02:30
        await pilot.press("f")
        await pilot.pause()
        title = app.screen.query_one("#form-title").visual.plain
        assert "now Sat 02:30 CDT · held while open" in title
        await pilot.press(*"typing")
        wall.t += 7  # the facilitator types for 7 s: 7 simulated minutes pass on the board
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.now == 30 * 60
    note = next(e for e in read(str(path)).events if e.type == "note")
    assert (note.t, note.get("stamped")) == (23 * 60, None)  # said at 02:30: no drift, no "said at" either


@sync
async def test_after_an_entry_placed_ahead_of_the_clock_the_next_form_starts_there(tmp_path):
    """The candidate: "we'd acknowledge in 20 minutes, then call the IT lead". Enter on the next form lands the call
    after the acknowledgement (02:27, said at 02:07), not before it at 02:07, where it would be flagged as sent by
    someone not yet on the incident. The form says why its When is not "now", and "now" still records at 02:07."""
    from textual.widgets import Input

    path = tmp_path / "ahead.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        s = app.session
        ack = s.record("acknowledge", "+20m", by="noc_tier2")[-1]
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#f-when", Input).value == "+20m"
        hint = app.screen.query_one("#f-when-hint").visual.plain
        assert hint == f"as #{ack.seq} acknowledge (Sat 02:27) · now 02:07"
        await pilot.press("enter")
        await pilot.pause()
        call = s.events[-1]
        assert (call.type, call.t, call.get("stamped"), call.get("by")) == ("notify", 20 * 60, 0, "noc_tier2")
        # the IT lead is called by the one who acknowledged: not the runbook's sender (a real departure to ask
        # about), but on the incident by then
        assert app.screen.log_view.flags.get(call.seq, []) == ["role"]
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#f-when", Input).value = "now"  # "meanwhile, we also…"
        await pilot.press("enter")
        await pilot.pause()
        assert (s.events[-1].type, s.events[-1].t) == ("notify", 0)
        assert "reach" in app.screen.log_view.flags.get(s.events[-1].seq, [])  # before the acknowledgement: flagged
        await pilot.press("t")  # "then they isolate the host": done there, and started there, not back at 02:07
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        act = s.events[-1]
        assert (act.type, act.t, act.get("started"), act.get("stamped")) == ("act", 20 * 60, 20 * 60, 0)
        s.run(60)
        app.wall.t += 21  # the clock passes 02:27: the account is no longer ahead of it
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#f-when", Input).value == "now"
        assert not app.screen.query("#f-when-hint")


@sync
async def test_what_the_form_offers_done_by_a_role_still_to_answer_is_offered_once_it_has(tmp_path):
    """"We page the vCTO; he calls back in 30 minutes and phones the IT lead": the message form offers the vCTO
    (the runbook's sender) at his call-back, 02:37, so Enter records it without the flag "has not answered a page
    yet" that it would earn at 02:07."""
    from textual.widgets import Input

    path = tmp_path / "callback.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        s = app.session
        answer = s.record("page", role="vcto", answers="+30m")[-1]
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#f-when", Input).value == "+30m"
        assert app.screen.query_one("#f-when-hint").visual.plain == f"as #{answer.seq} answer (Sat 02:37) · now 02:07"
        await pilot.press("enter")
        await pilot.pause()
        call = s.events[-1]
        assert (call.type, call.t, call.get("by")) == ("notify", 30 * 60, "vcto")
        assert app.screen.log_view.flags.get(call.seq, []) == []
        await pilot.press("t")  # isolate-host, by noc_tier2, who was never paged: nothing to wait for
        await pilot.pause()
        assert app.screen.query_one("#f-when", Input).value == "+30m"  # the account is at 02:37 now
        app.screen.dismiss(False)


@sync
async def test_a_curveball_a_step_goes_past_is_said_as_it_starts_and_as_it_ends(tmp_path):
    """A step goes from inject to inject: the IC's do-not-disturb at 01:35 and its end at 02:35 were only
    transcript rows. The room hears them as it hears an inject, with who is out and until when."""
    runbook = str(ROOT / "scenarios" / "runbooks" / "keel-fractional-cto.yaml")
    async with exercise(tmp_path / "cb.ttx.jsonl", scenario=str(ROOT / "scenarios" / "aitm-token-theft.yaml"),
                        runbook=runbook) as (app, pilot):
        await pilot.press("s")  # to attacker-persists at 02:15, past 01:35
        await pilot.pause()
        said = [(n.title, n.message) for n in app._notifications]
        assert said == [("⚡ Curveball", "Sun 01:35 The incident commander's phone is on do-not-disturb: the incident "
                                         "commander, Fractional CTO (fractional_cto), is unreachable until Sun 02:35")]
        await record(pilot, "f", "heard", "enter")  # the room moves on: the next entry's ✓ takes its place
        await pilot.pause()
        assert [n.title for n in app._notifications] == [""]
        await pilot.press("s")  # to director-abroad at 04:15, past 02:35
        await pilot.pause()
        said = [(n.title, n.message) for n in app._notifications if n.title]
        assert said == [("⚡ Curveball", "Sun 02:35 Curveball ends: the incident commander can be reached again")]


@sync
async def test_a_curveball_toast_says_the_msel_words_then_what_it_does_as_its_row_says_it(tmp_path):
    """Two channels down as the first inject arrives (Microsoft 365 outage): each its MSEL message, then the same words
    for what it does that its transcript row has after "Curveball: " (wording.curveball_effect, said once)."""
    from simulator.wording import event_line

    async with exercise(tmp_path / "m365.ttx.jsonl", step=False, scenario=str(ROOT / "scenarios" / "m365-email-outage.yaml"),
                        runbook=str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")) as (app, pilot):
        await pilot.press("s")
        await pilot.pause()
        said = [(n.title, n.message) for n in app._notifications]
        assert said == [("⚡ Curveball", "Mon 07:40 Exchange Online down tenant-wide: email is down until Mon 16:40\n"
                                         "Mon 07:40 Teams down with it: teams is down until Mon 13:40")]
        s = app.session
        assert [event_line(e, s.clock, s.names) for e in s.events if e.type == "curveball"] == [
            "Curveball: email is down until Mon 16:40", "Curveball: teams is down until Mon 13:40"]


@sync
async def test_a_curveball_toast_takes_the_place_of_the_entry_confirmed_before_the_step(tmp_path):
    """Watched at 80x24 (backup restore fails x Dale): "✓ #6 act" stayed above the curveball toast the step raised, and
    the two reached over the inject. The clock has moved past that entry: the curveball alone shows."""
    async with exercise(tmp_path / "dale.ttx.jsonl", scenario=str(ROOT / "scenarios" / "backup-restore-fails.yaml"),
                        runbook=str(ROOT / "scenarios" / "runbooks" / "dale-breakfix.yaml")) as (app, pilot):
        await record(pilot, "f", "quiet start", "enter")
        await pilot.pause()
        assert [n.message for n in app._notifications if n.message.startswith("✓ #")]
        await pilot.press("s")  # to 05:00, past the engineer's drive to the data centre (04:30)
        for _ in range(3):
            await pilot.pause()
        assert [n.title for n in app._notifications] == ["⚡ Curveball"]


@sync
async def test_replay_marks_the_departures_the_live_board_marked(tmp_path):
    """Replayed, an answer that departed from the runbook carries its ⚑ as it did live, and the scorecard counts
    the flags up to the event shown (seen: a replay showed every answer as ✎ and no count)."""
    s = session_at(tmp_path, "flags.ttx.jsonl")
    s.step()
    s.record("note", text="before any answer")
    (notify,) = [e for e in s.record("notify", stakeholder="client_it_lead", via="email", by="vcto") if e.type == "notify"]
    s.close()
    app = make_app(replay=s.path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        log, board = screen.log_view, screen.query_one("#scoreboard")
        row = next(i for i, e in enumerate(log.events) if e.seq == notify.seq)
        assert "⚑ channel" in log._row(row).plain  # the runbook says phone to client_it_lead
        assert board.border_subtitle.startswith("⚑ ") and "departure" in board.border_subtitle
        await pilot.press("home", *["right"] * row)  # just before the message
        await pilot.pause()
        assert board.border_subtitle == ""


def session_at(tmp_path, name: str):
    from simulator.exercise import open_pair
    from simulator.session import Session

    return Session.start(open_pair(SCENARIO, RUNBOOK), str(tmp_path / name), wall=FakeWall(), stamp=stamp)


def defaults(app, kind: str) -> dict:
    return app.screen._defaults(kind)


@sync
async def test_defaults_come_from_the_state_of_the_exercise(tmp_path):
    path = tmp_path / "defaults.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        s = app.session
        # noc_tier1 (the first responder) is unreachable for 20m: acknowledge defaults to one reachable now
        assert defaults(app, "acknowledge") == {"by": "noc_tier2"}
        # security_lead must be engaged: page the role that fills it
        assert defaults(app, "page") == {"role": "soc_manager"}
        # nobody was paged without an answer yet: nothing to pick for `w`
        assert defaults(app, "answer") == {}
        # the notify obligation waiting: client_it_lead, on the runbook's channel (phone), sent by the runbook's vcto
        assert defaults(app, "notify") == {"stakeholder": "client_it_lead", "via": "phone", "by": "vcto"}
        # the update obligation: client_it_lead, by the runbook's update channel (email), which works now
        assert defaults(app, "update") == {"stakeholder": "client_it_lead", "via": "email", "by": "vcto"}
        # the playbook's first task, by the role it names; the decision, by its owner
        assert defaults(app, "act") == {"task": "isolate-host", "by": "noc_tier2"}
        assert defaults(app, "decide") == {"decision": "restore-or-negotiate", "by": "ceo"}
        s.record("page", role="soc_manager")  # paged, no answer yet
        s.record("act", task="isolate-host", by="noc_tier2")
        s.record("notify", stakeholder="client_it_lead", via="phone", by="vcto")
        await pilot.pause()
        assert defaults(app, "answer") == {"role": "soc_manager", "stands_in_for": None}  # the role with a page unanswered
        assert defaults(app, "act")["task"] == "restore-from-backup"  # isolate-host is done: the next one
        s.run(60)
        app.wall.t += 60  # 03:07: email goes down
        s.tick()
        # the CEO takes only phone; a customer obligation aside, the update to client_it_lead avoids the down channel
        assert defaults(app, "update") == {"stakeholder": "client_it_lead", "via": "phone", "by": "vcto"}


@sync
async def test_defaults_follow_the_runbook_even_where_it_falls_short(tmp_path):
    """BrightDesk: the only first responder is unreachable at 02:07 (the curveball), and the runbook emails
    the IT lead where the scenario wants a call. Enter on each default records what the runbook says, by a
    role that can act now, and none of it is flagged as a departure from the runbook."""
    from scoring.departures import departures

    runbook = str(ROOT / "scenarios" / "runbooks" / "brightdesk-unlimited.yaml")
    async with exercise(tmp_path / "brightdesk.ttx.jsonl", runbook=runbook) as (app, pilot):
        s = app.session
        assert defaults(app, "acknowledge") == {"by": "senior_engineer"}  # escalated to: reachable now
        assert defaults(app, "notify")["via"] == "email"  # the runbook's channel, which Dana takes
        await record(pilot, "a", "enter")
        await record(pilot, "n", "enter")
        await pilot.pause()
        kinds = {e.seq: e.type for e in s.events}
        assert [kinds[d.seq] for d in departures(s.sc, s.rb, s.events) if d.aspect in ("channel", "reach")] == []
        notify = next(e for e in s.events if e.type == "notify")
        assert notify.get("via") == "email" and notify.get("delivered") is not False


@sync
async def test_acknowledge_defaults_to_the_role_on_duty_not_a_desk_that_works_business_hours(tmp_path):
    """Harbor's first responder is a service desk working Mon-Fri 07:00-19:00; its sysadmin on call works 24x7.
    At 02:07 on a Saturday (the night without its curveball: the desk could be reached) the form offers the
    on-call role, and Enter records an acknowledgement the board does not flag."""
    text = (ROOT / "scenarios" / "ransomware-fileserver.yaml").read_text()
    line = "  - {at: 0m, unreachable: first_responder, for: 20m}"
    assert line in text
    scenario = tmp_path / "ransomware-no-curveball.yaml"
    scenario.write_text(text.replace(line, ""))
    runbook = str(ROOT / "scenarios" / "runbooks" / "harbor-internal-vcio.yaml")
    async with exercise(tmp_path / "harbor.ttx.jsonl", scenario=str(scenario), runbook=runbook) as (app, pilot):
        assert app.session.label() == "Sat 02:07 CDT"
        assert app.session.sc.severity == "P1"
        assert defaults(app, "acknowledge") == {"by": "sysadmin_oncall"}  # before: service_desk, off duty until Monday
        await record(pilot, "a", "enter")
        await pilot.pause()
        ack = next(e for e in app.session.events if e.type == "acknowledge")
        assert ack.get("by") == "sysadmin_oncall"
        # at 08:00 on a Monday the desk is at work: it is offered again (the first responder the runbook lists)
        from simulator.suggest import suggest

        s = app.session
        monday = s.sc.clock().seconds(datetime(2026, 3, 16, 8, 0))
        assert suggest("acknowledge", s.sc, s.rb, s.world, [], [], monday) == {"by": "service_desk"}


def test_a_page_defaults_to_a_role_at_work_now_before_one_listed_first():
    """Cobalt's first responders are a desk (Mon-Fri hours) and an on-call engineer (24x7): at 02:07 on a
    Saturday a page for the first responder goes to the engineer; on a Monday morning to the desk, listed first."""
    from simulator.engine import World
    from simulator.exercise import open_pair
    from simulator.suggest import suggest

    pair = open_pair(SCENARIO, str(ROOT / "scenarios" / "runbooks" / "cobalt-msp-247-addon.yaml"))
    sc, rb = pair.scenario, pair.runbook
    world = World(sc, rb, sc.clock())
    assert rb.fillers("first_responder")[:2] == ["service_desk", "oncall_engineer"]
    saturday = 25 * 60  # 02:32, once the scenario's first-responder curveball has ended
    assert suggest("page", sc, rb, world, [], [], saturday) == {"role": "oncall_engineer"}
    monday = sc.clock().seconds(datetime(2026, 3, 16, 9, 0))
    assert suggest("page", sc, rb, world, [], [], monday) == {"role": "service_desk"}


def test_a_page_defaults_to_a_function_someone_can_be_paged_for_not_one_out_of_reach():
    """Two incidents x Meridian, watched at 120x40: the technical lead (the only one) is on the ERP bridge until 12:05,
    and the form offered him. Engaging the security lead is due at the same time and its analyst can be paged: the
    form offers the analyst. With nobody reachable for any waiting function, it offers the role as written."""
    from simulator.engine import World
    from simulator.exercise import open_pair
    from simulator.suggest import suggest

    lib = ROOT / "scenarios"
    pair = open_pair(str(lib / "two-incidents-at-once.yaml"), str(lib / "runbooks" / "meridian-offshore-noc.yaml"))
    sc, rb = pair.scenario, pair.runbook
    world = World(sc, rb, sc.clock())
    waiting = ["phishing-from-assistant/engage:technical_lead", "phishing-from-assistant/engage:security_lead"]
    assert world.unreachable_at("l2_engineer", 12 * 60) is not None
    assert suggest("page", sc, rb, world, [], waiting, 12 * 60) == {"role": "security_desk"}
    assert suggest("page", sc, rb, world, [], waiting[:1], 12 * 60) == {"role": "l2_engineer"}


@sync
async def test_a_message_defaults_to_a_sender_on_the_incident_so_accepting_it_is_not_flagged(tmp_path):
    from scoring.departures import departures

    path = tmp_path / "sender.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        s = app.session
        # nobody is on the incident yet: the runbook's own sender (vcto, also its incident commander)
        assert defaults(app, "notify")["by"] == "vcto"
        await record(pilot, "a", "enter")  # noc_tier2 acknowledges, and so is on the incident
        await pilot.pause()
        # vcto has not answered a page: the one who can send now is noc_tier2, on the incident
        assert defaults(app, "notify") == {"stakeholder": "client_it_lead", "via": "phone", "by": "noc_tier2"}
        await record(pilot, "n", "enter")
        await pilot.pause()
        s.record("page", role="vcto", answers="now")
        await pilot.pause()
        assert defaults(app, "update")["by"] == "vcto"  # once the runbook's sender answers, it is offered again
        notify = next(e for e in s.events if e.type == "notify")
        flags = {d.aspect for d in departures(s.sc, s.rb, s.events) if d.seq == notify.seq}
        # sent by a role the runbook does not name for it (a real departure to ask about), never by one not engaged
        assert flags == {"role"}
        assert "reach" not in {a for a in app.screen.log_view.flags.get(notify.seq, [])}


@sync
async def test_the_board_judges_departures_in_the_order_the_report_does(tmp_path):
    """Answers recorded out of simulated-time order (a page answered in 30m, then the same role calling
    back at once) are judged in time order on the board too: one rule, scoring.departures."""

    path = tmp_path / "order.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        s = app.session
        s.record("acknowledge", by="noc_tier2")
        s.record("page", role="vcto", answers="+30m")  # an answer written for 02:37
        s.record("answer", role="vcto")  # ...but vcto calls back at once, 02:07
        s.record("notify", when="+5m", stakeholder="client_it_lead", via="phone", by="vcto")  # 02:12
        s.record("act", when="+10m", task="restore-from-backup", by="noc_tier2")
        s.record("act", when="+11m", task="isolate-host", by="noc_tier2")
        await pilot.pause()
        board, report = flags_on_board_and_in_report(app)
        assert board == report
        notify = next(e for e in s.events if e.type == "notify")
        assert notify.seq not in board  # vcto answered at 02:07, before sending at 02:12: nothing to flag
        s.record("act", when="+8m", task="take-fs01-offline", by="vcto")  # stamped before the acts above
        await pilot.pause()
        board, report = flags_on_board_and_in_report(app)
        assert board == report


def flags_on_board_and_in_report(app) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """seq -> the aspects that departed from the runbook, as the board marks them and as the report lists them."""
    from scoring.departures import departures

    s = app.session
    report: dict[int, list[str]] = {}
    for d in departures(s.sc, s.rb, s.events):
        report.setdefault(d.seq, []).append(d.aspect)
    return ({seq: sorted(a) for seq, a in app.screen.log_view.flags.items()}, {seq: sorted(a) for seq, a in report.items()})


@sync
async def test_step_skips_a_conditional_inject_that_will_be_held(tmp_path):
    path = tmp_path / "step.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        await record(pilot, "t", "enter")  # isolate-host done now: backups-mounted (02:52) will not fire
        await pilot.pause()
        assert app.session.next_inject_time() is None
        await pilot.press("s", "y")  # nothing left to read: to the horizon, which ends the exercise (once confirmed)
        await pilot.pause()
    ev = read(str(path)).events
    assert [e.type for e in ev if e.type in ("inject", "inject_held", "end")] == ["inject", "inject_held", "end"]


@sync
async def test_resume_after_a_crash_says_it_rewound_and_the_transcript_records_it(tmp_path):
    path = tmp_path / "crash.ttx.jsonl"
    s = session_at(tmp_path, "crash.ttx.jsonl")
    s.step()
    s.run(60)
    s.record("note", text="before the crash")
    s.writer.close()  # the process dies: no pause is written, the lock goes with it
    s.lock.release()
    app = make_app(resume=str(path), wall=FakeWall(), stamp=stamp)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.pause()
        toast = next(n for n in app._notifications if n.title == "Resumed")
        assert "interrupted while the clock ran ×60" in toast.message and "rewound to Sat 02:07 CDT" in toast.message
    last = read(str(path)).events[-1]
    assert (last.type, last.get("action"), last.get("interrupted")) == ("clock", "resume", True)
    from scoring.report import render
    from simulator.exercise import open_transcript

    assert "Exercise interrupted (a crash or a closed terminal) and resumed from Sat 02:07" in render(
        open_transcript(read(str(path))), "md")


@sync
async def test_evaluator_capture_and_hotwash_reach_the_transcript_and_the_report(tmp_path):
    path = tmp_path / "eval.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        # notify: Tab past the three fields and When to the evaluator's pickers: unsure, improvised, and a note
        await record(pilot, "n", "tab", "tab", "tab", "tab", "space", "down", "down", "enter", "tab", "space", "down", "down", "enter",
                     "tab", "would ring Dana", "enter")
        await pilot.press("E", "y")
        await pilot.pause()
        await record(pilot, "C", "alm lead", "tab", "No insurer plan", "enter")
        await pilot.pause()
    from scoring.report import render
    from simulator.exercise import open_transcript

    ev = read(str(path)).events
    msg = next(e for e in ev if e.type == "notify")
    assert (msg.get("confidence"), msg.get("basis"), msg.get("eval_note")) == ("unsure", "improvised", "would ring Dana")
    md = render(open_transcript(read(str(path))), "md")
    assert "| unsure, improvised | would ring Dana |" in md
    strengths = md[md.index("## Strengths"):md.index("## Areas for improvement")]
    assert strengths.splitlines()[2] == "- From the hotwash: Calm lead"
    areas = md[md.index("## Areas for improvement"):md.index("## Improvement plan")]
    assert areas.splitlines()[2] == "- From the hotwash: No insurer plan"
    # the timeline says which list each item is on, not "Note" (watched in a replay at 80x24)
    assert "| Hotwash, strength: Calm lead |" in md and "| Hotwash, to improve: No insurer plan |" in md


def test_departures_from_the_runbook_are_named_and_reported(tmp_path):
    from scoring.departures import departures
    from scoring.report import render
    from simulator.exercise import open_transcript

    s = session_at(tmp_path, "dep.ttx.jsonl")
    s.step()
    s.record("page", role="soc_manager", answers="+40m")  # business hours only, at 02:07 on a Saturday
    s.record("acknowledge", by="noc_tier2")
    s.record("notify", when="+45m", stakeholder="client_it_lead", via="email", by="noc_tier2")
    s.record("act", task="restore-from-backup", by="vcto")
    s.close()
    found = {(d.aspect, d.text) for d in departures(s.sc, s.rb, s.events)}
    # read aloud: roles and stakeholders by the names the files give them (the key the forms pick beside it)
    assert found == {
        ("reach", "SOC manager (soc_manager) works business hours: paged outside them at Sat 02:07"),
        ("channel", "the runbook says phone to Dana (IT manager; client_it_lead); said email"),
        ("role", "the runbook has Fractional CTO (vcto) tell Dana (IT manager; client_it_lead); said NOC tier 2 (noc_tier2)"),
        ("timing", "the runbook promises Dana (IT manager; client_it_lead) within 30m of the declaration (by Sat 02:37); "
                   "said Sat 02:52"),
        ("order", "the runbook does isolate-host before restore-from-backup; isolate-host is not done yet"),
        ("role", "the runbook has NOC tier 2 (noc_tier2) do restore-from-backup; said Fractional CTO (vcto)"),
        ("reach", "Fractional CTO (vcto) has not answered a page yet: who does this?"),  # never paged, said to do it
    }
    md = render(open_transcript(read(s.path)), "md")
    section = md[md.index("### Where the answers departed from the runbook"):md.index("## Questions to put")]
    assert "| channel | the runbook says phone to Dana (IT manager; client\\_it\\_lead); said email |" in section


@sync
async def test_at_80x24_the_first_inject_shows_its_whole_question(tmp_path):
    async with exercise(tmp_path / "q.ttx.jsonl", size=(80, 24)) as (app, pilot):
        inject = app.screen.query_one("#inject")
        lines = [s.text.rstrip() for s in inject._lines(inject.scrollable_content_region.width)]
        assert lines == ["EDR reports 4,000 files renamed to", "*.lock on FS01 in three minutes.", "", "Ask the candidate",
                         " • Who has authority to take FS01", "   offline at 2 a.m.?"]  # the question's second line under its first word
        assert inject.size.height == len(lines) and inject.max_scroll_y == 0  # all in sight, nothing to scroll to
        assert inject.border_title == "Inject edr-alert"
        assert inject._border_subtitle.plain == "Sat 02:07  from monitoring"  # when and from whom, on the border


@sync
async def test_obligations_are_named_as_the_room_names_them(tmp_path):
    """The Obligations panel, the results table and the stress tables say "Notify Dana (IT manager; client_it_lead)",
    as the report does, never the raw "notify client_it_lead" of the scenario file."""
    async with exercise(tmp_path / "names.ttx.jsonl", size=(160, 48)) as (app, pilot):
        panel = app.screen.query_one("#obligations").body.plain.splitlines()
        assert [line.split("  ", 1)[1].strip().rsplit("  due ", 1)[0] for line in panel] == [
            "Acknowledge the alert", "Engage security lead", "Notify Dana (IT manager; client_it_lead)",
            "Keep updating Dana (IT manager; client_it_lead) (1/11)", "Restore service"]
        # the MSEL's curveball without a message of its own: the function in words, not "first_responder"
        assert "02:07 ⚡ the first responder unreachable for 20m" in app.screen.query_one("#timeline").body.plain
        await pilot.press("v")
        await pilot.pause()
        table = app.screen.query_one("#results-table")
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert names[:3] == ["Acknowledge the alert", "Engage security lead", "Notify Dana (IT manager; client_it_lead)"]
        assert not str(table.get_row_at(1)[5]).startswith("engage security_lead")  # the why does not name it again



@sync
async def test_ending_stops_the_clock_at_e_so_the_hotwash_costs_no_simulated_time(tmp_path):
    """At ×60 a hotwash typed for two minutes would have moved the clock two hours and missed updates the
    room never meant to miss: E stops the clock, the end is stamped when E was pressed; n runs it on."""
    path = tmp_path / "end.ttx.jsonl"
    wall = FakeWall()
    async with exercise(path, wall=wall) as (app, pilot):
        s = app.session
        await pilot.press("3")  # run ×60
        wall.t += 60  # one minute: 02:07 -> 03:07
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        at_e = s.now
        wall.t += 30
        await pilot.press("n")  # not yet: the clock runs on from where it stood
        await pilot.pause()
        assert s.running and s.now == at_e
        wall.t += 10
        await pilot.pause()
        await pilot.press("E", "y")
        await pilot.pause()
        at_end = s.now
        wall.t += 120  # the room talks for two minutes
        await record(pilot, "G", "ood handover", "enter")
        await pilot.pause()
    ev = read(str(path)).events
    end = next(e for e in ev if e.type == "end")
    assert at_e == 3600 and at_end == at_e + 600
    assert end.t == at_end and [e.t for e in ev if e.type == "note"] == [at_end]
    assert s.label(end.t) == "Sat 03:17 CDT"


@pytest.mark.parametrize("before", ["", "E", "Ey"], ids=["burst-from-E", "burst-from-y", "burst-into-the-open-form"])
@sync
async def test_keys_typed_as_the_hotwash_opens_land_in_its_fields(tmp_path, before):
    """E, y and the hotwash typed without a pause: each field gets its own words, Tab moves between them at
    once, and no letter reaches the board beneath (the "d" of "good" once opened the Decide form)."""
    path = tmp_path / "hot.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        if before:
            await pilot.press(*before)
            await pilot.pause()
        type_ahead(app, "Eygood quick handover\tslow page\r"[len(before):])
        for _ in range(6):
            await pilot.pause()
        assert type(app.screen).__name__ == "ResultsScreen"
        # one toast for the hotwash, not one per item over the results
        assert [n.message for n in app._notifications if "✓" in n.message] == ["✓ hotwash recorded: 2 items"]
    ev = read(str(path)).events
    assert [(e.get("text"), e.get("hotwash")) for e in ev if e.type == "note"] == [
        ("good quick handover", "strength"), ("slow page", "improvement")]
    assert [e.type for e in ev if e.type not in ("clock", "curveball", "curveball_end", "inject")] == ["note", "note", "end"]
    assert sum(1 for e in ev if e.type == "clock" and e.get("action") == "step") == 1  # the "s" of "slow" stepped nothing


@sync
async def test_keys_typed_ahead_of_a_form_go_into_it_and_after_enter_to_the_next(tmp_path):
    """f, a note, Enter, f, another note, Enter in one burst: two notes, each with its own words (the keys after
    Enter once ended up in the first note, and the "e" of "hello" opened the edit form)."""
    path = tmp_path / "ahead.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        type_ahead(app, "fhello there\rfworld\r\x1bs")  # then Escape (nothing open) and s: the next inject
        for _ in range(8):
            await pilot.pause()
        assert type(app.screen).__name__ == "ExerciseScreen"
    ev = read(str(path)).events
    assert [e.get("text") for e in ev if e.type == "note"] == ["hello there", "world"]
    assert [e.type for e in ev if e.type in ("note", "retract", "inject")] == ["inject", "note", "note", "inject"]
    assert verify(read(str(path))) == []


@sync
async def test_backspaces_typed_in_a_burst_act_before_the_keys_after_them(tmp_path):
    """In the acknowledge form's When field: backspace ×3 over "now", then "+20m", in one burst (keys bunched
    over ssh): the field reads "+20m" and the acknowledgement lands there. Textual ran an Input's backspace after the characters typed
    behind it, and the field read "+"."""
    path = tmp_path / "burst.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        type_ahead(app, "\x7f\x7f\x7f+20m")
        for _ in range(4):
            await pilot.pause()
        assert app.focused.value == "+20m"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExerciseScreen"
    ack = next(e for e in read(str(path)).events if e.type == "acknowledge")
    assert (ack.t, ack.get("stamped")) == (20 * 60, 0)


@sync
async def test_a_theme_change_redraws_the_panels_in_its_colours(tmp_path):
    async with exercise(tmp_path / "t.ttx.jsonl", size=(80, 24)) as (app, pilot):
        inject = app.screen.query_one("#inject")

        def ask_colour() -> object:  # the colour "Ask the candidate" is drawn in, as on screen
            line = next(s for s in inject._lines(inject.scrollable_content_region.width) if "Ask the candidate" in s.text)
            return next(seg.style.color for seg in line if "Ask" in seg.text)

        before = ask_colour()
        app.theme = "textual-light"
        await pilot.pause()
        assert ask_colour() != before


@sync
async def test_a_new_inject_is_shown_from_its_first_line(tmp_path):
    scenario = str(Path(SCENARIO).parent / "dns-registrar-hijack.yaml")  # a long first inject: the panel scrolls at 80x24
    app = app_for(tmp_path / "s.ttx.jsonl", scenario=scenario)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        inject = app.screen.query_one("#inject")
        inject.focus()
        await pilot.press("end")  # the facilitator scrolled to the last question
        await pilot.wait_for_animation()
        assert inject.scroll_y == inject.max_scroll_y > 0
        app.screen.query_one("#eventlog").focus()
        await pilot.press("s")
        await pilot.pause()
        assert inject.border_title == "Inject mail-intercepted" and inject.scroll_y == 0
        assert inject.render_line(0).text.strip() == "The MX records now point to the"


@sync
async def test_t_and_d_offer_the_open_step_the_playbook_reaches_first(tmp_path):
    """Two decisions and two tasks asked for at once, the later playbook step due sooner: `d` and `t` offer the
    one the candidate's playbook takes first (they work down it), then the next once it is recorded. By due date
    alone, the form offered the playbook's later decision while its first was still open."""
    import yaml

    from .helpers import base_runbook, base_scenario

    expects = [{"acknowledge": {"within": "15m"}},
               {"decide": "call-insurer", "by": "ceo", "within": "4h"}, {"decide": "pay-ransom", "by": "ceo", "within": "1h"},
               {"act": "isolate", "within": "2h"}, {"act": "wipe", "within": "30m"}]
    sc = base_scenario(playbook="p", stakeholders={"ceo": {"name": "CEO", "channels": ["phone"]}},
                       injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": expects}])
    rb = base_runbook(playbooks={"p": [{"act": "isolate", "by": "noc"}, {"decide": "call-insurer", "by": "ceo"},
                                       {"act": "wipe", "by": "noc"}, {"decide": "pay-ransom", "by": "ceo"}]})
    (tmp_path / "sc.yaml").write_text(yaml.safe_dump(sc))
    (tmp_path / "rb.yaml").write_text(yaml.safe_dump(rb))

    async def offered(pilot, key: str, field: str) -> str:
        await pilot.press(key)
        await pilot.pause()
        value = str(pilot.app.screen.query_one(f"#f-{field}").value)
        await pilot.press("enter")  # recorded as offered
        await pilot.pause()
        return value

    async with exercise(tmp_path / "order.ttx.jsonl", scenario=str(tmp_path / "sc.yaml"), runbook=str(tmp_path / "rb.yaml")) as (app, pilot):
        assert [await offered(pilot, "d", "decision"), await offered(pilot, "d", "decision")] == ["call-insurer", "pay-ransom"]
        assert [await offered(pilot, "t", "task"), await offered(pilot, "t", "task")] == ["isolate", "wipe"]


@sync
async def test_text_typed_at_a_picker_is_said_not_dropped_unseen(tmp_path):
    """Watched in tmux: in the restore form, Tab went past When and '+4h' went into the Candidate picker, which
    takes no text; Enter then recorded 'now'. The form now says what was not typed and where to go back to."""
    async with exercise(tmp_path / "picker.ttx.jsonl") as (app, pilot):
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("tab", "plus", "4", "h")
        await pilot.pause()
        said = str(app.screen.query_one("#form-error").render())
        assert "“+4h” was not typed: Candidate (optional) is a picker" in said
        await pilot.press("shift+tab", "ctrl+u", "plus", "4", "h", "enter")
        await pilot.pause()
        restored = next(e for e in app.session.events if e.type == "resolve")
        assert app.session.label(restored.t) == "Sat 06:07 CDT"


@sync
async def test_a_deadline_on_another_day_names_the_day_and_an_ended_exercise_counts_down_to_nothing(tmp_path):
    """Friday 17:25, wire fraud: the insurer is due within a day. Seen: "in 1d  Notify Insurer claims hotline  due 17:25",
    which reads as this evening. And after `E`, the board went on counting down to deadlines nobody will meet,
    while the scorecard already called them missed; stopped before they fell due, they are open, as the card says."""
    ROOT = Path(__file__).resolve().parent.parent
    kw = {"scenario": str(ROOT / "scenarios" / "bec-wire-fraud.yaml"),
          "runbook": str(ROOT / "scenarios" / "runbooks" / "ridgeline-fractional-ciso.yaml")}
    async with exercise(tmp_path / "days.ttx.jsonl", size=(120, 40), **kw) as (app, pilot):
        panel = app.screen.query_one("#obligations")
        rows = panel.body.plain.splitlines()
        assert any("Notify Insurer claims hotline" in r and r.endswith("due Sat 17:25") for r in rows), rows
        assert any("Notify Controller" in r and r.endswith("due 17:55") for r in rows), rows  # today: the time alone
        await pilot.press("E", "y")
        await pilot.pause()
        await pilot.press("escape")  # no hotwash
        await pilot.pause()
        await pilot.press("escape")  # from the results back to the board
        await pilot.pause()
        rows = app.screen.query_one("#obligations").body.plain.splitlines()
        insurer = next(r for r in rows if "Notify Insurer claims hotline" in r)
        # stopped at once, before anything fell due: every deadline is open (not missed), with no countdown
        assert insurer == "○ open  Notify Insurer claims hotline (cyber_insurer)  due Sat 17:25", rows
        assert all(r.startswith("○ open") for r in rows if "due" in r), rows
        # and the card beside them is the final one, no longer "if it ended now"
        assert app.screen.query_one("#scoreboard").border_title == "Final scorecard"


@sync
async def test_shift_s_stops_at_a_curveball_so_the_room_plays_it_at_its_own_time(tmp_path):
    """AiTM x Ridgeline: the CISO's phone goes to do-not-disturb at 01:35, twenty minutes after the first inject. `s`
    goes from inject to inject (SPEC 5) and passes it; `S` stops there, says it, and then at the next inject and at
    the curveball's end. Resumed, the clock is where the last step left it."""
    lib = ROOT / "scenarios"
    path = tmp_path / "aitm.ttx.jsonl"
    app = make_app(scenario=str(lib / "aitm-token-theft.yaml"), runbook=str(lib / "runbooks" / "ridgeline-fractional-ciso.yaml"),
                   output=str(path), wall=FakeWall(), stamp=stamp)
    stops = []
    async with app.run_test(size=(120, 40)) as pilot:
        s = app.session
        await pilot.press("s")
        stops.append(s.label())
        for _ in range(4):
            await pilot.press("S")
            await pilot.pause()
            stops.append(s.label())
            if len(stops) == 2:
                assert [n.title for n in app._notifications] == [CURVEBALL]
    assert stops == ["Sun 01:15 GMT", "Sun 01:35 GMT", "Sun 02:15 GMT", "Sun 02:35 GMT", "Sun 04:15 GMT"]
    again = make_app(resume=str(path), wall=FakeWall(), stamp=stamp)
    assert again.session.label() == "Sun 04:15 GMT"
    again.session.close()
