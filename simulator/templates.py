"""Commented starting points for `ttx new scenario|runbook NAME` (each one validates as written)."""

from __future__ import annotations

import re

# Editors with a YAML language server (VS Code, Neovim: docs/editors.md) read the first line; `ttx new`
# writes the schema it names beside the file, and `ttx schema KIND -o FILE` writes it anywhere.
MODELINE = "# yaml-language-server: $schema={schema}\n"

SCENARIO = """\
# A ttx scenario: what happens on the night, as timed injects and what each obliges.
# Check it with `ttx validate {name}.yaml`; the format guide is docs/formats.md (`ttx list` shows where).
ttx: scenario/v1
id: {name}
title: Ransomware on the file server          # shown in the picker and reports
summary: EDR flags mass encryption on FS01 early on a Saturday.
tests: Does the 24x7 promise hold at 2 a.m. on a weekend?   # what a buyer learns from it
norms: [NIST SP 800-61r2 incident handling]  # published norms it rests on
severity: P1                  # P1..P4: picks the runbook's SLA tier
starts: 2026-03-14T02:07:00   # local wall-clock time, no offset (a Saturday)
timezone: America/Chicago     # IANA zone; nights and weekends are judged here
holidays: US                  # public holidays (holidays-package codes: US, GB, US-NY, GB-SCT); 4bd skips them
horizon: 12h                  # obligations still open then are missed (due later and not done: open, not scored)
playbook: ransomware          # the runbook playbook that applies
stakeholders:                 # who must be told or must decide, and how they can be reached
  client_it_lead: {{name: IT manager, channels: [phone, sms, email]}}
  ceo: {{name: CEO, channels: [phone]}}
resolution: {{after: [isolate-host, restore-from-backup], takes: 2h}}   # service back 2h after both
injects:
  - id: edr-alert
    at: 0m                    # durations: 90s, 15m, 1h30m, 2d, 4bd (business days) or PT15M
    source: edr               # who raised it: a runbook's `intake` can route it to its own role
    message: EDR reports 4,000 files renamed to *.lock on FS01 in three minutes.
    expects:
      - acknowledge: {{within: sla.acknowledge}}   # sla.X: what the runbook promises for this severity
      - engage: security_lead
        within: 30m
      - notify: client_it_lead
        via: [phone, sms]
        within: 30m
      - update: client_it_lead
        every: sla.update     # a standing cadence until resolution or the horizon
      - act: isolate-host
        within: sla.contain   # the runbook's containment promise (act obligations only)
      - resolve: {{within: sla.restore}}
      # - notify: regulator   # the client's own duty (the filing itself): shown, not scored
      #   within: 72h
      #   owner: client
    questions:                # read aloud by the facilitator
      - Who has authority to take FS01 offline at 2 a.m.?
  - id: backups-mounted
    at: 45m
    when: {{not_done: isolate-host}}   # fires only if the host is not isolated by then
    message: The backup share is mounted on FS01 and files there are changing too.
    expects:
      - act: isolate-host
        within: 15m
      - decide: restore-or-negotiate
        by: ceo               # the accountable owner: a stakeholder or a function
curveballs:
  - {{at: 0m, unreachable: first_responder, for: 20m}}   # the on-call phone is on silent
  - {{at: 1h, channel_down: email, for: 6h}}
"""

RUNBOOK = """\
# A ttx runbook: what a candidate promises. Check it with `ttx validate {name}.yaml`.
# The format guide is docs/formats.md (`ttx list` shows where).
ttx: runbook/v1
id: {name}
provider: Example Managed Services
model: msp                    # msp | fractional-cto | vcio | co-managed | internal
summary: 24x7 NOC, business-hours SOC, fractional CTO on call.
timezone: America/Chicago     # hours below are in this zone (defaults to the scenario's)
holidays: US                  # every hours calendar but 24x7 is closed on these public holidays
intake: {{edr: noc_tier1}}      # an inject's `source` -> the role it pages first (else the first responder)
sla:                          # per severity: acknowledge, engage, update (cadence), contain, restore
  P1: {{acknowledge: 15m, engage: 30m, update: 1h, contain: 2h, restore: 4h}}
  P2: {{acknowledge: 1h, engage: 2h, update: 4h, restore: 8h}}
hours:                        # named calendars; "to" is exclusive, quote the times
  always: 24x7
  business: {{days: mon-fri, from: "08:00", to: "18:00"}}
roles:                        # fills: first_responder, incident_commander, technical_lead,
                              #        security_lead, communications_lead
  noc_tier1: {{name: NOC tier 1, fills: [first_responder], hours: always, responds: 10m, backup: noc_tier2}}
  noc_tier2: {{name: NOC tier 2, fills: [first_responder, technical_lead], hours: always, responds: 20m,
              pool: {{staff: 2, clients: 40}}}}           # shared with other clients (ttx stress times it)
  soc_manager: {{name: SOC manager, fills: [security_lead], hours: business, responds: 30m,
                after_hours: {{responds: 1h, severity: [P1]}}}}   # paid call-out outside hours

  vcto: {{name: Fractional CTO, fills: [incident_commander, communications_lead], hours: always, responds: 45m}}
no_answer_after: 15m          # page the backup when a role has not answered by then
escalation:                   # measured from the acknowledgement
  - {{to: soc_manager, severity: [P1, P2], after: 0m}}
  - {{to: vcto, severity: [P1], after: 30m}}
communication:                # when: declared, engaged:FUNCTION, inject:ID, done:TASK, resolved
  - {{notify: [client_it_lead], via: phone, by: vcto, when: declared, within: 30m}}
  - {{update: [client_it_lead, ceo], via: [phone, email], by: vcto, when: declared, every: 1h}}
playbooks:                    # steps run in order from declaration
  ransomware:
    - {{act: isolate-host, by: noc_tier2, takes: 15m}}
    - {{act: restore-from-backup, by: noc_tier2, takes: 3h}}
    - {{decide: restore-or-negotiate, by: ceo, takes: 30m}}
"""


def template(kind: str, name: str) -> str:
    from .errors import UserError

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}", name):
        raise UserError(f"{name!r}: a name is letters, digits, '_', '-' or '.' (it becomes the file's id)")
    return MODELINE.format(schema=schema_file(kind)) + (SCENARIO if kind == "scenario" else RUNBOOK).format(name=name)


def schema_file(kind: str) -> str:
    """The JSON Schema's file name, beside the YAML file: editors resolve a relative $schema there."""
    return f"ttx-{kind}.schema.json"
