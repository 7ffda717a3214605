"""Untrusted YAML to plain data with positions, safely.

We build values from the parser's event stream ourselves instead of using a
loader: no tags are ever resolved to objects, nesting and alias expansion are
bounded without recursion (PyYAML's C composer overflows the C stack on deep
nesting), duplicate keys are errors, and the line and column of every value and
key can be asked for, so that later checks can say `FILE:LINE:COL: message`
(found by reading the text again when first asked: a valid file never needs them).

Scalars stay strings, except `null`/`~`/empty (None) and `true`/`false`: the
YAML 1.1 traps (`08:00` as 480, `no` as False, unquoted timestamps) never happen,
and typed fields parse their own text.
"""

from __future__ import annotations

import os
import re
from typing import Any, NamedTuple

import yaml
from yaml import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .textsafe import plain

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 48
MAX_NODES = 200_000  # counted with aliases expanded: a billion-laughs file stops here

try:  # the C parser is iterative and fast; events are the same either way
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python PyYAML build
    _Loader = yaml.SafeLoader

Path = tuple[Any, ...]


class Mark(NamedTuple):  # a tuple, not an attrs class: made only for messages, and cheaper to define
    line: int  # 1-based
    column: int  # 1-based


class LoadError(Exception):
    """One user-facing problem in one file: `FILE:LINE:COL: message`."""

    def __init__(self, file: str, message: str, mark: Mark | None = None):
        self.file = file
        # the message quotes untrusted text: control and bidi characters are made visible and inert,
        # and a huge value quoted in it is cut so that one bad line cannot flood the terminal
        message = re.sub(r"\S{81,}", lambda m: m.group()[:77] + "...", plain(message))
        self.message = message if len(message) <= 1000 else message[:997] + "..."
        self.mark = mark
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.mark.line}:{self.mark.column}" if self.mark else self.file
        return f"{plain(where)}: {self.message}"


class Document:
    """Plain data, and where each value and key came from.

    Positions are found only when asked for (a file with a problem): the first question parses the
    text again, recording a mark for every value and key. A valid file, the common case, never pays
    for marks it would not use."""

    def __init__(self, file: str, data: Any, text: str, loader: Any):
        self.file = file
        self.data = data
        self._text = text
        self._loader = loader
        self._marks: tuple[dict[Path, Mark], dict[Path, Mark]] | None = None

    def mark(self, path: Path, key: bool = False) -> Mark | None:
        """Mark of the value (or key) at path, else of its nearest ancestor."""
        if self._marks is None:
            self._marks = _parse(self.file, self._text, self._loader, track=True)[1]
        value_marks, key_marks = self._marks
        table = key_marks if key else value_marks
        p = tuple(path)
        if p in table:
            return table[p]
        while p:
            p = p[:-1]
            if p in value_marks:
                return value_marks[p]
        return None

    def error(self, path: Path, message: str, key: bool = False) -> LoadError:
        return LoadError(self.file, message, self.mark(path, key))


def dotted(path: Path) -> str:
    """`injects[0].expects[1].within`: where a value is, as a user reads it."""
    out = ""
    for step in path:
        if not isinstance(step, int) and len(str(step)) > 40:  # a hostile key must not flood the message
            step = str(step)[:37] + "..."
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _at(path: Path) -> str:
    return f"{dotted(path)}: " if path else ""


def _mark(m: Any) -> Mark:
    return Mark(m.line + 1, m.column + 1)


def _offset_mark(text: bytes, offset: int) -> Mark:
    before = text[:offset]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    if start == 0 and before.startswith(b"\xef\xbb\xbf"):  # editors do not count a BOM as a column
        start = 3
    # columns count characters, as editors do, not bytes
    return Mark(line, len(text[start:offset].decode("utf-8", "replace")) + 1)


# YAML reads these as line breaks, editors mostly do not: a title could end mid-line, or a "comment"
# carry a key that is read (`# note<U+2028>sla: ...`). Invisible, and read two ways: refused.
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


def decode(file: str, raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise LoadError(file, f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} (1 MiB)")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise LoadError(file, "file is UTF-16 text; save it as UTF-8", Mark(1, 1))
    if b"\x00" in raw:
        raise LoadError(file, "file is binary (contains NUL bytes); expected YAML text", _offset_mark(raw, raw.index(b"\x00")))
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:  # as raw.decode("utf-8-sig") does, without that codec's import
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as e:  # e.start counts from the BOM's end: the mark and byte count from the file's start
        at = bom + e.start
        raise LoadError(file, f"file is not valid UTF-8 (byte 0x{raw[at]:02x})", _offset_mark(raw, at)) from None
    if not text.strip():
        raise LoadError(file, "file is empty; expected a YAML mapping starting with `ttx:`")
    odd = _LINE_BREAKS.search(text)
    if odd:
        code = ord(odd.group())
        name = {0x85: "next line, NEL", 0x2028: "line separator", 0x2029: "paragraph separator"}[code]
        raise LoadError(file, f"character U+{code:04X} ({name}) is not allowed: YAML reads it as a line break "
                              f"where most editors show none; in a double-quoted string write it as \\u{code:04x}",
                        _text_mark(text, odd.start()))
    return text


# The plain scalars that are not text: nulls (and empty) and booleans
_PLAIN: dict[str, Any] = {"": None, "~": None, "null": None, "Null": None, "NULL": None,
                          "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_ALLOWED_TAGS = {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_NO_KEY = object()


class _Frame:
    """A mapping or list being read. Marks are the parser's own (0-based), made `Mark`s only when needed."""

    __slots__ = ("is_map", "value", "path", "key", "key_mark", "anchor", "start", "size", "merged")

    def __init__(self, is_map: bool, path: Path, anchor: str | None, start: Any):
        self.is_map = is_map
        self.value: Any = {} if is_map else []
        self.path = path
        self.key: Any = _NO_KEY
        self.key_mark = start
        self.anchor = anchor
        self.start = start
        self.size = 1
        self.merged: set[Any] | None = None  # keys that came from a `<<` merge: an explicit key may replace them


def parse(file: str, text: str, loader: Any = None) -> Document:
    """Parse one YAML document into plain data (marks on demand); LoadError on anything unsafe."""
    loader = loader or _Loader
    try:
        data, _ = _parse(file, text, loader)
    except _TooDeepForLibyaml:
        # libyaml scans ahead and stops at its own depth limit (1000), long after ours: the pure-Python
        # parser reads event by event, so our bound of MAX_DEPTH names where the nesting goes too deep
        loader = yaml.SafeLoader
        data, _ = _parse(file, text, loader)
    return Document(file, data, text, loader)


class _TooDeepForLibyaml(Exception):
    pass


_Marks = tuple[dict[Path, Mark], dict[Path, Mark]]


def _parse(file: str, text: str, loader: Any, track: bool = False) -> tuple[Any, _Marks]:
    """The document's data; with `track`, also the mark of every value and key by path (the same
    reading either way: errors, limits and values do not depend on it)."""
    value_marks: dict[Path, Mark] = {}
    key_marks: dict[Path, Mark] = {}
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Frame] = []
    root: list[Any] = []
    nodes = 0
    documents = 0

    def add(value: Any, raw: Any, size: int, anchor: str | None) -> None:
        """Attach a finished value to its parent (mapping key/value, list item or root)."""
        if anchor:
            anchors[anchor] = (value, size)
        if not stack:
            root.append(value)
            return
        top = stack[-1]
        top.size += size
        if not top.is_map:
            top.value.append(value)
            return
        if top.key is _NO_KEY:  # this value is a key
            if isinstance(value, (dict, list)):
                raise LoadError(file, "a mapping key must be a plain value, not a list or mapping", _mark(raw))
            top.key = value if isinstance(value, str) else ("" if value is None else str(value).lower())
            top.key_mark = raw
            return
        key = top.key
        top.key = _NO_KEY
        if key == "<<" and isinstance(value, (dict, list)):  # YAML merge key: explicit keys win
            merges = value if isinstance(value, list) else [value]
            for m in merges:
                if not isinstance(m, dict):
                    raise LoadError(file, "`<<` merges a mapping or a list of mappings", _mark(raw))
                for k, v in m.items():
                    if k not in top.value:
                        top.value[k] = v
                        if top.merged is None:
                            top.merged = set()
                        top.merged.add(k)
                        if track:  # merged keys have no marks of their own here: point at what was merged
                            value_marks.setdefault(top.path + (k,), _mark(raw))
                            key_marks.setdefault(top.path + (k,), _mark(raw))
            return
        if top.merged and key in top.merged:  # an explicit key wins over a merged one, wherever it is written
            top.merged.discard(key)
            del top.value[key]
        if key in top.value:
            shown = repr(key if len(key) <= 40 else key[:37] + "...")
            raise LoadError(file, f"{_at(top.path)}duplicate key {shown} (each key may appear once in a mapping)",
                            _mark(top.key_mark))
        top.value[key] = value
        if track:
            path = top.path + (key,)
            value_marks[path] = _mark(raw)
            key_marks[path] = _mark(top.key_mark)

    def child_path() -> Path:
        if not stack:
            return ()
        top = stack[-1]
        if not top.is_map:
            return top.path + (len(top.value),)
        return top.path + (top.key,) if top.key is not _NO_KEY else top.path + ("<key>",)

    def bad_tag(ev: Any) -> LoadError:
        where = _at(tuple(p for p in child_path() if p != "<key>"))
        return LoadError(file, f"{where}tag {ev.tag} is not allowed (ttx files are plain data)", _mark(ev.start_mark))

    def too_many(ev: Any) -> LoadError:
        return LoadError(file, f"file has more than {MAX_NODES:,} values", _mark(ev.start_mark))

    try:
        get = loader(text).get_event
        while True:
            ev = get()
            cls = type(ev)
            if cls is ScalarEvent:  # most events: kept short
                if ev.tag not in _ALLOWED_TAGS:
                    raise bad_tag(ev)
                nodes += 1
                if nodes > MAX_NODES:
                    raise too_many(ev)
                value = ev.value
                if value in _PLAIN and not ev.style and ev.implicit[0]:  # unquoted (C parser: style "")
                    value = _PLAIN[value]
                if track:
                    path = child_path()
                    is_key = stack and stack[-1].is_map and stack[-1].key is _NO_KEY
                    add(value, ev.start_mark, 1, ev.anchor)
                    if not is_key:
                        value_marks.setdefault(path, _mark(ev.start_mark))
                else:
                    add(value, ev.start_mark, 1, ev.anchor)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if ev.tag not in _ALLOWED_TAGS:
                    raise bad_tag(ev)
                nodes += 1
                if nodes > MAX_NODES:
                    raise too_many(ev)
                if len(stack) >= MAX_DEPTH:
                    raise LoadError(file, f"nesting deeper than {MAX_DEPTH} levels", _mark(ev.start_mark))
                if stack and stack[-1].is_map and stack[-1].key is _NO_KEY:
                    raise LoadError(file, "a mapping key must be a plain value, not a list or mapping", _mark(ev.start_mark))
                path = child_path()
                if track:
                    value_marks[path] = _mark(ev.start_mark)
                stack.append(_Frame(cls is MappingStartEvent, path, ev.anchor, ev.start_mark))
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                nodes += 1
                if nodes > MAX_NODES:
                    raise too_many(ev)
                frame = stack.pop()
                add(frame.value, frame.start, frame.size, frame.anchor)
            elif cls is AliasEvent:
                if ev.anchor not in anchors:
                    raise LoadError(file, f"alias *{ev.anchor} refers to an anchor that is not complete (recursive or undefined)",
                                    _mark(ev.start_mark))
                value, size = anchors[ev.anchor]
                nodes += size
                if nodes > MAX_NODES:
                    raise LoadError(file, f"aliases expand past {MAX_NODES:,} values (an alias bomb?)", _mark(ev.start_mark))
                path = child_path() if track else ()
                add(value, ev.start_mark, size, None)
                if track:
                    value_marks.setdefault(path, _mark(ev.start_mark))
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise LoadError(file, "a file holds one YAML document; found a second `---`", _mark(ev.start_mark))
            elif cls is StreamEndEvent:
                break
    except LoadError:
        raise
    except yaml.MarkedYAMLError as e:
        m = e.problem_mark or e.context_mark
        problem = (e.problem or "invalid YAML").strip()
        if "maximum nesting depth" in problem and loader is not yaml.SafeLoader:
            raise _TooDeepForLibyaml() from None
        if m is not None and (_char_at(text, m.line, m.column) == "\t" or "tab character" in problem):
            problem = "a tab cannot indent YAML: use spaces"
        elif "end of stream" in problem and e.context_mark is not None and e.context:
            m = e.context_mark  # point where the unclosed quote or bracket opens, not at the end of the file
            what = re.sub(r"^while (scanning|parsing) ", "", e.context.strip())
            problem = f"{what} starts here and is never closed (the file ends first)"
        elif "mapping values are not allowed" in problem:
            problem += " (check the indentation, or quote a value that contains ': ')"
        elif "could not find expected ':'" in problem:
            problem += " (a missing `:`, or a key longer than 1024 characters?)"
        elif "did not find expected key" in problem or "expected '-' indicator" in problem:
            problem += " (check the indentation)"
        elif e.context:
            problem = f"{problem} ({e.context.strip()})"
        raise LoadError(file, f"YAML syntax: {problem}", _mark(m) if m else None) from None
    except yaml.reader.ReaderError as e:  # a character YAML forbids; the error has an offset, not a mark
        what = f"U+{e.character:04X}" if isinstance(e.character, int) else repr(e.character)
        raise LoadError(file, f"character {what} is not allowed in YAML (a control character or non-character)",
                        _text_mark(text, e.position)) from None
    except yaml.YAMLError as e:
        raise LoadError(file, f"YAML syntax: {_one_line(str(e))}") from None
    except (RecursionError, MemoryError):
        raise LoadError(file, "file is too deeply nested or too large to read") from None
    if not root or root[0] is None:  # no document at all, or only `---` or `~`
        raise LoadError(file, "file is empty; expected a YAML mapping starting with `ttx:`")
    return root[0], (value_marks, key_marks)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def _text_mark(text: str, offset: int) -> Mark:
    before = text[:offset]
    return Mark(before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_bytes(path: str, name: str) -> bytes:
    """A file's bytes, refused before reading when over the size limit."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_BYTES:  # refuse before reading: a 10 GB file costs nothing
                raise LoadError(name, f"file is {size:,} bytes; the limit is {MAX_BYTES:,} (1 MiB)")
            # the size it has, plus one byte to see it grow; no size (a pipe or device) or grown: on to the limit
            # (a read of MAX_BYTES + 1 at once would allocate, and return, a megabyte for every small file)
            raw = fh.read(size + 1) if size else b""
            if len(raw) > size or not size:
                raw += fh.read(MAX_BYTES + 1 - len(raw))
            if len(raw) > MAX_BYTES:  # a device or pipe with no size: we stopped reading at the limit
                raise LoadError(name, f"file is more than {MAX_BYTES:,} bytes; the limit is 1 MiB")
    except FileNotFoundError:
        raise LoadError(name, "no such file") from None
    except IsADirectoryError:
        raise LoadError(name, "is a directory, expected a YAML file") from None
    except OSError as e:
        raise LoadError(name, f"cannot read: {e.strerror or e}") from None
    return raw


def read(path: str, display: str | None = None) -> Document:
    """Read, size-check, decode and parse a file."""
    name = display or path
    return parse(name, decode(name, read_bytes(path, name)))
