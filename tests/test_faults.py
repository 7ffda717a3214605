"""Faults in a live exercise (SPEC section 6): a live exercise is a meeting that cannot be re-run.

- the process SIGKILLed at random moments loses no entry that was shown as recorded, and resume continues;
- a full disk or a read-only folder while recording is reported at once, and nothing earlier is lost;
- two processes cannot both write one transcript (a lock, with a clear message);
- a transcript cut mid-line (power loss) resumes from the last whole event and says so.
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from simulator import transcript as transcript_mod
from simulator.exercise import open_pair, verify
from simulator.session import Session
from simulator.transcript import TranscriptError, TranscriptWriteError, read

ROOT = Path(__file__).resolve().parent.parent
CHILD = str(ROOT / "tests" / "fault_child.py")
SCENARIO = str(ROOT / "scenarios" / "ransomware-fileserver.yaml")
RUNBOOK = str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")
KILL_RUNS = 36


def child(mode: str, path: Path, seed: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, CHILD, mode, str(path), str(seed), *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def shown_as_recorded(stdout: str) -> list[tuple[int, str]]:
    """(seq, type) of every entry the child reported recorded; a line cut off by the kill is not complete."""
    out = []
    for line in stdout.splitlines(keepends=True):
        if line.startswith("RECORDED ") and line.endswith("\n"):
            for item in line.split()[1:]:
                seq, type_ = item.split(":")
                out.append((int(seq), type_))
    return out


def test_sigkill_at_random_moments_loses_nothing_shown_as_recorded(tmp_path):
    """36 runs on one transcript: each resumes the last, records as fast as it can, and is SIGKILLed."""
    path = tmp_path / "live.ttx.jsonl"
    rng = random.Random(20261122)
    shown_total = lost = truncated_resumes = 0
    for run in range(KILL_RUNS):
        proc = child("start" if run == 0 else "resume", path, run)
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        assert ready.startswith(("READY", "TRUNCATED")), ready + proc.stderr.read()
        if ready.startswith("TRUNCATED"):
            truncated_resumes += 1
            ready = proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.12))  # kill somewhere in the middle of recording (often mid-write)
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, err
        shown = shown_as_recorded(ready + out)
        shown_total += len(shown)
        tr = read(str(path))
        on_disk = {e.seq: e.type for e in tr.events}
        missing = [(seq, t) for seq, t in shown if on_disk.get(seq) != t]
        lost += len(missing)
        assert not missing, f"run {run}: shown as recorded but not in the transcript: {missing[:5]}"
        # whatever the kill interrupted, the chain of whole events stays provable
        problems = [p for p in verify(tr) if "last line is incomplete" not in p]
        assert problems == [], problems
    # after all that, a resume continues the same exercise and records normally
    proc = child("resume", path, 999, "25")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "DONE" in out
    final = read(str(path))
    assert verify(final) == []
    assert [e.seq for e in final.events] == list(range(1, len(final.events) + 1))
    print(f"\nkill-and-resume: {KILL_RUNS} runs, {shown_total} entries shown as recorded, {lost} lost, "
          f"{truncated_resumes} resumes dropped a torn line, {len(final.events)} events in the end")


# --- full disk / read-only folder --------------------------------------------------------------


@pytest.fixture
def small_tmpfs(tmp_path):
    """A real 64 KiB filesystem, so 'disk full' is the kernel's ENOSPC, not a simulation."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    try:
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True, text=True)
    except OSError as e:
        pytest.skip(f"cannot run mount ({e}); test_disk_full_injected covers the same path")
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN: {r.stderr.strip()}); "
                    "test_disk_full_injected covers the same path")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def fill_until_full(s: Session) -> tuple[list[int], TranscriptWriteError]:
    recorded: list[int] = []
    for i in range(10_000):
        try:
            recorded += [e.seq for e in s.record("note", text=f"{i}: " + "long note é " * 60)]
        except TranscriptWriteError as e:
            return recorded, e
    raise AssertionError("the disk never filled up")


def test_full_disk_real_tmpfs_is_reported_and_nothing_earlier_is_lost(small_tmpfs):
    ballast = small_tmpfs / "ballast"
    ballast.write_bytes(b"x" * 16384)
    path = small_tmpfs / "live.ttx.jsonl"
    s = Session.start(open_pair(SCENARIO, RUNBOOK), str(path))
    recorded, err = fill_until_full(s)
    assert recorded, "something should fit before the disk fills"
    msg = str(err)
    assert msg.startswith(f"{path}: could not record (No space left on device)")
    assert "NOT saved" in msg and "safe on disk" in msg and "--resume" in msg
    assert isinstance(err, OSError) and isinstance(err, TranscriptError)  # either `except` catches it
    # the failed entry left no torn line: everything before it is there and provably unedited
    tr = read(str(path))
    assert [e.seq for e in tr.events] == recorded and not tr.truncated
    assert verify(tr) == [] or all("not found" in p for p in verify(tr))
    assert s.events[-1].seq == recorded[-1]  # memory agrees with the disk
    # space comes back: recording simply carries on, chain intact
    ballast.unlink()
    more = s.record("note", text="after the disk was freed")
    assert more[0].seq == recorded[-1] + 1
    s.close()
    tr = read(str(path))
    assert [e.seq for e in tr.events] == recorded + [more[0].seq]
    assert [p for p in verify(tr) if "not found" not in p] == []


def test_starting_in_a_read_only_folder_says_so(tmp_path):
    """A real read-only tmpfs (root ignores chmod, so mode bits would prove nothing)."""
    mnt = tmp_path / "ro"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {r.stderr.strip()}")
    try:
        path = mnt / "live.ttx.jsonl"
        with pytest.raises(TranscriptError) as info:
            Session.start(open_pair(SCENARIO, RUNBOOK), str(path))
        assert str(info.value) == f"{path}: cannot create the transcript here (Read-only file system); choose another -o"
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


class FailingWrites:
    """Makes the kernel's answer to writing the transcript `code` after `partial` bytes: a disk that fills
    mid-line (ENOSPC) or a filesystem remounted read-only after an I/O error (EROFS). Linux refuses to
    remount a filesystem read-only while a file on it is open for writing, so that case is injected here."""

    def __init__(self, monkeypatch, fd: int, code: int, partial: int):
        self.fd, self.code, self.partial, self.on = fd, code, partial, True
        real = os.write

        def write(fd: int, data) -> int:
            if self.on and fd == self.fd:
                if self.partial and len(data) > self.partial:
                    n = real(fd, bytes(data[: self.partial]))  # half a line really reaches the file
                    self.partial = 0
                    return n
                raise OSError(self.code, os.strerror(self.code))
            return real(fd, data)

        monkeypatch.setattr(transcript_mod.os, "write", write)


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "No space left on device"),
                                         (errno.EROFS, "Read-only file system"),
                                         (errno.EIO, "Input/output error")])
def test_write_failure_while_recording_is_reported_and_nothing_earlier_is_lost(tmp_path, monkeypatch, code, words):
    path = tmp_path / "live.ttx.jsonl"
    s = Session.start(open_pair(SCENARIO, RUNBOOK), str(path))
    s.step()  # the first inject
    kept = [e.seq for e in s.events] + [e.seq for e in s.record("acknowledge", by="noc_tier2")]
    before = path.read_bytes()
    fault = FailingWrites(monkeypatch, s.writer.fh.fileno(), code, partial=40)
    with pytest.raises(TranscriptWriteError) as info:
        s.record("note", text="this one is lost, and the facilitator is told so")
    assert f"could not record ({words})" in str(info.value)
    assert path.read_bytes() == before  # the half-written line was cut back off
    assert [e.seq for e in s.events] == kept  # the screen has nothing the disk lacks
    # the clock cannot deliver an inject past a failing disk either, and does not skip it
    with pytest.raises(TranscriptWriteError):
        s.step()
    assert path.read_bytes() == before
    fault.on = False
    delivered = s.step()
    assert [e.get("id") for e in delivered if e.type == "inject"] == ["backups-mounted"]
    s.record("note", text="recording again")
    s.close()
    tr = read(str(path))
    assert [e.seq for e in tr.events] == list(range(1, len(tr.events) + 1))
    assert verify(tr) == []
    assert sum(1 for e in tr.events if e.type == "inject" and e.get("id") == "backups-mounted") == 1


def test_a_disk_full_before_the_header_leaves_no_half_made_transcript(tmp_path, monkeypatch):
    path = tmp_path / "live.ttx.jsonl"
    def failing_from_the_start(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(transcript_mod.os, "write", failing_from_the_start)
    with pytest.raises(TranscriptError, match="No space left on device"):
        Session.start(open_pair(SCENARIO, RUNBOOK), str(path))
    assert not path.exists()  # a later `ttx play -o` with the same name is not refused as "already exists"


# --- the lock -----------------------------------------------------------------------------------


def test_two_processes_cannot_both_write_one_transcript_and_a_kill_frees_it(tmp_path):
    path = tmp_path / "live.ttx.jsonl"
    s = Session.start(open_pair(SCENARIO, RUNBOOK), str(path))
    s.record("note", text="first")
    s.close()
    holder = child("hold", path, 0)
    try:
        assert holder.stdout is not None and holder.stdout.readline().startswith("READY")
        with pytest.raises(TranscriptError) as info:
            Session.resume(str(path))
        assert str(info.value) == f"{path}: is open in another ttx play (it is locked); close that one first"
        # the same from the command line, before any screen opens
        cli = subprocess.run([sys.executable, "-m", "simulator", "play", "--resume", str(path)], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
        assert cli.returncode == 1
        assert cli.stderr.strip() == f"{path}: is open in another ttx play (it is locked); close that one first"
        # and a fresh start on the same file is refused without touching it
        size = path.stat().st_size
        with pytest.raises(TranscriptError, match="already exists; use --resume"):
            Session.start(open_pair(SCENARIO, RUNBOOK), str(path))
        assert path.stat().st_size == size
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=30)
    # the kernel drops the lock with the killed process: the exercise can be picked up at once
    s = Session.resume(str(path))
    assert [e.get("text") for e in s.events if e.type == "note"] == ["first"]
    s.close()


# --- power loss ----------------------------------------------------------------------------------


def recorded_transcript(tmp_path: Path) -> tuple[Path, bytes]:
    path = tmp_path / "live.ttx.jsonl"
    s = Session.start(open_pair(SCENARIO, RUNBOOK), str(path))
    s.step()
    s.record("acknowledge", by="noc_tier2")
    s.record("note", text="CEO: «pay nothing» → call the insurer ✓ 日本")
    s.close()
    return path, path.read_bytes()


def test_power_loss_at_every_byte_of_the_last_line_resumes_from_the_last_whole_event(tmp_path):
    path, whole = recorded_transcript(tmp_path)
    body = whole[:-1]
    last_start = body.rfind(b"\n") + 1
    n_whole = whole.count(b"\n") - 1  # events
    cuts = range(last_start + 1, len(whole) + 1)
    for cut in cuts:
        path.write_bytes(whole[:cut])
        s = Session.resume(str(path))
        keeps_last = cut >= len(whole) - 1  # only the newline (or nothing) was lost: the event is whole
        kept = [e for e in s.events if e is not s.resumed]  # the resume itself is recorded after the kept events
        assert len(kept) == (n_whole if keeps_last else n_whole - 1), cut
        assert s.truncated == (not keeps_last), cut  # the screen is told a torn line was dropped
        s.record("note", text="after the power cut")
        s.close()
        tr = read(str(path))
        assert verify(tr) == [], (cut, verify(tr))
        assert tr.events[-1].get("text") == "after the power cut"
        assert [e.seq for e in tr.events] == list(range(1, len(tr.events) + 1))


def test_power_loss_is_named_by_verify_and_score(tmp_path):
    path, whole = recorded_transcript(tmp_path)
    path.write_bytes(whole[:-7])
    lines = whole.count(b"\n")
    v = subprocess.run([sys.executable, "-m", "simulator", "verify", str(path)], cwd=ROOT, capture_output=True, text=True)
    assert v.returncode == 1
    assert f"{path}:{lines}: last line is incomplete (cut off while writing)" in v.stderr
    sc = subprocess.run([sys.executable, "-m", "simulator", "score", str(path)], cwd=ROOT, capture_output=True, text=True)
    assert sc.returncode == 0, sc.stderr
    assert "the last line was incomplete and was ignored" in sc.stderr
    assert "Traceback" not in v.stderr + sc.stderr


def test_resume_never_glues_an_event_onto_a_line_that_lost_its_newline(tmp_path):
    path, whole = recorded_transcript(tmp_path)
    path.write_bytes(whole[:-1])
    s = Session.resume(str(path))
    s.record("note", text="next")
    s.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all(json.loads(x) for x in lines)
    assert verify(read(str(path))) == []


# --- hostile files under resource limits -----------------------------------------------------------

CORPUS = ROOT / "tests" / "bad_inputs"
LIMIT_AS = 200 * 1024 * 1024
POSITIONED = r"^(?P<file>.+?):(?:(?P<line>\d+):(?P<col>\d+):)? (?P<msg>\S.*)$"
# Validates each file in turn in one fresh interpreter, reporting exit code, output and CPU time per file.
DRIVER = r"""
import contextlib, io, json, resource, sys
from simulator.cli import main
for path in sys.argv[1:]:
    out, err = io.StringIO(), io.StringIO()
    before = resource.getrusage(resource.RUSAGE_SELF)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main(["validate", path])
        except SystemExit as e:
            rc = e.code
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({"path": path, "rc": rc, "out": out.getvalue(), "err": err.getvalue(), "cpu": cpu,
                      "maxrss_kb": after.ru_maxrss}), flush=True)
"""


def limited(cpu_seconds: int, *argv: str) -> list[str]:
    """A command that sets the limits in a fresh interpreter, then execs `python ARGV` under them
    (no preexec_fn: these processes are started from several threads)."""
    setup = (f"import os, resource, sys; resource.setrlimit(resource.RLIMIT_AS, ({LIMIT_AS}, {LIMIT_AS})); "
             f"resource.setrlimit(resource.RLIMIT_CPU, ({cpu_seconds}, {cpu_seconds})); "
             "os.execv(sys.executable, [sys.executable] + sys.argv[1:])")
    return [sys.executable, "-c", setup, *argv]


def _check_verdict(path: str, rc: object, out: str, err: str) -> None:
    name = os.path.basename(path)
    assert "Traceback" not in err and "internal error" not in err, f"{name}: {err}"
    if name.startswith("ok-"):
        assert rc == 0, f"{name} should load: {err}"
        return
    assert rc == 1, f"{name}: exit {rc}: {err}"
    assert out == "", f"{name}: printed on stdout: {out!r}"
    first = err.splitlines()[0] if err else ""
    m = re.match(POSITIONED, first)
    assert m and m.group("file") == path, f"{name}: not `FILE:LINE:COL: message` or `FILE: message`: {first!r}"
    assert not H_DANGEROUS.search(err), f"{name}: raw control characters in the message"


H_DANGEROUS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_every_bad_input_fails_cleanly_within_200_mb_and_a_second_of_cpu(tmp_path):
    """Every file in tests/bad_inputs/ (whatever is there): exit 1 with one positioned line, no traceback,
    nothing executed, under RLIMIT_AS 200 MB; under a second of CPU each (measured, not timed on a wall
    clock); the attack-shaped ones also each in their own `python -m simulator validate` process."""
    files = sorted(str(p) for p in CORPUS.iterdir() if p.is_file() and not p.name.startswith(("_", ".")))
    if len(files) < 60:
        pytest.skip(f"tests/bad_inputs/ has only {len(files)} files so far")
    before = set(os.listdir(tmp_path))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(limited(120, "-c", DRIVER, *files), cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["path"] for r in results] == files  # none killed the driver
    for r in results:
        _check_verdict(r["path"], r["rc"], r["out"], r["err"])
        assert r["cpu"] < 1.0, f"{os.path.basename(r['path'])}: {r['cpu']:.2f} s of CPU"
    peak_mb = results[-1]["maxrss_kb"] / 1024
    assert peak_mb < 200
    # the attack-shaped files, each in a fresh `python -m simulator validate` with a 5 s CPU limit
    attacks = [f for f in files if re.search(r"alias-billion|alias-recursive|deep|huge|digits|binary|too-many|pytag", f)]

    def alone(path: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(limited(5, "-m", "simulator", "validate", path), cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for path, p in zip(attacks, pool.map(alone, attacks)):
            assert p.returncode >= 0, f"{path}: killed by signal {-p.returncode} (over a limit)"
            _check_verdict(path, p.returncode, p.stdout if p.returncode else "", p.stderr)
    assert set(os.listdir(tmp_path)) == before  # nothing was written, let alone run
    print(f"\nbad inputs: {len(results)} files under 200 MB (peak RSS {peak_mb:.0f} MB, slowest "
          f"{max(r['cpu'] for r in results):.2f} s CPU), {len(attacks)} also in their own process; 0 crashes")


def test_the_screen_says_at_once_when_an_entry_could_not_be_recorded(tmp_path, monkeypatch):
    """The TUI, with the disk full from the first keypress: the form says the entry was not saved and
    stays open (the facilitator's typing is not lost either); the clock says so too; the disk is unchanged."""
    import asyncio

    from simulator.tui.app import make_app

    path = tmp_path / "live.ttx.jsonl"
    seen: list[str] = []

    def text_on_screen(app) -> str:
        """The screen's text, with each toast's text as one line (toasts wrap long messages)."""
        update = app.screen._compositor.render_full_update()
        rows = ["".join(seg.text for strip in line for seg in strip) for line in update.strips]
        for toast in app.screen.query("Toast"):  # what each toast on screen renders
            rendered = toast.render()
            rows.append(" ".join(str(getattr(rendered, "plain", rendered)).split()))
        return "\n".join(rows)

    async def go() -> None:
        app = make_app(scenario=SCENARIO, runbook=RUNBOOK, output=str(path), wall=lambda: 0.0,
                       stamp=lambda: "2026-11-22T10:00:00.000Z")
        async with app.run_test(size=(160, 50), notifications=True) as pilot:
            await pilot.press("s")
            await pilot.pause()
            before = path.read_bytes()
            fault = FailingWrites(monkeypatch, app.session.writer.fh.fileno(), errno.ENOSPC, partial=10)
            await pilot.press("f")
            await pilot.pause()
            await pilot.press(*"isolate FS01")
            await pilot.press("enter")
            await pilot.pause()
            seen.append(text_on_screen(app))
            assert type(app.screen).__name__ == "ActionForm"  # still open, with what was typed
            assert app.screen.query_one("#f-text").value == "isolate FS01"
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("s")  # the next inject cannot be delivered either, and the screen says why
            for _ in range(50):  # the toast is mounted a refresh or two later
                await pilot.pause(0.05)
                if "No space left on device" in text_on_screen(app):
                    break
            seen.append(text_on_screen(app))
            assert path.read_bytes() == before
            fault.on = False
            await pilot.press("f", *"second try", "enter")
            await pilot.pause()
            assert [e.get("text") for e in app.session.events if e.type == "note"] == ["second try"]

    asyncio.run(go())
    form, clock = seen
    assert "could not record (No space left on device)" in " ".join(form.split())
    assert "could not record (No space left on device)" in clock and "NOT saved" in clock
    tr = read(str(path))
    assert verify(tr) == [] and [e.get("text") for e in tr.events if e.type == "note"] == ["second try"]


def test_closing_on_a_full_disk_still_lets_go_of_the_transcript(tmp_path, monkeypatch):
    path = tmp_path / "live.ttx.jsonl"
    s = Session.start(open_pair(SCENARIO, RUNBOOK), str(path), wall=lambda: 0.0)
    s.run(10)  # a running clock is paused (one more entry) on close
    before = path.read_bytes()
    fault = FailingWrites(monkeypatch, s.writer.fh.fileno(), errno.ENOSPC, partial=0)
    with pytest.raises(TranscriptWriteError):
        s.close()
    fault.on = False
    assert path.read_bytes() == before
    again = Session.resume(str(path))  # not "locked": the failed close released it
    assert [e.type for e in again.events if e is not again.resumed] == [e.type for e in s.events]
    assert again.resumed is not None and again.resumed.get("interrupted") is True  # the clock was left running
    again.close()
