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
