"""The after-action report (SPEC section 9) as Markdown or as one self-contained HTML file.

Both formats are drawn from one plain-data outline (`outline()`), so they say
the same things. Every string that comes from a scenario, runbook or
transcript is untrusted: Markdown escapes its control characters, Mermaid
labels carry only a safe character set (the rest as `#NNN;` entity codes), and
HTML escapes everything and runs no script at all (a strict
Content-Security-Policy forbids it even if something slipped through).
Output is deterministic: no wall-clock time except what the transcript holds.

One module for now (about 800 lines, over the ~450 norm): the outline and its two renderers
change together; the HTML renderer and its CSS are the split to make next.
"""

from __future__ import annotations

import html
import re
from typing import Any

import attrs

from simulator.events import EVALUATION, HOTWASH, live_events
from simulator.textsafe import clip, plain
from simulator.timing import format_span

from .played import Played
from .promised import Promise, promises
from .rubric import RATING_WORDS
from .scorecard import Scorecard

# Improvement-plan due dates, by finding severity (documented in docs/reports.md).
PLAN_DUE = {"high": "before signing", "medium": "before go-live", "low": "at the first quarterly review"}
MAX_DIAGRAM_MESSAGES = 80
KIND_WORDS = {
    "acknowledge": "Acknowledge the alert",
    "engage": "Engage",
    "notify": "Notify",
    "update": "Keep updating",
    "act": "Do",
    "decide": "Decide",
    "resolve": "Restore service",
}
RATING_NOTE = ("HSEEP ratings: P performed without challenges, S with some challenges, M with major challenges, "
               "U unable to be performed (by default P from 90, S from 70, M from 40; a rubric file may change these).")
CATEGORY_WORDS = {"sla": "Service levels (SLA)", "communication": "Communication", "response": "Response"}


# --- the outline: what the report says, as plain (still untrusted) text -------------------------


@attrs.frozen
class Message:
    seq: int
    t: int
    when: str
    kind: str
    sender: str  # role id (or "" when unknown)
    sender_label: str
    to: str
    to_label: str
    via: str
    delivered: bool
    why: str


@attrs.define
class Outline:
    title: str
    verdict: str
    rating: str
    overview: list[tuple[str, str]]
    summary: str
    categories: list[dict[str, Any]]
    overall: float
    obligations: list[dict[str, Any]]
    metrics: list[tuple[str, str]]
    timeline: list[dict[str, Any]]
    messages: list[Message]
    participants: list[tuple[str, str, str]]  # (key, label, side: "responder" | "stakeholder")
    strengths: list[str]
    areas: list[str]
    plan: list[dict[str, str]]
    promised: list[dict[str, str]] | None
    promised_live: bool
    questions: list[str]
    scenario_questions: list[str]
    has_transcript: bool
    counts: dict[str, int] = attrs.Factory(dict)
    serious: int = 0
    departures: list[dict[str, str]] = attrs.Factory(list)  # live answers that depart from the runbook
    evaluations: list[dict[str, str]] = attrs.Factory(list)  # the evaluator's capture per answer


def _span(seconds: int | None) -> str:
    return "—" if seconds is None else format_span(seconds)


def _verdict(card: Scorecard, counts: dict[str, int], high: int) -> str:
    subject = "The response in this live exercise" if card.mode == "live" else "The runbook as written"
    total = sum(counts.get(k, 0) for k in ("met", "late", "missed"))  # the scored ones
    if total == 0:
        return "Nothing to judge: no obligation of this scenario applied, so there is no score."
    tally = f"{counts['met']} of {total} obligations met on time, {counts['late']} late, {counts['missed']} missed"
    if counts.get("open"):
        tally += f"; {counts['open']} open (due after the end, not scored)"
    if counts.get("client"):
        n = counts["client"]
        tally += f"; {n} {'is' if n == 1 else 'are'} the client's own duty (shown, not scored)"
    score = f"Overall {card.overall:.2f}/100 ({card.rating}: {RATING_WORDS[card.rating]})"
    if card.rating == "P" and not high:
        head = f"Ready: {subject.lower()} handles this scenario"
    elif card.rating in ("P", "S"):
        head = "Conditional: fix the findings below before signing"
    else:
        head = f"Not ready: {subject.lower()} does not cover this scenario"
    findings = f"; {high} serious finding{'s' if high != 1 else ''}" if high else ""
    return f"{head}. {score}; {tally}{findings}."


def _who(pair: Any, key: str | None) -> str:
    """A role's or stakeholder's readable name ("Fractional CTO (vcto)")."""
    if not key:
        return "responders"
    if pair is not None:
        role = pair.runbook.roles.get(key)
        sh = pair.scenario.stakeholders.get(key)
        name = role.name if role is not None else (sh.name if sh is not None else None)
        if name and name != key:
            return f"{name}, {key}" if name.endswith(")") else f"{name} ({key})"
    return key


def _obligation_label(r: Any, pair: Any) -> str:
    words = KIND_WORDS.get(r.kind, r.kind)
    if r.kind in ("notify", "update", "decide") and r.target:
        return f"{words} {_who(pair, r.target) if r.kind != 'decide' else r.target}"
    if r.target:
        return f"{words} {r.target.replace('_', ' ') if r.kind == 'engage' else r.target}"
    return words


def _why(r: Any) -> str:
    """The reason without its leading "notify ceo: " (the row already says what it is)."""
    head = f"{r.kind} {r.target}: " if r.target else f"{r.kind}: "
    return r.reason[len(head):] if r.reason.startswith(head) else r.reason


def _status_words(r: Any) -> str:
    if r.owner:
        return f"{r.status} (the client's own duty, not scored)"
    if r.status == "open":
        return "open (due after the exercise ends, not scored)"
    if not r.windows:
        return r.status
    counts = r.window_counts()
    if len(counts) == 1:
        return f"{r.status} (all {len(r.windows)} updates)" if len(r.windows) > 1 else r.status
    parts = [f"{v} {k}" for k, v in counts.items()]
    return f"{r.status} ({', '.join(parts)} of {len(r.windows)} updates)"


def _event_text(e: Any, pair: Any, clock: Any) -> tuple[str, str]:
    """(what kind of thing, one line a facilitator can read aloud) for a timeline row."""
    d, g = e.data, e.get
    if e.type == "inject":
        src = f" ({g('source')})" if g("source") else ""
        return "inject", f"Inject {g('id')}{src}: {g('message')}"
    if e.type == "inject_held":
        return "inject", f"Inject {g('id')} did not fire: its condition did not hold"
    if e.type == "curveball":
        until = f" until {clock.label(g('until'))}" if isinstance(g("until"), int) else ""
        if g("what") == "channel_down":
            return "curveball", f"Curveball: {g('target')} is down{until}"
        role = f" ({_who(pair, g('role'))})" if g("role") and g("role") != g("target") else ""
        return "curveball", f"Curveball: {g('target')}{role} is unreachable{until}"
    if e.type == "curveball_end":
        return "curveball", f"Curveball {g('id')} ends"
    if e.type == "page":
        text = f"Paged {_who(pair, g('role'))}"
        if g("backs"):
            text += f" as backup for {g('backs')}"
        if g("reason"):
            text += f" ({g('reason')})"
        if g("why"):
            text += f": {g('why')}"
        if isinstance(g("answers_at"), int) and g("answers_at") != e.t:
            text += f"; would answer {clock.label(g('answers_at'))}"
        return "page", text
    if e.type == "answer":
        stand = f", standing in for {g('stands_in_for')}" if g("stands_in_for") else ""
        return "answer", f"{_who(pair, g('role'))} answered{stand}"
    if e.type == "acknowledge":
        by = f" by {g('by')}" if g("by") else ""
        return "declared", f"Incident acknowledged and declared{by}"
    if e.type in ("notify", "update"):
        by = f" from {_who(pair, g('by'))}" if g("by") else ""
        state = "delivered" if g("delivered") else f"NOT delivered ({g('why') or 'undelivered'})"
        return e.type, f"{e.type.capitalize()} {_who(pair, g('stakeholder'))} by {g('via')}{by}: {state}"
    if e.type == "act":
        by = f" by {g('by')}" if g("by") else ""
        started = f" (started {clock.label(g('started'))})" if isinstance(g("started"), int) and g("started") != e.t else ""
        return "task", f"Task {g('task')} done{by}{started}"
    if e.type == "decide":
        by = f" by {g('by')}" if g("by") else ""
        return "decision", f"Decision {g('decision')} taken{by}"
    if e.type == "resolve":
        return "resolved", "Service restored"
    if e.type == "note":
        return "note", f"Note: {g('text')}"
    if e.type == "end":
        return "end", f"Exercise ends ({g('reason') or 'stopped'})"
    if e.type == "retract":
        return "correction", f"Withdrew #{g('target')}" + (f" ({g('why')})" if g("why") else "")
    if e.type == "clock":
        return "clock", _clock_text(e, clock)
    rest = ", ".join(f"{k}={v}" for k, v in d.items())
    return e.type, f"{e.type}: {rest}" if rest else e.type


def _promise_words(p: Promise, pair: Any) -> str:
    if p.kind == "engage":
        return f"Time to engage {str(p.subject).replace('_', ' ')}"
    if p.kind == "update":
        return f"Longest gap between updates to {_who(pair, p.subject)}"
    if p.kind == "contain":
        return f"Time to contain ({p.subject})"
    return "Time to acknowledge" if p.kind == "acknowledge" else "Time to restore service"


def _clock_text(e: Any, clock: Any) -> str:
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
    return f"Clock: {g('action')}"


def _promised(card: Scorecard, pair: Any, stated: Scorecard | None) -> tuple[list[dict[str, str]] | None, bool]:
    """Metric by metric: the runbook's promise, the as-stated result and (live) what happened."""
    if pair is None or stated is None:
        return None, False
    live = card.mode == "live"

    def kept(promised: Any, actual: int | None) -> str:
        if promised is None:
            return "no promise"
        if actual is None:
            return "broken"
        limit = card.scenario.clock().after(0, promised)
        return "kept" if actual <= limit else "broken"

    rows: list[dict[str, str]] = []

    order = {"acknowledge": 0, "engage": 1, "contain": 2, "restore": 3, "update": 4}  # the report's reading order
    for p in sorted(promises(pair.scenario, pair.runbook, stated, card), key=lambda p: order[p.kind]):
        rows.append({"metric": _promise_words(p, pair), "promised": p.promised, "as_stated": _span(p.as_stated),
                     "live": _span(p.live) if live else "", "kept": kept(p.promise, p.live if live else p.as_stated)})
    sm, lm = stated.metrics, card.metrics
    rows.append({"metric": "Notifications on time", "promised": "all",
                 "as_stated": f"{sm.notifications_on_time}/{sm.notifications_due}",
                 "live": f"{lm.notifications_on_time}/{lm.notifications_due}" if live else "",
                 "kept": ("kept" if (lm if live else sm).notifications_on_time == (lm if live else sm).notifications_due
                          else "broken")})
    return rows, live


def outline(played: Played) -> Outline:
    """Everything the report says, in order, as plain data."""
    card = played.card
    clock = card.scenario.clock()
    pair = played if played.scenario is not None and played.runbook is not None else None
    header, events = played.header, played.events
    sc, rb = card.scenario, card.runbook
    counts = {"met": 0, "late": 0, "missed": 0, "open": 0, "client": 0}
    for r in card.results:
        key = "client" if r.owner else r.status  # the client's own duties are shown apart
        counts[key] = counts.get(key, 0) + 1
    high = sum(1 for f in card.findings if f.severity == "high")

    overview = [
        ("Scenario", f"{sc.title} ({sc.id})"),
        ("Severity", str(sc.severity)),
        ("Starts", f"{clock.local(0).strftime('%A %d %B %Y %H:%M')} {clock.local(0).tzname() or ''} ({sc.timezone})"),
        ("Ends (horizon)", f"{clock.label(card.horizon, with_date=True)} ({format_span(card.horizon)} later)"),
        ("Candidate", f"{rb.provider} ({rb.id}, {rb.model})"),
        ("How it was played", "live, with a facilitator" if card.mode == "live" else
         "as stated: the runbook's promises taken at their bounds"),
    ]
    if header is not None and events is not None:
        h = header
        for kind in ("scenario", "runbook"):
            part = h.get(kind) or {}
            if part.get("sha256"):
                where = f"{part.get('path')}, " if part.get("path") else ""
                overview.append((f"{kind.capitalize()} file", f"{where}sha256 {str(part['sha256'])[:16]}…"))
        if h.get("created"):
            overview.append(("Recorded", str(h["created"])))
        overview.append(("Transcript", f"{len(events)} events; ttx {h.get('tool_version', '?')}"))
    summary = played.scenario.summary if played.scenario is not None else ""

    categories = [{"name": CATEGORY_WORDS.get(c.name, c.name), "score": f"{c.score:.2f}", "rating": c.rating,
                   "rating_words": RATING_WORDS[c.rating], "weight": f"{c.weight:g}", "obligations": str(c.obligations)}
                  for c in card.categories]

    obligations = []
    for r in card.results:
        obligations.append({
            "id": r.id, "label": _obligation_label(r, pair), "category": r.category, "status": r.status,
            "status_words": _status_words(r), "detail": _status_words(r)[len(r.status):].strip(" ()"),
            "scored": r.scored,
            "due": "cannot be measured" if r.due is None else f"{clock.label(r.due)} (+{format_span(r.due)})",
            "done": "—" if r.done_at is None else f"{clock.label(r.done_at)} (+{format_span(r.done_at)})",
            "credit": f"{r.credit:.2f}" if r.scored else "—", "reason": r.reason, "why": _why(r), "evidence": list(r.evidence),
        })

    m = card.metrics
    metrics = [("Time to acknowledge", _span(m.time_to_acknowledge)), ("Time to restore service", _span(m.time_to_resolve))]
    metrics += [(f"Time to engage {fn.replace('_', ' ')}", _span(t)) for fn, t in m.time_to_engage.items()]
    metrics += [(f"Longest gap between updates to {_who(pair, who)}", format_span(gap)) for who, gap in m.longest_update_gap.items()]
    metrics.append(("Notifications on time", f"{m.notifications_on_time} of {m.notifications_due}"))

    timeline: list[dict[str, Any]] = []
    messages: list[Message] = []
    if events is not None:
        # every event, so the numbering never jumps: withdrawn ones say so (and by which correction)
        withdrawn = {e.get("target"): e for e in events if e.type == "retract"}
        for e in events:
            kind, text = _event_text(e, pair, clock)
            gone = withdrawn.get(e.seq)
            timeline.append({"seq": e.seq, "when": clock.label(e.t), "elapsed": f"+{format_span(e.t)}" if e.t else "+0m",
                             "kind": kind, "text": clip(text), "after_horizon": e.t > card.horizon,
                             "withdrawn": "" if gone is None else f"withdrawn by #{gone.seq}"
                             + (f", {gone.get('why')}" if gone.get("why") else "")})
            if e.type in ("notify", "update") and e.t <= card.horizon and gone is None:
                by = str(e.get("by") or "")
                to = str(e.get("stakeholder") or "")
                messages.append(Message(e.seq, e.t, clock.label(e.t), e.type, by, _who(pair, by) if by else "responders",
                                        to, _who(pair, to), str(e.get("via") or ""), bool(e.get("delivered")),
                                        str(e.get("why") or "")))
    participants: list[tuple[str, str, str]] = []
    # responders on the left, stakeholders on the right, each in order of first message
    for side, key_label in (("responder", lambda x: (x.sender, x.sender_label)), ("stakeholder", lambda x: (x.to, x.to_label))):
        seen: set[str] = set()
        for msg in messages:
            key, label = key_label(msg)
            if key not in seen:
                seen.add(key)
                participants.append((key, label, side))

    strengths = [f"{o['label']}: {o['why']}" for o, r in zip(obligations, card.results) if r.status == "met" and r.scored]
    strengths += [f"{CATEGORY_WORDS.get(c.name, c.name)} rated {c.rating} ({RATING_WORDS[c.rating]}, {c.score:.2f})"
                  for c in card.categories if c.rating in ("P", "S")]
    areas = [f"{o['label']} ({r.status}): {o['why']}" for o, r in zip(obligations, card.results) if r.status != "met" and r.scored]
    areas += [f"{f.severity.capitalize()} finding: {f.message}" for f in card.findings]

    plan = [{"severity": f.severity, "finding": f.message, "action": f.action, "owner": str(rb.provider),
             "due": PLAN_DUE.get(f.severity, "before signing")} for f in card.findings]
    questions = list(dict.fromkeys(f.question for f in card.findings))
    scenario_questions: list[str] = []
    if pair is not None and played.scenario is not None:
        fired = {e.get("id") for e in (events or []) if e.type == "inject"}
        scenario_questions = list(dict.fromkeys(q for inj in played.scenario.injects if inj.id in fired for q in inj.questions))
    evaluations: list[dict[str, str]] = []
    hotwash: dict[str, list[str]] = {"strength": [], "improvement": []}
    if events is not None:  # the hotwash and the evaluator's capture, as recorded (withdrawn ones left out)
        for e in live_events(list(events)):
            if e.type == "note" and e.get("hotwash") in HOTWASH:
                hotwash[str(e.get("hotwash"))].append(f"From the hotwash: {e.get('text')}")
            elif any(e.get(k) for k in EVALUATION):
                evaluations.append({"seq": str(e.seq), "when": clock.label(e.t), "what": _event_text(e, pair, clock)[1],
                                    "candidate": ", ".join(str(e.get(k)) for k in ("confidence", "basis") if e.get(k)),
                                    "note": str(e.get("eval_note") or "")})
    strengths, areas = hotwash["strength"] + strengths, hotwash["improvement"] + areas  # the room's judgement first
    promised, promised_live = _promised(card, pair, played.stated)
    flags: list[dict[str, str]] = []
    if played.scenario is not None and played.runbook is not None and events is not None and card.mode == "live":
        from .departures import departures

        flags = [{"seq": str(d.seq), "when": clock.label(d.t), "aspect": d.aspect, "text": d.text}
                 for d in departures(played.scenario, played.runbook, events)]
    mode = "live exercise" if card.mode == "live" else "as stated"
    return Outline(
        title=f"After-action report: {sc.title} — {rb.provider} ({mode})",
        verdict=_verdict(card, counts, high), rating=card.rating, overview=overview, summary=summary,
        categories=categories, overall=card.overall, obligations=obligations, metrics=metrics, timeline=timeline,
        messages=messages, participants=participants, strengths=strengths, areas=areas, plan=plan,
        promised=promised, promised_live=promised_live, questions=questions, scenario_questions=scenario_questions,
        has_transcript=events is not None, counts=counts, serious=high, departures=flags, evaluations=evaluations,
    )


# --- Markdown ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~&${}@])")
# Viewers (GitHub, GitLab, most chat tools) turn a bare https://..., www.... or name@host into a live
# link; an escaped character (the scheme's colon, www's dot, the @ above) splits the text where they look.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|\b(www)(\.)")


def md(text: object) -> str:
    """Untrusted text as inert Markdown inline content (also safe inside a table cell), no live links."""
    s = plain(text)  # newlines and control characters can't start a new block or restyle a terminal
    return _AUTOLINK.sub(lambda m: "\\:" if m.group(1) else m.group(2) + "\\.", _MD_SPECIAL.sub(r"\\\1", s))


_MERMAID_SAFE = re.compile(r"[^A-Za-z0-9 .,:()/_'-]")
_MERMAID_ALIAS_SAFE = re.compile(r"[^A-Za-z0-9 .()_]")


def mermaid_text(text: object, alias: bool = False) -> str:
    """Untrusted text for a Mermaid label: anything outside a small safe set becomes `#NNN;`.

    Mermaid decodes these entity codes only after parsing, so no character can end
    the label, start a new statement (newline, `;`), open a directive (`%%`) or
    close the Markdown code fence (backticks).
    """
    s = plain(text)
    pattern = _MERMAID_ALIAS_SAFE if alias else _MERMAID_SAFE
    return pattern.sub(lambda mo: f"#{ord(mo.group())};", s)


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    out += ["| " + " | ".join(c if c else " " for c in row) + " |" for row in rows]
    return out


def _mermaid(o: Outline) -> list[str]:
    ids = {(key, side): f"P{i + 1}" for i, (key, _, side) in enumerate(o.participants)}
    lines = ["```mermaid", "sequenceDiagram"]
    for key, label, side in o.participants:
        lines.append(f"    participant {ids[(key, side)]} as {mermaid_text(label, alias=True)}")
    for msg in o.messages[:MAX_DIAGRAM_MESSAGES]:
        a, b = ids[(msg.sender, "responder")], ids[(msg.to, "stakeholder")]
        arrow = "->>" if msg.delivered else "-x"
        state = "" if msg.delivered else f" NOT delivered: {msg.why or 'undelivered'}"
        lines.append(f"    {a}{arrow}{b}: {mermaid_text(f'{msg.when} {msg.kind} by {msg.via}{state}')}")
    lines.append("```")
    if len(o.messages) > MAX_DIAGRAM_MESSAGES:
        lines.append(f"\n_{len(o.messages) - MAX_DIAGRAM_MESSAGES} more messages are in the timeline._")
    return lines


def render_md(o: Outline) -> str:
    L: list[str] = [f"# {md(o.title)}", "", f"**Verdict:** {md(o.verdict)}", ""]
    L += ["## Exercise overview", ""]
    L += _md_table(["Exercise", "Detail"], [[f"**{md(k)}**", md(v)] for k, v in o.overview])
    if o.summary:
        L += ["", f"> {md(o.summary)}"]
    L += ["", "## Scorecard", "", f"**Overall: {o.overall:.2f} / 100 — {o.rating}: {md(RATING_WORDS[o.rating])}**", ""]
    L += _md_table(["Category", "Score", "HSEEP rating", "Weight", "Obligations"],
                   [[md(c["name"]), c["score"], f"{c['rating']} ({md(c['rating_words'])})", c["weight"], c["obligations"]]
                    for c in o.categories])
    L += ["", RATING_NOTE, "", "### Obligations", ""]
    L += _md_table(["Obligation", "Due", "Done", "Result", "Credit", "Why"],
                   [[f"{md(ob['label'])} (`{code_span(ob['id'])}`)", md(ob["due"]), md(ob["done"]),
                     f"**{md(ob['status_words'])}**", ob["credit"], md(ob["why"])] for ob in o.obligations])
    L += ["", "### Headline metrics", ""]
    L += _md_table(["Metric", "Value"], [[md(k), md(v)] for k, v in o.metrics])
    L += ["", "## Communication", ""]
    if o.messages:
        L += ["Who told whom, when and on which channel. A crossed arrow (`-x`) is a message that was not delivered.", ""]
        L += _mermaid(o)
    else:
        L.append("No messages were sent to stakeholders." if o.has_transcript else "No transcript was given.")
    L += ["", "## Strengths", ""]
    L += [f"- {md(s)}" for s in o.strengths] or ["- None recorded."]
    L += ["", "## Areas for improvement", ""]
    L += [f"- {md(s)}" for s in o.areas] or ["- None recorded."]
    L += ["", "## Improvement plan", ""]
    if o.plan:
        L += _md_table(["Finding", "Corrective action", "Owner", "Due"],
                       [[f"**{p['severity']}**: {md(p['finding'])}", md(p["action"]), md(p["owner"]), md(p["due"])] for p in o.plan])
    else:
        L.append("No findings: nothing to correct.")
    L += ["", "## Promised vs delivered", ""]
    if o.promised is None:
        L.append("Not available without the transcript's embedded scenario and runbook.")
    else:
        if o.promised_live:
            L += ["What the runbook promises, what it guarantees when played as stated, and what the candidate did live.", ""]
            L += _md_table(["Metric", "Promised", "As stated", "Live", "Promise"],
                           [[md(p["metric"]), md(p["promised"]), md(p["as_stated"]), md(p["live"]), p["kept"]] for p in o.promised])
        else:
            L += ["What the runbook promises for this severity beside what its plan delivers on this night, played as stated.", ""]
            L += _md_table(["Metric", "Promised", "As stated", "Promise"],
                           [[md(p["metric"]), md(p["promised"]), md(p["as_stated"]), p["kept"]] for p in o.promised])
    if o.departures:
        L += ["", "### Where the answers departed from the runbook", "",
              "What the candidate said on the night beside what their written runbook says (channel, role, order, timing, reach).", ""]
        L += _md_table(["#", "Time", "Aspect", "Departure"], [[d["seq"], md(d["when"]), d["aspect"], md(d["text"])] for d in o.departures])
    if o.evaluations:
        L += ["", "### Evaluator's notes on the answers", "",
              "How sure the candidate was and whether the answer came from their written runbook or was improvised.", ""]
        L += _md_table(["#", "Time", "Answer", "Candidate", "Note"],
                       [[d["seq"], md(d["when"]), md(d["what"]), md(d["candidate"]), md(d["note"])] for d in o.evaluations])
    L += ["", "## Questions to put to the candidate before signing", ""]
    L += [f"{i}. {md(q)}" for i, q in enumerate(o.questions, 1)] or ["No findings raised questions."]
    if o.scenario_questions:
        L += ["", "### Questions the scenario raises", ""]
        L += [f"- {md(q)}" for q in o.scenario_questions]
    L += ["", "## Timeline", ""]
    if o.has_transcript:
        L += _md_table(["#", "Time", "Elapsed", "What happened"],
                       [[str(t["seq"]), md(t["when"]), t["elapsed"],
                         (f"~~{md(t['text'])}~~ _({md(t['withdrawn'])})_" if t["withdrawn"] else md(t["text"]))
                         + (" _(after the end)_" if t["after_horizon"] else "")]
                        for t in o.timeline])
    else:
        L.append("No transcript was given, so there is no timeline.")
    L += ["", "---", "", "_Generated by ttx from the transcript; every time is local to the scenario's time zone._"]
    return "\n".join(L) + "\n"


def code_span(text: object) -> str:
    """Text for inside a Markdown code span: no backticks, no controls."""
    return plain(text).replace("`", "'")


# --- HTML --------------------------------------------------------------------------------------

def h(text: object) -> str:
    """Untrusted text as inert HTML (quotes too, so it is safe in attributes)."""
    return html.escape(plain(text), quote=True)


CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
:root{--ink:#1b1f24;--muted:#5b6470;--line:#d5dae1;--bg:#ffffff;--soft:#f4f6f8;
--met:#1e7b34;--met-bg:#e3f4e7;--late:#8a5a00;--late-bg:#fff1cc;--missed:#b3261e;--missed-bg:#fde2df;
--P:#1e7b34;--S:#4d7a00;--M:#b35c00;--U:#b3261e}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
main{max-width:68rem;margin:0 auto;padding:2rem 2.5rem 3rem}
h1{font-size:1.7rem;line-height:1.25;margin:0 0 .25rem}
h2{font-size:1.25rem;margin:2.2rem 0 .6rem;padding-bottom:.3rem;border-bottom:2px solid var(--line);break-after:avoid}
h3{font-size:1.05rem;margin:1.4rem 0 .5rem;break-after:avoid}
p.sub{color:var(--muted);margin:0 0 1rem}
.verdict{display:flex;gap:1.2rem;align-items:center;border:2px solid var(--line);border-left-width:10px;border-radius:6px;padding:1rem 1.2rem;margin:1rem 0 1.5rem;background:var(--soft)}
.verdict.P{border-color:var(--P)}.verdict.S{border-color:var(--S)}.verdict.M{border-color:var(--M)}.verdict.U{border-color:var(--U)}
.score{font-size:2rem;font-weight:700;line-height:1;min-width:7.5rem;text-align:center}
.score small{display:block;font-size:.8rem;font-weight:600;color:var(--muted);margin-top:.3rem}
.verdict p{margin:0;font-size:1.05rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.92rem}
th,td{border:1px solid var(--line);padding:.35rem .55rem;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
tr{break-inside:avoid}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.nowrap{white-space:nowrap}
.overview th{width:12rem}
table.obligations td:first-child{width:46%}
.glance{display:flex;gap:.8rem;margin:0 0 1.2rem;flex-wrap:wrap}
.glance div{flex:1;min-width:8rem;border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem}
.glance b{display:block;font-size:1.6rem;line-height:1.1}
.glance .met b{color:var(--met)}.glance .late b{color:var(--late)}.glance .missed b{color:var(--missed)}
.badge{display:inline-block;min-width:1.6rem;padding:0 .4rem;border-radius:4px;font-weight:700;text-align:center;color:#fff}
.badge.P{background:var(--P)}.badge.S{background:var(--S)}.badge.M{background:var(--M)}.badge.U{background:var(--U)}
.status{display:inline-block;padding:0 .45rem;border-radius:4px;font-weight:600;white-space:nowrap}
.status.met{color:var(--met);background:var(--met-bg)}.status.late{color:var(--late);background:var(--late-bg)}.status.missed{color:var(--missed);background:var(--missed-bg)}
.sev{font-weight:700;text-transform:uppercase;font-size:.78rem}
.sev.high{color:var(--missed)}.sev.medium{color:var(--late)}.sev.low{color:var(--muted)}
.muted{color:var(--muted)}
.reason{color:var(--muted);font-size:.86rem}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.82rem;color:var(--muted)}
.kind{font-size:.78rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);white-space:nowrap}
.bad{color:var(--missed);font-weight:600}
ol.questions li{margin:.3rem 0}
ul li{margin:.2rem 0}
figure{margin:.5rem 0 1rem;overflow-x:auto}
figure svg{max-width:100%;height:auto}
figcaption{color:var(--muted);font-size:.85rem}
footer{margin-top:2.5rem;color:var(--muted);font-size:.8rem;border-top:1px solid var(--line);padding-top:.6rem}
@media print{
 @page{margin:14mm}
 body{font-size:10.5pt}
 main{max-width:none;padding:0}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 h2{break-before:auto}
 section{break-inside:auto}
 .verdict,figure,table.scores{break-inside:avoid}
 #scorecard>p:first-of-type{break-after:avoid}
 a{color:inherit;text-decoration:none}
}
"""


def _status(status: str, words: str | None = None) -> str:
    cls = status if status in ("met", "late", "missed") else ""
    return f'<span class="status {cls}">{h(words or status)}</span>'


def _badge(rating: str) -> str:
    r = rating if rating in RATING_WORDS else "U"
    return f'<span class="badge {r}" title="{h(RATING_WORDS[r])}">{r}</span>'


def _svg_text_fit(text: str, px: float, size: float = 12.0) -> str:
    """Shorten text to roughly fit px at a font size (full text stays in the timeline)."""
    room = max(4, int(px / (size * 0.56)))
    return text if len(text) <= room else text[: room - 1] + "…"


def _svg_text_lines(text: str, px: float, size: float = 12.0, lines: int = 2) -> list[str]:
    """Wrap text at spaces into at most `lines` lines that roughly fit px (the last one shortened if need be)."""
    room = max(4, int(px / (size * 0.56)))
    out: list[str] = []
    rest = text
    while rest and len(out) < lines - 1 and len(rest) > room:
        cut = rest.rfind(" ", 0, room + 1)
        if cut <= 0:
            break
        out.append(rest[:cut])
        rest = rest[cut + 1:]
    out.append(_svg_text_fit(rest, px, size))
    return out


def sequence_svg(o: Outline) -> str:
    """The communication sequence diagram as inline SVG: lifelines, one arrow per message."""
    msgs = o.messages[:MAX_DIAGRAM_MESSAGES]
    n = max(1, len(o.participants))
    left, top, row = 84, 92, 46
    col = max(150, min(330, 900 // n))  # seven lanes still fit a page at a readable size
    width = left + col * n + 10
    height = top + row * len(msgs) + 16
    xs = {(key, side): left + col * i + col // 2 for i, (key, _, side) in enumerate(o.participants)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'role="img" aria-label="Communication sequence diagram" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">']
    for (key, label, side) in o.participants:
        x = xs[(key, side)]
        fill = "#e8eef7" if side == "responder" else "#eef5ea"
        out.append(f'<line x1="{x}" y1="{top - 14}" x2="{x}" y2="{height - 6}" stroke="#b7bfca" stroke-dasharray="4 4"/>')
        out.append(f'<rect x="{x - col // 2 + 8}" y="8" width="{col - 16}" height="64" rx="5" fill="{fill}" stroke="#8d99a8"/>')
        # up to three lines, not one cut short: with many lanes "Head of compliance (…" says nothing on paper
        names = _svg_text_lines(label, col - 24, lines=3)
        first = 40 - 7 * len(names)
        out.append(f'<text x="{x}" y="{first}" text-anchor="middle" font-weight="600"><title>{h(label)}</title>'
                   + "".join(f'<tspan x="{x}" dy="{0 if k == 0 else 14}">{h(n)}</tspan>' for k, n in enumerate(names))
                   + "</text>")
        out.append(f'<text x="{x}" y="66" text-anchor="middle" font-size="10" fill="#5b6470">'
                   f'{"responder" if side == "responder" else "stakeholder"}</text>')
    for i, msg in enumerate(msgs):
        y = top + row * i + 20
        x1, x2 = xs[(msg.sender, "responder")], xs[(msg.to, "stakeholder")]
        colour = "#1e7b34" if msg.delivered else "#b3261e"
        dash = "" if msg.delivered else ' stroke-dasharray="6 4"'
        out.append(f'<text x="6" y="{y + 4}" fill="#5b6470">{h(msg.when)}</text>')
        out.append(f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{colour}" stroke-width="2"{dash}/>')
        d = 1 if x2 >= x1 else -1
        if msg.delivered:
            out.append(f'<polygon points="{x2},{y} {x2 - 9 * d},{y - 5} {x2 - 9 * d},{y + 5}" fill="{colour}"/>')
        else:
            out.append(f'<path d="M{x2 - 6},{y - 6} L{x2 + 6},{y + 6} M{x2 - 6},{y + 6} L{x2 + 6},{y - 6}" stroke="{colour}" stroke-width="2.5"/>')
        span = max(abs(x2 - x1), col) - 16
        mid = f"{(x1 + x2) / 2:g}"
        head = f"{msg.kind} by {msg.via}"  # delivered or not: the solid arrow, or the red line beneath
        out.append(f'<text x="{mid}" y="{y - 6}" text-anchor="middle" fill="{colour}" font-weight="600" paint-order="stroke" stroke="#fff" stroke-width="4">'
                   f'{h(_svg_text_fit(head, span, 12))}</text>')
        if not msg.delivered:
            why = f"not delivered: {msg.why or 'no reason recorded'}"
            out.append(f'<text x="{mid}" y="{y + 15}" text-anchor="middle" fill="{colour}" font-size="11" paint-order="stroke" stroke="#fff" stroke-width="4"><title>{h(why)}</title>'
                       f'{h(_svg_text_fit(why, span, 11))}</text>')
    out.append("</svg>")
    return "".join(out)


def html_head(title: str, css: str = "") -> str:
    """A self-contained page's head (no script may run: the CSP), up to the opening <main>."""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">', '<meta name="referrer" content="no-referrer">',
        f"<title>{h(title)}</title><style>{CSS}{css}</style></head><body><main>"])


def render_html(o: Outline) -> str:
    P: list[str] = []
    add = P.append
    add(html_head(o.title))
    add(f'<header><h1>{h(o.title)}</h1><p class="sub">What happened, how it scored, and what to settle with the candidate before signing.</p></header>')
    add(f'<section class="verdict {o.rating}" id="verdict"><div class="score">{o.overall:.2f}<small>of 100 · rated {o.rating}</small></div>'
        f"<p><strong>Verdict:</strong> {h(o.verdict)}</p></section>")
    add('<section class="glance" aria-label="At a glance">'
        + "".join(f'<div class="{k}"><b>{o.counts.get(k, 0)}</b>obligation{"" if o.counts.get(k, 0) == 1 else "s"} {k}</div>' for k in ("met", "late", "missed"))
        + f'<div class="{"missed" if o.serious else "met"}"><b>{o.serious}</b>serious finding{"s" if o.serious != 1 else ""}</div></section>')

    add('<section id="overview"><h2>Exercise overview</h2><table class="overview">')
    for k, v in o.overview:
        add(f"<tr><th>{h(k)}</th><td>{h(v)}</td></tr>")
    add("</table>")
    if o.summary:
        add(f"<p>{h(o.summary)}</p>")
    add("</section>")

    add('<section id="scorecard"><h2>Scorecard</h2>')
    add(f'<p><strong>Overall: {o.overall:.2f} / 100</strong> {_badge(o.rating)} {h(RATING_WORDS[o.rating])}</p>')
    add('<table class="scores"><thead><tr><th>Category</th><th>Score</th><th>HSEEP rating</th><th>Weight</th>'
        "<th>Obligations</th></tr></thead><tbody>")
    for c in o.categories:
        add(f'<tr><td>{h(c["name"])}</td><td class="num">{h(c["score"])}</td><td>{_badge(c["rating"])} {h(c["rating_words"])}</td>'
            f'<td class="num">{h(c["weight"])}</td><td class="num">{h(c["obligations"])}</td></tr>')
    add("</tbody></table>")
    add(f'<p class="muted">{h(RATING_NOTE)}</p>')
    add('<h3>Obligations</h3><table class="obligations"><thead><tr><th>Obligation</th><th>Due</th><th>Done</th>'
        "<th>Result</th><th>Credit</th></tr></thead><tbody>")
    for ob in o.obligations:
        ev = ", ".join(f'<a href="#e{int(s)}">#{int(s)}</a>' for s in ob["evidence"]) if o.has_transcript else ""
        add(f'<tr><td>{h(ob["label"])}<br><code>{h(ob["id"])}</code><div class="reason">{h(ob["why"])}'
            f'{" · evidence " + ev if ev else ""}</div></td>'
            f'<td class="nowrap">{h(ob["due"])}</td><td class="nowrap">{h(ob["done"])}</td>'
            f'<td>{_status(ob["status"])}{"<div class=reason>" + h(ob["detail"]) + "</div>" if ob["detail"] else ""}</td>'
            f'<td class="num">{h(ob["credit"])}</td></tr>')
    add("</tbody></table>")
    add('<h3>Headline metrics</h3><table class="metrics"><tbody>')
    for k, v in o.metrics:
        add(f'<tr><th>{h(k)}</th><td class="num">{h(v)}</td></tr>')
    add("</tbody></table></section>")

    add('<section id="communication"><h2>Communication</h2>')
    if o.messages:
        add('<figure>' + sequence_svg(o) + "<figcaption>Who told whom, when and on which channel: solid green arrows "
            "were delivered, dashed red arrows ending in a cross were not.")
        if len(o.messages) > MAX_DIAGRAM_MESSAGES:
            add(f" {len(o.messages) - MAX_DIAGRAM_MESSAGES} more messages are in the timeline.")
        add("</figcaption></figure>")
    else:
        add(f'<p>{"No messages were sent to stakeholders." if o.has_transcript else "No transcript was given."}</p>')
    add("</section>")

    add('<section id="strengths"><h2>Strengths</h2><ul>')
    add("".join(f"<li>{h(s)}</li>" for s in o.strengths) or "<li>None recorded.</li>")
    add('</ul></section><section id="improvement"><h2>Areas for improvement</h2><ul>')
    add("".join(f"<li>{h(s)}</li>" for s in o.areas) or "<li>None recorded.</li>")
    add("</ul></section>")

    add('<section id="plan"><h2>Improvement plan</h2>')
    if o.plan:
        add("<table><thead><tr><th>Finding</th><th>Corrective action</th><th>Owner</th><th>Due</th></tr></thead><tbody>")
        for p in o.plan:
            add(f'<tr><td><span class="sev {h(p["severity"])}">{h(p["severity"])}</span> {h(p["finding"])}</td>'
                f'<td>{h(p["action"])}</td><td>{h(p["owner"])}</td><td class="nowrap">{h(p["due"])}</td></tr>')
        add("</tbody></table>")
    else:
        add("<p>No findings: nothing to correct.</p>")
    add("</section>")

    add('<section id="promised"><h2>Promised vs delivered</h2>')
    if o.promised is None:
        add("<p>Not available without the transcript's embedded scenario and runbook.</p>")
    else:
        live = o.promised_live
        add("<p>" + ("What the runbook promises, what it guarantees when played as stated, and what the candidate did live."
                     if live else "What the runbook promises for this severity beside what its plan delivers on this night, "
                     "played as stated.") + "</p>")
        add("<table><thead><tr><th>Metric</th><th>Promised</th><th>As stated</th>" + ("<th>Live</th>" if live else "")
            + "<th>Promise</th></tr></thead><tbody>")
        for p in o.promised:
            kept = p["kept"]
            cls = "met" if kept == "kept" else ("missed" if kept == "broken" else "")
            add(f'<tr><td>{h(p["metric"])}</td><td class="num">{h(p["promised"])}</td><td class="num">{h(p["as_stated"])}</td>'
                + (f'<td class="num">{h(p["live"])}</td>' if live else "")
                + f'<td>{_status(cls, kept) if cls else h(kept)}</td></tr>')
        add("</tbody></table>")

    for rows, title, lead, cols in (
            (o.departures, "Where the answers departed from the runbook", "What the candidate said on the night beside "
             "what their written runbook says (channel, role, order, timing, reach).", ("aspect", "text")),
            (o.evaluations, "Evaluator's notes on the answers", "How sure the candidate was and whether the answer came "
             "from their written runbook or was improvised.", ("what", "candidate", "note"))):
        if not rows:
            continue
        heads = {"aspect": "Aspect", "text": "Departure", "what": "Answer", "candidate": "Candidate", "note": "Note"}
        add(f"<h3>{h(title)}</h3><p>{h(lead)}</p><table><thead><tr><th>#</th><th>Time</th>"
            + "".join(f"<th>{heads[c]}</th>" for c in cols) + "</tr></thead><tbody>")
        for d in rows:  # each row links to its event in the timeline
            add(f'<tr><td class="num"><a href="#e{int(d["seq"])}">{int(d["seq"])}</a></td><td class="nowrap">{h(d["when"])}</td>'
                + "".join(f"<td>{h(d[c])}</td>" for c in cols) + "</tr>")
        add("</tbody></table>")
    add("</section>")

    add('<section id="questions"><h2>Questions to put to the candidate before signing</h2>')
    if o.questions:
        add('<ol class="questions">' + "".join(f"<li>{h(q)}</li>" for q in o.questions) + "</ol>")
    else:
        add("<p>No findings raised questions.</p>")
    if o.scenario_questions:
        add("<h3>Questions the scenario raises</h3><ul>" + "".join(f"<li>{h(q)}</li>" for q in o.scenario_questions) + "</ul>")
    add("</section>")

    add('<section id="timeline"><h2>Timeline</h2>')
    if o.has_transcript:
        add('<table class="timeline"><thead><tr><th>#</th><th>Time</th><th>Elapsed</th><th>Kind</th><th>What happened</th>'
            "</tr></thead><tbody>")
        for t in o.timeline:
            text = h(t["text"])
            if "NOT delivered" in t["text"]:
                text = f'<span class="bad">{text}</span>'
            if t["withdrawn"]:
                text = f'<del>{text}</del> <span class="muted">({h(t["withdrawn"])})</span>'
            if t["after_horizon"]:
                text += ' <span class="muted">(after the end)</span>'
            add(f'<tr id="e{int(t["seq"])}"><td class="num">{int(t["seq"])}</td><td class="nowrap">{h(t["when"])}</td>'
                f'<td class="num">{h(t["elapsed"])}</td><td class="kind">{h(t["kind"])}</td><td>{text}</td></tr>')
        add("</tbody></table>")
    else:
        add("<p>No transcript was given, so there is no timeline.</p>")
    add("</section>")
    add("<footer>Generated by ttx from the transcript. Every time is local to the scenario's time zone. "
        "This file is self-contained and works offline.</footer>")
    add("</main></body></html>")
    return "\n".join(P) + "\n"


def render(played: Played, fmt: str) -> str:
    """The after-action report for a scorecard (and its transcript, when there is one)."""
    o = outline(played)
    if fmt == "md":
        return render_md(o)
    if fmt == "html":
        return render_html(o)
    raise ValueError(f"unknown report format {fmt!r}")
