"""`ttx play` and `ttx replay`: open the files, run the app, report bad input in one line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from simulator import startup
from simulator.transcript import TranscriptError
from simulator.yamlsrc import LoadError

if TYPE_CHECKING:
    import argparse


def _fail(e: Exception) -> int:
    print(str(e), file=sys.stderr)
    for other in list(getattr(e, "others", []))[:19]:
        print(other, file=sys.stderr)
    return 1


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The start of `ttx play` and `ttx replay` runs to the first frame (simulator.startup): the app resumes the
    collector once that frame is drawn (TtxApp.on_ready), or this does on the way out."""
    startup.pause()
    try:
        yield
    finally:
        startup.resume()


def play(args: argparse.Namespace) -> int:
    if args.resume and args.scenario:
        print("ttx play: give either a SCENARIO or --resume T.ttx.jsonl, not both", file=sys.stderr)
        return 2
    if args.scenario and not args.runbook:
        print("ttx play: give --runbook RUNBOOK with a scenario (or no arguments for the library picker)", file=sys.stderr)
        return 2
    if args.runbook and not args.scenario and not args.resume:
        print("ttx play: give a SCENARIO with --runbook (or no arguments for the library picker)", file=sys.stderr)
        return 2
    with _collector_paused():
        return _play(args)


def _play(args: argparse.Namespace) -> int:
    from .app import make_app

    try:
        served = tuple(p for p in (args.scenario, args.runbook, args.resume, args.output) if p)
        app = make_app(scenario=args.scenario, runbook=args.runbook, output=args.output, resume=args.resume,
                       library=args.library, served=served if getattr(args, "served", False) else None)
    except (LoadError, TranscriptError) as e:
        return _fail(e)
    except OSError as e:
        print(f"ttx play: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 1
    try:
        app.run()
    finally:
        if app.session is not None:
            try:
                app.session.close()
            except (OSError, ValueError):
                pass
    if app.session is not None:
        from simulator.signing import sign_at_end

        print(f"transcript: {app.session.path}", file=sys.stderr)
        print(sign_at_end(app.session.path, getattr(args, "sign_key", None)), file=sys.stderr)
    return int(app.return_code or 0)


def replay(args: argparse.Namespace) -> int:
    with _collector_paused():
        return _replay(args)


def _replay(args: argparse.Namespace) -> int:
    from .app import make_app

    try:
        app = make_app(replay=args.transcript)
    except (LoadError, TranscriptError) as e:
        return _fail(e)
    app.run()
    return int(app.return_code or 0)
