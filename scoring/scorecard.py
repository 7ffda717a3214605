"""The scorecard: every obligation judged, category scores, HSEEP ratings, metrics, findings."""

from __future__ import annotations

from typing import Any

import attrs
import cattrs

from simulator import model as m
from simulator.events import Event, event_now
from simulator.record import record
from simulator.timing import format_span
from simulator.wording import nothing_due_words

from . import rubric as rubric_mod
from .facts import Facts, gather
from .findings import Finding, find
from .judge import Judge, Result, planned_at


@record
class Category:
    name: str
    score: float
    rating: str
    weight: float
    obligations: int


@record
class Metrics:
    time_to_acknowledge: int | None
    time_to_engage: dict[str, int | None]
    time_to_resolve: int | None
    longest_update_gap: dict[str, int]
    notifications_on_time: int
    notifications_due: int


@record
class Scorecard:
    scenario: m.ScenarioInfo
    runbook: m.RunbookInfo
    mode: str
    horizon: int
    results: tuple[Result, ...]
    categories: tuple[Category, ...]
    overall: float
    rating: str
    metrics: Metrics
    findings: tuple[Finding, ...]
    # where a live exercise was stopped before its horizon (what falls due later is open); `running`: that is the
    # simulated now of an exercise still going (the board's "if it ended now"). Left out of JSON when unset.
    stopped: int | None = None
    running: bool = False

    @property
    def scored(self) -> bool:
        """Whether anything is scored: a stop before anything fell due leaves only open obligations."""
        return bool(self.categories)

    def nothing_due(self) -> str:
        """Why there is no score, said plainly where "0.00 U" would mislead: a stop (or, running, now) before anything
        fell due ("nothing due yet at Sat 02:07"); "" when there is a score or the exercise ran to its horizon."""
        if self.scored or self.stopped is None:
            return ""
        return nothing_due_words(self.scenario.clock().label(self.stopped), self.running)

    def stop_note(self) -> tuple[str, str] | None:
        """Where the exercise was stopped and what that leaves open, for the reports' overview; None at the horizon."""
        if self.stopped is None:
            return None
        clock = self.scenario.clock()
        # counted as the verdict and the "open" box count them (whole obligations), the update series that go on
        # past the stop said apart: "5 obligations … open" beside "4 open" read as a mistake
        n = sum(1 for r in self.results if r.status == "open")
        series = sum(1 for r in self.results if r.status != "open" and any(w.status == "open" for w in r.windows))
        parts = [f"{n} obligation{'s' if n != 1 else ''} due after it {'is' if n == 1 else 'are'} open"] if n else []
        if series:
            parts.append(f"{series} update series {'goes' if series == 1 else 'go'} on past it")
        left = (" and ".join(parts) + ", not scored") if parts else "nothing was due after it"
        # a live account can run ahead of the clock ("restored at 05:00", said at 04:15): what it says counts, and the
        # report says so beside a stop that reads as if nothing after it could
        ahead = sum(1 for r in self.results if r.done_at is not None and r.done_at > self.stopped)
        if ahead and self.mode == "live":
            left += (f"; {ahead} obligation{'s' if ahead != 1 else ''} done after it, at the time the candidate said "
                     f"(their account ran ahead of the clock), count{'s' if ahead == 1 else ''}")
        at = f"{clock.label(self.stopped)} (+{format_span(self.stopped)})"
        if self.running:
            return "Scored as if it ended", f"{at}, the exercise still running: {left}"
        # as stated, only the engine's work limit ends a play early (its `end` event says so)
        who = "by the facilitator" if self.mode == "live" else "by the engine's work limit"
        return "Stopped", f"{at} {who}, before the horizon ({clock.label(self.horizon)}): {left}"

    def category(self, name: str) -> Category | None:
        return next((c for c in self.categories if c.name == name), None)

    def result(self, id_: str) -> Result:
        return next(r for r in self.results if r.id == id_)


def _metrics(f: Facts, results: list[Result]) -> Metrics:
    start = f.first_inject
    functions = list(dict.fromkeys(["first_responder"] + [o.target for _, o in f.scenario.obligations if o.kind == "engage" and o.target]
                                   + [fn for fn in m.FUNCTIONS if fn in f.engaged]))
    engage = {fn: (f.engaged[fn].t - start if fn in f.engaged else None) for fn in functions}
    gaps: dict[str, int] = {}
    # every update series that began, even one restored before its first was due; a stakeholder's later series
    # lie within its first, so the first's longest gap is the longest of all
    for who, start in f.updates_began().items():
        end = max(start, min(f.end, f.ended))  # to resolution, else the end: the facilitator's stop or the horizon
        # no update is due once service is restored: a message after that neither ends nor lengthens a gap
        times = sorted(x.t for x in f.delivered_to(who) if start <= x.t <= end)
        marks = [start] + times + [end]
        gaps[who] = max(b - a for a, b in zip(marks, marks[1:]))
    notifies = [r for r in results if r.kind == "notify" and r.scored]
    return Metrics(
        time_to_acknowledge=f.declared.t - start if f.declared else None,
        time_to_engage=engage,
        time_to_resolve=f.resolved.t - start if f.resolved else None,
        longest_update_gap=gaps,
        notifications_on_time=sum(1 for r in notifies if r.status == "met"),
        notifications_due=len(notifies),
    )


@record
class Verdict:
    """A scorecard's numbers without its metrics and findings: every obligation judged and the overall
    score. `ttx stress` folds thousands of plays and reads only these."""

    results: tuple[Result, ...]
    categories: tuple[Category, ...]
    overall: float
    rating: str


def _verdict(facts: Facts, mode: str, rb_rules: m.Rubric) -> Verdict:
    judge = Judge(facts, mode)
    results: list[Result] = []
    for inj, ob in facts.scenario.obligations:
        if inj.id not in facts.injects:
            continue  # an inject that never fired obliges nobody
        r = judge.judge(inj, ob)
        if r is not None:
            results.append(r)
    categories = []
    raw: dict[str, float] = {}
    for name in m.CATEGORIES:
        rs = [r for r in results if r.category == name and r.scored]  # open and client-owned: shown, not scored
        if not rs:
            continue  # left out; the other weights are rescaled
        total = sum(r.weight for r in rs)
        raw[name] = 100 * sum(r.credit * r.weight for r in rs) / total
        categories.append(Category(name, round(raw[name], 2), rubric_mod.rating(raw[name], rb_rules),
                                   rb_rules.weights.get(name, 0.0), len(rs)))
    overall = rubric_mod.overall(raw, rb_rules)
    return Verdict(tuple(results), tuple(categories), round(overall, 2), rubric_mod.rating(overall, rb_rules))


def verdict(scenario: m.Scenario, runbook: m.Runbook, events: list[Event], rubric: m.Rubric | None = None,
            mode: str = "auto") -> Verdict:
    """What `score` judges, without the metrics and findings built on it."""
    return _verdict(gather(scenario, runbook, events), mode, rubric or rubric_mod.DEFAULT)


def score(scenario: m.Scenario, runbook: m.Runbook, events: list[Event], rubric: m.Rubric | None = None,
          mode: str = "auto") -> Scorecard:
    """Judge a transcript's events against the scenario's obligations. A live exercise not ended (quit to be resumed,
    or cut off) is judged as it stood at its last recorded moment, as its board showed it: as if it ended there."""
    facts = gather(scenario, runbook, events)
    if mode == "live" and not any(e.type == "end" for e in events):
        facts = facts.at(max((event_now(e) for e in events), default=0))
    return judged(facts, rubric, mode)


def judged(facts: Facts, rubric: m.Rubric | None = None, mode: str = "auto") -> Scorecard:
    """The scorecard of facts already gathered (a live session keeps its facts up to date as it records; `Facts.at`
    judges them as if the exercise ended now)."""
    scenario, runbook = facts.scenario, facts.runbook
    v = _verdict(facts, mode, rubric or rubric_mod.DEFAULT)
    return Scorecard(
        scenario=m.ScenarioInfo(scenario.id, scenario.title, scenario.severity, scenario.starts.isoformat(), scenario.timezone),
        runbook=m.RunbookInfo(runbook.id, runbook.provider, runbook.model),
        mode=mode,
        horizon=facts.horizon,
        results=v.results,
        categories=v.categories,
        overall=v.overall,
        rating=v.rating,
        metrics=_metrics(facts, list(v.results)),
        findings=tuple(find(facts, list(v.results))),
        stopped=facts.stopped,
        running=facts.running,
    )


def turns(card: Scorecard, facts: Facts) -> int:
    """A running exercise's card (`judged(facts)`, `facts` at its now, `Facts.at`): the first later moment at which it
    may be judged otherwise, the clock's minute aside (reasons say "at Sat 02:07"). An open obligation or update window
    falls due (then missed), a message the plan times from the declaration comes due (a missed one's reason says
    "after the end" until then), the horizon comes. Before then `restamped` gives the same card."""
    now = facts.stopped
    if now is None or not facts.running:
        return facts.ended  # not running: nothing to keep
    times = [r.due for r in card.results if r.due is not None] + [w.due for r in card.results for w in r.windows]
    times += [t for t in (planned_at(facts, rule) for rule in facts.runbook.communication) if t is not None]
    return min((t for t in times if t > now), default=facts.horizon)


def restamped(card: Scorecard, facts: Facts) -> Scorecard:
    """`card`, judged from these facts at an earlier now of the running exercise, moved to `facts`' now (before it
    `turns`, in the same minute): only the stop and the longest gaps between updates run on with the clock."""
    return attrs.evolve(card, metrics=_metrics(facts, list(card.results)), stopped=facts.stopped, running=facts.running)


def to_dict(card: Scorecard) -> dict[str, Any]:
    """Plain data for JSON (credits to 4 places so that the output is stable to read)."""
    data = cattrs.unstructure(card)
    if card.stopped is None:  # as stated, and live to the horizon: the same keys as before stops were recorded
        del data["stopped"]
    if not card.running:
        del data["running"]
    for r in data["results"]:
        r["credit"] = round(r["credit"], 4)
        if not r["more_open_windows"]:  # only after a stop: as stated, the same keys as before it was counted
            del r["more_open_windows"]
        for w in r["windows"]:
            w["credit"] = round(w["credit"], 4)
    return data
