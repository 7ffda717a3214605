"""Editors: the JSON Schemas agree with the loader on every shipped file, on the templates, and on
durations; templates name their schema in a modeline that resolves offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.schema import DURATION, schema
from simulator.timing import parse_duration
from tests.helpers import ROOT

jsonschema = pytest.importorskip("jsonschema")


def _yaml12(text: str):
    """What an editor's YAML 1.2 language server sees: timestamps stay text."""
    import yaml

    class Yaml12ish(yaml.SafeLoader):
        pass

    Yaml12ish.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
                                         for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return yaml.load(text, Loader=Yaml12ish)


@pytest.mark.parametrize("kind", ["scenario", "runbook"])
def test_every_shipped_file_and_the_template_pass_the_schema(kind, tmp_path, capsys):
    folder = ROOT / "scenarios" if kind == "scenario" else ROOT / "scenarios" / "runbooks"
    files = sorted(folder.glob("*.yaml"))
    assert files
    assert main(["new", kind, "from-template", "-o", str(tmp_path / "t.yaml")]) == 0
    validator = jsonschema.Draft202012Validator(schema(kind))
    for f in [*files, tmp_path / "t.yaml"]:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_yaml12(f.read_text()))]
        assert errors == [], f"{f}: {errors[:3]}"


@pytest.mark.parametrize("kind", ["scenario", "runbook"])
def test_template_modeline_names_the_schema_written_beside_it(kind, tmp_path, capsys):
    target = tmp_path / "sub" / "mine.yaml"
    target.parent.mkdir()
    assert main(["new", kind, "mine", "-o", str(target)]) == 0
    first = target.read_text().splitlines()[0]
    assert first == f"# yaml-language-server: $schema=ttx-{kind}.schema.json"
    beside = json.loads((target.parent / f"ttx-{kind}.schema.json").read_text())
    assert beside == schema(kind)
    assert main(["schema", kind, "-o", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text()) == beside


@pytest.mark.parametrize("text", ["", "P", "PT", "P1DT", "PT15M", "P2D", "PT0S", "15m", "1h30m", "2d", "0m", "4bd",
                                  "15", "1.5h", "-5m", "m", "bd", "1h 30m", "15M", "PT1.5H", "1d2h3m4s", "P1DT2H"])
def test_schema_durations_agree_with_the_loader(text):
    try:
        parse_duration(text)
        loader_ok = True
    except ValueError:
        loader_ok = False
    schema_ok = jsonschema.Draft202012Validator(DURATION).is_valid(text)
    assert schema_ok == loader_ok, f"{text!r}: loader {'accepts' if loader_ok else 'refuses'}, schema does not agree"


def test_editor_setup_is_documented():
    doc = (ROOT / "docs" / "editors.md").read_text()
    for needle in ("VS Code", "Neovim", "yaml-language-server: $schema=", "ttx schema scenario -o"):
        assert needle in doc
    assert Path(ROOT / "README.md").read_text().count("docs/editors.md") >= 1
