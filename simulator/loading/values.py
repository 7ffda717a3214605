"""Value parsers: one YAML value to one typed value, or a `Problem` naming what was expected."""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from .. import model as m
from ..timing import Calendar, Duration, parse_calendar, parse_days, parse_duration, parse_hhmm, parse_local
from ..yamlsrc import Path

IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


class Problem(ValueError):
    """A structuring problem at a path below the value being structured."""

    def __init__(self, message: str, subpath: Path = (), key: bool = False):
        super().__init__(message)
        self.subpath = subpath
        self.key = key


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _text(value: Any, _t: Any = None) -> str:
    if isinstance(value, bool):  # YAML read an unquoted true/false as a truth value
        raise Problem(f'expected text; got {_describe(value)} (write "{_describe(value)}" in quotes if you mean the word)')
    if not isinstance(value, str):
        raise Problem(f"expected text; got {_describe(value)}")
    return value


def _ident(value: Any, what: str = "a name") -> str:
    text = _text(value)
    if not IDENT.match(text):
        raise Problem(f"expected {what} of letters, digits, '_', '-' or '.' (at most 64); got {_describe(text)}")
    return text


def _ident_list(value: Any, _t: Any = None) -> tuple[str, ...]:
    """A list of names; a single name is accepted as a list of one, and `key:` with nothing as none."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (_ident(value),)
    if not isinstance(value, list):
        raise Problem(f"expected a list of names; got {_describe(value)}")
    out = []
    for i, item in enumerate(value):
        try:
            out.append(_ident(item))
        except Problem as e:
            raise Problem(str(e), (i,)) from None
    return tuple(out)


def _text_list(value: Any, _t: Any = None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        raise Problem(f"expected a list of text; got {_describe(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise Problem(f"expected text; got {_describe(item)}", (i,))
    return tuple(value)


def _duration(value: Any, _t: Any = None) -> Duration:
    if not isinstance(value, str):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise Problem(f"a bare number ({value}) is ambiguous: write a unit, e.g. {value}m")
        raise Problem(f"expected a duration like 15m, 1h30m, 2d, 4bd or PT15M; got {_describe(value)}")
    if re.search(r"\d{16}", value):  # beyond any range, and int() refuses 4,300+ digits with its own message
        raise Problem(f"{_describe(value.strip())} is out of range (at most 366 days)")
    try:
        return parse_duration(value)
    except ValueError as e:
        raise Problem(str(e)) from None


def _window(value: Any, _t: Any = None) -> m.Window:
    if isinstance(value, str) and value.strip().startswith("sla."):
        metric = value.strip()[4:]
        if metric not in m.SLA_METRICS:
            raise Problem(f"unknown SLA metric {value!r} (expected sla.acknowledge, sla.engage, sla.update or sla.restore)")
        return m.SlaRef(metric)
    return _duration(value)


def _optional_window(value: Any, _t: Any = None) -> m.Window | None:
    return None if value is None else _window(value)


def _optional_duration(value: Any, _t: Any = None) -> Duration | None:
    return None if value is None else _duration(value)


_SPAN_KEYS = ("days", "from", "to")


def _calendar(value: Any, _t: Any = None) -> Calendar:
    # Check each span key here first so that the message points at the bad key or value itself.
    items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    for i, item in enumerate(items):
        sub: Path = (i,) if isinstance(value, list) else ()
        if not isinstance(item, dict):
            raise Problem(f'expected {{days: mon-fri, from: "08:00", to: "18:00"}}; got {_describe(item)}', sub)
        for key in item:
            if key not in _SPAN_KEYS:
                raise Problem(f"unknown key {_describe(key)} in hours (expected days, from, to){_did_you_mean(key, _SPAN_KEYS)}",
                              sub + (key,), key=True)
        for key in _SPAN_KEYS:
            if key not in item:
                raise Problem(f'missing required key {key!r} (hours are {{days: mon-fri, from: "08:00", to: "18:00"}})', sub)
        for key in ("from", "to"):
            try:
                minutes = parse_hhmm(_text(item[key]))
            except (ValueError, Problem):
                raise Problem(f'expected a time of day like "08:00" (00:00 to 24:00); got {_describe(item[key])}',
                              sub + (key,)) from None
            if key == "from" and minutes == 24 * 60:
                raise Problem('"24:00" is allowed only as `to` (the end of the day)', sub + (key,))
        days = item["days"]
        if not isinstance(days, (str, list)):
            raise Problem(f"expected weekday names like mon-fri or sat,sun; got {_describe(days)}", sub + ("days",))
        try:
            parse_days(days)
        except ValueError as e:
            raise Problem(str(e), sub + ("days",)) from None
    try:
        return parse_calendar(value)
    except ValueError as e:
        raise Problem(str(e)) from None


def _local_time(value: Any, _t: Any = None) -> datetime:
    try:
        return parse_local(_text(value))
    except ValueError as e:
        raise Problem(str(e)) from None


# Numbers as people write them in ASCII: float() alone also reads `٤٥`, `1_000` and ` 12 `.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def number(value: Any) -> float:
    """A number written in a file (YAML scalars arrive as text); NaN when it is not one."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return float(value) if isinstance(value, str) and _NUMBER.fullmatch(value) else math.nan


def _weight(value: Any, _t: Any = None) -> float:
    w = number(value.strip() if isinstance(value, str) else value)
    if not math.isfinite(w) or w <= 0 or w > 1000:
        raise Problem(f"expected a number above 0 and up to 1000; got {_describe(value)}")
    return w


def _count(value: Any, _t: Any = None) -> int:
    """A whole number (YAML scalars arrive as text)."""
    text = value if isinstance(value, str) else ""
    if not re.fullmatch(r"\d{1,6}", text.strip(), re.ASCII):
        raise Problem(f"expected a whole number like 2; got {_describe(value)}")
    number = int(text)
    if number > 100_000:
        raise Problem(f"{number} is out of range (at most 100,000)")
    return number


def _action_ref(value: Any, _t: Any = None) -> m.ActionRef:
    text = _text(value).strip()
    kind, _, target = text.partition(":")
    if kind not in m.KINDS:
        raise Problem(f"expected KIND:TARGET like notify:customers (KIND one of {', '.join(m.KINDS)}); got {_describe(text)}")
    if kind in m.TARGETLESS:
        if target:
            raise Problem(f"{kind} takes no target; write just {kind!r}")
        return m.ActionRef(kind, None)
    if not target or not IDENT.match(target):
        raise Problem(f"expected {kind}:TARGET; got {_describe(text)}")
    return m.ActionRef(kind, target)


def _pick_kind(value: Any, kinds: tuple[str, ...], what: str) -> tuple[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise Problem(f"expected a mapping with one of {', '.join(kinds)}; got {_describe(value)}")
    found = [k for k in value if k in kinds]
    if len(found) != 1:
        if not found:
            raise Problem(f"{what} needs exactly one of: {', '.join(kinds)}")
        raise Problem(f"{what} has both {found[0]!r} and {found[1]!r}; write one per entry", (found[1],), key=True)
    return found[0], value


def _did_you_mean(key: Any, names: Any) -> str:
    import difflib  # only when there is a misspelling to suggest for (start-up time)

    close = difflib.get_close_matches(str(key), list(names), n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""
