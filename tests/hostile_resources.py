"""Hostile text for the display tests: a scenario and a runbook whose every free-text field carries
markup, escape sequences, HTML, Markdown, Mermaid, bidi overrides and zero-width characters.

The files are valid: hostile text is not a load error, it must simply be shown as written.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

# Shown literally means: each of these visible fragments appears, as written, in what the user sees.
MARKUP = "[bold red]FAKE[/] [/] [@click=app.quit]QUIT[/] [link=https://evil.example/x]rich-link[/link] [/bold"
HTML = "<script>alert(1)</script> <img src=x onerror=alert(2)> \"><svg onload=alert(3)> &amp; </td></table>"
MARKDOWN = "**bold** _it_ [md-link](javascript:alert(4)) ![img](https://evil.example/p.png) `tick` | pipe | <!-- c -->"
MERMAID = "participant Evil; A->>B: hi %%{init: {'theme':'dark'}}%% click A call alert() end --> ```"
# Invisible or terminal-controlling: these must never reach a terminal or a page raw.
ANSI = "\x1b[31mRED\x1b[0m \x1b[2J\x1b[H \x9b31mC1"
OSC = "\x1b]0;pwned-title\x07 \x1b]8;;https://evil.example\x1b\\osc-link\x1b]8;;\x1b\\ \x1b]52;c;ZXZpbA==\x07"
BIDI = ("invoice\u202etxt.exe\u202c zero\u200bwidth\u200d join\ufeffbom \u2066iso\u2069 \u061calm bs\x08\r"
        " soft\u00adhyphen line\u2028sep tag\U000e0041\U000e0042smuggled \u3164filler")

VISIBLE = [MARKUP, HTML, MARKDOWN, MERMAID]
PAYLOAD = " ".join([MARKUP, HTML, MARKDOWN, MERMAID, ANSI, OSC, BIDI])
# Characters that act instead of showing: C0/C1 controls, bidi overrides and isolates, zero-width marks.
DANGEROUS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064"
                       "\u2066-\u2069\u3164\ufeff\U000e0000-\U000e007f]")
INVISIBLE_CHARS = sorted(set(DANGEROUS.findall(ANSI + OSC + BIDI)))
# Fragments that prove a field arrived (a marker per field: TITLE, PROVIDER...)
FIELDS = ("TITLE", "SUMMARY", "MESSAGE", "QUESTION", "STAKEHOLDER", "CURVEBALL", "PROVIDER", "ROLE")


def hostile(field: str) -> str:
    return f"{field}: {PAYLOAD}"


def scenario_doc() -> dict:
    return {
        "ttx": "scenario/v1",
        "id": "hostile",
        "title": hostile("TITLE"),
        "summary": hostile("SUMMARY") + "\n# not a heading\n```\n</script>",
        "severity": "P1",
        "starts": "2026-03-14T02:07:00",
        "timezone": "America/Chicago",
        "horizon": "12h",
        "playbook": "ransomware",
        "stakeholders": {
            "client_it_lead": {"name": hostile("STAKEHOLDER"), "channels": ["phone", "email"]},
            "ceo": {"name": "CEO " + MARKUP, "channels": ["phone"]},
        },
        "injects": [
            {"id": "edr-alert", "at": "0m", "source": "monitoring", "message": hostile("MESSAGE"),
             "expects": [{"acknowledge": {"within": "sla.acknowledge"}},
                         {"engage": "security_lead", "within": "30m"},
                         {"notify": "client_it_lead", "via": ["phone"], "within": "30m"},
                         {"update": "client_it_lead", "every": "1h"},
                         {"decide": "restore-or-negotiate", "by": "ceo"}],
             "questions": [hostile("QUESTION")]},
            {"id": "second", "at": "30m", "message": "Second inject " + HTML, "expects": [{"act": "isolate-host", "within": "1h"}]},
        ],
        "curveballs": [{"at": "10m", "channel_down": "email", "for": "2h", "message": hostile("CURVEBALL")}],
    }


def runbook_doc() -> dict:
    return {
        "ttx": "runbook/v1",
        "id": "hostile-msp",
        "provider": hostile("PROVIDER"),
        "model": "msp",
        "sla": {"P1": {"acknowledge": "15m", "engage": "30m", "update": "1h", "restore": "4h"}},
        "hours": {"always": "24x7", "business": {"days": "mon-fri", "from": "08:00", "to": "18:00"}},
        "roles": {
            "noc": {"name": hostile("ROLE"), "fills": ["first_responder", "technical_lead"], "hours": "always",
                    "responds": "10m"},
            "soc": {"name": "SOC " + MARKDOWN, "fills": ["security_lead"], "hours": "business", "responds": "30m"},
            "vcto": {"name": "vCTO " + HTML, "fills": ["incident_commander", "communications_lead"], "hours": "always",
                     "responds": "20m"},
        },
        "escalation": [{"to": "soc", "after": "0m"}, {"to": "vcto", "after": "0m"}],
        "communication": [{"notify": ["client_it_lead"], "via": "phone", "by": "vcto", "when": "declared", "within": "15m"},
                          {"update": ["client_it_lead", "ceo"], "via": "email", "by": "vcto", "when": "declared", "every": "1h"}],
        "playbooks": {"ransomware": [{"act": "isolate-host", "by": "noc", "takes": "15m"},
                                     {"decide": "restore-or-negotiate", "by": "ceo", "takes": "30m"}]},
    }


def write_pair(directory: Path) -> tuple[Path, Path]:
    sc, rb = directory / "hostile-scenario.yaml", directory / "hostile-runbook.yaml"
    sc.write_text(yaml.safe_dump(scenario_doc(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    rb.write_text(yaml.safe_dump(runbook_doc(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return sc, rb


def marks(chars: list[str]) -> list[str]:
    """How textsafe shows an invisible character: <U+202E>."""
    return [f"<U+{ord(c):04X}>" for c in chars]
