"""Hand-computed cases, one per engine rule of SPEC section 5 (times in minutes from the start)."""

from __future__ import annotations

from tests.helpers import base_runbook, base_scenario, h_, m_, of, play_pair

BUSINESS_ROLE = {"name": "Day desk", "fills": ["first_responder"], "hours": "business", "responds": "30m"}


def test_business_hours_across_a_weekend():
    # Friday 17:50: inside hours, answers 30m later even though the desk closes at 18:00.
    sc = base_scenario(starts="2026-03-13T17:50:00")
    ev, card = play_pair(sc, base_runbook(roles={"desk": BUSINESS_ROLE}))
    assert of(ev, "answer", role="desk")[0].t == m_(30)
    # Friday 18:05: closed until Monday 08:00 (61h55m later), then 30m.
    sc = base_scenario(starts="2026-03-13T18:05:00", horizon="3d")
    ev, card = play_pair(sc, base_runbook(roles={"desk": BUSINESS_ROLE}))
    page = of(ev, "page", role="desk")[0]
    assert page.data["answers_at"] == h_(61) + m_(55) + m_(30)
    assert "Day desk works business hours" in page.data["why"]
    ack = card.result("alert/acknowledge")
    assert ack.status == "late" and ack.lateness == h_(61) + m_(55) + m_(30) - m_(15)
    assert "would answer" not in ack.reason and "Mon 08:30" in ack.reason


def test_business_hours_across_a_dst_change():
    # Saturday 22:00 CST; clocks spring forward at 02:00 on Sunday 8 March 2026.
    # Monday 08:00 CDT is 33 elapsed hours later, not 34.
    sc = base_scenario(starts="2026-03-07T22:00:00", horizon="3d")
    ev, _ = play_pair(sc, base_runbook(roles={"desk": BUSINESS_ROLE}))
    assert of(ev, "answer", role="desk")[0].t == h_(33) + m_(30)


def test_runbook_hours_in_its_own_timezone():
    # An offshore NOC in Manila (UTC+8) working 08:00-18:00 its time: 02:00 Chicago Saturday (CST, UTC-6)
    # is 16:00 Saturday in Manila: closed (weekend) until Monday 08:00 Manila = Sunday 18:00 Chicago.
    rb = base_runbook(timezone="Asia/Manila", roles={"desk": BUSINESS_ROLE})
    sc = base_scenario(starts="2026-01-10T02:00:00", horizon="3d")
    ev, _ = play_pair(sc, rb)
    assert of(ev, "answer", role="desk")[0].t == h_(40) + m_(30)


def test_backup_paged_after_no_answer_after():
    roles = {
        "desk": BUSINESS_ROLE | {"backup": "oncall"},
        "oncall": {"name": "On-call", "fills": ["first_responder"], "hours": "always", "responds": "20m"},
    }
    ev, card = play_pair(base_scenario(), base_runbook(roles=roles, no_answer_after="15m"))
    assert [(e.t, e.data["role"]) for e in of(ev, "page")] == [(0, "desk"), (m_(15), "oncall")]
    answer = of(ev, "answer")[0]
    assert (answer.t, answer.data["role"], answer.data["stands_in_for"]) == (m_(35), "oncall", "desk")
    assert of(ev, "acknowledge")[0].t == m_(35)
    assert card.result("alert/acknowledge").lateness == m_(20)


def test_answer_exactly_at_no_answer_after_is_in_time():
    roles = {
        "noc": {"name": "NOC", "fills": ["first_responder"], "hours": "always", "responds": "15m", "backup": "spare"},
        "spare": {"name": "Spare", "fills": ["first_responder"], "hours": "always", "responds": "1m"},
    }
    ev, _ = play_pair(base_scenario(), base_runbook(roles=roles, no_answer_after="15m"))
    assert [e.data["role"] for e in of(ev, "page")] == ["noc"]
    assert of(ev, "acknowledge")[0].t == m_(15)


def test_adding_a_backup_can_only_help():
    slow = {"name": "Slow", "fills": ["first_responder"], "hours": "always", "responds": "50m"}
    _, without = play_pair(base_scenario(), base_runbook(roles={"noc": slow}))
    roles = {"noc": slow | {"backup": "b"}, "b": {"name": "B", "fills": ["technical_lead"], "hours": "always", "responds": "5m"}}
    _, with_backup = play_pair(base_scenario(), base_runbook(roles=roles, no_answer_after="15m"))
    assert without.metrics.time_to_acknowledge == m_(50)
    assert with_backup.metrics.time_to_acknowledge == m_(20)


def test_unreachable_role_without_backup_is_paged_again_when_reachable():
    sc = base_scenario(curveballs=[{"at": "0m", "unreachable": "first_responder", "for": "20m"}])
    ev, card = play_pair(sc, base_runbook())
    assert [(e.t, e.data["reason"]) for e in of(ev, "page")] == [(0, "inject alert"), (m_(20), "re-page: reachable again")]
    assert of(ev, "acknowledge")[0].t == m_(30)
    assert "unreachable when paged" in card.result("alert/acknowledge").reason


def test_curveball_ends_exactly_at_for_and_is_exclusive():
    # unreachable from 0 up to, not including, 10m: a page at 10m is answered.
    sc = base_scenario(
        curveballs=[{"at": "0m", "unreachable": "noc", "for": "10m"}],
        injects=[{"id": "alert", "at": "10m", "message": "late alert", "expects": [{"acknowledge": None}]}],
    )
    ev, _ = play_pair(sc, base_runbook())
    assert [e.t for e in of(ev, "page")] == [m_(10)]
    assert of(ev, "answer")[0].t == m_(20)


COMM_SCENARIO = dict(
    stakeholders={"client_it_lead": {"name": "Dana", "channels": ["phone", "email"]},
                  "ceo": {"name": "CEO", "channels": ["phone"]}},
    curveballs=[{"at": "0m", "channel_down": "email", "for": "1h"}],
    injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
        {"acknowledge": None},
        {"notify": "client_it_lead", "within": "30m"},
        {"notify": "ceo", "within": "1h"},
    ]}],
)


def test_channel_down_message_not_delivered_and_fallback_channel_used():
    rb = base_runbook(communication=[
        {"notify": ["client_it_lead"], "via": "email", "by": "noc", "when": "declared", "within": "5m"},
        {"notify": ["ceo"], "via": ["email", "phone"], "by": "noc", "when": "declared", "within": "5m"},
    ])
    ev, card = play_pair(base_scenario(**COMM_SCENARIO), rb)
    dana = of(ev, "notify", stakeholder="client_it_lead")[0]
    assert (dana.t, dana.data["via"], dana.data["delivered"]) == (m_(15), "email", False)
    assert "email is down" in dana.data["why"]
    ceo = of(ev, "notify", stakeholder="ceo")[0]
    assert (ceo.data["via"], ceo.data["delivered"]) == ("phone", True)
    assert card.result("alert/notify:client_it_lead").status == "missed"
    assert card.result("alert/notify:ceo").status == "met"
    assert any(f.code == "channel-down" and "email" in f.message for f in card.findings)


PLAYBOOK_RB = dict(
    roles={"noc": {"name": "NOC", "fills": ["first_responder", "technical_lead"], "hours": "always", "responds": "10m"}},
    playbooks={"ransomware": [{"act": "isolate-host", "by": "noc", "takes": "30m"}]},
)


def _conditional(at: str) -> dict:
    return base_scenario(playbook="ransomware", injects=[
        {"id": "alert", "at": "0m", "message": "Alert", "expects": [{"acknowledge": None}]},
        {"id": "spread", "at": at, "when": {"not_done": "isolate-host"}, "message": "It spreads",
         "expects": [{"act": "isolate-host", "within": "15m"}]},
    ])


def test_conditional_inject_fires_only_while_task_not_done():
    # isolate-host: acknowledged at 10m, done at 40m.
    ev, card = play_pair(_conditional("35m"), base_runbook(**PLAYBOOK_RB))
    assert [e.data["id"] for e in of(ev, "inject")] == ["alert", "spread"]
    assert card.result("spread/act:isolate-host").status == "met"
    ev, card = play_pair(_conditional("45m"), base_runbook(**PLAYBOOK_RB))
    assert [e.data["id"] for e in of(ev, "inject")] == ["alert"]
    held = of(ev, "inject_held", id="spread")[0]
    assert "isolate-host was done at Sat 02:40" in held.data["reason"]
    assert all(r.inject != "spread" for r in card.results)  # an inject that never fired obliges nobody


def test_task_done_exactly_at_inject_time_counts_as_done():
    ev, _ = play_pair(_conditional("40m"), base_runbook(**PLAYBOOK_RB))
    assert [e.data["id"] for e in of(ev, "inject")] == ["alert"]


def test_playbook_stalled_by_a_role_that_never_answers():
    rb = base_runbook(
        roles={"noc": PLAYBOOK_RB["roles"]["noc"],
               "engineer": {"name": "Engineer", "fills": ["technical_lead"], "hours": "business", "responds": "1h"}},
        playbooks={"ransomware": [{"act": "isolate-host", "by": "engineer", "takes": "15m"},
                                  {"act": "restore", "by": "noc", "takes": "1h"}]},
    )
    sc = base_scenario(playbook="ransomware", resolution={"after": ["isolate-host", "restore"], "takes": "1h"},
                       injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
                           {"acknowledge": None}, {"act": "isolate-host", "within": "1h"}, {"resolve": {"within": "sla.restore"}}]}])
    ev, card = play_pair(sc, rb)
    assert of(ev, "page", role="engineer")[0].t == m_(10)  # the step pages its role
    assert not of(ev, "act") and not of(ev, "resolve")
    act = card.result("alert/act:isolate-host")
    assert act.status == "missed"
    # the obligation's own step is not named again after its head; the role once, then what held it
    assert act.reason.startswith("act isolate-host: playbook stalled at this step: Engineer (engineer) works business hours "
                                 "(mon-fri 08:00-18:00 America/Chicago); paged Sat 02:10, would answer Mon 09:00")
    assert "isolate-host, restore, never done" in card.result("alert/resolve").reason


def test_update_series_met_late_and_missed_windows():
    # Updates promised every 45m by phone from declaration (10m): 55m, 1h40m, 2h25m, ...
    # The scenario wants one every 30m from 0: first window due 30m (late: 55m), then due 1h25m
    # (late: 1h40m) ... every window late by 15m; credit 1 - 15/30 each, except the first (1 - 25/30).
    rb = base_runbook(communication=[{"update": ["client_it_lead"], "via": "phone", "by": "noc", "when": "declared", "every": "45m"}])
    sc = base_scenario(horizon="3h", injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
        {"acknowledge": None}, {"update": "client_it_lead", "every": "30m"}]}])
    ev, card = play_pair(sc, rb)
    r = card.result("alert/update:client_it_lead")
    assert [(w.due, w.done_at, w.status) for w in r.windows] == [
        (m_(30), m_(55), "late"), (m_(85), m_(100), "late"), (m_(130), m_(145), "late"), (m_(175), None, "missed")]
    assert round(r.credit, 4) == round((1 - 25 / 30 + 0.5 + 0.5 + 0) / 4, 4)
    assert card.metrics.longest_update_gap["client_it_lead"] == m_(55)


def test_a_long_update_series_reason_counts_its_windows_and_names_the_first_it_missed():
    # Hourly updates over a 30-hour night from a runbook that never updates the IT lead: 29 windows, all missed.
    # The reason counts them and names the first six it missed, instead of 29 "due … missed" clauses.
    rb = base_runbook()
    sc = base_scenario(horizon="30h", injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
        {"acknowledge": None}, {"update": "client_it_lead", "every": "1h"}]}])
    ev, card = play_pair(sc, rb)
    r = card.result("alert/update:client_it_lead")
    assert len(r.windows) > 12
    counts = {s: sum(1 for w in r.windows if w.status == s) for s in ("met", "late", "missed")}
    said = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    assert f": {len(r.windows)} updates due: {said}; due " in r.reason
    not_met = [w for w in r.windows if w.status != "met"]
    assert r.reason.count("due ") == 6 and f"due Sat 08:00 missed and {len(not_met) - 6} more; " in r.reason


def test_update_series_with_no_window_before_resolution_is_left_out():
    rb = base_runbook(**PLAYBOOK_RB)
    sc = base_scenario(playbook="ransomware", resolution={"after": ["isolate-host"], "takes": "0m"},
                       injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
                           {"acknowledge": None}, {"update": "client_it_lead", "every": "2h"}]}])
    _, card = play_pair(sc, rb)
    assert [r.kind for r in card.results] == ["acknowledge"]
    assert [c.name for c in card.categories] == ["sla"]


def test_decision_taken_by_someone_other_than_its_owner_gets_half_credit():
    rb = base_runbook(roles=PLAYBOOK_RB["roles"], playbooks={"ransomware": [{"decide": "pay-ransom", "by": "noc", "takes": "10m"}]})
    sc = base_scenario(playbook="ransomware", stakeholders={"ceo": {"name": "CEO", "channels": ["phone"]}},
                       injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
                           {"acknowledge": None}, {"decide": "pay-ransom", "by": "ceo", "within": "1h"}]}])
    _, card = play_pair(sc, rb)
    d = card.result("alert/decide:pay-ransom")
    assert (d.status, d.credit) == ("met", 0.5)
    # on its own (the finding, the result's penalties) the cause names both; the reason has just said who decided
    assert d.penalties == ("decided by NOC (noc), but the owner is CEO (ceo)",)
    assert d.reason.endswith("by NOC (noc); due Sat 03:00 (1h); half credit: decided by someone other than its owner, CEO (ceo)")
    assert any(f.code == "decision-owner" for f in card.findings)


def test_decision_owner_named_as_a_function_is_satisfied_by_any_filler():
    rb = base_runbook(roles=PLAYBOOK_RB["roles"], playbooks={"ransomware": [{"decide": "shutdown", "by": "noc"}]})
    sc = base_scenario(playbook="ransomware", injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
        {"decide": "shutdown", "by": "technical_lead"}]}])
    _, card = play_pair(sc, rb)
    assert card.result("alert/decide:shutdown").credit == 1.0


def test_order_violation_keeps_status_but_halves_credit():
    stakeholders = {"cyber_insurer": {"name": "Insurer", "channels": ["phone"]},
                    "customers": {"name": "Customers", "channels": ["email"]}}
    rb = base_runbook(communication=[
        {"notify": ["customers"], "via": "email", "by": "noc", "when": "declared", "within": "5m"},
        {"notify": ["cyber_insurer"], "via": "phone", "by": "noc", "when": "declared", "within": "20m"},
    ])
    sc = base_scenario(stakeholders=stakeholders, injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
        {"notify": "cyber_insurer", "within": "1h", "before": "notify:customers"},
        {"notify": "customers", "within": "2h"}]}])
    _, card = play_pair(sc, rb)
    r = card.result("alert/notify:cyber_insurer")
    assert (r.status, r.credit) == ("met", 0.5)
    assert "must precede" in r.reason
    assert any(f.code == "order" for f in card.findings)
    # the stakeholder it had to come before, by name, as the board and the report name them
    assert r.penalties[0].startswith("done after notifying Customers (customers) (Sat "), r.penalties


def test_sla_metric_the_runbook_does_not_promise_is_missed_and_a_finding():
    rb = base_runbook(sla={"P2": {"acknowledge": "1h"}})
    sc = base_scenario(injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [{"acknowledge": {"within": "sla.acknowledge"}}]}])
    _, card = play_pair(sc, rb)
    r = card.result("alert/acknowledge")
    assert r.status == "missed" and r.unmeasurable and "promises no SLA for P1" in r.reason
    assert any(f.code == "no-sla" for f in card.findings)
    _, card = play_pair(sc, base_runbook(sla={"P1": {"engage": "1h"}}))
    assert "promises no acknowledge time for P1" in card.result("alert/acknowledge").reason
    assert any(f.code == "no-sla-metric" for f in card.findings)


def test_collapsed_messages_go_once_when_author_answers():
    roles = {"noc": {"name": "NOC", "fills": ["first_responder"], "hours": "always", "responds": "10m"},
             "cto": {"name": "CTO", "fills": ["incident_commander"], "hours": "always", "responds": "2h"}}
    rb = base_runbook(roles=roles, escalation=[{"to": "cto", "after": "0m"}],
                      communication=[{"update": ["client_it_lead"], "via": "phone", "by": "cto", "when": "declared", "every": "30m"}])
    sc = base_scenario(horizon="4h")
    ev, _ = play_pair(sc, rb)
    ups = of(ev, "update")
    # declared 10m; due 40m, 70m, 100m, 130m while the CTO is not there; CTO answers 130m.
    assert [e.t for e in ups][:2] == [m_(130), m_(160)]
    assert ups[0].data["collapsed"] == 3


def test_horizon_bounds_the_record():
    sc = base_scenario(horizon="1h", injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [{"acknowledge": None}]}])
    roles = {"noc": {"name": "NOC", "fills": ["first_responder"], "hours": "always", "responds": "1h"}}
    ev, card = play_pair(sc, base_runbook(roles=roles))
    assert of(ev, "acknowledge")[0].t == h_(1)  # exactly at the horizon is recorded
    roles["noc"]["responds"] = "61m"
    ev, card = play_pair(sc, base_runbook(roles=roles))
    assert not of(ev, "acknowledge") and ev[-1].type == "end"
    assert card.result("alert/acknowledge").status == "missed"


def test_business_days_keep_wall_clock_time():
    # Thursday 10:00 + 4bd = Wednesday 10:00 (skipping the weekend): 6 days in elapsed time.
    sc = base_scenario(starts="2026-06-04T10:00:00", horizon="8d", stakeholders={"regulator": {"name": "SEC", "channels": ["portal"]}},
                       injects=[{"id": "material", "at": "0m", "message": "Materiality determined",
                                 "expects": [{"notify": "regulator", "within": "4bd"}]}])
    _, card = play_pair(sc, base_runbook())
    assert card.result("material/notify:regulator").due == h_(6 * 24)


def test_backup_whose_call_was_taken_can_still_be_called_for_its_own_duties():
    # Found by Hypothesis: the primary answers at 6m, in the same minute as its backup (paged at 5m,
    # 1m to answer). The primary takes the call; the backup never answers *that* page, but the
    # playbook then needs the backup for isolate-host and must be able to page it afresh.
    roles = {"r0": {"name": "Primary", "fills": ["first_responder"], "hours": "always", "responds": "6m", "backup": "r1"},
             "r1": {"name": "Backup", "fills": ["technical_lead"], "hours": "always", "responds": "1m"}}
    rb = base_runbook(roles=roles, no_answer_after="5m", playbooks={"ransomware": [{"act": "isolate-host", "by": "r1"}]})
    sc = base_scenario(playbook="ransomware", injects=[{"id": "alert", "at": "0m", "message": "Alert",
                                                       "expects": [{"act": "isolate-host", "within": "1h"}]}])
    ev, card = play_pair(sc, rb)
    assert [(e.t, e.data["role"]) for e in of(ev, "answer")] == [(m_(6), "r0"), (m_(7), "r1")]
    assert card.result("alert/act:isolate-host").done_at == m_(7)


def test_a_pair_that_would_flood_the_transcript_stops_at_the_work_limit(monkeypatch):
    import simulator.engine as engine

    monkeypatch.setattr(engine, "MAX_WORK", 500)
    rb = base_runbook(communication=[{"update": ["client_it_lead"], "via": "phone", "by": "noc", "when": "declared", "every": "1m"}])
    ev, card = play_pair(base_scenario(horizon="2d"), rb)
    assert ev[-1].type == "end" and ev[-1].data["reason"] == "work limit reached (500 happenings scheduled or recorded)"
    assert 240 < len(ev) <= 252  # each minute's update is one happening scheduled and one event written
    assert 0 <= card.overall <= 100
    # the cut is the end, as a facilitator's stop is (what falls due after it is open), and the card says who cut it
    note = card.stop_note()
    assert card.stopped == ev[-1].t and note is not None and "by the engine's work limit, before the horizon" in note[1]


def test_work_that_writes_nothing_is_bounded_too(monkeypatch):
    """A rule whose author is never paged writes no event, minute after minute: the limit counts what is
    scheduled, so it stops all the same."""
    import simulator.engine as engine

    monkeypatch.setattr(engine, "MAX_WORK", 500)
    roles = {"noc": {"name": "NOC", "fills": ["first_responder"], "hours": "always", "responds": "10m"},
             "quiet": {"name": "Never paged", "fills": ["communications_lead"], "hours": "always", "responds": "10m"}}
    rb = base_runbook(roles=roles, communication=[{"update": ["client_it_lead"], "via": "phone", "by": "quiet",
                                                   "when": "declared", "every": "1m"}] * 5)
    ev, _ = play_pair(base_scenario(horizon="30d"), rb)
    assert ev[-1].data["reason"].startswith("work limit reached") and len(ev) < 20


def test_live_reasons_speak_of_the_room_not_of_the_plan():
    from scoring.scorecard import score
    from simulator.events import Event
    from tests.helpers import load_pair

    s, r = load_pair(base_scenario(playbook="ransomware", injects=[{"id": "alert", "at": "0m", "message": "Alert",
                                                                     "expects": [{"act": "isolate-host", "within": "1h"}]}]),
                     base_runbook(**PLAYBOOK_RB))
    events = [Event(0, "inject", {"id": "alert"}, 1), Event(12 * 3600, "end", {"reason": "horizon"}, 2)]
    reason = score(s, r, events, mode="live").result("alert/act:isolate-host").reason
    assert reason.startswith("act isolate-host: no one did it by the end (Sat 14:00)")
    assert "the runbook's ransomware playbook gives it to NOC (noc)" in reason


def test_communication_triggers_inject_done_engaged_and_resolved():
    stakeholders = {"client_it_lead": {"name": "Dana", "channels": ["phone"]}, "ceo": {"name": "CEO", "channels": ["phone"]},
                    "customers": {"name": "Customers", "channels": ["email"]}, "staff": {"name": "Staff", "channels": ["chat"]}}
    roles = {"noc": {"name": "NOC", "fills": ["first_responder", "technical_lead"], "hours": "always", "responds": "10m"},
             "soc": {"name": "SOC", "fills": ["security_lead"], "hours": "always", "responds": "20m"}}
    rb = base_runbook(roles=roles, escalation=[{"to": "soc", "after": "5m"}],
                      playbooks={"ransomware": [{"act": "isolate-host", "by": "noc", "takes": "30m"}]},
                      communication=[
                          {"notify": ["ceo"], "via": "phone", "by": "noc", "when": "inject:spread", "within": "10m"},
                          {"notify": ["client_it_lead"], "via": "phone", "by": "noc", "when": "done:isolate-host"},
                          {"notify": ["staff"], "via": "chat", "by": "soc", "when": "engaged:security_lead", "within": "5m"},
                          {"notify": ["customers"], "via": "email", "by": "noc", "when": "resolved", "within": "1h"}])
    sc = base_scenario(playbook="ransomware", stakeholders=stakeholders, resolution={"after": ["isolate-host"], "takes": "1h"},
                       injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [{"acknowledge": None}]},
                                {"id": "spread", "at": "1h", "message": "It spreads", "expects": []}])
    ev, _ = play_pair(sc, rb)
    sent = {e.data["stakeholder"]: e.t for e in of(ev, "notify")}
    # declared 10m; soc paged 15m answers 35m; isolate-host done 40m; resolved 1h40m; spread at 1h
    assert sent == {"client_it_lead": m_(40), "staff": m_(40), "ceo": m_(70), "customers": m_(160)}
