"""The live-session core: clock, delivery, recording, corrections, resume, lock (no screen involved)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.scorecard import to_dict
from simulator.exercise import open_pair, rescore, verify
from simulator.replay import Replay
from simulator.session import Session, SessionError, parse_stamp
from simulator.suggest import suggest
from simulator.transcript import TranscriptError, read

from .helpers import m_

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = str(ROOT / "scenarios" / "ransomware-fileserver.yaml")
RUNBOOK = str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")


class FakeWall:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def stamp() -> str:
    return "2026-11-22T10:00:00.000Z"


@pytest.fixture
def pair():
    return open_pair(SCENARIO, RUNBOOK)


@pytest.fixture
def wall():
    return FakeWall()


@pytest.fixture
def session(pair, wall, tmp_path):
    s = Session.start(pair, str(tmp_path / "live.ttx.jsonl"), wall=wall, stamp=stamp)
    yield s
    s.close()


def warned_lines(session, events) -> list[str]:
    """What the board marks ⚠ on these rows, each line once, in order."""
    return list(dict.fromkeys(w for said in session.warned(events).values() for w in said))


def lines(path: str) -> list[dict]:
    return [json.loads(x) for x in Path(path).read_text().splitlines()]


def types(events) -> list[str]:
    return [e.type for e in events]


def test_clock_starts_paused_in_scenario_local_time(session, wall):
    assert session.label() == "Sat 02:07 CDT"
    assert session.mode == "paused"
    wall.t += 600
    assert session.now == 0  # paused: real time passing changes nothing
    assert session.tick() == []


def test_running_clock_delivers_curveballs_then_injects_as_time_passes(session, wall):
    session.run(10)
    delivered = session.tick()
    assert types(delivered) == ["curveball", "inject"]  # curveball first at the same instant, like the engine
    assert delivered[1].get("id") == "edr-alert"
    wall.t += 120  # 2 real minutes at ×10 = 20 simulated minutes: the unreachable curveball ends
    assert session.now == 1200
    assert types(session.tick()) == ["curveball_end"]
    assert session.label() == "Sat 02:27 CDT"
    session.run(60)
    wall.t += 25  # 25 s at ×60 = 25 min more: 45m, the backups-mounted inject (isolate-host not done)
    ev = session.tick()
    assert [e.get("id") for e in ev if e.type == "inject"] == ["backups-mounted"]
    assert session.pause()[-1].get("action") == "pause"
    wall.t += 1000
    assert session.now == 2700


def test_conditional_inject_is_held_when_the_recorded_act_makes_it_moot(session):
    session.step()  # to 0m: edr-alert
    session.record("act", task="isolate-host", by="noc_tier2")
    ev = session.step()  # to 45m
    held = [e for e in ev if e.type == "inject_held"]
    assert held and held[0].get("id") == "backups-mounted"
    assert "isolate-host was done" in held[0].get("reason")
    assert [t.state for t in session.timeline() if t.id == "backups-mounted"] == ["held"]


def test_retracted_act_does_not_hold_the_conditional_inject(session):
    session.step()
    (act,) = session.record("act", task="isolate-host", by="noc_tier2")
    session.retract(act.seq)
    ev = session.step()
    assert [e.get("id") for e in ev if e.type == "inject"] == ["backups-mounted"]


def test_every_event_is_on_disk_when_record_returns(session):
    session.step()
    written = session.record("notify", stakeholder="client_it_lead", via="phone", by="vcto")
    on_disk = lines(session.path)
    assert on_disk[0]["mode"] == "live" and "created" in on_disk[0]
    assert on_disk[-1]["seq"] == written[-1].seq
    assert on_disk[-1]["type"] == "notify" and on_disk[-1]["delivered"] is True
    assert all("wall" in rec for rec in on_disk[1:])
    assert verify(read(session.path)) == []


def test_messages_use_the_engine_delivery_rule(session, wall):
    session.step()
    session.step()
    session.run(60)
    wall.t += 15  # 15 min at ×60: 1h, email goes down
    session.tick()
    (upd,) = session.record("update", stakeholder="client_it_lead", via="email", by="vcto")
    assert upd.get("delivered") is False and "email is down" in upd.get("why")
    (ceo,) = session.record("update", stakeholder="ceo", via="email", by="vcto")
    assert ceo.get("delivered") is False and "takes only phone" in ceo.get("why")


def test_stamped_offset_and_scoring_of_a_short_exercise(session):
    session.step()  # 02:07 edr-alert
    session.record("acknowledge", by="noc_tier2", when="+10m")
    session.record("page", role="soc_manager", answers="+20m")
    session.record("notify", stakeholder="client_it_lead", via="phone", by="vcto", when="+15m")
    session.record("act", task="isolate-host", by="noc_tier2", when="+30m")
    card = session.card
    ack = card.result("edr-alert/acknowledge")
    assert (ack.status, ack.done_at) == ("met", 600)
    assert card.result("edr-alert/engage:security_lead").status == "met"
    assert card.result("edr-alert/notify:client_it_lead").status == "met"
    assert card.mode == "live"
    # the +30m act happens before 45m, so the conditional inject is held
    ev = session.step()
    assert "inject_held" in types(ev)
    # stamped events remember when they were said
    recs = lines(session.path)
    ack_rec = next(r for r in recs[1:] if r["type"] == "acknowledge")
    assert ack_rec["t"] == 600 and ack_rec["stamped"] == 0


def test_obligation_countdowns_turn_soon_then_late(session, wall):
    session.step()
    ob = {o.id: o for o in session.obligations()}["edr-alert/acknowledge"]
    assert (ob.status, ob.remaining, ob.urgency) == ("open", 900, "ok")
    session.run(10)
    wall.t += 66  # 11 simulated minutes: 4 left of 15
    ob = {o.id: o for o in session.obligations()}["edr-alert/acknowledge"]
    assert ob.urgency == "soon" and ob.remaining == 240
    wall.t += 30  # 5 more minutes: 1 minute late
    ob = {o.id: o for o in session.obligations()}["edr-alert/acknowledge"]
    assert (ob.status, ob.urgency, ob.remaining) == ("overdue", "late", -60)
    session.record("acknowledge", by="noc_tier2")
    ob = {o.id: o for o in session.obligations()}["edr-alert/acknowledge"]
    assert (ob.status, ob.urgency, ob.planned) == ("late", "done", False)
    session.record("notify", when="+10m", stakeholder="client_it_lead", via="phone")
    ob = {o.id: o for o in session.obligations()}["edr-alert/notify:client_it_lead"]
    assert (ob.status, ob.planned) == ("met", True)  # said to happen in 10 minutes: shown as planned


def test_edit_is_a_retract_plus_a_new_event_and_nothing_is_rewritten(session):
    session.step()
    (note,) = session.record("note", text="candidate hesitates")
    before = Path(session.path).read_text()
    session.amend(note.seq, "note", text="candidate hesitates, then calls the vCTO")
    after = Path(session.path).read_text()
    assert after.startswith(before)  # append-only
    recs = lines(session.path)
    assert recs[-2]["type"] == "retract" and recs[-2]["target"] == note.seq
    assert recs[-1]["type"] == "note" and "vCTO" in recs[-1]["text"]
    with pytest.raises(SessionError):
        session.retract(note.seq)  # already withdrawn
    inject_seq = next(e.seq for e in session.events if e.type == "inject")
    with pytest.raises(SessionError, match="cannot be withdrawn"):
        session.retract(inject_seq)


def test_an_answer_stamped_before_those_recorded_counts_first_as_in_the_report(session):
    """The live score is kept up to date as events are written; one said later but stamped earlier (a form
    opened minutes ago, a "-5m") is still the first in simulated time, as re-scoring the file says."""
    session.step()  # 02:07 edr-alert
    session.record("acknowledge", by="noc_tier1", when="+40m")
    assert session.card.result("edr-alert/acknowledge").status == "late"
    session.record("acknowledge", by="noc_tier2", when="+10m")
    ack = session.card.result("edr-alert/acknowledge")
    assert (ack.status, ack.done_at) == ("met", 600)
    assert "noc_tier2" in ack.reason
    _, card = rescore(read(session.path))
    assert to_dict(card) == to_dict(session.card)


def test_deleting_an_acknowledgement_changes_the_score(session):
    session.step()
    ev = session.record("acknowledge", by="noc_tier2")
    assert session.card.result("edr-alert/acknowledge").status == "met"
    session.retract(ev[-1].seq)
    # not done, and not due until 02:22: open on the "if it ended now" card; once the clock passes 02:22, missed
    assert session.card.result("edr-alert/acknowledge").status == "open"
    session.record("note", "+15m", text="later")  # the clock is paused; a note stamped ahead does not move it
    session.run()
    session.wall.t += 16 * 60
    assert session.card.result("edr-alert/acknowledge").status == "missed"


def test_resume_continues_where_it_stood_with_the_chain_intact(pair, wall, tmp_path):
    path = str(tmp_path / "r.ttx.jsonl")
    s = Session.start(pair, path, wall=wall, stamp=stamp)
    s.step()
    s.record("acknowledge", by="noc_tier2", when="+5m")
    s.run(60)
    wall.t += 10  # 10 simulated minutes
    s.tick()
    s.close()  # a clean quit pauses the clock so the time is kept
    r = Session.resume(path, wall=wall, stamp=stamp)
    try:
        assert r.now == 600 and r.mode == "paused"
        assert r.card.result("edr-alert/acknowledge").status == "met"
        ev = r.step()  # the next cue is the curveball end, then backups-mounted, not edr-alert again
        assert [e.get("id") for e in ev if e.type == "inject"] == ["backups-mounted"]
        assert sum(1 for e in r.events if e.type == "inject" and e.get("id") == "edr-alert") == 1
    finally:
        r.close()
    assert verify(read(path)) == []


def test_resume_drops_a_torn_last_line_and_says_so(pair, wall, tmp_path):
    path = str(tmp_path / "torn.ttx.jsonl")
    s = Session.start(pair, path, wall=wall, stamp=stamp)
    s.step()
    s.record("note", text="one")
    s.writer.fh.write('{"seq": 99, "t": 0, "ty')  # power cut mid-write
    s.writer.fh.flush()
    s.writer.close()
    s.lock.release()
    r = Session.resume(path, wall=wall, stamp=stamp)
    try:
        assert r.truncated
        r.record("note", text="two")
    finally:
        r.close()
    assert verify(read(path)) == []
    assert [x.get("text") for x in read(path).events if x.type == "note"] == ["one", "two"]


def test_two_sessions_cannot_write_one_transcript(session):
    with pytest.raises(TranscriptError, match="locked"):
        Session.resume(session.path)


def test_existing_output_is_never_overwritten(pair, session):
    with pytest.raises(TranscriptError, match="already exists"):
        Session.start(pair, session.path)


def test_auto_transcripts_cannot_be_resumed(tmp_path, pair):
    from simulator.exercise import run_auto

    path = tmp_path / "auto.ttx.jsonl"
    path.write_text(run_auto(pair).transcript)
    with pytest.raises(TranscriptError, match="only live"):
        Session.resume(str(path))


def test_reaching_the_horizon_ends_the_exercise(session, wall):
    session.run(60)
    wall.t += 13 * 60  # 13 simulated hours, past the 12h horizon
    ev = session.tick()
    assert ev[-1].type == "end" and ev[-1].t == 12 * 3600
    assert session.ended
    with pytest.raises(SessionError, match="ended"):
        session.record("note", text="too late")


def test_the_update_gap_stops_running_once_service_is_restored(session, wall):
    """Updates are due until service is restored: after that the board shows the gap as the ended exercise will."""
    session.step()  # 02:07 edr-alert
    session.record("update", stakeholder="client_it_lead", via="phone", by="vcto", when="+50m")
    session.record("resolve", when="+3h")
    session.run(60)
    wall.t += 240  # four hours at x60
    session.tick()
    gap = next(p for p in session.promises() if p.metric.startswith("update client_it_lead"))
    assert session.now == 4 * 3600 and not session.ended
    assert (gap.live, gap.running) == (2 * 3600 + 10 * 60, None)  # 02:57 to the restore at 05:07, not on to 06:07


def test_the_running_update_gap_starts_with_its_series_as_the_final_one_does(tmp_path, wall):
    """With the update series moved to the second inject (02:52), the board shows no gap before then, and from
    then on the gap since 02:52: the figure the ended exercise will give, not one counted from the first inject."""
    text = Path(SCENARIO).read_text()
    series = "      - update: client_it_lead\n        every: sla.update         # standing cadence until resolution or horizon\n"
    assert series in text
    moved = text.replace(series, "").replace("      - act: isolate-host\n        within: 15m\n",
                                              "      - act: isolate-host\n        within: 15m\n" + series)
    path = tmp_path / "moved.yaml"
    path.write_text(moved)
    s = Session.start(open_pair(str(path), RUNBOOK), str(tmp_path / "live.ttx.jsonl"), wall=wall, stamp=stamp)
    try:
        s.step()  # 02:07 edr-alert: Dana's updates are not due yet
        gap = next(p for p in s.promises() if p.kind == "update")
        assert (gap.live, gap.running) == (None, None)
        s.step()  # 02:52 backups-mounted: the series begins
        s.run(60)
        wall.t += 30  # half an hour at x60
        s.tick()
        gap = next(p for p in s.promises() if p.kind == "update")
        assert s.label() == "Sat 03:22 CDT" and gap.running == 30 * 60
    finally:
        s.close()


def test_promised_vs_delivered_pairs_as_stated_and_live(session):
    session.step()
    session.record("acknowledge", by="noc_tier2", when="+5m")
    rows = {p.metric: p for p in session.promises()}
    ack = rows["acknowledge"]
    assert (ack.promised, ack.as_stated, ack.live) == ("15m", 35 * 60, 300)
    restore = rows["restore"]
    assert restore.promised == "4h" and restore.as_stated == 350 * 60 and restore.live is None
    # the board's words for each row: people by the files' names
    assert rows["update client_it_lead (longest gap)"].label == "Updates to Dana (IT manager; client_it_lead) (longest gap)"
    assert rows["engage security_lead"].label == "Engage security lead"


def test_bad_inputs_are_refused_with_a_reason(session):
    session.step()
    with pytest.raises(SessionError, match="stakeholder"):
        session.record("notify", via="phone")
    with pytest.raises(SessionError, match="expected now"):
        session.record("note", when="soon", text="x")
    with pytest.raises(SessionError, match="speed"):
        session.run(7)
    # 13h on a 12-hour horizon: refused with when it would land, not recorded at the horizon as if done sooner
    with pytest.raises(SessionError, match=r"^that is Sat 14 Mar 15:07, after the end of the scenario \(Sat 14 Mar 14:07\): "
                                           "nothing after it is recorded$"):
        session.record("resolve", when="+13h")
    assert not [e for e in session.events if e.type == "resolve"]
    # before the start: refused the same way, not moved to the start as if said then
    with pytest.raises(SessionError, match=r"^that is Sat 14 Mar 01:37, before the scenario starts \(Sat 14 Mar 02:07\): "
                                           "give a time from then on$"):
        session.record("acknowledge", when="-30m", by="noc_tier2")
    with pytest.raises(SessionError, match=r"^that is Sat 14 Mar 01:50, before the scenario starts"):
        session.record("acknowledge", when="01:50", by="noc_tier2")
    # an answer before its page: refused, not moved to the page's time
    session.record("note", when="+20m", text="the clock is still at the start")
    with pytest.raises(SessionError, match=r"^the answer is Sat 14 Mar 02:17, before the page \(Sat 14 Mar 02:27\): "):
        session.record("page", when="+20m", role="vcto", answers="02:17")
    assert not [e for e in session.events if e.type in ("acknowledge", "page", "answer")]
    session.record("page", when="+20m", role="vcto", answers="02:27")  # answered as paged: recorded
    assert [session.label(e.t) for e in session.events if e.type in ("page", "answer")] == ["Sat 02:27 CDT"] * 2


def test_parse_stamp():
    assert parse_stamp("now") == 0 and parse_stamp("") == 0
    assert parse_stamp("+20m") == 1200 and parse_stamp("-5m") == -300 and parse_stamp("+1h30m") == 5400
    with pytest.raises(SessionError):
        parse_stamp("20")


def test_when_takes_the_clock_time_the_candidate_says(session):
    """"He calls back ten minutes after the page at 06:15": the facilitator types 06:25, not +Nm against the clock."""
    session.step()  # Sat 02:07, the first inject
    ack = session.record("acknowledge", when="02:31", by="noc_tier2")[-1]
    assert (ack.t, session.clock.label(ack.t), ack.get("stamped")) == (24 * 60, "Sat 02:31", 0)
    page = session.record("page", when="Sat 02:40", role="vcto", answers="03:05")
    assert [(e.type, session.clock.label(e.t)) for e in page] == [("page", "Sat 02:40"), ("answer", "Sat 03:05")]
    session.run(60)
    session.wall.t += 60  # a minute at ×60: 03:07 on the board
    done = session.record("act", when="02:55", task="isolate-host", by="noc_tier2")[-1]  # "we did that at 02:55"
    assert session.clock.label(done.t) == "Sat 02:55" and done.get("stamped") == 60 * 60
    for typed, why in (("25:00", "not a time of day"), ("Fun 02:30", "not a day of the week"), ("2:3", "expected now")):
        with pytest.raises(SessionError, match=why):
            session.record("note", when=typed, text="x")


def test_a_clock_time_is_the_nearest_that_reads_so_and_never_one_the_clocks_skip():
    from datetime import datetime

    from simulator.timing import Clock, zone

    chicago = zone("America/Chicago")
    late = Clock(datetime(2026, 3, 14, 23, 50), chicago)  # Sat 23:50
    assert late.clock_time("00:10", 0) == 20 * 60  # ten minutes ahead, past midnight
    assert late.clock_time("23:40", 0) == -10 * 60  # ten minutes ago
    assert late.clock_time("12:00", 0) == -(11 * 3600 + 50 * 60)  # Sat noon (11h50 ago), not Sun noon (12h10 ahead)...
    assert late.clock_time("Sun 12:00", 0) == 12 * 3600 + 10 * 60  # ...unless the day is said
    assert late.clock_time("monday 09:00", 0) == (24 + 9) * 3600 + 10 * 60
    assert late.clock_time("+20m", 0) is None
    spring = Clock(datetime(2026, 3, 8, 1, 50), chicago)  # daylight saving starts at 02:00: 02:30 never happens
    with pytest.raises(ValueError, match="02:30 does not happen on Sun 08 Mar in America/Chicago: the clocks skip it"):
        spring.clock_time("02:30", 0)
    assert spring.clock_time("03:10", 0) == 20 * 60  # 03:10 CDT is 20 minutes after 01:50 CST


def test_replay_scores_each_moment_of_an_auto_transcript(pair, tmp_path):
    from simulator.exercise import run_auto

    path = tmp_path / "auto.ttx.jsonl"
    path.write_text(run_auto(pair).transcript)
    rp = Replay(read(str(path)))
    assert rp.card(len(rp)).overall == 37.64  # the SPEC section 11 result at the end
    assert rp.card(0).results == ()
    jumps = rp.inject_positions()
    assert [j[1] for j in jumps] == ["edr-alert", "backups-mounted"]
    pos = jumps[1][0]
    assert rp.now(pos) == 2700 and rp.current_inject(pos).id == "backups-mounted"


def test_replay_at_an_inject_shows_the_obligations_and_promises_of_that_moment(pair, tmp_path):
    """Replay reads when each inject came from the scorer's facts, as the live board does: at the event just after
    backups-mounted (Sat 02:52) its obligations appear, their countdowns running from that inject, and the promises'
    running figures count from the first inject (Sat 02:07)."""
    from simulator.exercise import run_auto

    path = tmp_path / "auto.ttx.jsonl"
    path.write_text(run_auto(pair).transcript)
    rp = Replay(read(str(path)))
    before, after = rp.inject_positions()[1][0] - 1, rp.inject_positions()[1][0]
    assert {o.inject for o in rp.obligations(before)} == {"edr-alert"}
    rows = {o.id: (o.due, o.status, o.remaining, o.urgency) for o in rp.obligations(after)}
    assert rows["backups-mounted/act:isolate-host"] == (m_(60), "open", m_(15), "ok")  # 15m left of its own 15m window
    assert rows["backups-mounted/notify:cyber_insurer"] == (m_(285), "open", m_(240), "ok")
    assert rows["edr-alert/update:client_it_lead"] == (m_(60), "open", m_(15), "soon")  # 15m left of an hour
    running = {p.metric: (p.live, p.running) for p in rp.promises(after)}
    assert running["acknowledge"] == (m_(35), None) and running["restore"] == (None, m_(45))
    assert [p.running for p in rp.promises(1)] == [None] * 4  # before any inject nothing runs


def test_importing_the_session_core_does_not_import_textual():
    code = "import sys, simulator.session; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_warnings_flag_unreachable_roles_and_undelivered_messages(session):
    session.step()  # 02:07: noc_tier1 unreachable until 02:27
    ev = session.record("acknowledge", by="noc_tier1")
    assert warned_lines(session, ev) == ["NOC tier 1 (noc_tier1) is unreachable until Sat 02:27 (curveball-1)"]
    ev = session.record("notify", stakeholder="ceo", via="email", by="vcto")
    assert warned_lines(session, ev) == ["not delivered: ceo takes only phone"]
    assert warned_lines(session, session.record("note", text="fine")) == []


def test_deleting_a_page_also_withdraws_the_answer_recorded_with_it(session):
    session.step()
    page, answer = session.record("page", role="soc_manager", answers="+10m")
    assert session.card.result("edr-alert/engage:security_lead").status == "met"
    session.retract(page.seq)
    assert {page.seq, answer.seq} <= session.retracted
    assert session.card.result("edr-alert/engage:security_lead").status == "open"  # due 02:37: not yet


def test_editing_an_acknowledgement_replaces_its_answer_too(session):
    session.step()
    answer, ack = session.record("acknowledge", by="noc_tier1")
    session.amend(ack.seq, "acknowledge", by="noc_tier2", when="+5m")
    assert {answer.seq, ack.seq} <= session.retracted
    card = session.card
    assert card.result("edr-alert/acknowledge").done_at == 300
    assert card.metrics.time_to_engage["first_responder"] == 300  # noc_tier1's withdrawn answer no longer counts


def test_a_role_answering_later_is_recorded_on_its_own_and_engages_its_functions(session, wall):
    session.step()  # 02:07 edr-alert
    session.record("page", "now", role="soc_manager")  # paged; no answer yet
    assert session.card.result("edr-alert/engage:security_lead").status == "open"  # due 02:37: not yet
    (ans,) = session.record("answer", "+25m", role="soc_manager")
    assert (ans.type, ans.t, ans.data["role"]) == ("answer", 25 * 60, "soc_manager")
    r = session.card.result("edr-alert/engage:security_lead")
    assert (r.status, r.done_at) == ("met", 25 * 60)
    (backup,) = session.record("answer", "now", role="noc_tier2", stands_in_for="noc_tier1")
    assert backup.data["stands_in_for"] == "noc_tier1"
    with pytest.raises(SessionError, match="who answered"):
        session.record("answer", "now")


def test_an_exercise_ended_early_says_what_was_missed_by_its_own_end(session):
    """Stopped at the first inject with the incident commander never engaged: the reasons name that end, not
    the 12-hour horizon the room never reached ("never engaged before the end (Sat 14:07)" was seen)."""
    session.step()  # 02:07 edr-alert
    session.step()  # 02:52 backups-mounted: the acknowledgement (02:22) and the first message to Dana (02:37) are past due
    session.end()
    _, card = rescore(read(session.path))
    assert "the incident commander was never engaged before the end (Sat 02:52)" in [f.message for f in card.findings]
    missed = [r.reason for r in card.results if r.status == "missed"]
    assert missed and not any("14:07" in why for why in missed)


def test_an_inject_a_business_day_later_skips_the_scenarios_holiday_live_as_stated_and_in_the_guide(tmp_path):
    """`at: 1bd` from Wednesday 25 Nov 2026, US holidays: Thanksgiving is not a business day, so the follow-up
    comes Friday 10:00 (48h), as the engine plays it; the live session, its replay and the guide said Thursday."""
    import yaml

    from scoring.guide import render_guide
    from simulator.engine import play

    from .helpers import base_runbook, base_scenario, h_

    sc = base_scenario(starts="2026-11-25T10:00:00", horizon="3d", holidays="US",
                       injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [{"acknowledge": {"within": "15m"}}]},
                                {"id": "followup", "at": "1bd", "message": "Next business day"}])
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc, sort_keys=False))
    (tmp_path / "r.yaml").write_text(yaml.safe_dump(base_runbook(), sort_keys=False))
    pair = open_pair(str(tmp_path / "s.yaml"), str(tmp_path / "r.yaml"))
    assert [e.t for e in play(pair.scenario, pair.runbook) if e.type == "inject"] == [0, h_(48)]
    s = Session.start(pair, str(tmp_path / "t.ttx.jsonl"), wall=FakeWall(), stamp=stamp)
    s.step()
    s.step()
    assert [(e.t, e.get("id")) for e in s.events if e.type == "inject"] == [(0, "alert"), (h_(48), "followup")]
    assert s.clock.label(s.now) == "Fri 10:00"
    s.close()
    rp = Replay(read(s.path))
    assert [(t, i) for _, i, t in rp.inject_positions()] == [(0, "alert"), (h_(48), "followup")]
    assert '<td class="when inline">Fri 10:00</td><td class="num inline">+2d</td>' in render_guide(pair.scenario)


def test_a_message_on_a_channel_the_obligation_does_not_take_is_said_at_once(wall, tmp_path):
    """Watched in tmux (DNS hijack x Sentinel): the runbook opens a portal ticket with the registrar, the scenario
    wants them phoned on a Sunday. The message arrives, counts for nothing, and the obligation stays open: the
    facilitator is told when it is recorded, so they can ask the candidate, not find it in the report."""
    lib = Path(SCENARIO).parent
    pair = open_pair(str(lib / "dns-registrar-hijack.yaml"), str(lib / "runbooks" / "sentinel-247.yaml"))
    s = Session.start(pair, str(tmp_path / "dns.ttx.jsonl"), wall=wall, stamp=stamp)
    try:
        s.step()
        s.record("acknowledge", by="noc_analyst")
        portal = s.record("notify", stakeholder="key_vendor", via="portal", by="noc_analyst")
        assert warned_lines(s, portal) == [
            "does not answer Notify Registrar security team (due Sun 07:10): the scenario asks for phone, not portal"]
        # the notify form offers the runbook's portal first; once it was tried and did not count, the phone
        waiting = ["certificate-expired/notify:key_vendor"]
        assert suggest("notify", s.sc, s.rb, s.world, s.events, waiting, s.now)["via"] == "phone"
        assert suggest("notify", s.sc, s.rb, s.world, s.events[:-1], waiting, s.now)["via"] == "portal"
        # email is down all night (a curveball): not delivered, said as such, not as a wrong channel
        assert warned_lines(s, s.record("notify", stakeholder="client_it_lead", via="email", by="noc_analyst")) == [
            "not delivered: email is down (curveball-1)"]
        assert warned_lines(s, s.record("notify", stakeholder="key_vendor", via="phone", by="noc_analyst")) == []
        assert s.card.result("certificate-expired/notify:key_vendor").status == "met"
        # once the registrar has been phoned, a later portal ticket is just more news: nothing waits for it
        assert warned_lines(s, s.record("notify", stakeholder="key_vendor", via="portal", by="noc_analyst")) == []
    finally:
        s.close()


def test_a_page_with_no_function_waiting_goes_to_whom_the_playbook_needs_next(wall, tmp_path):
    """Watched in tmux (DNS hijack x Sentinel, 08:10): `p` offered the NOC analyst, who had acknowledged two hours
    before. Before anyone is on the incident a page goes to a first responder; once someone is, and no function
    waits, to whom the playbook needs next (the NOC lead opens the vendor ticket and restores DNS)."""
    lib = Path(SCENARIO).parent
    pair = open_pair(str(lib / "dns-registrar-hijack.yaml"), str(lib / "runbooks" / "sentinel-247.yaml"))
    s = Session.start(pair, str(tmp_path / "dns.ttx.jsonl"), wall=wall, stamp=stamp)
    try:
        s.step()
        assert suggest("page", s.sc, s.rb, s.world, s.events, [], s.now) == {"role": "noc_analyst"}
        s.record("acknowledge", by="noc_analyst")
        assert suggest("page", s.sc, s.rb, s.world, s.events, [], s.now) == {"role": "noc_lead"}
        s.record("page", role="noc_lead", answers="+5m")
        s.record("act", when="+10m", task="open-vendor-ticket", by="noc_lead")
        s.record("act", when="+20m", task="lock-registrar", by="noc_lead")
        # the playbook's remaining steps fall to the NOC lead, already called: the escalation ladder's first not
        # yet called (the SOC analyst, then the duty manager)
        assert suggest("page", s.sc, s.rb, s.world, s.events, [], s.now) == {"role": "soc_analyst"}
    finally:
        s.close()
