"""The shipped scenario and runbook library: every file loads, every pairing plays and scores, and
the library tells candidates apart for the reasons a buyer cares about (hours, channels, routes to
the people who must be told, bench depth), asserted through the scorecards' findings and reasons.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from simulator import model as m
from simulator.exercise import open_pair, run_auto
from simulator.loading import load
from simulator.timing import Clock, parse_duration, zone

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
RUNBOOKS = sorted((ROOT / "scenarios" / "runbooks").glob("*.yaml"))
SHARED_STAKEHOLDERS = set(m.STAKEHOLDERS)

BUSINESS_HOURS_MSP = "brightdesk-unlimited"
ROUND_THE_CLOCK_MSP = "sentinel-247"


def sid(path: Path) -> str:
    return path.stem


@functools.cache
def scenario(name: str) -> m.Scenario:
    return load(str(ROOT / "scenarios" / f"{name}.yaml"), "scenario").value


@functools.cache
def runbook(name: str) -> m.Runbook:
    return load(str(ROOT / "scenarios" / "runbooks" / f"{name}.yaml"), "runbook").value


@functools.cache
def card(sc: str, rb: str):
    return run_auto(open_pair(str(ROOT / "scenarios" / f"{sc}.yaml"), str(ROOT / "scenarios" / "runbooks" / f"{rb}.yaml"))).card


def codes(c) -> set[str]:
    return {f.code for f in c.findings}


# -- the library is complete and loads ------------------------------------------------------


def test_library_has_the_promised_breadth():
    assert len(SCENARIOS) >= 12
    assert len(RUNBOOKS) >= 6
    models = {runbook(sid(p)).model for p in RUNBOOKS}
    assert {"msp", "fractional-cto", "vcio", "internal"} <= models


@pytest.mark.parametrize("path", SCENARIOS + RUNBOOKS, ids=lambda p: p.name)
def test_every_shipped_file_validates(path):
    loaded = load(str(path))
    assert loaded.kind in ("scenario", "runbook")
    assert loaded.value.id == path.stem  # `ttx list` and the docs name files by id


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_scenario_says_what_it_tests_and_on_which_norm(path):
    sc = scenario(path.stem)
    assert sc.tests.strip() or path.stem == "ransomware-fileserver"  # the SPEC example predates `tests:`
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#"), "a header comment says what the scenario tests"
    if path.stem != "ransomware-fileserver":
        assert sc.norms, "each scenario names the published norms it rests on"
        assert sc.playbook, "each scenario names the playbook it exercises"
        assert any(i.when for i in sc.injects), "each scenario has a conditional inject"
        assert sc.curveballs, "each scenario has a curveball"
        assert all(q.strip() for i in sc.injects for q in i.questions)
        assert sum(len(i.questions) for i in sc.injects) >= 2


def test_scenarios_use_the_shared_stakeholder_vocabulary():
    for path in SCENARIOS:
        assert set(scenario(path.stem).stakeholders) <= SHARED_STAKEHOLDERS, path.name


def test_every_scenario_playbook_is_written_by_several_runbooks():
    """Playbook names line up between scenarios and runbooks, so a missing one is a real gap."""
    for path in SCENARIOS:
        sc = scenario(path.stem)
        having = [p.stem for p in RUNBOOKS if sc.playbook in runbook(p.stem).playbooks]
        assert len(having) >= 4, (path.stem, sc.playbook, having)


def test_obligation_deadlines_fall_inside_the_horizon():
    """An obligation due after the horizon would be scored missed before its deadline came."""
    for path in SCENARIOS:
        sc = scenario(path.stem)
        clock = Clock(sc.starts, zone(sc.timezone))
        horizon = clock.after(0, sc.horizon)
        for inj, ob in sc.obligations:
            if ob.within is not None and not isinstance(ob.within, m.SlaRef):
                assert clock.after(clock.after(0, inj.at), ob.within) <= horizon, (path.stem, ob.id)


def test_mostly_nights_and_weekends():
    night = [p.stem for p in SCENARIOS if not _inside_office_hours(scenario(p.stem))]
    assert len(night) >= len(SCENARIOS) * 2 // 3


# -- the full matrix plays and scores --------------------------------------------------------


@pytest.mark.parametrize("sc_path", SCENARIOS, ids=lambda p: p.stem)
def test_every_runbook_plays_every_scenario(sc_path):
    for rb_path in RUNBOOKS:
        run = run_auto(open_pair(str(sc_path), str(rb_path)))
        c = run.card
        assert 0.0 <= c.overall <= 100.0
        assert c.results, (sc_path.stem, rb_path.stem)
        assert all(r.reason for r in c.results)
        assert run.events and run.events[-1].type == "end"


def test_the_library_separates_the_candidates():
    """Not every scenario ranks the runbooks the same way: each one tests something different."""
    winners = set()
    for path in SCENARIOS:
        scores = {p.stem: card(path.stem, p.stem).overall for p in RUNBOOKS}
        winners.add(max(scores, key=lambda k: (scores[k], k)))
        assert max(scores.values()) - min(scores.values()) >= 30, path.stem
    assert len(winners) >= 3, winners


# -- hours: the business-hours MSP at night ---------------------------------------------------


def _inside_office_hours(sc: m.Scenario) -> bool:
    rb = runbook(BUSINESS_HOURS_MSP)
    first = next(iter(rb.roles.values()))
    return rb.calendar(first).is_open(sc.starts)


def test_business_hours_msp_loses_every_night_to_the_24x7_msp_because_of_its_hours():
    night = [p.stem for p in SCENARIOS if not _inside_office_hours(scenario(p.stem))]
    assert len(night) >= 10
    late_acks: list[str] = []
    for sc in night:
        bh, always = card(sc, BUSINESS_HOURS_MSP), card(sc, ROUND_THE_CLOCK_MSP)
        assert always.overall > bh.overall + 30, sc
        # The reason is the hours clause, named in a finding or in the obligations' reasons.
        hours_findings = [f for f in bh.findings if f.code == "business-hours-only"]
        hours_reasons = [r for r in bh.results if "works business hours" in r.reason]
        assert hours_findings or hours_reasons, sc
        if scenario(sc).severity == "P1":
            assert any("Assigned engineer" in f.message and "mon-fri 08:00-17:00" in f.message for f in hours_findings), sc
        ack = next(r for r in bh.results if r.kind == "acknowledge")
        if ack.status != "met":  # 07:40 on a Monday is answered at 08:30, inside a 1-hour SLA
            assert "works business hours" in ack.reason, (sc, ack.reason)
            late_acks.append(sc)
        assert "business-hours-only" not in codes(always)
    assert len(late_acks) >= len(night) - 1


def test_in_office_hours_the_business_hours_msp_is_not_blamed_for_its_hours():
    day = [p.stem for p in SCENARIOS if _inside_office_hours(scenario(p.stem))]
    assert "two-incidents-at-once" in day
    for sc in day:
        bh = card(sc, BUSINESS_HOURS_MSP)
        ack = next(r for r in bh.results if r.kind == "acknowledge")
        assert "works business hours" not in ack.reason


# -- channels: the Microsoft 365 outage --------------------------------------------------------


def _email_only_update_plan(rb: m.Runbook) -> bool:
    updates = [r for r in rb.communication if r.kind == "update"]
    return bool(updates) and all(set(r.via) == {"email"} for r in updates)


def test_email_outage_breaks_every_email_only_update_plan():
    email_only = [p.stem for p in RUNBOOKS if _email_only_update_plan(runbook(p.stem))]
    assert {"acme-msp", BUSINESS_HOURS_MSP} <= set(email_only)
    for rb in email_only:
        c = card("m365-email-outage", rb)
        down = [f for f in c.findings if f.code == "channel-down" and f.subject == "email"]
        assert down, rb
        assert any("update plan relies on email" in f.message for f in down), (rb, [f.message for f in down])
        update = c.result("mail-flow-down/update:client_it_lead")
        assert update.status != "met" and update.credit < 0.5, (rb, update.reason)
        ceo = c.result("customers-bounce/notify:ceo") if "customers-bounce" in {r.inject for r in c.results} else None
        if ceo is not None:
            assert ceo.status == "missed"


def test_email_outage_rewards_a_plan_with_an_sms_or_phone_fallback():
    c = card("m365-email-outage", ROUND_THE_CLOCK_MSP)
    update = c.result("mail-flow-down/update:client_it_lead")
    assert update.status == "met"
    assert "channel-down" not in {f.code for f in c.findings if f.subject == "email"}
    for rb in ("acme-msp", BUSINESS_HOURS_MSP):
        assert c.overall > card("m365-email-outage", rb).overall + 30


# -- routes: GDPR processor -> controller -> supervisory authority ------------------------------


def _route_to_controller(rb: m.Runbook, sc: m.Scenario) -> bool:
    takes = set(sc.stakeholders["legal_counsel"].channels)
    clock = Clock(sc.starts, zone(sc.timezone))
    limit = clock.after(0, parse_duration("72h"))
    for rule in rb.communication:
        window = rule.within or rule.every
        if "legal_counsel" in rule.stakeholders and set(rule.via) & takes and window is not None:
            if clock.after(0, window) <= limit:
                return True
    return False


def test_gdpr_is_missed_by_every_runbook_with_no_route_to_the_controller():
    sc = scenario("lost-laptop-gdpr")
    without = [p.stem for p in RUNBOOKS if not _route_to_controller(runbook(p.stem), sc)]
    with_route = [p.stem for p in RUNBOOKS if p.stem not in without]
    assert {"acme-msp", BUSINESS_HOURS_MSP} <= set(without)
    assert len(with_route) >= 4
    for rb in without:
        c = card("lost-laptop-gdpr", rb)
        controller = c.result("personal-data-confirmed/notify:legal_counsel")
        assert controller.status == "missed", rb
        assert "never tells legal_counsel" in controller.reason, controller.reason
        assert any(f.code == "no-comm-route" and f.subject == "legal_counsel" for f in c.findings), rb
        assert c.result("personal-data-confirmed/notify:regulator").status == "missed"
    for rb in with_route:
        assert card("lost-laptop-gdpr", rb).result("personal-data-confirmed/notify:legal_counsel").status != "missed", rb
    worst_with_route = min(card("lost-laptop-gdpr", rb).overall for rb in with_route)
    assert all(card("lost-laptop-gdpr", rb).overall < worst_with_route for rb in without)


def test_gdpr_controller_told_late_when_the_only_author_is_a_weekday_vcio():
    c = card("lost-laptop-gdpr", "harbor-internal-vcio")
    r = c.result("personal-data-confirmed/notify:legal_counsel")
    assert r.status == "late" and "(vcio)" in r.reason and "Mon" in r.reason


# -- regulators: SEC 8-K and NIS2 ---------------------------------------------------------------


def test_sec_8k_is_filed_only_by_runbooks_that_act_on_the_materiality_determination():
    for p in RUNBOOKS:
        rb = runbook(p.stem)
        files = any(r.when == "inject:materiality-determined" and "regulator" in r.stakeholders for r in rb.communication)
        form = card("sec-8k-material-incident", p.stem).result("form-8k-item-1-05")
        if files:
            assert form.status == "met", (p.stem, form.reason)
        else:
            assert form.status == "missed", (p.stem, form.reason)
    # The 24x7 MSP, whose contract leaves filings to the client, loses this one to the fractional CTO.
    sentinel = card("sec-8k-material-incident", ROUND_THE_CLOCK_MSP)
    assert "never tells regulator" in sentinel.result("form-8k-item-1-05").reason
    assert card("sec-8k-material-incident", "keel-fractional-cto").overall > sentinel.overall


def test_sec_8k_deadline_counts_business_days():
    form = card("sec-8k-material-incident", "keel-fractional-cto").result("form-8k-item-1-05")
    assert "Thu 29 Oct 16:00" in form.reason  # Fri 16:00 + 4 business days, not + 96 hours


def test_nis2_early_warning_rewards_the_runbooks_that_plan_for_it():
    planned = {p.stem for p in RUNBOOKS
               if any(r.when == "inject:significant-incident" for r in runbook(p.stem).communication)}
    assert {"keel-fractional-cto", "northstar-handover", "harbor-internal-vcio"} <= planned
    for p in RUNBOOKS:
        warning = card("nis2-customer-breach", p.stem).result("early-warning")
        if p.stem in planned:
            assert warning.status in ("met", "late") and warning.done_at is not None, p.stem
        else:
            assert warning.status == "missed" and "never tells regulator" in warning.reason, p.stem
    # The weekday-only fractional CTO files on Monday morning: late, and the reason says why.
    keel = card("nis2-customer-breach", "keel-fractional-cto")
    assert any("Fractional CTO" in f.message for f in keel.findings if f.code == "business-hours-only")


# -- insurer consent -------------------------------------------------------------------------------


def test_forensics_before_insurer_notice_costs_half_credit_and_is_a_finding():
    c = card("sec-8k-material-incident", "harbor-internal-vcio")
    insurer = c.result("plants-encrypted/notify:cyber_insurer")
    assert insurer.penalties and "act:engage-forensics" in insurer.penalties[0]
    assert any(f.code == "order" and f.subject == "cyber_insurer" for f in c.findings)
    keel = card("sec-8k-material-incident", "keel-fractional-cto").result("plants-encrypted/notify:cyber_insurer")
    assert not keel.penalties  # notice first, panel forensics after: as its contract says


# -- bench depth: two incidents at once ------------------------------------------------------------


def test_unlimited_support_meets_a_concurrency_limit():
    thin = ["brightdesk-unlimited", "northstar-handover"]  # one engineer is both first responder and technical lead
    for rb in thin:
        c = card("two-incidents-at-once", rb)
        ack = c.result("phishing-from-assistant/acknowledge")
        assert ack.status != "met" and "unreachable when paged" in ack.reason, (rb, ack.reason)
        assert c.result("phishing-from-assistant/act:revoke-sessions").status != "met"
    deep = card("two-incidents-at-once", ROUND_THE_CLOCK_MSP)
    assert deep.result("phishing-from-assistant/acknowledge").status == "met"
    assert deep.result("phishing-from-assistant/act:revoke-sessions").status == "met"
    assert all(deep.overall > card("two-incidents-at-once", rb).overall + 50 for rb in thin)


def test_weekend_exposes_the_weekday_only_fractional_cto():
    c = card("migration-cutover-stall", "keel-fractional-cto")
    decision = c.result("go-no-go/decide:rollback-or-continue")
    assert decision.status == "missed" and "cto_phone hours" in decision.reason
    assert card("migration-cutover-stall", ROUND_THE_CLOCK_MSP).result("go-no-go/decide:rollback-or-continue").status == "met"
