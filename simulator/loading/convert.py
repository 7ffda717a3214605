"""The cattrs converter: plain YAML data to the frozen model, keeping the path of every bad value."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import AttributeOverride, override

from .. import model as m
from ..timing import Calendar, Duration
from ..yamlsrc import Path
from .values import (
    Problem,
    _action_ref,
    _calendar,
    _count,
    _describe,
    _duration,
    _ident,
    _ident_list,
    _local_time,
    _optional_duration,
    _optional_window,
    _pick_kind,
    _text,
    _text_list,
    _weight,
    _window,
)

# An entry names its kind by its key (`notify: customers`, `act: restore`): we lift that key into the
# model's own fields under these names, so cattrs structures the model class itself and a stray
# `kind:` in the file is still an unknown key (as is a quoted "\0kind", the one way to collide).
_LIFTED = {"kind": "\0kind", "target": "\0target", "stakeholders": "\0stakeholders", "task": "\0task"}
_LIFTED_KEYS = frozenset(_LIFTED.values())


def option_keys(cls: type) -> list[str]:
    """The keys a user writes in an entry of `cls`, in the order messages list them (an `id` last)."""
    names = [f.name.rstrip("_") for f in attrs.fields(cls)]
    if cls not in (m.Obligation, m.CommRule, m.Step):
        return names
    return sorted((n for n in names if n not in _LIFTED), key=lambda n: n == "id")


class _Fields:
    """Structures an entry whose kind key is lifted into `lifted`, with path-preserving errors."""

    def __init__(self, conv: cattrs.BaseConverter, cls: type):
        overrides: dict[str, Any] = {name: override(rename=key) for name, key in _LIFTED.items()
                     if name in attrs.fields_dict(cls)}
        self.fn = _lazy(lambda: _class_hook(conv, cls, **overrides))
        self.cls = cls

    def __call__(self, data: dict[str, Any], lifted: dict[str, Any], prefix: Path = ()) -> Any:
        try:
            if not _LIFTED_KEYS.isdisjoint(data):
                raise ForbiddenExtraKeysError("", self.cls, set(data) & _LIFTED_KEYS)
            return self.fn({**data, **{_LIFTED[k]: v for k, v in lifted.items()}}, self.cls)
        except Exception as exc:  # re-raised with the prefix so marks stay exact
            if prefix:
                raise _Nested(exc, prefix) from None
            raise


class _Nested(Exception):
    def __init__(self, exc: BaseException, prefix: Path):
        super().__init__(str(exc))
        self.inner = exc
        self.prefix = prefix


def _lazy(make: Callable[[], Callable[[Any, Any], Any]]) -> Callable[[Any, Any], Any]:
    """A hook made on first use: a file structures only some of the classes (a scenario, no runbook's)."""
    made: list[Callable[[Any, Any], Any]] = []

    def hook(value: Any, t: Any) -> Any:
        if not made:
            made.append(make())
        return made[0](value, t)

    return hook


def _class_hook(conv: cattrs.BaseConverter, cls: type, **overrides: AttributeOverride) -> Callable[[Any, Any], Any]:
    """What `cattrs.gen.make_dict_structure_fn` makes for this converter (detailed validation, unknown
    keys forbidden): the same hooks, checks, order and exception tree, but interpreted. cattrs writes
    and compiles a function per class, about 0.3 ms each, which a one-shot `ttx validate` paid for
    every class it structured once or twice; read from a plan, a field costs about the same."""
    attrs.resolve_types(cls)
    plan = []
    for a in attrs.fields(cls):  # the model's classes have no attrs converters and no init=False fields
        ov = overrides.get(a.name)
        hook = ov.struct_hook if ov is not None and ov.struct_hook is not None else conv.get_structure_hook(a.type, cache_result=False)
        key = ov.rename if ov is not None and ov.rename is not None else a.name
        note = AttributeValidationNote(f"Structuring class {cls.__qualname__} @ attribute {a.name}", a.name, a.type)
        plan.append((a.alias, key, hook, a.type, a.default is attrs.NOTHING, note))
    allowed = frozenset(key for _, key, *_ in plan)
    context = f"While structuring {cls.__name__}"

    def structure(data: Any, _t: Any = None) -> Any:
        res = {}
        errors: list[Exception] = []
        for name, key, hook, t, required, note in plan:
            if required or key in data:
                try:
                    res[name] = hook(data[key], t)
                except Exception as e:
                    e.__notes__ = [*getattr(e, "__notes__", []), note]
                    errors.append(e)
        unknown = set(data) - allowed
        if unknown:
            errors.append(ForbiddenExtraKeysError("", cls, unknown))
        if errors:
            raise ClassValidationError(context, errors, cls)
        try:
            return cls(**res)
        except Exception as exc:
            raise ClassValidationError(context, [exc], cls) from exc

    return structure


def _mapping_hook(conv: cattrs.BaseConverter, t: Any) -> Callable[[Any, Any], Any]:
    """What `cattrs.cols.mapping_structure_factory` makes for `dict[K, V]` with detailed validation,
    interpreted for the same reason as `_class_hook`."""
    key_type, value_type = get_args(t)
    key_hook = conv.get_structure_hook(key_type, cache_result=False)
    value_hook = conv.get_structure_hook(value_type, cache_result=False)
    context = f"While structuring {t!r}"

    def structure(mapping: dict[Any, Any], _t: Any = None) -> dict[Any, Any]:
        res = {}
        errors: list[Exception] = []
        for k, v in mapping.items():
            try:
                value = value_hook(v, value_type)
            except Exception as e:
                e.__notes__ = [*getattr(e, "__notes__", []), IterableValidationNote(f"Structuring mapping value @ key {k!r}", k, value_type)]
                errors.append(e)
                continue
            try:
                res[key_hook(k, key_type)] = value
            except Exception as e:
                e.__notes__ = [*getattr(e, "__notes__", []), IterableValidationNote(f"Structuring mapping key @ key {k!r}", k, key_type)]
                errors.append(e)
        if errors:
            raise IterableValidationError(context, errors, dict)
        return res

    return structure


def _is_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _mapping_of(cls: type, fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """A class's structure hook that first insists on a mapping (cattrs would iterate a string)."""
    names = [f.name.rstrip("_") for f in attrs.fields(cls)]
    required = [f.name.rstrip("_") for f in attrs.fields(cls) if f.default is attrs.NOTHING] or names

    def hook(value: Any, t: Any) -> Any:
        if not isinstance(value, dict):
            raise Problem(f"expected a mapping with {', '.join(required)}; got {_describe(value)}")
        return fn(value, t)

    return hook


def make_converter() -> cattrs.BaseConverter:
    # The base converter: the classes, mappings and lists are ours (below), unknown keys refused by
    # _class_hook; Converter's own generating factories, set up at every start, would go unused.
    conv = cattrs.BaseConverter(detailed_validation=True)

    # Shape first: a string where a list belongs is not a list of characters, and a mapping where a
    # list or a class belongs gets a message saying so. The specific hooks below override these.
    # The inner hooks are made on first use, so that they see the item hooks registered below.
    # `curveballs:` with nothing after it (everything commented out) means none; checks that need
    # at least one entry (injects, roles, channels) say so themselves.
    def tuple_factory(t: Any) -> Any:
        inner: list[Any] = []

        def hook(value: Any, t: Any) -> Any:
            if value is None:
                return ()
            if not isinstance(value, list):
                raise Problem(f"expected a list (`- item` lines or [a, b]); got {_describe(value)}")
            if not inner:
                inner.append(homogenous_tuple_structure_factory(t, conv))
            return inner[0](value, t)

        return hook

    def dict_factory(t: Any) -> Any:
        inner: list[Any] = []

        def hook(value: Any, t: Any) -> Any:
            if value is None:
                return {}
            if not isinstance(value, dict):
                raise Problem(f"expected a mapping (`key: value` lines or {{a: b}}); got {_describe(value)}")
            if not inner:
                inner.append(_mapping_hook(conv, t))
            return inner[0](value, t)

        return hook

    conv.register_structure_hook_factory(_is_tuple, tuple_factory)
    conv.register_structure_hook_factory(lambda t: get_origin(t) is dict, dict_factory)
    conv.register_structure_hook_factory(attrs.has, lambda t: _mapping_of(t, _class_hook(conv, t)))
    conv.register_structure_hook(str, _text)
    conv.register_structure_hook(Duration, _duration)
    conv.register_structure_hook_func(lambda t: t == m.Window, _window)
    conv.register_structure_hook_func(lambda t: t == m.Window | None, _optional_window)
    conv.register_structure_hook_func(lambda t: t == Duration | None, _optional_duration)
    conv.register_structure_hook(Calendar, _calendar)
    conv.register_structure_hook(datetime, _local_time)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _ident_list)
    conv.register_structure_hook(float, _weight)
    conv.register_structure_hook(int, _count)
    conv.register_structure_hook(m.ActionRef, _action_ref)

    def text_tuple(cls: type, field: str) -> Any:
        return _mapping_of(cls, _lazy(lambda: _class_hook(conv, cls, **{field: override(struct_hook=_text_list)})))

    conv.register_structure_hook(m.Inject, text_tuple(m.Inject, "questions"))
    conv.register_structure_hook(m.Scenario, text_tuple(m.Scenario, "norms"))
    conv.register_structure_hook(m.Curveball, _mapping_of(m.Curveball, _lazy(lambda: _class_hook(conv, m.Curveball, for_=override(rename="for")))))

    options = _Fields(conv, m.Obligation)

    def obligation_fields(data: dict[str, Any], kind: str, target: str | None, prefix: Path = ()) -> m.Obligation:
        if data.get("id") is None:  # no `id:` (or an empty one): the checks give the default id
            data = {**data, "id": ""}
        return options(data, {"kind": kind, "target": target}, prefix)

    def obligation(value: Any, _t: Any) -> m.Obligation:
        kind, data = _pick_kind(value, m.KINDS, "an obligation")
        rest = {k: v for k, v in data.items() if k != kind}
        head = data[kind]
        if kind in m.TARGETLESS:
            if isinstance(head, dict):  # `acknowledge: {within: sla.acknowledge}`
                both = sorted(set(head) & set(rest))
                if both:  # which one would win is a guess: say so, as for a duplicate key
                    raise Problem(f"`{both[0]}` is written both inside `{kind}: {{...}}` and beside it; keep one",
                                  (kind, both[0]), key=True)
                nested = obligation_fields(head, kind, None, (kind,))
                beside = obligation_fields(rest, kind, None)
                return attrs.evolve(nested, **{f.name: getattr(beside, f.name) for f in attrs.fields(m.Obligation)
                                               if getattr(nested, f.name) == (f.default if f.default is not attrs.NOTHING else "")})
            if head is None:
                return obligation_fields(rest, kind, None)
            raise Problem(f"{kind} takes no target; write `{kind}: {{within: ...}}` or `- {kind}:` with options beside it", (kind,))
        try:
            target = _ident(head, "a target name")
        except Problem as e:
            raise Problem(str(e), (kind,)) from None
        return obligation_fields(rest, kind, target)

    conv.register_structure_hook(m.Obligation, obligation)

    comm_fields = _Fields(conv, m.CommRule)

    def comm_rule(value: Any, _t: Any) -> m.CommRule:
        kind, data = _pick_kind(value, ("notify", "update"), "a communication rule")
        try:
            who = _ident_list(data[kind])
        except Problem as e:
            raise Problem(str(e), (kind,) + e.subpath) from None
        return comm_fields({k: v for k, v in data.items() if k != kind}, {"kind": kind, "stakeholders": list(who)})

    conv.register_structure_hook(m.CommRule, comm_rule)

    step_fields = _Fields(conv, m.Step)

    def step(value: Any, _t: Any) -> m.Step:
        kind, data = _pick_kind(value, ("act", "decide"), "a playbook step")
        try:
            task = _ident(data[kind], "a task name")
        except Problem as e:
            raise Problem(str(e), (kind,)) from None
        return step_fields({k: v for k, v in data.items() if k != kind}, {"kind": kind, "task": task})

    conv.register_structure_hook(m.Step, step)

    return conv


_CONVERTER: cattrs.BaseConverter | None = None


def converter() -> cattrs.BaseConverter:
    global _CONVERTER
    if _CONVERTER is None:
        _CONVERTER = make_converter()
    return _CONVERTER
