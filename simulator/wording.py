"""One wording for what happened: a line per event, and a runbook's triggers in plain words.

The facilitator's board (transcript view, evidence) and the after-action report's timeline read the
same events, so they say them the same way, from here. Lines are read aloud in the room: plain words,
roles by the name the runbook gives them (with the key the facilitator picks in the forms), never
`key=value` fields or trigger syntax such as `engaged:security_lead`. Untrusted text is left as it
came; each view makes it inert for its own format. Pure: no files, no terminal.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from . import model as m
from .events import Event
from .timing import Clock

# The report timeline's "kind" column, per event type.
KIND = {"inject_held": "inject", "curveball_end": "curveball", "acknowledge": "declared", "act": "task",
        "decide": "decision", "resolve": "resolved", "retract": "correction"}


def function_words(fn: str) -> str:
    """A function (`security_lead`) as words ("security lead")."""
    return fn.replace("_", " ")


def when_words(when: str) -> str:
    """A communication rule's `when:` (declared, resolved, engaged:FN, done:TASK, inject:ID) as words."""
    kind, _, arg = when.partition(":")
    if kind == "declared":
        return "the declaration"
    if kind == "resolved":
        return "service being restored"
    if kind == "engaged":
        return f"the {function_words(arg)} being engaged"
    if kind == "done":
        return f"{arg} being done"
    if kind == "inject":
        return f"inject {arg}"
    return when


def action_words(kind: str, target: str | None, who: Names | None = None) -> str:
    """An action a constraint names (`before: decide:pay`) as words ("the decision pay", "notifying CEO (ceo)")."""
    t = target or ""
    told = (who or Names())(t) if kind in ("notify", "update") else t
    words = {"acknowledge": "acknowledging the incident", "engage": f"engaging the {function_words(t)}",
             "notify": f"notifying {told}", "update": f"updating {told}", "act": f"task {t}", "decide": f"the decision {t}",
             "resolve": "restoring service"}
    return words.get(kind, f"{kind} {t}".strip())


# A facilitator's stop stands for the horizon (SPEC section 7): what the `E` key's question and the docs promise.
def end_rule(by: str = "then") -> str:
    """What ending an exercise does to its obligations, in the words the room hears."""
    return f"what was due by {by} and not done counts as missed; what falls due later stays open, not scored"


def sentence(words: str) -> str:
    """Words as the start of a sentence (only the first letter raised: names keep their case)."""
    return words[:1].upper() + words[1:]


def nothing_due_words(stop: str, running: bool = False) -> str:
    """Why a card has no score: stopped (or, `running`, judged as if it ended now) before anything fell due."""
    return f"nothing due yet at {stop}" if running else f"nothing due by the stop ({stop})"


def open_words(stop: str, due: str, running: bool = False, what: str = "this") -> str:
    """Why an obligation is open at a stop, read aloud: "open: the exercise stopped at Fri 21:19, before this was due
    (Sat 17:25)"; `running`, the board's "if it ended now" ("open: not due yet at Fri 21:19 (due Sat 17:25)").
    `what`: an update series' "the first" or "the next" update."""
    if running:
        return f"open: not due yet at {stop} ({'' if what == 'this' else what + ' '}due {due})"
    return f"open: the exercise stopped at {stop}, before {what} was due ({due})"


class Names:
    """Who a key is: a runbook role or a scenario stakeholder by its name, a function in words; the key alone
    when the files are not at hand."""

    def __init__(self, scenario: m.Scenario | None = None, runbook: m.Runbook | None = None):
        self.scenario, self.runbook = scenario, runbook
        self._said: dict[tuple[str, bool], str] = {}  # a report names the same few keys on every one of its rows

    @cached_property
    def curveballs(self) -> dict[str, m.Curveball]:
        # on first use only: the scorer makes a Names per re-score (every key press, every stress play)
        return {cb.id: cb for cb in self.scenario.curveballs} if self.scenario is not None else {}

    def __call__(self, key: Any, keys: bool = True) -> str:
        """`NOC (noc)`, `Dana (IT manager; client_it_lead)`: a name that ends in its own bracket takes the key
        inside it, so the whole reads as one name mid-sentence ("paged Dale (consultant; dale) at 02:07", not
        "Dale (consultant), dale at 02:07"). Without `keys`, the name alone (where room is short)."""
        if not key:
            return "responders"
        key = str(key)
        said = self._said.get((key, keys))
        if said is None:
            said = self._said[(key, keys)] = self._name(key, keys)
        return said

    def _name(self, key: str, keys: bool) -> str:
        role = self.runbook.roles.get(key) if self.runbook is not None else None
        sh = self.scenario.stakeholders.get(key) if self.scenario is not None else None
        name = role.name if role is not None else (sh.name if sh is not None else None)
        if name and name != key:
            if not keys:
                return name
            return f"{name[:-1]}; {key})" if name.endswith(")") else f"{name} ({key})"
        if key in m.FUNCTIONS and role is None:
            return f"the {function_words(key)}"
        return key

    def listed(self, keys: Any) -> str:
        """Several, read aloud: "NOC (noc), SOC (soc) and vCTO (vcto)"."""
        names = [self(k) for k in keys]
        return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


# What an obligation asks, as the report's tables, the board's Obligations panel and the stress tables
# name it ("Engage security lead", "Notify Dana (IT manager; client_it_lead)").
OBLIGATION_WORDS = {"acknowledge": "Acknowledge the alert", "engage": "Engage", "notify": "Notify", "update": "Keep updating",
                    "act": "Do", "decide": "Decide", "resolve": "Restore service"}


def obligation_words(kind: str, target: str | None, who: Names | None = None, keys: bool = True) -> str:
    """An obligation in words, for people: stakeholders by their names, functions in words. Display only: a
    scorecard's reasons keep `Obligation.label()` ("engage security_lead: ..."), which the report strips.
    Without `keys`, a stakeholder by name alone ("Notify Dana (IT manager)": a narrow board panel)."""
    words = OBLIGATION_WORDS.get(kind, kind)
    if not target:
        return words
    if kind in ("notify", "update"):
        return f"{words} {(who or Names())(target, keys)}"
    return f"{words} {function_words(target) if kind == 'engage' else target}"


def curveball_words(cb: m.Curveball, who: Names | None = None) -> str:
    """A curveball as the MSEL says it: its own message, else what it does ("the first responder unreachable for 20m")."""
    if cb.message:
        return cb.message
    what = f"{(who or Names())(cb.unreachable)} unreachable" if cb.unreachable else f"{cb.channel_down} down"
    return what + (f" for {cb.for_}" if cb.for_ else "")


def reason_words(kind: str, target: str | None, reason: str) -> str:
    """A scorecard reason without its leading "notify ceo: " (where the obligation is already named beside it).

    Every reason the scorer writes starts with that head, `Obligation.label()` and ": ": keys, not names, so
    that it is stable to strip and to match; the words after it name people as `Names` does."""
    head = f"{kind} {target}: " if target else f"{kind}: "
    return reason[len(head):] if reason.startswith(head) else reason


def reason_line(kind: str, target: str | None, reason: str, who: Names | None = None) -> str:
    """A reason read on its own (`ttx run`'s "Why"): the obligation in words, then the reason after its head
    ("Engage security lead: SOC manager (soc_manager) paged Sat 02:42: ...")."""
    return f"{obligation_words(kind, target, who)}: {reason_words(kind, target, reason)}"


# A headline metric, and the promise a runbook makes on it: the report's words, and the short ones of the
# board's narrow promised-vs-delivered column ("{}": the function in words, the stakeholder by name, the task).
METRIC_WORDS = {"acknowledge": ("Time to acknowledge", "Acknowledge"), "engage": ("Time to engage {}", "Engage {}"),
                "update": ("Longest gap between updates to {}", "Updates to {} (longest gap)"),
                "contain": ("Time to contain ({})", "Contain {}"), "restore": ("Time to restore service", "Restore")}


def metric_words(kind: str, subject: str | None, who: Names | None = None, short: bool = False) -> str:
    """A metric in words: "Time to engage security lead", "Longest gap between updates to Dana (IT manager;
    client_it_lead)"; `short`, as the board's promise rows say it: "Engage security lead"."""
    words = METRIC_WORDS.get(kind, (kind, kind))[short]
    what = function_words(str(subject)) if kind == "engage" else (who or Names())(subject) if kind == "update" else subject
    return words.format(what)  # the template's own "{}" only: a name's braces stay text


def event_kind(e: Event) -> str:
    return KIND.get(e.type, e.type)


def curveball_effect(e: Event, clock: Clock, who: Names | None = None) -> str:
    """What a curveball that starts does, alone: "email is down until Sat 09:07", "the incident commander, Fractional
    CTO (fractional_cto), is unreachable until Sun 02:35". The transcript's row says it after "Curveball: ", the
    toast after the MSEL's own message for it."""
    g, who = e.get, who or Names()
    until = f" until {clock.label(g('until'))}" if isinstance(g("until"), int) else ""
    if g("what") == "channel_down":
        return f"{g('target')} is down{until}"
    role = f", {who(g('role'))}," if g("role") and g("role") != g("target") else ""
    return f"{who(g('target'))}{role} is unreachable{until}"


def event_line(e: Event, clock: Clock, who: Names | None = None) -> str:
    """One line a facilitator can read aloud."""
    g, who = e.get, who or Names()
    by = f" by {who(g('by'))}" if g("by") else ""
    if e.type == "inject":
        src = f" ({g('source')})" if g("source") else ""
        return f"Inject {g('id')}{src}: {g('message')}"
    if e.type == "inject_held":
        return f"Inject {g('id')} held: {g('reason')}" if g("reason") else f"Inject {g('id')} held: its condition did not hold"
    if e.type == "curveball":
        return f"Curveball: {curveball_effect(e, clock, who)}"
    if e.type == "curveball_end":
        cb = who.curveballs.get(str(g("id")))
        # as its start reads, by what it did: an id the loader made up ("curveball-1") tells the room nothing
        if cb is not None and cb.channel_down:
            return f"Curveball ends: {cb.channel_down} is back"
        if cb is not None and cb.unreachable:
            return f"Curveball ends: {who(cb.unreachable)} can be reached again"
        return f"Curveball {g('id')} ends"
    if e.type == "page":
        text = f"Paged {who(g('role'))}"
        if g("backs"):
            text += f" as backup for {who(g('backs'))}"
        if g("reason"):
            text += f" ({g('reason')})"
        if g("why"):
            text += f": {g('why')}"
        if isinstance(g("answers_at"), int) and g("answers_at") != e.t:
            text += f"; would answer {clock.label(g('answers_at'))}"
        return text
    if e.type == "answer":
        stand = f", standing in for {who(g('stands_in_for'))}" if g("stands_in_for") else ""
        return f"{who(g('role'))} answered{stand}"
    if e.type == "acknowledge":
        return f"Incident acknowledged and declared{by}"
    if e.type in ("notify", "update"):
        sender = f" from {who(g('by'))}" if g("by") else ""
        state = "delivered" if g("delivered") else f"NOT delivered ({g('why') or 'undelivered'})"
        return f"{e.type.capitalize()} {who(g('stakeholder'))} by {g('via')}{sender}: {state}"
    if e.type == "act":
        started = f" (started {clock.label(g('started'))})" if isinstance(g("started"), int) and g("started") != e.t else ""
        return f"Task {g('task')} done{by}{started}"
    if e.type == "decide":
        return f"Decision {g('decision')} taken{by}"
    if e.type == "resolve":
        return "Service restored"
    if e.type == "note":  # the hotwash's items are notes too: say which list each is on
        said = {"strength": "Hotwash, strength", "improvement": "Hotwash, to improve"}.get(str(g("hotwash")), "Note")
        return f"{said}: {g('text')}"
    if e.type == "end":
        return f"Exercise ends ({g('reason') or 'stopped'})"
    if e.type == "retract":
        return f"Withdrew #{g('target')}" + (f" ({g('why')})" if g("why") else "")
    if e.type == "clock":
        return _clock_line(e, clock)
    # a kind this version does not know (a newer ttx, or an edited file): say so, with what it holds
    rest = "; ".join(f"{k} {v}" for k, v in e.data.items())
    return f"An event this ttx does not know ({e.type})" + (f": {rest}" if rest else "")


def _clock_line(e: Event, clock: Clock) -> str:
    g = e.get
    if g("action") == "step":
        return f"Clock stepped to {clock.label(g('to'))}" if isinstance(g("to"), int) else "Clock stepped to the next inject"
    if g("action") == "run":
        return f"Clock running ×{g('speed')}" if g("speed") != 1 else "Clock running in real time"
    if g("action") == "pause":
        return "Clock paused"
    if g("action") == "resume":
        if g("interrupted"):
            return f"Exercise interrupted (a crash or a closed terminal) and resumed from {clock.label(e.t)}, the last recorded moment"
        return f"Exercise reopened at {clock.label(e.t)}"
    return f"Clock {g('action')}"
