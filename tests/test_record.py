"""`@record` behaves as `attrs.frozen` does: the scorecard, the stress sweep's de-duplication and the transcript's
checks compare and hash these values, and a facilitator reads their repr in a bug report."""

from __future__ import annotations

import pickle
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.model import Inject, Scenario
from simulator.record import record


@attrs.frozen
class Twin:
    name: str
    due: int = 0
    note: str = attrs.field(default="", eq=False)
    tags: tuple[str, ...] = ()


@record
class Made:
    name: str
    due: int = 0
    note: str = attrs.field(default="", eq=False)
    tags: tuple[str, ...] = ()


values = st.tuples(st.text(max_size=4), st.integers(-3, 3), st.text(max_size=2), st.tuples(st.sampled_from("ab")))


@given(values, values)
def test_equality_and_hash_are_those_attrs_would_give(a, b):
    ta, tb, ma, mb = Twin(*a), Twin(*b), Made(*a), Made(*b)
    assert (ma == mb) is (ta == tb)
    assert (ma != mb) is (ta != tb)
    if ma == mb:
        assert hash(ma) == hash(mb)
    assert repr(ma) == repr(ta).replace("Twin(", "Made(", 1)


def test_a_field_left_out_of_equality_is_left_out_and_other_classes_are_never_equal():
    assert Made("x", 1, note="one") == Made("x", 1, note="other")
    assert len({Made("x", 1, note="one"), Made("x", 1, note="other")}) == 1
    assert Made("x", 1) != Twin("x", 1)
    assert Made("x") != ("x", 0, "", ())


def test_records_stay_frozen_and_survive_a_trip_to_another_process():
    m = Made("x", 2, "n", ("a",))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        m.due = 3  # type: ignore[misc]
    back = pickle.loads(pickle.dumps(m))
    assert back == m and back.note == "n"


def test_every_frozen_class_of_ttx_is_a_record():
    """One way to declare a value class: a plain `@attrs.frozen` would bring back the per-class compile at start-up."""
    root = Path(__file__).resolve().parent.parent
    plain = [f"{p.relative_to(root)}:{n}" for p in sorted([*root.joinpath("simulator").rglob("*.py"), *root.joinpath("scoring").rglob("*.py")])
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("@attrs.frozen")]
    assert plain == []
    a = Inject(id="edr-alert", at=0, message="EDR alert")
    assert a == Inject(id="edr-alert", at=0, message="EDR alert") and a != attrs.evolve(a, message="other")
    assert Inject.__eq__ is Scenario.__eq__  # the shared implementation, not one attrs wrote
