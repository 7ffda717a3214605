"""The stress model (`ttx: stress/v1`, SPEC section 12): how far a night strays from the promises.

Pure data and arithmetic, plus the checks that turn a parsed document into a model with
`FILE:LINE:COL` errors like every other ttx file. The defaults and their sources are in
docs/stress.md; every result prints the model it used.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import attrs

from ..timing import Duration, parse_duration
from ..yamlsrc import Document, LoadError, Path, dotted

_N = NormalDist()


@attrs.frozen
class Spread:
    """A log-normal factor on a promise: its median, and the share of draws over 1 (`broken`)."""

    median: float
    broken: float

    @property
    def sigma(self) -> float:
        """The log-normal's σ that puts `broken` of the mass above 1 given the median.

        P(median·e^{σZ} > 1) = broken  ⇔  σ = ln(median) / Φ⁻¹(broken); σ = 0 when the factor is fixed.
        """
        if self.broken in (0.0, 1.0) or self.median == 1.0:
            return 0.0
        return math.log(self.median) / _N.inv_cdf(self.broken)

    def factor(self, u: float, sigma: float | None = None) -> float:
        """The factor for a uniform draw u in (0, 1); larger u, larger factor (common random numbers).
        `sigma`: `self.sigma` computed once by a caller drawing many."""
        s = self.sigma if sigma is None else sigma
        return self.median if s == 0 else self.median * math.exp(s * _N.inv_cdf(u))

    def problem(self) -> str | None:
        """Why this median and share cannot both hold for a log-normal factor, or None."""
        m, b = self.median, self.broken
        if not (m > 0 and math.isfinite(m)):
            return f"median must be a number above 0; got {m:g}"
        if not 0 <= b <= 1:
            return f"broken is a share from 0 to 1; got {b:g}"
        if m < 1 and b >= 0.5:
            return f"a median of {m:g} puts under half the answers over the promise: broken must be below 0.5 (got {b:g})"
        if m > 1 and b <= 0.5:
            return f"a median of {m:g} puts over half the answers over the promise: broken must be above 0.5 (got {b:g})"
        if m == 1 and b != 0:
            return ("a median of 1 puts exactly half over the promise whatever the spread; "
                    "write broken: 0 for the promise exactly, or move the median off 1")
        if (b == 0 and m > 1) or (b == 1 and m < 1):
            return f"broken: {b:g} contradicts a median of {m:g}"
        return None

    def describe(self) -> str:
        return f"median {self.median:g}× the promise, {self.broken:.0%} over it"


@attrs.frozen
class Demand:
    incidents_per_client_month: float
    hours: Duration

    def describe(self) -> str:
        return f"{self.incidents_per_client_month:g} incidents per client per month, {self.hours} each"


@attrs.frozen
class StressModel:
    responds: Spread = Spread(0.5, 0.1)
    takes: Spread = Spread(1.15, 0.6)
    unreachable: float = 0.02
    demand: Demand = Demand(2.0, Duration(3 * 3600, text="3h"))
    source: str = attrs.field(default="defaults", eq=False)  # where it came from, for the printout

    def as_dict(self) -> dict[str, Any]:
        """The model as written in a stress/v1 file (also the transcript header's copy)."""
        return {
            "ttx": "stress/v1",
            "responds": {"median": self.responds.median, "broken": self.responds.broken},
            "takes": {"median": self.takes.median, "broken": self.takes.broken},
            "unreachable": self.unreachable,
            "demand": {"incidents_per_client_month": self.demand.incidents_per_client_month,
                       "hours": str(self.demand.hours)},
        }

    def describe(self) -> list[str]:
        return [
            f"responds: {self.responds.describe()}",
            f"takes: {self.takes.describe()}",
            f"unreachable: {self.unreachable:.1%} of pages find their role unreachable",
            f"demand: {self.demand.describe()}",
        ]


DEFAULT = StressModel()

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
    import json

    from ..yamlsrc import parse

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


def hours_of(d: Duration) -> float:
    return d.seconds / 3600


__all__ = ["DEFAULT", "Demand", "Spread", "StressModel", "from_dict", "from_document", "hours_of"]
