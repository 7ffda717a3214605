"""The stress model (`ttx: stress/v1`, SPEC section 12): how far a night strays from the promises.

Pure data and arithmetic; reading a `ttx: stress/v1` file (or a transcript header's copy) into one,
with `FILE:LINE:COL` errors, is `simulator.loading.stress`. The defaults and their sources are in
docs/stress.md; every result prints the model it used.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import attrs

from ..record import record
from ..timing import Duration

_N = NormalDist()


@record
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


@record
class Demand:
    incidents_per_client_month: float
    hours: Duration

    def describe(self) -> str:
        return f"{self.incidents_per_client_month:g} incidents per client per month, {self.hours} each"


@record
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


def hours_of(d: Duration) -> float:
    return d.seconds / 3600


__all__ = ["DEFAULT", "Demand", "Spread", "StressModel", "hours_of"]
