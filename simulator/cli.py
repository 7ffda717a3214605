"""`ttx` command line (SPEC section 8). Verbs that need no terminal UI never import Textual."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from . import __version__
from .errors import UserError
from .yamlsrc import LoadError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors: one line and a hint, exit 2
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def _out(text: str, path: str | None) -> None:
    if path:
        from .transcript import write_atomic

        write_atomic(path, text)
    else:
        sys.stdout.write(text)


def _load_rubric(path: str | None) -> Any:
    if not path:
        return None
    from .loading import load

    return load(path, "rubric").value


def _print_load_error(e: LoadError) -> None:
    for err in [e] + list(getattr(e, "others", []))[:19]:
        print(err, file=sys.stderr)


# --- verbs -------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from .loading import load

    bad = 0
    for path in args.files:
        try:
            loaded = load(path)
        except LoadError as e:
            _print_load_error(e)
            bad += 1
            continue
        v = loaded.value
        if loaded.kind == "scenario":
            detail = f"scenario {v.id}: {len(v.injects)} injects, {len(v.obligations)} obligations, {v.severity}"
        elif loaded.kind == "runbook":
            detail = f"runbook {v.id}: {len(v.roles)} roles, SLA for {', '.join(v.sla) or 'no severity'}"
        elif loaded.kind == "stress":
            detail = "stress model"
        else:
            detail = "rubric"
        if not args.quiet:
            print(f"{path}: ok ({detail})")
    return EXIT_INVALID if bad else EXIT_OK


def _card_output(played: Any, fmt: str) -> str:
    if fmt == "text":
        from scoring.text import render

        return render(played.card)
    from scoring.exports import export

    return export(played, fmt)


def cmd_run(args: argparse.Namespace) -> int:
    from .exercise import open_pair, run_auto

    result = run_auto(open_pair(args.scenario, args.runbook), _load_rubric(args.rubric))
    if args.output:
        from .transcript import write_atomic

        write_atomic(args.output, result.transcript)
    sys.stdout.write(_card_output(result.played(), args.format))
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    from .exercise import open_transcript
    from .transcript import read

    tr = read(args.transcript)
    played = open_transcript(tr, _load_rubric(args.rubric))
    if tr.truncated:
        print(f"{args.transcript}: note: the last line was incomplete and was ignored", file=sys.stderr)
    _out(_card_output(played, args.format), args.output)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if args.format == "guide":  # the facilitator guide is drawn from a scenario, before any exercise
        from scoring.guide import render_guide

        from .loading import load

        _out(render_guide(load(args.transcript, "scenario").value), args.output)
        return EXIT_OK
    if args.format in ("msel", "raci"):  # a scenario as an MSEL spreadsheet, a runbook as a RACI chart
        from .exchange import export_msel, export_raci

        (export_msel if args.format == "msel" else export_raci)(args.transcript, args.output)
        return EXIT_OK
    from .exercise import open_transcript
    from .transcript import read

    _out(_card_output(open_transcript(read(args.transcript), _load_rubric(args.rubric)), args.format), args.output)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .exchange import import_msel

    _out(import_msel(args.file, args.output), args.output)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from .exercise import verify_report
    from .transcript import read, sha256_text

    tr = read(args.transcript)
    report = verify_report(tr)
    if report.problems:
        for p in report.problems:
            print(p, file=sys.stderr)
        print(f"{args.transcript}: NOT intact; what could still be checked:")
        for line in report.checked:
            print(f"  {line}")
        return EXIT_INVALID
    print(f"{args.transcript}: intact as far as these checks go ({len(tr.events)} events):")
    for line in report.checked:
        print(f"  {line}")
    # nothing inside a file can vouch for its own last line: this fingerprint, kept elsewhere, can
    print(f"fingerprint: {sha256_text(tr.lines[-1])} (sha256 of the last line; keep it with the contract)")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    if args.stress:  # ranked on the week and the odds (SPEC section 12)
        from scoring.stress_report import render_ranking

        from .stress.cli import compare_main

        if args.transcript:
            raise UserError("ttx compare: --stress ranks runbooks as played by ttx, not live transcripts: drop --transcript")
        _out(render_ranking(compare_main(args, _load_rubric(args.rubric)), args.format), args.output)
        return EXIT_OK
    from scoring.compare import render

    from .exercise import compare

    result = compare(args.scenario, args.runbook, args.transcript or [], _load_rubric(args.rubric))
    _out(render(result, args.format), args.output)
    return EXIT_OK


def cmd_stress(args: argparse.Namespace) -> int:
    if args.output and not args.worst:
        raise UserError("ttx stress: -o writes the worst night's transcript: add --worst")
    if args.worst and not args.output:
        raise UserError("ttx stress: --worst needs -o T.ttx.jsonl (where to write the worst night)")
    if args.samples < 0 or args.jobs < 1:
        raise UserError("ttx stress: --samples must be 0 or more and --jobs 1 or more")
    from scoring.stress_report import render

    from .stress.cli import main as stress

    sys.stdout.write(render(stress(args, _load_rubric(args.rubric)), args.format))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from .library import render_list

    sys.stdout.write(render_list(args.library))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from .templates import template

    text = template(args.kind, args.name)
    path = args.output or f"{args.name}.yaml"
    if path == "-":
        sys.stdout.write(text)
        return EXIT_OK
    if os.path.exists(path):
        raise UserError(f"{path}: already exists; choose another name or -o PATH")
    with open(path, "x", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {path}: a commented {args.kind} template; check it with `ttx validate {path}`")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    import json  # only this verb needs it; the others start faster without

    from .schema import schema

    sys.stdout.write(json.dumps(schema(args.kind), indent=2) + "\n")
    return EXIT_OK


def cmd_play(args: argparse.Namespace) -> int:
    if getattr(args, "serve", False):
        from .serve import serve

        return serve(args)
    if getattr(args, "host", None) or getattr(args, "port", None) is not None:
        raise UserError("--host and --port are for serving in a browser: add --serve")
    from .tui.launch import play

    return play(args)


def cmd_replay(args: argparse.Namespace) -> int:
    from .tui.launch import replay

    return replay(args)


# --- parser ------------------------------------------------------------------------------


class _Unused:
    """Stands in for the sub-parser of a verb that is not being run: its arguments are never read."""

    def add_argument(self, *args: Any, **kwargs: Any) -> None:
        pass


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The `ttx` parser. With `only` (the verb typed), just that verb's sub-parser is built: parsing
    needs no other, and start-up is faster. A name that is not a verb gets the full parser."""
    built: list[str] = []
    p = _Parser(prog="ttx", description="Tabletop incident exercises: play a scenario against a runbook and score it.")
    p.add_argument("--version", action="version", version=f"ttx {__version__}")
    sub = p.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    sub.required = True
    fmt_card = ("text", "json", "md")

    def verb(name: str, fn: Callable[[argparse.Namespace], int], help_: str) -> Any:
        if only is not None and name != only:
            return _Unused()
        built.append(name)
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=fn)
        return sp

    sp = verb("validate", cmd_validate, "check scenario, runbook and rubric files")
    sp.add_argument("files", nargs="+", metavar="FILE")
    sp.add_argument("-q", "--quiet", action="store_true", help="print only errors")

    sp = verb("run", cmd_run, "play a scenario against a runbook as stated and print the scorecard")
    sp.add_argument("scenario", metavar="SCENARIO")
    sp.add_argument("--runbook", "-r", required=True, metavar="RUNBOOK")
    sp.add_argument("-o", "--output", metavar="T.ttx.jsonl", help="write the transcript here")
    sp.add_argument("--format", "-f", choices=fmt_card, default="text")
    sp.add_argument("--rubric", metavar="R", help="a rubric file overriding category weights")

    sp = verb("play", cmd_play, "run a live exercise in the terminal UI")
    sp.add_argument("scenario", nargs="?", metavar="SCENARIO")
    sp.add_argument("--runbook", "-r", metavar="RUNBOOK")
    sp.add_argument("-o", "--output", metavar="T.ttx.jsonl", help="where to record the transcript")
    sp.add_argument("--resume", metavar="T.ttx.jsonl", help="continue an interrupted exercise")
    sp.add_argument("--library", metavar="DIR", help="scenario library folder for the picker")
    sp.add_argument("--serve", action="store_true", help="serve the exercise in a web browser (needs ttx[serve])")
    sp.add_argument("--host", metavar="HOST", help="address to serve on (default 127.0.0.1: this computer only)")
    sp.add_argument("--port", type=int, metavar="PORT", help="port to serve on (default 8000)")
    sp.add_argument("--served", action="store_true", help=argparse.SUPPRESS)  # set for each browser tab's process

    sp = verb("replay", cmd_replay, "step through a recorded exercise in the terminal UI")
    sp.add_argument("transcript", metavar="T.ttx.jsonl")

    sp = verb("score", cmd_score, "re-score a transcript")
    sp.add_argument("transcript", metavar="T.ttx.jsonl")
    sp.add_argument("--rubric", metavar="R")
    sp.add_argument("--format", "-f", choices=fmt_card, default="text")
    sp.add_argument("-o", "--output", metavar="OUT")

    sp = verb("export", cmd_export, "write the scored transcript or after-action report; a scenario as an MSEL or a "
              "printable facilitator guide, a runbook as a RACI chart")
    sp.add_argument("transcript", metavar="T.ttx.jsonl|SCENARIO|RUNBOOK")
    sp.add_argument("--format", "-f", choices=("md", "html", "json", "csv", "msel", "raci", "guide"), required=True,
                    help="msel: .xlsx or .csv by -o's extension (CSV on stdout); raci: .md, .html or .csv by -o's extension; "
                         "guide: the facilitator guide of a scenario (HTML)")
    sp.add_argument("-o", "--output", metavar="OUT")
    sp.add_argument("--rubric", metavar="R")

    sp = verb("compare", cmd_compare, "play every runbook on every scenario and rank them")
    sp.add_argument("--scenario", "-s", nargs="+", required=True, metavar="S")
    sp.add_argument("--runbook", "-r", nargs="+", required=True, metavar="R")
    sp.add_argument("--transcript", "-t", nargs="+", metavar="T", help="live transcripts to include")
    sp.add_argument("--format", "-f", choices=("text", "md", "html", "json"), default="text")
    sp.add_argument("-o", "--output", metavar="OUT")
    sp.add_argument("--rubric", metavar="R")
    sp.add_argument("--stress", action="store_true", help="rank on the week and the odds (as ttx stress)")
    for flag, kw in (("--model", {"metavar": "M"}), ("--starts", {"choices": ("week", "scenario"), "default": "week"}),
                     ("--samples", {"type": int, "default": 100, "metavar": "N"}),
                     ("--seed", {"type": int, "default": 0, "metavar": "S"}),
                     ("--jobs", {"type": int, "default": 1, "metavar": "N"})):
        sp.add_argument(flag, help="with --stress: as for ttx stress", **kw)  # type: ignore[arg-type]

    sp = verb("stress", cmd_stress, "play a pair at every hour of the week and with chance: where the promise breaks")
    sp.add_argument("scenario", metavar="SCENARIO")
    sp.add_argument("--runbook", "-r", required=True, metavar="RUNBOOK")
    sp.add_argument("--model", "-m", metavar="M", help="a ttx: stress/v1 file (default: the documented defaults)")
    sp.add_argument("--starts", choices=("week", "scenario"), default="week")
    sp.add_argument("--samples", "-n", type=int, default=100, metavar="N", help="sampled nights per start (0: as stated)")
    sp.add_argument("--seed", type=int, default=0, metavar="S")
    sp.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="worker processes")
    sp.add_argument("--format", "-f", choices=("text", "json", "md", "html"), default="text")
    sp.add_argument("--worst", action="store_true", help="write the worst sampled night (with -o)")
    sp.add_argument("-o", "--output", metavar="T.ttx.jsonl", help="where --worst writes the transcript")
    sp.add_argument("--rubric", metavar="R")

    sp = verb("import", cmd_import, "turn a spreadsheet into a scenario file")
    sp.add_argument("what", choices=("msel",), help="msel: an HSEEP Master Scenario Events List (.xlsx or .csv)")
    sp.add_argument("file", metavar="FILE")
    sp.add_argument("-o", "--output", metavar="SCENARIO.yaml", help="write the scenario here (default: stdout)")

    sp = verb("verify", cmd_verify, "check a transcript's hash chain and its input files")
    sp.add_argument("transcript", metavar="T.ttx.jsonl")

    sp = verb("list", cmd_list, "show the shipped scenario and runbook library")
    sp.add_argument("--library", metavar="DIR", help="another library folder")

    sp = verb("new", cmd_new, "write a commented scenario or runbook template")
    sp.add_argument("kind", choices=("scenario", "runbook"))
    sp.add_argument("name", metavar="NAME")
    sp.add_argument("-o", "--output", metavar="PATH", help="file to write (- for stdout); default NAME.yaml")

    sp = verb("schema", cmd_schema, "print a JSON Schema for editors' YAML language servers")
    sp.add_argument("kind", choices=("scenario", "runbook"))
    if only is not None and not built:
        return build_parser()
    return p


def _is_transcript_error(e: BaseException) -> bool:
    # Only verbs that touch transcripts import that module (and hashlib): `validate` starts faster without.
    mod = sys.modules.get(f"{__package__}.transcript")
    return mod is not None and isinstance(e, mod.TranscriptError)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(argv[0] if argv and not argv[0].startswith("-") else None).parse_args(argv)
    try:
        return int(args.func(args))
    except LoadError as e:
        _print_load_error(e)
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


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":  # `python -m simulator.cli ARGS`: one browser tab of `ttx play --serve`
    sys.exit(child_main(sys.argv[1:]))
