"""Erlang C: how long a page waits for a shared (pooled) engineer (SPEC section 12).

A pool of `c` people serves `m` clients; incidents arrive as a Poisson stream and each holds one
person for an exponentially distributed time with mean `hours`. That is the M/M/c queue, and
Erlang C gives the chance that a new incident finds every person busy. Pure arithmetic, no I/O.
"""

from __future__ import annotations

import math

from ..record import record
from ..timing import format_span

MONTH_HOURS = 30 * 24  # SPEC section 12: a month is 30 days


def erlang_c(c: int, a: float) -> float:
    """P(wait) = C(c, a) for c servers offered a erlangs; 1.0 when overloaded (a >= c).

    Computed through the Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)), which never forms
    a^c or c! (both overflow long before a pool of 200 people), then C = c·B / (c − a·(1 − B)).
    """
    if c < 1:
        raise ValueError("a pool needs at least one person")
    if a < 0:
        raise ValueError("offered load cannot be negative")
    if a >= c:
        return 1.0
    if a == 0:
        return 0.0
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return c * b / (c - a * (1 - b))


@record
class Queue:
    """One pool at the model's demand: offered load, P(wait) and the wait's law."""

    staff: int
    clients: int
    load: float  # a, in erlangs
    p_wait: float
    hours: float  # mean time one incident holds a person

    @property
    def overloaded(self) -> bool:
        return self.load >= self.staff

    @property
    def rate(self) -> float:
        """Rate (per hour) of the exponential wait of a page that waits: (c − a) / hours."""
        return (self.staff - self.load) / self.hours

    @property
    def mean_wait_hours(self) -> float:
        """Mean wait over all pages (waiting or not): C(c, a) · hours / (c − a); inf when overloaded."""
        return math.inf if self.overloaded else self.p_wait / self.rate

    def wait_seconds(self, u_wait: float, u_time: float) -> int:
        """A page's wait from two uniform draws in (0, 1): none unless u_wait < P(wait)."""
        if u_wait >= self.p_wait:
            return 0
        return round(-math.log(u_time) / self.rate * 3600)


def queue(staff: int, clients: int, incidents_per_client_month: float, hours: float) -> Queue:
    """a = m × incidents per client per hour × hours per incident (SPEC section 12)."""
    load = clients * incidents_per_client_month / MONTH_HOURS * hours
    return Queue(staff, clients, load, erlang_c(staff, load), hours)


def pool_words(q: Queue, demand: str) -> str:
    """A shared pool at a demand, in words: the finding, the stress report and a sampled page say it alike."""
    head = f"{q.staff} staff for {q.clients} clients (at {demand}, {q.load:.2f} erlangs)"
    if q.overloaded:
        return head + ": more work than people, so its pages are never answered"
    return head + f": a page waits in {q.p_wait:.0%} of cases, {format_span(round(q.mean_wait_hours * 3600))} on average"
