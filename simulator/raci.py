"""A RACI chart from a runbook: who is Responsible, Accountable, Consulted and Informed for incident
command, each communication rule and each playbook task and decision. Pure: a chart from a model,
and the chart as Markdown, HTML or CSV text.

Reading the runbook as buyers are told to before signing:
- incident command: R is the first role filling incident_commander, A the same role (the runbook
  names no one above it), C the roles escalation brings in, I the client's IT lead;
- a communication rule: R its author (`by`), A the incident commander, I its recipients;
- a task: R its `by` role, A the incident commander, C the security lead for security playbooks;
- a decision: A (and R) its owner (`by`: a role or a client stakeholder), C the incident commander.
"""

from __future__ import annotations

import csv
import io

from scoring.markup import Col, cards_table, h, html_head, md, md_table

from . import model as m
from .record import record
from .textsafe import csv_cell
from .wording import Names, when_words


@record
class Line:
    activity: str
    kind: str  # command | communication | task | decision
    playbook: str
    responsible: tuple[str, ...]
    accountable: tuple[str, ...]
    consulted: tuple[str, ...]
    informed: tuple[str, ...]


@record
class Chart:
    runbook: str
    provider: str
    lines: tuple[Line, ...]


def _first_filling(rb: m.Runbook, function: str) -> str | None:
    return next((rid for rid, r in rb.roles.items() if function in r.fills), None)


def _role(rb: m.Runbook, who: str | None) -> str:
    """A role id as 'Name (id)'; a stakeholder or function as written."""
    if who is None:
        return "nobody"
    return Names(runbook=rb)(who) if who in rb.roles else who


def _doer(rb: m.Runbook, who: str | None) -> tuple[str, ...]:
    """A doing role, then its backup (who stands in when it does not answer)."""
    r = rb.roles.get(who or "")
    return (_role(rb, who),) + ((f"backup: {_role(rb, r.backup)}",) if r is not None and r.backup else ())


def chart(rb: m.Runbook) -> Chart:
    ic = _first_filling(rb, "incident_commander")
    sec = _first_filling(rb, "security_lead")
    icn = _role(rb, ic)
    lines: list[Line] = []
    escalated = tuple(dict.fromkeys(_role(rb, e.to) for e in rb.escalation if e.to != ic))
    lines.append(Line("Incident command", "command", "", _doer(rb, ic), (icn,), escalated, ("client_it_lead",)))
    first = _first_filling(rb, "first_responder")
    lines.append(Line("First response (acknowledge, declare)", "command", "", _doer(rb, first), (icn,), (), ()))
    for source, role in sorted(getattr(rb, "intake", {}).items()):  # v1.1 `intake`: who sees each alert first
        lines.append(Line(f"First response to {source} alerts", "command", "", _doer(rb, role), (icn,), (), ()))
    for c in rb.communication:
        what = f"{c.kind.capitalize()} {', '.join(c.stakeholders)} by {'/'.join(c.via)}"
        start = when_words(c.when)
        when = (f"within {c.within} of {start}" if c.within else f"on {start}") + (f", then every {c.every}" if c.every else "")
        author = _role(rb, c.by) if c.by in rb.roles else _role(rb, _first_filling(rb, c.by) or c.by)
        lines.append(Line(f"{what} ({when})", "communication", "", (author,), (icn,), (), tuple(c.stakeholders)))
    for name, steps in rb.playbooks.items():
        for s in steps:
            doer = _role(rb, s.by)
            if s.kind == "decide":
                lines.append(Line(s.task, "decision", name, (doer,), (doer,), (icn,) if doer != icn else (), ()))
            else:
                consulted = (_role(rb, sec),) if sec and sec != s.by and name in _SECURITY else ()
                lines.append(Line(s.task, "task", name, _doer(rb, s.by), (icn,), consulted, ()))
    return Chart(rb.id, rb.provider, tuple(lines))


_SECURITY = {"ransomware", "bec", "account-takeover", "data-breach", "insider-access", "dns-hijack", "cloud-compromise"}
_HEAD = ("Activity", "Kind", "Playbook", "Responsible", "Accountable", "Consulted", "Informed")
LEAD = "R responsible, A accountable, C consulted, I informed; drawn from the runbook as written."


def _cells(line: Line) -> tuple[str, ...]:
    return (line.activity, line.kind, line.playbook, *("; ".join(x) for x in
            (line.responsible, line.accountable, line.consulted, line.informed)))


def to_csv(c: Chart) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(_HEAD)
    w.writerows([csv_cell(v) for v in _cells(x)] for x in c.lines)
    return buf.getvalue()


def to_markdown(c: Chart) -> str:
    out = [f"# RACI: {md(c.provider)} ({md(c.runbook)})", "", LEAD, "", *md_table(list(_HEAD), [[md(x) for x in _cells(line)] for line in c.lines])]
    return "\n".join(out) + "\n"


# The reports' page and style; on a phone each activity becomes a card named in bold, its letters labelled
# (markup's `cards`); the phone rule gives the card its full width back (this 34% comes later and would win).
RACI_CSS = """
table.raci td:first-child{width:34%}
table.raci .tag{font-size:.75rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
@media (max-width:40rem){table.raci td:first-child{width:auto}}
"""
_LETTERS = ("Responsible", "Accountable", "Consulted", "Informed")


def _section(lines: list[Line]) -> str:
    rows = [[h(x.activity) + (f' <span class="tag">{h(x.kind)}</span>' if x.kind == "decision" else "")]
            + [h("; ".join(v)) for v in (x.responsible, x.accountable, x.consulted, x.informed)] for x in lines]
    return cards_table("raci", [Col("Activity", label=False)] + [Col(k) for k in _LETTERS], rows)


def to_html(c: Chart) -> str:
    """The chart by part of the response: command, communication, then each playbook's tasks and decisions."""
    title = f"RACI: {c.provider} ({c.runbook})"
    parts = [html_head(title, RACI_CSS), f'<header><h1>{h(title)}</h1><p class="sub">{h(LEAD)}</p></header>']
    groups: dict[str, list[Line]] = {}
    for x in c.lines:
        name = {"command": "Incident command", "communication": "Communication"}.get(x.kind, f"Playbook: {x.playbook}")
        groups.setdefault(name, []).append(x)
    for name, lines in groups.items():
        parts += [f"<section><h2>{h(name)}</h2>", _section(lines), "</section>"]
    parts += ["<footer>Generated by ttx from the runbook. This file is self-contained and works offline.</footer>",
              "</main></body></html>"]
    return "\n".join(parts) + "\n"
