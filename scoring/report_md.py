"""The after-action report as Markdown: the outline's sections as headings and tables, the
communication as a Mermaid sequence diagram (labels through `mermaid_text`)."""

from __future__ import annotations

from .markup import code_span, md, md_table, mermaid_text
from .outline import MAX_DIAGRAM_MESSAGES, RATING_NOTE, TIMELINE_ORDER, Outline
from .rubric import RATING_WORDS


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
    L += md_table(["Exercise", "Detail"], [[f"**{md(k)}**", md(v)] for k, v in o.overview])
    if o.summary:
        L += ["", f"> {md(o.summary)}"]
    overall = f"**Overall: — ({md(o.nothing_due)})**" if o.nothing_due else \
        f"**Overall: {o.overall:.2f} / 100 — {o.rating}: {md(RATING_WORDS[o.rating])}**"
    L += ["", "## Scorecard", "", overall, ""]
    L += md_table(["Category", "Score", "HSEEP rating", "Weight", "Obligations"],
                   [[md(c["name"]), c["score"], f"{c['rating']} ({md(c['rating_words'])})", c["weight"], c["obligations"]]
                    for c in o.categories])
    L += ["", RATING_NOTE, "", "### Obligations", ""]
    L += md_table(["Obligation", "Due", "Done", "Result", "Credit", "Why"],
                   [[f"{md(ob['label'])} (`{code_span(ob['id'])}`)", md(ob["due"]), md(ob["done"]),
                     f"**{md(ob['status_words'])}**", ob["credit"], md(ob["why"])] for ob in o.obligations])
    L += ["", "### Headline metrics", ""]
    L += md_table(["Metric", "Value"], [[md(k), md(v)] for k, v in o.metrics])
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
        L += md_table(["Finding", "Corrective action", "Owner", "Due"],
                       [[f"**{p['severity']}**: {md(p['finding'])}", md(p["action"]), md(p["owner"]), md(p["due"])] for p in o.plan])
    else:
        L.append("No findings: nothing to correct.")
    L += ["", "## Promised vs delivered", ""]
    if o.promised is None:
        L.append("Not available without the transcript's embedded scenario and runbook.")
    else:
        if o.promised_live:
            L += ["What the runbook promises, what it guarantees when played as stated, and what the candidate did live.", ""]
            L += md_table(["Metric", "Promised", "As stated", "Live", "Promise"],
                           [[md(p["metric"]), md(p["promised"]), md(p["as_stated"]), md(p["live"]), p["kept"]] for p in o.promised])
        else:
            L += ["What the runbook promises for this severity beside what its plan delivers on this night, played as stated.", ""]
            L += md_table(["Metric", "Promised", "As stated", "Promise"],
                           [[md(p["metric"]), md(p["promised"]), md(p["as_stated"]), p["kept"]] for p in o.promised])
    if o.departures:
        L += ["", "### Where the answers departed from the runbook", "",
              "What the candidate said on the night beside what their written runbook says (channel, role, order, timing, reach).", ""]
        L += md_table(["#", "Time", "Aspect", "Departure"], [[d["seq"], md(d["when"]), d["aspect"], md(d["text"])] for d in o.departures])
    if o.evaluations:
        L += ["", "### Evaluator's notes on the answers", "",
              "How sure the candidate was and whether the answer came from their written runbook or was improvised.", ""]
        L += md_table(["#", "Time", "Answer", "Candidate", "Note"],
                       [[d["seq"], md(d["when"]), md(d["what"]), md(d["candidate"]), md(d["note"])] for d in o.evaluations])
    L += ["", "## Questions to put to the candidate before signing", ""]
    L += [f"{i}. {md(q)}" for i, q in enumerate(o.questions, 1)] or ["No findings raised questions."]
    if o.scenario_questions:
        L += ["", "### Questions the scenario raises", ""]
        L += [f"- {md(q)}" for q in o.scenario_questions]
    L += ["", "## Timeline", ""]
    if o.has_transcript:
        L += [f"_{md(TIMELINE_ORDER)}_", ""] if o.timeline_reordered else []
        L += md_table(["#", "Time", "Elapsed", "What happened"],
                       [[str(t["seq"]), md(t["when"]), t["elapsed"],
                         (f"~~{md(t['text'])}~~ _({md(t['withdrawn'])})_" if t["withdrawn"] else md(t["text"]))
                         + (" _(after the end)_" if t["after_horizon"] else "")]
                        for t in o.timeline])
    else:
        L.append("No transcript was given, so there is no timeline.")
    L += ["", "---", "", "_Generated by ttx from the transcript; every time is local to the scenario's time zone._"]
    return "\n".join(L) + "\n"

