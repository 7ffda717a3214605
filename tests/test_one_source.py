"""Each rule that once lived in two places now has one source: these tests pin the callers to it."""

from __future__ import annotations

import pytest

from simulator import engine, exercise
from simulator.cli import main
from simulator.events import Event
from tests.test_report import hostile_docs, transcript_from


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_export_loads_the_embedded_files_once_and_plays_only_a_live_transcript_once(tmp_path, monkeypatch, fmt):
    _, tr = transcript_from(*hostile_docs(), "live", [Event(60, "note", {"text": "n"})])
    path = tmp_path / "live.ttx.jsonl"
    path.write_text("\n".join(tr.lines) + "\n", encoding="utf-8")
    loads: list[str] = []
    plays: list[str] = []
    real_load, real_play = exercise.load_text, engine.play

    def counted_load(name: str, text: str, expect: str | None = None):
        loads.append(expect or "")
        return real_load(name, text, expect)

    def counted_play(sc, rb, *rest):
        plays.append(sc.id)
        return real_play(sc, rb, *rest)

    monkeypatch.setattr(exercise, "load_text", counted_load)
    monkeypatch.setattr(exercise, "play", counted_play)
    monkeypatch.setattr(engine, "play", counted_play)
    assert main(["export", str(path), "--format", fmt, "-o", str(tmp_path / f"out.{fmt}")]) == 0
    assert loads == ["scenario", "runbook"]
    assert plays == ["test"]  # the as-stated card beside the live one, made once


def test_export_of_an_as_stated_transcript_plays_nothing(tmp_path, monkeypatch):
    _, tr = transcript_from(*hostile_docs())
    path = tmp_path / "auto.ttx.jsonl"
    path.write_text("\n".join(tr.lines) + "\n", encoding="utf-8")
    plays: list[str] = []
    monkeypatch.setattr(exercise, "play", lambda sc, rb, *rest: plays.append(sc.id) or [])
    monkeypatch.setattr(engine, "play", lambda sc, rb, *rest: plays.append(sc.id) or [])
    assert main(["export", str(path), "--format", "html", "-o", str(tmp_path / "out.html")]) == 0
    assert plays == []  # the transcript is itself the as-stated play


def test_tui_and_report_list_the_same_promised_vs_delivered_rows():
    """`decide: pay, by: incident_commander` and no engage obligation: the incident commander must still be
    engaged to decide, so both the TUI and the report list the engage promise for them (the TUI once did not)."""
    from scoring.report import outline
    from simulator.exercise import open_transcript
    from simulator.replay import Replay
    from tests.helpers import base_runbook, base_scenario

    sc = base_scenario(playbook="p", injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
        {"acknowledge": {"within": "15m"}}, {"engage": "security_lead", "within": "30m"},
        {"decide": "pay", "by": "incident_commander", "within": "2h"}]}])
    rb = base_runbook(roles={
        "noc": {"name": "NOC", "fills": ["first_responder", "incident_commander"], "hours": "always", "responds": "10m"},
        "soc": {"name": "SOC", "fills": ["security_lead"], "hours": "always", "responds": "20m"}})
    _, tr = transcript_from(sc, rb, "live", [Event(60, "note", {"text": "n"})])
    replay = Replay(tr)
    tui = [p.metric for p in replay.promises(len(replay))]
    assert tui == ["acknowledge", "engage security_lead", "engage incident_commander", "restore"]
    report = [row["metric"] for row in (outline(open_transcript(tr)).promised or [])]
    assert report == ["Time to acknowledge", "Time to engage security lead", "Time to engage incident commander",
                      "Time to restore service", "Notifications on time"]


def pair_label(pair, t):
    from simulator.timing import Clock, zone

    return Clock(pair.scenario.starts, zone(pair.scenario.timezone)).label(t)


@pytest.mark.parametrize("record_act", [False, True])
def test_live_session_and_engine_hold_the_same_inject(tmp_path, record_act):
    """One rule for `when:` holds: the engine (as stated) and the live session emit the same event."""
    import yaml

    from simulator.exercise import open_pair
    from simulator.session import Session
    from tests.helpers import base_runbook, base_scenario

    sc = base_scenario(playbook="p", injects=[
        {"id": "alert", "at": "0m", "message": "Alert", "expects": [{"act": "isolate", "within": "20m"}]},
        {"id": "spread", "at": "30m", "message": "It spreads", "when": {"not_done": "isolate"}},
        {"id": "calm", "at": "40m", "message": "Contained", "when": {"done": "isolate"}}])
    rb = base_runbook(playbooks={"p": [{"act": "isolate", "by": "noc", "takes": "5m"}]}) if record_act else base_runbook()
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc, sort_keys=False))
    (tmp_path / "r.yaml").write_text(yaml.safe_dump(rb, sort_keys=False))
    pair = open_pair(str(tmp_path / "s.yaml"), str(tmp_path / "r.yaml"))
    stated = [e for e in engine.play(pair.scenario, pair.runbook) if e.type in ("inject", "inject_held")]
    done = next((e.t for e in engine.play(pair.scenario, pair.runbook) if e.type == "act"), None)
    s = Session.start(pair, str(tmp_path / "live.ttx.jsonl"), wall=lambda: 0.0, stamp=lambda: "2026-11-22T10:00:00.000Z")
    try:
        s.step()  # the first inject
        if done is not None:
            s.record("act", when=f"+{done // 60}m", task="isolate", by="noc")
        while not s.ended:  # a step skips an inject that will be held; the held ones are delivered on the way
            s.step()
        live = [e for e in s.events if e.type in ("inject", "inject_held")]
    finally:
        s.close()
    assert [(e.t, e.type, e.data) for e in live] == [(e.t, e.type, e.data) for e in stated]
    held = [e.data["reason"] for e in live if e.type == "inject_held"]
    assert held == ([f"isolate was done at {pair_label(pair, done)}"] if record_act else ["isolate was not done by then"])


def test_the_help_screen_lists_every_key_a_screen_binds_and_no_other():
    """help.KEYMAP (the help screen and the command palette) against each screen's BINDINGS."""
    from textual.binding import Binding

    from simulator.tui.exercise import ExerciseScreen
    from simulator.tui.help import KEYMAP
    from simulator.tui.picker import PickerScreen
    from simulator.tui.replay import ReplayScreen
    from simulator.tui.results import ResultsScreen

    for name, cls in {"exercise": ExerciseScreen, "replay": ReplayScreen, "results": ResultsScreen, "picker": PickerScreen}.items():
        bound = {(b.key if isinstance(b, Binding) else b[0]): (b.action if isinstance(b, Binding) else b[1]) for b in cls.BINDINGS}
        listed_actions = {action for _, _, action, _ in KEYMAP[name] if action}
        listed_keys = {key.casefold() for key, _, action, _ in KEYMAP[name] if not action}
        for key, action in bound.items():
            if action == "app.help":
                continue  # listed once, under "everywhere"
            assert action in listed_actions or key.casefold() in listed_keys, f"{name}: {key} ({action}) is not in the help"
        assert listed_actions <= set(bound.values()), f"{name}: help lists {listed_actions - set(bound.values())}, bound to nothing"


def test_one_event_vocabulary():
    """events.EVENT_TYPES names every event type: what the engine writes, what a facilitator records,
    what the scenario brings and what a transcript's fields are checked for."""
    from simulator.events import ACTION_TYPES, EVENT_TYPES, MESSAGE_TYPES, SCENARIO_TYPES
    from simulator.exercise import open_pair
    from simulator.session import ACTIONS
    from simulator.transcript import _FIELDS

    assert ACTIONS == ACTION_TYPES
    assert set(ACTION_TYPES) | set(SCENARIO_TYPES) | set(MESSAGE_TYPES) | set(_FIELDS) <= set(EVENT_TYPES)
    from tests.helpers import ROOT

    pair = open_pair(str(ROOT / "scenarios/ransomware-fileserver.yaml"), str(ROOT / "scenarios/runbooks/acme-msp.yaml"))
    assert {e.type for e in engine.play(pair.scenario, pair.runbook)} <= set(EVENT_TYPES)
