"""The after-action report as one self-contained HTML file: the outline's sections, the communication
as an inline SVG sequence diagram, the shared style (`markup.CSS`) and no script."""

from __future__ import annotations

from .markup import Col, Row, badge, cards_table, h, html_head, status_badge
from .outline import MAX_DIAGRAM_MESSAGES, RATING_NOTE, TIMELINE_ORDER, Outline
from .rubric import RATING_WORDS


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



def sequence_list(o: Outline) -> str:
    """The diagram's messages for a phone: one line each, time, sender → recipient, kind and channel, and whether it
    arrived (in words and colour, the diagram's green and red)."""
    items = []
    for msg in o.messages[:MAX_DIAGRAM_MESSAGES]:
        fate = "delivered" if msg.delivered else f"not delivered: {msg.why or 'no reason recorded'}"
        items.append(f'<li class="{"met" if msg.delivered else "missed"}"><span class="when">{h(msg.when)}</span> '
                     f"<b>{h(msg.sender_label)}</b> → <b>{h(msg.to_label)}</b><br>{h(msg.kind)} by {h(msg.via)}: "
                     f'<span class="fate">{h(fate)}</span></li>')
    return '<ol class="phone seq">' + "".join(items) + "</ol>"


def render_html(o: Outline) -> str:
    P: list[str] = []
    add = P.append
    add(html_head(o.title))
    add(f'<header><h1>{h(o.title)}</h1><p class="sub">What happened, how it scored, and what to settle with the candidate before signing.</p></header>')
    score = f"—<small>{h(o.nothing_due)}</small>" if o.nothing_due else f"{o.overall:.2f}<small>of 100 · rated {o.rating}</small>"
    add(f'<section class="verdict {o.rating}" id="verdict"><div class="score">{score}</div>'
        f"<p><strong>Verdict:</strong> {h(o.verdict)}</p></section>")
    add('<section class="glance" aria-label="At a glance">'
        + "".join(f'<div class="{k}"><b>{o.counts.get(k, 0)}</b>obligation{"" if o.counts.get(k, 0) == 1 else "s"} {k}</div>' for k in ("met", "late", "missed"))
        # stopped early: what the stop left open is counted beside them, not silently dropped
        + (f'<div class="open"><b>{o.open_at_stop}</b>open: {h(o.open_words)}</div>' if o.open_at_stop else "")
        + f'<div class="{"missed" if o.serious else "met"}"><b>{o.serious}</b>serious finding{"s" if o.serious != 1 else ""}</div></section>')

    add('<section id="overview"><h2>Exercise overview</h2><table class="overview">')
    for k, v in o.overview:
        add(f"<tr><th>{h(k)}</th><td>{h(v)}</td></tr>")
    add("</table>")
    if o.summary:
        add(f"<p>{h(o.summary)}</p>")
    add("</section>")

    add('<section id="scorecard"><h2>Scorecard</h2>')
    add(f'<p><strong>Overall: {o.overall:.2f} / 100</strong> {badge(o.rating)} {h(RATING_WORDS[o.rating])}</p>')
    add(cards_table("scores", [Col("Category", label=False), Col("Score", "num"), Col("HSEEP rating"), Col("Weight", "num"),
                               Col("Obligations", "num")],
                    [[h(c["name"]), h(c["score"]), f'{badge(c["rating"])} {h(c["rating_words"])}', h(c["weight"]), h(c["obligations"])]
                     for c in o.categories]))
    add(f'<p class="muted">{h(RATING_NOTE)}</p>')
    obligations = []
    for ob in o.obligations:
        ev = ", ".join(f'<a href="#e{int(s)}">#{int(s)}</a>' for s in ob["evidence"]) if o.has_transcript else ""
        obligations.append([f'{h(ob["label"])}<br><code>{h(ob["id"])}</code><div class="reason">{h(ob["why"])}{" · evidence " + ev if ev else ""}</div>',
                     h(ob["due"]), h(ob["done"]),
                     status_badge(ob["status"]) + ("<div class=reason>" + h(ob["detail"]) + "</div>" if ob["detail"] else ""), h(ob["credit"])])
    add("<h3>Obligations</h3>" + cards_table("obligations", [Col("Obligation", label=False), Col("Due", "nowrap"), Col("Done", "nowrap"),
                                                             Col("Result"), Col("Credit", "num")], obligations))
    add('<h3>Headline metrics</h3><table class="metrics"><tbody>')
    for k, v in o.metrics:
        add(f'<tr><th>{h(k)}</th><td class="num">{h(v)}</td></tr>')
    add("</tbody></table></section>")

    add('<section id="communication"><h2>Communication</h2>')
    if o.messages:
        # the diagram on a screen and on paper; on a phone, where a lane or two fit across, the same messages as a list
        # that says who told whom in words (markup's .wide-only/.phone: CSS picks, no script)
        more = len(o.messages) - MAX_DIAGRAM_MESSAGES
        add('<figure class="seq"><div class="wide-only">' + sequence_svg(o) + "</div>" + sequence_list(o)
            + '<figcaption>Who told whom, when and on which channel<span class="wide-only">: solid green arrows were delivered, '
            "dashed red arrows ending in a cross were not</span>." + (f" {more} more messages are in the timeline." if more > 0 else "")
            + "</figcaption></figure>")
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
        add(cards_table("plan", [Col("Finding", label=False), Col("Corrective action"), Col("Owner"), Col("Due", "nowrap")],
                        [[f'<span class="sev {h(p["severity"])}">{h(p["severity"])}</span> {h(p["finding"])}', h(p["action"]), h(p["owner"]),
                          h(p["due"])] for p in o.plan]))
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
        promised = []
        for p in o.promised:
            kept = p["kept"]
            cls = "met" if kept == "kept" else ("missed" if kept == "broken" else "")
            promised.append([h(p["metric"]), h(p["promised"]), h(p["as_stated"])] + ([h(p["live"])] if live else [])
                        + [status_badge(cls, kept) if cls else h(kept)])
        add(cards_table("promised", [Col("Metric", label=False), Col("Promised", "num"), Col("As stated", "num")]
                        + ([Col("Live", "num")] if live else []) + [Col("Promise")], promised))

    for rows, title, lead, cols in (
            (o.departures, "Where the answers departed from the runbook", "What the candidate said on the night beside "
             "what their written runbook says (channel, role, order, timing, reach).", ("aspect", "text")),
            (o.evaluations, "Evaluator's notes on the answers", "How sure the candidate was and whether the answer came "
             "from their written runbook or was improvised.", ("what", "candidate", "note"))):
        if not rows:
            continue
        heads = {"aspect": "Aspect", "text": "Departure", "what": "Answer", "candidate": "Candidate", "note": "Note"}
        add(f"<h3>{h(title)}</h3><p>{h(lead)}</p>" + cards_table(
            "", [Col("#", "num inline", label=False), Col("Time", "nowrap inline", label=False)] + [Col(heads[c]) for c in cols],
            # each row links to its event in the timeline
            [[f'<a href="#e{int(d["seq"])}">{int(d["seq"])}</a>', h(d["when"])] + [h(d[c]) for c in cols] for d in rows]))
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
        if o.timeline_reordered:
            add(f'<p class="muted">{h(TIMELINE_ORDER)}</p>')
        timeline = []
        for t in o.timeline:
            text = h(t["text"])
            if "NOT delivered" in t["text"]:
                text = f'<span class="bad">{text}</span>'
            if t["withdrawn"]:
                text = f'<del>{text}</del> <span class="muted">({h(t["withdrawn"])})</span>'
            if t["after_horizon"]:
                text += ' <span class="muted">(after the end)</span>'
            timeline.append(Row([str(int(t["seq"])), h(t["when"]), h(t["elapsed"]), h(t["kind"]), text], id=f'e{int(t["seq"])}'))
        add(cards_table("timeline", [Col("#", "num inline", label=False), Col("Time", "nowrap inline", label=False),
                                     Col("Elapsed", "num inline", label=False), Col("Kind", "kind inline", label=False),
                                     Col("What happened", label=False)], timeline))
    else:
        add("<p>No transcript was given, so there is no timeline.</p>")
    add("</section>")
    add("<footer>Generated by ttx from the transcript. Every time is local to the scenario's time zone. "
        "This file is self-contained and works offline.</footer>")
    add("</main></body></html>")
    return "\n".join(P) + "\n"
