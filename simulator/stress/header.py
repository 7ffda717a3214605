"""The worst night as a transcript: what its header holds, and how `verify` re-derives it.

A stress transcript's header is an ordinary auto header (the scenario and runbook as played,
their hashes) plus `stress`: the model, the seed, the start the night was moved to, the sample
number and the draws the play consulted. Re-deriving the draws from (seed, start, sample) and
playing again must give the same draws and the same events, so editing any one of them shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs

from .. import model as m
from .chance import Night, pools
from .model import StressModel
from .sweep import Start, exists


def block(model: StressModel, seed: int, start: Start, sample: int, night: Night | None) -> dict[str, Any]:
    return {"model": model.as_dict(), "seed": seed, "starts": start.key, "sample": sample,
            "draws": [] if night is None else night.draws}


def moved(scenario: m.Scenario, stress: Any) -> m.Scenario:
    """The scenario with `starts` moved where the header says; ValueError if the header is not one."""
    if not isinstance(stress, dict) or not isinstance(stress.get("starts"), str):
        raise ValueError("header's stress block has no starts")
    try:
        local = datetime.fromisoformat(stress["starts"])
    except ValueError:
        raise ValueError(f"header's stress starts {stress['starts']!r} is not a local time") from None
    if local.tzinfo is not None or not exists(local, scenario.timezone):
        raise ValueError(f"header's stress starts {stress['starts']!r} is not a local time in {scenario.timezone}")
    return attrs.evolve(scenario, starts=local)


def night(runbook: m.Runbook, stress: dict[str, Any], from_dict: Callable[[dict[str, Any], str], StressModel]) -> Night | None:
    """The night's draws re-derived from the header's model, seed, start and sample (None: as stated).
    `from_dict` reads the header's copy of the model (`loading.stress.from_dict`: the shell reads, this derives)."""
    sample, seed = stress.get("sample"), stress.get("seed")
    if not isinstance(sample, int) or isinstance(sample, bool) or sample < 0:
        raise ValueError("header's stress sample is not a whole number")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError("header's stress seed is not a whole number")
    if sample == 0:
        return None
    given = stress.get("model")
    model = from_dict(given, "transcript header") if isinstance(given, dict) else None
    if model is None:
        raise ValueError("header's stress block has no model")
    return Night(model, pools(runbook, model), seed, stress["starts"], sample)


def draw_problem(stress: dict[str, Any], derived: Night | None) -> str | None:
    """The first recorded draw that the seed does not give, in words; None when all match."""
    recorded = stress.get("draws")
    want = [] if derived is None else derived.draws
    if not isinstance(recorded, list):
        return "the header's stress draws are missing"
    for i, (got, exp) in enumerate(zip(recorded, want), start=1):
        if got != exp:
            key = exp.get("key", "?")
            return f"stress draw {i} ({key}) is not what seed {stress.get('seed')} gives for this night (header edited)"
    if len(recorded) != len(want):
        return f"the header lists {len(recorded)} stress draws; the night consults {len(want)} (header edited)"
    return None
