"""cattrs' exception tree to `FILE:LINE:COL: message` errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from ..yamlsrc import Document, LoadError, Path, dotted
from .convert import _Nested, option_keys
from .values import Problem, _describe, _did_you_mean


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
                names = option_keys(err.cl) if attrs.has(err.cl) else []
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


def _first(problems: list[LoadError]) -> LoadError:
    problems.sort(key=lambda e: (e.mark.line, e.mark.column) if e.mark else (0, 0))
    first = problems[0]
    first.others = problems[1:]  # type: ignore[attr-defined]
    return first
