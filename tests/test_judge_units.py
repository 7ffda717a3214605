"""The judge and the findings on their own: hand-written events in, numbers and reasons out (no engine)."""

from __future__ import annotations

import pytest

from scoring.facts import gather
from scoring.findings import find
from scoring.judge import Judge
from simulator.events import Event
from tests.helpers import base_runbook, base_scenario, load_pair


def _events(*raw: tuple[int, str, dict]) -> list[Event]:
    return [Event(t, kind, data, seq=i + 1) for i, (t, kind, data) in enumerate(raw)]


def _judge(sdoc: dict, rdoc: dict, events: list[Event], mode: str = "auto"):
    sc, rb = load_pair(sdoc, rdoc)
    facts = gather(sc, rb, events)
    judge = Judge(facts, mode)
    return {ob.id: judge.judge(inj, ob) for inj, ob in sc.obligations}, facts


INJECT = (0, "inject", {"id": "alert", "source": None, "message": "Alert"})


@pytest.mark.parametrize("ack_at,status,credit,lateness", [
    (600, "met", 1.0, 0),  # 10m, within the 15m window
    (900, "met", 1.0, 0),  # exactly at the deadline
    (1200, "late", 1 - 300 / 900, 300),  # 5m late on a 15m window
    (None, "missed", 0.0, 0),
])
def test_acknowledgement_is_met_late_or_missed_by_the_clock(ack_at, status, credit, lateness):
    raw = [INJECT] + ([(ack_at, "acknowledge", {"by": "noc"})] if ack_at is not None else [])
    results, _ = _judge(base_scenario(), base_runbook(), _events(*raw))
    r = results["alert/acknowledge"]
    assert (r.status, r.due, r.done_at, r.lateness) == (status, 900, ack_at, lateness)
    assert r.credit == pytest.approx(credit)
    assert r.evidence == ((2,) if ack_at is not None else ())


def test_a_notification_counts_only_when_delivered():
    sdoc = base_scenario(injects=[{"id": "alert", "at": "0m", "message": "Alert",
                                   "expects": [{"notify": "client_it_lead", "within": "30m"}]}])
    bounced = (600, "notify", {"stakeholder": "client_it_lead", "via": "sms", "by": "noc", "delivered": False,
                               "why": "client_it_lead takes only phone, email"})
    called = (1500, "notify", {"stakeholder": "client_it_lead", "via": "phone", "by": "noc", "delivered": True})
    results, _ = _judge(sdoc, base_runbook(), _events(INJECT, bounced, called))
    r = results["alert/notify:client_it_lead"]
    assert (r.status, r.done_at, r.evidence) == ("met", 1500, (3,))
    results, _ = _judge(sdoc, base_runbook(), _events(INJECT, bounced))
    assert results["alert/notify:client_it_lead"].status == "missed"


def test_findings_name_a_function_no_role_fills():
    sdoc = base_scenario(injects=[{"id": "alert", "at": "0m", "message": "Alert",
                                   "expects": [{"engage": "security_lead", "within": "30m"}]}])
    results, facts = _judge(sdoc, base_runbook(), _events(INJECT))
    codes = {(f.code, f.subject) for f in find(facts, [r for r in results.values() if r is not None])}
    assert ("function-unfilled", "security_lead") in codes
    rdoc = base_runbook(roles={
        "noc": {"name": "NOC", "fills": ["first_responder"], "hours": "always", "responds": "10m"},
        "soc": {"name": "SOC", "fills": ["security_lead"], "hours": "always", "responds": "10m"}})
    results, facts = _judge(sdoc, rdoc, _events(INJECT))
    codes = {(f.code, f.subject) for f in find(facts, [r for r in results.values() if r is not None])}
    assert ("function-unfilled", "security_lead") not in codes


def test_a_plan_telling_someone_this_night_does_not_involve_is_no_finding_but_a_near_miss_is():
    """A runbook is written for every incident: its plan to tell customers is no gap in a scenario without
    customers (that finding was a third of all findings in the library). `it_lead` where the scenario has
    client_it_lead is: the plan misnames Dana and never reaches her."""
    sdoc = base_scenario(injects=[{"id": "alert", "at": "0m", "message": "Alert",
                                   "expects": [{"notify": "client_it_lead", "within": "30m"}]}])
    plan = [{"notify": ["customers"], "via": ["email"], "by": "noc", "when": "declared", "within": "1h"},
            {"notify": ["it_lead"], "via": ["phone"], "by": "noc", "when": "declared", "within": "15m"}]
    results, facts = _judge(sdoc, base_runbook(communication=plan), _events(INJECT))
    found = [f for f in find(facts, [r for r in results.values() if r is not None]) if f.code == "unknown-stakeholder"]
    assert [(f.subject, f.message, f.question) for f in found] == [
        ("it_lead", "the runbook tells it_lead, whom this scenario does not have: does it mean Dana (client_it_lead)?",
         "Is it_lead in your plan Dana (client_it_lead)?")]


def test_the_longest_update_gap_ends_when_service_is_restored():
    """Keel restores the NIS2 breach at +3h15m without a word to customers, then updates them the next day
    (+32h40m). The gap measured is the whole incident, 3h15m, as the scorecard schema says ("to service
    restored"), not 32h40m to a message that was no longer due."""
    from simulator.exercise import open_pair, run_auto
    from tests.helpers import ROOT

    pair = open_pair(str(ROOT / "scenarios" / "nis2-customer-breach.yaml"), str(ROOT / "scenarios" / "runbooks" / "keel-fractional-cto.yaml"))
    played = run_auto(pair, None)
    assert [(e.t, e.type) for e in played.events if e.type == "resolve" or e.get("stakeholder") == "customers"] == [
        (3 * 3600 + 15 * 60, "resolve"), (32 * 3600 + 40 * 60, "update")]
    assert played.card.metrics.longest_update_gap == {"customers": 3 * 3600 + 15 * 60}
