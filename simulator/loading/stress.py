"""A `ttx: stress/v1` file (SPEC section 12) to a `StressModel`, with `FILE:LINE:COL` errors like every
other ttx file; and the model back from the copy a stress transcript's header holds."""

from __future__ import annotations

import json
import math
from typing import Any

from ..stress.model import DEFAULT, Demand, Spread, StressModel
from ..timing import parse_duration
from ..yamlsrc import Document, LoadError, Path, dotted, parse


def _error(doc: Document, path: Path, message: str, key: bool = False) -> LoadError:
    """`FILE:LINE:COL: responds.broken: message`, as every ttx file says it."""
    return doc.error(path, f"{dotted(path)}: {message}" if path else message, key=key)


_KEYS = {"ttx": None, "responds": ("median", "broken"), "takes": ("median", "broken"),
         "unreachable": None, "demand": ("incidents_per_client_month", "hours")}


def _number(doc: Document, path: Path, value: Any, errors: list[LoadError]) -> float | None:
    try:
        x = float(value) if isinstance(value, str) else math.nan
    except ValueError:
        x = math.nan
    if not math.isfinite(x):
        errors.append(_error(doc, path, f"expected a number; got {value!r}"))
        return None
    return x


def from_document(doc: Document) -> StressModel:
    """A `ttx: stress/v1` document to a model; every key optional, defaults for the rest."""
    errors: list[LoadError] = []
    data = doc.data
    for key in data:
        if key not in _KEYS:
            errors.append(_error(doc, (key,), f"unknown key {str(key)!r} (expected {', '.join(k for k in _KEYS if k != 'ttx')})",
                                    key=True))
    fields: dict[str, Any] = {}
    for name in ("responds", "takes"):
        block = data.get(name)
        if block is None:
            continue
        if not isinstance(block, dict):
            errors.append(_error(doc, (name,), "expected {median: NUMBER, broken: SHARE}"))
            continue
        base = getattr(DEFAULT, name)
        vals = {"median": base.median, "broken": base.broken}
        for k, v in block.items():
            if k not in vals:
                errors.append(_error(doc, (name, k), f"unknown key {str(k)!r} (expected median, broken)", key=True))
                continue
            x = _number(doc, (name, k), v, errors)
            if x is not None:
                vals[k] = x
        spread = Spread(vals["median"], vals["broken"])
        why = spread.problem()
        if why:
            errors.append(_error(doc, (name, "broken") if "broken" in block else (name,), why))
        else:
            fields[name] = spread
    if "unreachable" in data:
        x = _number(doc, ("unreachable",), data["unreachable"], errors)
        if x is not None and not 0 <= x <= 1:
            errors.append(_error(doc, ("unreachable",), f"expected a chance from 0 to 1; got {x:g}"))
        elif x is not None:
            fields["unreachable"] = x
    block = data.get("demand")
    if block is not None:
        if not isinstance(block, dict):
            errors.append(_error(doc, ("demand",), "expected {incidents_per_client_month: NUMBER, hours: DURATION}"))
        else:
            rate, hours = DEFAULT.demand.incidents_per_client_month, DEFAULT.demand.hours
            for k, v in block.items():
                if k == "incidents_per_client_month":
                    x = _number(doc, ("demand", k), v, errors)
                    if x is not None and x < 0:
                        errors.append(_error(doc, ("demand", k), f"expected 0 or more; got {x:g}"))
                    elif x is not None:
                        rate = x
                elif k == "hours":
                    try:
                        hours = parse_duration(v) if isinstance(v, str) else parse_duration("")
                        if hours.business_days or hours.seconds <= 0:
                            raise ValueError(f"expected an elapsed time above 0 like 3h; got {v!r}")
                    except ValueError as e:
                        errors.append(_error(doc, ("demand", k), str(e)))
                else:
                    errors.append(_error(doc, ("demand", k), f"unknown key {str(k)!r} (expected incidents_per_client_month, hours)",
                                            key=True))
            fields["demand"] = Demand(rate, hours)
    if errors:
        errors.sort(key=lambda e: (e.mark.line, e.mark.column) if e.mark else (0, 0))
        errors[0].others = errors[1:]  # type: ignore[attr-defined]
        raise errors[0]
    return StressModel(**fields, source=doc.file)


def from_dict(data: dict[str, Any], source: str = "transcript header") -> StressModel:
    """The model back from `as_dict` (a transcript header); ValueError when it is not one."""
    doc = parse(source, json.dumps(_as_text(data)))
    if not isinstance(doc.data, dict) or doc.data.get("ttx") != "stress/v1":
        raise ValueError("not a stress/v1 model")
    try:
        return from_document(doc)
    except LoadError as e:
        raise ValueError(e.message) from None


def _as_text(value: Any) -> Any:
    """Numbers as the text a YAML file would hold (the checks parse their own text), exactly."""
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return repr(value)
    return value
