"""SPEC section 11: the worked example, every row of the table and every score, exactly."""

from __future__ import annotations

import pytest

from scoring.scorecard import score
from simulator.engine import play
from simulator.loading import load
from tests.helpers import FIXTURES, m_


@pytest.fixture(scope="module")
def card():
    sc = load(str(FIXTURES / "spec_scenario.yaml")).value
    rb = load(str(FIXTURES / "spec_runbook.yaml")).value
    return score(sc, rb, play(sc, rb))


ROWS = [  # obligation id, due, done, status, credit -- as printed in SPEC section 11
    ("edr-alert/acknowledge", m_(15), m_(35), "late", 0.0),
    ("edr-alert/engage:security_lead", m_(30), None, "missed", 0.0),
    ("edr-alert/notify:client_it_lead", m_(30), m_(110), "late", 0.0),
    ("edr-alert/resolve", m_(240), m_(350), "late", 0.5417),
    ("backups-mounted/act:isolate-host", m_(60), m_(50), "met", 1.0),
    ("backups-mounted/decide:restore-or-negotiate", m_(12 * 60), m_(260), "met", 1.0),
    ("backups-mounted/notify:cyber_insurer", m_(4 * 60 + 45), None, "missed", 0.0),
]


@pytest.mark.parametrize("oid,due,done,status,credit", ROWS)
def test_table_row(card, oid, due, done, status, credit):
    r = card.result(oid)
    assert (r.due, r.done_at, r.status) == (due, done, status)
    assert round(r.credit, 4) == credit


def test_update_series_windows(card):
    r = card.result("edr-alert/update:client_it_lead")
    assert [w.due for w in r.windows] == [m_(60), m_(170), m_(230), m_(290)]
    assert [w.done_at for w in r.windows] == [m_(110), None, None, None]
    assert [w.status for w in r.windows] == ["late", "missed", "missed", "missed"]
    assert [round(w.credit, 6) for w in r.windows] == [round(1 / 6, 6), 0, 0, 0]


def test_scores_and_ratings(card):
    cats = {c.name: (c.score, c.rating) for c in card.categories}
    assert cats == {"sla": (18.06, "U"), "communication": (26.04, "U"), "response": (100.0, "P")}
    assert card.overall == 37.64


def test_story_of_the_night(card):
    """The narrative of section 11, from the events themselves."""
    sc = load(str(FIXTURES / "spec_scenario.yaml")).value
    rb = load(str(FIXTURES / "spec_runbook.yaml")).value
    ev = play(sc, rb)
    pages = [(e.t, e.data["role"]) for e in ev if e.type == "page"]
    assert pages == [(0, "noc_tier1"), (m_(15), "noc_tier2"), (m_(35), "soc_manager"), (m_(65), "vcto")]
    answers = [(e.t, e.data["role"]) for e in ev if e.type == "answer"]
    assert answers == [(m_(35), "noc_tier2"), (m_(110), "vcto")]
    assert [(e.t, e.data["task"]) for e in ev if e.type == "act"] == [(m_(50), "isolate-host"), (m_(230), "restore-from-backup")]
    assert [e.t for e in ev if e.type == "decide"] == [m_(260)]
    assert [e.t for e in ev if e.type == "resolve"] == [m_(350)]
    emails = [e.t for e in ev if e.type == "update" and e.data["stakeholder"] == "client_it_lead"]
    assert emails == [m_(x) for x in (110, 155, 215, 275, 335)]
    assert not any(e.data["delivered"] for e in ev if e.type == "update")
    assert [e.data["id"] for e in ev if e.type == "inject"] == ["edr-alert", "backups-mounted"]


def test_reasons_read_aloud(card):
    engage = card.result("edr-alert/engage:security_lead").reason
    # SPEC's example reason, with the key the forms use, and the role named once
    assert "SOC manager (soc_manager) works business hours" in engage and engage.count("SOC manager") == 1
    assert "paged Sat 02:42, would answer Mon 08:30" in engage and "due Sat 02:37" in engage
    assert "20m late" in card.result("edr-alert/acknowledge").reason
    insurer = card.result("backups-mounted/notify:cyber_insurer").reason
    assert "24h" in insurer and "Sun 02:42" in insurer


def test_findings_named_in_the_spec(card):
    codes = {f.code: f for f in card.findings}
    assert "the only security lead" in codes["business-hours-only"].message
    assert "SOC manager" in codes["business-hours-only"].message
    assert "ceo" in codes["channel-mismatch"].message and "phone" in codes["channel-mismatch"].message
    assert "email" in codes["channel-down"].message
    assert "24h" in codes["comm-window-too-long"].message and "4h" in codes["comm-window-too-long"].message


def test_ttx_run_says_who_not_which_key(capsys):
    """What a founder reads aloud from `ttx run`: people by the runbook's and scenario's names (with the key the
    forms use), the obligation in words before each reason, the metrics in words; the obligation ids stay ids."""
    from simulator.cli import main

    assert main(["run", str(FIXTURES / "spec_scenario.yaml"), "--runbook", str(FIXTURES / "spec_runbook.yaml")]) == 0
    out = capsys.readouterr().out
    why = out[out.index("\nWhy\n"):out.index("\nHeadline metrics\n")]
    for said in [
        "[late  ] Acknowledge the alert: acknowledged Sat 02:42 by NOC tier 2 (noc_tier2), 20m late; due Sat 02:22 "
        "(P1 acknowledge SLA 15m); NOC tier 1 (noc_tier1): unreachable when paged (curveball-1)",
        "[missed] Engage security lead: SOC manager (soc_manager) works business hours (mon-fri 08:00-18:00 America/Chicago); "
        "paged Sat 02:42, would answer Mon 08:30; due Sat 02:37 (30m)",
        "[late  ] Notify Dana (IT manager; client_it_lead): told Sat 03:57 by phone from Fractional CTO (vcto), 1h20m late",
        "[late  ] Keep updating Dana (IT manager; client_it_lead): every 1h (P1 update SLA 1h): due Sat 03:07 late 50m,",
        "[met   ] Do isolate-host: done Sat 02:57 by NOC tier 2 (noc_tier2); due Sat 03:07 (15m)",
        "[met   ] Decide restore-or-negotiate: decided Sat 06:27 by CEO (ceo); due Sat 14:07",
        # the obligation names the insurer; the reason after it does not again
        "[missed] Notify Insurer claims line (cyber_insurer): the plan tells them within 24h of declaration (Sun 02:42), "
        "after the end (Sat 14:07); due Sat 06:52 (4h)",
    ]:
        assert f"\n  {said}" in why, said
    assert "\n  Longest gap between updates to Dana (IT manager; client_it_lead)  4h\n" in out
    assert "\n  Time to engage security lead        —\n" in out
    for said in ["HIGH   CEO (ceo) is sent email but takes only phone",
                 "ask: How do your updates reach CEO (ceo) when they only take phone?",
                 "HIGH   Insurer claims line (cyber_insurer) is promised a message within 24h of the declaration",
                 "HIGH   the only security lead — SOC manager (soc_manager), business hours mon-fri 08:00-18:00 — works set hours"]:
        assert said in out, said
    assert "  edr-alert/engage:security_lead  " in out  # the Obligations table keeps the ids the JSON has


def test_reasons_keep_a_key_head_and_name_people_after_it(card):
    """The JSON and CSV reason: a head of keys a tool can split off, then people by name."""
    assert card.result("edr-alert/engage:security_lead").reason.startswith("engage security_lead: SOC manager (soc_manager) works")
    assert card.result("edr-alert/update:client_it_lead").reason.startswith("update client_it_lead: every 1h (P1 update SLA 1h): ")
    assert card.result("backups-mounted/decide:restore-or-negotiate").reason == (
        "decide restore-or-negotiate: decided Sat 06:27 by CEO (ceo); due Sat 14:07")
    mismatch = next(f for f in card.findings if f.code == "channel-mismatch")
    assert (mismatch.subject, mismatch.message) == ("ceo", "CEO (ceo) is sent email but takes only phone")
