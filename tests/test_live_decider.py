"""SPEC v1.1 section 7, live: a decision recorded without naming who decided cannot take full credit on a
decision that has an owner. `d` then Enter is the one-key path: the form names the owner by default
(issue 14), so the common path takes full credit and clearing "Decided by" is what costs half
(Textual pilot on the shipped ransomware scenario and the Acme runbook)."""

from __future__ import annotations

from simulator.exercise import rescore
from simulator.transcript import read

from .pilot import app_for, exercise, record, sync


@sync
async def test_a_decision_recorded_with_nobody_named_is_half_credit_and_a_finding(tmp_path):
    path = tmp_path / "decide.ttx.jsonl"
    app = app_for(path)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("s")  # 02:07 edr-alert
        await pilot.pause()
        await pilot.press("s")  # 02:52 backups-mounted fires (isolate-host not done): decide restore-or-negotiate, by the CEO
        await pilot.pause()
        # "Decided by" cleared: open its picker and go up from the preselected ceo (four roles, client_it_lead) to "(nobody named)"
        await record(pilot, "d", "tab", "space", *["up"] * 6, "enter", "enter")
        await pilot.pause()
    tr = read(str(path))
    decide = next(e for e in tr.events if e.type == "decide")
    assert (decide.get("decision"), decide.get("by")) == ("restore-or-negotiate", None)
    _, card = rescore(tr)
    r = card.result("backups-mounted/decide:restore-or-negotiate")
    # decided at the inject's own time, due at the 12h horizon: met, credit 1, halved for the unnamed decider
    assert (r.status, r.credit) == ("met", 0.5)
    assert r.penalties == ("recorded without naming who decided; the owner is CEO (ceo)",)
    assert any(f.code == "decision-owner" and "recorded without naming who decided" in f.message for f in card.findings)


@sync
async def test_d_then_enter_names_the_owner_and_gives_full_credit(tmp_path):
    path = tmp_path / "decide-ceo.ttx.jsonl"
    async with exercise(path) as (app, pilot):
        await pilot.press("s")
        await pilot.pause()
        await record(pilot, "d", "enter")  # every default: the open decision, decided by its owner (the CEO), now
        await pilot.pause()
    tr = read(str(path))
    decide = next(e for e in tr.events if e.type == "decide")
    _, card = rescore(tr)
    r = card.result("backups-mounted/decide:restore-or-negotiate")
    assert decide.get("by") == "ceo" and (r.credit, r.penalties) == (1.0, ())
