"""One way to drive the TUI in tests (Textual's Pilot), shared by every TUI test.

The app comes from the factory the command line uses (`simulator.tui.app.make_app`), given a wall
clock the test moves (`FakeWall`) and a fixed `created` stamp, so screens and transcripts are the same
on every run. `exercise` opens the shipped ransomware pair at the first inject, the usual start.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual import events

from simulator.tui.app import TtxApp, make_app

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = str(ROOT / "scenarios" / "ransomware-fileserver.yaml")
RUNBOOK = str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")
SIZE = (100, 34)
KEYS = {"enter", "tab", "down", "up", "escape", "space", "delete", "backspace"}


class FakeWall:
    """The wall clock the session reads: it moves only when a test moves `t`."""

    def __init__(self, t: float = 0.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def stamp() -> str:
    return "2026-11-22T10:00:00.000Z"


def sync(fn):
    """Run an async pilot test on a fresh event loop (no async pytest plugin is needed)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return run


def app_for(path: Path | str, wall: FakeWall | None = None, *, scenario: str = SCENARIO, runbook: str = RUNBOOK,
            **kw: Any) -> TtxApp:
    """A live exercise of the pair recording to `path`, as `ttx play SCENARIO --runbook RUNBOOK -o PATH` opens it."""
    return make_app(scenario=scenario, runbook=runbook, output=str(path), wall=wall or FakeWall(), stamp=stamp, **kw)


@asynccontextmanager
async def exercise(path: Path, *, size: tuple[int, int] = SIZE, step: bool = True, **kw: Any) -> AsyncIterator[tuple[TtxApp, Any]]:
    """The app running (with its pilot), stepped to the first inject (02:07 edr-alert) unless `step=False`; the
    toasts of getting there (a curveball starting with the inject) cleared, so a test sees its own."""
    app = app_for(path, **kw)
    async with app.run_test(size=size) as pilot:
        if step:
            await pilot.press("s")
            await pilot.pause()
            app.clear_notifications()
        yield app, pilot


async def results(app, pilot):
    """The exercise ended now (stopped), and the results screen it opens, drawn."""
    app.session.end("stopped")
    app.show_results()
    await pilot.pause()
    await pilot.pause()
    return app.screen


async def record(pilot, key: str, *presses: str) -> None:
    """Open a form with its key, then press the rest (the last press is usually Enter to record)."""
    await pilot.press(key)
    for p in presses:
        if p in KEYS or p.startswith(("shift+", "ctrl+")):
            await pilot.press(p)
        else:  # text typed into a field
            await pilot.press(*["space" if ch == " " else ch for ch in p])


def burst(app, key: str, n: int, character: str | None = None) -> None:
    """n key presses queued at once, as a fast typist (or a stuck key) sends them: nothing runs in between."""
    for _ in range(n):
        app.post_message(events.Key(key, character))


def type_ahead(app, text: str) -> None:
    """`text` typed in one burst, nothing run in between (a fast typist, keys arriving in one batch over ssh):
    Tab, Enter, Escape and Backspace written as \\t, \\r, \\x1b and \\x7f."""
    named = {" ": "space", "\t": "tab", "\r": "enter", "\x1b": "escape", "\x7f": "backspace"}
    for ch in text:
        app.post_message(events.Key(named.get(ch, ch), None if ch in "\t\x1b" else ch))
