"""What the after-action report says (SPEC section 9), as plain data: one outline that the Markdown
and HTML renderers both draw, so the two formats say the same things. Its text is still untrusted;
the renderers escape it. Output is deterministic: no wall-clock time except what the transcript holds.
"""

from __future__ import annotations

from typing import Any

import attrs

from simulator.events import EVALUATION, HOTWASH, live_events
from simulator.record import record
from simulator.textsafe import clip
from simulator.timing import format_span
from simulator.wording import Names, event_kind, event_line, metric_words, obligation_words, reason_words

from .played import Played
from .promised import promises
from .rubric import RATING_WORDS
from .scorecard import Scorecard
from .text import metric_rows

# Improvement-plan due dates, by finding severity (documented in docs/reports.md).
PLAN_DUE = {"high": "before signing", "medium": "before go-live", "low": "at the first quarterly review"}
MAX_DIAGRAM_MESSAGES = 80
RATING_NOTE = ("HSEEP ratings: P performed without challenges, S with some challenges, M with major challenges, "
               "U unable to be performed (by default P from 90, S from 70, M from 40; a rubric file may change these).")
TIMELINE_ORDER = ("In the order things happened on the scenario's clock; # is the order each line was recorded in "
                  "(the candidate's account ran ahead of the clock).")
CATEGORY_WORDS = {"sla": "Service levels (SLA)", "communication": "Communication", "response": "Response"}


# --- the outline: what the report says, as plain (still untrusted) text -------------------------


@record
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
    timeline: list[dict[str, Any]]  # in simulated-time order; `seq` is the order each line was recorded in
    timeline_reordered: bool  # a live account ran ahead of the clock: the timeline's order is not the transcript's
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
    nothing_due: str = ""  # no score: stopped before anything fell due ("nothing due yet at Sat 02:07")
    open_at_stop: int = 0  # obligations left open by a facilitator's stop (0 when the exercise ran to its horizon)
    open_words: str = ""  # what `open` means here ("due after the stop, not scored"), as the verdict says it


def _span(seconds: int | None) -> str:
    return "—" if seconds is None else format_span(seconds)


def _verdict(card: Scorecard, counts: dict[str, int], high: int) -> str:
    subject = "The response in this live exercise" if card.mode == "live" else "The runbook as written"
    total = sum(counts.get(k, 0) for k in ("met", "late", "missed"))  # the scored ones
    nothing = card.nothing_due()
    if nothing:
        return f"Nothing to judge yet: {nothing}, so there is no score."
    if total == 0:
        return "Nothing to judge: no obligation of this scenario applied, so there is no score."
    tally = f"{counts['met']} of {total} obligations met on time, {counts['late']} late, {counts['missed']} missed"
    if counts.get("open"):
        tally += f"; {counts['open']} open ({_open_words(card)})"
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


def _open_words(card: Scorecard) -> str:
    """What `open` means on this card, in the verdict's tally, on each open row and in the HTML's count: due after the
    facilitator's stop (or, running, not due yet), else due after the horizon."""
    if card.stopped is None:
        return "due after the exercise ends, not scored"
    return "not due yet, not scored" if card.running else "due after the stop, not scored"


def _status_words(r: Any, card: Scorecard) -> str:
    if r.owner:
        return f"{r.status} (the client's own duty, not scored)"
    if r.status == "open":
        return f"open ({_open_words(card)})"
    if not r.windows:
        return r.status
    counts = r.window_counts()
    judged = sum(counts.values())  # the windows after a stop are open: not judged, not counted
    later = "; later ones open" if judged < len(r.windows) else ""
    if len(counts) == 1:
        return f"{r.status} (all {judged} updates{later})" if judged > 1 else f"{r.status} ({later[2:]})" if later else r.status
    parts = [f"{v} {k}" for k, v in counts.items()]
    return f"{r.status} ({', '.join(parts)} of {judged} updates{later})"


def _promised(card: Scorecard, pair: Any, stated: Scorecard | None, who: Names) -> tuple[list[dict[str, str]] | None, bool]:
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
        # the report's words for the metric, as its headline metrics say it (the board's narrow column has `p.label`)
        rows.append({"metric": metric_words(p.kind, p.subject, who), "promised": p.promised, "as_stated": _span(p.as_stated),
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
    who = Names(played.scenario, played.runbook) if pair is not None else Names()
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
        *([stop] if (stop := card.stop_note()) is not None else []),
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
            "id": r.id, "label": obligation_words(r.kind, r.target, who), "category": r.category, "status": r.status,
            "status_words": _status_words(r, card), "detail": _status_words(r, card)[len(r.status):].strip(" ()"),
            "scored": r.scored,
            "due": "cannot be measured" if r.due is None else f"{clock.label(r.due)} (+{format_span(r.due)})",
            "done": "—" if r.done_at is None else f"{clock.label(r.done_at)} (+{format_span(r.done_at)})",
            "credit": f"{r.credit:.2f}" if r.scored else "—", "reason": r.reason, "why": reason_words(r.kind, r.target, r.reason), "evidence": list(r.evidence),
        })

    m = card.metrics
    metrics = metric_rows(m, who)
    metrics.append(("Notifications on time", f"{m.notifications_on_time} of {m.notifications_due}"))

    timeline: list[dict[str, Any]] = []
    messages: list[Message] = []
    if events is not None:
        # every event, so the numbering never jumps: withdrawn ones say so (and by which correction)
        withdrawn = {e.get("target"): e for e in events if e.type == "retract"}
        # in the order things happened: "he calls back at 02:40" was typed before "we revoke at 02:20"
        for e in sorted(events, key=lambda e: (e.t, e.seq)):
            kind, text = event_kind(e), event_line(e, clock, who)
            gone = withdrawn.get(e.seq)
            timeline.append({"seq": e.seq, "when": clock.label(e.t), "elapsed": f"+{format_span(e.t)}" if e.t else "+0m",
                             "kind": kind, "text": clip(text), "after_horizon": e.t > card.horizon,
                             "withdrawn": "" if gone is None else f"withdrawn by #{gone.seq}"
                             + (f", {gone.get('why')}" if gone.get("why") else "")})
            if e.type in ("notify", "update") and e.t <= card.horizon and gone is None:
                by = str(e.get("by") or "")
                to = str(e.get("stakeholder") or "")
                messages.append(Message(e.seq, e.t, clock.label(e.t), e.type, by, who(by),
                                        to, who(to), str(e.get("via") or ""), bool(e.get("delivered")),
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
                evaluations.append({"seq": str(e.seq), "when": clock.label(e.t), "what": event_line(e, clock, who),
                                    "candidate": ", ".join(str(e.get(k)) for k in ("confidence", "basis") if e.get(k)),
                                    "note": str(e.get("eval_note") or "")})
    strengths, areas = hotwash["strength"] + strengths, hotwash["improvement"] + areas  # the room's judgement first
    promised, promised_live = _promised(card, pair, played.stated, who)
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
        timeline_reordered=[t["seq"] for t in timeline] != sorted(t["seq"] for t in timeline),
        messages=messages, participants=participants, strengths=strengths, areas=areas, plan=plan,
        promised=promised, promised_live=promised_live, questions=questions, scenario_questions=scenario_questions,
        has_transcript=events is not None, counts=counts, serious=high, departures=flags, evaluations=evaluations,
        nothing_due=card.nothing_due(), open_at_stop=counts["open"] if card.stopped is not None else 0,
        open_words=_open_words(card),
    )

