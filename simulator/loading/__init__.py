"""Scenario, runbook and rubric files to model objects, with `FILE:LINE:COL` errors.

Three steps: `yamlsrc` turns untrusted bytes into plain data with marks; a
cattrs converter structures that data into the frozen model (its detailed
validation tells us the path of every bad value, which we map back to a
mark); then checks that need the whole file (references, uniqueness, cycles).
References *between* a scenario and a runbook are not checked here: one
runbook plays against many scenarios, so those become findings when scoring.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .. import model as m
from ..yamlsrc import Document, read
from .checks import check_rubric, check_runbook, check_scenario, check_work
from .convert import converter
from .positions import _first, _problems
from .values import _describe


class Loaded(NamedTuple):
    """A model object with the document it came from (for later positioned messages)."""

    kind: str
    value: Any
    doc: Document


def kind_of(doc: Document) -> str:
    if not isinstance(doc.data, dict):
        raise doc.error((), f"expected a mapping starting with `ttx: scenario/v1` or `ttx: runbook/v1`; got {_describe(doc.data)}")
    tag = doc.data.get("ttx")
    if tag in ("scenario/v1", "runbook/v1", "rubric/v1", "stress/v1"):
        return tag.split("/")[0]
    if tag is None:
        raise doc.error((), "missing `ttx:` tag (expected ttx: scenario/v1 or ttx: runbook/v1)")
    raise doc.error(("ttx",), f"unknown file kind {_describe(tag)} (expected scenario/v1, runbook/v1, rubric/v1 or stress/v1)")


def structure(doc: Document, cls: type) -> Any:
    conv = converter()  # built outside the try: a bug here must not pass for a user error
    try:
        return conv.structure(doc.data, cls)
    except Exception as exc:  # every structuring failure becomes positioned messages
        problems = _problems(doc, exc) or [doc.error((), f"invalid file ({type(exc).__name__})")]
        raise _first(problems) from None


def load_document(doc: Document, expect: str | None = None) -> Loaded:
    kind = kind_of(doc)
    if expect and kind != expect:
        raise doc.error(("ttx",), f"this is a {kind} file; expected a {expect}")
    value: Any
    if kind == "scenario":
        value = check_scenario(doc, structure(doc, m.Scenario))
    elif kind == "runbook":
        value = check_runbook(doc, structure(doc, m.Runbook))
    elif kind == "stress":  # the chance model of `ttx stress` (SPEC section 12)
        from .stress import from_document

        value = from_document(doc)
    else:
        value = check_rubric(doc)
    return Loaded(kind, value, doc)


def check_pair(scenario: Loaded, runbook: Loaded) -> None:
    """What can be known only of the two files together: the work their play would need."""
    check_work(scenario.doc, scenario.value, runbook.doc, runbook.value)


def load(path: str, expect: str | None = None, display: str | None = None) -> Loaded:
    return load_document(read(path, display), expect)


def load_text(name: str, text: str, expect: str | None = None) -> Loaded:
    from ..yamlsrc import decode, parse

    # a lone surrogate (possible in JSON-embedded text) must become a LoadError, not a UnicodeEncodeError
    return load_document(parse(name, decode(name, text.encode("utf-8", "surrogatepass"))), expect)
