"""JSON Schemas for editors' YAML language servers (`ttx schema scenario|runbook`).

They describe the same formats the loader enforces; the loader stays the authority
(cross-references, cycles and time zones are checked only there).
"""

from __future__ import annotations

from typing import Any

from .model import FUNCTIONS, KINDS, MODELS, OWNERS, SEVERITIES, SLA_METRICS

DURATION = {
    "type": "string",
    # as timing.parse_duration reads it: at least one part, so "", "P" and "PT" are refused here too
    "pattern": r"^(\d+bd|(?=\d)(\d+d)?(\d+h)?(\d+m)?(\d+s)?|P(?=.*\d)(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?)$",
    "description": "90s, 15m, 1h30m, 2d (48 elapsed hours), 4bd (business days) or ISO 8601 PT15M; never a bare number",
}
WINDOW = {"anyOf": [DURATION, {"type": "string", "pattern": rf"^sla\.({'|'.join(SLA_METRICS)})$",
                                "description": "what the runbook promises for this scenario's severity"}]}
NAME = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"}
NAMES = {"anyOf": [NAME, {"type": "array", "items": NAME}]}
TEXT = {"type": "string"}
FUNCTION = {"enum": list(FUNCTIONS)}
TIME = {"type": "string", "pattern": r"^([01]\d|2[0-4]):[0-5]\d$", "description": 'quote it: "08:00"'}
HOLIDAYS = {"type": "string", "pattern": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,5})?$",
            "description": "a public-holiday calendar as the holidays package names it: US, GB-SCT, DE-BY"}


def _obj(props: dict[str, Any], required: tuple[str, ...] = (), description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    if description:
        out["description"] = description
    return out


def _obligation() -> dict[str, Any]:
    options = {"within": WINDOW, "every": WINDOW, "via": NAMES, "by": NAME,
               "before": {"type": "string", "pattern": rf"^({'|'.join(KINDS)})(:[A-Za-z0-9][A-Za-z0-9_.\-]*)?$"},
               "weight": {"type": "number", "exclusiveMinimum": 0}, "id": {"type": "string"},
               "owner": {"enum": list(OWNERS), "description": "client: the client's own duty, shown but not scored"}}
    variants = []
    for kind in KINDS:
        head: Any = {"anyOf": [{"type": "null"}, _obj(options)]} if kind in ("acknowledge", "resolve") else (
            FUNCTION if kind == "engage" else NAME)
        variants.append(_obj({kind: head, **options}, (kind,)))
    return {"oneOf": variants, "description": "one kind key (acknowledge, engage, notify, update, act, decide, resolve) and options"}


def scenario_schema() -> dict[str, Any]:
    inject = _obj({
        "id": NAME, "at": DURATION, "message": TEXT, "source": TEXT,
        "expects": {"type": "array", "items": _obligation()},
        "questions": {"type": "array", "items": TEXT},
        "when": _obj({"not_done": NAME, "done": NAME}),
    }, ("id", "at", "message"))
    curveball = _obj({"at": DURATION, "for": DURATION, "unreachable": NAME, "channel_down": NAME, "message": TEXT, "id": NAME},
                     ("at",), "a role or function unreachable, or a channel down, from `at` for `for`")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ttx scenario (scenario/v1)",
        **_obj({
            "ttx": {"const": "scenario/v1"}, "id": NAME, "title": TEXT, "summary": TEXT, "tests": TEXT,
            "norms": {"type": "array", "items": TEXT},
            "severity": {"enum": list(SEVERITIES)},
            "starts": {"type": "string", "description": "local time, no offset: 2026-03-14T02:07:00"},
            "timezone": {"type": "string", "description": "IANA zone, e.g. America/Chicago"},
            "horizon": DURATION, "playbook": NAME, "holidays": HOLIDAYS,
            "stakeholders": {"type": "object", "additionalProperties": _obj({"name": TEXT, "channels": NAMES}, ("name", "channels"))},
            "resolution": _obj({"after": NAMES, "takes": DURATION}, ("after",)),
            "injects": {"type": "array", "items": inject, "minItems": 1, "maxItems": 2000},
            "curveballs": {"type": "array", "items": curveball},
        }, ("ttx", "id", "title", "severity", "starts", "timezone", "horizon", "injects")),
    }


def runbook_schema() -> dict[str, Any]:
    span = _obj({"days": {"anyOf": [TEXT, {"type": "array", "items": TEXT}]}, "from": TIME, "to": TIME}, ("days", "from", "to"))
    calendar = {"anyOf": [{"const": "24x7"}, span, {"type": "array", "items": span}]}
    tier = _obj({m: DURATION for m in SLA_METRICS})
    after_hours = _obj({"responds": DURATION, "severity": {"type": "array", "items": {"enum": list(SEVERITIES)}}},
                       ("responds",), "a paid call-out outside the role's hours")
    pool = _obj({"staff": {"type": "integer", "minimum": 1}, "clients": {"type": "integer", "minimum": 1}},
                ("staff", "clients"), "the role's people are shared with other clients")
    role = _obj({"name": TEXT, "fills": {"type": "array", "items": FUNCTION}, "hours": NAME, "responds": DURATION,
                 "backup": NAME, "channels": NAMES, "after_hours": after_hours, "pool": pool},
                ("name", "fills", "hours", "responds"))
    comm_opts = {"via": NAMES, "by": NAME, "when": {"type": "string", "pattern": r"^(declared|resolved|engaged:\w+|done:[\w.\-]+|inject:[\w.\-]+)$"},
                 "within": DURATION, "every": DURATION}
    comm = {"oneOf": [_obj({k: NAMES, **comm_opts}, (k, "via", "by")) for k in ("notify", "update")]}
    step = {"oneOf": [_obj({k: NAME, "by": NAME, "takes": DURATION}, (k, "by")) for k in ("act", "decide")]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ttx runbook (runbook/v1)",
        **_obj({
            "ttx": {"const": "runbook/v1"}, "id": NAME, "provider": TEXT, "model": {"enum": list(MODELS)},
            "summary": TEXT, "timezone": {"type": "string"}, "holidays": HOLIDAYS,
            "intake": {"type": "object", "propertyNames": NAME, "additionalProperties": NAME,
                       "description": "inject source -> the role it pages first"},
            "sla": {"type": "object", "propertyNames": {"enum": list(SEVERITIES)}, "additionalProperties": tier},
            "hours": {"type": "object", "additionalProperties": calendar},
            "roles": {"type": "object", "additionalProperties": role, "minProperties": 1},
            "no_answer_after": DURATION,
            "escalation": {"type": "array", "items": _obj({"to": NAME, "after": DURATION,
                                                           "severity": {"type": "array", "items": {"enum": list(SEVERITIES)}}}, ("to",))},
            "communication": {"type": "array", "items": comm},
            "playbooks": {"type": "object", "additionalProperties": {"type": "array", "items": step}},
        }, ("ttx", "id", "provider", "model", "roles")),
    }


def schema(kind: str) -> dict[str, Any]:
    return scenario_schema() if kind == "scenario" else runbook_schema()
