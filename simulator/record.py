"""`@record`: the one way ttx declares its small frozen value classes (inject, obligation, result, …).

It is `attrs.frozen`, except that equality, hashing and `repr` come from the three functions below, shared by every
class, instead of source code attrs writes and compiles for each class. That compile was a tenth of `ttx play`'s
start (about 0.2 ms a class, 60 classes, before the first frame: bench/stages.py). The behaviour is attrs's: equal
when the class is the same and the fields that take part in equality are equal, hashed on those fields, shown as
`Name(field=value, …)`.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

T = TypeVar("T")


def _eq(self: Any, other: Any) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    key = self.__record_key__
    return key(self) == key(other)


def _hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_shown__)
    return f"{self.__class__.__qualname__}({shown})"


def _key(names: list[str]) -> Any:
    """A function from an instance to the tuple of these fields (attrgetter: C speed, a tuple even for one)."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda inst: (one(inst),)
    return lambda inst: ()


def _record(cls: type[T]) -> type[T]:
    made: Any = attrs.frozen(cls, repr=False, eq=False)
    fields = attrs.fields(made)
    made.__record_key__ = staticmethod(_key([a.name for a in fields if a.eq]))
    made.__record_shown__ = tuple(a.name for a in fields if a.repr)
    made.__eq__, made.__hash__, made.__repr__ = _eq, _hash, _repr  # `!=` is object's: the inverse of `__eq__`
    return made  # type: ignore[no-any-return]


if TYPE_CHECKING:  # the type checker's attrs plugin sees what a record is: an attrs frozen class
    from attrs import frozen as record
else:
    record = _record
