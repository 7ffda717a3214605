"""One sampled night's draws (SPEC section 12), keyed so that they never depend on run order.

Each draw is four uniform numbers derived from (seed, start, sample, what is drawn): `page/ROLE/N/…`
for the Nth page of a role, `step/TASK/N` for the Nth run of a playbook step. The same key gives
the same number in any process and for any `--jobs`, and two models compared on the same seed see
the same uniforms (common random numbers), so a slower `responds` can only push each answer later.
Python's `hash()` is salted per process and is never used.
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

from ..timing import Duration
from . import erlang
from .model import StressModel, hours_of

_SCALE = 2.0**64
_FOUR = struct.Struct(">4Q").unpack  # 4 × 64-bit big-endian words


def _digest(prefix: bytes, key: str) -> tuple[float, float, float, float]:
    a, b, c, d = _FOUR(hashlib.blake2b(prefix + key.encode(), digest_size=32).digest())
    return (a + 0.5) / _SCALE, (b + 0.5) / _SCALE, (c + 0.5) / _SCALE, (d + 0.5) / _SCALE


def uniforms(seed: int, start: str, sample: int, key: str) -> tuple[float, float, float, float]:
    """Four independent numbers in (0, 1) for one draw's identity: 4 × 64 bits of one BLAKE2b digest."""
    return _digest(f"{seed}|{start}|{sample}|".encode(), key)


def pools(runbook: Any, model: StressModel) -> dict[str, erlang.Queue]:
    """Each pooled role's queue at the model's demand (roles without `pool` are not listed).

    `pool: {staff, clients}` is parsed by the loader (SPEC v1.1); read here by attribute so that
    this module does not care which model class carries it.
    """
    out = {}
    for name, role in runbook.roles.items():
        pool = getattr(role, "pool", None)
        if pool is not None:
            out[name] = erlang.queue(int(pool.staff), int(pool.clients), model.demand.incidents_per_client_month,
                                     hours_of(model.demand.hours))
    return out


class Night:
    """The draws of one sampled night, consulted by the engine (engine.Chance) and recorded."""

    def __init__(self, model: StressModel, queues: dict[str, erlang.Queue], seed: int, start: str, sample: int,
                 sigmas: tuple[float, float] | None = None):
        """`sigmas`: the model's (responds, takes) σ, when a caller making many nights computed them once."""
        self.model, self.queues = model, queues
        self.seed, self.start, self.sample = seed, start, sample
        self.sigmas = sigmas or (model.responds.sigma, model.takes.sigma)
        self._prefix = f"{seed}|{start}|{sample}|".encode()
        self.counts: dict[str, int] = {}
        self.draws: list[dict[str, Any]] = []  # in the order the play consulted them

    def _u(self, key: str) -> tuple[float, float, float, float]:
        return _digest(self._prefix, key)

    def _next(self, kind: str, name: str) -> str:
        k = f"{kind}/{name}"
        n = self.counts[k] = self.counts.get(k, 0) + 1
        return f"{k}/{n}"

    def page(self, role: str, responds: Duration) -> tuple[Duration | None, str]:
        key = self._next("page", role)
        draw: dict[str, Any] = {"key": key}
        self.draws.append(draw)
        u_unreachable, u_responds, u_busy, u_wait = self._u(key)
        if u_unreachable < self.model.unreachable:
            draw["unreachable"] = True
            return None, "unreachable when paged (a stress draw)"
        q = self.queues.get(role)
        wait = 0
        if q is not None:
            if q.overloaded:
                draw["overloaded"] = True
                return None, f"its pool is overloaded: {erlang.pool_words(q, self.model.demand.describe())}"
            wait = q.wait_seconds(u_busy, u_wait)
            if wait:
                draw["wait"] = wait
        if responds.business_days:  # a promise in business days is not scaled
            return responds, ""
        factor = self.model.responds.factor(u_responds, self.sigmas[0])
        draw["factor"] = round(factor, 6)
        return Duration(round(responds.seconds * factor) + wait), ""

    def step(self, task: str, takes: Duration) -> Duration:
        key = self._next("step", task)
        if takes.business_days:
            return takes
        factor = self.model.takes.factor(self._u(key)[0], self.sigmas[1])
        self.draws.append({"key": key, "factor": round(factor, 6)})
        return Duration(round(takes.seconds * factor))
