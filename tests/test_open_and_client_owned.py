"""SPEC v1.1 section 7: obligations due after the horizon (`open`) and the client's own duties
(`owner: client`): shown with their status and reason, left out of every score. Hand-computed."""

from __future__ import annotations

from tests.helpers import base_runbook, base_scenario, play_pair


def _report_due(within: str, horizon: str, send_after: str | None, **ob):
    sc = base_scenario(horizon=horizon, stakeholders={"regulator": {"name": "SEC", "channels": ["email"]}},
                       injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
                           {"acknowledge": {"within": "15m"}}, {"notify": "regulator", "within": within} | ob]}])
    comms = [{"notify": ["regulator"], "via": "email", "by": "noc", "when": "declared", "within": send_after}] if send_after else []
    return play_pair(sc, base_runbook(communication=comms))


def test_an_obligation_due_after_the_horizon_is_open_and_left_out():
    # Saturday 02:00, 4bd -> Thu 02:00, after the 1d horizon. Not done: open, out of the scores, so only the
    # met acknowledgement counts: overall 100 (counted as missed it would be (40*100 + 40*0)/80 = 50).
    _, card = _report_due("4bd", "1d", None)
    r = card.result("alert/notify:regulator")
    assert (r.status, r.credit) == ("open", 0.0)
    assert "open: not done by the end of the exercise" in r.reason and "left out of the scores" in r.reason
    assert card.category("communication") is None and card.overall == 100.0
    # Done by the horizon (at 10m + 6h): judged as usual, met.
    _, done = _report_due("4bd", "1d", "6h")
    assert done.result("alert/notify:regulator").status == "met" and done.category("communication").score == 100.0


def test_client_owned_obligations_are_shown_and_not_scored():
    # The filing is the client's own duty: missed here, shown with its reason, and overall stays 100.
    _, card = _report_due("2h", "12h", None, owner="client")
    r = card.result("alert/notify:regulator")
    assert (r.status, r.owner, r.scored) == ("missed", "client", False)
    assert r.reason.endswith("the client's own duty: shown, not scored")
    assert card.overall == 100.0 and card.category("communication") is None


def test_the_report_words_open_one_way_in_the_verdict_and_on_its_row():
    """As stated, what falls due after the horizon is "due after the exercise ends, not scored", in the verdict's tally
    and on the obligation's row alike (the verdict once said "due after the end"); after a stop, "due after the stop"."""
    from scoring.outline import outline
    from scoring.played import Played

    events, card = _report_due("4bd", "1d", None)
    o = outline(Played(card, events=events))
    words = "due after the exercise ends, not scored"
    assert f"1 of 1 obligations met on time, 0 late, 0 missed; 1 open ({words}); " in o.verdict
    assert next(r["status_words"] for r in o.obligations if r["status"] == "open") == f"open ({words})"
    assert o.open_words == words and o.open_at_stop == 0
