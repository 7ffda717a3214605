"""What a facilitator reads on the board at 80x24, watched in tmux: a transcript row cut at the panel's edge, the
clock bar's title, toasts over the rows just recorded (Pilot tests)."""

from __future__ import annotations

from simulator.board import describe

from .pilot import ROOT, app_for, exercise, record, results, sync


def drawn(widget) -> str:
    """What a widget shows, as plain text."""
    return "\n".join(strip.text for strip in (widget.render_line(y) for y in range(widget.size.height)))


@sync
async def test_enter_on_a_transcript_row_reads_it_whole_with_what_to_check(tmp_path, monkeypatch):
    """At 80 columns a row is cut at 78: the notify's sender and its ⚑ are past the edge. Enter shows the row whole
    and what it departs from, as the toast said it; an Enter typed twice to record does not open it."""
    from simulator.tui.detail import EntryReader
    from simulator.tui.eventlog import EventLog

    # the doubled Enter is told apart by time (half a second); the pilot waits for the screen to settle between
    # presses, which on a loaded machine can take longer than a person's double press: give it room
    monkeypatch.setattr(EventLog, "DOUBLED", 10.0)
    async with exercise(tmp_path / "read.ttx.jsonl", size=(80, 24)) as (app, pilot):
        await record(pilot, "n", "enter", "enter")  # the form's Enter, and one more as a habit
        await pilot.pause()
        assert not isinstance(app.screen, EntryReader)  # the second Enter was the form's, typed twice
        log = app.screen.log_view
        notify = app.session.events[-1]
        assert notify.type == "notify" and log.selected is notify
        whole = describe(notify, app.session.clock, app.session.names)
        (row,) = [line for line in drawn(log).splitlines() if line.startswith(f"{notify.seq:>5} Sat 02:07")]
        assert whole[:40] in row and whole not in row and "⚑ role" not in row  # cut at the panel's edge
        (flag,) = app.screen.departures[notify.seq]  # nobody has answered a page yet: who sends it?
        await pilot.press("up", "down", "enter")  # the facilitator chose the row
        await pilot.pause()
        assert isinstance(app.screen, EntryReader)
        body = app.screen.query_one("#entry-body").visual.plain
        (departure,) = app.screen.checks
        assert departure == f"⚑ {flag.text}" and flag.text == "Fractional CTO (vcto) has not answered a page yet: who sends this?"
        assert " ".join(body.split()).startswith(f"Sat 02:07 CDT ✎ recorded {whole} Check with the candidate {departure}")
        assert app.screen.query_one("#entry").border_title == f"#{notify.seq} notify  (Esc to close)"
        await pilot.press("escape", "home", "enter")  # a row of the scenario's: no checks
        await pilot.pause()
        assert isinstance(app.screen, EntryReader) and app.screen.checks == []
        assert "Clock stepped to Sat 02:07" in app.screen.query_one("#entry-body").visual.plain


@sync
async def test_toasts_on_the_board_sit_over_the_msel_not_the_rows_just_recorded(tmp_path):
    """Watched at 80x24 and 120x40: the check after an entry covered the right half of the transcript's last rows
    (the entry itself and its ⚑) for ten seconds. It sits over the MSEL now, clear of the inject's questions."""
    from textual.widgets._toast import Toast

    for size in ((80, 24), (120, 40)):
        app = app_for(tmp_path / f"toast{size[0]}.ttx.jsonl")
        async with app.run_test(size=size, notifications=True) as pilot:  # toasts are drawn (tests leave them out)
            await pilot.press("s")
            await record(pilot, "n", "enter")  # flagged: a check toast, five lines at 80 columns
            await pilot.pause()
            await pilot.pause()
            board = app.screen.board
            (toast,) = [t for t in app.screen.query(Toast) if t._notification.title.startswith("Check")]
            assert not toast.region.overlaps(board.transcript.region)
            assert not toast.region.overlaps(board.obligations.region)
            assert board.query_one("#left").region.contains_region(toast.region)
            assert toast.region.bottom == board.transcript.region.y  # just above the transcript


@sync
async def test_the_clock_bar_keeps_the_scenario_title_whole_at_80_columns(tmp_path):
    """At 80 columns the bar said "Ransomware on the file server  v…": the provider goes first, the title stays whole."""
    async with exercise(tmp_path / "bar.ttx.jsonl", size=(80, 24)) as (app, pilot):
        bar = drawn(app.screen.board.clockbar)
        assert bar.startswith("Ransomware on the file server  ") and "…" not in bar and bar.rstrip().endswith("Sat 02:07 CDT")
        # watched with the clock at ×60: "▶ running ×60  next inject in 43m" cut it again; ▶ ×60 says running
        await pilot.press("3")
        await pilot.pause()
        bar = drawn(app.screen.board.clockbar)
        assert bar.startswith("Ransomware on the file server  ") and "…" not in bar and "▶ ×60  next inject in 45m" in bar
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert drawn(app.screen.board.clockbar).startswith("Ransomware on the file server  vs  Acme Managed Services")
        assert "▶ running ×60" in drawn(app.screen.board.clockbar)


@sync
async def test_help_lists_enter_for_a_transcript_row(tmp_path):
    from simulator.tui.help import HelpScreen

    async with exercise(tmp_path / "help.ttx.jsonl", size=(80, 24)) as (app, pilot):
        assert app.screen.board.transcript.border_title == "Transcript (Enter: a row in full)"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = drawn(app.screen.query_one("#help Static"))
        assert "Enter       Read the selected transcript row in full" in text


@sync
async def test_results_at_80x24_read_the_selected_reason_whole_without_enter(tmp_path):
    """Watched at 80x24: the results table's "why" column was 4 characters wide, every reason needed Enter. The
    reason of the obligation under the cursor is under the table, whole and wrapped, and follows the cursor; the
    name column names stakeholders without their keys, so the names fit."""
    from simulator.tui.results import ResultsScreen
    from simulator.wording import reason_words

    async with exercise(tmp_path / "why.ttx.jsonl", size=(80, 24)) as (app, pilot):
        await record(pilot, "a", "enter")
        await pilot.pause()
        assert isinstance(await results(app, pilot), ResultsScreen)
        table = app.screen.query_one("#results-table")
        assert [c.label.plain for c in table.columns.values()] == ["obligation", "due", "done", "status", "credit"]
        assert "Notify Dana (IT manager)" in drawn(table) and "client_it_lead" not in drawn(table)
        why = app.screen.query_one("#results-why")
        for row, r in enumerate(app.session.card.results[:3]):
            if row:
                await pilot.press("down")
                await pilot.pause()
            reason = reason_words(r.kind, r.target, r.reason)
            shown = " ".join(drawn(why).split())
            assert shown == f"why {reason}"  # whole: every word, none cut with …
            assert why.region.bottom <= app.screen.query_one("#findings").region.y  # in sight, above the findings
        engage = app.session.card.results[1]
        assert engage.kind == "engage" and len(reason_words(engage.kind, engage.target, engage.reason)) > 76  # it wraps
        findings = app.screen.query_one("#findings")
        assert str(findings.border_subtitle) == f"transcript {app.session.path}"  # where the exports go


@sync
async def test_results_wide_keep_the_why_column_beside_the_table(tmp_path):
    from simulator.tui.results import ResultsScreen

    async with exercise(tmp_path / "wide.ttx.jsonl", size=(160, 48)) as (app, pilot):
        assert isinstance(await results(app, pilot), ResultsScreen)
        table = app.screen.query_one("#results-table")
        assert [c.label.plain for c in table.columns.values()][-1] == "why"
        assert "Notify Dana (IT manager; client_it_lead)" in drawn(table)


@sync
async def test_a_reason_longer_than_the_strip_says_enter_shows_it_whole(tmp_path):
    """A long shipped reason (352 characters: Keel on the insider scenario, the stalled audit) takes more lines
    at 80 columns than the strip has: it shows three, ending "… Enter: whole", and the row under the cursor stays in view as
    the strip grows; Enter shows it all."""
    from simulator.exercise import open_pair, run_auto
    from simulator.tui.app import make_app
    from simulator.tui.detail import ObligationDetail
    from simulator.wording import reason_words

    from .pilot import ROOT

    path = tmp_path / "insider.ttx.jsonl"
    pair = open_pair(str(ROOT / "scenarios" / "insider-exfiltration.yaml"), str(ROOT / "scenarios" / "runbooks" / "keel-fractional-cto.yaml"))
    path.write_text(run_auto(pair).transcript)
    app = make_app(replay=str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        card = app.screen.card
        i = next(n for n, r in enumerate(card.results) if r.id == "dlp-alert/act:audit-admin-activity")
        await pilot.press(*["down"] * i)
        await pilot.pause()
        await pilot.pause()
        why, table = app.screen.query_one("#results-why"), app.screen.query_one("#results-table")
        lines = drawn(why).splitlines()
        assert len(lines) == 3 and lines[-1].rstrip().endswith("… Enter: whole")
        assert lines[0].startswith("why playbook stalled at this step: Fractional CTO")
        assert "Do audit-admin-activity" in drawn(table)  # the row the reason is of, in sight
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ObligationDetail)
        r = card.results[i]
        assert " ".join(reason_words(r.kind, r.target, r.reason).split()) in " ".join(app.screen.query_one("#detail-body").visual.plain.split())


@sync
async def test_in_a_replay_enter_reads_the_event_stepped_to_with_its_departure(tmp_path):
    """Enter works whichever panel has focus (a replay opens with the inject's), on the event stepped to."""
    from simulator.tui.app import make_app
    from simulator.tui.detail import EntryReader

    path = tmp_path / "live.ttx.jsonl"
    async with exercise(path, size=(80, 24)) as (app, pilot):
        await record(pilot, "n", "enter")
        await pilot.pause()
        notify = app.session.events[-1]
        (flag,) = app.screen.departures[notify.seq]
    replay = make_app(replay=str(path))
    async with replay.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not replay.screen.log_view.has_focus
        await pilot.press("end", "enter")
        await pilot.pause()
        assert isinstance(replay.screen, EntryReader)
        assert replay.screen.event.seq == notify.seq and replay.screen.checks == [f"⚑ {flag.text}"]


@sync
async def test_countdowns_hours_ahead_read_in_whole_hours_at_80_columns(tmp_path):
    """Watched at 80x24 at the second inject: "○ in 11h15m" and "✗ 30m late" pushed every name three columns further
    in, and "Notify Insurer claims line" went on to a second line. Hours ahead, whole hours do; late, the ✗ says it."""
    async with exercise(tmp_path / "hours.ttx.jsonl", size=(80, 24)) as (app, pilot):
        await pilot.press("s")  # 02:52, backups-mounted
        await pilot.pause()
        panel = app.screen.board.obligations

        def rows() -> list[str]:
            return [line.rstrip() for line in panel.fitted(panel.scrollable_content_region.width).plain.splitlines()]

        narrow = rows()
        assert narrow[:7] == ["✗ 30m    Acknowledge the alert", "✗ 15m    Engage security lead",
                              "✗ 15m    Notify Dana (IT manager)", "! in 15m Update Dana 1/11",
                              "○ in 15m Do isolate-host  due 03:07", "○ in 3h  Restore service  due 06:07",
                              "○ in 4h  Notify Insurer claims line"]
        # Watched at 80x24: eight obligations in six rows, so the panel's scrollbar takes a column, and the one name
        # longer than the room went on to a second line, a row fewer in a full panel. Cut at the edge, as the MSEL's.
        assert narrow[7:] == ["○ in 11h Decide restore-or-negotia…"]
        assert panel.scrollable_content_region.width == 35 and panel.virtual_size.height == 8  # one row an obligation
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.pause()
        assert any(line.startswith("○ in 11h15m Decide restore-or-negotiate") for line in rows())


@sync
async def test_a_withdrawn_row_read_whole_says_what_withdrew_it(tmp_path):
    from simulator.tui.detail import EntryReader

    async with exercise(tmp_path / "gone.ttx.jsonl", size=(80, 24)) as (app, pilot):
        await record(pilot, "f", "wrong room", "enter")
        await pilot.pause()
        note = app.session.events[-1]
        await pilot.press("x", "y")
        await pilot.pause()
        retract = app.session.events[-1]
        await pilot.press("up", "enter")  # the note, struck through
        await pilot.pause()
        assert isinstance(app.screen, EntryReader) and app.screen.event.seq == note.seq
        body = app.screen.query_one("#entry-body").visual.plain
        assert body.splitlines()[0] == "Sat 02:07 CDT  ✎ recorded"
        assert "Note: wrong room" in body and body.rstrip().endswith(f"Withdrawn by #{retract.seq} (deleted)")


@sync
async def test_a_check_on_a_newer_entry_takes_the_place_of_the_last_confirmation(tmp_path):
    """Watched at 80x24: "✓ #7 answer" stayed under "Check #8 notify with the candidate", two toasts reaching up
    over the inject. The check says #8 was recorded, so #7's confirmation goes."""
    async with exercise(tmp_path / "one.ttx.jsonl", size=(80, 24)) as (app, pilot):
        await record(pilot, "a", "enter")
        await pilot.pause()
        assert [n.message.split(" at ")[0] for n in app._notifications] == [f"✓ #{app.session.events[-1].seq} acknowledge"]
        await record(pilot, "n", "enter")  # the runbook's sender has not answered a page: a check
        await pilot.pause()
        assert [n.title for n in app._notifications] == [f"Check #{app.session.events[-1].seq} notify with the candidate"]


@sync
async def test_results_fit_the_screen_again_when_it_is_resized(tmp_path):
    """Opened at 80 columns and moved to a wider screen (the projector), the table takes the room: names with the
    stakeholders' keys and the "why" column; back at 80, as before. The row under the cursor stays."""
    from simulator.tui.results import ResultsScreen

    async with exercise(tmp_path / "resize.ttx.jsonl", size=(80, 24)) as (app, pilot):
        assert isinstance(await results(app, pilot), ResultsScreen)
        table = app.screen.query_one("#results-table")
        await pilot.press("down", "down")
        assert "client_it_lead" not in drawn(table) and len(table.columns) == 5
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.pause()
        assert "Notify Dana (IT manager; client_it_lead)" in drawn(table) and len(table.columns) == 6
        assert table.cursor_row == 2
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert "client_it_lead" not in drawn(table) and len(table.columns) == 5 and table.cursor_row == 2


@sync
async def test_at_80x24_one_check_and_one_confirmation_sit_over_the_msel_clear_of_the_inject(tmp_path):
    """Watched at 80x24: two "Check … with the candidate" toasts and a "✓ #N" stacked up over the inject the room was
    reading. A check takes the place of the check before it (that one stays on its row: ⚑, Enter), one cut to the
    room says where the rest is, and the MSEL holds a check and a ✓."""
    from textual.widgets._toast import Toast

    app = app_for(tmp_path / "toasts.ttx.jsonl")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:  # toasts are drawn (tests leave them out)
        await pilot.press("s")
        await record(pilot, "a", "enter")  # NOC tier 2: a ✓
        await record(pilot, "p", "enter")  # the SOC manager works business hours: a check
        await record(pilot, "n", "enter")  # the runbook's sender is the vCTO: a check
        notify = app.session.events[-1]
        await record(pilot, "t", "enter")  # isolate-host by NOC tier 2, as the playbook has it: a ✓
        act = app.session.events[-1]
        await pilot.pause()
        await pilot.pause()
        board = app.screen.board
        assert [n.title or n.message.split(" at ")[0] for n in app._notifications] == [
            f"Check #{notify.seq} notify with the candidate", f"✓ #{act.seq} act"]
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 2 and all(board.timeline.region.contains_region(t.region) for t in toasts)
        assert not any(t.region.overlaps(board.inject.region) for t in toasts)
        page = next(e for e in app.session.events if e.type == "page")
        assert drawn(board.transcript).count(f"{page.seq:>5} Sat 02:07 ⚑ Paged SOC manager") == 1  # its check: on its row

        # two points to check (a role out of reach, and who answers instead): cut to the room, the rest on the row
        app.screen._submit("page", "now", {"role": "noc_tier1", "answers": "now"}, at=app.session.now)
        await pilot.pause()
        await pilot.pause()
        reach = next(e for e in reversed(app.session.events) if e.type == "page")
        (check,) = [n for n in app._notifications if n.title.startswith("Check")]
        assert check.title == f"Check #{reach.seq} page with the candidate"
        assert check.message.startswith("⚠ NOC tier 1 (noc_tier1) is")  # six lines, and the title: five of them fit
        assert check.message.endswith(f"⚑ NOC tier 1 (noc_tier1) is\n… all of it: Enter on row #{reach.seq}")
        assert not any(t.region.overlaps(board.inject.region) for t in app.screen.query(Toast))
        (row,) = [line for line in drawn(board.transcript).splitlines() if line.startswith(f"{reach.seq:>5} ")]
        assert row.startswith(f"{reach.seq:>5} Sat 02:07 ⚠ Paged NOC tier 1")  # what to check at once: on the row
        await pilot.press("up", "enter")
        await pilot.pause()
        assert app.screen.event.seq == reach.seq and [c[0] for c in app.screen.checks] == ["⚠", "⚑"]  # all of it


@sync
async def test_no_toast_of_the_board_shows_at_the_edge_of_an_open_form(tmp_path):
    """Watched at 80x24: with a check showing, the next form opened over it and the toast's left edge showed beside
    the form (the board's toasts are drawn beneath a form; Textual refreshes only the top screen's)."""
    from textual.widgets._toast import Toast

    app = app_for(tmp_path / "edge.ttx.jsonl")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("s")
        await record(pilot, "p", "enter")
        await pilot.pause()
        await pilot.pause()
        board_screen = app.screen
        assert board_screen.query(Toast)  # the check, over the MSEL
        await pilot.press("a")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is not board_screen and not board_screen.query(Toast)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert [t._notification.title.split()[0] for t in board_screen.query(Toast)] == ["Check"]  # back for its time


@sync
async def test_the_msel_holds_a_conditional_inject_when_the_bar_says_no_inject_is_left(tmp_path):
    """Watched at 80x24: isolate-host done at 02:07, the clock bar said "no inject left" and the MSEL still said
    "◇ if" for backups-mounted (only if isolate-host is not done). The MSEL now goes by the bar's rule: held, and why;
    withdrawn, the act brings the "◇" back with the bar's next inject."""
    async with exercise(tmp_path / "held.ttx.jsonl", size=(80, 24)) as (app, pilot):
        await record(pilot, "t", "enter")  # isolate-host
        await pilot.pause()
        board = app.screen.board
        assert app.session.events[-1].get("task") == "isolate-host"
        assert "no inject left" in drawn(board.clockbar)
        (item,) = [it for it in app.session.timeline() if it.id == "backups-mounted"]
        assert (item.state, item.note) == ("held", "isolate-host was done at Sat 02:07")
        assert "02:52 ⊘ backups-mounted" in drawn(board.timeline)
        await pilot.press("x", "y")  # withdraw it
        await pilot.pause()
        assert "next inject in 45m" in drawn(board.clockbar)
        assert "02:52 ◇ backups-mounted" in drawn(board.timeline)


@sync
async def test_countdowns_in_their_last_minutes_keep_the_column_at_80_columns(tmp_path):
    """Watched at 80x24 with the clock at ×60: as "Engage security lead" came within ten minutes, "! in 2m21s" pushed
    every name two columns further in and every due time off its row. Narrow, whole minutes (rounded down) do."""
    async with exercise(tmp_path / "minutes.ttx.jsonl", size=(80, 24)) as (app, pilot):
        panel = app.screen.board.obligations

        def rows() -> list[str]:
            return [line.rstrip() for line in panel.fitted(panel.scrollable_content_region.width).plain.splitlines()]

        app.session.run(1)
        app.wall.t += 27 * 60 + 39  # 02:34:39, 2m21s before 02:37
        app.screen.tick()
        await pilot.pause()
        assert rows()[1:4] == ["! in 2m  Engage security lead", "! in 2m  Notify Dana (IT manager)",
                               "○ in 32m Update Dana 1/11  due 03:07"]
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.pause()
        assert rows()[1].startswith("! in 2m21s Engage security lead")  # wide, the seconds: a live feel


@sync
async def test_deadlines_days_ahead_read_in_hours_at_80_columns(tmp_path):
    """Watched at 80x24 on the NIS2 night: "○ in 1d11h" (the 24- and 72-hour notices) put every row's name two columns
    further in. Narrow, they read whole hours, as the hours ahead do (the regimes count in hours too)."""
    from .pilot import ROOT

    kw = {"scenario": str(ROOT / "scenarios" / "nis2-customer-breach.yaml"),
          "runbook": str(ROOT / "scenarios" / "runbooks" / "sentinel-247.yaml")}
    async with exercise(tmp_path / "days.ttx.jsonl", size=(80, 24), **kw) as (app, pilot):
        panel = app.screen.board.obligations
        rows = panel.fitted(panel.scrollable_content_region.width).plain.splitlines()
        assert rows[0] == "○ in 15m Acknowledge the alert"
        assert [r[:9] for r in rows if "Notify Insurer" in r or "notify-supervisory" in r] == ["○ in 24h ", "○ in 72h "]
        assert "○ in 1d  Notify Insurer (written notice address; cyber_insurer)  due Sun 23:20" in panel.body.plain


@sync
async def test_at_80x24_a_curveball_toast_keeps_to_the_msel_and_says_where_the_rest_is(tmp_path):
    """The IC's do-not-disturb, said as a step goes past it, reached up over the inject at 80x24: cut to the MSEL's
    room like a check, its last line says where the rest is."""
    from textual.widgets._toast import Toast

    app = app_for(tmp_path / "cb.ttx.jsonl", scenario=str(ROOT / "scenarios" / "aitm-token-theft.yaml"),
                  runbook=str(ROOT / "scenarios" / "runbooks" / "keel-fractional-cto.yaml"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:  # toasts are drawn (tests leave them out)
        await pilot.press("s", "s")  # to 02:15, past the curveball at 01:35
        await pilot.pause()
        await pilot.pause()
        (said,) = list(app._notifications)
        assert said.title == "⚡ Curveball" and said.message.endswith("… all of it: Enter on its row")
        board = app.screen.board
        toasts = list(app.screen.query(Toast))
        assert toasts and not any(t.region.overlaps(board.inject.region) for t in toasts)



@sync
async def test_asked_to_end_the_board_toasts_show_once_not_again_at_the_question_s_corner(tmp_path):
    """Watched at 80x24: "✓ #19 resolve" showed on the board (dimmed) and again at the corner of "End the exercise
    now?", over the transcript. The question holds the toasts as a form does; answered no, they are back."""
    from textual.widgets._toast import Toast

    app = app_for(tmp_path / "end.ttx.jsonl")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("s")
        await record(pilot, "a", "enter")
        await pilot.pause()
        board_screen = app.screen
        assert [t._notification.message.split(" at ")[0] for t in board_screen.query(Toast)] == ["✓ #5 acknowledge"]
        await pilot.press("E")
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "Confirm"
        assert not app.screen.query(Toast) and not board_screen.query(Toast)
        await pilot.press("n")
        await pilot.pause()
        await pilot.pause()
        assert [t._notification.message.split(" at ")[0] for t in board_screen.query(Toast)] == ["✓ #5 acknowledge"]
