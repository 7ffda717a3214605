"""Each rule that once lived in two places now has one source: these tests pin the callers to it."""

from __future__ import annotations

import re

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
    # the board's column is narrow: its words are short, and say who (`metric` stays the id above)
    assert [p.label for p in replay.promises(len(replay))] == ["Acknowledge", "Engage security lead", "Engage incident commander",
                                                               "Restore"]
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


def test_the_board_and_the_report_word_every_event_the_same(tmp_path):
    """One wording (`simulator.wording`): the board's transcript line and the report's timeline row for each
    event, with names from the files, are the same text, and none is a raw `key=value` or trigger line.
    The board itself (its transcript widget, in a replay of the file) shows those lines, names and all."""
    from scoring.report import outline
    from simulator.board import describe
    from simulator.exercise import open_transcript
    from simulator.wording import Names
    from tests.test_report import hostile_docs

    extra = [Event(60, "note", {"text": "n"}), Event(120, "clock", {"action": "pause"}),
             Event(130, "clock", {"action": "step", "to": 2400}), Event(140, "clock", {"action": "run", "speed": 2}),
             Event(150, "clock", {"action": "resume", "interrupted": True}), Event(160, "retract", {"target": 1, "why": "typo"}),
             Event(170, "decide", {"decision": "pay", "by": "noc"}), Event(180, "act", {"task": "isolate", "by": "noc", "started": 100})]
    played, tr = transcript_from(*hostile_docs(), "live", extra)
    clock, names = played.card.scenario.clock(), Names(played.scenario, played.runbook)
    rows = outline(open_transcript(tr)).timeline
    board = [describe(e, clock, names) for e in tr.events]
    assert [r["text"] for r in rows] == board
    said = "\n".join(board)
    assert "Clock stepped to Sat 02:40" in said and "Clock paused" in said
    assert "Curveball ends: email is back" in said
    assert not re.search(r"\b(action|to|speed|target)=", said)  # no `clock: action=step, to=2400` rows
    # without the files at hand, roles by key and functions in words
    page = next(e for e in tr.events if e.type == "page")
    assert describe(page, clock).startswith("Paged noc (inject alert)")
    assert board[page.seq - 1].startswith(f"Paged {names('noc')} (inject alert)") and names("noc") != "noc"

    # what the facilitator sees: the board's rows carry the report's text, with the runbook's names
    import asyncio

    from simulator.textsafe import plain
    from simulator.tui.app import make_app

    path = tmp_path / "words.ttx.jsonl"
    path.write_text("\n".join(tr.lines) + "\n", encoding="utf-8")

    async def drawn() -> list[str]:
        app = make_app(replay=str(path))
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            log = app.screen.log_view
            return [log._row(i).plain for i in range(len(log.events))]

    shown = asyncio.run(drawn())
    said_rows = [plain(r["text"]) for r in rows]
    assert len(shown) == len(said_rows)
    for row, text in zip(shown, said_rows):
        assert text in row, (row, text)


def test_triggers_and_functions_read_as_words_in_findings_and_the_raci_chart():
    """`when: engaged:security_lead` and function keys are runbook syntax: the room hears plain words."""
    from simulator.raci import chart, to_html, to_markdown
    from simulator.wording import action_words, when_words
    from tests.helpers import base_runbook, base_scenario, load_pair, play_pair

    assert [when_words(w) for w in ("declared", "resolved", "engaged:security_lead", "done:isolate", "inject:alert")] == [
        "the declaration", "service being restored", "the security lead being engaged", "isolate being done", "inject alert"]
    assert action_words("decide", "pay") == "the decision pay" and action_words("act", "isolate") == "task isolate"
    sc = base_scenario(stakeholders={"cyber_insurer": {"name": "Insurer", "channels": ["phone"]}},
                       injects=[{"id": "alert", "at": "0m", "message": "Alert", "expects": [
                           {"acknowledge": {"within": "15m"}}, {"engage": "security_lead", "within": "30m"},
                           {"notify": "cyber_insurer", "within": "1h"}]}])
    rb = base_runbook(roles={"noc": {"name": "NOC", "fills": ["first_responder", "incident_commander", "security_lead"],
                                     "hours": "business", "responds": "10m"}},
                      communication=[{"notify": ["cyber_insurer"], "via": "phone", "by": "noc", "when": "engaged:security_lead",
                                      "within": "4h"}])
    _, card = play_pair(sc, rb)
    said = " ".join(f.message + f.question + f.action for f in card.findings)
    assert "within 4h of the security lead being engaged; this scenario needs it within 1h of inject alert" in said
    assert "the only security lead — NOC" in said and "_lead" not in said.replace("security_lead", "").replace("engaged:", "")
    assert "engaged:" not in said
    _, runbook = load_pair(sc, rb)
    c = chart(runbook)
    assert "Notify cyber_insurer by phone (within 4h of the security lead being engaged)" in [x.activity for x in c.lines]
    assert "engaged:" not in to_markdown(c) + to_html(c)


def test_a_shared_pool_is_worded_once_in_the_finding_the_stress_report_and_a_sampled_page(capsys):
    """Erlang C in words (`erlang.pool_words`): the as-stated finding and `ttx stress` say the same numbers
    (the stress report once rounded the mean wait twice and said 24s where the finding said 25s)."""
    import json

    from simulator.stress import erlang
    from tests.helpers import ROOT

    sc, rb = str(ROOT / "scenarios" / "ransomware-fileserver.yaml"), str(ROOT / "scenarios" / "runbooks" / "brightdesk-unlimited.yaml")
    assert main(["run", sc, "-r", rb, "-f", "json"]) == 0
    finding = next(f for f in json.loads(capsys.readouterr().out)["scorecard"]["findings"] if f["code"] == "shared-pool")
    assert main(["stress", sc, "-r", rb, "-n", "0", "--jobs", "1", "-f", "json"]) == 0
    pool = json.loads(capsys.readouterr().out)["pools"][0]
    said = erlang.pool_words(erlang.queue(4, 90, 2.0, 3.0), "2 incidents per client per month, 3h each")
    assert said == "4 staff for 90 clients (at 2 incidents per client per month, 3h each, 0.75 erlangs): a page waits in 1% of cases, 25s on average"
    assert finding["message"] == f"Assigned engineer (assigned_engineer) is shared with other clients: {said}; the as-stated times leave that out"
    assert pool["text"] == f"Assigned engineer (assigned_engineer): {said}"
    overloaded = erlang.pool_words(erlang.queue(1, 200, 2.0, 3.0), "2 incidents per client per month, 3h each")
    assert overloaded.endswith("1.67 erlangs): more work than people, so its pages are never answered")
