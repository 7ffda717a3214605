"""Fuzzing the loader: whatever the bytes, the only exception is LoadError, with a sane position.

Three sources of input: arbitrary text and bytes; the shipped scenarios and runbooks with random line
edits (deletions, duplications, swaps, character substitutions, indentation changes, key renames);
and the same files parsed to data with one value anywhere replaced by a value of another shape.
"""

from __future__ import annotations

import os
import re
import tempfile
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.loading import load, load_text
from simulator.yamlsrc import LoadError
from tests.helpers import ROOT


def _shipped() -> dict[str, tuple[str, str]]:
    """Every shipped scenario and runbook that loads today (name -> kind, text): the seeds to mutate."""
    out = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "scenarios" / "runbooks").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        try:
            out[path.name] = (load_text(path.name, text).kind, text)
        except LoadError:  # a library file being edited by someone else is not this test's business
            continue
    return out


SHIPPED = _shipped()
assert {"ransomware-fileserver.yaml", "acme-msp.yaml"} <= set(SHIPPED)
KEYS = sorted({m for _, text in SHIPPED.values() for m in re.findall(r"([A-Za-z_]+):", text)})
YAMLISH = ":-[]{}#&*!|>'\"%@`,? \t\n~.0123456789" + "abcxyz" + "\x00\x1b\u202e\ufeff\x85"
def fuzz(n: int) -> settings:
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
POSITION = re.compile(r"^f\.yaml(?::(\d+):(\d+))?: \S")


def _check(text: str | None = None, raw: bytes | None = None, expect: str | None = None) -> None:
    """Load; a LoadError must be well-formed and point inside the file. Anything else fails the test."""
    try:
        if raw is not None:  # through the file-reading path, as `ttx validate` does
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "f.yaml")
                with open(path, "wb") as fh:
                    fh.write(raw)
                load(path, expect, display="f.yaml")
        else:
            load_text("f.yaml", text or "", expect)
    except LoadError as e:
        source = text if text is not None else raw.decode("utf-8", "replace")  # type: ignore[union-attr]
        m = POSITION.match(str(e))
        assert m, str(e)
        if m.group(1):
            line, col = int(m.group(1)), int(m.group(2))
            # YAML also breaks lines at U+0085/U+2028/U+2029, so count those as editors that honour them do
            lines = re.split("\r\n|\r|\n|\x85|\u2028|\u2029", source)
            assert 1 <= line <= len(lines) + 1, str(e)
            assert 1 <= col, str(e)
        assert "\x1b" not in str(e) and "\n" not in str(e)
        assert len(e.message) <= 1000  # a huge value is quoted cut short
        for other in getattr(e, "others", []):
            assert isinstance(other, LoadError)


# --- (a) arbitrary input ----------------------------------------------------------------------


@fuzz(300)
@given(st.text(alphabet=st.sampled_from(YAMLISH) | st.characters(), max_size=300))
def test_arbitrary_text(text):
    _check(text)


@fuzz(200)
@given(st.binary(max_size=400))
def test_arbitrary_bytes(raw):
    _check(raw=raw)


@fuzz(200)
@given(st.sampled_from(["scenario", "runbook", "rubric"]), st.text(alphabet=YAMLISH, max_size=200))
def test_valid_header_then_garbage(kind, tail):
    _check(f"ttx: {kind}/v1\n{tail}", expect=kind)


# --- (b) mutated valid files ------------------------------------------------------------------


@st.composite
def mutated(draw: Any) -> tuple[str, str]:
    kind, text = SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))]
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "substitute", "insert", "indent", "dedent", "rename"]))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "substitute" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:k] + draw(st.sampled_from(YAMLISH)) + lines[i][k + 1:]
        elif op == "insert":
            lines.insert(i, draw(st.text(alphabet=YAMLISH, max_size=30)))
        elif op == "indent":
            lines[i] = " " * draw(st.integers(1, 4)) + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][draw(st.integers(1, 4)):]
        elif op == "rename":
            keys = re.findall(r"([A-Za-z_]+):", lines[i])
            if keys:
                new = draw(st.sampled_from(KEYS) | st.from_regex(r"[a-z_]{1,12}", fullmatch=True))
                lines[i] = lines[i].replace(f"{draw(st.sampled_from(keys))}:", f"{new}:", 1)
    return kind, "\n".join(lines)


@fuzz(600)
@given(mutated(), st.booleans())
def test_mutated_shipped_files(case, tell_kind):
    kind, text = case
    _check(text, expect=kind if tell_kind else None)


# --- (c) one value anywhere replaced by one of another shape ----------------------------------

ODD_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | st.text(max_size=12)
    | st.sampled_from(["", "~", "15", "-5m", "PT", "sla.", "notify:", "24:00", "08:60", "mon-sun", "0m", "4bd",
                       "2026-03-08T02:30:00", ".nan", "first_responder", "ceo", "noc_tier1", "isolate-host"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, path + (i,))
    return out


PATHS = {name: [p for p in _paths(yaml.safe_load(text)) if p] for name, (_, text) in SHIPPED.items()}


@fuzz(400)
@given(st.data())
def test_any_value_replaced_by_any_shape(data):
    name = data.draw(st.sampled_from(sorted(SHIPPED)))
    kind, text = SHIPPED[name]
    doc = yaml.safe_load(text)
    path = data.draw(st.sampled_from(PATHS[name]))
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = data.draw(ODD_VALUES)
    _check(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), expect=kind)
