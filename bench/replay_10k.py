"""Replay on a long transcript: generate a 10,000-event live transcript, then time opening and stepping.

    python bench/replay_10k.py [N]

Prints: generation time, open time (read + first frame), mean/max time per step (→ and ←, and an
inject jump), and peak RSS. Runs headless through Textual's pilot at 120x40.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.exercise import open_pair  # noqa: E402
from simulator.session import Session  # noqa: E402


def generate(path: str, n: int) -> None:
    pair = open_pair(str(ROOT / "scenarios/ransomware-fileserver.yaml"), str(ROOT / "scenarios/runbooks/acme-msp.yaml"))
    wall = [0.0]
    s = Session.start(pair, path, wall=lambda: wall[0], stamp=lambda: "2026-11-22T10:00:00.000Z")
    s.step()
    kinds = [("note", {"text": "the candidate explains the next step in some detail"}),
             ("update", {"stakeholder": "client_it_lead", "via": "phone", "by": "vcto"}),
             ("page", {"role": "noc_tier2", "answers": "+5m"}),
             ("act", {"task": "isolate-host", "by": "noc_tier2"})]
    # batch the writes (one fsync per batch) by going through the writer directly for speed
    from simulator.events import Event

    batch = []
    i = 0
    written = len(s.events)
    while written + len(batch) < n:
        t = min(40000, 10 + i * 4)
        kind, data = kinds[i % len(kinds)]
        if kind == "page":
            batch.append(Event(t, "page", {"role": "noc_tier2", "reason": "bench", "backs": None, "answers_at": t + 300, "why": ""}))
        elif kind == "update":
            batch.append(Event(t, "update", {"stakeholder": "client_it_lead", "via": "phone", "by": "vcto", "delivered": True}))
        elif kind == "act":
            batch.append(Event(t, "act", {"task": "isolate-host", "by": "noc_tier2", "started": t}))
        else:
            batch.append(Event(t, "note", {"text": data["text"]}))
        i += 1
        if len(batch) >= 1000:
            s.writer.append(batch, wall="2026-11-22T10:00:00.000Z")
            written += len(batch)
            batch = []
    if batch:
        s.writer.append(batch, wall="2026-11-22T10:00:00.000Z")
    s.close()


async def drive(path: str) -> dict[str, float]:
    from simulator.tui.app import make_app

    t0 = time.perf_counter()
    app = make_app(replay=path)
    t_open = time.perf_counter() - t0
    out: dict[str, float] = {"construct_s": t_open}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        out["open_to_first_frame_s"] = time.perf_counter() - t0
        noop = []
        for _ in range(20):  # the pilot's own cost per key press, for comparison
            a = time.perf_counter()
            await pilot.press("z")
            noop.append(time.perf_counter() - a)
        out["unbound_key_mean_ms"] = 1000 * sum(noop) / len(noop)
        screen = app.screen
        a = time.perf_counter()
        for pos in range(len(screen.replay) - 1, len(screen.replay) - 41, -1):
            screen.pos = pos
            screen.show()
        out["show_one_moment_ms"] = 1000 * (time.perf_counter() - a) / 40
        steps = []
        for key in ["left"] * 20 + ["right"] * 20:
            a = time.perf_counter()
            await pilot.press(key)
            steps.append(time.perf_counter() - a)
        out["step_mean_ms"] = 1000 * sum(steps) / len(steps)
        out["step_max_ms"] = 1000 * max(steps)
        a = time.perf_counter()
        await pilot.press("home")
        await pilot.press("]")
        out["jump_to_inject_ms"] = 1000 * (time.perf_counter() - a)
        a = time.perf_counter()
        await pilot.press("end")
        out["jump_to_end_ms"] = 1000 * (time.perf_counter() - a)
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "long.ttx.jsonl")
        a = time.perf_counter()
        generate(path, n)
        print(f"generated {n} events ({os.path.getsize(path) / 1e6:.1f} MB) in {time.perf_counter() - a:.2f}s")
        res = asyncio.run(drive(path))
    for k, v in res.items():
        print(f"{k:24} {v:8.2f}")
    print(f"{'peak_rss_mb':24} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.1f}")


if __name__ == "__main__":
    main()
