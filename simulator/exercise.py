"""An exercise assembled: open a pair of files, play, score; verify a transcript (shared by CLI and TUI)."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scoring.played import Played
from scoring.scorecard import Scorecard, score

from . import __version__
from . import model as m
from .engine import play
from .events import Event
from .files import NotRegular, read_regular
from .loading import Loaded, check_pair, load_document, load_text
from .record import record
from .textsafe import plain
from .transcript import Source, Transcript, chain_problem, make_header, render, sha256_text
from .yamlsrc import decode, parse, read_bytes

if TYPE_CHECKING:
    from scoring.compare import Comparison


@record
class Pair:
    scenario: m.Scenario
    runbook: m.Runbook
    scenario_src: Source
    runbook_src: Source


def _read_loaded(path: str, expect: str) -> tuple[Loaded, Source]:
    raw = read_bytes(path, path)
    loaded = load_document(parse(path, decode(path, raw)), expect)
    return loaded, Source(expect, loaded.value.id, path, raw.decode("utf-8"))


def read_source(path: str, expect: str) -> tuple[object, Source]:
    """Load one file and keep its exact text (hashes must match the bytes on disk)."""
    loaded, src = _read_loaded(path, expect)
    return loaded.value, src


def open_pair(scenario_path: str, runbook_path: str) -> Pair:
    sc, sc_src = _read_loaded(scenario_path, "scenario")
    rb, rb_src = _read_loaded(runbook_path, "runbook")
    check_pair(sc, rb)
    return Pair(sc.value, rb.value, sc_src, rb_src)


def pair_from_transcript(tr: Transcript) -> Pair:
    """The files as they were played, from the copies embedded in the header."""
    parts = []
    for kind in ("scenario", "runbook"):
        head = tr.header[kind]
        name = f"{tr.file} (embedded {kind} {head.get('path') or ''})".replace(" )", ")")
        loaded = load_text(name, head["text"], kind)
        parts.append((loaded, Source(kind, loaded.value.id, str(head.get("path") or ""), head["text"])))
    (sc_loaded, sc_src), (rb_loaded, rb_src) = parts
    check_pair(sc_loaded, rb_loaded)
    sc, rb = sc_loaded.value, rb_loaded.value
    if "stress" in tr.header:  # a night from `ttx stress`: the scenario as played, at the start it was moved to
        from .stress.header import moved
        from .transcript import TranscriptError

        try:
            sc = moved(sc, tr.header["stress"])  # type: ignore[arg-type]
        except ValueError as e:
            raise TranscriptError(tr.file, str(e), 1) from None
    return Pair(sc, rb, sc_src, rb_src)  # type: ignore[arg-type]


@record
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
    sc_loaded = [_read_loaded(p, "scenario")[0] for p in sc_paths]
    rb_loaded = [_read_loaded(p, "runbook")[0] for p in rb_paths]
    for s in sc_loaded:
        for r in rb_loaded:
            check_pair(s, r)
    scenarios: list[m.Scenario] = [s.value for s in sc_loaded]
    runbooks: list[m.Runbook] = [r.value for r in rb_loaded]
    cards = [(rb, path, [score(sc, rb, play(sc, rb), rules, "auto") for sc in scenarios]) for rb, path in zip(runbooks, rb_paths)]
    live = []
    for p in _unique(transcript_paths or []):
        ex = open_transcript(read(p), rules)
        assert ex.scenario is not None and ex.runbook is not None and ex.stated is not None
        live.append(LiveResult(p, ex.scenario.id, ex.scenario.title, ex.runbook.id, ex.runbook.provider, ex.card, ex.stated))
    return rank(list(zip(scenarios, sc_paths)), cards, live, rules)


@record
class Report:
    """What `ttx verify` found, and exactly what it did and did not check."""

    problems: list[str]
    checked: list[str]  # one line per check, saying what it covers (and what it cannot)


# A recorded path is compared only where the user is working: the transcript's folder, the current
# folder or the library, never wherever a file from someone else points (/etc/shadow, /proc/kmsg...).
def _within(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip("/") + "/") for r in roots)


def _compare_file(tr: Transcript, key: str, path: object, roots: list[str], base: str) -> tuple[str | None, str]:
    """(problem or None, what was checked) for the file a header names."""
    from .yamlsrc import MAX_BYTES

    if not isinstance(path, str) or not path:
        what = "no file path was recorded" if path in (None, "") else "the recorded path is not text"
        return None, f"{key}: {what}; only the embedded copy exists, and nothing but the chain covers it"
    shown = plain(path)
    if "\x00" in path:
        return None, f"{key}: file {shown} not compared (not a usable path)"
    candidates = [path] if os.path.isabs(path) else [os.path.join(base, path), path]
    for cand in candidates:
        real = os.path.realpath(cand)
        if not os.path.lexists(cand):
            continue
        if not _within(real, roots):
            return None, (f"{key}: file {shown} not compared: it is outside the transcript's folder, the current "
                          "folder and the library (ttx reads no file a transcript points elsewhere)")
        try:
            raw = read_regular(cand, MAX_BYTES, follow=False)
        except (NotRegular, OSError) as e:
            why = str(e) if isinstance(e, NotRegular) else (e.strerror or str(e))
            return None, f"{key}: file {shown} not compared: {why}"
        if hashlib.sha256(raw).hexdigest() != tr.header[key].get("sha256"):
            return (f"{tr.file}:1: {key} file {shown} has changed since the exercise (sha256 differs)",
                    f"{key}: file {shown} differs from the embedded copy")
        return None, f"{key}: file {shown} is byte for byte the embedded copy"
    looked = " and ".join(dict.fromkeys(plain(os.path.abspath(c)) for c in candidates))  # beside it, then here
    return None, f"{key}: file {shown} not found (looked for {looked}), so not compared; the embedded copy is what was played"


def _is_live_recording(tr: Transcript) -> bool:
    """A live recording as the facilitator's ttx writes it: wall-clock stamps on every event. A header
    merely saying `live` does not excuse a transcript from the as-stated replay."""
    return tr.mode == "live" and tr.wall_stamped


def verify_report(tr: Transcript, base_dir: str | None = None, roots: list[str] | None = None) -> Report:
    """Problems with a transcript's integrity (first bad line first; none when intact), and what was checked."""
    problems: list[str] = []
    checked: list[str] = []
    if tr.truncated:
        problems.append(f"{tr.file}:{len(tr.lines) + 1}: last line is incomplete (cut off while writing)")
    base = base_dir or os.path.dirname(os.path.abspath(tr.file))
    if roots is None:
        from .library import library_dir

        roots = [base, os.getcwd(), str(library_dir())]
    roots = [os.path.realpath(r) for r in roots]
    for key in ("scenario", "runbook"):
        part = tr.header[key]
        if sha256_text(part["text"]) != part.get("sha256"):
            problems.append(f"{tr.file}:1: the embedded {key} does not match its recorded sha256 (header edited)")
        problem, said = _compare_file(tr, key, part.get("path"), roots, base)
        checked.append(said)
        if problem:
            problems.append(problem)
    chain = chain_problem(tr)
    if chain:
        problems.append(chain)
    else:
        checked.insert(0, f"chain: each of the {len(tr.lines)} lines carries the hash of the line before it "
                          "(someone who edits a line and recomputes the rest is caught only by the fingerprint or a signature)")
    if _is_live_recording(tr):
        checked.insert(1, "events: recorded live by a facilitator; nothing in the file can confirm them "
                          "(compare the fingerprint kept at the exercise, or check a signature)")
    elif not tr.truncated and not chain:
        replay = _replay_problems(tr)
        problems += replay
        if not replay:
            checked.insert(1, "events: exactly what the embedded scenario and runbook produce when played as stated")
    # the first bad line first (header problems are line 1)
    problems.sort(key=lambda p: int(p[len(tr.file) + 1:].split(":", 1)[0] or 0))
    return Report(problems, checked)


def verify(tr: Transcript, base_dir: str | None = None) -> list[str]:
    """Problems with a transcript's integrity, first bad line first; empty when intact."""
    return verify_report(tr, base_dir).problems


def _replay_problems(tr: Transcript) -> list[str]:
    """An as-stated transcript is deterministic: replaying its embedded files must give the same lines.

    This catches what no hash chain can: an edited or deleted last line, or a whole chain recomputed
    by someone who edited an event. Never skipped because of what the header says: a transcript made by
    another ttx version that replays differently is reported as not confirmed, with both versions."""
    try:
        pair = pair_from_transcript(tr)
    except Exception as e:  # noqa: BLE001 - an unloadable embedded file is itself the finding
        return [f"{tr.file}:1: the embedded files no longer load ({str(e).splitlines()[0]})"]
    stress = tr.header.get("stress")
    chance = None
    if stress is not None:  # a sampled night (SPEC section 12): re-derive its draws from the seed
        from .loading.stress import from_dict
        from .stress.header import draw_problem, night

        try:
            chance = night(pair.runbook, stress, from_dict)
        except ValueError as e:
            return [f"{tr.file}:1: {e}"]
    expected = render(tr.header, play(pair.scenario, pair.runbook, chance)).split("\n")[:-1]
    if stress is not None:
        edited = draw_problem(stress, chance)
        if edited:
            return [f"{tr.file}:1: {edited}"]
    made_by = tr.header.get("tool_version")
    other = (f" by ttx {__version__}; the header says ttx {plain(made_by)} made it, so replay it with that version"
             if made_by != __version__ else "")
    if tr.mode != "auto":
        other += f"; the header says {plain(tr.mode)}, but its events carry no wall-clock stamps as a live recording does"
    for n, (got, want) in enumerate(zip(tr.lines, expected), start=1):
        if got != want:
            return [f"{tr.file}:{n}: this event is not what the embedded scenario and runbook produce as stated{other} (edited)"]
    if len(tr.lines) < len(expected):
        return [f"{tr.file}:{len(tr.lines) + 1}: {len(expected) - len(tr.lines)} event(s) missing at the end (deleted)"]
    if len(tr.lines) > len(expected):
        return [f"{tr.file}:{len(expected) + 1}: events added after the end of the as-stated play"]
    return []
