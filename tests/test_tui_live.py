"""Issue 14: live facilitation that holds up in a real meeting (Pilot tests, one per bug)."""

from __future__ import annotations

from pathlib import Path

from textual import events

from simulator.exercise import verify
from simulator.transcript import read
from simulator.tui.app import make_app

from .test_tui import FakeWall, app_for, record, stamp, sync

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = str(ROOT / "scenarios" / "ransomware-fileserver.yaml")
RUNBOOK = str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")


def burst(app, key: str, n: int, character: str | None = None) -> None:
    """n key presses queued at once, as a fast typist (or a stuck key) sends them: nothing runs in between."""
    for _ in range(n):
        app.post_message(events.Key(key, character))


@sync
async def test_rapid_enter_in_a_form_records_once_and_never_crashes(tmp_path):
    path = tmp_path / "rapid.ttx.jsonl"
    app = app_for(path)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("s")
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
    app = app_for(path)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("s")
        await record(pilot, "p", "tab", "+20m", "enter")
        await pilot.pause()
        page = next(e for e in read(str(path)).events if e.type == "page")
        messages = [n.message for n in app._notifications]
        assert f"#{page.seq} page at Sat 02:07" in messages


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
        inject, obligations = screen.query_one("#inject-body"), screen.query_one("#obligations-body")
        assert "backups-mounted" in inject.visual.plain
        log = screen.log_view
        note_row = next(i for i, e in enumerate(log.events) if e.seq == note.seq)
        assert "withdrawn" in log._row(note_row).plain
        await pilot.press("home")
        await pilot.pause()
        assert "No inject yet" in inject.visual.plain
        assert obligations.visual.plain == "Nothing is due yet."
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
        assert card.result("edr-alert/engage:security_lead").reason in body  # the whole reason, not cut at a column
        await pilot.press("escape", "l")
        await pilot.pause()
        assert type(app.screen).__name__ == "TranscriptView"
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
