"""`ttx` command line (SPEC section 8): the entry point, and how every problem reaches the user.

Verbs that need no terminal UI never import Textual, and this module imports nothing of ttx until a command
runs (but `startup`, a few lines on the garbage collector). The argument tree is `cliargs`, each verb's handler
is in `verbs`. `ttx validate FILE...`, the verb editors and scripts run on every save, is read here without
argparse when it is written plainly: argparse, its help machinery and the parser cost a one-shot validation
about as much as the checking itself.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from . import startup

if TYPE_CHECKING:
    import argparse

_QUIET = ("-q", "--quiet")


def plain_validate(argv: list[str]) -> Any:
    """`ttx validate [-q] FILE... [-q]` read as argparse reads it, or None for anything else (help,
    another option, `--`, a -q between files...), which the full parser then reads and, if need be,
    refuses with its own message. tests/test_cli_habits.py holds the two readings side by side."""
    if "_ARGCOMPLETE" in os.environ or len(argv) < 2 or argv[0] != "validate":
        return None
    rest = argv[1:]
    start, end = 0, len(rest)
    while start < end and rest[start] in _QUIET:
        start += 1
    while end > start and rest[end - 1] in _QUIET:
        end -= 1
    files = rest[start:end]
    if not files or any(f.startswith("-") and f != "-" for f in files):  # `-` alone is standard input, a file
        return None
    from .verbs import cmd_validate

    return SimpleNamespace(print_completion=None, verb="validate", files=files, quiet=end - start < len(rest),
                           func=cmd_validate)


# `ttx play SCENARIO --runbook R [-o OUT]`, as a facilitator starts an exercise: its options and where they go
_PLAY_OPTIONS = {"--runbook": "runbook", "-r": "runbook", "-o": "output", "--output": "output"}


def plain_play(argv: list[str]) -> Any:
    """`ttx play SCENARIO --runbook R [-o OUT]` read as argparse reads it, or None for anything else (the picker,
    --resume, --serve, `--runbook=R`, a value that starts with `-`, an option twice...), which the full parser reads.
    Importing argparse and building the parser is a hundredth of the time to the exercise's first frame.
    tests/test_cli_habits.py holds the two readings side by side."""
    if "_ARGCOMPLETE" in os.environ or not argv or argv[0] != "play":
        return None
    got: dict[str, str | None] = {"scenario": None, "runbook": None, "output": None}
    rest, i = argv[1:], 0
    while i < len(rest):
        token = rest[i]
        key = _PLAY_OPTIONS.get(token)
        if key is not None:
            if got[key] is not None or i + 1 >= len(rest) or rest[i + 1].startswith("-"):
                return None
            got[key], i = rest[i + 1], i + 2
        elif token.startswith("-") or got["scenario"] is not None:
            return None
        else:
            got["scenario"], i = token, i + 1
    if got["scenario"] is None or got["runbook"] is None:
        return None
    from .verbs import cmd_play

    return SimpleNamespace(print_completion=None, verb="play", **got, resume=None, library=None, serve=False, host=None,
                           port=None, served=False, sign_key=None, func=cmd_play)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The `ttx` argument parser (`cliargs.build_parser`), imported only when a command needs it."""
    from .cliargs import build_parser as build

    return build(only)


def _is_transcript_error(e: BaseException) -> bool:
    # Only verbs that touch transcripts import that module (and hashlib): `validate` starts faster without.
    mod = sys.modules.get(f"{__package__}.transcript")
    return mod is not None and isinstance(e, mod.TranscriptError)


def main(argv: Sequence[str] | None = None) -> int:
    from .errors import UserError
    from .verbs import EXIT_INVALID, EXIT_OK, print_load_error
    from .yamlsrc import LoadError

    if "_ARGCOMPLETE" in os.environ:  # the shell asks what may come next: argcomplete answers and exits
        import argcomplete

        argcomplete.autocomplete(build_parser())
    argv = list(sys.argv[1:] if argv is None else argv)
    args = (plain_validate(argv) or plain_play(argv)
            or build_parser(argv[0] if argv and not argv[0].startswith("-") else None).parse_args(argv))
    startup.resume()  # the arguments are read; `play` and `replay` pause it again until their first frame
    try:
        return int(args.func(args))
    except LoadError as e:
        print_load_error(e)
    except UserError as e:
        print(str(e), file=sys.stderr)
    except BrokenPipeError:  # `ttx run ... | head` is fine
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except KeyboardInterrupt:
        print("ttx: interrupted", file=sys.stderr)
        return 130
    except OSError as e:
        if _is_transcript_error(e):  # a transcript that could not be written says which and why itself
            print(str(e), file=sys.stderr)
        else:
            print(f"ttx: {e.filename or ''}: {e.strerror or e}".replace(": : ", ": "), file=sys.stderr)
    except Exception as e:  # a bug of ours: say so plainly instead of a traceback
        if _is_transcript_error(e):
            print(str(e), file=sys.stderr)
            return EXIT_INVALID
        if os.environ.get("TTX_DEBUG"):
            raise
        print(f"ttx: internal error ({type(e).__name__}: {e}); set TTX_DEBUG=1 for details and please report it",
              file=sys.stderr)
        return 70
    return EXIT_INVALID


def child_main(argv: list[str]) -> int:
    """One browser tab: `ttx play ARGS`, continuing the exercise when its `-o` transcript already exists."""
    args = build_parser().parse_args(["play", *argv])
    if args.output and not args.resume and os.path.exists(args.output):
        return main(["play", "--served", "--resume", args.output])
    return main(["play", "--served", *argv])


def collect_less() -> None:
    """How a `ttx` process runs its cyclic garbage collector (set first thing, before anything is imported):
    paused until the arguments are read (simulator.startup), then a pass every 50,000 allocations, not
    Python's 700, which holds a few MB of cyclic garbage at most."""
    gc.set_threshold(50_000)
    startup.pause()


def entry() -> None:
    """`ttx` and `ttx-tabletop`: one command in a process of its own."""
    collect_less()
    code = main()
    # The command is done and its files are closed: the interpreter's exit need not search everything
    # left for cycles (a tenth of a short command's time); refcounting still frees it all on the way out.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # `python -m simulator.cli ARGS`: one browser tab of `ttx play --serve`
    sys.exit(child_main(sys.argv[1:]))