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
import html
import io

import attrs

from . import model as m
from .textsafe import csv_cell, plain


@attrs.frozen
class Line:
    activity: str
    kind: str  # command | communication | task | decision
    playbook: str
    responsible: tuple[str, ...]
    accountable: tuple[str, ...]
    consulted: tuple[str, ...]
    informed: tuple[str, ...]


@attrs.frozen
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
    r = rb.roles.get(who)
    return f"{r.name} ({who})" if r is not None else who


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
        what = f"{c.kind} {', '.join(c.stakeholders)} via {'/'.join(c.via)}"
        when = f"{c.when}" + (f" + {c.within}" if c.within else "") + (f" every {c.every}" if c.every else "")
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


def _cells(line: Line) -> tuple[str, ...]:
    return (line.activity, line.kind, line.playbook, *("; ".join(x) for x in
            (line.responsible, line.accountable, line.consulted, line.informed)))


def to_csv(c: Chart) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(_HEAD)
    w.writerows([csv_cell(v) for v in _cells(x)] for x in c.lines)
    return buf.getvalue()


def _md(text: str) -> str:
    # shown literally: Markdown and HTML in file text never take effect in the chart
    text = plain(text)
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def to_markdown(c: Chart) -> str:
    out = [f"# RACI: {_md(c.provider)} ({_md(c.runbook)})", "",
           "R responsible, A accountable, C consulted, I informed; drawn from the runbook as written.", "",
           "| " + " | ".join(_HEAD) + " |", "|" + " --- |" * len(_HEAD)]
    out += ["| " + " | ".join(_md(x) for x in _cells(line)) + " |" for line in c.lines]
    return "\n".join(out) + "\n"


def to_html(c: Chart) -> str:
    def e(text: str) -> str:
        return html.escape(plain(text), quote=True)

    rows = "\n".join("<tr>" + "".join(f"<td>{e(x)}</td>" for x in _cells(line)) + "</tr>" for line in c.lines)
    head = "".join(f"<th>{e(h)}</th>" for h in _HEAD)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>RACI: {e(c.provider)}</title><style>body{{font-family:sans-serif;margin:2em}}"
            f"table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:4px 8px;vertical-align:top}}"
            f"th{{background:#eee}}</style></head><body>\n<h1>RACI: {e(c.provider)} ({e(c.runbook)})</h1>\n"
            f"<p>R responsible, A accountable, C consulted, I informed; drawn from the runbook as written.</p>\n"
            f"<table><thead><tr>{head}</tr></thead><tbody>\n{rows}\n</tbody></table>\n</body></html>\n")
