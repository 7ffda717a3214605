"""A live exercise in a child process, for the fault tests (tests/test_faults.py).

    python tests/fault_child.py start|resume|hold PATH SEED

`start`/`resume` record actions as fast as they can, as a facilitator would at
a keyboard, and print `RECORDED <seq> <type> ...` once each call has returned:
that is the moment a screen shows an entry as recorded. The parent kills this
process at random moments and checks every printed entry is in the transcript.
`hold` opens (resumes) the transcript, prints READY and waits, holding its lock.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.exercise import open_pair  # noqa: E402
from simulator.session import CORRECTABLE, Session, SessionError  # noqa: E402

SCENARIO = str(ROOT / "scenarios" / "ransomware-fileserver.yaml")
RUNBOOK = str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")
# Multi-byte text, so that a cut can land in the middle of a character.
NOTES = ("café → isolation ✓", "CEO says «negotiate»", "日本語のメモ", "plain note", "émoji 🔥 on FS01")


def one_action(s: Session, rng: random.Random, i: int) -> list:
    roll = rng.random()
    if roll < 0.05 and s.next_inject_time() is not None:
        return s.step()
    if roll < 0.10:
        return s.pause() if s.running else s.run(rng.choice((1, 10, 60)))
    if roll < 0.20:
        live = [e.seq for e in s.events if e.type in CORRECTABLE and e.seq not in s.retracted]
        if live:
            return s.retract(rng.choice(live), why="facilitator correction")
    if roll < 0.28:
        live = [e.seq for e in s.events if e.type == "note" and e.seq not in s.retracted]
        if live:
            return s.amend(rng.choice(live), "note", text=f"{rng.choice(NOTES)} (edited {i})")
    kind = rng.choice(("note", "note", "act", "notify", "page", "acknowledge", "decide"))
    when = rng.choice(("now", "now", "+5m", "-2m"))
    if kind == "note":
        return s.record("note", when, text=f"{rng.choice(NOTES)} #{i}")
    if kind == "act":
        return s.record("act", when, task=rng.choice(("isolate-host", "restore-from-backup")), by="noc_tier2")
    if kind == "notify":
        return s.record("notify", when, stakeholder=rng.choice(("client_it_lead", "ceo")), via="phone", by="vcto")
    if kind == "page":
        return s.record("page", when, role=rng.choice(("noc_tier2", "vcto", "soc_manager")), answers="+10m")
    if kind == "acknowledge":
        return s.record("acknowledge", when, by="noc_tier2")
    return s.record("decide", when, decision="restore-or-negotiate", by="ceo")


def main() -> int:
    mode, path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    if mode == "start":
        s = Session.start(open_pair(SCENARIO, RUNBOOK), path)
    else:
        s = Session.resume(path)
    if s.truncated:
        print("TRUNCATED", flush=True)
    print(f"READY {len(s.events)}", flush=True)
    if mode == "hold":
        time.sleep(60)
        return 0
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
    for i in range(limit):
        try:
            written = one_action(s, rng, i)
        except SessionError:
            continue
        if written:
            # one short line per call: a pipe write this small is atomic, so the parent never sees half of it
            print("RECORDED " + " ".join(f"{e.seq}:{e.type}" for e in written), flush=True)
        if s.ended:
            break
    s.close()
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
