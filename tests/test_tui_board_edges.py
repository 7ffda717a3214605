"""Rough edges a facilitator met on the live board (issue 14): Pilot tests of what the screen says."""

from __future__ import annotations

from .pilot import ROOT, exercise, sync

HOLIDAY = str(ROOT / "scenarios" / "holiday-night-ransomware.yaml")
COBALT = str(ROOT / "scenarios" / "runbooks" / "cobalt-msp-247-addon.yaml")


def drawn(panel) -> list[str]:
    return [line.rstrip() for line in panel.fitted(panel.scrollable_content_region.width).plain.splitlines()]


@sync
async def test_an_obligation_the_runbook_gives_no_time_for_is_not_promised_not_late(tmp_path):
    """Cobalt promises no containment time: at 23:40, the first minute, the board said "1 late" for "Do isolate-host",
    as if the room had been slow. It is missed by SPEC's rule (no promise), and the board says that instead."""
    async with exercise(tmp_path / "cobalt.ttx.jsonl", scenario=HOLIDAY, runbook=COBALT) as (app, pilot):
        panel = app.screen.board.obligations
        assert app.session.label() == "Thu 23:40 CST"
        assert panel.border_title == "Obligations · 7 open · 1 not promised"
        (row,) = [line for line in drawn(panel) if "isolate-host" in line]
        assert row.split() == ["∅", "not", "promised", "Do", "isolate-host"]
        # the score is as it was: missed, no credit, with the reason the report gives
        (r,) = [r for r in app.session.card.results if r.id == "dispatch-encrypted/act:isolate-host"]
        assert (r.status, r.credit, r.unmeasurable) == ("missed", 0.0, True)
        app.session.run(60)
        app.wall.t += 45  # 45 simulated minutes: the engage and the notify (30m) are late, the acknowledge (1h) is not
        app.screen.tick()
        await pilot.pause()
        assert panel.border_title == "Obligations · 7 open · 2 late · 1 not promised"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert [line for line in drawn(panel) if "isolate-host" in line] == ["∅ not promised Do isolate-host"]
