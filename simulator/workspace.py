"""Opening the files of an exercise and running the headless pipeline (shared by CLI and TUI)."""

from __future__ import annotations

import attrs

from scoring.scorecard import Scorecard, score

from . import model as m
from .engine import play
from .events import Event
from .loading import load_document, load_text
from .transcript import Source, Transcript, make_header, render
from .yamlsrc import decode, parse, read_bytes


@attrs.frozen
class Pair:
    scenario: m.Scenario
    runbook: m.Runbook
    scenario_src: Source
    runbook_src: Source


def read_source(path: str, expect: str) -> tuple[object, Source]:
    """Load one file and keep its exact text (hashes must match the bytes on disk)."""
    raw = read_bytes(path, path)
    loaded = load_document(parse(path, decode(path, raw)), expect)
    return loaded.value, Source(expect, loaded.value.id, path, raw.decode("utf-8"))


def open_pair(scenario_path: str, runbook_path: str) -> Pair:
    sc, sc_src = read_source(scenario_path, "scenario")
    rb, rb_src = read_source(runbook_path, "runbook")
    return Pair(sc, rb, sc_src, rb_src)  # type: ignore[arg-type]


def pair_from_transcript(tr: Transcript) -> Pair:
    """The files as they were played, from the copies embedded in the header."""
    parts = []
    for kind in ("scenario", "runbook"):
        head = tr.header[kind]
        name = f"{tr.file} (embedded {kind} {head.get('path') or ''})".replace(" )", ")")
        value = load_text(name, head["text"], kind).value
        parts.append((value, Source(kind, value.id, str(head.get("path") or ""), head["text"])))
    (sc, sc_src), (rb, rb_src) = parts
    if "stress" in tr.header:  # a night from `ttx stress`: the scenario as played, at the start it was moved to
        from .stress.header import moved
        from .transcript import TranscriptError

        try:
            sc = moved(sc, tr.header["stress"])  # type: ignore[arg-type]
        except ValueError as e:
            raise TranscriptError(tr.file, str(e), 1) from None
    return Pair(sc, rb, sc_src, rb_src)  # type: ignore[arg-type]


@attrs.frozen
class AutoRun:
    pair: Pair
    events: list[Event]
    transcript: str
    card: Scorecard


def run_auto(pair: Pair, rubric: m.Rubric | None = None) -> AutoRun:
    events = play(pair.scenario, pair.runbook)
    text = render(make_header("auto", pair.scenario_src, pair.runbook_src), events)
    return AutoRun(pair, events, text, score(pair.scenario, pair.runbook, events, rubric, "auto"))


def rescore(tr: Transcript, rubric: m.Rubric | None = None) -> tuple[Pair, Scorecard]:
    pair = pair_from_transcript(tr)
    return pair, score(pair.scenario, pair.runbook, tr.events, rubric, tr.mode)
