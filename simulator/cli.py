"""`ttx` command line (SPEC section 8). Verbs that need no terminal UI never import Textual.

One module (about 600 lines): the argument tree and one thin handler per verb, each importing
its work only when run, so that `ttx validate` starts without the rest.
"""

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


def _file(path: str | None) -> str | None:
    """An output path, or None for standard output: `-o -` means standard output, in every verb."""
    return None if path == "-" else path


def _out(text: str, path: str | None) -> None:
    target = _file(path)
    if target:
        from .transcript import write_atomic

        write_atomic(target, text)
    else:
        sys.stdout.write(text)


def _refuse_existing(path: str, force: bool) -> None:
    """A transcript or a template is never replaced by accident."""
    if not force and os.path.exists(path):
        raise UserError(f"{path}: already exists; add --force to replace it, or choose another -o PATH")


def _library_file(arg: str, kind: str, args: argparse.Namespace) -> str:
    """SCENARIO / RUNBOOK arguments: a path, or the id of a library entry."""
    from .library import resolve

    return resolve(arg, kind, getattr(args, "library", None))


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
            loaded = _load_stdin() if path == "-" else load(path)
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
            print(f"{'<stdin>' if path == '-' else path}: ok ({detail})")
    return EXIT_INVALID if bad else EXIT_OK


def _load_stdin() -> Any:
    """`ttx validate -`: the file on standard input, with the same limits as a file on disk."""
    from .loading import load_text
    from .yamlsrc import MAX_BYTES, decode

    name = "<stdin>"
    return load_text(name, decode(name, sys.stdin.buffer.read(MAX_BYTES + 1)))


def _card_output(played: Any, fmt: str) -> str:
    if fmt == "text":
        from scoring.text import render

        return render(played.card)
    from scoring.exports import export

    return export(played, fmt)


def cmd_run(args: argparse.Namespace) -> int:
    from .exercise import open_pair, run_auto

    output = _file(args.output)
    if output:
        _refuse_existing(output, args.force)
    pair = open_pair(_library_file(args.scenario, "scenario", args), _library_file(args.runbook, "runbook", args))
    result = run_auto(pair, _load_rubric(args.rubric))
    card_to = sys.stdout
    if output:
        from .transcript import write_atomic

        write_atomic(output, result.transcript)
    elif args.output == "-":  # the transcript takes standard output; the scorecard goes to the terminal
        sys.stdout.write(result.transcript)
        sys.stdout.flush()
        card_to = sys.stderr
    card_to.write(_card_output(result.played(), args.format))
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
    if args.format in ("guide", "msel", "raci"):  # drawn from a scenario (raci: a runbook): a file or a library id
        args.transcript = _library_file(args.transcript, "runbook" if args.format == "raci" else "scenario", args)
    if args.format == "guide":  # the facilitator guide is drawn from a scenario, before any exercise
        from scoring.guide import render_guide

        from .loading import load

        _out(render_guide(load(args.transcript, "scenario").value), args.output)
        return EXIT_OK
    if args.format in ("msel", "raci"):  # a scenario as an MSEL spreadsheet, a runbook as a RACI chart
        from .exchange import export_msel, export_raci

        (export_msel if args.format == "msel" else export_raci)(args.transcript, _file(args.output))
        return EXIT_OK
    from .exercise import open_transcript
    from .transcript import read

    _out(_card_output(open_transcript(read(args.transcript), _load_rubric(args.rubric)), args.format), args.output)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .exchange import import_msel

    _out(import_msel(args.file, _file(args.output)), args.output)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from .exercise import verify_report
    from .transcript import read, sha256_text

    tr = read(args.transcript)
    report = verify_report(tr)
    problems, checked = list(report.problems), list(report.checked)
    checked.append(_signature_line(args.transcript, args.signers, problems))
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"{args.transcript}: NOT verified; what could still be checked:")
        for line in checked:
            print(f"  {line}")
        return EXIT_INVALID
    print(f"{args.transcript}: intact as far as these checks go ({len(tr.events)} events):")
    for line in checked:
        print(f"  {line}")
    # nothing inside a file can vouch for its own last line: this fingerprint, kept elsewhere, can
    print(f"fingerprint: {sha256_text(tr.lines[-1])} (sha256 of the last line; keep it with the contract)")
    return EXIT_OK


def _signature_line(transcript: str, signers: str | None, problems: list[str]) -> str:
    """What the signature proves; with --signers a missing or bad one is a problem (exit 1)."""
    from .signing import SigningError, check, signature_path

    if signers is None:
        if os.path.exists(signature_path(transcript)):
            return (f"signature: {signature_path(transcript)} is there but was not checked (give --signers "
                    "ALLOWED_SIGNERS to check who signed it)")
        return ("signature: none, so nothing shows who wrote this file (anyone who can edit it can recompute the "
                "chain); see `ttx sign`")
    try:
        verdict = check(transcript, signers)
    except SigningError as e:
        raise UserError(f"{transcript}: {e}") from None
    if not verdict.good:
        problems.append(f"{transcript}: {verdict.message}")
        return "signature: NOT good (above)"
    return f"signature: {verdict.message}"


def cmd_sign(args: argparse.Namespace) -> int:
    from .exercise import verify_report
    from .signing import SigningError, sign
    from .transcript import read

    report = verify_report(read(args.transcript))
    if report.problems:  # a signature vouches for a file: not for one that does not verify
        for p in report.problems:
            print(p, file=sys.stderr)
        raise UserError(f"{args.transcript}: not signed, because it does not verify (above)")
    try:
        out = sign(args.transcript, args.key)
    except (SigningError, OSError) as e:
        raise UserError(f"{args.transcript}: {e}") from None
    print(f"wrote {out}: {args.transcript} signed with {args.key}; anyone with your public key in an allowed-signers "
          f"file can check it: ttx verify {args.transcript} --signers ALLOWED_SIGNERS")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    args.scenario = [_library_file(a, "scenario", args) for a in args.scenario]
    args.runbook = [_library_file(a, "runbook", args) for a in args.runbook]
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
    if _file(args.output):
        _refuse_existing(args.output, args.force)
    args.scenario = _library_file(args.scenario, "scenario", args)
    args.runbook = _library_file(args.runbook, "runbook", args)
    from scoring.stress_report import render

    from .stress.cli import main as stress

    report = render(stress(args, _load_rubric(args.rubric)), args.format)
    (sys.stderr if args.output == "-" else sys.stdout).write(report)
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
    _refuse_existing(path, args.force)
    with open(path, "w" if args.force else "x", encoding="utf-8") as fh:
        fh.write(text)
    # the schema its first line names, for editors: generated, so always the current one
    from .templates import schema_file

    beside = os.path.join(os.path.dirname(path), schema_file(args.kind))
    _out(_schema_json(args.kind), beside)
    print(f"wrote {path}: a commented {args.kind} template (and {beside}, its JSON Schema for editors); "
          f"check it with `ttx validate {path}`")
    return EXIT_OK


def _schema_json(kind: str) -> str:
    import json  # only these verbs need it; the others start faster without

    from .schema import schema

    return json.dumps(schema(kind), indent=2) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    _out(_schema_json(args.kind), args.output)
    return EXIT_OK


def cmd_play(args: argparse.Namespace) -> int:
    if args.output == "-":
        raise UserError("ttx play: -o - is not possible while the exercise is on screen; give a file name")
    if args.scenario:
        args.scenario = _library_file(args.scenario, "scenario", args)
    if args.runbook:
        args.runbook = _library_file(args.runbook, "runbook", args)
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


# Every output format, named once: each verb offers those it can write, under the same names.
FORMATS = {
    "text": "plain text for the terminal",
    "md": "Markdown",
    "html": "one self-contained HTML file",
    "json": "JSON (schemas in docs/)",
    "csv": "CSV, one row per obligation",
    "msel": "a scenario as an HSEEP MSEL: .xlsx or .csv by -o's extension (CSV on stdout)",
    "raci": "a runbook as a RACI chart: .md, .html or .csv by -o's extension",
    "guide": "a scenario's printable facilitator guide (HTML)",
}


def _format(sp: Any, names: tuple[str, ...], default: str | None = None) -> None:
    sp.add_argument("--format", "-f", choices=names, default=default, required=default is None,
                    help="; ".join(f"{n}: {FORMATS[n]}" for n in names) + (f" (default {default})" if default else ""))


def _output(sp: Any, metavar: str, what: str, dash: str = "- for standard output") -> None:
    sp.add_argument("-o", "--output", metavar=metavar, help=f"{what} ({dash})")


def _many(sp: Any, *flags: str, metavar: str, help_: str, required: bool = False) -> None:
    # repeated flags add up: `--scenario A --scenario B` is both, as is `--scenario A B`
    sp.add_argument(*flags, action="extend", nargs="+", required=required, metavar=metavar, help=help_)


class _PrintCompletion(argparse.Action):
    """`ttx --print-completion bash|zsh|fish`: the shell's completion script (argcomplete writes it)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, values: Any, option_string: Any = None) -> None:
        import argcomplete

        sys.stdout.write(argcomplete.shellcode(["ttx", "ttx-tabletop"], shell=values))
        parser.exit(EXIT_OK)


def _complete_ids(kind: str) -> Callable[..., list[str]]:
    """Tab completion for SCENARIO / RUNBOOK: library ids, then files."""

    def complete(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
        from argcomplete.completers import FilesCompleter

        from .library import ids

        found = [i for i in ids(kind, getattr(parsed_args, "library", None)) if i.startswith(prefix)]
        return found + list(FilesCompleter()(prefix))

    return complete


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The `ttx` parser. With `only` (the verb typed), just that verb's sub-parser is built: parsing
    needs no other, and start-up is faster. A name that is not a verb gets the full parser."""
    built: list[str] = []
    p = _Parser(prog="ttx", description="Tabletop incident exercises: play a scenario against a runbook and score it.")
    p.add_argument("--version", action="version", version=f"ttx {__version__}")
    p.add_argument("--print-completion", choices=("bash", "zsh", "fish"), action=_PrintCompletion, metavar="SHELL",
                   help="print the tab-completion script for bash, zsh or fish (docs/cli.md says where it goes)")
    sub = p.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    sub.required = True
    fmt_card = ("text", "json", "md")
    library = "a library folder for SCENARIO/RUNBOOK ids (default: $TTX_LIBRARY, else the shipped library)"
    by_id = "a file, or the id of a library entry (`ttx list`)"

    def verb(name: str, fn: Callable[[argparse.Namespace], int], help_: str) -> Any:
        if only is not None and name != only:
            return _Unused()
        built.append(name)
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=fn)
        return sp

    sp = verb("validate", cmd_validate, "check scenario, runbook and rubric files")
    sp.add_argument("files", nargs="+", metavar="FILE", help="files to check (- reads standard input)")
    sp.add_argument("-q", "--quiet", action="store_true", help="print only errors")

    sp = verb("run", cmd_run, "play a scenario against a runbook as stated and print the scorecard")
    sp.add_argument("scenario", metavar="SCENARIO", help=by_id)
    sp.add_argument("--runbook", "-r", required=True, metavar="RUNBOOK", help=by_id)
    _output(sp, "T.ttx.jsonl", "write the transcript here", "-: to standard output, and the scorecard to standard error")
    sp.add_argument("--force", action="store_true", help="replace an existing -o file")
    _format(sp, fmt_card, "text")
    sp.add_argument("--rubric", metavar="R", help="a rubric file overriding category weights")
    sp.add_argument("--library", metavar="DIR", help=library)

    sp = verb("play", cmd_play, "run a live exercise in the terminal UI")
    sp.add_argument("scenario", nargs="?", metavar="SCENARIO", help=by_id + "; none: the library picker")
    sp.add_argument("--runbook", "-r", metavar="RUNBOOK", help=by_id)
    sp.add_argument("-o", "--output", metavar="T.ttx.jsonl", help="where to record the transcript")
    sp.add_argument("--resume", metavar="T.ttx.jsonl", help="continue an interrupted exercise")
    sp.add_argument("--library", metavar="DIR", help=library + "; the picker shows it")
    sp.add_argument("--serve", action="store_true", help="serve the exercise in a web browser (needs ttx-tabletop[serve])")
    sp.add_argument("--host", metavar="HOST", help="address to serve on (default 127.0.0.1: this computer only)")
    sp.add_argument("--port", type=int, metavar="PORT", help="port to serve on (default 8000)")
    sp.add_argument("--served", action="store_true", help=argparse.SUPPRESS)  # set for each browser tab's process
    sp.add_argument("--sign-key", metavar="KEY", help="sign the transcript with this SSH key when the exercise ends "
                    "(default: $TTX_SIGNING_KEY)")

    sp = verb("replay", cmd_replay, "step through a recorded exercise in the terminal UI")
    sp.add_argument("transcript", metavar="T.ttx.jsonl")

    sp = verb("score", cmd_score, "re-score a transcript")
    sp.add_argument("transcript", metavar="T.ttx.jsonl")
    sp.add_argument("--rubric", metavar="R")
    _format(sp, fmt_card, "text")
    _output(sp, "OUT", "write the scorecard here")

    sp = verb("export", cmd_export, "write the scored transcript or after-action report; a scenario as an MSEL or a "
              "printable facilitator guide, a runbook as a RACI chart")
    sp.add_argument("transcript", metavar="T.ttx.jsonl|SCENARIO|RUNBOOK")
    _format(sp, ("md", "html", "json", "csv", "msel", "raci", "guide"))
    _output(sp, "OUT", "write it here")
    sp.add_argument("--rubric", metavar="R")
    sp.add_argument("--library", metavar="DIR", help=library + " (msel, raci, guide)")

    sp = verb("compare", cmd_compare, "play every runbook on every scenario and rank them")
    _many(sp, "--scenario", "-s", required=True, metavar="S", help_="scenarios (" + by_id + "); repeat or list several")
    _many(sp, "--runbook", "-r", required=True, metavar="R", help_="runbooks (" + by_id + "); repeat or list several")
    _many(sp, "--transcript", "-t", metavar="T", help_="live transcripts to include")
    _format(sp, ("text", "md", "html", "json"), "text")
    _output(sp, "OUT", "write the comparison here")
    sp.add_argument("--rubric", metavar="R")
    sp.add_argument("--library", metavar="DIR", help=library)
    sp.add_argument("--stress", action="store_true", help="rank on the week and the odds (as ttx stress)")
    for flag, kw in (("--model", {"metavar": "M"}), ("--starts", {"choices": ("week", "scenario"), "default": "week"}),
                     ("--samples", {"type": int, "default": 100, "metavar": "N"}),
                     ("--seed", {"type": int, "default": 0, "metavar": "S"}),
                     ("--jobs", {"type": int, "default": 1, "metavar": "N"})):
        sp.add_argument(flag, help="with --stress: as for ttx stress", **kw)  # type: ignore[arg-type]

    sp = verb("stress", cmd_stress, "play a pair at every hour of the week and with chance: where the promise breaks")
    sp.add_argument("scenario", metavar="SCENARIO", help=by_id)
    sp.add_argument("--runbook", "-r", required=True, metavar="RUNBOOK", help=by_id)
    sp.add_argument("--model", "-m", metavar="M", help="a ttx: stress/v1 file (default: the documented defaults)")
    sp.add_argument("--starts", choices=("week", "scenario"), default="week")
    sp.add_argument("--samples", "-n", type=int, default=100, metavar="N", help="sampled nights per start (0: as stated)")
    sp.add_argument("--seed", type=int, default=0, metavar="S")
    sp.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="worker processes")
    _format(sp, ("text", "json", "md", "html"), "text")
    sp.add_argument("--worst", action="store_true", help="write the worst sampled night (with -o)")
    _output(sp, "T.ttx.jsonl", "where --worst writes the transcript", "-: to standard output, and the report to standard error")
    sp.add_argument("--force", action="store_true", help="replace an existing -o file")
    sp.add_argument("--rubric", metavar="R")
    sp.add_argument("--library", metavar="DIR", help=library)

    sp = verb("import", cmd_import, "turn a spreadsheet into a scenario file")
    sp.add_argument("what", choices=("msel",), help="msel: an HSEEP Master Scenario Events List (.xlsx or .csv)")
    sp.add_argument("file", metavar="FILE")
    _output(sp, "SCENARIO.yaml", "write the scenario here (default: standard output)")

    sp = verb("verify", cmd_verify, "check a transcript's hash chain, its replay, its input files and its signature")
    sp.add_argument("transcript", metavar="T.ttx.jsonl")
    sp.add_argument("--signers", metavar="ALLOWED_SIGNERS",
                    help="an ssh-keygen allowed-signers file: T.ttx.jsonl.sig must be a good signature by a key it lists")

    sp = verb("sign", cmd_sign, "sign a transcript with your SSH key (writes T.ttx.jsonl.sig; see `ttx verify --signers`)")
    sp.add_argument("transcript", metavar="T.ttx.jsonl")
    sp.add_argument("--key", "-k", required=True, metavar="KEY",
                    help="your SSH private key (or its .pub with the key in ssh-agent), e.g. ~/.ssh/id_ed25519")

    sp = verb("list", cmd_list, "show the scenario and runbook library (the shipped one unless told otherwise)")
    sp.add_argument("--library", metavar="DIR", help="another library folder (default: $TTX_LIBRARY, else the shipped library)")

    sp = verb("new", cmd_new, "write a commented scenario or runbook template")
    sp.add_argument("kind", choices=("scenario", "runbook"))
    sp.add_argument("name", metavar="NAME")
    _output(sp, "PATH", "file to write; default NAME.yaml")
    sp.add_argument("--force", action="store_true", help="replace an existing file")

    sp = verb("schema", cmd_schema, "print a JSON Schema for editors' YAML language servers")
    sp.add_argument("kind", choices=("scenario", "runbook"))
    _output(sp, "FILE", "write it here, e.g. ttx-scenario.schema.json beside your files (docs/editors.md)")
    if only is not None and not built:
        return build_parser()
    if only is None:  # the whole parser: tab completion may be asking
        for action in (a for sp in sub.choices.values() for a in sp._actions):
            if action.dest in ("scenario", "runbook"):
                action.completer = _complete_ids(action.dest)  # type: ignore[attr-defined]
    return p


def _is_transcript_error(e: BaseException) -> bool:
    # Only verbs that touch transcripts import that module (and hashlib): `validate` starts faster without.
    mod = sys.modules.get(f"{__package__}.transcript")
    return mod is not None and isinstance(e, mod.TranscriptError)


def main(argv: Sequence[str] | None = None) -> int:
    if "_ARGCOMPLETE" in os.environ:  # the shell asks what may come next: argcomplete answers and exits
        import argcomplete

        argcomplete.autocomplete(build_parser())
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
