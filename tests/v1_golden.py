"""Frozen v1 behaviour for the v1.1 compatibility property (tests/test_v1_compat.py).

`python -m tests.v1_golden` was run ONCE, from a directory holding `git archive 2513a7b simulator scoring tests`
unpacked (the last v1 engine, loader and scorer; the strategies come from tests/test_properties.py), and
wrote tests/golden/v1-scores.json: generated scenario/runbook pairs with what v1 made of them (the
events' digest, the pages, every obligation's due/done/status/credit, category and overall scores).
Do not re-run it on a later commit: the file is the old engine's word, not the current one's.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

GOLDEN = Path(__file__).resolve().parent / "golden" / "v1-scores.json"
CASES = 150


def digest(events: list[Any]) -> str:
    """The events as v1 recorded them, in a form that only changes when an event does."""
    rows = [[e.t, e.type, e.data] for e in events]
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()


def outcome(card: Any, events: list[Any]) -> dict[str, Any]:
    return {
        "events": digest(events),
        "pages": [[e.t, e.data["role"], e.data.get("why") or ""] for e in events if e.type == "page"],
        "answers": [[e.t, e.data["role"], e.data.get("stands_in_for")] for e in events if e.type == "answer"],
        "results": [[r.id, r.status, r.due, r.done_at, round(r.credit, 6)] for r in card.results],
        "categories": {c.name: c.score for c in card.categories},
        "overall": card.overall,
    }


@st.composite
def pair(draw: Any) -> tuple[dict, dict]:
    from tests.test_properties import runbooks, scenarios

    sdoc = draw(scenarios())
    rdoc = draw(runbooks())
    if draw(st.booleans()):  # a third inject: a second notify to the CEO, sometimes ordered after a task's start
        ob: dict[str, Any] = {"notify": "ceo", "within": f"{draw(st.integers(30, 300))}m"}
        if draw(st.booleans()):
            ob["before"] = "act:t1"
        sdoc["injects"].append({"id": "later", "at": f"{draw(st.integers(0, 240))}m", "message": "Later", "expects": [ob]})
    if draw(st.booleans()):  # an unreachable spell for a role that may already be working the incident
        sdoc["curveballs"].append({"at": f"{draw(st.integers(10, 240))}m", "unreachable": draw(st.sampled_from(sorted(rdoc["roles"]))),
                                   "for": f"{draw(st.integers(5, 180))}m"})
    return sdoc, rdoc


def main() -> None:
    from scoring.scorecard import score
    from simulator.engine import play
    from tests.helpers import load_pair

    cases: list[dict[str, Any]] = []

    @settings(max_examples=CASES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(pair())
    def collect(p: tuple[dict, dict]) -> None:
        sdoc, rdoc = p
        sc, rb = load_pair(sdoc, rdoc)
        events = play(sc, rb)
        cases.append({"scenario": sdoc, "runbook": rdoc, "v1": outcome(score(sc, rb, events), events)})

    collect()
    GOLDEN.write_text(json.dumps({"commit": "2513a7b", "cases": cases}, indent=None, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {GOLDEN}")


if __name__ == "__main__":
    main()
