"""The live exercise, without a screen (SPEC section 5 "Live", section 6).

A `Session` holds the scenario, the runbook and the simulated clock, delivers
injects and curveballs as the clock passes them, and records what the
facilitator says the candidate did, as the same events the as-stated engine
writes. Every event goes to the transcript (flushed and fsynced) before any
method here returns it, so whatever a screen shows as recorded is on disk.

The clock reads real time through an injected function, so tests (and
snapshots) drive it deterministically. Nothing here imports Textual.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

import attrs

from scoring.played import Played
from scoring.scorecard import Scorecard, score

from . import model as m
from .engine import World, delivery
from .events import EVALUATION, HOTWASH, Event, live_events
from .timing import Clock, format_span, parse_duration, zone
from .transcript import Transcript, TranscriptError, Writer, make_header, read
from .exercise import Pair, as_stated, pair_from_transcript

SPEEDS = (1, 10, 60)
# What a facilitator can record, in key order; "page" covers engaging a role.
ACTIONS = ("acknowledge", "page", "answer", "notify", "update", "act", "decide", "resolve", "note")
# Events the facilitator may correct; injects, curveballs and clock changes are the scenario's.
CORRECTABLE = ACTIONS
# Times earlier than the simulated "now" a facilitator may stamp (a candidate saying "I did that 10m ago").
_STAMP = re.compile(r"^\s*(now|([+-])\s*(\S+))\s*$", re.I)


class SessionError(Exception):
    """Something the facilitator asked for that cannot be done; the message says why."""


def utc_stamp() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_stamp(text: str) -> int:
    """`now`, `+20m` or `-5m` -> an offset in seconds from the simulated now."""
    raw = (text or "").strip() or "now"
    mt = _STAMP.match(raw)
    if not mt:
        raise SessionError(f"expected now, +20m or -5m; got {raw!r}")
    if mt.group(1).lower() == "now":
        return 0
    try:
        d = parse_duration(mt.group(3))
    except ValueError as e:
        raise SessionError(str(e)) from None
    if d.business_days:
        raise SessionError("use hours or minutes here, not business days")
    return d.seconds if mt.group(2) == "+" else -d.seconds


# --- the script: what the scenario will deliver and when --------------------------------------


@attrs.frozen
class Cue:
    """One scheduled happening of the scenario (an inject, a curveball starting or ending)."""

    t: int
    order: int  # curveballs before injects at the same instant, as in the engine
    kind: str  # inject | curveball | curveball_end
    key: str  # inject id or curveball id
    inject: m.Inject | None = None
    curveball: m.Curveball | None = None


def script(sc: m.Scenario, clock: Clock) -> list[Cue]:
    cues: list[Cue] = []
    for cb in sc.curveballs:
        start = clock.after(0, cb.at)
        cues.append(Cue(start, 0, "curveball", cb.id, curveball=cb))
        if cb.for_:
            cues.append(Cue(clock.after(start, cb.for_), 0, "curveball_end", cb.id, curveball=cb))
    for inj in sc.injects:
        cues.append(Cue(clock.after(0, inj.at), 1, "inject", inj.id, inject=inj))
    return sorted(cues, key=lambda c: (c.t, c.order))


@attrs.frozen
class TimelineItem:
    """A row of the MSEL (master scenario events list) as the facilitator sees it."""

    t: int
    kind: str  # inject | curveball
    id: str
    text: str
    state: str  # delivered | pending | conditional | held | active | ended
    note: str = ""


@attrs.frozen
class Open:
    """An obligation as it stands at the simulated now."""

    id: str
    label: str
    inject: str
    due: int | None
    done_at: int | None
    status: str  # met | late | open | overdue | missed
    remaining: int | None  # due - now (negative when late); None when done or unmeasurable
    urgency: str  # done | ok | soon | late
    reason: str
    planned: bool = False  # done at a time still ahead of the clock ("+20m")


@attrs.frozen
class Promise:
    """Promised vs delivered: one runbook metric, as stated and live."""

    metric: str
    promised: str  # what the runbook says ("15m"), or "—"
    as_stated: int | None
    live: int | None
    running: int | None = None  # not yet done: time elapsed so far


def timeline(sc: m.Scenario, clock: Clock, cues: list[Cue], events: Iterable[Event], now: int) -> list[TimelineItem]:
    delivered = {str(e.get("id")): e for e in events if e.type == "inject"}
    held = {str(e.get("id")): e for e in events if e.type == "inject_held"}
    cb_events = {(e.type, str(e.get("id"))) for e in events if e.type in ("curveball", "curveball_end")}
    out: list[TimelineItem] = []
    for c in cues:
        if c.kind == "inject":
            inj = c.inject
            assert inj is not None
            cond = ""
            if inj.when:
                cond = f"only if {inj.when.not_done} is not done" if inj.when.not_done else f"only if {inj.when.done} is done"
            if inj.id in delivered:
                state = "delivered"
            elif inj.id in held:
                state, cond = "held", str(held[inj.id].get("reason") or cond)
            else:
                state = "conditional" if inj.when else "pending"
            out.append(TimelineItem(c.t, "inject", inj.id, inj.message, state, cond))
        elif c.kind == "curveball":
            cb = c.curveball
            assert cb is not None
            if ("curveball_end", cb.id) in cb_events:
                state = "ended"
            elif ("curveball", cb.id) in cb_events:
                state = "active"
            else:
                state = "pending"
            out.append(TimelineItem(c.t, "curveball", cb.id, cb.message or cb.describe(), state))
    return out


def obligations_at(card: Scorecard, now: int, injects_at: dict[str, int]) -> list[Open]:
    """Each obligation of a delivered inject, judged at the simulated now (live countdowns)."""
    out: list[Open] = []
    for r in card.results:
        label = r.id.split("/", 1)[-1].replace(":", " ")
        start = injects_at.get(r.inject, 0)
        due, done = r.due, r.done_at
        if r.windows:  # an update series: the first window still waiting, if any
            waiting = next((w for w in r.windows if w.done_at is None), None)
            if waiting is None:
                last = r.windows[-1]
                out.append(Open(r.id, label, r.inject, last.due, last.done_at, r.status, None, "done", r.reason))
                continue
            idx = r.windows.index(waiting)
            prev = r.windows[idx - 1].due if idx else start
            due, done = waiting.due, None
            start = prev
            label = f"{label} ({idx + 1}/{len(r.windows)})"
        if done is not None:
            out.append(Open(r.id, label, r.inject, due, done, r.status, None, "done", r.reason, planned=done > now))
            continue
        if due is None:  # unmeasurable (the runbook promises nothing for it)
            out.append(Open(r.id, label, r.inject, None, None, "missed", None, "late", r.reason))
            continue
        remaining = due - now
        window = max(due - start, 1)
        if remaining < 0:
            status, urgency = "overdue", "late"
        elif remaining <= max(window // 4, 300) and remaining <= window:
            status, urgency = "open", "soon"
        else:
            status, urgency = "open", "ok"
        out.append(Open(r.id, label, r.inject, due, None, status, remaining, urgency, r.reason))
    return out


def live_gap(events: Iterable[Event], who: str, start: int, now: int) -> int:
    """Longest time so far without a delivered message to `who` (up to the simulated now)."""
    times = sorted(e.t for e in live_events(list(events))
                   if e.type in ("notify", "update") and e.get("stakeholder") == who and e.get("delivered") and start <= e.t <= now)
    marks = [start] + times + [max(now, start)]
    return max(b - a for a, b in zip(marks, marks[1:]))


def promises(sc: m.Scenario, rb: m.Runbook, stated: Scorecard, live: Scorecard, now: int, first_inject: int | None,
             events: list[Event] | None = None, ended: bool = False) -> list[Promise]:
    """For each metric the runbook promises at this severity: promise, as-stated time, live time."""
    tier = rb.sla.get(sc.severity)
    rows: list[Promise] = []

    def promised(metric: str) -> str:
        d = getattr(tier, metric, None) if tier else None
        return str(d) if d is not None else "—"

    def running(done: int | None) -> int | None:
        if done is not None or first_inject is None or ended:
            return None
        return max(0, now - first_inject)

    sm, lm = stated.metrics, live.metrics
    rows.append(Promise("acknowledge", promised("acknowledge"), sm.time_to_acknowledge, lm.time_to_acknowledge,
                        running(lm.time_to_acknowledge)))
    needed = [o.target for _, o in sc.obligations if o.kind == "engage" and o.target]
    for fn in dict.fromkeys(needed):
        got = lm.time_to_engage.get(fn)
        rows.append(Promise(f"engage {fn}", promised("engage"), sm.time_to_engage.get(fn), got, running(got)))
    for who in dict.fromkeys(list(sm.longest_update_gap) + list(lm.longest_update_gap)):
        if ended or events is None or first_inject is None:
            rows.append(Promise(f"update {who} (longest gap)", promised("update"), sm.longest_update_gap.get(who),
                                lm.longest_update_gap.get(who)))
        else:  # mid-exercise: the longest gap so far, still running
            rows.append(Promise(f"update {who} (longest gap)", promised("update"), sm.longest_update_gap.get(who), None,
                                live_gap(events, who, first_inject, now)))
    rows.append(Promise("restore", promised("restore"), sm.time_to_resolve, lm.time_to_resolve, running(lm.time_to_resolve)))
    return rows


# --- choices for the facilitator's forms -------------------------------------------------------


def choices(sc: m.Scenario, rb: m.Runbook) -> dict[str, list[tuple[str, str]]]:
    """(value, label) lists for the forms' pickers, from both files, in the order their authors wrote."""
    roles = [(k, f"{k} — {r.name}") for k, r in rb.roles.items()]
    sh: dict[str, str] = {k: f"{k} — {s.name}" for k, s in sc.stakeholders.items()}
    for rule in rb.communication:
        for who in rule.stakeholders:
            sh.setdefault(who, f"{who} (not in this scenario)")
    channels: list[str] = []
    for s in sc.stakeholders.values():
        channels += s.channels
    for rule in rb.communication:
        channels += rule.via
    for r in rb.roles.values():
        channels += r.channels
    tasks: list[str] = [o.target for _, o in sc.obligations if o.kind == "act" and o.target]
    tasks += list(sc.resolution.after) if sc.resolution else []
    decisions: list[str] = [o.target for _, o in sc.obligations if o.kind == "decide" and o.target]
    for step in rb.playbooks.get(sc.playbook or "", ()):
        (tasks if step.kind == "act" else decisions).append(step.task)
    for inj in sc.injects:
        if inj.when:
            tasks += [x for x in (inj.when.done, inj.when.not_done) if x]
    deciders = roles + [(k, lbl) for k, lbl in sh.items()]
    deciders += [(f, f"{f} (function)") for f in m.FUNCTIONS if rb.fillers(f)]
    return {
        "role": roles,
        "stakeholder": list(sh.items()),
        "channel": [(c, c) for c in dict.fromkeys(channels)],
        "task": [(t, t) for t in dict.fromkeys(tasks)],
        "decision": [(d, d) for d in dict.fromkeys(decisions)],
        "decider": list(dict.fromkeys(deciders)),
    }


# --- the live session -----------------------------------------------------------------------


class TranscriptLock:
    """An exclusive lock on a live transcript, so two processes never write the same exercise."""

    def __init__(self, path: str):
        self.path = path
        self.fd = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            raise TranscriptError(path, "is open in another ttx play (it is locked); close that one first") from None

    def release(self) -> None:
        if self.fd >= 0:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            finally:
                os.close(self.fd)
                self.fd = -1


def event_now(e: Event) -> int:
    """The simulated time the clock had reached when an event was recorded."""
    stamped = e.get("stamped")
    now = int(stamped) if isinstance(stamped, int) else e.t
    if e.type == "clock" and isinstance(e.get("to"), int):
        now = max(now, int(e.get("to")))
    return now


class Session:
    """A live exercise being recorded to a transcript."""

    def __init__(self, pair: Pair, writer: Writer, lock: TranscriptLock, events: list[Event],
                 wall: Callable[[], float] = time.monotonic, stamp: Callable[[], str] = utc_stamp,
                 truncated: bool = False):
        self.pair, self.sc, self.rb = pair, pair.scenario, pair.runbook
        self.writer, self.lock = writer, lock
        self.path = writer.path
        self.wall, self.stamp = wall, stamp
        self.truncated = truncated  # resumed from a transcript whose torn last line was dropped
        self.clock = Clock(self.sc.starts, zone(self.sc.timezone))
        self.horizon = self.clock.after(0, self.sc.horizon)
        self.world = World(self.sc, self.rb, self.clock)
        self.cues = script(self.sc, self.clock)
        self.events: list[Event] = list(events)
        self.listeners: list[Callable[[list[Event]], None]] = []
        # the clock: simulated seconds at an anchor, advancing at `speed` while running
        self.running = False
        self.speed = 1
        self._anchor_wall = wall()
        self._anchor_sim = 0.0
        self.next_cue = 0
        self.ended = any(e.type == "end" for e in events)
        # nothing is delivered until the facilitator first runs or steps the clock
        self.started = any(e.type == "clock" and e.get("action") != "resume" for e in events)
        self.resumed: Event | None = None  # the "resume" clock event this opening wrote, if it was a resume
        self._card: Scorecard | None = None
        self._stated: Scorecard | None = None
        self.closed = False
        if events:
            self._replay_state()

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def start(cls, pair: Pair, path: str, wall: Callable[[], float] = time.monotonic,
              stamp: Callable[[], str] = utc_stamp) -> "Session":
        header = make_header("live", pair.scenario_src, pair.runbook_src, created=stamp())
        try:
            writer = Writer(path, header=header)
        except FileExistsError:
            raise TranscriptError(path, "already exists; use --resume to continue it, or choose another -o") from None
        except TranscriptError:
            raise
        except OSError as e:  # a read-only or missing folder: say so before anything is played
            raise TranscriptError(path, f"cannot create the transcript here ({e.strerror or e}); choose another -o") from None
        lock = TranscriptLock(path)
        return cls(pair, writer, lock, [], wall, stamp)

    @classmethod
    def resume(cls, path: str, wall: Callable[[], float] = time.monotonic,
               stamp: Callable[[], str] = utc_stamp) -> "Session":
        if not os.path.isfile(path):
            raise TranscriptError(path, "no such file")
        lock = TranscriptLock(path)
        try:
            tr = read(path)
            if tr.mode != "live":
                raise TranscriptError(path, "is an automatic (as-stated) transcript; only live exercises can be resumed (try ttx replay)")
            pair = pair_from_transcript(tr)
            writer = Writer(path, resume=tr)
        except BaseException:
            lock.release()
            raise
        s = cls(pair, writer, lock, tr.events, wall, stamp, truncated=tr.truncated)
        if not s.ended:  # the transcript says the exercise was interrupted here and picked up again
            clocks = [e for e in tr.events if e.type == "clock"]
            interrupted = bool(clocks) and clocks[-1].get("action") == "run"  # a clean quit pauses first
            try:
                (s.resumed,) = s._write([Event(s.now, "clock", {"action": "resume", "speed": s.speed, "interrupted": interrupted})])
            except OSError:  # a full disk: the exercise still opens (the next write says why it cannot record)
                pass
        return s

    def close(self) -> None:
        """Stop recording; a running clock is paused first so a resume starts where it stood."""
        if self.closed:
            return
        try:
            if self.running and not self.ended:
                self.pause()
        finally:  # even when the pause cannot be written (disk full), the file and its lock are let go
            self.closed = True
            self.writer.close()
            self.lock.release()

    def _replay_state(self) -> None:
        """After a resume: where the clock stood, which cues were delivered. The clock starts paused."""
        now = max((event_now(e) for e in self.events), default=0)
        self._anchor_sim = float(min(now, self.horizon))
        seen = {(e.type, str(e.get("id"))) for e in self.events if e.type in ("inject", "inject_held", "curveball", "curveball_end")}
        i = 0  # cues are delivered in order, so the delivered ones are a prefix
        while i < len(self.cues):
            c = self.cues[i]
            if (c.kind, c.key) in seen or (c.kind == "inject" and ("inject_held", c.key) in seen):
                i += 1
                continue
            break
        self.next_cue = i
        speeds = [e for e in self.events if e.type == "clock" and e.get("speed")]
        if speeds:
            self.speed = int(speeds[-1].get("speed"))

    # -- the clock -------------------------------------------------------------------------
    @property
    def now(self) -> int:
        """Simulated seconds since the scenario starts."""
        sim = self._anchor_sim
        if self.running:
            sim += (self.wall() - self._anchor_wall) * self.speed
        return int(min(sim, self.horizon))

    def label(self, t: int | None = None) -> str:
        return self.clock.label_zone(self.now if t is None else t)

    @property
    def mode(self) -> str:
        if self.ended:
            return "ended"
        return f"running ×{self.speed}" if self.running else "paused"

    def _rebase(self) -> None:
        self._anchor_sim = float(self.now)
        self._anchor_wall = self.wall()

    def tick(self) -> list[Event]:
        """Deliver everything the clock has passed; call this often while running."""
        if self.ended or not self.started:
            return []
        return self._deliver_until(self.now)

    def pause(self) -> list[Event]:
        if self.ended or not self.running:
            return []
        out = self.tick()
        self._rebase()
        self.running = False
        return out + self._write([Event(self.now, "clock", {"action": "pause", "speed": self.speed})])

    def run(self, speed: int | None = None) -> list[Event]:
        if self.ended:
            raise SessionError("the exercise has ended")
        speed = self.speed if speed is None else speed
        if speed not in SPEEDS:
            raise SessionError(f"speed must be one of {', '.join(f'×{s}' for s in SPEEDS)}")
        out = self.tick()
        if self.running and speed == self.speed:
            return out
        self._rebase()
        self.running, self.speed, self.started = True, speed, True
        return out + self._write([Event(self.now, "clock", {"action": "run", "speed": speed})])

    def toggle(self) -> list[Event]:
        return self.pause() if self.running else self.run()

    def next_inject_time(self) -> int | None:
        """The next inject the candidate will hear: one whose condition will not hold is skipped (held, not read)."""
        now = self.now
        acts: dict[str, int] | None = None
        for c in self.cues[self.next_cue:]:
            if c.kind == "inject" and c.t >= now:
                assert c.inject is not None
                if c.inject.when:
                    if acts is None:
                        acts = self._acts()
                    if self._held(c.inject, c.t, acts):
                        continue
                return c.t
        return None

    def _acts(self) -> dict[str, int]:
        return {str(e.get("task")): e.t for e in live_events(self.events) if e.type == "act"}

    def _held(self, inj: m.Inject, t: int, acts: dict[str, int]) -> str:
        """Why a conditional inject does not fire at t ("" when it does): one rule for stepping and delivering."""
        if not inj.when:
            return ""
        task = inj.when.not_done or inj.when.done or ""
        done_at = acts.get(task)
        is_done = done_at is not None and done_at <= t
        if inj.when.not_done and is_done:
            return f"{task} was done at {self.clock.label(done_at or 0)}"
        if inj.when.done and not is_done:
            return f"{task} was not done by then"
        return ""

    def step(self) -> list[Event]:
        """Jump to the next inject, deliver it and pause (or to the horizon when none is left)."""
        if self.ended:
            raise SessionError("the exercise has ended")
        out = self.tick()
        was = self.now
        target = self.next_inject_time()
        if target is None:
            target = self.horizon
        saved = (self.running, self.started, self._anchor_sim, self._anchor_wall)
        self.running, self.started = False, True
        self._anchor_sim, self._anchor_wall = float(target), self.wall()
        try:
            out += self._write([Event(was, "clock", {"action": "step", "to": target, "speed": self.speed})])
        except Exception:  # not recorded, so the clock did not move: stepping again goes to the same inject
            self.running, self.started, self._anchor_sim, self._anchor_wall = saved
            raise
        return out + self._deliver_until(target)

    def end(self, reason: str = "stopped") -> list[Event]:
        if self.ended:
            return []
        out = self.tick()
        self._rebase()
        self.running = False
        self.ended = True
        try:
            return out + self._write([Event(self.now, "end", {"reason": reason})])
        except Exception:  # the end was not recorded: the exercise is still open
            self.ended = False
            raise

    def _deliver_until(self, now: int) -> list[Event]:
        batch: list[Event] = []
        saved = (self.next_cue, self.ended, self.running, self._anchor_sim)
        acts: dict[str, int] = {}
        if self.next_cue < len(self.cues) and self.cues[self.next_cue].t <= now:  # a scan only when a cue is due
            acts = self._acts()
        while self.next_cue < len(self.cues) and self.cues[self.next_cue].t <= now:
            c = self.cues[self.next_cue]
            self.next_cue += 1
            if c.kind == "curveball":
                cb = c.curveball
                assert cb is not None
                until = self.clock.after(c.t, cb.for_) if cb.for_ else None
                if cb.channel_down:
                    data = {"id": cb.id, "what": "channel_down", "target": cb.channel_down, "until": until}
                else:
                    from .engine import resolve_role

                    data = {"id": cb.id, "what": "unreachable", "target": cb.unreachable,
                            "role": resolve_role(self.rb, cb.unreachable or ""), "until": until}
                batch.append(Event(c.t, "curveball", data))
            elif c.kind == "curveball_end":
                batch.append(Event(c.t, "curveball_end", {"id": c.key}))
            else:
                inj = c.inject
                assert inj is not None
                held = self._held(inj, c.t, acts)
                if held:
                    batch.append(Event(c.t, "inject_held", {"id": inj.id, "reason": held}))
                    continue
                batch.append(Event(c.t, "inject", {"id": inj.id, "source": inj.source, "message": inj.message}))
        if now >= self.horizon and not self.ended:
            self.ended, self.running = True, False
            self._anchor_sim = float(self.horizon)
            batch.append(Event(self.horizon, "end", {"reason": "horizon"}))
        try:
            return self._write(batch) if batch else []
        except Exception:  # not on disk, so not delivered: the next tick tries again
            self.next_cue, self.ended, self.running, self._anchor_sim = saved
            raise

    # -- recording ---------------------------------------------------------------------------
    def _write(self, events: list[Event]) -> list[Event]:
        """Durably append; only then do the events count (and may be shown as recorded)."""
        if not events:
            return []
        written = self.writer.append(events, wall=self.stamp())
        self.events.extend(written)
        self._card = None
        for fn in list(self.listeners):
            fn(written)
        return written

    def _at(self, offset: int, at: int | None = None) -> tuple[int, dict[str, Any]]:
        """The event's time: `at` (when the candidate said it: the form's opening) or now, plus the offset said."""
        now = self.now if at is None else max(0, min(int(at), self.now))
        t = max(0, min(now + offset, self.horizon))
        return t, ({"stamped": now} if t != now else {})

    def record(self, kind: str, when: str | int = 0, at: int | None = None, **fields: Any) -> list[Event]:
        """Record one action the candidate states; returns the events written (already on disk).
        `at`: the simulated time it was said (a form freezes "now" when it opens), else now."""
        if self.ended:
            raise SessionError("the exercise has ended; nothing more can be recorded")
        if kind not in ACTIONS:
            raise SessionError(f"unknown action {kind!r}")
        self.tick()
        offset = parse_stamp(when) if isinstance(when, str) else int(when)
        t, extra = self._at(offset, at)
        return self._write(self._build(kind, t, extra, fields))

    def _need(self, fields: dict[str, Any], key: str, what: str) -> str:
        value = fields.get(key)
        if not value:
            raise SessionError(f"choose {what}")
        return str(value)

    def _build(self, kind: str, t: int, extra: dict[str, Any], f: dict[str, Any]) -> list[Event]:
        out = self._build_action(kind, t, extra, f)
        # the evaluator's capture rides on the action it judges (the last event the form wrote)
        capture = {k: str(f[k]) for k in EVALUATION if f.get(k)}
        if kind == "note" and f.get("hotwash") in HOTWASH:
            capture["hotwash"] = str(f["hotwash"])
        if capture:
            last = out[-1]
            out[-1] = Event(last.t, last.type, last.data | capture)
        return out

    def _build_action(self, kind: str, t: int, extra: dict[str, Any], f: dict[str, Any]) -> list[Event]:
        if kind == "acknowledge":
            who = self._need(f, "by", "who acknowledged")
            out = []
            answered = {str(e.get("role")) for e in live_events(self.events) if e.type == "answer"}
            if who in self.rb.roles and who not in answered:  # whoever acknowledges is on the incident
                out.append(Event(t, "answer", {"role": who, "stands_in_for": None} | extra))
            return out + [Event(t, "acknowledge", {"by": who} | extra)]
        if kind == "page":
            role = self._need(f, "role", "the role paged")
            answers = f.get("answers", "")
            ans_at: int | None = None
            if answers not in (None, "", "never", "no answer"):
                off = parse_stamp(answers) if isinstance(answers, str) else int(answers)
                ans_at = max(t, min(t + off, self.horizon))
            backs = f.get("backs") or None
            page = {"role": role, "reason": str(f.get("reason") or "paged by the candidate"), "backs": backs,
                    "answers_at": ans_at, "why": str(f.get("why") or "")}
            out = [Event(t, "page", page | extra)]
            if ans_at is not None:
                ans_extra = {"stamped": extra.get("stamped", t)} if ans_at != extra.get("stamped", t) else {}
                out.append(Event(ans_at, "answer", {"role": role, "stands_in_for": backs} | ans_extra))
            return out
        if kind == "answer":  # a paged role calls back (or its backup, standing in)
            role = self._need(f, "role", "who answered")
            stands = f.get("stands_in_for") or None
            return [Event(t, "answer", {"role": role, "stands_in_for": None if stands == role else stands} | extra)]
        if kind in ("notify", "update"):
            who = self._need(f, "stakeholder", "a stakeholder")
            via = self._need(f, "via", "a channel")
            channel, ok, why = delivery(self.sc, self.world, who, (via,), t)
            data: dict[str, Any] = {"stakeholder": who, "via": channel, "by": f.get("by") or None, "delivered": ok}
            if why:
                data["why"] = why
            return [Event(t, kind, data | extra)]
        if kind == "act":
            task = self._need(f, "task", "a task")
            started = extra.get("stamped", t) if t > extra.get("stamped", t) else t
            return [Event(t, "act", {"task": task, "by": f.get("by") or None, "started": started} | extra)]
        if kind == "decide":
            decision = self._need(f, "decision", "a decision")
            return [Event(t, "decide", {"decision": decision, "by": f.get("by") or None} | extra)]
        if kind == "resolve":
            return [Event(t, "resolve", dict(extra))]
        text = str(f.get("text") or "").strip()
        if not text:
            raise SessionError("a note needs some text")
        return [Event(t, "note", {"text": text} | extra)]

    def warnings(self, events: list[Event]) -> list[str]:
        """What the facilitator should push back on: a role that cannot be reached, a message that did not arrive."""
        out: list[str] = []
        for e in events:
            for key in ("by", "role"):
                who = e.get(key)
                if isinstance(who, str) and who in self.rb.roles and e.type in ("acknowledge", "page", "act", "notify", "update", "decide"):
                    iv = self.world.unreachable_at(who, e.t)
                    if iv is not None and not (e.type == "page" and e.get("answers_at") is None):
                        until = "the end" if iv.end == float("inf") else self.clock.label(int(iv.end))
                        out.append(f"{who} is unreachable until {until} ({iv.source})")
            if e.type in ("notify", "update") and not e.get("delivered"):
                out.append(f"not delivered: {e.get('why') or 'undelivered'}")
        return list(dict.fromkeys(out))

    def retract(self, seq: int, why: str = "") -> list[Event]:
        """Withdraw a recorded action: a new `retract` event; the original line stays as it was."""
        target = self.event(seq)
        if target is None:
            raise SessionError(f"no event {seq}")
        if target.type not in CORRECTABLE:
            raise SessionError(f"a {target.type} comes from the scenario and cannot be withdrawn")
        if seq in self.retracted:
            raise SessionError(f"event {seq} was already withdrawn")
        if self.ended:
            raise SessionError("the exercise has ended; nothing more can be recorded")
        out = []
        for target_seq in [seq] + self._companions(seq):
            data: dict[str, Any] = {"target": target_seq}
            if why:
                data["why"] = why
            out.append(Event(self.now, "retract", data))
        return self._write(out)

    def _companions(self, seq: int) -> list[int]:
        """Events written with this one by the same form (a page's answer, an acknowledger's answer)."""
        e = self.event(seq)
        gone = self.retracted
        if e is None:
            return []
        if e.type == "page" and isinstance(e.get("answers_at"), int):
            nxt = self.event(seq + 1)
            if nxt is not None and nxt.type == "answer" and nxt.get("role") == e.get("role") and nxt.t == e.get("answers_at") \
                    and nxt.seq not in gone:
                return [nxt.seq]
        if e.type == "acknowledge":
            prev = self.event(seq - 1)
            if prev is not None and prev.type == "answer" and prev.get("role") == e.get("by") and prev.t == e.t \
                    and prev.seq not in gone and self._same_write(prev, e):
                return [prev.seq]
        return []

    def _same_write(self, a: Event, b: Event) -> bool:
        return a.get("stamped") == b.get("stamped")

    def amend(self, seq: int, kind: str, when: str | int = 0, at: int | None = None, **fields: Any) -> list[Event]:
        """A correction: withdraw event `seq` and record its replacement, in one durable write."""
        target = self.event(seq)
        if target is None or target.type not in CORRECTABLE or seq in self.retracted:
            raise SessionError(f"event {seq} cannot be edited")
        if self.ended:
            raise SessionError("the exercise has ended; nothing more can be recorded")
        offset = parse_stamp(when) if isinstance(when, str) else int(when)
        t, extra = self._at(offset, at)
        new = self._build(kind, t, extra, fields)
        withdraw = [Event(self.now, "retract", {"target": x, "why": "edited"}) for x in [seq] + self._companions(seq)]
        return self._write(withdraw + new)

    def event(self, seq: int) -> Event | None:
        return self.events[seq - 1] if 0 < seq <= len(self.events) and self.events[seq - 1].seq == seq else \
            next((e for e in self.events if e.seq == seq), None)

    @property
    def retracted(self) -> set[int]:
        return {int(e.get("target")) for e in self.events if e.type == "retract"}

    # -- judging -----------------------------------------------------------------------------
    @property
    def card(self) -> Scorecard:
        """The live scorecard (re-scored after every write; obligations not yet done count as missed)."""
        if self._card is None:
            self._card = score(self.sc, self.rb, self.events, None, "live")  # the scorer orders by simulated time
        return self._card

    @property
    def stated(self) -> Scorecard:
        """The as-stated scorecard: what the runbook promises on this night."""
        if self._stated is None:
            self._stated = as_stated(self.pair)
        return self._stated

    def played(self) -> Played:
        """The exercise as recorded so far, for the reports (the transcript as it stands on disk)."""
        tr = read(self.path)
        return Played(self.card, self.sc, self.rb, self.stated, tr.header, tr.events)

    def injects_at(self) -> dict[str, int]:
        return {str(e.get("id")): e.t for e in self.events if e.type == "inject"}

    def obligations(self) -> list[Open]:
        return obligations_at(self.card, self.now, self.injects_at())

    def timeline(self) -> list[TimelineItem]:
        return timeline(self.sc, self.clock, self.cues, self.events, self.now)

    def promises(self) -> list[Promise]:
        first = min(self.injects_at().values(), default=None)
        return promises(self.sc, self.rb, self.stated, self.card, self.now, first, self.events, self.ended)

    def current_inject(self) -> m.Inject | None:
        last = next((e for e in reversed(self.events) if e.type == "inject"), None)
        if last is None:
            return None
        return next((i for i in self.sc.injects if i.id == last.get("id")), None)

    def choices(self) -> dict[str, list[tuple[str, str]]]:
        return choices(self.sc, self.rb)


# --- replay ---------------------------------------------------------------------------------


class Replay:
    """A recorded exercise (auto or live), read-only, viewed as it stood after any event."""

    def __init__(self, tr: Transcript):
        self.tr = tr
        self.pair = pair_from_transcript(tr)
        self.sc, self.rb = self.pair.scenario, self.pair.runbook
        self.clock = Clock(self.sc.starts, zone(self.sc.timezone))
        self.cues = script(self.sc, self.clock)
        self.events = tr.events
        self.mode = tr.mode
        self._cards: dict[int, Scorecard] = {}
        self._stated: Scorecard | None = None
        self._now = [0]  # simulated time after each prefix of events (the latest time reached)
        for e in self.events:
            self._now.append(max(self._now[-1], event_now(e)))

    def __len__(self) -> int:
        return len(self.events)

    def now(self, pos: int) -> int:
        """Simulated time after the first `pos` events (the latest time stamped so far)."""
        return self._now[max(0, min(pos, len(self.events)))]

    def card(self, pos: int) -> Scorecard:
        if pos not in self._cards:
            if len(self._cards) > 64:  # keep memory flat on long transcripts
                self._cards.pop(next(iter(self._cards)))
            self._cards[pos] = score(self.sc, self.rb, self.events[:pos], None, self.mode)
        return self._cards[pos]

    @property
    def stated(self) -> Scorecard:
        if self._stated is None:
            self._stated = as_stated(self.pair)
        return self._stated

    def played(self, card: Scorecard) -> Played:
        """The whole recording beside one of its cards, for the reports (as stated, the card is its own as-stated card)."""
        return Played(card, self.sc, self.rb, card if card.mode == "auto" else self.stated, self.tr.header, self.tr.events)

    def inject_positions(self) -> list[tuple[int, str, int]]:
        """(position just after the inject, inject id, t) for jumping."""
        return [(i + 1, str(e.get("id")), e.t) for i, e in enumerate(self.events) if e.type == "inject"]

    def timeline(self, pos: int) -> list[TimelineItem]:
        return timeline(self.sc, self.clock, self.cues, self.events[:pos], self.now(pos))

    def obligations(self, pos: int) -> list[Open]:
        injects = {str(e.get("id")): e.t for e in self.events[:pos] if e.type == "inject"}
        return obligations_at(self.card(pos), self.now(pos), injects)

    def promises(self, pos: int) -> list[Promise]:
        injects = [e.t for e in self.events[:pos] if e.type == "inject"]
        ended = pos >= len(self.events) and self.mode == "auto" or any(e.type == "end" for e in self.events[max(0, pos - 1):pos])
        return promises(self.sc, self.rb, self.stated, self.card(pos), self.now(pos), min(injects, default=None),
                        self.events[:pos], ended)

    def current_inject(self, pos: int) -> m.Inject | None:
        last = next((e for e in reversed(self.events[:pos]) if e.type == "inject"), None)
        if last is None:
            return None
        return next((i for i in self.sc.injects if i.id == last.get("id")), None)


def describe(e: Event, clock: Clock | None = None) -> str:
    """One plain line for an event (the transcript view; untrusted text is left for the view to render literally)."""
    g = e.get
    if e.type == "inject":
        return f"INJECT {g('id')}: {g('message')}"
    if e.type == "inject_held":
        return f"held {g('id')}: {g('reason')}"
    if e.type == "curveball":
        what = f"{g('target')} unreachable" if g("what") == "unreachable" else f"{g('target')} down"
        return f"CURVEBALL {what}" + (f" until {clock.label(int(g('until'))) if clock else format_span(int(g('until')))}" if g("until") is not None else "")
    if e.type == "curveball_end":
        return f"curveball {g('id')} ends"
    if e.type == "page":
        ans = g("answers_at")
        return f"page {g('role')}" + (f" (backs {g('backs')})" if g("backs") else "") + \
            (f", answers at {clock.label(int(ans)) if clock else format_span(int(ans))}" if isinstance(ans, int) else ", no answer")
    if e.type == "answer":
        return f"{g('role')} answers" + (f", standing in for {g('stands_in_for')}" if g("stands_in_for") else "")
    if e.type == "acknowledge":
        return f"acknowledged by {g('by')}"
    if e.type in ("notify", "update"):
        ok = "delivered" if g("delivered") else f"NOT delivered ({g('why') or 'undelivered'})"
        return f"{e.type} {g('stakeholder')} by {g('via')}" + (f" ({g('by')})" if g("by") else "") + f": {ok}"
    if e.type == "act":
        return f"act {g('task')}" + (f" by {g('by')}" if g("by") else "")
    if e.type == "decide":
        return f"decide {g('decision')}" + (f" by {g('by')}" if g("by") else "")
    if e.type == "resolve":
        return "service restored"
    if e.type == "note":
        return f"note: {g('text')}"
    if e.type == "clock":
        a = g("action")
        if a == "resume":
            return "resumed after an interruption (clock rewound to the last recorded moment)" if g("interrupted") \
                else "exercise reopened"
        return {"pause": "clock paused", "run": f"clock running ×{g('speed')}",
                "step": "clock stepped to next inject"}.get(str(a), f"clock {a}")
    if e.type == "retract":
        return f"withdrew #{g('target')}" + (f" ({g('why')})" if g("why") else "")
    if e.type == "end":
        return f"exercise ends ({g('reason')})"
    return e.type


def default_output(sc_id: str, rb_id: str, now: datetime | None = None) -> str:
    now = now or datetime.now()
    safe = lambda s: re.sub(r"[^A-Za-z0-9._-]+", "-", s)[:60] or "x"  # noqa: E731
    return f"{safe(sc_id)}-{safe(rb_id)}-{now.strftime('%Y%m%d-%H%M%S')}.ttx.jsonl"

