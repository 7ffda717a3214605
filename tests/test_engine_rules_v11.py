"""Hand-computed cases, one or more per SPEC v1.1 (▲) rule of sections 2 to 7.

Each is a case where ignoring the rule changes a number; the arithmetic is in the comments (times in
minutes from the start unless said). Thanksgiving 2026 is Thursday 26 November (US federal holiday).
"""

from __future__ import annotations

from datetime import date

from scoring.scorecard import score
from simulator.events import Event
from simulator.timing import holiday_dates
from tests.helpers import base_runbook, base_scenario, h_, load_pair, m_, of, play_pair

BUSINESS = {"name": "Day desk", "fills": ["first_responder"], "hours": "business", "responds": "30m"}
ALWAYS = {"name": "NOC", "fills": ["first_responder"], "hours": "always", "responds": "10m"}
THANKSGIVING = holiday_dates("US", 2026, 2026)[date(2026, 11, 26)]  # its name as the installed `holidays` spells it


# -- §2 public holidays ---------------------------------------------------------------------------


def _filing(**over):
    # Wednesday 25 Nov 2026 10:00 Chicago; the filing to the regulator is due within 4 business days.
    return base_scenario(
        starts="2026-11-25T10:00:00", horizon="10d",
        stakeholders={"regulator": {"name": "Regulator", "channels": ["email"]}},
        injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [{"notify": "regulator", "within": "4bd"}]}],
        **over)


def _files_after(minutes_after_declared: str):
    return base_runbook(roles={"noc": ALWAYS}, communication=[
        {"notify": ["regulator"], "via": "email", "by": "noc", "when": "declared", "within": minutes_after_declared}])


def test_scenario_holidays_are_not_business_days():
    # 4bd from Wed 25 Nov 10:00: Thu 26, Fri 27, Mon 30, Tue 1 Dec -> due Tue 10:00, 6d = 144h later.
    # With US holidays Thu 26 (Thanksgiving) is skipped: Fri, Mon, Tue, Wed 2 Dec -> due Wed 10:00, 168h.
    # The filing goes at declared (10m) + 6d9h50m = Tue 1 Dec 20:00 (6d10h = 154h after the start).
    rb = _files_after("6d9h50m")
    _, plain = play_pair(_filing(), rb)
    r = plain.result("alert/notify:regulator")
    assert (r.due, r.done_at, r.status) == (h_(144), h_(154), "late")
    assert round(r.credit, 4) == round(1 - 10 / 144, 4)  # 10h late over a 144h window
    _, us = play_pair(_filing(holidays="US"), rb)
    r = us.result("alert/notify:regulator")
    assert (r.due, r.status, r.credit) == (h_(168), "met", 1.0)


def test_runbook_holidays_close_business_hours_all_day():
    # Thanksgiving 09:00: open without holidays (answers 09:30). With US holidays the desk is shut all
    # Thursday and opens Fri 27 Nov 08:00 (23h after the page), answering 08:30: 23h30m.
    sc = base_scenario(starts="2026-11-26T09:00:00", horizon="2d",
                       injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [{"acknowledge": {"within": "2h"}}]}])
    _, plain = play_pair(sc, base_runbook(roles={"desk": BUSINESS}))
    assert plain.result("alert/acknowledge").done_at == m_(30)
    ev, card = play_pair(sc, base_runbook(roles={"desk": BUSINESS}, holidays="US"))
    page = of(ev, "page", role="desk")[0]
    assert page.data["answers_at"] == h_(23) + m_(30)
    assert page.data["holiday"] == f"Thu 26 Nov, {THANKSGIVING}"
    assert f"closed on Thu 26 Nov, {THANKSGIVING} (US public holiday)" in page.data["why"]
    ack = card.result("alert/acknowledge")
    assert (ack.status, ack.credit) == ("late", 0.0)  # 21h30m late over a 2h window
    assert THANKSGIVING in ack.reason
    found = [f for f in card.findings if f.code == "holiday-closed"]
    assert found and found[0].message == (f"Day desk (desk) is closed for a public holiday (Thu 26 Nov, {THANKSGIVING}, US calendar): "
                                          "paged Thu 09:00, would answer Fri 08:30")


def test_a_holiday_closes_only_its_own_date_of_an_overnight_shift_and_not_24x7():
    nights = {"name": "Night desk", "fills": ["first_responder"], "hours": "nights", "responds": "10m"}
    hours = {"always": "24x7", "nights": {"days": "daily", "from": "20:00", "to": "08:00"},
             "allweek": {"days": "daily", "from": "00:00", "to": "24:00"}}
    sc = base_scenario(starts="2026-11-26T03:00:00", horizon="2d")  # Thanksgiving, 03:00
    _, plain = play_pair(sc, base_runbook(roles={"n": nights}, hours=hours))
    assert plain.metrics.time_to_acknowledge == m_(10)  # the Wednesday night shift, 03:10
    # Thursday's date is closed: the shift that started Thursday 20:00 is open again from Friday 00:00,
    # 21h after 03:00 -> answers 21h10m.
    _, us = play_pair(sc, base_runbook(roles={"n": nights}, hours=hours, holidays="US"))
    assert us.metrics.time_to_acknowledge == h_(21) + m_(10)
    # Open all week but not written 24x7: closed too (opens Fri 00:00, 21h, +10m).
    allweek = nights | {"hours": "allweek"}
    _, closed = play_pair(sc, base_runbook(roles={"n": allweek}, hours=hours, holidays="US"))
    assert closed.metrics.time_to_acknowledge == h_(21) + m_(10)
    _, open_ = play_pair(sc, base_runbook(roles={"n": nights | {"hours": "always"}}, hours=hours, holidays="US"))
    assert open_.metrics.time_to_acknowledge == m_(10)


def test_hours_in_a_spring_forward_gap_never_open_outside_them():
    # Sun 8 Mar 2026, Chicago: 02:00 CST jumps to 03:00 CDT, so `sun 02:00-02:30` does not exist that day.
    # v1 answered at 03:00 CDT + 30m (outside the hours). Now the next Sunday, 15 Mar 02:00 CDT: from Sat
    # 7 Mar 23:00 CST (05:00 UTC Sun 8) to 07:00 UTC Sun 15 is 7d2h; +30m.
    roles = {"sun": {"name": "Sunday desk", "fills": ["first_responder"], "hours": "gap", "responds": "30m"}}
    hours = {"gap": {"days": "sun", "from": "02:00", "to": "02:30"}}
    sc = base_scenario(starts="2026-03-07T23:00:00", horizon="1d")
    ev, _ = play_pair(sc, base_runbook(roles=roles, hours=hours))
    assert of(ev, "page", role="sun")[0].data["answers_at"] == 7 * h_(24) + h_(2) + m_(30)


# -- §2/§3/§4 sla.contain --------------------------------------------------------------------------


def test_containment_sla_for_act_obligations():
    sc = base_scenario(playbook="pb", injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
        {"acknowledge": {"within": "15m"}}, {"act": "isolate", "within": "sla.contain"}]}])
    steps = {"pb": [{"act": "isolate", "by": "noc", "takes": "45m"}]}  # declared 10m, isolated 55m
    _, kept = play_pair(sc, base_runbook(playbooks=steps, sla={"P1": {"acknowledge": "15m", "contain": "1h"}}))
    r = kept.result("alert/act:isolate")
    assert (r.category, r.due, r.done_at, r.status, r.credit) == ("sla", m_(60), m_(55), "met", 1.0)
    assert "P1 contain SLA 1h" in r.reason
    _, short = play_pair(sc, base_runbook(playbooks=steps, sla={"P1": {"acknowledge": "15m", "contain": "30m"}}))
    assert round(short.result("alert/act:isolate").credit, 4) == round(1 - 25 / 30, 4)  # 25m late over 30m
    _, none = play_pair(sc, base_runbook(playbooks=steps, sla={"P1": {"acknowledge": "15m", "restore": "4h"}}))
    r = none.result("alert/act:isolate")
    assert (r.status, r.credit, r.unmeasurable) == ("missed", 0.0, True)
    assert "promises no contain time for P1" in r.reason
    assert any(f.code == "no-sla-metric" and f.subject == "contain" for f in none.findings)


def test_the_containment_promise_is_shown_beside_what_the_plan_delivers():
    # promised vs delivered: contain 1h promised, isolated 55m after its inject (declared 10m + 45m)
    from scoring.promised import promises
    from simulator.engine import play

    sc = base_scenario(playbook="pb", injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
        {"acknowledge": {"within": "15m"}}, {"act": "isolate", "within": "sla.contain"}]}])
    s, r = load_pair(sc, base_runbook(playbooks={"pb": [{"act": "isolate", "by": "noc", "takes": "45m"}]},
                                      sla={"P1": {"acknowledge": "15m", "contain": "1h"}}))
    card = score(s, r, play(s, r))
    row = next(p for p in promises(s, r, card, card) if p.kind == "contain")
    assert (row.metric, str(row.promise), row.as_stated, row.live) == ("contain isolate", "1h", m_(55), m_(55))


# -- §3/§5 intake ------------------------------------------------------------------------------------

INTAKE_ROLES = {
    "noc": ALWAYS,  # first_responder, 10m
    "mdr": {"name": "MDR SOC", "fills": ["first_responder"], "hours": "always", "responds": "5m"},
    "idp": {"name": "Identity team", "fills": ["security_lead"], "hours": "always", "responds": "15m"},
}


def test_intake_pages_the_sources_role_instead_of_the_first_responder():
    # The EDR alert pages the MDR (5m) instead of the NOC (10m): acknowledged at 5m, met within 8m.
    # Ignoring intake: 10m, 2m late over 8m -> credit 0.75.
    sc = base_scenario(injects=[{"id": "edr", "at": "0m", "source": "edr", "message": "EDR",
                                 "expects": [{"acknowledge": {"within": "8m"}}]}])
    ev, card = play_pair(sc, base_runbook(roles=INTAKE_ROLES, intake={"edr": "mdr"}))
    assert [e.data["role"] for e in of(ev, "page")] == ["mdr"]
    assert (card.result("edr/acknowledge").done_at, card.result("edr/acknowledge").credit) == (m_(5), 1.0)
    _, plain = play_pair(sc, base_runbook(roles=INTAKE_ROLES))
    assert round(plain.result("edr/acknowledge").credit, 4) == 0.75
    f = next(f for f in card.findings if f.code == "intake-routed")
    assert f.message == "the edr alert (edr) went straight to MDR SOC (mdr), as the runbook's intake routes edr alerts (paged Sat 02:00)"


def test_later_injects_page_their_intake_role_once_and_unrouted_ones_page_nobody():
    # 60m: an identity alert pages the identity team (15m) -> security_lead engaged 75m, due 60m + 30m: met.
    # Without intake nothing pages them: missed. 90m: a `user` report (no entry) pages nobody; 120m: a
    # second identity alert does not page the identity team again (already paged).
    sc = base_scenario(injects=[
        {"id": "edr", "at": "0m", "source": "edr", "message": "EDR", "expects": [{"acknowledge": {"within": "15m"}}]},
        {"id": "idp", "at": "60m", "source": "identity", "message": "Impossible travel",
         "expects": [{"engage": "security_lead", "within": "30m"}]},
        {"id": "user", "at": "90m", "source": "user", "message": "A user calls", "expects": []},
        {"id": "idp2", "at": "120m", "source": "identity", "message": "More sign-ins", "expects": []},
    ])
    ev, card = play_pair(sc, base_runbook(roles=INTAKE_ROLES, intake={"edr": "mdr", "identity": "idp"}))
    assert [(e.t, e.data["role"]) for e in of(ev, "page")] == [(0, "mdr"), (m_(60), "idp")]
    assert card.result("idp/engage:security_lead").done_at == m_(75)
    _, plain = play_pair(sc, base_runbook(roles=INTAKE_ROLES))
    assert plain.result("idp/engage:security_lead").status == "missed"


def test_declaration_is_the_first_answer_to_any_inject_page():
    # The EDR alert pages a slow MDR (2h); a 30m identity alert pages the identity team (15m), which answers
    # at 45m: the incident is declared then, not at 120m.
    roles = INTAKE_ROLES | {"mdr": INTAKE_ROLES["mdr"] | {"responds": "2h"}}
    sc = base_scenario(injects=[
        {"id": "edr", "at": "0m", "source": "edr", "message": "EDR", "expects": [{"acknowledge": {"within": "1h"}}]},
        {"id": "idp", "at": "30m", "source": "identity", "message": "Impossible travel", "expects": []},
    ])
    ev, card = play_pair(sc, base_runbook(roles=roles, intake={"edr": "mdr", "identity": "idp"}))
    ack = of(ev, "acknowledge")[0]
    assert (ack.t, ack.data["by"]) == (m_(45), "idp")
    assert card.result("edr/acknowledge").status == "met"


# -- §4/§5 after_hours ------------------------------------------------------------------------------

CALLOUT = BUSINESS | {"after_hours": {"responds": "2h", "severity": ["P1"]}}


def test_after_hours_callout_answers_at_the_earlier_of_hours_and_callout():
    # Saturday 02:00, P1: in hours it would answer Mon 08:30 (54h30m); the call-out answers at 2h.
    ev, card = play_pair(base_scenario(), base_runbook(roles={"desk": CALLOUT}))
    page = of(ev, "page", role="desk")[0]
    assert (page.data["answers_at"], page.data["after_hours"]) == (h_(2), True)
    assert page.data["why"] == "Day desk is called out after hours for P1 (answers within 2h); in hours it would answer Mon 08:30"
    assert card.metrics.time_to_acknowledge == h_(2)
    found = next(f for f in card.findings if f.code == "after-hours-called")
    assert found.message == ("Day desk (desk) was called out after hours for this P1: paged Sat 02:00, answers Sat 04:00 "
                             "(call-out within 2h, outside its business hours)")
    # Friday 17:50, inside hours: 30m beats the 2h call-out.
    _, friday = play_pair(base_scenario(starts="2026-03-13T17:50:00"), base_runbook(roles={"desk": CALLOUT}))
    assert friday.metrics.time_to_acknowledge == m_(30)


def test_a_callout_on_a_holiday_answers_and_no_holiday_closure_is_reported():
    # Thanksgiving 09:00: the desk is shut for the holiday (in hours it would answer Fri 08:30, 23h30m),
    # but the P1 call-out answers at 2h: the holiday shaped nothing, so no holiday finding.
    sc = base_scenario(starts="2026-11-26T09:00:00", horizon="2d")
    ev, card = play_pair(sc, base_runbook(roles={"desk": CALLOUT}, holidays="US"))
    page = of(ev, "page", role="desk")[0]
    assert (page.data["answers_at"], page.data.get("after_hours"), "holiday" in page.data) == (h_(2), True, False)
    assert not any(f.code == "holiday-closed" for f in card.findings)


def test_after_hours_covers_only_its_severities_and_all_without_severity():
    p2 = base_scenario(severity="P2", horizon="3d")
    rb_sla = {"P2": {"acknowledge": "1h"}}
    _, not_covered = play_pair(p2, base_runbook(roles={"desk": CALLOUT}, sla=rb_sla))
    assert not_covered.metrics.time_to_acknowledge == h_(54) + m_(30)  # Sat 02:00 -> Mon 08:00 is 54h
    every = BUSINESS | {"after_hours": {"responds": "2h"}}
    _, covered = play_pair(p2, base_runbook(roles={"desk": every}, sla=rb_sla))
    assert covered.metrics.time_to_acknowledge == h_(2)


def test_after_hours_callout_replaces_the_business_hours_finding():
    _, card = play_pair(base_scenario(), base_runbook(roles={"desk": CALLOUT}))
    codes = {f.code for f in card.findings if f.subject == "first_responder"}
    assert "after-hours-callout" in codes and "business-hours-only" not in codes


def test_pool_is_a_finding_and_changes_no_time():
    pooled = ALWAYS | {"pool": {"staff": 2, "clients": 40}}
    _, plain = play_pair(base_scenario(), base_runbook())
    _, card = play_pair(base_scenario(), base_runbook(roles={"noc": pooled}))
    assert card.metrics.time_to_acknowledge == plain.metrics.time_to_acknowledge == m_(10)
    # Erlang C at the stress model's default demand (2 incidents per client per month, 3h each):
    # a = 40 x 2/720 x 3 = 1/3 erlang; B(1) = a/(1+a) = 0.25, B(2) = (a x 0.25)/(2 + a x 0.25) = 0.04;
    # C = 2 x 0.04 / (2 - a x 0.96) = 0.0476 (5%); mean wait = C x 3h / (2 - a) = 0.0857h = 5m9s.
    f = next(f for f in card.findings if f.code == "shared-pool")
    assert f.message == ("NOC (noc) is shared with other clients: 2 staff for 40 clients (at 2 incidents per client per month, "
                         "3h each, 0.33 erlangs): a page waits in 5% of cases, 5m9s on average; the as-stated times leave that out")


# -- §5 already-answered roles ------------------------------------------------------------------------


def test_an_answered_role_takes_a_later_page_at_once_only_if_reachable():
    # noc answers at 10m (declared). The IC (40m, backup noc) is paged at 10m by escalation; at 25m
    # (no_answer_after 15m) its backup noc is paged, but noc is unreachable from 20m to 2h.
    # v1: noc took the page at once at 25m and, standing in for the IC, phoned the client at 25m (met within 30m).
    # v1.1: that page is a page to an unreachable role: never answered; the IC itself answers at 10m + 40m = 50m
    # and phones then: 20m late over 30m -> credit 1/3.
    roles = {"noc": ALWAYS, "ic": {"name": "IC", "fills": ["incident_commander"], "hours": "always", "responds": "40m", "backup": "noc"}}
    rb = base_runbook(roles=roles, no_answer_after="15m", escalation=[{"to": "ic", "after": "0m"}],
                      communication=[{"notify": ["client_it_lead"], "via": "phone", "by": "ic", "when": "declared", "within": "0m"}])
    sc = base_scenario(curveballs=[{"at": "20m", "unreachable": "noc", "for": "100m"}],
                       injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
                           {"acknowledge": {"within": "15m"}}, {"notify": "client_it_lead", "within": "30m"}]}])
    ev, card = play_pair(sc, rb)
    late_page = [e for e in of(ev, "page", role="noc") if e.t == m_(25)][0]
    assert late_page.data["answers_at"] is None and "unreachable when paged" in late_page.data["why"]
    r = card.result("alert/notify:client_it_lead")
    assert (r.done_at, r.status, round(r.credit, 4)) == (m_(50), "late", round(1 - 20 / 30, 4))


def test_already_answered_means_answered_itself_not_through_a_backup():
    # a (30m, backup b) is paged at 0; b (5m) is paged at 15m and answers at 20m standing in for a.
    # Escalation pages the IC c (60m, backup a) at 20m; at 35m a is paged as c's backup.
    # v1: a counted as answered (b stood in) and took it at once: c's message at 35m (met within 45m).
    # v1.1: a never answered itself, so its page runs as any other: it would answer 35m + 30m = 65m; at
    # 35m + 15m = 50m its backup b (who did answer, itself) is paged and takes it at once, standing in for c.
    # 50m is 5m late over 45m -> credit 1 - 5/45.
    roles = {
        "a": {"name": "A", "fills": ["first_responder"], "hours": "always", "responds": "30m", "backup": "b"},
        "b": {"name": "B", "fills": ["first_responder"], "hours": "always", "responds": "5m"},
        "c": {"name": "C", "fills": ["incident_commander"], "hours": "always", "responds": "60m", "backup": "a"},
    }
    rb = base_runbook(roles=roles, no_answer_after="15m", escalation=[{"to": "c", "after": "0m"}],
                      communication=[{"notify": ["client_it_lead"], "via": "phone", "by": "c", "when": "declared", "within": "0m"}])
    sc = base_scenario(injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
        {"acknowledge": {"within": "15m"}}, {"notify": "client_it_lead", "within": "45m"}]}])
    ev, card = play_pair(sc, rb)
    assert of(ev, "page", role="a")[1].data["answers_at"] == m_(65)
    assert of(ev, "answer")[-1].data == {"role": "b", "stands_in_for": "c"}
    r = card.result("alert/notify:client_it_lead")
    assert (r.done_at, round(r.credit, 4)) == (m_(50), round(1 - 5 / 45, 4))


# -- §7 notify matching ---------------------------------------------------------------------------------

NIS2 = dict(
    horizon="4d",
    stakeholders={"regulator": {"name": "CSIRT", "channels": ["portal"]}},
    injects=[{"id": "breach", "at": "0m", "message": "Breach", "expects": [
        {"notify": "regulator", "within": "72h", "id": "full-notification"},  # listed first, due last
        {"notify": "regulator", "within": "24h", "id": "early-warning"}]}],
)


def _regulator(*withins: str):
    return base_runbook(communication=[{"notify": ["regulator"], "via": "portal", "by": "noc", "when": "declared", "within": w}
                                       for w in withins])


def test_one_message_satisfies_one_notify_obligation():
    # One message at declared (10m) + 2h = 130m. v1: both met by it. v1.1: the early warning (due first) takes
    # it; the full notification has no message of its own by the 4d horizon: missed (communication 100 -> 50).
    _, card = play_pair(base_scenario(**NIS2), _regulator("2h"))
    assert card.result("early-warning").done_at == m_(130)
    full = card.result("full-notification")
    assert (full.status, full.credit) == ("missed", 0.0)
    assert card.category("communication").score == 50.0


def test_notify_obligations_take_messages_by_due_time_not_file_order():
    # Messages at 130m and 10m + 30h. By due time: the 24h warning takes 130m (met), the 72h notice takes
    # 30h10m (met). By file order the 72h notice would take 130m and the warning 30h10m: 6h10m late.
    _, card = play_pair(base_scenario(**NIS2), _regulator("2h", "30h"))
    assert card.result("early-warning").done_at == m_(130)
    assert card.result("full-notification").done_at == h_(30) + m_(10)
    assert card.category("communication").score == 100.0


# -- §7 before on the task's start, and tasks in progress at the horizon -----------------------------------

def _forensics(takes: str, insurer_after: str, horizon: str = "12h"):
    sc = base_scenario(horizon=horizon, playbook="pb",
                       stakeholders={"cyber_insurer": {"name": "Insurer", "channels": ["phone"]}},
                       injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
                           {"acknowledge": {"within": "15m"}}, {"act": "forensics"},
                           {"notify": "cyber_insurer", "within": "4h", "before": "act:forensics"}]}])
    rb = base_runbook(playbooks={"pb": [{"act": "forensics", "by": "noc", "takes": takes}]},
                      communication=[{"notify": ["cyber_insurer"], "via": "phone", "by": "noc", "when": "declared",
                                      "within": insurer_after}])
    return play_pair(sc, rb)


def test_before_act_is_judged_on_when_the_task_starts():
    # Forensics starts at declared (10m) and is done at 10m + 2h = 130m; the insurer is told at 10m + 30m = 40m.
    # v1 compared with 130m (no penalty); v1.1 with the start, 10m: the notice came after it -> half credit.
    _, card = _forensics("2h", "30m")
    r = card.result("alert/notify:cyber_insurer")
    assert (r.status, r.credit) == ("met", 0.5)
    assert r.penalties == ("done after task forensics (started Sat 02:10), which it must precede",)
    assert any(f.code == "order" for f in card.findings)


def test_a_task_started_but_not_done_by_the_horizon_keeps_its_start():
    # Forensics starts at 10m and takes 20h, past the 12h horizon; the insurer is told at 40m. v1: no act
    # event, no penalty (credit 1). v1.1: the end event records it under way since 10m -> half credit.
    ev, card = _forensics("20h", "30m")
    assert of(ev, "end")[0].data == {"reason": "horizon", "started:forensics": m_(10)}
    assert card.result("alert/notify:cyber_insurer").credit == 0.5


# -- §7 unnamed deciders, compounding ------------------------------------------------------------------------

def _decision_card(by: str | None, *extra: Event, before: str | None = None):
    ob = {"decide": "restore-or-pay", "by": "ceo"} | ({"before": before} if before else {})
    sc, rb = load_pair(base_scenario(stakeholders={"ceo": {"name": "CEO", "channels": ["phone"]},
                                                   "client_it_lead": {"name": "Dana", "channels": ["phone"]}},
                                     injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [ob]}]),
                       base_runbook())
    events = [Event(0, "inject", {"id": "alert", "source": None, "message": "Alert"}, 1), *extra,
              Event(m_(30), "decide", {"decision": "restore-or-pay", "by": by}, 9)]
    return score(sc, rb, events, mode="live")


def test_a_decision_recorded_without_a_decider_gets_half_credit_when_owned():
    assert _decision_card("ceo").result("alert/decide:restore-or-pay").credit == 1.0
    card = _decision_card(None)
    r = card.result("alert/decide:restore-or-pay")
    assert (r.status, r.credit) == ("met", 0.5)
    assert r.penalties == ("recorded without naming who decided; the owner is CEO (ceo)",)
    assert any(f.code == "decision-owner" and "recorded without naming who decided" in f.message for f in card.findings)


def test_a_wrong_decider_and_a_broken_order_compound_to_a_quarter():
    # Decided at 30m by noc (not the CEO), after the client was phoned at 20m although it must come first:
    # 1 / 2 / 2 = 0.25.
    told = Event(m_(20), "notify", {"stakeholder": "client_it_lead", "via": "phone", "by": "noc", "delivered": True}, 2)
    card = _decision_card("noc", told, before="notify:client_it_lead")
    r = card.result("alert/decide:restore-or-pay")
    assert r.credit == 0.25 and len(r.penalties) == 2 and "quarter credit" in r.reason
