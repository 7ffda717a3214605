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
        assert all(i.questions for i in sc.injects), "every inject gives the facilitator a question to put"
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
        # The reason is the hours clause (or its paid call-out), named in a finding or in the reasons,
        # except where the night ends inside the first hour (07:40 Monday is answered at 08:30, in time).
        hours_findings = [f for f in bh.findings if f.code == "business-hours-only"]
        hours_reasons = [r for r in bh.results if "works business hours" in r.reason or "called out after hours" in r.reason]
        first = next(r for r in bh.results if r.kind == "acknowledge")
        assert hours_findings or hours_reasons or first.status == "met", sc
        ack = next(r for r in bh.results if r.kind == "acknowledge")
        if ack.status != "met":  # 07:40 on a Monday is answered at 08:30, inside a 1-hour SLA
            if scenario(sc).severity == "P1":
                # the paid after-hours call-out answers a P1 in 2 hours: later than its own 1-hour promise
                assert "called out after hours for P1 (answers within 2h)" in ack.reason or "unreachable when paged" in ack.reason, (sc, ack.reason)
            else:
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
        assert update.status != "met" and update.credit <= 0.5, (rb, update.reason)
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
    limit = clock.after(0, parse_duration("24h"))
    for rule in rb.communication:
        window = rule.within or rule.every
        if "legal_counsel" in rule.stakeholders and set(rule.via) & takes and window is not None:
            if clock.after(0, window) <= limit:
                return True
    return False


def test_gdpr_clock_runs_from_the_hr_managers_report_not_from_the_intune_check():
    """The controller's own employee reports the loss at 0m: that is awareness (EDPB 9/2022)."""
    sc = scenario("lost-laptop-gdpr")
    start = next(i for i in sc.injects if i.id == "personal-data-confirmed")
    assert start.at.seconds == 0 and not start.at.business_days
    r = card("lost-laptop-gdpr", ROUND_THE_CLOCK_MSP).result("personal-data-confirmed/notify:legal_counsel")
    assert "due Sat 19:45 (24h)" in r.reason  # Friday 19:45 + 24h: the DPO has two days left for the 72h notice


def test_no_provider_is_scored_on_a_regulators_filing():
    """GDPR, NIS2, DORA and 8-K filings are the client's (`owner: client`): shown with their clock, never
    scored; the provider is scored on feeding counsel, the DPO or the registrant in time."""
    filings = 0
    for sc in ("lost-laptop-gdpr", "nis2-customer-breach", "sec-8k-material-incident", "dora-major-incident", "hr-saas-breach"):
        for _inj, ob in scenario(sc).obligations:
            if ob.kind == "notify" and ob.target == "regulator":
                filings += 1
                assert ob.owner == "client", (sc, ob.id)
                r = card(sc, ROUND_THE_CLOCK_MSP).result(ob.id)
                assert not r.scored and "the client's own duty" in r.reason, r.reason
    assert filings >= 7
    form = card("sec-8k-material-incident", "keel-fractional-cto").result("form-8k-item-1-05")
    assert "due Fri 13 Nov 16:00 (4bd)" in form.reason  # Veterans Day (Wed 11 Nov) is not a business day


def test_gdpr_dpo_gets_nothing_from_runbooks_with_no_route_to_counsel():
    sc = scenario("lost-laptop-gdpr")
    without = [p.stem for p in RUNBOOKS if not _route_to_controller(runbook(p.stem), sc)]
    with_route = [p.stem for p in RUNBOOKS if p.stem not in without]
    assert {"acme-msp", BUSINESS_HOURS_MSP} <= set(without)
    assert len(with_route) >= 3
    for rb in without:
        c = card("lost-laptop-gdpr", rb)
        assert c.result("personal-data-confirmed/notify:legal_counsel").status != "met", rb
    for rb in ("acme-msp", BUSINESS_HOURS_MSP):
        c = card("lost-laptop-gdpr", rb)
        dpo = c.result("personal-data-confirmed/notify:legal_counsel")
        assert dpo.status == "missed" and "the runbook's communication plan never tells them" in dpo.reason, dpo.reason
        assert any(f.code == "no-comm-route" and f.subject == "legal_counsel" for f in c.findings), rb
    for rb in set(with_route) - {"harbor-internal-vcio"}:  # Atlas: 24h from its SOC engaging, an hour late
        assert card("lost-laptop-gdpr", rb).result("personal-data-confirmed/notify:legal_counsel").credit > 0.9, rb
    worst_with_route = min(card("lost-laptop-gdpr", rb).overall for rb in with_route)
    assert all(card("lost-laptop-gdpr", rb).overall < worst_with_route for rb in ("acme-msp", BUSINESS_HOURS_MSP))


def test_gdpr_dpo_told_late_when_the_only_author_is_a_weekday_vcio():
    c = card("lost-laptop-gdpr", "harbor-internal-vcio")
    r = c.result("personal-data-confirmed/notify:legal_counsel")
    assert r.status == "late" and r.credit == 0 and "(vcio)" in r.reason and "Mon" in r.reason


def test_a_hotline_call_is_not_written_notice_to_the_insurer():
    """Atlas only calls the insurer's hotline; the wordings want written notice, so its notice is missed."""
    atlas = card("aitm-token-theft", "atlas-full-outsource")
    sentinel = card("aitm-token-theft", ROUND_THE_CLOCK_MSP)
    assert "attacker-persists" not in {r.inject for r in sentinel.results}  # sessions revoked before 1h
    r = atlas.result("attacker-persists/notify:cyber_insurer")
    assert r.status == "missed", r.reason
    keel = card("bec-wire-fraud", "keel-fractional-cto").result("wire-fraud-reported/notify:cyber_insurer")
    assert keel.status == "met" and "by email" in keel.reason


# -- regulators: SEC 8-K and NIS2 ---------------------------------------------------------------


def test_sec_8k_counsel_gets_the_technical_facts_only_from_runbooks_that_answer_the_request():
    facts = {p.stem: card("sec-8k-material-incident", p.stem).result("facts-for-item-1-05") for p in RUNBOOKS}
    assert facts["keel-fractional-cto"].status == "met" and "Mon 16:00" in facts["keel-fractional-cto"].reason
    assert "due Tue 16:00 (2bd)" in facts["keel-fractional-cto"].reason  # Fri 16:00 + 2 business days, not + 48 hours
    assert facts["northstar-handover"].status == "missed"  # its notice plan has nothing after the determination
    msp = facts[BUSINESS_HOURS_MSP]
    assert msp.status == "missed" and "communication plan never tells them" in msp.reason
    # The 24x7 MSP that excludes filings but supplies facts is no longer punished for the exclusion.
    assert card("sec-8k-material-incident", ROUND_THE_CLOCK_MSP).overall > card("sec-8k-material-incident", "northstar-handover").overall + 30


def test_sec_8k_recovery_is_days_not_a_two_day_restore():
    sc = scenario("sec-8k-material-incident")
    assert not any(ob.kind == "resolve" for _, ob in sc.obligations)
    assert sc.resolution.takes.seconds >= 4 * 86400


def test_nis2_csirt_replies_only_where_an_early_warning_was_drafted():
    held = {}
    for p in RUNBOOKS:
        events = run_auto(open_pair(str(ROOT / "scenarios" / "nis2-customer-breach.yaml"), str(p))).events
        fired = [e for e in events if e.type in ("inject", "inject_held") and e.data.get("id") == "csirt-reply"]
        held[p.stem] = fired[0].type if fired else None
    assert held["northstar-handover"] == "inject"          # its IT manager drafts the early warning on Sunday night
    assert held[ROUND_THE_CLOCK_MSP] == "inject_held"      # excludes regulatory drafting: no early warning, no reply
    assert held["keel-fractional-cto"] == "inject_held"    # the weekday CTO drafts on Monday, after 23h


def test_nis2_early_warning_facts_reward_a_night_route_to_counsel():
    for rb in (ROUND_THE_CLOCK_MSP, "northstar-handover"):
        assert card("nis2-customer-breach", rb).result("early-warning-facts").status == "met", rb
    keel = card("nis2-customer-breach", "keel-fractional-cto")
    ew = keel.result("early-warning-facts")
    assert ew.status == "late" and ew.credit == 0 and "Mon 08:00" in ew.reason
    assert any("Fractional CTO" in f.message for f in keel.findings if f.code == "business-hours-only")


def test_bec_recall_is_the_account_holders_decision():
    atlas = card("bec-wire-fraud", "atlas-full-outsource").result("wire-fraud-reported/decide:request-wire-recall")
    assert atlas.penalties and "owner is Controller (finance_lead)" in atlas.penalties[0]
    keel = card("bec-wire-fraud", "keel-fractional-cto").result("wire-fraud-reported/decide:request-wire-recall")
    assert keel.status == "met" and not keel.penalties
    ic3 = card("bec-wire-fraud", "keel-fractional-cto").result("wire-fraud-reported/decide:report-to-ic3")
    assert "due Mon 15:55" in ic3.reason  # 72 hours from the wire at Fri 15:55 (the Kill Chain's window)


# -- insurer consent -------------------------------------------------------------------------------


def test_forensics_before_insurer_notice_costs_half_credit_and_is_a_finding():
    c = card("sec-8k-material-incident", "harbor-internal-vcio")
    insurer = c.result("plants-encrypted/notify:cyber_insurer")
    assert insurer.penalties and "after task engage-forensics" in insurer.penalties[0]
    assert any(f.code == "order" and f.subject == "cyber_insurer" for f in c.findings)
    # SPEC v1.1: `before: act:TASK` is judged on when the task starts. Keel's CTO gives written notice at
    # Thu 21:45 (t=4500s) and starts forensics at 22:35 (t=7500s): notice first, no penalty, full credit.
    keel = card("sec-8k-material-incident", "keel-fractional-cto").result("plants-encrypted/notify:cyber_insurer")
    assert (keel.status, keel.credit, keel.penalties) == ("met", 1.0, ())


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


# -- the v2 archetypes: where each one's promise breaks -----------------------------------------


def test_offshore_noc_acknowledges_at_night_but_its_engineers_keep_india_office_hours():
    c = card("aitm-token-theft", "meridian-offshore-noc")
    assert c.result("token-replayed/acknowledge").status == "met"  # the NOC floor is 24x7
    sec = c.result("token-replayed/engage:security_lead")
    # Sunday 01:15 in London is Sunday in Bengaluru too: the security desk opens Monday 08:00 IST (02:30 London).
    assert sec.status == "late" and sec.credit == 0 and "Mon 03:00" in sec.reason, sec.reason


def test_paid_24x7_addon_meets_its_own_p1_acknowledgement_where_the_plain_business_hours_msp_cannot():
    addon = card("aitm-token-theft", "cobalt-msp-247-addon")
    ack = addon.result("token-replayed/acknowledge")
    assert ack.status == "met" and "oncall_engineer" in ack.reason
    sec = addon.result("token-replayed/engage:security_lead")
    assert sec.status == "missed" and "desk hours" in sec.reason  # the add-on buys an engineer, not a security lead
    bh = card("aitm-token-theft", BUSINESS_HOURS_MSP).result("token-replayed/acknowledge")
    assert bh.status != "met"


def test_every_night_path_can_meet_its_own_p1_acknowledgement():
    """A runbook whose night path cannot meet its own P1 promise is a straw man, not a candidate."""
    night = ["aitm-token-theft", "cloud-keys-leaked", "backup-restore-fails"]  # no curveball on the first responder
    for rb in ("harbor-internal-vcio", "cobalt-msp-247-addon", "ridgeline-fractional-ciso", "keel-fractional-cto",
               "sentinel-247", "atlas-full-outsource", "meridian-offshore-noc"):
        for sc in night:
            ack = next(r for r in card(sc, rb).results if r.kind == "acknowledge")
            assert ack.status == "met", (rb, sc, ack.reason)


def test_solo_breakfix_consultant_has_nobody_at_night_and_no_security_lead():
    c = card("aitm-token-theft", "dale-breakfix")
    ack = c.result("token-replayed/acknowledge")
    assert ack.status == "missed" and "workday hours" in ack.reason and "Mon 09:00" in ack.reason
    assert "engage security_lead: no role in the runbook fills it" in c.result("token-replayed/engage:security_lead").reason


def test_rmm_compromise_rewards_the_provider_that_phones_its_client_first():
    """Kaseya-style: the provider is the vector; the weighted obligation is the call to the client."""
    calls = {p.stem: card("rmm-supply-chain", p.stem).result("rmm-pushes-payload/notify:client_it_lead") for p in RUNBOOKS}
    assert calls[ROUND_THE_CLOCK_MSP].status == "met" and "by phone" in calls[ROUND_THE_CLOCK_MSP].reason
    assert calls[BUSINESS_HOURS_MSP].status == "missed"  # its first notice is a ticket e-mail
    assert calls["ridgeline-fractional-ciso"].credit == 0  # the CISO calls after answering in an hour


def test_fractional_ciso_wins_where_counsel_needs_facts_and_loses_where_hands_are_needed():
    ciso = "ridgeline-fractional-ciso"
    assert card("hr-saas-breach", ciso).result("personal-data-confirmed/notify:legal_counsel").status == "met"
    assert card("hr-saas-breach", ciso).overall > card("hr-saas-breach", ROUND_THE_CLOCK_MSP).overall
    assert card("backup-restore-fails", ciso).overall < card("backup-restore-fails", ROUND_THE_CLOCK_MSP).overall - 50


def test_dora_initial_notification_facts_within_two_hours_of_classification():
    facts = {p.stem: card("dora-major-incident", p.stem).result("initial-notification-facts") for p in RUNBOOKS}
    assert facts["ridgeline-fractional-ciso"].status == "met"  # keyed to the classification inject
    assert facts[BUSINESS_HOURS_MSP].status == "missed"
    assert "due Wed 02:40 (2h)" in facts[ROUND_THE_CLOCK_MSP].reason  # classified 00:40, four hours to file


def test_failed_msp_exit_is_won_by_a_runbook_with_an_exit_playbook():
    scores = {p.stem: card("msp-exit-failed", p.stem).overall for p in RUNBOOKS}
    without = [p.stem for p in RUNBOOKS if "msp-exit" not in runbook(p.stem).playbooks]
    assert {"acme-msp", BUSINESS_HOURS_MSP} <= set(without)
    assert max(scores[r] for r in without) < min(scores[r] for r in ("atlas-full-outsource", "northstar-handover"))


def test_docs_list_every_scenarios_norms():
    doc = (ROOT / "docs" / "library.md").read_text(encoding="utf-8")
    for path in SCENARIOS:
        sc = scenario(path.stem)
        assert f"### {sc.id}" in doc, sc.id
        for norm in sc.norms:
            assert f"- {norm}" in doc, (sc.id, norm)


def test_holidays_close_business_hours_but_not_24x7_or_paid_call_outs():
    """New Year's Day 2027 is a Friday: office-hours roles open on Monday, not at 08:00 on Friday."""
    keel = card("holiday-night-ransomware", "keel-fractional-cto")
    sec = keel.result("dispatch-encrypted/engage:security_lead")
    assert sec.status == "missed" and "Mon" in sec.reason, sec.reason
    addon = card("holiday-night-ransomware", "cobalt-msp-247-addon").result("dispatch-encrypted/acknowledge")
    assert addon.status == "met"  # the add-on's on-call works holidays
    bd = card("holiday-night-ransomware", BUSINESS_HOURS_MSP).result("dispatch-encrypted/acknowledge")
    assert "called out after hours" in bd.reason


def test_mdr_intake_pages_the_soc_first():
    """Security alerts go to the MDR analyst directly (`intake`), not through the desk's rollover."""
    harbor = card("aitm-token-theft", "harbor-internal-vcio")
    ack = harbor.result("token-replayed/acknowledge")
    assert ack.status == "met" and "mdr_analyst" in ack.reason
    assert harbor.result("token-replayed/engage:security_lead").status == "met"


def test_containment_promises_are_what_the_contract_says():
    """`sla.contain`: a runbook that promises no containment time leaves it unmeasurable (a finding)."""
    dale = card("holiday-night-ransomware", "dale-breakfix").result("dispatch-encrypted/act:isolate-host")
    assert dale.unmeasurable and dale.status == "missed"
    sentinel = card("holiday-night-ransomware", ROUND_THE_CLOCK_MSP).result("dispatch-encrypted/act:isolate-host")
    assert sentinel.status == "met" and "1h" in sentinel.reason


def test_unlimited_support_shows_its_pool_and_its_paid_call_out():
    """The brochure's "unlimited support" next to the contract: four engineers for 90 clients, and a
    P1 at night answered only by a paid call-out, 2 hours after the page."""
    c = card("two-incidents-at-once", BUSINESS_HOURS_MSP)
    pool = [f.message for f in c.findings if f.code == "shared-pool"]
    assert pool and "4 staff for 90 clients" in pool[0]
    callout = [f.message for f in c.findings if f.code == "after-hours-callout" and "the first responder is covered" in f.message]
    assert callout and "answers a P1 within 2h" in callout[0]
    holiday = card("holiday-night-ransomware", "keel-fractional-cto")
    assert any(f.code == "holiday-closed" and "New Year's Day" in f.message for f in holiday.findings)


def test_every_reason_names_its_own_obligation_once():
    """`ttx run` prints each reason after the obligation in words ("Notify Insurer claims line (cyber_insurer): ..."):
    across every shipped pair, the reason after it does not name that stakeholder, task or decision again, and a
    name with its own bracket reads as one name ("Dale (consultant; dale)", never "Dale (consultant), dale")."""
    from simulator.wording import Names, function_words, reason_line

    for sc in SCENARIOS:
        for rb in RUNBOOKS:
            s, r_ = scenario(sc.stem), runbook(rb.stem)
            who = Names(s, r_)
            bracketed = [f"{x.name}, {key}" for key, x in [*s.stakeholders.items(), *r_.roles.items()] if x.name.endswith(")")]
            for r in card(sc.stem, rb.stem).results:
                line = reason_line(r.kind, r.target, r.reason, who)
                named = who(r.target) if r.kind in ("notify", "update") else function_words(r.target or "") if r.kind == "engage" else r.target
                if named:
                    assert line.count(named) == 1, line
                assert not any(old in line for old in bracketed), line
