"""Scenario, runbook and rubric files to model objects, with `FILE:LINE:COL` errors.

Three steps: `yamlsrc` turns untrusted bytes into plain data with marks; a
cattrs converter structures that data into the frozen model (its detailed
validation tells us the path of every bad value, which we map back to a
mark); then checks that need the whole file (references, uniqueness, cycles).
References *between* a scenario and a runbook are not checked here: one
runbook plays against many scenarios, so those become findings when scoring.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any, Callable, Iterator, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.cols import homogenous_tuple_structure_factory, mapping_structure_factory
from cattrs.gen import make_dict_structure_fn, override

from . import model as m
from .timing import Calendar, Clock, Duration, parse_calendar, parse_days, parse_duration, parse_hhmm, parse_local, zone
from .yamlsrc import Document, LoadError, Path, dotted, read

MAX_INJECTS = 2000
IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
# A cadence and a horizon bound how many messages and update windows one exercise can hold: a hostile
# `every: 1s` over a year would mean tens of millions of events.
MAX_HORIZON_SECONDS = 90 * 86400
MAX_HORIZON_BD = 60
MIN_EVERY_SECONDS = 60


def _zone(name: str) -> Any:
    """timing.zone, minus names that are files of this machine rather than places: the same file must
    play the same everywhere (`localtime` is whatever zone the computer running ttx is set to)."""
    if name in ("localtime", "posixrules", "Factory") or name.startswith(("posix/", "right/")):
        raise ValueError(f"time zone {name!r} depends on the computer's zone files; write an IANA name like America/Chicago")
    return zone(name)


def _too_frequent(d: Any) -> bool:
    return isinstance(d, Duration) and d.business_days == 0 and d.seconds < MIN_EVERY_SECONDS


class Problem(ValueError):
    """A structuring problem at a path below the value being structured."""

    def __init__(self, message: str, subpath: Path = (), key: bool = False):
        super().__init__(message)
        self.subpath = subpath
        self.key = key


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _text(value: Any, _t: Any = None) -> str:
    if isinstance(value, bool):  # YAML read an unquoted true/false as a truth value
        raise Problem(f'expected text; got {_describe(value)} (write "{_describe(value)}" in quotes if you mean the word)')
    if not isinstance(value, str):
        raise Problem(f"expected text; got {_describe(value)}")
    return value


def _ident(value: Any, what: str = "a name") -> str:
    text = _text(value)
    if not IDENT.match(text):
        raise Problem(f"expected {what} of letters, digits, '_', '-' or '.' (at most 64); got {_describe(text)}")
    return text


def _ident_list(value: Any, _t: Any = None) -> tuple[str, ...]:
    """A list of names; a single name is accepted as a list of one, and `key:` with nothing as none."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (_ident(value),)
    if not isinstance(value, list):
        raise Problem(f"expected a list of names; got {_describe(value)}")
    out = []
    for i, item in enumerate(value):
        try:
            out.append(_ident(item))
        except Problem as e:
            raise Problem(str(e), (i,)) from None
    return tuple(out)


def _text_list(value: Any, _t: Any = None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        raise Problem(f"expected a list of text; got {_describe(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise Problem(f"expected text; got {_describe(item)}", (i,))
    return tuple(value)


def _duration(value: Any, _t: Any = None) -> Duration:
    if not isinstance(value, str):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise Problem(f"a bare number ({value}) is ambiguous: write a unit, e.g. {value}m")
        raise Problem(f"expected a duration like 15m, 1h30m, 2d, 4bd or PT15M; got {_describe(value)}")
    if re.search(r"\d{16}", value):  # beyond any range, and int() refuses 4,300+ digits with its own message
        raise Problem(f"{_describe(value.strip())} is out of range (at most 366 days)")
    try:
        return parse_duration(value)
    except ValueError as e:
        raise Problem(str(e)) from None


def _window(value: Any, _t: Any = None) -> m.Window:
    if isinstance(value, str) and value.strip().startswith("sla."):
        metric = value.strip()[4:]
        if metric not in m.SLA_METRICS:
            raise Problem(f"unknown SLA metric {value!r} (expected sla.acknowledge, sla.engage, sla.update or sla.restore)")
        return m.SlaRef(metric)
    return _duration(value)


def _optional_window(value: Any, _t: Any = None) -> m.Window | None:
    return None if value is None else _window(value)


def _optional_duration(value: Any, _t: Any = None) -> Duration | None:
    return None if value is None else _duration(value)


_SPAN_KEYS = ("days", "from", "to")


def _calendar(value: Any, _t: Any = None) -> Calendar:
    # Check each span key here first so that the message points at the bad key or value itself.
    items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    for i, item in enumerate(items):
        sub: Path = (i,) if isinstance(value, list) else ()
        if not isinstance(item, dict):
            raise Problem(f'expected {{days: mon-fri, from: "08:00", to: "18:00"}}; got {_describe(item)}', sub)
        for key in item:
            if key not in _SPAN_KEYS:
                raise Problem(f"unknown key {_describe(key)} in hours (expected days, from, to){_did_you_mean(key, _SPAN_KEYS)}",
                              sub + (key,), key=True)
        for key in _SPAN_KEYS:
            if key not in item:
                raise Problem(f'missing required key {key!r} (hours are {{days: mon-fri, from: "08:00", to: "18:00"}})', sub)
        for key in ("from", "to"):
            try:
                minutes = parse_hhmm(_text(item[key]))
            except (ValueError, Problem):
                raise Problem(f'expected a time of day like "08:00" (00:00 to 24:00); got {_describe(item[key])}',
                              sub + (key,)) from None
            if key == "from" and minutes == 24 * 60:
                raise Problem('"24:00" is allowed only as `to` (the end of the day)', sub + (key,))
        days = item["days"]
        if not isinstance(days, (str, list)):
            raise Problem(f"expected weekday names like mon-fri or sat,sun; got {_describe(days)}", sub + ("days",))
        try:
            parse_days(days)
        except ValueError as e:
            raise Problem(str(e), sub + ("days",)) from None
    try:
        return parse_calendar(value)
    except ValueError as e:
        raise Problem(str(e)) from None


def _local_time(value: Any, _t: Any = None) -> datetime:
    try:
        return parse_local(_text(value))
    except ValueError as e:
        raise Problem(str(e)) from None


def _weight(value: Any, _t: Any = None) -> float:
    try:
        number = float(_text(value)) if not isinstance(value, (int, float)) or isinstance(value, bool) else float(value)
    except (ValueError, Problem):
        number = math.nan
    if not math.isfinite(number) or number <= 0 or number > 1000:
        raise Problem(f"expected a number above 0 and up to 1000; got {_describe(value)}")
    return number


def _action_ref(value: Any, _t: Any = None) -> m.ActionRef:
    text = _text(value).strip()
    kind, _, target = text.partition(":")
    if kind not in m.KINDS:
        raise Problem(f"expected KIND:TARGET like notify:customers (KIND one of {', '.join(m.KINDS)}); got {_describe(text)}")
    if kind in m.TARGETLESS:
        if target:
            raise Problem(f"{kind} takes no target; write just {kind!r}")
        return m.ActionRef(kind, None)
    if not target or not IDENT.match(target):
        raise Problem(f"expected {kind}:TARGET; got {_describe(text)}")
    return m.ActionRef(kind, target)


def _pick_kind(value: Any, kinds: tuple[str, ...], what: str) -> tuple[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise Problem(f"expected a mapping with one of {', '.join(kinds)}; got {_describe(value)}")
    found = [k for k in value if k in kinds]
    if len(found) != 1:
        if not found:
            raise Problem(f"{what} needs exactly one of: {', '.join(kinds)}")
        raise Problem(f"{what} has both {found[0]!r} and {found[1]!r}; write one per entry", (found[1],), key=True)
    return found[0], value


class _Fields:
    """Structures the option keys of a polymorphic entry with path-preserving errors."""

    def __init__(self, conv: cattrs.Converter, cls: type):
        self.conv = conv
        self.cls = cls

    def __call__(self, data: dict[str, Any], prefix: Path = ()) -> Any:
        try:
            return self.conv.structure(data, self.cls)
        except Exception as exc:  # re-raised with the prefix so marks stay exact
            if prefix:
                raise _Nested(exc, prefix) from None
            raise


class _Nested(Exception):
    def __init__(self, exc: BaseException, prefix: Path):
        super().__init__(str(exc))
        self.inner = exc
        self.prefix = prefix


@attrs.frozen
class _ObligationOptions:
    within: m.Window | None = None
    every: m.Window | None = None
    via: tuple[str, ...] = ()
    by: str | None = None
    before: m.ActionRef | None = None
    weight: float = 1.0
    id: str | None = None


@attrs.frozen
class _CommOptions:
    via: tuple[str, ...]
    by: str
    when: str = "declared"
    within: Duration | None = None
    every: Duration | None = None


@attrs.frozen
class _StepOptions:
    by: str
    takes: Duration = Duration(0)


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


def make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

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
                inner.append(mapping_structure_factory(t, conv, dict, detailed_validation=True))  # registers nothing
            return inner[0](value, t)

        return hook

    conv.register_structure_hook_factory(_is_tuple, tuple_factory)
    conv.register_structure_hook_factory(lambda t: get_origin(t) is dict, dict_factory)
    conv.register_structure_hook_factory(attrs.has, lambda t: _mapping_of(t, make_dict_structure_fn(t, conv)))
    conv.register_structure_hook(str, _text)
    conv.register_structure_hook(Duration, _duration)
    conv.register_structure_hook_func(lambda t: t == m.Window, _window)
    conv.register_structure_hook_func(lambda t: t == m.Window | None, _optional_window)
    conv.register_structure_hook_func(lambda t: t == Duration | None, _optional_duration)
    conv.register_structure_hook(Calendar, _calendar)
    conv.register_structure_hook(datetime, _local_time)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _ident_list)
    conv.register_structure_hook(float, _weight)
    conv.register_structure_hook(m.ActionRef, _action_ref)

    def text_tuple(cls: type, field: str, **extra: Any) -> Any:
        return _mapping_of(cls, make_dict_structure_fn(cls, conv, **{field: override(struct_hook=_text_list)}, **extra))

    conv.register_structure_hook(m.Inject, text_tuple(m.Inject, "questions"))
    conv.register_structure_hook(m.Scenario, text_tuple(m.Scenario, "norms"))
    conv.register_structure_hook(m.Curveball, _mapping_of(m.Curveball, make_dict_structure_fn(m.Curveball, conv, for_=override(rename="for"))))

    options = _Fields(conv, _ObligationOptions)

    def obligation(value: Any, _t: Any) -> m.Obligation:
        kind, data = _pick_kind(value, m.KINDS, "an obligation")
        rest = {k: v for k, v in data.items() if k != kind}
        head = data[kind]
        if kind in m.TARGETLESS:
            target = None
            if isinstance(head, dict):  # `acknowledge: {within: sla.acknowledge}`
                both = sorted(set(head) & set(rest))
                if both:  # which one would win is a guess: say so, as for a duplicate key
                    raise Problem(f"`{both[0]}` is written both inside `{kind}: {{...}}` and beside it; keep one",
                                  (kind, both[0]), key=True)
                nested = options(head, (kind,))
                rest_opts = options(rest) if rest else _ObligationOptions()
                merged = {f.name: getattr(nested, f.name) if getattr(nested, f.name) != f.default else getattr(rest_opts, f.name)
                          for f in attrs.fields(_ObligationOptions)}
                opts = _ObligationOptions(**merged)
            elif head is None:
                opts = options(rest)
            else:
                raise Problem(f"{kind} takes no target; write `{kind}: {{within: ...}}` or `- {kind}:` with options beside it", (kind,))
        else:
            try:
                target = _ident(head, "a target name")
            except Problem as e:
                raise Problem(str(e), (kind,)) from None
            opts = options(rest)
        return m.Obligation(id=opts.id or "", kind=kind, target=target, within=opts.within, every=opts.every,
                            via=opts.via, by=opts.by, before=opts.before, weight=opts.weight)

    conv.register_structure_hook(m.Obligation, obligation)

    comm_options = _Fields(conv, _CommOptions)

    def comm_rule(value: Any, _t: Any) -> m.CommRule:
        kind, data = _pick_kind(value, ("notify", "update"), "a communication rule")
        try:
            who = _ident_list(data[kind])
        except Problem as e:
            raise Problem(str(e), (kind,) + e.subpath) from None
        opts = comm_options({k: v for k, v in data.items() if k != kind})
        return m.CommRule(kind=kind, stakeholders=who, via=opts.via, by=opts.by, when=opts.when,
                          within=opts.within, every=opts.every)

    conv.register_structure_hook(m.CommRule, comm_rule)

    step_options = _Fields(conv, _StepOptions)

    def step(value: Any, _t: Any) -> m.Step:
        kind, data = _pick_kind(value, ("act", "decide"), "a playbook step")
        try:
            task = _ident(data[kind], "a task name")
        except Problem as e:
            raise Problem(str(e), (kind,)) from None
        opts = step_options({k: v for k, v in data.items() if k != kind})
        return m.Step(kind=kind, task=task, by=opts.by, takes=opts.takes)

    conv.register_structure_hook(m.Step, step)

    return conv


_CONVERTER: cattrs.Converter | None = None


def converter() -> cattrs.Converter:
    global _CONVERTER
    if _CONVERTER is None:
        _CONVERTER = make_converter()
    return _CONVERTER


# --- turning cattrs' exception tree into positioned messages -------------------------------


def _walk(exc: BaseException, path: Path) -> Iterator[tuple[Path, BaseException]]:
    if isinstance(exc, _Nested):
        yield from _walk(exc.inner, path + exc.prefix)
    elif isinstance(exc, (ClassValidationError, IterableValidationError)):
        for sub in exc.exceptions:
            step: Any = None
            for note in getattr(sub, "__notes__", []):
                if hasattr(note, "name"):
                    step = note.name.rstrip("_") if note.name != "for_" else "for"
                    break
                if hasattr(note, "index"):
                    step = note.index
                    break
            yield from _walk(sub, path + (step,) if step is not None else path)
    else:
        yield path, exc


def _problems(doc: Document, exc: BaseException) -> list[LoadError]:
    out = []
    for path, err in _walk(exc, ()):
        if isinstance(err, Problem):
            full = path + err.subpath
            out.append(doc.error(full, f"{_prefix(full)}{err}", key=err.key))
        elif isinstance(err, ForbiddenExtraKeysError):
            for key in sorted(err.extra_fields):
                names = [f.name.rstrip("_") for f in attrs.fields(err.cl)] if attrs.has(err.cl) else []
                hint = f" (expected one of: {', '.join(names)}){_did_you_mean(key, names)}" if names else ""
                where = _prefix(path) or "top-level "
                out.append(doc.error(path + (key,), f"{where}unknown key {_describe(key)}{hint}", key=True))
        elif isinstance(err, KeyError):
            parent = path[:-1]
            out.append(doc.error(parent, f"{_prefix(parent)}missing required key {path[-1]!r}"))
        elif isinstance(err, (ValueError, TypeError, AttributeError)):
            out.append(doc.error(path, f"{_prefix(path)}{_expected(doc, path)}"))
        else:  # anything else is our bug, but the user still gets a position, not a traceback
            out.append(doc.error(path, f"{_prefix(path)}invalid value ({type(err).__name__})"))
    return out


def _did_you_mean(key: Any, names: Any) -> str:
    import difflib  # only when there is a misspelling to suggest for (start-up time)

    close = difflib.get_close_matches(str(key), list(names), n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


def _prefix(path: Path) -> str:
    """`injects[0].at: ` naming where a problem is; nothing for the file as a whole."""
    return f"{_dotted(path)}: " if path else ""


def _expected(doc: Document, path: Path) -> str:
    value: Any = doc.data
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return "invalid value"
    if isinstance(value, dict):
        return "expected a single value or list here; got a mapping"
    if isinstance(value, list):
        return "expected a mapping or single value here; got a list"
    return f"expected a mapping here; got {_describe(value)}"


def _dotted(path: Path) -> str:
    return dotted(path) or "file"


# --- files ---------------------------------------------------------------------------------


@attrs.frozen
class Loaded:
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


def _first(problems: list[LoadError]) -> LoadError:
    problems.sort(key=lambda e: (e.mark.line, e.mark.column) if e.mark else (0, 0))
    first = problems[0]
    first.others = problems[1:]  # type: ignore[attr-defined]
    return first


def load_document(doc: Document, expect: str | None = None) -> Loaded:
    kind = kind_of(doc)
    if expect and kind != expect:
        raise doc.error(("ttx",), f"this is a {kind} file; expected a {expect}")
    if kind == "scenario":
        value = check_scenario(doc, structure(doc, m.Scenario))
    elif kind == "runbook":
        value = check_runbook(doc, structure(doc, m.Runbook))
    elif kind == "stress":  # the chance model of `ttx stress` (SPEC section 12)
        from .stress.model import from_document

        value = from_document(doc)
    else:
        value = check_rubric(doc)
    return Loaded(kind, value, doc)


def load(path: str, expect: str | None = None, display: str | None = None) -> Loaded:
    return load_document(read(path, display), expect)


def load_text(name: str, text: str, expect: str | None = None) -> Loaded:
    from .yamlsrc import decode, parse

    # a lone surrogate (possible in JSON-embedded text) must become a LoadError, not a UnicodeEncodeError
    return load_document(parse(name, decode(name, text.encode("utf-8", "surrogatepass"))), expect)


# --- whole-file checks ----------------------------------------------------------------------


class _Checker:
    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[LoadError] = []

    def fail(self, path: Path, message: str, key: bool = False) -> None:
        self.problems.append(self.doc.error(path, f"{_prefix(path)}{message}", key=key))

    def ident(self, path: Path, value: str, what: str, key: bool = False) -> None:
        if not IDENT.match(value):
            self.fail(path, f"expected {what} of letters, digits, '_', '-' or '.'; got {_describe(value)}", key=key)

    def done(self) -> None:
        if self.problems:
            raise _first(self.problems)


def check_scenario(doc: Document, sc: m.Scenario) -> m.Scenario:
    ck = _Checker(doc)
    if sc.severity not in m.SEVERITIES:
        ck.fail(("severity",), f"expected one of {', '.join(m.SEVERITIES)}; got {_describe(sc.severity)}")
    clock: Clock | None = None
    try:
        tz = _zone(sc.timezone)
        parse_local(doc.data["starts"], tz)
        clock = Clock(sc.starts, tz)
    except ValueError as e:
        ck.fail(("timezone",) if "zone" in str(e) else ("starts",), str(e))
    ck.ident(("id",), sc.id, "an id")
    if not sc.injects:
        ck.fail(("injects",), "a scenario needs at least one inject")
    if len(sc.injects) > MAX_INJECTS:
        ck.fail(("injects",), f"{len(sc.injects):,} injects; the limit is {MAX_INJECTS:,}")
    if sc.horizon.business_days == 0 and sc.horizon.seconds == 0:
        ck.fail(("horizon",), "the horizon must be longer than 0m")
    elif sc.horizon.seconds > MAX_HORIZON_SECONDS or sc.horizon.business_days > MAX_HORIZON_BD:
        ck.fail(("horizon",), f"{sc.horizon} is out of range: a horizon is at most 90d (or {MAX_HORIZON_BD}bd)")
    for key, sh in sc.stakeholders.items():
        ck.ident(("stakeholders", key), key, "a stakeholder key", key=True)
        if not sh.channels:
            ck.fail(("stakeholders", key, "channels"), "a stakeholder needs at least one channel")
    if sc.resolution is not None:
        if not sc.resolution.after:  # "takes after the last of its tasks": with none, there is no last
            ck.fail(("resolution", "after"), "resolution needs at least one task in `after` (e.g. after: [restore-from-backup])")
    tasks, decisions = sc.tasks(), sc.decisions()  # once: per obligation would be quadratic
    seen_injects: set[str] = set()
    seen_ids: dict[str, Path] = {}
    injects = []
    for i, inj in enumerate(sc.injects):
        p: Path = ("injects", i)
        ck.ident(p + ("id",), inj.id, "an inject id")
        if inj.id in seen_injects:
            ck.fail(p + ("id",), f"duplicate inject id {inj.id!r}")
        seen_injects.add(inj.id)
        if inj.at.business_days == 0 and sc.horizon.business_days == 0 and inj.at.seconds > sc.horizon.seconds:
            ck.fail(p + ("at",), f"inject at {inj.at} is after the {sc.horizon} horizon: it would never be played")
        if inj.when and not (inj.when.done or inj.when.not_done):
            ck.fail(p + ("when",), "expected `not_done: TASK` or `done: TASK`")
        obligations = []
        for j, ob in enumerate(inj.expects):
            q: Path = p + ("expects", j)
            ob = _check_obligation(ck, sc, q, inj, ob, tasks, decisions)
            if clock is not None and isinstance(ob.within, Duration):
                at, end = clock.after(0, inj.at), clock.after(0, sc.horizon)
                due = clock.after(at, ob.within)
                if at <= end < due:  # judged at the horizon, it could only ever be "missed"
                    ck.fail(q + ("within",), f"due {clock.label(due)} ({ob.within} after {inj.id}), after the "
                                             f"{sc.horizon} horizon ({clock.label(end)}): extend the horizon or shorten the window")
            if ob.id in seen_ids:
                ck.fail(q, f"duplicate obligation id {ob.id!r} (give one an `id:`)")
            seen_ids[ob.id] = q
            obligations.append(ob)
        injects.append(attrs.evolve(inj, expects=tuple(obligations)))
    curveballs = []
    for i, cb in enumerate(sc.curveballs):
        p = ("curveballs", i)
        if (cb.unreachable is None) == (cb.channel_down is None):
            ck.fail(p, "a curveball needs exactly one of `unreachable: ROLE_OR_FUNCTION` or `channel_down: CHANNEL`")
        for key in ("unreachable", "channel_down"):
            val = getattr(cb, key)
            if val is not None:
                ck.ident(p + (key,), val, "a name")
        if cb.for_ is not None and cb.for_.seconds == 0 and cb.for_.business_days == 0:
            ck.fail(p + ("for",), "`for` must be longer than 0m (leave it out for the rest of the exercise)")
        curveballs.append(attrs.evolve(cb, id=cb.id or f"curveball-{i + 1}"))
    _check_before_cycles(ck, injects)
    ck.done()
    return attrs.evolve(sc, injects=tuple(injects), curveballs=tuple(curveballs))


def _check_obligation(ck: _Checker, sc: m.Scenario, q: Path, inj: m.Inject, ob: m.Obligation,
                      tasks: set[str], decisions: set[str]) -> m.Obligation:
    kq = q + (ob.kind,)
    if ob.kind == "engage" and ob.target not in m.FUNCTIONS:
        ck.fail(kq, f"unknown function {ob.target!r} (expected one of {', '.join(m.FUNCTIONS)})")
    if ob.kind in ("notify", "update") and ob.target not in sc.stakeholders:
        ck.fail(kq, f"unknown stakeholder {ob.target!r}: add it under `stakeholders:` with its channels"
                    + (f" (known: {', '.join(sc.stakeholders)})" if sc.stakeholders else ""))
    if ob.kind == "update" and ob.every is None:
        ck.fail(q, "an update obligation needs `every:` (the cadence, e.g. every: sla.update or 30m)")
    if ob.every is not None and ob.kind != "update":
        ck.fail(q + ("every",), "`every` applies only to update obligations")
    elif _too_frequent(ob.every):
        ck.fail(q + ("every",), f"`every` must be at least 1m (got {ob.every})")
    if ob.kind == "update" and ob.within is not None:
        ck.fail(q + ("within",), "an update obligation is judged by `every`, not `within`")
    if ob.via and ob.kind not in ("notify", "update"):
        ck.fail(q + ("via",), "`via` applies only to notify and update obligations")
    if ob.via and ob.target in sc.stakeholders:
        takes = sc.stakeholders[ob.target].channels
        if not set(ob.via) & set(takes):
            ck.fail(q + ("via",), f"{ob.target} takes only {', '.join(takes)}: no channel in via ({', '.join(ob.via)}) can reach them")
    if ob.by is not None and ob.kind == "decide" and ob.by not in sc.stakeholders and ob.by not in m.FUNCTIONS:
        ck.fail(q + ("by",), f"unknown owner {ob.by!r} (expected a stakeholder of this scenario or a function)")
    if ob.before is not None:
        ref = ob.before
        # SPEC section 3's own example orders against `customers` without declaring them, so the
        # shared vocabulary is accepted here; an undeclared target simply never receives anything.
        if ref.kind in ("notify", "update") and ref.target not in sc.stakeholders and ref.target not in m.STAKEHOLDERS:
            ck.fail(q + ("before",), f"unknown stakeholder {ref.target!r} in before")
        if ref.kind == "engage" and ref.target not in m.FUNCTIONS:
            ck.fail(q + ("before",), f"unknown function {ref.target!r} in before")
        if ref.kind == "act" and ref.target not in tasks:
            ck.fail(q + ("before",), f"unknown task {ref.target!r} in before")
        if ref.kind == "decide" and ref.target not in decisions:
            ck.fail(q + ("before",), f"unknown decision {ref.target!r} in before")
        if ref.kind == ob.kind and ref.target == ob.target:
            ck.fail(q + ("before",), "an obligation cannot come before itself")
    if ob.id:
        ck.ident(q + ("id",), ob.id.replace("/", "-").replace(":", "-"), "an id")
    default_id = f"{inj.id}/{ob.kind}:{ob.target}" if ob.target else f"{inj.id}/{ob.kind}"
    for key in ("not_done", "done"):
        val = getattr(inj.when, key, None) if inj.when else None
        if val is not None and val not in tasks:
            ck.fail(q[:2] + ("when", key), f"unknown task {val!r}")
    return ob if ob.id else attrs.evolve(ob, id=default_id)


def _check_before_cycles(ck: _Checker, injects: list[m.Inject]) -> None:
    edges: dict[str, set[str]] = {}
    where: dict[str, Path] = {}
    for i, inj in enumerate(injects):
        for j, ob in enumerate(inj.expects):
            if ob.before:
                a = f"{ob.kind}:{ob.target}" if ob.target else ob.kind
                edges.setdefault(a, set()).add(str(ob.before))
                where.setdefault(a, ("injects", i, "expects", j, "before"))
    state: dict[str, int] = {}
    for start in list(edges):
        stack = [(start, iter(edges.get(start, ())))]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                ck.fail(where[node], f"`before` orders form a cycle through {nxt} (no order can satisfy them)")
                return
            if state.get(nxt) is None:
                state[nxt] = 1
                stack.append((nxt, iter(edges.get(nxt, ()))))


def check_runbook(doc: Document, rb: m.Runbook) -> m.Runbook:
    ck = _Checker(doc)
    ck.ident(("id",), rb.id, "an id")
    if rb.model not in m.MODELS:
        ck.fail(("model",), f"expected one of {', '.join(m.MODELS)}; got {_describe(rb.model)}")
    if rb.timezone is not None:
        try:
            _zone(rb.timezone)
        except ValueError as e:
            ck.fail(("timezone",), str(e))
    for sev, tier in rb.sla.items():
        if sev not in m.SEVERITIES:
            ck.fail(("sla", sev), f"unknown severity {_describe(sev)} (expected {', '.join(m.SEVERITIES)})", key=True)
        if _too_frequent(tier.update):
            ck.fail(("sla", sev, "update"), f"an update cadence must be at least 1m (got {tier.update})")
    for name in rb.hours:
        ck.ident(("hours", name), name, "an hours name", key=True)
    if not rb.roles:
        ck.fail(("roles",), "a runbook needs at least one role")
    for name, role in rb.roles.items():
        p: Path = ("roles", name)
        ck.ident(p, name, "a role key", key=True)
        for k, f in enumerate(role.fills):
            if f not in m.FUNCTIONS:
                ck.fail(p + ("fills", k), f"unknown function {f!r} (expected one of {', '.join(m.FUNCTIONS)})")
        if role.hours not in rb.hours and role.hours.lower() not in ("24x7", "24/7", "always"):
            ck.fail(p + ("hours",), f"unknown hours {role.hours!r}" + (f" (defined: {', '.join(rb.hours)}, or 24x7)" if rb.hours else " (define it under `hours:`, or write 24x7)"))
        if role.backup is not None:
            if role.backup not in rb.roles:
                ck.fail(p + ("backup",), f"unknown role {role.backup!r} (expected one of {', '.join(rb.roles)})")
            elif role.backup == name:
                ck.fail(p + ("backup",), "a role cannot back itself up")
    if any(r.backup for r in rb.roles.values()) and rb.no_answer_after is None:
        first = next(n for n, r in rb.roles.items() if r.backup)
        ck.fail(("roles", first, "backup"), "roles name backups but `no_answer_after` is not set (when is the backup paged?)")
    for name in rb.roles:  # a backup cycle pages forever in a real rota and means nothing here
        seen, cur = [name], rb.roles[name].backup
        while cur in rb.roles and cur not in seen:
            seen.append(cur)
            cur = rb.roles[cur].backup
        if cur == name and len(seen) > 1:
            ck.fail(("roles", name, "backup"), f"backups form a cycle: {' -> '.join(seen + [name])}")
            break
    for i, rule in enumerate(rb.escalation):
        p = ("escalation", i)
        if rule.to not in rb.roles:
            ck.fail(p + ("to",), f"unknown role {rule.to!r} (expected one of {', '.join(rb.roles)})")
        for k, sev in enumerate(rule.severity):
            if sev not in m.SEVERITIES:
                ck.fail(p + ("severity", k), f"unknown severity {sev!r}")
    for i, rule in enumerate(rb.communication):
        p = ("communication", i)
        if rule.by not in rb.roles and rule.by not in m.FUNCTIONS:
            ck.fail(p + ("by",), f"unknown role {rule.by!r} (expected a role of this runbook or a function)")
        if not rule.via:
            ck.fail(p + ("via",), "a communication rule needs a channel")
        if rule.within is not None and rule.every is not None:
            ck.fail(p + ("every",), "write `within` (one message) or `every` (a cadence), not both")
        if _too_frequent(rule.every):
            ck.fail(p + ("every",), f"`every` must be at least 1m (got {rule.every})")
        _check_trigger(ck, p + ("when",), rule.when)
    for name, steps in rb.playbooks.items():
        ck.ident(("playbooks", name), name, "a playbook name", key=True)
        for i, st in enumerate(steps):
            p = ("playbooks", name, i)
            if st.kind == "act" and st.by not in rb.roles and st.by not in m.FUNCTIONS:
                ck.fail(p + ("by",), f"unknown role {st.by!r} (a task is done by a role of this runbook or a function)")
            elif st.kind == "decide" and not IDENT.match(st.by):
                ck.fail(p + ("by",), f"expected a role or a stakeholder; got {_describe(st.by)}")
    ck.done()
    return rb


def _check_trigger(ck: _Checker, path: Path, when: str) -> None:
    kind, _, arg = when.partition(":")
    if kind in ("declared", "resolved") and not arg:
        return
    if kind == "engaged" and arg in m.FUNCTIONS:
        return
    if kind in ("done", "inject") and arg and IDENT.match(arg):
        return
    ck.fail(path, f"expected declared, resolved, engaged:FUNCTION, done:TASK or inject:ID; got {_describe(when)}")


def check_rubric(doc: Document) -> m.Rubric:
    data = doc.data
    ck = _Checker(doc)
    extra = set(data) - {"ttx", "weights", "ratings"}
    for key in sorted(extra):
        ck.fail((key,), f"unknown key {_describe(key)} (expected weights, ratings)", key=True)
    weights = dict(m.Rubric().weights)
    ratings = dict(m.Rubric().ratings)
    for section, target, allowed in (("weights", weights, m.CATEGORIES), ("ratings", ratings, ("P", "S", "M"))):
        block = data.get(section)
        if block is None:
            continue
        if not isinstance(block, dict):
            ck.fail((section,), f"expected a mapping of {', '.join(allowed)}")
            continue
        for key, value in block.items():
            if key not in allowed:
                ck.fail((section, key), f"unknown key {_describe(key)} (expected {', '.join(allowed)})", key=True)
                continue
            try:
                number = float(value) if isinstance(value, str) else float("nan")
            except ValueError:
                number = float("nan")
            if not math.isfinite(number) or number < 0 or number > 100:
                ck.fail((section, key), f"expected a number from 0 to 100; got {_describe(value)}")
            else:
                target[key] = number
    if sum(weights.values()) <= 0:
        ck.fail(("weights",), "at least one weight must be above 0")
    ck.done()
    return m.Rubric(weights=weights, ratings=ratings)
