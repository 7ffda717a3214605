"""Evidence integrity: `ttx verify` finds any edited, inserted, deleted or moved event, and a changed
scenario or runbook file, and names the first bad line (SPEC sections 6 and 8).

Every kind of tampering is tried at every line of a live and of an as-stated transcript.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.exercise import open_pair, verify
from simulator.session import Session
from simulator.transcript import parse, sha256_text

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "ransomware-fileserver.yaml"
RUNBOOK = ROOT / "scenarios" / "runbooks" / "acme-msp.yaml"


class Wall:
    t = 0.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> tuple[Path, Path, Path]:
    d = tmp_path_factory.mktemp("inputs")
    sc, rb = d / "scenario.yaml", d / "runbook.yaml"
    shutil.copy(SCENARIO, sc)
    shutil.copy(RUNBOOK, rb)
    return d, sc, rb


@pytest.fixture(scope="module")
def live_lines(files) -> list[str]:
    d, sc, rb = files
    path = d / "live.ttx.jsonl"
    wall = Wall()
    s = Session.start(open_pair(str(sc), str(rb)), str(path), wall=wall, stamp=lambda: "2026-11-22T10:00:00.000Z")
    s.step()
    s.record("acknowledge", by="noc_tier2")
    s.record("page", role="soc_manager", answers="+20m")
    s.run(60)
    wall.t += 30
    s.record("notify", stakeholder="client_it_lead", via="phone", by="vcto")
    n = s.record("note", text="CEO wants to pay")[0]
    s.amend(n.seq, "note", text="CEO asks what paying would involve")
    s.record("act", "+15m", task="isolate-host", by="noc_tier2")
    wall.t += 20  # to 02:57 at ×60: backups-mounted (02:52) is held, isolate-host being done (a step would skip it)
    s.record("decide", decision="restore-or-negotiate", by="ceo")
    s.end()
    s.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 15
    return lines


@pytest.fixture(scope="module")
def auto_lines(files) -> list[str]:
    d, sc, rb = files
    path = d / "auto.ttx.jsonl"
    assert main(["run", str(sc), "--runbook", str(rb), "-o", str(path)]) == 0
    return path.read_text(encoding="utf-8").splitlines()


def problems(d: Path, lines: list[str], name: str = "t.ttx.jsonl") -> list[str]:
    path = d / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return verify(parse(str(path), path.read_text(encoding="utf-8")))


def first_line(d: Path, lines: list[str]) -> int | None:
    found = problems(d, lines)
    if not found:
        return None
    head = found[0]
    prefix = f"{d / 't.ttx.jsonl'}:"
    assert head.startswith(prefix), head
    return int(head[len(prefix):].split(":", 1)[0])


def edited(line: str) -> str:
    """A quiet edit: the event's time moved by a second, as a vendor tidying the record would."""
    rec = json.loads(line)
    rec["t"] = rec["t"] + 1
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":"))


def forged_after(prev_line: str, seq: int) -> str:
    """An inserted event made to fit: it carries the right hash of the line before it."""
    return json.dumps({"seq": seq, "t": 60, "type": "note", "text": "we called the CEO at once",
                       "prev": sha256_text(prev_line)}, separators=(",", ":"))


def rechained(lines: list[str]) -> list[str]:
    """Someone who edits an event and recomputes every later hash (the chain alone cannot see this)."""
    out = [lines[0]]
    for line in lines[1:]:
        rec = json.loads(line)
        rec["prev"] = sha256_text(out[-1])
        out.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
    return out


@pytest.mark.parametrize("mode", ["live", "auto"])
def test_every_tampering_at_every_line_names_the_first_bad_line(files, live_lines, auto_lines, mode):
    d = files[0]
    lines = live_lines if mode == "live" else auto_lines
    last = len(lines)
    tried = 0
    for k in range(2, last + 1):  # k: 1-based line number of an event
        i = k - 1
        cases: dict[str, tuple[list[str], int | None]] = {}
        cases["edited"] = (lines[:i] + [edited(lines[i])] + lines[i + 1:], k)
        cases["deleted"] = (lines[:i] + lines[i + 1:], k)
        cases["repeated"] = (lines[:i] + [lines[i - 1]] + lines[i:], k) if k > 2 else (lines, None)
        cases["forged insert"] = (lines[:i] + [forged_after(lines[i - 1], json.loads(lines[i])["seq"])] + lines[i:], k)
        if k < last:
            cases["moved"] = (lines[:i] + [lines[i + 1], lines[i]] + lines[i + 2:], k)
        cases["edited, chain recomputed"] = (rechained(lines[:i] + [edited(lines[i])] + lines[i + 1:]), k)
        for what, (tampered, expected) in cases.items():
            if expected is None:
                continue
            tried += 1
            at_the_end = k == last and what in ("edited", "deleted")
            if mode == "live" and (at_the_end or what == "edited, chain recomputed"):
                # Nothing inside a file can vouch for its own last line, nor stop a full re-hash; the
                # fingerprint `ttx verify` prints (kept with the contract) is what changes.
                assert sha256_text(tampered[-1]) != sha256_text(lines[-1]), (what, k)
                continue
            got = first_line(d, tampered)
            assert got == expected, f"{mode}: {what} at line {k}: verify named line {got}: {problems(d, tampered)}"
    print(f"\nverify ({mode}): {tried} tampered transcripts tried")
    assert tried >= 5 * (last - 2)


def test_appending_a_forged_event_is_caught_in_auto_and_changes_the_live_fingerprint(files, live_lines, auto_lines):
    d = files[0]
    n = len(auto_lines)
    forged = auto_lines + [forged_after(auto_lines[-1], json.loads(auto_lines[-1])["seq"] + 1)]
    assert first_line(d, forged) == n + 1
    live_forged = live_lines + [forged_after(live_lines[-1], json.loads(live_lines[-1])["seq"] + 1)]
    assert sha256_text(live_forged[-1]) != sha256_text(live_lines[-1])


def test_intact_transcripts_pass_and_print_a_fingerprint(files, live_lines, auto_lines, capsys):
    d = files[0]
    for lines in (live_lines, auto_lines):
        assert problems(d, lines) == []
        path = d / "t.ttx.jsonl"
        capsys.readouterr()
        assert main(["verify", str(path)]) == 0
        out = capsys.readouterr().out
        assert f"fingerprint: {sha256_text(lines[-1])}" in out


def test_header_edits_are_named_at_line_1(files, live_lines):
    d = files[0]
    head = json.loads(live_lines[0])
    head["runbook"]["text"] = head["runbook"]["text"].replace("responds: 10m", "responds: 1m")
    assert first_line(d, [json.dumps(head)] + live_lines[1:]) == 1
    # even with the embedded hash updated to match, line 2 still holds the header's old hash
    head["runbook"]["sha256"] = sha256_text(head["runbook"]["text"])
    found = problems(d, [json.dumps(head)] + live_lines[1:])
    assert found and found[0].startswith(f"{d / 't.ttx.jsonl'}:1: ")


@pytest.mark.parametrize("which", ["scenario", "runbook"])
def test_a_changed_input_file_is_named(files, live_lines, which):
    d, sc, rb = files
    target = sc if which == "scenario" else rb
    original = target.read_bytes()
    try:
        target.write_bytes(original.replace(b"30m", b"31m", 1))
        found = problems(d, live_lines)
        assert f"{d / 't.ttx.jsonl'}:1: {which} file {target} has changed since the exercise (sha256 differs)" in found
    finally:
        target.write_bytes(original)
    assert problems(d, live_lines) == []


def test_the_command_exits_1_with_one_line_per_problem_and_no_traceback(files, live_lines):
    d = files[0]
    bad = live_lines[:5] + live_lines[6:]
    path = d / "cli.ttx.jsonl"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "simulator", "verify", str(path)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stderr.splitlines()[0] == f"{path}:6: event 5 is missing before this line (deleted)"
    assert "Traceback" not in r.stderr and r.stdout.startswith(f"{path}: NOT verified; what could still be checked:")


# --- a transcript from someone else is hostile input ------------------------------------------------

from hypothesis import HealthCheck, event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from simulator.transcript import TranscriptError  # noqa: E402
from simulator.yamlsrc import LoadError  # noqa: E402

JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
                       | st.sampled_from(["noc_tier2", "ceo", "edr-alert", "isolate-host", "[/]", "phone"]),
                       lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
                       max_leaves=4)
FIELD = st.sampled_from(["t", "seq", "type", "target", "role", "by", "stakeholder", "via", "delivered", "task",
                         "decision", "answers_at", "backs", "id", "until", "to", "speed", "stamped", "text", "what",
                         "started", "action", "reason", "stands_in_for", "rule", "message"])
TYPE = st.sampled_from(["inject", "inject_held", "curveball", "curveball_end", "page", "answer", "acknowledge", "notify",
                        "update", "act", "decide", "resolve", "note", "clock", "retract", "end", "bogus"])
MUTATION = st.tuples(st.integers(min_value=1), FIELD, st.one_of(JSONISH, TYPE, st.just("<delete>")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mode=st.sampled_from(["live", "auto"]), mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_a_tampered_transcript_is_refused_with_a_line_or_handled_never_a_crash(files, live_lines, auto_lines, mode, mutations):
    """Any field of any event set to any JSON value: every reader (score, exports, replay, resume) either
    works or refuses with `FILE:LINE: message`; none crashes."""
    from scoring.exports import export
    from scoring.text import render as text_card
    from simulator.exercise import open_transcript
    from simulator.replay import Replay
    from simulator.session import SessionError

    lines = list(live_lines if mode == "live" else auto_lines)
    for index, key, value in mutations:
        n = 1 + index % (len(lines) - 1)
        rec = json.loads(lines[n])
        if value == "<delete>":
            rec.pop(key, None)
        else:
            rec[key] = value
        lines[n] = json.dumps(rec)
    path = files[0] / f"fuzz-{mode}.ttx.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        tr = parse(str(path), path.read_text(encoding="utf-8"))
    except TranscriptError as e:
        assert str(e).startswith(f"{path}:"), e
        event("refused by the reader")
        return
    verify(tr)
    try:
        played = open_transcript(tr)
    except LoadError:
        event("embedded file refused")
        return
    event("read, scored, exported and replayed")
    text_card(played.card)
    for fmt in ("json", "csv", "md", "html"):
        export(played, fmt)
    r = Replay(tr)
    for pos in (len(r) // 2, len(r)):
        r.card(pos), r.timeline(pos), r.obligations(pos), r.promises(pos)
    if mode == "live":
        s = Session.resume(str(path), wall=Wall())
        try:
            s.card, s.obligations(), s.timeline(), s.promises()
            try:
                s.record("note", text="after")
                s.step()
            except SessionError:
                pass
        finally:
            s.close()
