"""An exercise assembled: open a pair of files, play, score; verify a transcript (shared by CLI and TUI)."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from scoring.played import Played
from scoring.scorecard import Scorecard, score

from . import __version__
from . import model as m
from .engine import play
from .events import Event
from .loading import load_document, load_text
from .textsafe import plain
from .transcript import Source, Transcript, chain_problem, make_header, render, sha256_text
from .yamlsrc import decode, parse, read_bytes

if TYPE_CHECKING:
    from scoring.compare import Comparison


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
    """The runbook played as stated: its events, its transcript and its card."""

    pair: Pair
    events: list[Event]
    card: Scorecard

    @functools.cached_property
    def transcript(self) -> str:  # compare plays hundreds of pairs and writes none of them
        return render(self.header, self.events)

    @property
    def header(self) -> dict[str, Any]:
        return make_header("auto", self.pair.scenario_src, self.pair.runbook_src)

    def played(self) -> Played:
        return Played(self.card, self.pair.scenario, self.pair.runbook, self.card, self.header, self.events)


def run_auto(pair: Pair, rubric: m.Rubric | None = None) -> AutoRun:
    events = play(pair.scenario, pair.runbook)
    return AutoRun(pair, events, score(pair.scenario, pair.runbook, events, rubric, "auto"))


def as_stated(pair: Pair, rubric: m.Rubric | None = None) -> Scorecard:
    """The as-stated card: the one place it is made for a live exercise, its replay, reports and compare."""
    return score(pair.scenario, pair.runbook, play(pair.scenario, pair.runbook), rubric, "auto")


def rescore(tr: Transcript, rubric: m.Rubric | None = None) -> tuple[Pair, Scorecard]:
    pair = pair_from_transcript(tr)
    return pair, score(pair.scenario, pair.runbook, tr.events, rubric, tr.mode)


def open_transcript(tr: Transcript, rubric: m.Rubric | None = None) -> Played:
    """A transcript scored, with what its reports need: its embedded files loaded once, and (live) played as stated once."""
    pair, card = rescore(tr, rubric)
    stated = card if card.mode == "auto" else as_stated(pair, rubric)
    return Played(card, pair.scenario, pair.runbook, stated, tr.header, tr.events)


def _unique(paths: Sequence[str]) -> list[str]:
    """Each file once, in the order given (the same file twice would count twice)."""
    seen: set[str] = set()
    out = []
    for p in paths:
        real = os.path.realpath(p)
        if real not in seen:
            seen.add(real)
            out.append(p)
    return out


def compare(scenario_paths: Sequence[str], runbook_paths: Sequence[str], transcript_paths: Sequence[str] | None = None,
            rubric: m.Rubric | None = None) -> Comparison:
    """Play every runbook on every scenario as stated and rank the runbooks (`ttx compare`).

    Each file is read and checked once; each pair is then one in-process play and one scoring.
    A file that does not load raises `LoadError`; a transcript that does not read, `TranscriptError`.
    """
    from scoring import rubric as rubric_mod
    from scoring.compare import LiveResult, rank

    from .transcript import read

    rules = rubric or rubric_mod.DEFAULT
    sc_paths, rb_paths = _unique(scenario_paths), _unique(runbook_paths)
    scenarios: list[m.Scenario] = [read_source(p, "scenario")[0] for p in sc_paths]  # type: ignore[misc]
    runbooks: list[m.Runbook] = [read_source(p, "runbook")[0] for p in rb_paths]  # type: ignore[misc]
    cards = [(rb, path, [score(sc, rb, play(sc, rb), rules, "auto") for sc in scenarios]) for rb, path in zip(runbooks, rb_paths)]
    live = []
    for p in _unique(transcript_paths or []):
        ex = open_transcript(read(p), rules)
        assert ex.scenario is not None and ex.runbook is not None and ex.stated is not None
        live.append(LiveResult(p, ex.scenario.id, ex.scenario.title, ex.runbook.id, ex.runbook.provider, ex.card, ex.stated))
    return rank(list(zip(scenarios, sc_paths)), cards, live, rules)


def verify(tr: Transcript, base_dir: str | None = None) -> list[str]:
    """Problems with a transcript's integrity, first bad line first; empty when intact."""
    problems: list[str] = []
    if tr.truncated:
        problems.append(f"{tr.file}:{len(tr.lines) + 1}: last line is incomplete (cut off while writing)")
    for key in ("scenario", "runbook"):
        part = tr.header[key]
        if sha256_text(part["text"]) != part.get("sha256"):
            problems.append(f"{tr.file}:1: the embedded {key} does not match its recorded sha256 (header edited)")
        path = part.get("path")
        if isinstance(path, str) and path:
            candidates = [path] if os.path.isabs(path) else [path, os.path.join(base_dir or os.path.dirname(tr.file), path)]
            found = next((c for c in candidates if os.path.isfile(c)), None)
            if found is None:
                looked = dict.fromkeys(os.path.abspath(c) for c in candidates)  # from here, then beside the transcript
                problems.append(f"{tr.file}:1: {key} file {plain(path)} not found (looked for "
                                f"{' and '.join(plain(c) for c in looked)}), so it cannot be compared")
            else:
                digest = hashlib.sha256()
                with open(found, "rb") as fh:  # in pieces: the path comes from the file and may name anything
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        digest.update(chunk)
                actual = digest.hexdigest()
                if actual != part.get("sha256"):
                    problems.append(f"{tr.file}:1: {key} file {plain(path)} has changed since the exercise (sha256 differs)")
    chain = chain_problem(tr)
    if chain:
        problems.append(chain)
    elif tr.mode == "auto" and not tr.truncated:
        problems += _replay_problems(tr)
    # the first bad line first (header problems are line 1)
    return sorted(problems, key=lambda p: int(p[len(tr.file) + 1:].split(":", 1)[0] or 0))


def _replay_problems(tr: Transcript) -> list[str]:
    """An as-stated transcript is deterministic: replaying its embedded files must give the same lines.

    This catches what no hash chain can: an edited or deleted last line, or a whole chain recomputed
    by someone who edited an event. Skipped for transcripts made by another ttx version."""
    if tr.header.get("tool_version") != __version__:
        return []
    try:
        pair = pair_from_transcript(tr)
    except Exception as e:  # noqa: BLE001 - an unloadable embedded file is itself the finding
        return [f"{tr.file}:1: the embedded files no longer load ({str(e).splitlines()[0]})"]
    stress = tr.header.get("stress")
    chance = None
    if stress is not None:  # a sampled night (SPEC section 12): re-derive its draws from the seed
        from .stress.header import draw_problem, night

        try:
            chance = night(pair.runbook, stress)
        except ValueError as e:
            return [f"{tr.file}:1: {e}"]
    expected = render(tr.header, play(pair.scenario, pair.runbook, chance)).split("\n")[:-1]
    if stress is not None:
        edited = draw_problem(stress, chance)
        if edited:
            return [f"{tr.file}:1: {edited}"]
    for n, (got, want) in enumerate(zip(tr.lines, expected), start=1):
        if got != want:
            return [f"{tr.file}:{n}: this event is not what the embedded scenario and runbook produce as stated (edited)"]
    if len(tr.lines) < len(expected):
        return [f"{tr.file}:{len(tr.lines) + 1}: {len(expected) - len(tr.lines)} event(s) missing at the end (deleted)"]
    if len(tr.lines) > len(expected):
        return [f"{tr.file}:{len(expected) + 1}: events added after the end of the as-stated play"]
    return []
