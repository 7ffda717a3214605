"""A recorded exercise (auto or live), read-only, viewed as it stood after any event (`ttx replay`)."""

from __future__ import annotations

from functools import cached_property

from scoring.departures import Departure, departures
from scoring.facts import Facts, gather
from scoring.played import Played
from scoring.promised import Promise, promises
from scoring.scorecard import Scorecard, judged

from . import model as m
from .board import Open, TimelineItem, obligations_at, script, timeline, warnings
from .engine import World
from .events import event_now
from .exercise import as_stated, pair_from_transcript
from .transcript import Transcript
from .wording import Names


class Replay:
    """A recorded exercise (auto or live), read-only, viewed as it stood after any event."""

    def __init__(self, tr: Transcript):
        self.tr = tr
        self.pair = pair_from_transcript(tr)
        self.sc, self.rb = self.pair.scenario, self.pair.runbook
        self.clock = self.sc.clock()  # the engine's: business days (`at: 1bd`) skip the scenario's public holidays
        self.cues = script(self.sc, self.clock)
        self.names = Names(self.sc, self.rb)
        self.events = tr.events
        self.mode = tr.mode
        self._cards: dict[int, Scorecard] = {}
        self._facts: tuple[int, Facts] | None = None
        self._stated: Scorecard | None = None
        self._end_at = next((i + 1 for i, e in enumerate(self.events) if e.type == "end"), None)  # the end is reached there
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
            facts = self.facts(pos)
            # before its end, as the live board had it: as if it ended then (what falls due later is open)
            self._cards[pos] = judged(facts if self.ended(pos) else facts.at(self.now(pos)), None, self.mode)
        return self._cards[pos]

    def facts(self, pos: int) -> Facts:
        """The first `pos` events as the scorer reads them (the last position asked for is kept: a step asks twice)."""
        if self._facts is None or self._facts[0] != pos:
            self._facts = (pos, gather(self.sc, self.rb, self.events[:pos]))
        return self._facts[1]

    @cached_property
    def departures(self) -> dict[int, list[Departure]]:
        """Where the recorded answers depart from the runbook (seq -> flags), judged over the whole transcript in
        simulated-time order, as the report and the live board judge them. As stated there are none: the engine
        plays the runbook itself (the report lists none either)."""
        out: dict[int, list[Departure]] = {}
        for d in departures(self.sc, self.rb, self.events) if self.mode == "live" else ():
            out.setdefault(d.seq, []).append(d)
        return out

    @cached_property
    def warned(self) -> dict[int, list[str]]:
        """The recorded answers the live board marked ⚠ (seq -> what to check at once: a role out of reach, a message
        not delivered or on a channel the obligation does not take), by its rule (`board.warnings`). As stated there
        are none to check: nobody said them."""
        if self.mode != "live":
            return {}
        after = {e.seq: i + 1 for i, e in enumerate(self.events)}  # a message is judged as the card stood once it was written
        return warnings(self.events, self.sc, self.rb, World(self.sc, self.rb, self.clock), self.clock, self.names,
                        lambda e: self.card(after[e.seq]))

    @cached_property
    def _flags_before(self) -> list[int]:
        """How many flags the first `pos` events carry, for every pos (counted once, not at every step)."""
        counts = [0]
        for e in self.events:
            counts.append(counts[-1] + len(self.departures.get(e.seq, ())))
        return counts

    def departures_at(self, pos: int) -> int:
        """How many of those flags the first `pos` events carry."""
        return self._flags_before[max(0, min(pos, len(self.events)))]

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
        return timeline(self.sc, self.clock, self.cues, self.events[:pos], self.now(pos), self.names)

    def ended(self, pos: int) -> bool:
        """Whether the exercise has ended at `pos`: its end event reached (an as-stated play ends with its events)."""
        return pos >= len(self.events) and self.mode == "auto" or self._end_at is not None and pos >= self._end_at

    def injects_at(self, pos: int) -> dict[str, int]:
        """Inject id -> when it was delivered, among the first `pos` events: the scorer's facts say it, as the live
        session's do (the first delivery of each, within the horizon)."""
        return {i: e.t for i, e in self.facts(pos).injects.items()}

    def obligations(self, pos: int) -> list[Open]:
        return obligations_at(self.card(pos), self.now(pos), self.injects_at(pos), self.names, self.ended(pos))

    def promises(self, pos: int) -> list[Promise]:
        injects = self.injects_at(pos).values()
        ended = self.ended(pos)
        return promises(self.sc, self.rb, self.stated, self.card(pos), self.now(pos), min(injects, default=None),
                        None if ended else self.facts(pos), ended)

    def current_inject(self, pos: int) -> m.Inject | None:
        last = next((e for e in reversed(self.events[:pos]) if e.type == "inject"), None)
        if last is None:
            return None
        return next((i for i in self.sc.injects if i.id == last.get("id")), None)
