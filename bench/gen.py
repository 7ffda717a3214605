"""Inputs for the benchmarks, generated at run time into a temporary folder (never shipped).

Everything here is deterministic, so two runs on one machine measure the same work.
"""

from __future__ import annotations

import os
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC_SCENARIO = os.path.join(ROOT, "scenarios", "ransomware-fileserver.yaml")
SPEC_RUNBOOK = os.path.join(ROOT, "scenarios", "runbooks", "acme-msp.yaml")
HORIZON_S = 12 * 3600


def _write(path: str, text: str) -> str:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


def growth_scenario(n: int, scenario_id: str | None = None, severity: str = "P1",
                    starts: str = "2026-03-14T02:07:00") -> str:
    """A scenario with `n` injects spread over the first 11h of a fixed 16h horizon (every deadline,
    at most 4h after its inject, falls inside it), every obligation kind in the mix.

    The horizon stays fixed so that the work per obligation (update windows, deadlines)
    does not grow with n: only the number of injects and obligations does.
    """
    head = f"""ttx: scenario/v1
id: {scenario_id or f"growth-{n}"}
title: Generated scenario with {n} injects
summary: Benchmark input; every obligation kind, curveballs, conditional injects.
severity: {severity}
starts: {starts}
timezone: America/Chicago
horizon: 16h
playbook: ransomware
stakeholders:
  client_it_lead: {{name: IT lead, channels: [phone, sms, email]}}
  ceo: {{name: CEO, channels: [phone]}}
  cyber_insurer: {{name: Insurer, channels: [phone, email]}}
  customers: {{name: Customers, channels: [statuspage, email]}}
resolution: {{after: [isolate-host, restore-from-backup], takes: 2h}}
curveballs:
  - {{at: 0m, unreachable: first_responder, for: 20m}}
  - {{at: 1h, channel_down: email, for: 6h}}
  - {{at: 3h, unreachable: security_lead, for: 1h}}
injects:
"""
    kinds = [
        "      - notify: client_it_lead\n        via: [phone, sms]\n        within: 30m\n",
        "      - update: ceo\n        every: 2h\n",
        "      - act: isolate-host\n        within: 1h\n",
        "      - decide: restore-or-negotiate\n        by: ceo\n",
        "      - engage: security_lead\n        within: 30m\n",
        "      - notify: cyber_insurer\n        within: 4h\n        before: notify:customers\n",
    ]
    step = (HORIZON_S - 3600) // max(n, 1)
    parts = [head]
    for i in range(n):
        lines = [f"  - id: i{i}\n    at: {i * step}s\n    message: Inject {i}, more hosts report trouble.\n"]
        if i % 7 == 3:
            lines.append("    when: {not_done: restore-from-backup}\n")
        lines.append("    expects:\n")
        if i == 0:
            lines.append("      - acknowledge: {within: sla.acknowledge}\n      - resolve: {within: sla.restore}\n"
                         "      - update: client_it_lead\n        every: sla.update\n")
        lines.append(kinds[i % len(kinds)])
        parts.append("".join(lines))
    return "".join(parts)


def write_growth(folder: str, n: int) -> str:
    return _write(os.path.join(folder, f"growth-{n}.yaml"), growth_scenario(n))


def compare_inputs(folder: str, scenarios: int = 12, runbooks: int = 10) -> tuple[list[str], list[str]]:
    """12 scenarios (the SPEC night shifted across the week, P1/P2, 2 to 24 injects) and 10 runbooks
    (the shipped library, topped up with variants of the SPEC runbook)."""
    sc_paths = []
    days = ["2026-03-14T02:07:00", "2026-03-16T10:30:00", "2026-03-17T23:15:00", "2026-03-20T17:45:00"]
    for k in range(scenarios):
        text = growth_scenario(2 + 2 * k, f"bench-{k:02d}", "P1" if k % 3 else "P2", days[k % len(days)])
        sc_paths.append(_write(os.path.join(folder, f"scenario-{k:02d}.yaml"), text))
    lib = os.path.join(ROOT, "scenarios", "runbooks")
    shipped = sorted(os.path.join(lib, f) for f in os.listdir(lib) if f.endswith(".yaml"))[:runbooks]
    rb_paths = list(shipped)
    with open(SPEC_RUNBOOK, encoding="utf-8") as fh:
        base = fh.read()
    k = 0
    while len(rb_paths) < runbooks:
        text = base.replace("id: acme-msp", f"id: acme-variant-{k}").replace("responds: 10m", f"responds: {5 + 5 * k}m")
        rb_paths.append(_write(os.path.join(folder, f"runbook-{k}.yaml"), text))
        k += 1
    return sc_paths, rb_paths


def transcript_events(n: int, ended: bool = True) -> list[Any]:
    """`n` events of a plausible live exercise: the injects of the SPEC scenario, then a long
    stream of recorded actions (notes, messages, pages, answers) spread over the 12h horizon."""
    from simulator.events import Event

    out: list[Any] = [Event(0, "clock", {"action": "run", "speed": 60}),
                      Event(0, "inject", {"id": "edr-alert", "source": "monitoring",
                                          "message": "EDR reports 4,000 files renamed to *.lock on FS01 in three minutes."})]
    step = max(1, (HORIZON_S - 60) // max(n, 1))
    roles = ("noc_tier1", "noc_tier2", "soc_manager", "vcto")
    i = 0
    while len(out) < n - (1 if ended else 0):
        t = min(HORIZON_S - 1, 60 + i * step)
        kind = i % 6
        if i == 40:
            out.append(Event(t, "inject", {"id": "backups-mounted", "source": None,
                                           "message": "The backup share is mounted on FS01 and files there are changing too."}))
        elif kind == 0:
            out.append(Event(t, "note", {"text": f"Candidate says step {i} is under way; checking with the NOC."}))
        elif kind == 1:
            out.append(Event(t, "update", {"stakeholder": "client_it_lead", "via": "phone", "by": "vcto", "delivered": True}))
        elif kind == 2:
            out.append(Event(t, "page", {"role": roles[i % 4], "reason": "paged by the candidate", "backs": None,
                                         "answers_at": t, "why": ""}))
        elif kind == 3:
            out.append(Event(t, "answer", {"role": roles[i % 4], "stands_in_for": None}))
        elif kind == 4:
            out.append(Event(t, "notify", {"stakeholder": "ceo", "via": "phone", "by": "vcto", "delivered": True}))
        else:
            out.append(Event(t, "act", {"task": "isolate-host" if i % 12 == 5 else f"check-host-{i}", "by": "noc_tier2",
                                        "started": t}))
        i += 1
    if ended:
        out.append(Event(HORIZON_S, "end", {"reason": "stopped"}))
    return out[:n]


def write_transcript(folder: str, n: int, live_open: bool = False, name: str | None = None) -> str:
    """A live transcript of `n` events on the SPEC pair, written through the real Writer (hash chain
    intact); `live_open` leaves the exercise unfinished (no `end`), so it can be resumed."""
    from simulator.exercise import open_pair
    from simulator.transcript import Writer, make_header

    pair = open_pair(SPEC_SCENARIO, SPEC_RUNBOOK)
    path = os.path.join(folder, f"{name or f'replay-{n}'}.ttx.jsonl")
    if os.path.exists(path):
        os.remove(path)
    header = make_header("live", pair.scenario_src, pair.runbook_src, created="2026-11-22T00:00:00Z")
    w = Writer(path, header=header)
    events = transcript_events(n, ended=not live_open)
    for k in range(0, len(events), 500):  # one fsync per batch: building the input is not what is measured
        w.append(events[k:k + 500], wall="2026-11-22T00:00:00Z")
    w.close()
    return path
