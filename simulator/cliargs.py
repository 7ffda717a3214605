"""The `ttx` argument tree (SPEC section 8): every verb, its options and its help.

Built per run, and only the typed verb's branch of it: the handlers are in `verbs`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from . import __version__
from .verbs import (
    EXIT_OK,
    EXIT_USAGE,
    cmd_compare,
    cmd_export,
    cmd_import,
    cmd_list,
    cmd_new,
    cmd_play,
    cmd_replay,
    cmd_run,
    cmd_schema,
    cmd_score,
    cmd_sign,
    cmd_stress,
    cmd_validate,
    cmd_verify,
)


class _Parser(argparse.ArgumentParser):
    # a verb's own reading of arguments typed together, once they are parsed (`ttx compare`'s two ways to name scenarios)
    settle: Callable[[_Parser, argparse.Namespace], None] | None = None

    def error(self, message: str) -> NoReturn:  # usage errors: one line and a hint, exit 2
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see `{self.prog} --help`)\n")

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:  # type: ignore[override]
        ns, rest = super().parse_known_args(args, namespace)
        if self.settle is not None:
            self.settle(self, ns)
        return ns, rest


def _compare_arguments(parser: _Parser, ns: argparse.Namespace) -> None:
    """`ttx compare SCENARIO... -r R...`, typed as `run` and `stress` are, or `--scenario S...` (SPEC section 8): either
    way, or both when they name the same scenarios; and options that cannot go together."""
    typed, flagged = ns.scenarios, ns.scenario or []
    del ns.scenarios
    if typed and flagged and typed != flagged:
        parser.error(f"the scenarios before the options ({' '.join(typed)}) and after --scenario ({' '.join(flagged)}) "
                     "differ: name them one way")
    ns.scenario = typed or flagged
    if not ns.scenario and len(ns.runbook or []) > 1:  # `-r A B SCEN`: --runbook takes every name after it
        parser.error(f"no scenario named: every name after --runbook is read as a runbook ({' '.join(ns.runbook)}); "
                     "name the scenarios first: ttx compare SCENARIO... --runbook RUNBOOK...")
    if not ns.scenario:
        parser.error("name the scenarios to compare: ttx compare SCENARIO... --runbook RUNBOOK... (or --scenario SCENARIO...)")
    if ns.stress and ns.transcript:
        parser.error("--stress ranks runbooks as played by ttx, not live transcripts: drop --transcript")


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


def _stress_options(sp: Any, short: bool, prefix: str = "") -> None:
    """The week-and-odds options, one definition for `ttx stress` and `ttx compare --stress`."""
    def add(flag: str, letter: str, help_: str, **kw: Any) -> None:
        sp.add_argument(flag, *((letter,) if short and letter else ()), help=prefix + help_, **kw)

    add("--model", "-m", "a ttx: stress/v1 file (default: the documented defaults)", metavar="M")
    add("--starts", "", "week: every hour of the scenario's week; scenario: its own start only (default week)",
        choices=("week", "scenario"), default="week")
    add("--samples", "-n", "sampled nights per start (0: as stated; default 100)", type=int, default=100, metavar="N")
    add("--seed", "", "the draws' seed: the same seed gives the same report (default 0)", type=int, default=0, metavar="S")
    add("--jobs", "-j", "worker processes (default 1)", type=int, default=1, metavar="N")


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
    rubric = "a rubric file overriding category weights"

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
    sp.add_argument("--rubric", metavar="R", help=rubric)
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
    sp.add_argument("transcript", metavar="T.ttx.jsonl", help="a transcript from ttx play or ttx run -o")

    sp = verb("score", cmd_score, "re-score a transcript")
    sp.add_argument("transcript", metavar="T.ttx.jsonl", help="a transcript from ttx play or ttx run -o")
    sp.add_argument("--rubric", metavar="R", help=rubric)
    _format(sp, fmt_card, "text")
    _output(sp, "OUT", "write the scorecard here")

    sp = verb("export", cmd_export, "write the scored transcript or after-action report; a scenario as an MSEL or a "
              "printable facilitator guide, a runbook as a RACI chart")
    sp.add_argument("transcript", metavar="T.ttx.jsonl|SCENARIO|RUNBOOK",
                    help="a transcript (md, html, json, csv); a scenario (msel, guide) or a runbook (raci): a file or a library id")
    _format(sp, ("md", "html", "json", "csv", "msel", "raci", "guide"))
    _output(sp, "OUT", "write it here")
    sp.add_argument("--rubric", metavar="R", help=rubric)
    sp.add_argument("--library", metavar="DIR", help=library + " (msel, raci, guide)")

    sp = verb("compare", cmd_compare, "play every runbook on every scenario and rank them")
    sp.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="the scenarios (" + by_id + "), named first as ttx run "
                    "names one; or with --scenario")
    sp.settle = _compare_arguments
    _many(sp, "--scenario", "-s", metavar="S", help_="scenarios (" + by_id + "); repeat or list several; the same as naming "
          "them first, without the flag")
    _many(sp, "--runbook", "-r", required=True, metavar="R", help_="runbooks (" + by_id + "); repeat or list several")
    _many(sp, "--transcript", "-t", metavar="T", help_="live transcripts to include")
    _format(sp, ("text", "md", "html", "json"), "text")
    _output(sp, "OUT", "write the comparison here")
    sp.add_argument("--rubric", metavar="R", help=rubric)
    sp.add_argument("--library", metavar="DIR", help=library)
    sp.add_argument("--stress", action="store_true", help="rank on the week and the odds (as ttx stress)")
    _stress_options(sp, short=False, prefix="with --stress: ")

    sp = verb("stress", cmd_stress, "play a pair at every hour of the week and with chance: where the promise breaks")
    sp.add_argument("scenario", metavar="SCENARIO", help=by_id)
    sp.add_argument("--runbook", "-r", required=True, metavar="RUNBOOK", help=by_id)
    _stress_options(sp, short=True)
    _format(sp, ("text", "json", "md", "html"), "text")
    sp.add_argument("--worst", action="store_true", help="write the worst sampled night (with -o)")
    _output(sp, "PATH", "with --worst: where the worst night's transcript goes (the report to standard output); "
            "without: where the report goes, its format from the name (.html, .md, .json) unless --format says",
            "-: to standard output (with --worst, the transcript; the report to standard error)")
    sp.add_argument("--force", action="store_true", help="replace an existing -o file")
    sp.add_argument("--rubric", metavar="R", help=rubric)
    sp.add_argument("--library", metavar="DIR", help=library)

    sp = verb("import", cmd_import, "turn a spreadsheet into a scenario file")
    sp.add_argument("what", choices=("msel",), help="msel: an HSEEP Master Scenario Events List (.xlsx or .csv)")
    sp.add_argument("file", metavar="FILE", help="the spreadsheet: .xlsx or .csv (docs/formats.md has the columns)")
    _output(sp, "SCENARIO.yaml", "write the scenario here (default: standard output)")

    sp = verb("verify", cmd_verify, "check a transcript's hash chain, its replay, its input files and its signature")
    sp.add_argument("transcript", metavar="T.ttx.jsonl", help="the transcript to check (its .sig beside it, if signed)")
    sp.add_argument("--signers", metavar="ALLOWED_SIGNERS",
                    help="an ssh-keygen allowed-signers file: T.ttx.jsonl.sig must be a good signature by a key it lists")

    sp = verb("sign", cmd_sign, "sign a transcript with your SSH key (writes T.ttx.jsonl.sig; see `ttx verify --signers`)")
    sp.add_argument("transcript", metavar="T.ttx.jsonl", help="the transcript to sign")
    sp.add_argument("--key", "-k", required=True, metavar="KEY",
                    help="your SSH private key (or its .pub with the key in ssh-agent), e.g. ~/.ssh/id_ed25519")

    sp = verb("list", cmd_list, "show the scenario and runbook library (the shipped one unless told otherwise)")
    sp.add_argument("--library", metavar="DIR", help="another library folder (default: $TTX_LIBRARY, else the shipped library)")

    sp = verb("new", cmd_new, "write a commented scenario or runbook template")
    sp.add_argument("kind", choices=("scenario", "runbook"), help="which template")
    sp.add_argument("name", metavar="NAME", help="its id; the file is NAME.yaml unless -o says")
    _output(sp, "PATH", "file to write; default NAME.yaml")
    sp.add_argument("--force", action="store_true", help="replace an existing file")

    sp = verb("schema", cmd_schema, "print a JSON Schema for editors' YAML language servers")
    sp.add_argument("kind", choices=("scenario", "runbook"), help="which file kind the schema checks")
    _output(sp, "FILE", "write it here, e.g. ttx-scenario.schema.json beside your files (docs/editors.md)")
    if only is not None and not built:
        return build_parser()
    if only is None:  # the whole parser: tab completion may be asking
        for action in (a for sp in sub.choices.values() for a in sp._actions):
            if action.dest in ("scenario", "scenarios", "runbook"):
                action.completer = _complete_ids(action.dest.removesuffix("s"))  # type: ignore[attr-defined]
    return p
