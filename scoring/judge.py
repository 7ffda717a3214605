"""Judging each obligation against the facts (SPEC section 7): met, late or missed, and why."""

from __future__ import annotations

from typing import Any

from simulator import model as m
from simulator.record import record
from simulator.timing import Duration, format_span
from simulator.wording import Names, action_words, open_words

from .facts import Facts, Message


@record
class Window:
    """One window of an update series."""

    due: int
    done_at: int | None
    status: str
    lateness: int
    credit: float
    evidence: tuple[int, ...] = ()


@record
class Result:
    id: str
    category: str
    kind: str
    target: str | None
    inject: str
    weight: float
    due: int | None
    done_at: int | None
    status: str  # met | late | missed | open (due after the end, the horizon or the facilitator's stop, not done by it)
    lateness: int
    credit: float
    evidence: tuple[int, ...]
    reason: str
    # an update series: its windows judged, then (after a stop) the next one, open; `more_open_windows` counts the windows its
    # cadence would still bring before it ends (resolution, else the horizon): a projection, so counted, not listed
    windows: tuple[Window, ...] = ()
    more_open_windows: int = 0
    penalties: tuple[str, ...] = ()  # half-credit causes: wrong or unnamed decider, order
    unmeasurable: bool = False
    owner: str | None = None  # "client": the client's own duty, shown but not scored

    @property
    def scored(self) -> bool:
        """Whether it counts in the scores: not `open`, and not the client's own duty."""
        return self.status != "open" and self.owner is None

    def status_summary(self) -> str:
        """`late` or, for an update series, each status with its count: `late, missed ×3`; a client's
        own duty says so (`missed (client)`); windows left open by a stop are said once (`met ×2, then open`)."""
        client = " (client)" if self.owner else ""
        if not self.windows or self.status == "open":
            return self.status + client
        said = ", ".join(f"{k} ×{v}" if v > 1 else k for k, v in self.window_counts().items())
        return said + (", then open" if any(w.status == "open" for w in self.windows) else "") + client

    def window_counts(self) -> dict[str, int]:
        """An update series' judged windows by status, in order of first appearance (the TUI and the report word
        them); the windows after a stop, left open, are not counted: how many there would have been is a guess."""
        counts: dict[str, int] = {}
        for w in self.windows:
            if w.status != "open":
                counts[w.status] = counts.get(w.status, 0) + 1
        return counts


class Judge:
    def __init__(self, facts: Facts, mode: str = "auto"):
        self.live = mode == "live"  # reasons speak of what was said in the room, not of the plan
        self.f = facts
        self.sc = facts.scenario
        self.rb = facts.runbook
        self.tier = self.rb.sla.get(self.sc.severity)
        self._notified: dict[str, Message | None] | None = None  # notify obligation id -> the message it took
        self.who = Names(self.sc, self.rb)  # people in reasons as the board and the report name them

    # -- windows ---------------------------------------------------------------------------
    def resolve_window(self, w: m.Window | None) -> tuple[Duration | None, str]:
        """A window as a duration, and words for it ("P1 acknowledge SLA 15m")."""
        if w is None:
            return None, ""
        if isinstance(w, m.SlaRef):
            d = getattr(self.tier, w.metric, None) if self.tier else None
            return d, (f"{self.sc.severity} {w.metric} SLA {d}" if d else "")
        return w, str(w)

    def unmeasurable(self, w: m.SlaRef) -> str:
        if self.tier is None:
            return f"the runbook promises no SLA for {self.sc.severity}"
        return f"the runbook promises no {w.metric} time for {self.sc.severity}"

    # -- the obligations --------------------------------------------------------------------
    def judge(self, inj: m.Inject, ob: m.Obligation) -> Result | None:
        start = self.f.injects[inj.id].t
        if ob.kind == "update":
            return self.judge_update(inj, ob, start)
        window, words = self.resolve_window(ob.within)
        base: dict[str, Any] = dict(id=ob.id, category=ob.category, kind=ob.kind, target=ob.target, inject=inj.id, weight=ob.weight,
                    owner=ob.owner)
        if ob.within is not None and window is None:
            assert isinstance(ob.within, m.SlaRef)
            why = self.unmeasurable(ob.within)
            return Result(**base, due=None, done_at=None, status="missed", lateness=0, credit=0.0, evidence=(),
                          reason=f"{ob.label()}: cannot be measured: {why}", unmeasurable=True)
        due = self.f.clock.after(start, window) if window is not None else self.f.horizon
        done, evidence, how = self.done_by(ob, start)
        penalties: list[tuple[str, str]] = []
        if done is None and due > self.f.ended:  # the stop stands for the horizon
            status, lateness, credit = "open", 0, 0.0
        elif done is None:
            status, lateness, credit = "missed", 0, 0.0
        elif done <= due:
            status, lateness, credit = "met", 0, 1.0
        else:
            lateness = done - due
            span = due - start
            status, credit = "late", (max(0.0, 1 - lateness / span) if span > 0 else 0.0)
        if done is not None:
            penalties = self.penalties(ob, done)
            credit /= 2 ** len(penalties)  # each cause halves it: a wrong decider and a broken order leave a quarter
        reason = self.reason(ob, status, due, done, lateness, how, words)
        if penalties:
            reason += ("; half credit: " if len(penalties) == 1 else "; quarter credit: ") + "; ".join(said for _, said in penalties)
        if ob.owner == "client":
            reason += "; the client's own duty: shown, not scored"
        return Result(**base, due=due, done_at=done, status=status, lateness=lateness, credit=credit,
                      evidence=evidence, reason=reason, penalties=tuple(alone for alone, _ in penalties))

    def done_by(self, ob: m.Obligation, start: int) -> tuple[int | None, tuple[int, ...], str]:
        """When the obligation was done (first qualifying event), its evidence and a phrase."""
        f = self.f
        if ob.kind == "acknowledge" and f.declared:
            by = f.declared.get("by")
            return f.declared.t, (f.declared.seq,), f"acknowledged {f.label(f.declared.t)}" + (f" by {self.who(by)}" if by else "")
        if ob.kind == "engage" and ob.target in f.engaged:
            e = f.engaged[ob.target]
            return e.t, (e.seq,), f"{self.who(e.get('role'))} answered {f.label(e.t)}"
        if ob.kind == "notify":
            x = self.notified().get(ob.id)
            if x is not None:
                return x.t, (x.seq,), f"told {f.label(x.t)} by {x.via}" + (f" from {self.who(x.by)}" if x.by else "")
        if ob.kind == "act" and ob.target in f.acts:
            e = f.acts[ob.target]
            return e.t, (e.seq,), f"done {f.label(e.t)}" + (f" by {self.who(e.get('by'))}" if e.get("by") else "")
        if ob.kind == "decide" and ob.target in f.decisions:
            e = f.decisions[ob.target]
            return e.t, (e.seq,), f"decided {f.label(e.t)}" + (f" by {self.who(e.get('by'))}" if e.get("by") else "")
        if ob.kind == "resolve" and f.resolved:
            return f.resolved.t, (f.resolved.seq,), f"service restored {f.label(f.resolved.t)}"
        return None, (), ""

    def notified(self) -> dict[str, Message | None]:
        """Which message each notify obligation takes (SPEC section 7): per stakeholder, obligations in
        order of due time, ties in file order, each take the first delivered message on an allowed
        channel at or after their inject that no earlier one took; messages in time order, ties by rule."""
        if self._notified is not None:
            return self._notified
        f = self.f
        wanting: list[tuple[int, int, m.Obligation, int]] = []
        for place, (inj, ob) in enumerate(self.sc.obligations):
            if ob.kind != "notify" or inj.id not in f.injects:
                continue  # an inject that never fired takes no message
            window, _ = self.resolve_window(ob.within)
            if ob.within is not None and window is None:
                continue  # unmeasurable: takes no message
            start = f.injects[inj.id].t
            due = f.clock.after(start, window) if window is not None else f.horizon
            wanting.append((due, place, ob, start))
        taken: set[int] = set()
        out: dict[str, Message | None] = {}
        by_time: dict[str, list[Message]] = {}
        for _due, _place, ob, start in sorted(wanting, key=lambda w: (w[0], w[1])):
            who = ob.target or ""
            if who not in by_time:
                by_time[who] = sorted(f.delivered_to(who), key=lambda x: (x.t, x.rule if x.rule is not None else 1 << 30, x.seq))
            allowed = set(ob.via)
            out[ob.id] = next((x for x in by_time[who] if x.seq not in taken and x.t >= start
                               and (not allowed or x.via in allowed)), None)
            if out[ob.id] is not None:
                taken.add(out[ob.id].seq)  # type: ignore[union-attr]
        self._notified = out
        return out

    def action_time(self, ref: m.ActionRef) -> int | None:
        """When the action a `before` names first happened; a task counts from when it started."""
        f = self.f
        if ref.kind == "notify":
            first = f.delivered_to(ref.target or "")
            return min((x.t for x in first), default=None)
        if ref.kind == "act":
            if ref.target in f.started:
                return f.started[ref.target or ""]
            return f.acts[ref.target].t if ref.target in f.acts else None
        probe = m.Obligation(id="", kind=ref.kind, target=ref.target)
        return self.done_by(probe, 0)[0]

    def penalties(self, ob: m.Obligation, done: int) -> list[tuple[str, str]]:
        """Each half-credit cause as said on its own (the result's `penalties`, a finding), and as the reason says it
        after its "decided ... by X" (X not named again)."""
        out = []
        if ob.kind == "decide" and ob.by:
            e = self.f.decisions.get(ob.target or "")
            who = str(e.get("by")) if e and e.get("by") else None
            if who is None:
                said = f"recorded without naming who decided; the owner is {self.who(ob.by)}"
                out.append((said, said))
            elif not self.owns(who, ob.by):
                out.append((f"decided by {self.who(who)}, but the owner is {self.who(ob.by)}",
                            f"decided by someone other than its owner, {self.who(ob.by)}"))
        if ob.before is not None:
            other = self.action_time(ob.before)
            if other is not None and done > other:
                when = ("started " if ob.before.kind == "act" else "") + self.f.label(other)
                said = f"done after {action_words(ob.before.kind, ob.before.target, self.who)} ({when}), which it must precede"
                out.append((said, said))
        return out

    def owns(self, who: str, owner: str) -> bool:
        if who == owner:
            return True
        role = self.rb.roles.get(who)
        return owner in m.FUNCTIONS and role is not None and owner in role.fills

    # -- reasons a facilitator can read aloud ------------------------------------------------
    def reason(self, ob: m.Obligation, status: str, due: int, done: int | None, lateness: int, how: str, words: str) -> str:
        f = self.f
        subject = ob.label()
        due_txt = f"due {f.label(due)}" + (f" ({words})" if words else "")
        if status == "met":
            return f"{subject}: {how}; {due_txt}"
        if status == "late":
            return f"{subject}: {how}, {format_span(lateness)} late; {due_txt}" + self.why_late(ob, done)
        if status == "open" and f.stopped is not None:
            return f"{subject}: {self.open_at_stop(due, words)}; left out of the scores"
        if status == "open":
            return (f"{subject}: open: not done by the end of the exercise ({f.label(f.horizon)}), and not due until "
                    f"{f.clock.label(due, with_date=True)}" + (f" ({words})" if words else "") + "; left out of the scores")
        return f"{subject}: {self.why_missed(ob)}; {due_txt}"

    def open_at_stop(self, due: int, words: str = "", what: str = "this") -> str:
        f = self.f
        assert f.stopped is not None
        return open_words(f.label(f.stopped), f.label(due) + (f", {words}" if words else ""), f.running, what)

    def why_late(self, ob: m.Obligation, done: int | None) -> str:
        if ob.kind == "acknowledge":
            first = self.f.pages[0] if self.f.pages else None
            if first is not None and first.get("why"):
                role, why = first.get("role"), str(first.get("why"))
                if self.f.declared is not None and self.f.declared.get("by") == role:
                    return f"; {why}"  # who acknowledged is named just before: the engine's words follow as they are
                rest = self.after_name(role, why)
                return f"; {self.who(role)} {rest}" if rest else f"; {self.who(role)}: {why}"
        if ob.kind == "notify":
            failed = [x for x in self.f.failed_to(ob.target) if done is None or x.t < done]
            if failed:
                return f"; earlier: {self.failed_summary(failed)}"
        return ""

    def failed_summary(self, msgs: list[Message]) -> str:
        reasons = sorted({x.why for x in msgs if x.why})
        return f"{len(msgs)} message(s) not delivered ({'; '.join(reasons) or 'undelivered'})"

    def why_missed(self, ob: m.Obligation) -> str:
        f, rb = self.f, self.rb
        end = f"by {'now' if f.running else 'the end'} ({f.label(f.ended)})"  # running: the board's "if it ended now"
        if ob.kind == "acknowledge":
            routed = f.routed
            if not rb.fillers("first_responder") and not routed:
                return "no role in the runbook acts as first responder, so nobody is paged"
            firsts = [p for p in f.pages_of(rb.fillers("first_responder")) if not p.get("intake")]
            return self.page_story(sorted(routed + firsts, key=lambda p: p.seq)) or f"not acknowledged {end}"
        if ob.kind == "engage":
            fillers = rb.fillers(ob.target or "")
            if not fillers:
                return "no role in the runbook fills it"
            pages = f.pages_of(fillers)
            if not pages:
                return f"{self.who.listed(fillers)} never paged: no escalation rule or playbook step calls them"
            return self.page_story(pages)
        if ob.kind in ("notify", "update"):
            failed = f.failed_to(ob.target)
            rules = [r for r in rb.communication if ob.target in r.stakeholders]
            if failed:
                return f"nothing reached them {end}: {self.failed_summary(failed)}"
            if not rules:
                return "the runbook's communication plan never tells them"
            for r in rules:
                planned = planned_at(f, r)
                if planned is not None:
                    if planned > f.ended:
                        return (f"the plan tells them within {r.within} of declaration ({f.label(planned)}), "
                                f"after the end ({f.label(f.ended)})")
            authors = sorted({r.by for r in rules})
            silent = [a for a in authors if a not in f.answers and a not in f.engaged]
            if silent:
                return f"the plan's author{'s' if len(silent) > 1 else ''}, {self.who.listed(silent)}, never answered, so no message went"
            return f"no message to them {end}"
        if ob.kind in ("act", "decide") and self.live:
            step = next((st for st in self.playbook_steps() or () if st.task == ob.target), None)
            plan = f"; the runbook's {self.sc.playbook} playbook gives it to {self.who(step.by)}" if step else ""
            return f"no one {'did' if ob.kind == 'act' else 'took'} it {end}{plan}"
        if ob.kind == "act":
            steps = self.playbook_steps()
            if steps is None:
                return self.missing_playbook()
            if not any(s.task == ob.target and s.kind == "act" for s in steps):
                return f"the runbook's {self.sc.playbook} playbook has no such step"
            return self.stall_story(steps, ob.target) or f"not done {end}"
        if ob.kind == "decide":
            steps = self.playbook_steps()
            if steps is None:
                return self.missing_playbook()
            if not any(s.task == ob.target for s in steps):
                return "the runbook's playbook has no such decision"
            return self.stall_story(steps, ob.target) or f"not decided {end}"
        if ob.kind == "resolve":
            res = self.sc.resolution
            if res is None:
                return "the scenario defines no resolution"
            open_tasks = [t for t in res.after if t not in f.acts]
            if open_tasks:
                return f"service needs {', '.join(open_tasks)}, never done {end}"
            return f"not restored {end}"
        return f"not done {end}"

    def page_story(self, pages: list) -> str:
        """What happened to the pages that should have brought someone in, in order."""
        parts = []
        last = None
        for p in pages[:3]:
            role = p.get("role")
            ans = p.get("answers_at")
            why, at = str(p.get("why") or ""), self.f.label(p.t)
            rest = self.after_name(role, why)
            # the role once: "SOC manager (soc_manager) works business hours (...); paged Sat 02:42, would answer ...";
            # paged again, it is not named again ("...; paged again Sun 22:55: works cto_phone hours (...)")
            if role == last:
                text = f"paged again {at}" + (f": {rest or why}" if why else "")
            elif rest:
                text = f"{self.who(role)} {rest}; paged {at}"
            else:
                text = f"{self.who(role)} paged {at}" + (f": {why}" if why else "")
            last = role
            if isinstance(ans, int) and ans > p.t and (self.f.answers.get(role) is None or self.f.answers[role].t > ans):
                text += f", would answer {self.f.label(ans)}"
            elif self.f.answers.get(role) is None:
                text += ", no answer"
            parts.append(text)
        return "; ".join(parts)

    def after_name(self, role: Any, why: str) -> str:
        """What a page's `why` says after the role's own name, when it opens with it (the engine's "SOC manager works
        business hours (...)"), for a reason that has just named the role; else ""."""
        r = self.rb.roles.get(str(role))
        return why[len(r.name) + 1:] if r is not None and why.startswith(r.name + " ") else ""

    def playbook_steps(self) -> tuple[m.Step, ...] | None:
        if not self.sc.playbook:
            return ()
        return self.rb.playbooks.get(self.sc.playbook)

    def missing_playbook(self) -> str:
        if not self.sc.playbook:
            return "the scenario names no playbook and nothing else does it"
        return f"the runbook has no {self.sc.playbook} playbook"

    def stall_story(self, steps: tuple[m.Step, ...], target: str | None) -> str:
        """Where the playbook stopped short of `target` (the obligation's own step is "this step": its head names it)."""
        for s in steps:
            step = "this step" if s.task == target else f"{s.kind} {s.task}"
            if s.kind == "act" and s.task in self.f.acts or s.kind == "decide" and s.task in self.f.decisions:
                continue
            who = s.by
            if who in self.rb.roles and who not in self.f.answers:
                pages = self.f.pages_of([who])
                story = self.page_story(pages) if pages else f"{self.who(who)} was never paged"
                return f"playbook stalled at {step}: {story}"
            if self.f.declared is None:
                return "the incident was never declared, so the playbook never started"
            return f"playbook reached {step} only after the end ({self.f.label(self.f.ended)})"
        return ""

    # -- update series ----------------------------------------------------------------------
    def judge_update(self, inj: m.Inject, ob: m.Obligation, start: int) -> Result | None:
        f = self.f
        every, words = self.resolve_window(ob.every)
        base: dict[str, Any] = dict(id=ob.id, category=ob.category, kind=ob.kind, target=ob.target, inject=inj.id, weight=ob.weight,
                    owner=ob.owner)
        if every is None:
            assert isinstance(ob.every, m.SlaRef)
            return Result(**base, due=None, done_at=None, status="missed", lateness=0, credit=0.0, evidence=(),
                          reason=f"{ob.label()}: cannot be measured: {self.unmeasurable(ob.every)}", unmeasurable=True)
        msgs = [x for x in f.delivered_to(ob.target or "", ob.via) if x.t >= start]
        windows: list[Window] = []
        prev_msg: int | None = None
        window_start = start
        due = f.clock.after(start, every)
        k = 0  # the next message is the first listed after prev_msg; prev_msg only grows, so k only moves on
        more = 0  # the windows after the first open one (all open: no message is left for them)
        # windows run to resolution, else the horizon (resolution is never after it: nothing after it is counted)
        while due < f.end and len(windows) + more < 10_000:
            while prev_msg is not None and k < len(msgs) and msgs[k].t <= prev_msg:
                k += 1
            nxt = msgs[k] if k < len(msgs) else None
            if nxt is not None and nxt.t <= due:
                windows.append(Window(due, nxt.t, "met", 0, 1.0, (nxt.seq,)))
            elif nxt is not None:
                late = nxt.t - due
                span = due - window_start
                windows.append(Window(due, nxt.t, "late", late, max(0.0, 1 - late / span) if span > 0 else 0.0, (nxt.seq,)))
            else:  # no message for it: missed, or open when it falls due after the facilitator's stop (not judged;
                # the board counts down to it). A message stamped ahead of the clock ("+20m") answers a window as any.
                # Only the first open window is listed: the ones after it are the cadence projected, so counted.
                if due <= f.ended:
                    windows.append(Window(due, None, "missed", 0, 0.0))
                elif windows and windows[-1].status == "open":
                    more += 1
                else:
                    windows.append(Window(due, None, "open", 0, 0.0))
                window_start = due
                due = f.clock.after(due, every)
                continue
            prev_msg = window_start = nxt.t
            due = f.clock.after(nxt.t, every)
        if not windows:
            return None  # first window at or after resolution: nothing to judge
        judged = [w for w in windows if w.status != "open"]
        statuses = {w.status for w in judged}
        if not judged:
            status, credit = "open", 0.0
        else:
            credit = sum(w.credit for w in judged) / len(judged)
            status = "met" if statuses == {"met"} else ("missed" if statuses == {"missed"} else "late")
        done = next((w.done_at for w in judged if w.done_at is not None), None)
        evidence = tuple(s for w in judged for s in w.evidence)
        # the head every reason has (`Obligation.label()`, then ": "), so that views strip it as they strip the others
        reason = f"{ob.label()}: every {every}" + (f" ({words})" if words and words != str(every) else "") + ": "
        if judged:
            reason += _series_text(f, judged)
        left = next((w for w in windows if w.status == "open"), None)
        if left is not None:  # the first window left open, as an obligation open at the stop is said
            later = self.open_at_stop(left.due, what="the next" if judged else "the first")
            reason += f"; later updates {later}" if judged else later
            if more:
                reason += f", and {more} more every {every} to {'resolution' if f.resolved else 'the horizon'} ({f.label(f.end)})"
        failed = f.failed_to(ob.target)
        if "missed" in statuses and failed:
            reason += f"; {self.failed_summary(failed)}"
        elif "missed" in statuses and not msgs:
            reason += f"; {self.why_missed(ob)}"
        if not judged:
            reason += "; left out of the scores"
        lateness = max((w.lateness for w in judged), default=0)
        return Result(**base, due=windows[0].due, done_at=done, status=status, lateness=lateness, credit=credit,
                      evidence=evidence, reason=reason, windows=tuple(windows), more_open_windows=more)


def planned_at(f: Facts, rule: m.CommRule) -> int | None:
    """When the runbook's plan has a message sent by `rule`, where it times it from the declaration and that was made."""
    if rule.when == "declared" and f.declared and rule.within is not None:
        return f.clock.after(f.declared.t, rule.within)
    return None


LISTED = 12  # an update series' windows named one by one in its reason; a longer series is counted


def _series_text(f: Facts, windows: list[Window]) -> str:
    """Each window of an update series, or, past LISTED (a long night: hundreds of hourly updates), the counts
    and the first windows that were not met: a reason a reader can take in, and a re-score per live entry that
    does not grow with every window's wording."""
    if len(windows) <= LISTED:
        return ", ".join(_window_text(f, w) for w in windows)
    counts = {s: sum(1 for w in windows if w.status == s) for s in ("met", "late", "missed")}
    text = f"{len(windows)} updates due: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    short = [w for w in windows if w.status != "met"]
    if short:
        text += "; " + ", ".join(_window_text(f, w) for w in short[:LISTED // 2])
        if len(short) > LISTED // 2:
            text += f" and {len(short) - LISTED // 2} more"
    return text


def _window_text(f: Facts, w: Window) -> str:
    if w.status == "met":
        return f"due {f.label(w.due)} met {f.label(w.done_at)}"
    if w.status == "late":
        return f"due {f.label(w.due)} late {format_span(w.lateness)}"
    return f"due {f.label(w.due)} missed"
