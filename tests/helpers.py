"""Small helpers for building scenarios and runbooks in tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from scoring.scorecard import Scorecard, score
from simulator.engine import play
from simulator.events import Event
from simulator.loading import load_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def m_(minutes: float) -> int:
    return int(minutes * 60)


def h_(hours: float) -> int:
    return int(hours * 3600)


def base_scenario(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "ttx": "scenario/v1",
        "id": "test",
        "title": "Test",
        "severity": "P1",
        "starts": "2026-03-14T02:00:00",  # a Saturday
        "timezone": "America/Chicago",
        "horizon": "12h",
        "stakeholders": {"client_it_lead": {"name": "Dana", "channels": ["phone", "email"]}},
        "injects": [{"id": "alert", "at": "0m", "message": "Alert", "expects": [{"acknowledge": {"within": "15m"}}]}],
    }
    doc.update(over)
    return doc


def base_runbook(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "ttx": "runbook/v1",
        "id": "rb",
        "provider": "Test MSP",
        "model": "msp",
        "sla": {"P1": {"acknowledge": "15m", "engage": "30m", "update": "1h", "restore": "4h"}},
        "hours": {"always": "24x7", "business": {"days": "mon-fri", "from": "08:00", "to": "18:00"}},
        "roles": {"noc": {"name": "NOC", "fills": ["first_responder"], "hours": "always", "responds": "10m"}},
    }
    doc.update(over)
    return doc


def load_pair(sc: dict[str, Any], rb: dict[str, Any]):
    s = load_text("scenario.yaml", yaml.safe_dump(sc, sort_keys=False), "scenario").value
    r = load_text("runbook.yaml", yaml.safe_dump(rb, sort_keys=False), "runbook").value
    return s, r


def play_pair(sc: dict[str, Any], rb: dict[str, Any]) -> tuple[list[Event], Scorecard]:
    s, r = load_pair(sc, rb)
    events = play(s, r)
    return events, score(s, r, events)


def of(events: list[Event], type_: str, **match: Any) -> list[Event]:
    return [e for e in events if e.type == type_ and all(e.data.get(k) == v for k, v in match.items())]
