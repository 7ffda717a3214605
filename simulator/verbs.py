"""What each `ttx` verb does (SPEC section 8): one thin handler per verb, each importing its work
only when run, so that a verb starts without the others' modules. The argument tree is in `cliargs`,
the entry point in `cli`."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from .errors import UserError
from .yamlsrc import LoadError

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


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


def print_load_error(e: LoadError) -> None:
    for err in [e] + list(getattr(e, "others", []))[:19]:
        print(err, file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    from .loading import load

    bad = 0
    for path in args.files:
        try:
            loaded = _load_stdin() if path == "-" else load(path)
        except LoadError as e:
            print_load_error(e)
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

        from .wording import Names

        return render(played.card, Names(played.scenario, played.runbook))
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

        _out(render_ranking(compare_main(args, _load_rubric(args.rubric)), args.format), args.output)
        return EXIT_OK
    from scoring.compare import render

    from .exercise import compare

    result = compare(args.scenario, args.runbook, args.transcript or [], _load_rubric(args.rubric))
    _out(render(result, args.format), args.output)
    return EXIT_OK


# `ttx stress -o week.html`: without --worst, -o is where the report goes, in the format its name says
_REPORT_EXTENSIONS = {".html": "html", ".htm": "html", ".md": "md", ".json": "json"}


def cmd_stress(args: argparse.Namespace) -> int:
    report_to = None
    if args.output and not args.worst:
        report_to, args.output = args.output, None
        ext = os.path.splitext(report_to)[1].lower()
        if args.format == "text" and ext in _REPORT_EXTENSIONS:
            args.format = _REPORT_EXTENSIONS[ext]
    if args.worst and not args.output:
        raise UserError("ttx stress: --worst needs -o T.ttx.jsonl (where to write the worst night)")
    if args.samples < 0 or args.jobs < 1:
        raise UserError("ttx stress: --samples must be 0 or more and --jobs 1 or more")
    for path in (args.output, report_to):
        target = _file(path)
        if target:
            _refuse_existing(target, args.force)
    args.scenario = _library_file(args.scenario, "scenario", args)
    args.runbook = _library_file(args.runbook, "runbook", args)
    from scoring.stress_report import render

    from .stress.cli import main as stress

    report = render(stress(args, _load_rubric(args.rubric)), args.format)
    if report_to:
        _out(report, report_to)
    else:
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
