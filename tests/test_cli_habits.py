"""Habits users bring from other command-line tools: repeated flags add up, `-o -` is standard output,
`-` reads standard input, nothing is overwritten by surprise, errors name the user's own files."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import pytest

from simulator.cli import main, plain_play, plain_validate
from simulator.cliargs import FORMATS, build_parser
from tests.helpers import ROOT

SC = str(ROOT / "scenarios" / "ransomware-fileserver.yaml")
RB = str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")


def test_repeated_flags_add_up_compare_is_two_by_two(capsys):
    assert main(["compare", "--scenario", "ransomware-fileserver", "--scenario", "bec-wire-fraud",
                 "--runbook", "acme-msp", "--runbook", "keel-fractional-cto", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["scenarios"]) == 2 and len(data["candidates"]) == 2
    # the same, written as lists after one flag each
    assert main(["compare", "-s", SC, str(ROOT / "scenarios" / "bec-wire-fraud.yaml"), "-r", RB,
                 str(ROOT / "scenarios" / "runbooks" / "keel-fractional-cto.yaml"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["scenarios"] == data["scenarios"]


def test_library_ids_and_paths_play_the_same_pair(capsys):
    assert main(["run", "ransomware-fileserver", "--runbook", "acme-msp"]) == 0
    by_id = capsys.readouterr().out
    assert main(["run", SC, "--runbook", RB]) == 0
    assert capsys.readouterr().out == by_id and "Overall 37.64" in by_id
    assert main(["run", "no-such-scenario", "--runbook", "acme-msp"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("no-such-scenario: no such file, and no scenario with id 'no-such-scenario' in the library ")
    assert "`ttx list`" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["score", "{t}", "-o", "-"],
    ["export", "{t}", "--format", "md", "-o", "-"],
    ["compare", "-s", SC, "-r", RB, "-o", "-"],
    ["new", "scenario", "x", "-o", "-"],
    ["export", SC, "--format", "msel", "-o", "-"],
    ["export", "ransomware-fileserver", "--format", "guide", "-o", "-"],
    ["export", "acme-msp", "--format", "raci", "-o", "-"],
])
def test_dash_o_means_standard_output(argv, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", SC, "--runbook", RB, "-o", "t.ttx.jsonl"]) == 0
    capsys.readouterr()
    assert main([a.replace("{t}", "t.ttx.jsonl") for a in argv]) == 0
    assert capsys.readouterr().out.strip()
    assert sorted(os.listdir(tmp_path)) == ["t.ttx.jsonl"]  # no file named "-"


def test_run_dash_o_puts_the_transcript_on_stdout_and_the_scorecard_on_stderr(tmp_path, capsys):
    assert main(["run", SC, "--runbook", RB, "-o", str(tmp_path / "t.ttx.jsonl")]) == 0
    capsys.readouterr()
    assert main(["run", SC, "--runbook", RB, "-o", "-"]) == 0
    out, err = capsys.readouterr()
    assert out == (tmp_path / "t.ttx.jsonl").read_text() and "Overall 37.64" in err


def test_validate_dash_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(open(SC, "rb").read())))
    assert main(["validate", "-"]) == 0
    assert capsys.readouterr().out.startswith("<stdin>: ok (scenario ransomware-fileserver:")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"ttx: scenario/v1\n\tid: x\n")))
    assert main(["validate", "-"]) == 1
    assert capsys.readouterr().err == "<stdin>:2:1: YAML syntax: a tab cannot indent YAML: use spaces\n"


def test_run_refuses_to_replace_a_transcript_without_force(tmp_path, capsys):
    t = tmp_path / "t.ttx.jsonl"
    t.write_text("evidence\n")
    assert main(["run", SC, "--runbook", RB, "-o", str(t)]) == 1
    assert capsys.readouterr().err == f"{t}: already exists; add --force to replace it, or choose another -o PATH\n"
    assert t.read_text() == "evidence\n"
    assert main(["run", SC, "--runbook", RB, "-o", str(t), "--force"]) == 0
    assert t.read_text().startswith('{"')


def test_a_failed_write_names_the_users_file_not_a_temporary_one(tmp_path, capsys):
    target = tmp_path / "missing-folder" / "t.ttx.jsonl"
    assert main(["run", SC, "--runbook", RB, "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert err == f"ttx: {target}: No such file or directory\n"
    assert main(["export", SC, "--format", "msel", "-o", str(tmp_path / "missing-folder" / "m.xlsx")]) == 1
    err = capsys.readouterr().err
    assert ".tmp" not in err and "m.xlsx" in err


def test_verify_finds_inputs_beside_the_transcript_and_says_where_it_looked(tmp_path, capsys, monkeypatch):
    work = tmp_path / "exercise"
    (work / "in").mkdir(parents=True)
    shutil.copy(SC, work / "in" / "s.yaml")
    shutil.copy(RB, work / "in" / "r.yaml")
    monkeypatch.chdir(work)
    assert main(["run", "in/s.yaml", "--runbook", "in/r.yaml", "-o", "t.ttx.jsonl"]) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    capsys.readouterr()
    assert main(["verify", str(work / "t.ttx.jsonl")]) == 0  # found next to the transcript
    assert "runbook: file in/r.yaml is byte for byte the embedded copy" in capsys.readouterr().out
    (work / "in" / "r.yaml").unlink()
    assert main(["verify", str(work / "t.ttx.jsonl")]) == 0  # the embedded copy still verifies the chain
    assert (f"runbook: file in/r.yaml not found (looked for {work / 'in' / 'r.yaml'} and "
            f"{elsewhere / 'in' / 'r.yaml'}), so not compared") in capsys.readouterr().out


PLAIN_VALIDATE = [["validate", "a.yaml"], ["validate", "-q", "a.yaml", "b.yaml"], ["validate", "a.yaml", "b.yaml", "--quiet"],
                  ["validate", "-q", "-", "a.yaml", "-q"], ["validate", "--quiet", "-q", ""], ["validate", "a b.yaml", "-"]]
# left to argparse: help, mistakes, and options or forms the plain reading does not know
PARSER_VALIDATE = [["validate"], ["validate", "-q"], ["validate", "a.yaml", "-q", "b.yaml"], ["validate", "--", "-q.yaml"],
                   ["validate", "-h"], ["validate", "--qui", "a.yaml"], ["validate", "-qq", "a.yaml"], ["validate", "-1"],
                   ["validate", "--quiet=1", "a.yaml"], ["validate", "a.yaml", "--help"], ["run", "a.yaml"]]


@pytest.mark.parametrize("argv", PLAIN_VALIDATE + PARSER_VALIDATE)
def test_plain_validate_reads_arguments_as_the_parser_does(argv, capsys):
    """`ttx validate FILE...` skips argparse when written plainly (start-up time): the same reading, or none."""
    plain = plain_validate(argv)
    assert (plain is not None) == (argv in PLAIN_VALIDATE)
    if plain is not None:
        assert vars(plain) == vars(build_parser(argv[0]).parse_args(argv))
    capsys.readouterr()


PLAIN_PLAY = [["play", "s.yaml", "--runbook", "r.yaml"], ["play", "s", "-r", "r", "-o", "t.ttx.jsonl"],
              ["play", "--runbook", "r.yaml", "s.yaml"], ["play", "-o", "out", "-r", "r", "s"],
              ["play", "s.yaml", "--output", "a b.ttx.jsonl", "--runbook", "r.yaml"], ["play", "", "-r", "r"]]
# left to argparse: the picker, help, mistakes, and options or forms the plain reading does not know
PARSER_PLAY = [["play"], ["play", "s.yaml"], ["play", "-r", "r"], ["play", "s", "-r"], ["play", "s", "-r", "-o", "x"],
               ["play", "s", "--runbook=r"], ["play", "s", "-r", "r", "-r", "q"], ["play", "s", "t", "-r", "r"],
               ["play", "s", "-r", "r", "--serve"], ["play", "--resume", "t.ttx.jsonl"], ["play", "s", "-r", "r", "-h"],
               ["play", "s", "-r", "r", "--sign-key", "k"], ["play", "s", "-r", "r", "-o", "-"], ["play", "-rr", "s"],
               ["play", "s", "--", "-r", "r"], ["run", "s", "-r", "r"]]


@pytest.mark.parametrize("argv", PLAIN_PLAY + PARSER_PLAY)
def test_plain_play_reads_arguments_as_the_parser_does(argv, capsys, monkeypatch):
    """`ttx play SCENARIO --runbook R [-o OUT]` skips argparse (start-up time to the first frame): the same reading,
    or none. With a signing key in the environment, as a facilitator's shell may have."""
    monkeypatch.setenv("TTX_SIGNING_KEY", "~/.ssh/id_ed25519")
    plain = plain_play(argv)
    assert (plain is not None) == (argv in PLAIN_PLAY)
    if plain is not None:
        assert vars(plain) == vars(build_parser(argv[0]).parse_args(argv))
    capsys.readouterr()


def test_ttx_play_written_plainly_starts_without_argparse():
    code = ("import sys; from simulator import cli; assert cli.plain_play(['play', 's', '-r', 'r']) is not None; "
            "print('argparse' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_every_format_option_uses_the_shared_names():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "verb")
    seen = {}
    for verb, sp in sub.choices.items():
        for a in sp._actions:
            if "--format" in a.option_strings:
                assert a.option_strings == ["--format", "-f"], verb
                assert set(a.choices) <= set(FORMATS), verb
                seen[verb] = a.choices
    assert {"run", "score", "export", "compare", "stress"} <= set(seen)


def test_every_argument_says_what_it_is_in_help(capsys):
    """`ttx VERB --help` explains every option and argument: a bare `--seed S` leaves the user guessing."""
    sub = next(a for a in build_parser()._actions if a.dest == "verb")
    bare = [f"{verb} {a.option_strings or a.dest}" for verb, sp in sub.choices.items() for a in sp._actions
            if not a.help and a.dest != "help"]
    assert bare == []
    with pytest.raises(SystemExit):
        main(["stress", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--seed S the draws' seed: the same seed gives the same report (default 0)" in out
    assert "--starts {week,scenario} week: every hour of the scenario's week" in out


def test_completion_scripts_for_bash_zsh_and_fish(capsys):
    for shell, marker in (("bash", "complete "), ("zsh", "compdef"), ("fish", "complete --command ttx")):
        with pytest.raises(SystemExit) as done:
            main(["--print-completion", shell])
        assert done.value.code == 0
        script = capsys.readouterr().out
        assert marker in script and "ttx-tabletop" in script, shell


def test_completion_offers_verbs_and_library_ids(tmp_path):
    def complete(line: str) -> list[str]:
        out = tmp_path / "completions"
        env = {**os.environ, "_ARGCOMPLETE": "1", "_ARGCOMPLETE_IFS": "\n", "COMP_LINE": line,
               "COMP_POINT": str(len(line)), "_ARGCOMPLETE_STDOUT_FILENAME": str(out)}
        subprocess.run([sys.executable, "-m", "simulator"], env=env, cwd=tmp_path, check=True, timeout=60,
                       capture_output=True)
        return [c.strip() for c in out.read_text().split("\n")]

    assert "compare" in complete("ttx comp")
    assert "ransomware-fileserver" in complete("ttx run ransom")
    assert "acme-msp" in complete("ttx run ransomware-fileserver --runbook ac")
    assert "ransomware-fileserver" in complete("ttx compare ransom")  # the scenarios first, as run takes one


def test_a_path_is_shown_as_the_user_can_type_it(tmp_path, monkeypatch):
    """Below the current folder, relative; elsewhere absolute: the results screen said "wrote ../../../tmp/x"."""
    from simulator.filenames import shown

    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    assert shown(str(tmp_path / "here" / "ex.report.html")) == "ex.report.html"
    assert shown("../ex.report.html") == str(tmp_path / "ex.report.html")


def test_compare_takes_its_scenarios_first_as_run_and_stress_do(capsys):
    """`ttx compare SCENARIO... -r R...` is typed as `ttx run SCENARIO -r R` is; `--scenario` still works, and both
    together must name the same scenarios."""
    args = ["-r", "acme-msp", "keel-fractional-cto", "--format", "json"]
    assert main(["compare", "-s", "ransomware-fileserver", "bec-wire-fraud", *args]) == 0
    flagged = capsys.readouterr().out
    assert main(["compare", "ransomware-fileserver", "bec-wire-fraud", *args]) == 0
    assert capsys.readouterr().out == flagged and len(json.loads(flagged)["scenarios"]) == 2
    assert main(["compare", SC, "-s", SC, "-r", RB, "--format", "json"]) == 0  # the same, said twice
    assert len(json.loads(capsys.readouterr().out)["scenarios"]) == 1
    for argv, message in (
            (["compare", "ransomware-fileserver", "-s", "bec-wire-fraud", "-r", "acme-msp"],
             "ttx compare: the scenarios before the options (ransomware-fileserver) and after --scenario (bec-wire-fraud) "
             "differ: name them one way (see `ttx compare --help`)\n"),
            (["compare", "-r", "acme-msp"],
             "ttx compare: name the scenarios to compare: ttx compare SCENARIO... --runbook RUNBOOK... (or --scenario "
             "SCENARIO...) (see `ttx compare --help`)\n"),
            (["compare", "-r", "acme-msp", "brightdesk-unlimited", "ransomware-fileserver"],  # the scenario typed last
             "ttx compare: no scenario named: every name after --runbook is read as a runbook (acme-msp brightdesk-unlimited "
             "ransomware-fileserver); name the scenarios first: ttx compare SCENARIO... --runbook RUNBOOK... "
             "(see `ttx compare --help`)\n"),
            (["compare", "ransomware-fileserver", "-r", "acme-msp", "--stress", "-t", "live.ttx.jsonl"],  # was exit 1
             "ttx compare: --stress ranks runbooks as played by ttx, not live transcripts: drop --transcript "
             "(see `ttx compare --help`)\n")):
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 2 and capsys.readouterr().err == message
    with pytest.raises(SystemExit):
        main(["compare", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "[SCENARIO ...]" in out and "SCENARIO the scenarios (a file, or the id of a library entry (`ttx list`)), named " \
        "first as ttx run names one; or with --scenario" in out
