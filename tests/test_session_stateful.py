"""A live session driven by Hypothesis through any sequence of what a facilitator (and bad luck) can do:
record, correct, delete, run/pause/step the clock, let real time pass, a full disk, the process killed,
resume, end. After every step the transcript re-read from disk must score exactly as the session in
memory does, and hold every event the session returned as recorded.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from scoring.facts import gather
from scoring.scorecard import judged, to_dict
from simulator import transcript as transcript_mod
from simulator.exercise import open_pair, rescore, verify
from simulator.session import CORRECTABLE, Session, SessionError
from simulator.transcript import TranscriptWriteError, read

ROOT = Path(__file__).resolve().parent.parent
PAIR = open_pair(str(ROOT / "scenarios" / "ransomware-fileserver.yaml"), str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml"))
WHEN = st.sampled_from(["now", "now", "+5m", "+20m", "-3m", "-1h", 0, 300])
ROLES = st.sampled_from(["noc_tier1", "noc_tier2", "soc_manager", "vcto"])
STAKEHOLDERS = st.sampled_from(["client_it_lead", "ceo", "cyber_insurer", "customers"])
CHANNELS = st.sampled_from(["phone", "sms", "email", "chat"])
TASKS = st.sampled_from(["isolate-host", "restore-from-backup", "unplanned-task"])
ACTION = st.one_of(
    st.tuples(st.just("acknowledge"), st.fixed_dictionaries({"by": ROLES})),
    st.tuples(st.just("page"), st.fixed_dictionaries({"role": ROLES, "answers": st.sampled_from(["+10m", "never", "now", "+2h"])})),
    st.tuples(st.just("notify"), st.fixed_dictionaries({"stakeholder": STAKEHOLDERS, "via": CHANNELS, "by": ROLES})),
    st.tuples(st.just("update"), st.fixed_dictionaries({"stakeholder": STAKEHOLDERS, "via": CHANNELS, "by": ROLES})),
    st.tuples(st.just("act"), st.fixed_dictionaries({"task": TASKS, "by": ROLES})),
    st.tuples(st.just("decide"), st.fixed_dictionaries({"decision": st.just("restore-or-negotiate"),
                                                        "by": st.sampled_from(["ceo", "vcto", "incident_commander"])})),
    st.tuples(st.just("resolve"), st.just({})),
    st.tuples(st.just("note"), st.fixed_dictionaries({"text": st.text(min_size=1, max_size=20)})),
)
COUNTS = {"examples": 0, "steps": 0, "kills": 0, "disk_full": 0}


class Wall:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class LiveSession(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.mkdtemp(prefix="ttx-stateful-")
        self.path = os.path.join(self.dir, "live.ttx.jsonl")
        self.wall = Wall()
        self.s = Session.start(PAIR, self.path, wall=self.wall, stamp=lambda: "2026-11-22T10:00:00.000Z")
        self.shown: dict[int, str] = {}  # seq -> type of every event a call returned (shown as recorded)
        COUNTS["examples"] += 1

    def teardown(self) -> None:
        try:
            self.s.close()
        except Exception:  # noqa: BLE001 - a session abandoned by a failed step still has to go
            pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def _do(self, fn, *args, **kw) -> None:
        COUNTS["steps"] += 1
        try:
            written = fn(*args, **kw)
        except SessionError:
            return  # refused with a reason (ended, nothing to withdraw...): nothing may have been written
        for e in written:
            self.shown[e.seq] = e.type

    def _correctable(self) -> list[int]:
        return [e.seq for e in self.s.events if e.type in CORRECTABLE and e.seq not in self.s.retracted]

    @rule(action=ACTION, when=WHEN)
    def record(self, action, when) -> None:
        kind, fields = action
        self._do(self.s.record, kind, when, **fields)

    @precondition(lambda self: bool(self._correctable()))
    @rule(data=st.data(), action=ACTION, when=WHEN)
    def correct(self, data, action, when) -> None:
        seq = data.draw(st.sampled_from(self._correctable()))
        kind, fields = action
        self._do(self.s.amend, seq, kind, when, **fields)

    @precondition(lambda self: bool(self._correctable()))
    @rule(data=st.data())
    def delete(self, data) -> None:
        self._do(self.s.retract, data.draw(st.sampled_from(self._correctable())), "deleted")

    @rule(speed=st.sampled_from([1, 10, 60]))
    def run(self, speed) -> None:
        self._do(self.s.run, speed)

    @rule()
    def pause(self) -> None:
        self._do(self.s.pause)

    @rule()
    def step(self) -> None:
        self._do(self.s.step)

    @rule(seconds=st.integers(min_value=1, max_value=3600))
    def time_passes(self, seconds) -> None:
        self.wall.t += seconds
        self._do(self.s.tick)

    @rule()
    def end(self) -> None:
        self._do(self.s.end)

    @rule(action=ACTION)
    def disk_full(self, action) -> None:
        """The next write fails half-way through a line; the entry is refused and nothing else changes."""
        COUNTS["disk_full"] += 1
        before = Path(self.path).read_bytes()
        fd, real = self.s.writer.fh.fileno(), os.write

        def half_then_full(f, data):
            if f != fd:
                return real(f, data)
            if len(data) > 1:
                real(f, bytes(data[: len(data) // 2]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        transcript_mod.os.write = half_then_full
        try:
            kind, fields = action
            self.s.record(kind, **fields)
            raise AssertionError("a write to a full disk was reported as recorded")
        except (TranscriptWriteError, SessionError):
            pass
        finally:
            transcript_mod.os.write = real
        assert Path(self.path).read_bytes() == before

    @rule()
    def kill_and_resume(self) -> None:
        """As SIGKILL would: no pause, no close, the lock dropped by the kernel; then --resume."""
        COUNTS["kills"] += 1
        self.s.writer.fh.close()  # what the kernel does to a killed process's files (nothing is buffered)
        self.s.lock.release()
        self.s = Session.resume(self.path, wall=self.wall, stamp=lambda: "2026-11-22T10:00:00.000Z")
        assert not self.s.truncated

    @invariant()
    def disk_scores_as_memory(self) -> None:
        tr = read(self.path)
        assert [(e.seq, e.type, e.t, e.data) for e in tr.events] == [(e.seq, e.type, e.t, e.data) for e in self.s.events]
        for seq, type_ in self.shown.items():
            assert tr.events[seq - 1].type == type_, f"event {seq} was shown as recorded but is not on disk"
        _, card = rescore(tr)
        if self.s.running:  # the file is judged at its last recorded moment; the board at now, which runs on
            card = judged(gather(self.s.sc, self.s.rb, tr.events).at(self.s.now), None, "live")
        assert to_dict(card) == to_dict(self.s.card)
        assert [p for p in verify(tr) if "not found" not in p] == []


LiveSession.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestLiveSession = LiveSession.TestCase


@pytest.fixture(scope="module", autouse=True)
def figures():
    """The figures for the issue report, printed once the machine above has run (shown with -s)."""
    yield
    print(f"\nstateful: {COUNTS['examples']} sessions, {COUNTS['steps']} steps, {COUNTS['kills']} kill-and-resumes, "
          f"{COUNTS['disk_full']} disk-full writes")
