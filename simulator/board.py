"""What the facilitator's board shows, as plain view-models: the scenario's cue script, the MSEL
timeline, obligations as they stand, the choices for the forms, and one line per event."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from scoring.departures import Departure
from scoring.promised import Promise
from scoring.scorecard import Scorecard

from . import model as m
from .engine import World, inject_event
from .events import Event, live_events, reached_at
from .record import record
from .timing import Clock
from .wording import Names, curveball_words, event_line, obligation_words

# --- the script: what the scenario will deliver and when --------------------------------------


@record
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


@record
class BoardView:
    """What the board shows at one moment of an exercise, live or replayed: the screens build it, the
    board widget only draws it."""

    clock: str  # the simulated now, with its zone
    mode: str  # paused | running ×N | ended | replay
    note: str  # beside the mode: what comes next, or where a replay stands
    inject: m.Inject | None  # the inject being played, if any yet
    inject_at: int | None  # when it was delivered
    timeline: list[TimelineItem]
    obligations: list[Open]
    card: Scorecard
    promises: list[Promise]
    departures: int = 0  # answers flagged as departing from the runbook
    now: int | None = None  # the simulated now, in seconds (due times on another day than this say which)


@record
class TimelineItem:
    """A row of the MSEL (master scenario events list) as the facilitator sees it."""

    t: int
    kind: str  # inject | curveball
    id: str
    text: str
    state: str  # delivered | pending | conditional | held (or would be, as things stand) | active | ended
    note: str = ""


@record
class Open:
    """An obligation as it stands at the simulated now."""

    id: str
    label: str
    inject: str
    due: int | None
    done_at: int | None
    status: str  # met | late | open | overdue | missed
    remaining: int | None  # due - now (negative when late); None when done or unmeasurable
    # done | ok | soon | late | unpromised: the runbook promises no time for it (SPEC: scored missed from the
    # start), which is the contract's gap, not the room being slow: said apart from late
    urgency: str
    reason: str
    planned: bool = False  # done at a time still ahead of the clock ("+20m")
    short: str = ""  # the label with stakeholders by name alone, no keys: where the board's panel is narrow
    # shorter still, longest first, where even `short` does not fit on a line (80 columns): an update series as
    # "Update Dana (IT manager)", then "Update Dana" (the name without its bracket); "Notify Insurer" for
    # "Notify Insurer (written notice address)". Each is followed by `count` where there is one
    narrow: tuple[str, ...] = ()
    count: str = ""  # an update series: the window running of how many ("1/11"), kept however short the words


def tasks_done(events: Iterable[Event]) -> dict[str, int]:
    """When each task was done as the exercise stands (withdrawn acts aside): what an inject's `when:` is judged by."""
    return {str(e.get("task")): e.t for e in live_events(list(events)) if e.type == "act"}


def timeline(sc: m.Scenario, clock: Clock, cues: list[Cue], events: Iterable[Event], now: int,
             names: Names | None = None) -> list[TimelineItem]:
    events = list(events)
    delivered = {str(e.get("id")): e for e in events if e.type == "inject"}
    held = {str(e.get("id")): e for e in events if e.type == "inject_held"}
    acts: dict[str, int] | None = None  # when each task was done, as the exercise stands (withdrawn acts aside)
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
            elif inj.when:
                # The rule the clock bar's "no inject left" and `s` go by (Session.next_inject_time): the engine's,
                # as things stand now. An inject it would hold is held already ("isolate-host was done at 02:20"),
                # not "◇ if" beside a bar that says no inject is left.
                acts = tasks_done(events) if acts is None else acts
                would = inject_event(inj, c.t, acts, clock)
                state = "held" if would.type == "inject_held" else "conditional"
                cond = str(would.get("reason")) if state == "held" else cond
            else:
                state = "pending"
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
            out.append(TimelineItem(c.t, "curveball", cb.id, curveball_words(cb, names), state))
    return out


def shorter(kind: str, target: str | None, names: Names) -> tuple[str, ...]:
    """An obligation in shorter words than `obligation_words(..., keys=False)`, longest first, for a narrow panel: an
    update series as "Update Dana (IT manager)" then "Update Dana"; a stakeholder whose name has words in brackets by
    the name before them ("Notify Insurer"), unless another stakeholder of the scenario would then read the same."""
    if kind not in ("notify", "update") or not target:
        return ()
    name = names(target, False)
    bare = name.split(" (", 1)[0]
    sc = names.scenario
    if not bare or bare == name or any(names(k, False).split(" (", 1)[0] == bare for k in (sc.stakeholders if sc else ())
                                       if k != target):
        bare = name
    verb = "Update" if kind == "update" else "Notify"
    forms = ([f"Update {name}"] if kind == "update" else []) + [f"{verb} {bare}"]
    return tuple(dict.fromkeys(f for f in forms if f != obligation_words(kind, target, names, keys=False)))


def obligations_at(card: Scorecard, now: int, injects_at: dict[str, int], names: Names | None = None,
                   ended: bool = False) -> list[Open]:
    """Each obligation of a delivered inject, judged at the simulated now (live countdowns), named in words
    as the report names it (`names`: the files' names for stakeholders). Once the exercise has `ended`, what
    is not done stands as the scorecard judges it (missed), with no countdown to a deadline nobody will meet."""
    out: list[Open] = []
    for r in card.results:
        label, short = obligation_words(r.kind, r.target, names), obligation_words(r.kind, r.target, names, keys=False)
        narrow = shorter(r.kind, r.target, names or Names())
        count = ""
        start = injects_at.get(r.inject, 0)
        due, done, status = r.due, r.done_at, r.status
        if r.windows:  # an update series: the first window still waiting, if any
            waiting = next((w for w in r.windows if w.done_at is None), None)
            if waiting is None:
                last = r.windows[-1]
                out.append(Open(r.id, label, r.inject, last.due, last.done_at, r.status, None, "done", r.reason, short=short,
                                narrow=narrow, count=count))
                continue
            idx = r.windows.index(waiting)
            prev = r.windows[idx - 1].due if idx else start
            due, done = waiting.due, None
            status = "open" if waiting.status == "open" else status  # after a stop: this window is open, not late
            start = prev
            count = f"{idx + 1}/{len(r.windows) + r.more_open_windows}"  # to the series' end, the projected ones too
            label, short = f"{label} ({count})", f"{short} ({count})"
        if done is not None:
            out.append(Open(r.id, label, r.inject, due, done, r.status, None, "done", r.reason, planned=done > now, short=short,
                            narrow=narrow, count=count))
            continue
        if due is None:  # unmeasurable (the runbook promises nothing for it)
            out.append(Open(r.id, label, r.inject, None, None, "missed", None, "unpromised", r.reason, short=short, narrow=narrow,
                            count=count))
            continue
        if ended:
            out.append(Open(r.id, label, r.inject, due, None, status, None, "late" if status != "open" else "ok", r.reason,
                            short=short, narrow=narrow, count=count))
            continue
        remaining = due - now
        window = max(due - start, 1)
        if remaining < 0:
            status, urgency = "overdue", "late"
        elif remaining <= max(window // 4, 300) and remaining <= window:
            status, urgency = "open", "soon"
        else:
            status, urgency = "open", "ok"
        out.append(Open(r.id, label, r.inject, due, None, status, remaining, urgency, r.reason, short=short, narrow=narrow, count=count))
    return out


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


# --- what to check with the candidate about an answer -------------------------------------------

_NAMES_A_ROLE = ("acknowledge", "page", "act", "notify", "update", "decide")


def warnings(events: Iterable[Event], sc: m.Scenario, rb: m.Runbook, world: World, clock: Clock, names: Names,
             card_after: Callable[[Event], Scorecard]) -> dict[int, list[str]]:
    """What the facilitator should push back on at once (⚠), per recorded answer (seq -> lines): a role it names that
    cannot be reached then, a message that did not arrive, or one that arrived on a channel the obligation waiting for
    it does not take. `card_after`: the scorecard as it stood once that message was written. The live board and the
    replay both ask this."""
    out: dict[int, list[str]] = {}
    for e in events:
        said: list[str] = []
        for key in ("by", "role"):
            who = e.get(key)
            if isinstance(who, str) and who in rb.roles and e.type in _NAMES_A_ROLE:
                # a page with no answer said yet has nothing to check at once (⚑ asks who answers instead)
                iv = None if e.type == "page" and e.get("answers_at") is None else world.unreachable_at(who, reached_at(e))
                if iv is not None:
                    said.append(f"{names(who)} is unreachable until {iv.until(clock)} ({iv.source})")
        if e.type in ("notify", "update") and not e.get("delivered"):
            said.append(f"not delivered: {e.get('why') or 'undelivered'}")
        elif e.type in ("notify", "update") and _elsewhere(sc, e):
            said += uncounted(e, sc, card_after(e), clock, names)
        if said:
            out[e.seq] = list(dict.fromkeys(said))
    return out


def _elsewhere(sc: m.Scenario, e: Event) -> bool:
    """Whether an obligation to the message's stakeholder takes only other channels (then the card is asked)."""
    return any(o.kind in ("notify", "update") and o.target == e.get("stakeholder") and o.via and e.get("via") not in o.via
               for _, o in sc.obligations)


def uncounted(e: Event, sc: m.Scenario, card: Scorecard, clock: Clock, names: Names) -> list[str]:
    """A message that arrived but answers nothing the scenario waits for from it, because the obligation takes
    other channels: the runbook's portal ticket where the registrar must be phoned on a Sunday. Said at once,
    so the facilitator can ask "would you phone them?", not found in the report afterwards."""
    who, via = e.get("stakeholder"), e.get("via")
    mine = [r for r in card.results if r.kind in ("notify", "update") and r.target == who]
    if any(e.seq in r.evidence for r in mine):
        return []
    expects = {o.id: o for _, o in sc.obligations}
    out = []
    for r in mine:
        ob = expects.get(r.id)
        waiting = r.kind == "update" or r.done_at is None
        if ob is not None and ob.via and via not in ob.via and waiting:
            due = f" (due {clock.label(r.due)})" if r.kind == "notify" and r.due is not None else ""
            out.append(f"does not answer {obligation_words(r.kind, r.target, names, keys=False)}{due}: "
                       f"the scenario asks for {' or '.join(ob.via)}, not {via}")
    return out[:1]  # the most urgent is enough to ask about


def checks(warned: Sequence[str], departed: Sequence[Departure]) -> list[str]:
    """An answer's checks as the board says them (its toast, Enter on its row): ⚠ first, then ⚑."""
    return [f"⚠ {w}" for w in warned] + [f"⚑ {d.text}" for d in departed]


def describe(e: Event, clock: Clock, names: Names | None = None) -> str:
    """One plain line for an event (the transcript view), worded as the report's timeline words it
    (`wording.event_line`); untrusted text is left for the view to render literally. Without `names`,
    roles and stakeholders show by their keys, as the forms' pickers name them."""
    return event_line(e, clock, names)
