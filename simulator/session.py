"""The live exercise, without a screen (SPEC section 5 "Live", section 6).

A `Session` holds the scenario, the runbook and the simulated clock, delivers
injects and curveballs as the clock passes them, and records what the
facilitator says the candidate did, as the same events the as-stated engine
writes. Every event goes to the transcript (flushed and fsynced) before any
method here returns it, so whatever a screen shows as recorded is on disk.

The clock reads real time through an injected function, so tests (and
snapshots) drive it deterministically. Nothing here imports Textual.

What the board shows is in `board`, replays in `replay`, the transcript's lock
and writer in `transcript`. This module stays one piece (about 500
lines): the clock, delivery, recording and corrections share one state that a
failed write must roll back as a whole.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from scoring.facts import Facts, follow, gather
from scoring.played import Played
from scoring.promised import Promise, promises
from scoring.scorecard import Scorecard, judged, restamped, turns

from . import model as m
from .board import Open, TimelineItem, choices, obligations_at, script, tasks_done, timeline, warnings
from .engine import World, curveball_event, delivery, inject_event
from .events import ACTION_TYPES, EVALUATION, HOTWASH, Event, event_now
from .exercise import Pair, as_stated, pair_from_transcript
from .timing import Clock, parse_duration
from .transcript import TranscriptError, TranscriptLock, Writer, make_header, read
from .wording import Names

SPEEDS = (1, 10, 60)
ACTIONS = ACTION_TYPES  # what a facilitator can record (events.EVENT_TYPES is the one vocabulary)
# Events the facilitator may correct; injects, curveballs and clock changes are the scenario's.
CORRECTABLE = ACTIONS
# Times earlier than the simulated "now" a facilitator may stamp (a candidate saying "I did that 10m ago").
_STAMP = re.compile(r"^\s*(now|([+-])\s*(\S+))\s*$", re.I)


class SessionError(Exception):
    """Something the facilitator asked for that cannot be done; the message says why."""


def utc_stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_stamp(text: str, clock: Clock | None = None, base: int = 0) -> int:
    """`now`, `+20m`, `-5m`, or with a clock a wall-clock time (`06:25`, `Sun 06:25`: the one nearest `base`) -> an
    offset in seconds from `base`, the simulated time the entry is said at."""
    raw = (text or "").strip() or "now"
    if clock is not None:
        try:
            at = clock.clock_time(raw, base)
        except ValueError as e:
            raise SessionError(str(e)) from None
        if at is not None:
            return at - base
    mt = _STAMP.match(raw)
    if not mt:
        raise SessionError(f"expected now, +20m, -5m or a time like 06:25; got {raw!r}")
    if mt.group(1).lower() == "now":
        return 0
    try:
        d = parse_duration(mt.group(3))
    except ValueError as e:
        raise SessionError(str(e)) from None
    if d.business_days:
        raise SessionError("use hours or minutes here, not business days")
    return d.seconds if mt.group(2) == "+" else -d.seconds


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
        self.clock = self.sc.clock()  # the engine's: business days (`at: 1bd`) skip the scenario's public holidays
        self.horizon = self.clock.after(0, self.sc.horizon)
        self.world = World(self.sc, self.rb, self.clock)
        self.cues = script(self.sc, self.clock)
        self.names = Names(self.sc, self.rb)  # roles and stakeholders as the board and the report name them
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
        self._facts: Facts | None = None  # the transcript indexed for judging, fed as events are written
        self._card: Scorecard | None = None
        self._card_at: int | None = None  # the simulated now `_card` stands at (None: the exercise had ended)
        self._card_until = 0  # when its judgement next turns (`scorecard.turns`)
        self._stated: Scorecard | None = None
        self._derived: dict[str, Any] = {}  # what the board reads from the events, kept until the next write
        self.closed = False
        if events:
            self._replay_state()

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def start(cls, pair: Pair, path: str, wall: Callable[[], float] = time.monotonic,
              stamp: Callable[[], str] = utc_stamp) -> Session:
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
               stamp: Callable[[], str] = utc_stamp) -> Session:
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
                    acts = tasks_done(self.events) if acts is None else acts
                    if inject_event(c.inject, c.t, acts, self.clock).type == "inject_held":
                        continue
                return c.t
        return None

    def next_stop(self, curveballs: bool = False) -> int | None:
        """Where a step goes: the next inject (None when none is left, and a step goes to the horizon); with
        `curveballs`, a curveball's start or end before it."""
        inject = self.next_inject_time()
        if not curveballs:
            return inject
        twist = next((c.t for c in self.cues[self.next_cue:] if c.kind in ("curveball", "curveball_end") and c.t > self.now),
                     None)
        return twist if twist is not None and (inject is None or twist < inject) else inject

    def step(self, curveballs: bool = False) -> list[Event]:
        """Jump to the next inject, deliver it and pause (or to the horizon when none is left). With `curveballs`,
        stop at a curveball's start or end before it too, so the room can play it at its own time."""
        if self.ended:
            raise SessionError("the exercise has ended")
        out = self.tick()
        was = self.now
        target = self.next_stop(curveballs)
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
            acts = tasks_done(self.events)
        while self.next_cue < len(self.cues) and self.cues[self.next_cue].t <= now:
            c = self.cues[self.next_cue]
            self.next_cue += 1
            if c.kind == "curveball":
                assert c.curveball is not None
                batch.append(curveball_event(c.curveball, c.t, self.clock, self.rb))
            elif c.kind == "curveball_end":
                batch.append(Event(c.t, "curveball_end", {"id": c.key}))
            else:
                assert c.inject is not None
                batch.append(inject_event(c.inject, c.t, acts, self.clock))
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
        if self._facts is not None and not follow(self._facts, written):
            self._facts = None  # a withdrawal or an earlier stamp: gathered afresh when next scored
        self._card = None
        self._derived.clear()
        for fn in list(self.listeners):
            fn(written)
        return written

    def _at(self, when: str | int, at: int | None = None) -> tuple[int, dict[str, Any]]:
        """The event's time: `at` (when the candidate said it: the form's opening) or now, plus the offset said
        (`when`: seconds, or as typed: `+20m`, or a clock time)."""
        now = self.now if at is None else max(0, min(int(at), self.now))
        offset = parse_stamp(when, self.clock, now) if isinstance(when, str) else int(when)
        t = now + offset
        self._by_horizon(t)
        self._not_before(t, 0, "the scenario starts")
        return t, ({"stamped": now} if t != now else {})

    def _not_before(self, t: int, floor: int, what: str, said: str = "that") -> None:
        """Moved forward to `floor`, an entry would be stamped at a time the candidate did not say: refused, saying
        when it would land (as after the horizon)."""
        if t < floor:
            raise SessionError(f"{said} is {self.clock.label(t, with_date=True)}, before {what} "
                               f"({self.clock.label(floor, with_date=True)}): give a time from then on")

    def _by_horizon(self, t: int, what: str = "that") -> None:
        """SPEC: nothing after the horizon is recorded. Moved back to it, an entry (or a page's answer) would count as
        done sooner than the candidate said: refused, saying when it would land."""
        if t > self.horizon:
            raise SessionError(f"{what} is {self.clock.label(t, with_date=True)}, after the end of the scenario "
                               f"({self.clock.label(self.horizon, with_date=True)}): nothing after it is recorded")

    def record(self, kind: str, when: str | int = 0, at: int | None = None, after: int | None = None,
               **fields: Any) -> list[Event]:
        """Record one action the candidate states; returns the events written (already on disk).
        `at`: the simulated time it was said (a form freezes "now" when it opens), else now. `after`: where the
        candidate's account stood then (a form's starting When): a task said to take +Nm starts no earlier."""
        if self.ended:
            raise SessionError("the exercise has ended; nothing more can be recorded")
        if kind not in ACTIONS:
            raise SessionError(f"unknown action {kind!r}")
        self.tick()
        t, extra = self._at(when, at)
        return self._write(self._build(kind, t, extra, fields, after))

    def _need(self, fields: dict[str, Any], key: str, what: str) -> str:
        value = fields.get(key)
        if not value:
            raise SessionError(f"choose {what}")
        return str(value)

    def _build(self, kind: str, t: int, extra: dict[str, Any], f: dict[str, Any], after: int | None = None) -> list[Event]:
        out = self._build_action(kind, t, extra, f, after)
        # the evaluator's capture rides on the action it judges (the last event the form wrote)
        capture = {k: str(f[k]) for k in EVALUATION if f.get(k)}
        if kind == "note" and f.get("hotwash") in HOTWASH:
            capture["hotwash"] = str(f["hotwash"])
        if capture:
            last = out[-1]
            out[-1] = Event(last.t, last.type, last.data | capture)
        return out

    def _build_action(self, kind: str, t: int, extra: dict[str, Any], f: dict[str, Any], after: int | None) -> list[Event]:
        if kind == "acknowledge":
            who = self._need(f, "by", "who acknowledged")
            out = []
            if who in self.rb.roles and who not in self.facts.answered:  # whoever acknowledges is on the incident
                out.append(Event(t, "answer", {"role": who, "stands_in_for": None} | extra))
            return out + [Event(t, "acknowledge", {"by": who} | extra)]
        if kind == "page":
            role = self._need(f, "role", "the role paged")
            answers = f.get("answers", "")
            ans_at: int | None = None
            if answers not in (None, "", "never", "no answer"):
                off = parse_stamp(answers, self.clock, t) if isinstance(answers, str) else int(answers)
                self._by_horizon(t + off, "the answer")
                self._not_before(t + off, t, "the page", "the answer")
                ans_at = t + off
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
            # work said to take +Nm started when it was said, or once the account got there (its doer on the incident)
            begins = max(extra.get("stamped", t), after or 0)
            started = begins if t > begins else t
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

    def warned(self, events: list[Event]) -> dict[int, list[str]]:
        """What the facilitator should push back on (a role that cannot be reached, a message that did not arrive), per
        answer (seq -> lines): the rows the board marks ⚠. A message is judged against the card as it stands (it is
        asked just after the message is written)."""
        return warnings(events, self.sc, self.rb, self.world, self.clock, self.names, lambda e: self.card)

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
            if nxt is not None and nxt.seq not in gone and self._is_call_back(nxt):
                return [nxt.seq]
        if e.type == "acknowledge":
            prev = self.event(seq - 1)
            if prev is not None and prev.type == "answer" and prev.get("role") == e.get("by") and prev.t == e.t \
                    and prev.seq not in gone and self._same_write(prev, e):
                return [prev.seq]
        return []

    def ahead(self) -> Event | None:
        """The latest entry placed ahead of the clock ("+20m: we acknowledge"), while the clock has not reached it:
        where the candidate's account has got to. A narrative runs forward ("then we call Dana"), so the next form
        starts there, not back at the clock. A page's predicted call-back is not part of the account."""
        latest = self._memo("latest-entry", self._latest_entry)
        return latest if latest is not None and latest.t > self.now else None

    def first_answer(self, role: str) -> Event | None:
        """The answer that puts `role` on the incident: its first, recorded or a page's predicted call-back."""
        return self._memo("first-answers", self._first_answers).get(role)

    def _first_answers(self) -> dict[str, Event]:
        gone, first = self.retracted, dict[str, Event]()
        for e in sorted((e for e in self.events if e.type == "answer" and e.seq not in gone), key=lambda e: (e.t, e.seq)):
            first.setdefault(str(e.get("role")), e)
        return first

    def _latest_entry(self) -> Event | None:
        gone = self.retracted
        said = [e for e in self.events if e.type in CORRECTABLE and e.seq not in gone and not self._is_call_back(e)]
        return max(said, key=lambda e: (e.t, e.seq), default=None)

    def _is_call_back(self, e: Event) -> bool:
        """An answer written by its page's form, at the time the page predicted."""
        page = self.event(e.seq - 1) if e.type == "answer" else None
        return page is not None and page.type == "page" and page.get("answers_at") == e.t and page.get("role") == e.get("role")

    def _same_write(self, a: Event, b: Event) -> bool:
        return a.get("stamped") == b.get("stamped")

    def amend(self, seq: int, kind: str, when: str | int = 0, at: int | None = None, **fields: Any) -> list[Event]:
        """A correction: withdraw event `seq` and record its replacement, in one durable write."""
        target = self.event(seq)
        if target is None or target.type not in CORRECTABLE or seq in self.retracted:
            raise SessionError(f"event {seq} cannot be edited")
        if self.ended:
            raise SessionError("the exercise has ended; nothing more can be recorded")
        t, extra = self._at(when, at)
        new = self._build(kind, t, extra, fields)
        withdraw = [Event(self.now, "retract", {"target": x, "why": "edited"}) for x in [seq] + self._companions(seq)]
        return self._write(withdraw + new)

    def event(self, seq: int) -> Event | None:
        return self.events[seq - 1] if 0 < seq <= len(self.events) and self.events[seq - 1].seq == seq else \
            next((e for e in self.events if e.seq == seq), None)

    @property
    def retracted(self) -> frozenset[int]:
        """The seq of every withdrawn event (kept until the next write: a form asks several times as it opens)."""
        return self._memo("retracted", lambda: frozenset(int(e.get("target")) for e in self.events if e.type == "retract"))

    # -- judging -----------------------------------------------------------------------------
    @property
    def facts(self) -> Facts:
        """The transcript as the scorer reads it (live events in simulated-time order, indexed), kept up to date
        as events are written."""
        if self._facts is None:
            self._facts = gather(self.sc, self.rb, self.events)  # the scorer orders by simulated time
        return self._facts

    @property
    def card(self) -> Scorecard:
        """The live scorecard: as if the exercise ended now (`Facts.at`: what falls due later is open, as at the
        facilitator's stop), re-scored after every write and as the clock moves; once ended, the final card. The
        board asks several times a second while the clock runs (about 1 ms at 2,000 events): until the judgement
        `turns` (something falls due) and while the clock reads the same minute, the card judged last is restamped."""
        if self.ended:
            if self._card is None or self._card_at is not None:
                self._card, self._card_at = judged(self.facts, None, "live"), None
            return self._card
        now, was = self.now, self._card_at
        if self._card is None or was is None or not was <= now < self._card_until or self.clock.label(now) != self.clock.label(was):
            facts = self.facts.at(now)
            self._card = judged(facts, None, "live")
            self._card_until = turns(self._card, facts)
        elif now != was:
            self._card = restamped(self._card, self.facts.at(now))
        self._card_at = now
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

    def _memo(self, key: str, make: Callable[[], Any]) -> Any:
        """Computed from the events once per write: the board asks several times a second."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    def injects_at(self) -> dict[str, int]:
        """Inject id -> when it was delivered (read-only: shared until the next write)."""
        return self._memo("injects", lambda: {i: e.t for i, e in self.facts.injects.items()})

    def last_inject(self) -> Event | None:
        """The latest inject delivered, if any."""
        return self._memo("last-inject", lambda: next((e for e in reversed(self.events) if e.type == "inject"), None))

    def obligations(self) -> list[Open]:
        return obligations_at(self.card, self.now, self.injects_at(), self.names, self.ended)

    def timeline(self) -> list[TimelineItem]:
        return self._memo("timeline", lambda: timeline(self.sc, self.clock, self.cues, self.events, self.now, self.names))

    def promises(self) -> list[Promise]:
        first = min(self.injects_at().values(), default=None)
        return promises(self.sc, self.rb, self.stated, self.card, self.now, first, self.facts, self.ended)

    def current_inject(self) -> m.Inject | None:
        last = self.last_inject()
        if last is None:
            return None
        return next((i for i in self.sc.injects if i.id == last.get("id")), None)

    def choices(self) -> dict[str, list[tuple[str, str]]]:
        return choices(self.sc, self.rb)
