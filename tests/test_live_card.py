"""The live board's "if it ended now" card is kept while the clock runs until its judgement can turn (Session.card):
it must be, at every moment, the card judged afresh."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.scorecard import judged
from simulator import session as session_mod
from simulator.exercise import open_pair
from simulator.session import Session

from .pilot import RUNBOOK, SCENARIO, FakeWall, stamp

PAIR = open_pair(SCENARIO, RUNBOOK)


def running(folder: str) -> tuple[Session, FakeWall]:
    """The ransomware night at its first inject (02:07) with answers that put due times, planned messages and update
    gaps before the clock, then running in real time (×1: a wall second is a simulated one)."""
    wall = FakeWall()
    s = Session.start(PAIR, str(Path(folder) / "live.ttx.jsonl"), wall=wall, stamp=stamp)
    s.step()
    s.record("acknowledge", when="+10m", by="noc_tier2")  # declared 02:17: the plan's messages are timed from it
    s.record("page", role="soc_manager", answers="+50m")
    s.record("notify", when="+40m", stakeholder="client_it_lead", via="phone", by="vcto")  # late: due 02:37
    s.record("update", when="+2h", stakeholder="client_it_lead", via="email", by="vcto")
    s.record("act", when="+3h", task="isolate-host", by="noc_tier2")
    s.run(1)
    return s, wall


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=12 * 3600), min_size=1, max_size=40))
def test_the_kept_card_is_the_card_judged_afresh_at_every_moment(steps):
    """Clock times drawn over the whole night, in the order the clock reaches them: many in one minute, some across a
    due time, a planned message's time, the horizon."""
    with tempfile.TemporaryDirectory() as folder:
        s, wall = running(folder)
        start = wall.t
        for t in sorted(steps):
            wall.t = start + t
            assert s.card == judged(s.facts.at(s.now), None, "live"), s.label()
        s.close()


def test_the_card_is_judged_again_only_when_it_can_turn(tmp_path, monkeypatch):
    """Declared at 02:07:30, the plan phones Dana by 02:37:30; her notification falls due at 02:37:00. Within the
    minute 02:37 the card is judged at 02:37:10, kept at 02:37:20 (the clock's now restamped on it), judged again at
    02:37:30 when the plan's time passes (the missed notification's reason stops saying "after the end"), kept at
    02:37:45; judged again at 02:38 (the reasons say the minute) and after a write."""
    calls: list[int | None] = []

    def counted(facts, rubric=None, mode="auto"):
        calls.append(facts.stopped)
        return judged(facts, rubric, mode)

    wall = FakeWall()
    s = Session.start(PAIR, str(tmp_path / "live.ttx.jsonl"), wall=wall, stamp=stamp)
    s.step()
    s.run(1)
    start = wall.t
    assert s.now == 0 and s.label() == "Sat 02:07 CDT"
    wall.t = start + 30
    s.record("acknowledge", by="noc_tier2")  # 02:07:30
    monkeypatch.setattr(session_mod, "judged", counted)
    notify = "edr-alert/notify:client_it_lead"
    reasons = {}
    for m, sec in ((30, 10), (30, 20), (30, 30), (30, 45), (31, 0)):
        wall.t = start + m * 60 + sec
        card = s.card
        assert card == judged(s.facts.at(s.now), None, "live") and card.stopped == s.now
        reasons[s.clock.label(s.now), sec] = card.result(notify).reason
    assert calls == [30 * 60 + 10, 30 * 60 + 30, 31 * 60]  # seconds since 02:07:00
    assert "after the end (Sat 02:37)" in reasons["Sat 02:37", 20]
    assert "after the end" not in reasons["Sat 02:37", 30]
    s.record("note", text="a write")
    assert s.card == judged(s.facts.at(s.now), None, "live")
    assert len(calls) == 4
    s.close()
