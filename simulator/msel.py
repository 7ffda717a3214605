"""MSEL exchange: a scenario as a Master Scenario Events List (the HSEEP spreadsheet) and back.

Pure mapping between a scenario document (plain data, as the YAML reader gives it) and rows of cell
text; reading and writing .xlsx/.csv files is the shell's job (`exchange.py`). One table holds
everything, so CSV and XLSX carry the same rows: `Setting` rows for the scenario's own keys,
`Stakeholder` rows, then one row per `Inject` and `Curveball` in file order. Structured cells
(expected player actions, a curveball, a condition) hold one YAML flow mapping per line, the same
text a scenario file would hold, so a facilitator can edit them in the spreadsheet.
"""

from __future__ import annotations

from typing import Any

import yaml

# The HSEEP MSEL columns, plus the ttx ones a round trip needs (Condition, Curveball, Weight-free).
COLUMNS = (
    "MSEL #", "Event Type", "Scenario Time", "Event Synopsis", "From", "To", "Method",
    "Inject", "Expected Player Action", "Condition", "Questions", "Notes",
)
SETTING_KEYS = ("ttx", "id", "title", "summary", "tests", "norms", "severity", "starts", "timezone",
                "holidays", "horizon", "playbook", "resolution")
_LISTS = ("norms",)


class MselError(ValueError):
    """A cell that cannot become part of a scenario: 1-based row and column, and a message."""

    def __init__(self, row: int, col: int, message: str):
        super().__init__(message)
        self.row, self.col, self.message = row, col, message


def _flow(value: Any) -> str:
    """One line of YAML flow style (what a scenario file would hold), no trailing newline."""
    return yaml.safe_dump(value, default_flow_style=True, width=10**9, allow_unicode=True, sort_keys=False).strip()


def _scalar_text(value: Any) -> str:
    return "" if value is None else str(value)


def _local_times(scenario: Any, n: int, curveballs: bool = False) -> list[str]:
    """Each event's wall-clock time in the scenario's zone, for the facilitator (Notes; not read back)."""
    if scenario is None:
        return [""] * n
    clock = scenario.clock()
    events = scenario.curveballs if curveballs else scenario.injects
    return [clock.local(clock.after(0, e.at)).strftime("%a %d %b %Y %H:%M %Z") for e in events][:n] + [""] * max(0, n - len(events))


def scenario_to_rows(doc: dict[str, Any], scenario: Any = None) -> list[list[str]]:
    """The MSEL rows of a scenario document (header row first). With the loaded scenario, Notes give
    each event's local wall-clock time (the spreadsheet's "designated scenario time" for people)."""
    rows: list[list[str]] = [list(COLUMNS)]

    def row(**cells: str) -> None:
        rows.append([cells.get(c, "") for c in COLUMNS])

    for key in SETTING_KEYS:
        if key in doc and doc[key] is not None:
            v = doc[key]
            text = "\n".join(_scalar_text(x) for x in v) if key in _LISTS else (
                _flow(v) if isinstance(v, (dict, list)) else _scalar_text(v))
            row(**{"Event Type": "Setting", "Event Synopsis": key, "Inject": text})
    for sid, s in (doc.get("stakeholders") or {}).items():
        row(**{"Event Type": "Stakeholder", "Event Synopsis": str(sid), "To": _scalar_text(s.get("name")),
               "Method": ", ".join(str(c) for c in s.get("channels") or [])})
    n = 0
    inj_times = _local_times(scenario, len(doc.get("injects") or []))
    cb_times = _local_times(scenario, len(doc.get("curveballs") or []), curveballs=True)
    for k, inj in enumerate(doc.get("injects") or []):
        n += 1
        row(**{"MSEL #": str(n), "Event Type": "Inject", "Scenario Time": _scalar_text(inj.get("at")),
               "Event Synopsis": _scalar_text(inj.get("id")), "From": _scalar_text(inj.get("source")),
               "Inject": _scalar_text(inj.get("message")),
               "Expected Player Action": "\n".join(_flow(e) for e in inj.get("expects") or []),
               "Condition": _flow(inj["when"]) if inj.get("when") else "",
               "Questions": "\n".join(_scalar_text(q) for q in inj.get("questions") or []),
               "Notes": inj_times[k]})
    for k, cb in enumerate(doc.get("curveballs") or []):
        n += 1
        rest = {k: v for k, v in cb.items() if k not in ("at", "message")}
        row(**{"MSEL #": str(n), "Event Type": "Curveball", "Scenario Time": _scalar_text(cb.get("at")),
               "Inject": _scalar_text(cb.get("message")), "Expected Player Action": _flow(rest),
               "Notes": cb_times[k]})
    return rows


def _parse_flow(text: str, row: int, col: int, what: str) -> Any:
    try:
        value = yaml.load(text, Loader=_TextLoader)  # noqa: S506 - a SafeLoader that keeps scalars as text
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (character {mark.column + 1})" if mark is not None else ""
        raise MselError(row, col, f"{what}: not a YAML mapping{where}: {text!r}") from None
    if not isinstance(value, dict):
        raise MselError(row, col, f"{what}: expected a mapping such as {{notify: ceo, within: 30m}}, got {text!r}")
    return value


class _TextLoader(yaml.SafeLoader):
    """Flow cells as ttx reads files: values stay text (08:00 is not 480), only null/true/false resolve."""


_TextLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def rows_to_scenario(rows: list[list[Any]]) -> tuple[dict[str, Any], list[MselError]]:
    """A scenario document from MSEL rows (the first row names the columns), and every cell error found."""
    errors: list[MselError] = []
    if not rows:
        return {}, [MselError(1, 1, "the sheet is empty: expected a header row with the MSEL columns")]
    header = [_scalar_text(c).strip() for c in rows[0]]
    col = {name: i for i, name in enumerate(header) if name}
    for need in ("Event Type", "Scenario Time", "Event Synopsis", "Inject", "Expected Player Action"):
        if need not in col:
            errors.append(MselError(1, len(header) + 1, f"missing column {need!r} (columns: {', '.join(COLUMNS)})"))
    if errors:
        return {}, errors

    def cell(r: list[Any], name: str) -> str:
        i = col.get(name)
        return _scalar_text(r[i]).strip() if i is not None and i < len(r) else ""

    doc: dict[str, Any] = {}
    stakeholders: dict[str, Any] = {}
    injects: list[dict[str, Any]] = []
    curveballs: list[dict[str, Any]] = []
    for n, r in enumerate(rows[1:], start=2):
        kind = cell(r, "Event Type")
        if not kind and not any(_scalar_text(c).strip() for c in r):
            continue  # blank spreadsheet rows are common
        try:
            if kind == "Setting":
                key, text = cell(r, "Event Synopsis"), cell(r, "Inject")
                if key not in SETTING_KEYS:
                    raise MselError(n, col["Event Synopsis"] + 1, f"unknown setting {key!r} (expected one of: {', '.join(SETTING_KEYS)})")
                if key in _LISTS:
                    doc[key] = _lines(text)
                elif key == "resolution":
                    doc[key] = _parse_flow(text, n, col["Inject"] + 1, "resolution")
                else:
                    doc[key] = text
            elif kind == "Stakeholder":
                sid = cell(r, "Event Synopsis")
                if not sid:
                    raise MselError(n, col["Event Synopsis"] + 1, "a stakeholder row needs its id in Event Synopsis")
                channels = [c.strip() for c in cell(r, "Method").split(",") if c.strip()]
                stakeholders[sid] = {"name": cell(r, "To"), "channels": channels}
            elif kind == "Inject":
                inj: dict[str, Any] = {"id": cell(r, "Event Synopsis"), "at": cell(r, "Scenario Time")}
                if not inj["id"]:
                    raise MselError(n, col["Event Synopsis"] + 1, "an inject needs an id in Event Synopsis")
                if not inj["at"]:
                    raise MselError(n, col["Scenario Time"] + 1, "an inject needs a Scenario Time (e.g. 0m, 1h30m)")
                cond = cell(r, "Condition")
                if cond:
                    inj["when"] = _parse_flow(cond, n, col.get("Condition", 0) + 1, "Condition")
                if cell(r, "From"):
                    inj["source"] = cell(r, "From")
                inj["message"] = cell(r, "Inject")
                expects = [_parse_flow(t, n, col["Expected Player Action"] + 1, "Expected Player Action")
                           for t in _lines(cell(r, "Expected Player Action"))]
                if expects:
                    inj["expects"] = expects
                questions = _lines(cell(r, "Questions"))
                if questions:
                    inj["questions"] = questions
                injects.append(inj)
            elif kind == "Curveball":
                cb: dict[str, Any] = {"at": cell(r, "Scenario Time")}
                cb.update(_parse_flow(cell(r, "Expected Player Action"), n, col["Expected Player Action"] + 1,
                                      "Curveball (e.g. {unreachable: first_responder, for: 20m})"))
                if cell(r, "Inject"):
                    cb["message"] = cell(r, "Inject")
                curveballs.append(cb)
            else:
                raise MselError(n, col["Event Type"] + 1,
                                f"unknown Event Type {kind!r} (expected Setting, Stakeholder, Inject or Curveball)")
        except MselError as e:
            errors.append(e)
    if stakeholders:
        doc["stakeholders"] = stakeholders
    doc["injects"] = injects
    if curveballs:
        doc["curveballs"] = curveballs
    doc.setdefault("ttx", "scenario/v1")
    order = [k for k in SETTING_KEYS if k in doc] + [k for k in ("stakeholders", "injects", "curveballs") if k in doc]
    return {k: doc[k] for k in order}, errors


def scenario_yaml(doc: dict[str, Any]) -> str:
    """A scenario document as YAML text in the library's layout (block style, keys in file order)."""
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
