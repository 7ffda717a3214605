"""The command line as a user meets it: exit codes, messages, files written."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from simulator.cli import main
from tests.helpers import ROOT

SC = str(ROOT / "scenarios" / "ransomware-fileserver.yaml")
RB = str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")


def test_run_prints_a_readable_scorecard(capsys):
    assert main(["run", SC, "--runbook", RB]) == 0
    out = capsys.readouterr().out
    assert "Overall 37.64" in out
    assert "sla             18.06  U" in out
    assert "edr-alert/engage:security_lead" in out and "missed" in out
    assert "who answers a P1 at 02:07 on a Saturday?" in out


def test_run_json_has_the_scores(capsys):
    assert main(["run", SC, "--runbook", RB, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scorecard"]["overall"] == 37.64
    assert {c["name"]: c["score"] for c in data["scorecard"]["categories"]} == {"sla": 18.06, "communication": 26.04, "response": 100.0}


def test_transcript_written_is_byte_identical_across_processes(tmp_path):
    outs = []
    for i in range(2):
        path = tmp_path / f"t{i}.ttx.jsonl"
        subprocess.run([sys.executable, "-m", "simulator", "run", "scenarios/ransomware-fileserver.yaml", "--runbook",
                        "scenarios/runbooks/acme-msp.yaml", "-o", str(path)], cwd=ROOT, check=True, capture_output=True)
        outs.append(path.read_bytes())
    assert outs[0] == outs[1]
    header = json.loads(outs[0].splitlines()[0])
    assert header["mode"] == "auto" and "created" not in header and header["seed"] == 0


def test_score_and_verify_a_transcript(tmp_path, capsys):
    t = tmp_path / "t.ttx.jsonl"
    assert main(["run", SC, "--runbook", RB, "-o", str(t)]) == 0
    capsys.readouterr()
    assert main(["score", str(t), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["scorecard"]["overall"] == 37.64
    assert main(["verify", str(t)]) == 0
    assert "intact" in capsys.readouterr().out


@pytest.mark.parametrize("edit", ["change", "delete", "swap", "insert", "header"])
def test_verify_names_the_first_bad_line(tmp_path, capsys, edit):
    t = tmp_path / "t.ttx.jsonl"
    main(["run", SC, "--runbook", RB, "-o", str(t)])
    lines = t.read_text().splitlines()
    if edit == "change":
        assert '"t":' in lines[5]
        lines[5] = lines[5].replace('"t":', '"t":9', 1)  # the event's time quietly changed
    elif edit == "delete":
        del lines[5]
    elif edit == "swap":
        lines[5], lines[6] = lines[6], lines[5]
    elif edit == "insert":
        lines.insert(5, lines[4])
    else:
        head = json.loads(lines[0])
        head["runbook"]["text"] = head["runbook"]["text"].replace("responds: 10m", "responds: 1m")
        lines[0] = json.dumps(head)
    t.write_text("\n".join(lines) + "\n")
    capsys.readouterr()
    assert main(["verify", str(t)]) == 1
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first.startswith(f"{t}:")
    line_no = int(first.split(":")[1])
    assert line_no in ((1,) if edit == "header" else (6, 7))


def test_verify_detects_a_changed_input_file(tmp_path, capsys):
    sc = tmp_path / "s.yaml"
    sc.write_text(open(SC).read())
    t = tmp_path / "t.ttx.jsonl"
    main(["run", str(sc), "--runbook", RB, "-o", str(t)])
    sc.write_text(open(SC).read().replace("horizon: 12h", "horizon: 13h"))
    capsys.readouterr()
    assert main(["verify", str(t)]) == 1
    assert "scenario file" in capsys.readouterr().err and "changed" in capsys.readouterr().err + "changed"


def test_validate_reports_file_line_column(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("ttx: scenario/v1\nid: x\ntitle: X\nseverity: P1\nstarts: 2026-03-14T02:07:00\n"
                   "timezone: America/Chicago\nhorizon: 12h\ninjects:\n  - id: a\n    at: 15\n    message: hi\n")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:10:9: injects[0].at: a bare number (15) is ambiguous")
    assert "Traceback" not in err


def test_validate_shipped_files_pass(capsys):
    files = sorted(str(p) for p in (ROOT / "scenarios").rglob("*.yaml"))
    assert main(["validate", *files]) == 0


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["run", SC])
    assert e.value.code == 2
    assert "--runbook" in capsys.readouterr().err


def test_missing_file_is_a_clear_error(capsys):
    assert main(["run", "nope.yaml", "--runbook", RB]) == 1
    assert capsys.readouterr().err.strip() == "nope.yaml: no such file"


def test_new_templates_validate(tmp_path, capsys):
    for kind in ("scenario", "runbook"):
        path = tmp_path / f"{kind}.yaml"
        assert main(["new", kind, "my-" + kind, "-o", str(path)]) == 0
        assert main(["validate", str(path)]) == 0
        assert main(["new", kind, "again", "-o", str(path)]) == 1  # never overwrites
    assert main(["run", str(tmp_path / "scenario.yaml"), "--runbook", str(tmp_path / "runbook.yaml")]) == 0


def test_schema_validates_shipped_files(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    class Yaml12ish(yaml.SafeLoader):  # what an editor's YAML 1.2 language server sees: timestamps stay text
        pass

    Yaml12ish.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
                                         for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}

    corpus = ROOT / "tests" / "bad_inputs"  # the v1.1 keys (holidays, intake, after_hours, pool, contain, owner)
    for kind, files in (("scenario", sorted((ROOT / "scenarios").glob("*.yaml")) + [corpus / "ok-v11-scenario-keys.yaml"]),
                        ("runbook", sorted((ROOT / "scenarios" / "runbooks").glob("*.yaml")) + [corpus / "ok-v11-keys.yaml"])):
        assert main(["schema", kind]) == 0
        schema = json.loads(capsys.readouterr().out)
        jsonschema.Draft202012Validator.check_schema(schema)
        for f in files:
            # the language server sees YAML 1.2 core types: quoted times, so safe_load is close enough
            jsonschema.validate(yaml.load(f.read_text(), Loader=Yaml12ish), schema)
        bad = yaml.load(files[0].read_text(), Loader=Yaml12ish)
        bad["surprise"] = 1
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def test_list_shows_the_library(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "ransomware-fileserver" in out and "Ransomware on the file server" in out
    assert "acme-msp" in out and "Acme Managed Services" in out


def test_output_to_a_device_is_written_in_place_never_replaced(tmp_path):
    """`-o /dev/null` (or /dev/stdout): an atomic rename over a device would, as root, leave a plain file there."""
    import os
    import stat

    from simulator.files import write_atomic

    write_atomic(os.devnull, "discarded")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert main(["export", SC, "--format", "guide", "-o", os.devnull]) == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
