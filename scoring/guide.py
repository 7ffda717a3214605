"""The facilitator guide for a scenario (`ttx export SCENARIO --format guide`), as CISA's situation manuals do it.

One self-contained, printable HTML page: the situation, the MSEL (master scenario
events list) with local times, and for each inject the questions to put to the
candidate and what a good answer contains, drawn from the inject's obligations.
Pure: it takes a loaded scenario and returns text. Every string from the file is
escaped (`markup.h`); the page runs no script (the reports' Content-Security-Policy).
"""

from __future__ import annotations

from simulator import model as m
from simulator.timing import format_span
from simulator.wording import Names, action_words, curveball_words

from .markup import Col, cards_table, h, html_head

GUIDE_CSS = """
.msel td.when{white-space:nowrap}
.inject{border:1px solid var(--line);border-radius:6px;padding:.6rem 1rem;margin:0 0 1rem;break-inside:avoid}
.inject h3{margin:.2rem 0 .4rem}
.inject blockquote{margin:.3rem 0 .6rem;padding:.4rem .8rem;background:var(--soft);border-left:4px solid var(--line)}
.cond{color:var(--late);font-weight:600}
.notes{height:6.6rem;background:repeating-linear-gradient(transparent 0 2.1rem,var(--line) 2.1rem 2.2rem)}
"""


def _window(w: m.Window | None, what: str) -> str:
    if w is None:
        return ""
    if isinstance(w, m.SlaRef):
        return f" {what} the runbook's {w.metric} promise ({w})"
    return f" {what} {w}"


def good_answer(sc: m.Scenario, o: m.Obligation) -> str:
    """One sentence a facilitator can check the candidate's answer against."""
    who = Names(sc)  # people named as the reports name them
    within = _window(o.within, "within")
    if o.kind == "acknowledge":
        text = f"Someone acknowledges the alert and declares the incident{within}"
    elif o.kind == "engage":
        text = f"They name who fills {str(o.target).replace('_', ' ')} and page them{within}"
    elif o.kind == "notify":
        sh = sc.stakeholders.get(o.target or "")
        via = o.via or (sh.channels if sh else ())
        text = f"They tell {who(o.target)}{within}" + (f", by {' or '.join(via)}" if via else "")
    elif o.kind == "update":
        text = f"They keep {who(o.target)} updated" + _window(o.every, "every") + \
            (f", by {' or '.join(o.via)}" if o.via else "")
    elif o.kind == "act":
        text = f"They do {o.target}{within}"
    elif o.kind == "decide":
        text = f"They bring the decision {o.target} to its owner{within}"
    else:
        text = f"Service is restored{within}"
    if o.by:
        text += f"; it is {who(o.by)}'s to {'decide' if o.kind == 'decide' else 'do'}"
    if o.before:
        text += f"; before {action_words(o.before.kind, o.before.target, who)}"
    return text + "."


def render_guide(sc: m.Scenario) -> str:
    clock = sc.clock()  # the engine's: an inject `at: 1bd` skips the scenario's public holidays
    horizon = clock.after(0, sc.horizon)
    title = f"Facilitator guide: {sc.title}"
    P: list[str] = []
    add = P.append
    add(html_head(title, GUIDE_CSS))
    add(f'<header><h1>{h(title)}</h1><p class="sub">For the facilitator only: read each inject aloud at its time, '
        "ask its questions, and record what the candidate says they would do.</p></header>")

    start = clock.local(0)
    add('<section id="situation"><h2>Situation</h2><table class="overview">')
    rows = [("Scenario", f"{sc.title} ({sc.id})"), ("Severity", sc.severity),
            ("Starts", f"{start.strftime('%A %d %B %Y %H:%M')} {start.tzname() or ''} ({sc.timezone})"),
            ("Ends (horizon)", f"{clock.label(horizon, with_date=True)} ({format_span(horizon)} later)")]
    if sc.playbook:
        rows.append(("Runbook playbook", sc.playbook))
    if sc.resolution:
        rows.append(("Service is back", f"{sc.resolution.takes} after {', '.join(sc.resolution.after)} are done"))
    for k, v in rows:
        add(f"<tr><th>{h(k)}</th><td>{h(v)}</td></tr>")
    add("</table>")
    if sc.summary:
        add(f"<p>{h(sc.summary)}</p>")
    if sc.tests:
        add(f"<p><strong>What it tests:</strong> {h(sc.tests)}</p>")
    if sc.norms:
        add("<p><strong>Rests on:</strong> " + "; ".join(h(n) for n in sc.norms) + "</p>")
    if sc.stakeholders:
        add("<h3>Stakeholders</h3><table><thead><tr><th>Who</th><th>Takes</th></tr></thead><tbody>")
        for key, st in sc.stakeholders.items():
            add(f"<tr><td>{h(Names(sc)(key))}</td><td>{h(', '.join(st.channels) or '—')}</td></tr>")
        add("</tbody></table>")
    add("</section>")

    # the MSEL: injects and curveballs in time order, curveballs first at the same instant (as played)
    items: list[tuple[int, int, str, str, str]] = []
    for cb in sc.curveballs:
        t = clock.after(0, cb.at)
        text = curveball_words(cb, Names(sc)) + ("" if cb.for_ else " (until the end)")
        items.append((t, 0, "curveball", cb.id or "", text))
    for inj in sc.injects:
        cond = ""
        if inj.when:
            cond = f"only if {inj.when.not_done} is not done yet" if inj.when.not_done else f"only if {inj.when.done} is done"
        items.append((clock.after(0, inj.at), 1, "inject", inj.id, inj.message + (f" [{cond}]" if cond else "")))
    items.sort(key=lambda x: (x[0], x[1]))
    add('<section id="msel"><h2>Master scenario events list (MSEL)</h2>')
    add(cards_table("msel", [Col("Time", "when inline", label=False), Col("Elapsed", "num inline", label=False),
                             Col("Kind", "kind inline", label=False), Col("Event", label=False)],
                    [[h(clock.label(t)), f"+{h(format_span(t))}", h(kind), (f"<strong>{h(key)}</strong>: " if kind == "inject" else "") + h(text)]
                     for t, _, kind, key, text in items]) + "</section>")

    add('<section id="injects"><h2>Injects: what to ask, what a good answer contains</h2>')
    for inj in sc.injects:
        t = clock.after(0, inj.at)
        add(f'<div class="inject" id="inject-{h(inj.id)}"><h3>{h(clock.label(t))} (+{h(format_span(t))}) · {h(inj.id)}</h3>')
        if inj.when:
            cond = f"Read it only if {inj.when.not_done} is not done by then." if inj.when.not_done else \
                f"Read it only if {inj.when.done} is done by then."
            add(f'<p class="cond">{h(cond)}</p>')
        src = f" <span class=\"muted\">from {h(inj.source)}</span>" if inj.source else ""
        add(f"<blockquote>{h(inj.message)}{src}</blockquote>")
        if inj.questions:
            add("<p><strong>Ask the candidate</strong></p><ol>" + "".join(f"<li>{h(q)}</li>" for q in inj.questions) + "</ol>")
        if inj.expects:
            add("<p><strong>A good answer</strong></p><ul>"
                + "".join(f"<li>{h(good_answer(sc, o))} <code>{h(o.id)}</code></li>" for o in inj.expects) + "</ul>")
        add('<p class="muted">Notes</p><div class="notes"></div></div>')
    add("</section>")
    add("<footer>Generated by ttx from the scenario file. Every time is local to the scenario's time zone. "
        "This file is self-contained and works offline.</footer>")
    add("</main></body></html>")
    return "\n".join(P) + "\n"
