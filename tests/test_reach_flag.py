"""The board's *reach* flag (a page to a role that is not at work) follows the engine's own rule for when a paged
role answers: its hours, shut on the runbook's public holidays, or an after-hours call-out that covers this
scenario's severity. What the facilitator sees: the flag's words (the toast, the report's departures)."""

from __future__ import annotations

from datetime import date

import yaml

from scoring.departures import departures
from scoring.report import render
from simulator.exercise import open_pair, open_transcript
from simulator.session import Session
from simulator.suggest import suggest
from simulator.timing import holiday_dates
from simulator.transcript import read

from .helpers import base_runbook, base_scenario, of, play_pair

THANKSGIVING = holiday_dates("US", 2026, 2026)[date(2026, 11, 26)]  # its name as the installed `holidays` spells it
DESK = {"name": "Day desk", "fills": ["first_responder"], "hours": "business", "responds": "30m"}


def _live(tmp_path, sc: dict, rb: dict, role: str) -> tuple[Session, list[tuple[str, str]]]:
    """A live exercise: the first inject delivered, `role` paged at once; the flags on that page."""
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc, sort_keys=False))
    (tmp_path / "r.yaml").write_text(yaml.safe_dump(rb, sort_keys=False))
    s = Session.start(open_pair(str(tmp_path / "s.yaml"), str(tmp_path / "r.yaml")), str(tmp_path / "t.ttx.jsonl"),
                      wall=lambda: 0.0, stamp=lambda: "2026-11-22T10:00:00.000Z")
    s.step()
    page = next(e for e in s.record("page", role=role) if e.type == "page")
    s.close()
    return s, [(d.aspect, d.text) for d in departures(s.sc, s.rb, s.events) if d.seq == page.seq]


def test_a_page_in_hours_on_a_public_holiday_is_flagged_naming_the_holiday(tmp_path):
    sc = base_scenario(starts="2026-11-26T10:00:00", horizon="2d")  # Thanksgiving, a Thursday, 10:00: in business hours
    s, flags = _live(tmp_path, sc, base_runbook(roles={"desk": DESK}, holidays="US"), "desk")
    text = f"Day desk (desk) works business hours, closed on Thu 26 Nov, {THANKSGIVING} (US public holiday): paged at Thu 10:00"
    assert flags == [("reach", text)]
    # played as stated, the engine answers the same page when Friday's hours open, for the same reason
    page = of(play_pair(sc, base_runbook(roles={"desk": DESK}, holidays="US"))[0], "page", role="desk")[0]
    assert (s.sc.clock().label(page.get("answers_at")), page.get("holiday")) == ("Fri 08:30", f"Thu 26 Nov, {THANKSGIVING}")
    md = render(open_transcript(read(s.path)), "md")
    assert f"| reach | Day desk (desk) works business hours, closed on Thu 26 Nov, {THANKSGIVING} (US public holiday)" in md
    # without the runbook's holidays the desk is at work: no flag
    assert _live(tmp_path / "plain", sc, base_runbook(roles={"desk": DESK}), "desk")[1] == []


def test_a_night_page_whose_call_out_covers_another_severity_is_flagged(tmp_path):
    # 02:00 on a Saturday, P2; the desk is called out after hours for P1 only: nobody is paid to answer now
    sc = base_scenario(severity="P2")
    desk = DESK | {"after_hours": {"responds": "45m", "severity": ["P1"]}}
    _, flags = _live(tmp_path, sc, base_runbook(roles={"desk": desk}, sla={"P2": {"acknowledge": "1h"}}), "desk")
    assert flags == [("reach", "Day desk (desk) works business hours: paged outside them at Sat 02:00; "
                               "its after-hours call-out covers P1 only, not this P2")]


def test_a_night_page_the_call_out_covers_is_not_flagged(tmp_path):
    sc = base_scenario(severity="P2")
    desk = DESK | {"after_hours": {"responds": "45m", "severity": ["P1", "P2"]}}
    rb = base_runbook(roles={"desk": desk}, sla={"P2": {"acknowledge": "1h"}})
    assert _live(tmp_path, sc, rb, "desk")[1] == []
    # played as stated, the engine has the call-out answer it: the same rule
    page = of(play_pair(sc, rb)[0], "page", role="desk")[0]
    assert (page.get("after_hours"), page.get("answers_at")) == (True, 45 * 60)


def test_the_page_form_offers_the_role_at_work_by_the_same_rule(tmp_path):
    # Thanksgiving 10:00: the desk's hours are shut for the holiday, the on-call line works around the clock.
    # The page form's default is the role the flag would not question.
    oncall = {"name": "On-call", "fills": ["first_responder"], "hours": "always", "responds": "20m"}
    sc = base_scenario(starts="2026-11-26T10:00:00", horizon="2d")
    s, _ = _live(tmp_path, sc, base_runbook(roles={"desk": DESK, "oncall": oncall}, holidays="US"), "oncall")
    from simulator.engine import World

    world = World(s.sc, s.rb, s.sc.clock())
    assert suggest("page", s.sc, s.rb, world, [], [], 0) == {"role": "oncall"}


def test_a_page_out_of_reach_is_judged_at_the_answer_the_candidate_said(tmp_path):
    """AiTM x Ridgeline, watched at 80x24: the fractional CISO's phone is on do-not-disturb 01:35-02:35. The engineer
    pages him at 02:00 and the candidate says he calls back at 02:40: nothing to push back on (the late engagement is
    scored). Said to call back at 02:10, the answer cannot come (⚠ at once, ⚑ who answers instead); with no answer
    said, only ⚑ asks."""
    from pathlib import Path

    from simulator.board import warnings

    lib = Path(__file__).resolve().parent.parent / "scenarios"
    pair = open_pair(str(lib / "aitm-token-theft.yaml"), str(lib / "runbooks" / "ridgeline-fractional-ciso.yaml"))
    s = Session.start(pair, str(tmp_path / "t.ttx.jsonl"), wall=lambda: 0.0, stamp=lambda: "2026-11-22T10:00:00.000Z")
    s.step()
    said: dict[str, tuple[list[str], list[str]]] = {}
    for answers in ("02:40", "02:10", ""):
        page = next(e for e in s.record("page", when="02:00", role="fractional_ciso", answers=answers) if e.type == "page")
        flags = [d.text for d in departures(s.sc, s.rb, s.events) if d.seq == page.seq]
        said[answers] = (warnings([page], s.sc, s.rb, s.world, s.clock, s.names, lambda e: s.card).get(page.seq, []), flags)
    s.close()
    assert said["02:40"] == ([], [])
    assert said["02:10"] == (["Fractional CISO (fractional_ciso) is unreachable until Sun 02:35 (curveball-1)"],
                             ["Fractional CISO (fractional_ciso) is unreachable until Sun 02:35 (curveball-1): an answer at "
                              "Sun 02:10 cannot come; who answers instead?"])
    assert said[""] == ([], ["Fractional CISO (fractional_ciso) is unreachable now (curveball-1): who answers instead?"])
