"""One measurement in a fresh interpreter, for bench/run.py; prints one JSON object on its last line.

    probe.py first-frame bare|bare-libs|ttx TMP   spawn -> first frame; exits right after it
                                           (bare-libs: the bare app, having imported yaml, attrs, cattrs)
    probe.py keypress TMP N REPEAT         record an action in a live exercise of N events
    probe.py replay TMP N REPEAT           open a replay of an N-event transcript, step, peak memory

The apps are run exactly as the command line runs them (`ttx play ...` / `ttx replay ...` go through
`simulator.cli.main`), except that `App.run` is made headless with an autopilot. A "frame" is a
compositor update handed to the display (`App._display`), which Textual computes headless too.
The spawn time comes from the parent in TTX_BENCH_SPAWN (time.time()). Every ttx probe sets the cyclic
collector as the `ttx` command does first thing (`simulator.cli.collect_less`); the bare app keeps Python's.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SPAWN = float(os.environ.get("TTX_BENCH_SPAWN") or time.time())
FRAMES: list[tuple[float, Any]] = []  # (perf_counter, screen) of every frame
CPU_AT: dict[float, float] = {}  # perf_counter of a frame -> the process's CPU time then
RESULT: dict[str, Any] = {}
_CONTENT_WAITERS: list[Any] = []  # asyncio.Events set at the first frame with content (`content_frame`)
SIZE = (120, 40)
EXIT_AT_FIRST_FRAME = os.environ.get("TTX_BENCH_EXIT_AT_FIRST_FRAME") == "1"  # for instructions to the first frame
RECORD_KEY = "enter"  # records from any field of an action form ("one key and Enter"); ctrl+s does too


def since_spawn_ms() -> float:
    return (time.time() - SPAWN) * 1000


def patch_textual(pilot_fn: Callable[[Any, Any], Awaitable[None]]) -> None:
    """Make every App.run headless, record frames, and hand the running app to `pilot_fn`.

    Textual is patched as it is imported, not imported here: `ttx play` imports it late, with its cyclic collector
    paused (simulator.tui.launch), and a probe that imported it first would time a start no user has."""
    if "textual.app" in sys.modules:
        _patch_app(sys.modules["textual.app"].App, pilot_fn)
        return

    class PatchOnImport(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
            if name != "textual.app":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            loader = spec.loader if spec else None
            if loader is None or not hasattr(loader, "exec_module"):
                raise RuntimeError("cannot patch textual.app as it is imported")
            exec_module = loader.exec_module

            def exec_then_patch(module: Any) -> None:
                exec_module(module)
                _patch_app(module.App, pilot_fn)

            loader.exec_module = exec_then_patch  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, PatchOnImport())


def _patch_app(App: Any, pilot_fn: Callable[[Any, Any], Awaitable[None]]) -> None:
    orig_display = App._display
    orig_run = App.run

    def _display(self: Any, screen: Any, renderable: Any) -> None:
        if renderable is not None:
            now = time.perf_counter()
            CPU_AT[now] = time.process_time()
            FRAMES.append((now, screen))
        content = renderable is not None and len(screen.children) > 0  # as `first_content_frame` counts a frame
        if content:
            for waiter in _CONTENT_WAITERS:
                waiter.set()
        orig_display(self, screen, renderable)
        if content and EXIT_AT_FIRST_FRAME:
            os._exit(0)  # counted to here and no further (an instruction count has no clock to stop)

    def run(self: Any, *args: Any, **kw: Any) -> Any:
        async def auto(pilot: Any) -> None:
            try:
                await pilot_fn(self, pilot)
            except BaseException as e:  # report, never hang
                RESULT["error"] = f"{type(e).__name__}: {e}"
            self.exit(0)

        kw.update(headless=True, size=SIZE, auto_pilot=auto)
        return orig_run(self, *args, **kw)

    App._display = _display  # type: ignore[method-assign]
    App.run = run  # type: ignore[method-assign]


def first_content_frame(app: Any, after: float = 0.0) -> float | None:
    """The first frame of a screen with widgets on it (the app's own screen, not Textual's blank default)."""
    for t, screen in FRAMES:
        if t >= after and len(screen.children) > 0:
            return t
    return None


async def content_frame(app: Any, timeout: float = 20.0) -> float | None:
    """The time of the first frame with content, awaited without polling: the autopilot starts as the app gets
    ready, before that frame, and a poll every millisecond spent the probed process's CPU in the very interval being
    timed (more of it the longer the start; under valgrind, 117 M instructions of ttx's 1,392 M)."""
    import asyncio

    got = first_content_frame(app)
    if got is None:
        waiter = asyncio.Event()
        _CONTENT_WAITERS.append(waiter)
        try:
            await asyncio.wait_for(waiter.wait(), timeout)
        except TimeoutError:
            return None
        finally:
            _CONTENT_WAITERS.remove(waiter)
        got = first_content_frame(app)
    return got


async def wait_for(pred: Callable[[], Any], pilot: Any = None, timeout: float = 20.0) -> Any:
    """Poll with plain sleeps: Pilot.pause() would force a refresh and wait for the CPU to idle,
    which a screen with a running clock never quite does."""
    import asyncio

    t_end = time.perf_counter() + timeout
    while True:
        got = pred()
        if got or time.perf_counter() > t_end:
            return got
        await asyncio.sleep(0.001)


def send_key(app: Any, key: str) -> None:
    """Deliver a key the way the terminal driver does (Pilot.press would then wait for idle twice)."""
    from textual import events

    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)


async def settle(seconds: float = 0.3) -> None:
    import asyncio

    await asyncio.sleep(seconds)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# --- probes -----------------------------------------------------------------------------------


def first_frame(which: str, tmp: str) -> None:
    t_start = time.perf_counter()

    async def pilot_fn(app: Any, pilot: Any) -> None:
        got = await content_frame(app)
        if got is None:
            raise RuntimeError("no frame with content was drawn")
        RESULT["first_frame_ms"] = since_spawn_ms() - (time.perf_counter() - got) * 1000
        RESULT["first_frame_cpu_ms"] = CPU_AT[got] * 1000  # the process's CPU time from its start: robust to load
        RESULT["in_script_ms"] = (got - t_start) * 1000

    patch_textual(pilot_fn)
    if which in ("bare", "bare-libs"):
        if which == "bare-libs":  # the libraries any ttx run needs to read a scenario (as `validate`'s reference)
            import attrs  # noqa: F401
            import cattrs  # noqa: F401
            import yaml  # noqa: F401
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("Hello")

        Bare().run()
        return
    try:
        import simulator.tui.launch  # noqa: F401
    except ImportError as e:
        RESULT["skip"] = f"the TUI is not there yet ({e})"
        return
    import gen

    scenario, runbook = gen.SPEC_SCENARIO, gen.SPEC_RUNBOOK
    out = os.path.join(tmp, f"first-frame-{os.getpid()}.ttx.jsonl")
    from simulator.cli import main

    code = main(["play", scenario, "--runbook", runbook, "-o", out])
    if code:
        RESULT["error"] = f"ttx play exited {code}"


def keypress(tmp: str, n: int, repeat: int) -> None:
    """Open a live exercise whose transcript holds n events (0: a fresh one), then record
    `repeat` acknowledgements the way a facilitator does: the action key, then Enter in the form (the documented usual case).
    Time: from the key press to the first frame of the exercise screen after the event is on disk."""
    import gen

    try:
        import simulator.tui.launch  # noqa: F401
    except ImportError as e:
        RESULT["skip"] = f"the TUI is not there yet ({e})"
        return
    written: list[float] = []
    samples: list[float] = []
    submit_samples: list[float] = []
    form_samples: list[float] = []
    submit_cpu: list[float] = []

    async def pilot_fn(app: Any, pilot: Any) -> None:
        if await content_frame(app) is None:
            raise RuntimeError("no frame with content was drawn")
        session = getattr(app, "session", None)
        if session is None or not hasattr(session, "listeners"):
            raise RuntimeError("the app has no live session with listeners")
        exercise = app.screen
        session.listeners.append(lambda evs: written.append(time.perf_counter()))
        for _ in range(repeat + 1):  # the first one warms caches and is dropped
            await settle()
            before = len(written)
            t0 = time.perf_counter()
            send_key(app, "a")
            form = await wait_for(lambda: app.screen if app.screen is not exercise else None, None, 5)
            if form is None:
                raise RuntimeError("pressing a opened no form")
            t_form = await wait_for(lambda: next((t for t, s in FRAMES if t > t0 and s is form), None), None, 5)  # noqa: B023 - awaited within this iteration
            await settle()  # a person reads the form before pressing Enter
            t1, c1 = time.perf_counter(), time.process_time()
            send_key(app, RECORD_KEY)
            ok = await wait_for(lambda: len(written) > before, None, 5)  # noqa: B023 - awaited within this iteration
            if not ok:
                raise RuntimeError(f"pressing a, then {RECORD_KEY} in the form, recorded nothing")
            tw = written[-1]
            frame = await wait_for(lambda: next((t for t, s in FRAMES if t > tw and s is exercise), None), None, 5)  # noqa: B023 - awaited within this iteration
            if frame is None or t_form is None:
                raise RuntimeError("the exercise screen was not redrawn after recording")
            samples.append((frame - t1 + t_form - t0) * 1000)  # both keys' latency, not the reading pause
            submit_samples.append((frame - t1) * 1000)
            submit_cpu.append((CPU_AT[frame] - c1) * 1000)
            form_samples.append((t_form - t0) * 1000)
        RESULT["keypress_ms"] = statistics.median(samples[1:])
        RESULT["submit_ms"] = statistics.median(submit_samples[1:])
        RESULT["events"] = len(session.events)
        RESULT["form_ms"] = statistics.median(form_samples[1:])
        RESULT["submit_cpu_ms"] = statistics.median(submit_cpu[1:])
        RESULT["note"] = (f"action key → form drawn {RESULT['form_ms']:.1f} ms; "
                          f"Enter → recorded and exercise screen redrawn {RESULT['submit_ms']:.1f} ms")

    patch_textual(pilot_fn)
    from simulator.cli import main

    if n:
        path = gen.write_transcript(tmp, n, live_open=True, name=f"keypress-{n}-{os.getpid()}")
        code = main(["play", "--resume", path])
    else:
        out = os.path.join(tmp, f"keypress-0-{os.getpid()}.ttx.jsonl")
        code = main(["play", gen.SPEC_SCENARIO, "--runbook", gen.SPEC_RUNBOOK, "-o", out])
    if code:
        RESULT.setdefault("error", f"ttx play exited {code}")


def replay(tmp: str, n: int, repeat: int) -> None:
    """`ttx replay` on an n-event transcript: spawn -> first frame; one step back (left arrow) ->
    redrawn screen; the process's peak resident memory."""

    try:
        import simulator.tui.launch  # noqa: F401
    except ImportError as e:
        RESULT["skip"] = f"the TUI is not there yet ({e})"
        return
    path = os.path.join(tmp, f"replay-{n}.ttx.jsonl")
    if not os.path.exists(path):
        raise SystemExit("run.py writes the transcript before the probe")
    steps: list[float] = []
    steps_cpu: list[float] = []

    async def pilot_fn(app: Any, pilot: Any) -> None:
        got = await content_frame(app, 60)
        if got is None:
            raise RuntimeError("no frame with content was drawn")
        RESULT["open_ms"] = since_spawn_ms() - (time.perf_counter() - got) * 1000
        screen = app.screen
        for _ in range(repeat + 1):
            await settle(0.1)
            t0, c0 = time.perf_counter(), time.process_time()
            send_key(app, "left")
            frame = await wait_for(lambda: next((t for t, s in FRAMES if t > t0 and s is screen), None), None, 10)  # noqa: B023 - awaited within this iteration
            if frame is None:
                raise RuntimeError("the replay screen was not redrawn after a step")
            steps.append((frame - t0) * 1000)
            steps_cpu.append((CPU_AT[frame] - c0) * 1000)
        RESULT["step_ms"] = statistics.median(steps[1:])
        RESULT["step_cpu_ms"] = statistics.median(steps_cpu[1:])

    patch_textual(pilot_fn)
    from simulator.cli import main

    code = main(["replay", path])
    if code:
        RESULT.setdefault("error", f"ttx replay exited {code}")
    RESULT["peak_mb"] = peak_mb()


def main(argv: list[str]) -> int:
    sys.path[:0] = [ROOT, HERE]
    what = argv[0]
    if what in ("keypress", "replay") or argv[1:2] == ["ttx"]:  # ttx, started as the `ttx` command starts
        from simulator.cli import collect_less  # (simulator.cli.entry), before anything else is imported

        collect_less()
    if what == "first-frame":
        first_frame(argv[1], argv[2])
    elif what == "keypress":
        keypress(argv[1], int(argv[2]), int(argv[3]))
    elif what == "replay":
        replay(argv[1], int(argv[2]), int(argv[3]))
    else:
        raise SystemExit(f"unknown probe {what!r}")
    RESULT.setdefault("peak_mb", peak_mb())
    print(json.dumps(RESULT))
    return 1 if "error" in RESULT else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
