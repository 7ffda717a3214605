"""SVG snapshots of every screen at 80x24 and 160x48, and untrusted scenario text shown literally.

The wall clock and the `created` stamp are frozen (injected fakes), so the
simulated clock never moves and the screens are the same on every run.
Regenerate after an intended change with `pytest tests/test_tui_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from simulator.tui.app import make_app

from .pilot import ROOT, RUNBOOK, SCENARIO, FakeWall, app_for, stamp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


def exercise_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scenario: str = SCENARIO):
    monkeypatch.chdir(tmp_path)  # the transcript path shown on screen is then the same everywhere
    return app_for("snap.ttx.jsonl", scenario=scenario)


async def midway(pilot) -> None:
    """Both injects delivered and a few actions recorded, some late."""
    app = pilot.app
    s = app.session
    s.step()
    s.record("acknowledge", when="+20m", by="noc_tier2")
    s.record("page", role="soc_manager", answers="+40m")
    s.record("notify", when="+25m", stakeholder="client_it_lead", via="phone", by="vcto")
    s.step()
    s.record("update", stakeholder="ceo", via="email", by="vcto")
    s.record("note", text="Candidate asked who owns the backup share")
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_picker(snap_compare, size, tmp_path, monkeypatch):
    # a fixed library (the SPEC example files), so new shipped scenarios do not change the picture
    lib = tmp_path / "library"
    (lib / "runbooks").mkdir(parents=True)
    (lib / "ransomware.yaml").write_text((ROOT / "tests" / "fixtures" / "spec_scenario.yaml").read_text())
    (lib / "runbooks" / "acme.yaml").write_text((ROOT / "tests" / "fixtures" / "spec_runbook.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    app = make_app(library="library", wall=FakeWall(), stamp=stamp)
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_exercise(snap_compare, size, tmp_path, monkeypatch):
    assert snap_compare(exercise_app(tmp_path, monkeypatch), terminal_size=size, run_before=midway)


@pytest.mark.parametrize("size", SIZES)
def test_action_form_with_evaluator_fields(snap_compare, size, tmp_path, monkeypatch):
    """The notify form: defaults from the state of the exercise, "now" frozen and said so, the evaluator's fields."""
    async def form(pilot) -> None:
        await midway(pilot)
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(exercise_app(tmp_path, monkeypatch), terminal_size=size, run_before=form)


LONG_INJECT = str(ROOT / "scenarios" / "bec-wire-fraud.yaml")  # its first inject: 17 lines at 80x24, the board shows 8


async def first_inject(pilot) -> None:
    pilot.app.session.step()
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


def test_an_inject_taller_than_its_panel_says_so_at_80x24(snap_compare, tmp_path, monkeypatch):
    """The bottom border counts the lines below the view and names the key that shows the whole inject."""
    assert snap_compare(exercise_app(tmp_path, monkeypatch, scenario=LONG_INJECT), terminal_size=(80, 24), run_before=first_inject)


def test_the_whole_inject_at_80x24(snap_compare, tmp_path, monkeypatch):
    async def read(pilot) -> None:
        await first_inject(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(exercise_app(tmp_path, monkeypatch, scenario=LONG_INJECT), terminal_size=(80, 24), run_before=read)


def test_hotwash_form(snap_compare, tmp_path, monkeypatch):
    async def hotwash(pilot) -> None:
        await midway(pilot)
        await pilot.press("E", "y")
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()  # the confirmation's fade, on a busy machine
        await pilot.pause()

    assert snap_compare(exercise_app(tmp_path, monkeypatch), terminal_size=(80, 24), run_before=hotwash)


@pytest.mark.parametrize("size", SIZES)
def test_results(snap_compare, size, tmp_path, monkeypatch):
    async def ended(pilot) -> None:
        await midway(pilot)
        pilot.app.session.end("stopped")
        pilot.app.show_results()
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(exercise_app(tmp_path, monkeypatch), terminal_size=size, run_before=ended)


@pytest.mark.parametrize("size", SIZES)
def test_replay(snap_compare, size, tmp_path, monkeypatch):
    from simulator.exercise import open_pair, run_auto

    monkeypatch.chdir(tmp_path)
    Path("auto.ttx.jsonl").write_text(run_auto(open_pair(SCENARIO, RUNBOOK)).transcript)
    app = make_app(replay="auto.ttx.jsonl")
    # back to the moment the second inject arrived
    assert snap_compare(app, terminal_size=size, press=["home", "]", "]"])


HOSTILE = """\
ttx: scenario/v1
id: hostile
title: "[bold red]Owned[/] [link=https://evil.example]click[/link] [@click=app.quit]quit[/]"
summary: "[/ unbalanced"
severity: P1
starts: 2026-03-14T02:07:00
timezone: America/Chicago
horizon: 2h
stakeholders:
  client_it_lead: {name: "[blink]Dana[/blink] \\e[31mred\\e[0m", channels: [phone]}
injects:
  - id: alert
    at: 0m
    source: "[i]mon[/i]"
    message: "Files renamed [/] \\e[2J\\e]8;;https://evil.example\\e\\\\link\\e]8;;\\e\\\\ $who [b]$x[/b]"
    expects:
      - acknowledge: {within: 15m}
      - notify: client_it_lead
        within: 30m
    questions:
      - "[reverse]Who[/reverse] decides? [/"
"""


def test_markup_in_scenario_text_renders_literally(snap_compare, tmp_path, monkeypatch):
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE)
    app = exercise_app(tmp_path, monkeypatch, scenario=str(path))

    async def check(pilot) -> None:
        await midway_hostile(pilot)
        body = pilot.app.screen.query_one("#inject").body
        text = body.plain
        assert "Files renamed [/]" in text and "[b]$x[/b]" in text and "$who" in text
        assert "<U+001B>[2J" in text and "\x1b" not in text  # escapes are shown, never sent to the terminal
        assert "[reverse]Who[/reverse] decides? [/" in text
        assert not any("reverse" in str(sp.style) or "link" in str(sp.style) for sp in body.spans)
        title = pilot.app.screen.query_one("#clockbar").what.plain
        assert "[bold red]Owned[/] [link=https://evil.example]click[/link] [@click=app.quit]quit[/]" in title
        assert pilot.app.is_running  # the [@click=app.quit] text is not an action

    assert snap_compare(app, terminal_size=(80, 24), run_before=check)


async def midway_hostile(pilot) -> None:
    s = pilot.app.session
    s.step()
    s.record("notify", stakeholder="client_it_lead", via="phone")
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


def test_picker_shows_hostile_library_text_literally(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    (lib / "runbooks").mkdir(parents=True)
    (lib / "hostile.yaml").write_text(HOSTILE)
    monkeypatch.chdir(tmp_path)

    async def run() -> None:
        app = make_app(library="lib", wall=FakeWall(), stamp=stamp)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            ol = app.screen.query_one("#scenario-list")
            prompt = ol.get_option_at_index(0).prompt
            assert "[bold red]Owned[/]" in prompt.plain and "[/ unbalanced" in prompt.plain

    asyncio.run(run())


def test_toasts_show_file_text_literally(tmp_path, monkeypatch):
    """A load error quoting the file (here `[/`) is shown as written, not parsed as markup."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("[/ not a scenario [@click=app.quit]x[/]\n")
    monkeypatch.chdir(tmp_path)

    async def run() -> None:
        app = make_app(library=str(tmp_path), wall=FakeWall(), stamp=stamp)
        async with app.run_test(size=(100, 30)) as pilot:
            app.screen.scenario = str(bad)
            app.screen.runbook = RUNBOOK
            await app.screen.run_action("start")  # the scenario does not load: a toast says why
            await pilot.pause()
            assert app.is_running and type(app.screen).__name__ == "PickerScreen"
            (note,) = list(app._notifications)
            assert note.markup is False and "bad.yaml" in note.message

    asyncio.run(run())
