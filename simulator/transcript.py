"""Transcripts (SPEC section 6): JSON Lines with a header and a SHA-256 hash chain.

The header carries each input file's path, hash and full text, so a transcript
kept as contracting evidence can be re-scored even if the files move, and
`ttx verify` can show that neither the events nor the inputs were edited.

Reading, writing (with its lock) and the hash chain stay together: each relies on the exact bytes
the others produce. Safe reads and atomic writes of any file are `simulator.files`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from typing import Any

import attrs

from . import __version__
from .events import Event

# the CLI and the TUI still import these from here (same functions; their home is `files`)
from .files import NotRegular as NotRegular
from .files import read_regular
from .files import write_atomic as write_atomic
from .record import record
from .textsafe import (  # a transcript's header is someone else's text too
    json_inert,
    plain,
)

FORMAT = "transcript/v1"
# Bounds on reading a transcript, so that every verb that reads one (score, export, verify, replay,
# resume) stays within a second or two and a few hundred MB however the file was made. As-stated
# play writes at most workload.MAX_WORK events; a real live exercise a few hundred. The header carries
# both input files (1 MiB each), as JSON escapes.
MAX_TRANSCRIPT_BYTES = 16 * 1024 * 1024
MAX_EVENTS = 100_000
MAX_HEADER_CHARS = 16 * 1024 * 1024
MAX_EVENT_CHARS = 64 * 1024
RESERVED = ("seq", "t", "type", "wall", "prev")


class TranscriptError(Exception):
    """A transcript that cannot be read: `FILE:LINE: message`."""

    def __init__(self, file: str, message: str, line: int | None = None):
        self.file, self.message, self.line = file, message, line
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class TranscriptWriteError(TranscriptError, OSError):
    """Recording failed (disk full, read-only, I/O error); the transcript still ends with the last whole event."""


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dumps(obj: Any) -> str:
    # bidi, zero-width and line-separator characters as \u escapes: the evidence reads the same in any
    # viewer, and no tool splits a line at U+2028
    return json_inert(json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False))


@record
class Source:
    """An input file as it was played."""

    kind: str
    id: str
    path: str
    text: str

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)

    def header(self) -> dict[str, Any]:
        return {"id": self.id, "sha256": self.sha256, "path": self.path, "text": self.text}


def make_header(mode: str, scenario: Source, runbook: Source, seed: int = 0, created: str | None = None) -> dict[str, Any]:
    head: dict[str, Any] = {
        "ttx": FORMAT,
        "mode": mode,
        "scenario": scenario.header(),
        "runbook": runbook.header(),
        "seed": seed,
        "tool_version": __version__,
    }
    if created is not None:
        head["created"] = created
    return head


def event_record(e: Event, prev: str, wall: str | None = None) -> dict[str, Any]:
    rec: dict[str, Any] = {"seq": e.seq, "t": e.t, "type": e.type}
    rec.update(e.data)
    if wall is not None:
        rec["wall"] = wall
    rec["prev"] = prev
    return rec


def render(header: dict[str, Any], events: Iterable[Event]) -> str:
    """The whole transcript text; byte-identical for identical inputs (auto mode)."""
    lines = [dumps(header)]
    for e in events:
        lines.append(dumps(event_record(e, sha256_text(lines[-1]))))
    return "\n".join(lines) + "\n"


@attrs.define
class Transcript:
    file: str
    header: dict[str, Any]
    events: list[Event]
    lines: list[str]  # raw lines as read, for verification
    truncated: bool = False  # the last line was cut short (power loss) and was dropped
    wall_stamped: bool = False  # every event carries a wall-clock stamp, as live recording writes them

    @property
    def mode(self) -> str:
        return str(self.header.get("mode", "auto"))


def _event_from(rec: dict[str, Any]) -> Event:
    data = {k: v for k, v in rec.items() if k not in RESERVED}
    return Event(t=rec["t"], type=rec["type"], data=data, seq=rec["seq"])


# Seconds from the scenario's start: far past any horizon (at most 366 days), well inside what dates can hold.
MAX_SECONDS = 10**9


_TEXT, _INT, _OPT_TEXT, _OPT_INT = (str,), (int,), (str, type(None)), (int, type(None))
# The fields the code relies on, by event type: (kinds allowed, required). Others need only be scalars.
_FIELDS: dict[str, dict[str, tuple[tuple[type, ...], bool]]] = {
    "inject": {"id": (_TEXT, True), "message": (_OPT_TEXT, False), "source": (_OPT_TEXT, False)},
    "inject_held": {"id": (_TEXT, True), "reason": (_OPT_TEXT, False)},
    "curveball": {"id": (_TEXT, True), "what": (_TEXT, True), "target": (_OPT_TEXT, False),
                  "role": (_OPT_TEXT, False), "until": (_OPT_INT, False)},
    "curveball_end": {"id": (_TEXT, True)},
    "page": {"role": (_TEXT, True), "answers_at": (_OPT_INT, False), "backs": (_OPT_TEXT, False)},
    "answer": {"role": (_TEXT, True), "stands_in_for": (_OPT_TEXT, False)},
    "acknowledge": {"by": (_OPT_TEXT, False)},
    "notify": {"stakeholder": (_TEXT, True), "via": (_OPT_TEXT, False), "by": (_OPT_TEXT, False), "delivered": ((bool,), False)},
    "update": {"stakeholder": (_TEXT, True), "via": (_OPT_TEXT, False), "by": (_OPT_TEXT, False), "delivered": ((bool,), False)},
    "act": {"task": (_TEXT, True), "by": (_OPT_TEXT, False), "started": (_OPT_INT, False)},
    "decide": {"decision": (_TEXT, True), "by": (_OPT_TEXT, False)},
    "note": {"text": (_OPT_TEXT, False)},
    "clock": {"action": (_OPT_TEXT, False), "speed": (_OPT_INT, False), "to": (_OPT_INT, False)},
    "retract": {"target": (_INT, True)},
    "end": {"reason": (_OPT_TEXT, False)},
}
_ANY_TYPE = {"stamped": (_OPT_INT, False)}


def _check_fields(file: str, rec: dict[str, Any], n: int) -> None:
    """Every event field ttx writes is text, a whole number, true/false or null; a transcript from
    someone else may hold anything, and the scorer and reports must never meet a list, a float or a
    number no date can hold."""
    if not 0 <= rec["t"] <= MAX_SECONDS:
        raise TranscriptError(file, f"event time t={rec['t']} is out of range (0 to {MAX_SECONDS:,} seconds)", n)
    if rec["seq"] < 1:
        raise TranscriptError(file, f"event seq {rec['seq']} is out of range (1 or more)", n)
    for key, value in rec.items():
        if key in RESERVED or value is None or isinstance(value, (str, bool)):
            continue
        if not isinstance(value, int):
            raise TranscriptError(file, f"event field {plain(key)!r} must be text, a whole number, true/false or null", n)
        if not -MAX_SECONDS <= value <= MAX_SECONDS:
            raise TranscriptError(file, f"event field {plain(key)!r} = {value} is out of range", n)
    for key, (kinds, required) in (_FIELDS.get(rec["type"], {}) | _ANY_TYPE).items():
        if key not in rec:
            if required:
                raise TranscriptError(file, f"{plain(rec['type'])} event has no {key!r}", n)
            continue
        value = rec[key]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            want = " or ".join({str: "text", int: "a whole number", bool: "true/false", type(None): "null"}[k] for k in kinds)
            raise TranscriptError(file, f"{plain(rec['type'])} event field {key!r} must be {want}", n)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def loads(line: str) -> Any:
    """One JSON line; text with a lone surrogate (possible only as a \\u escape) is not Unicode and is
    refused here, so no reader, hash or export meets a string that cannot be encoded."""
    try:
        value = json.loads(line)
    except RecursionError:  # `[[[[...` a hundred thousand deep: no ttx field is nested at all
        raise ValueError("nested too deeply") from None
    if _SURROGATE_ESCAPE.search(line):
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("text with an unpaired UTF-16 surrogate: not valid Unicode") from None
    return value


def parse(file: str, text: str) -> Transcript:
    """Read a transcript; a torn last line (no newline, not JSON) is dropped and flagged."""
    lines = text.split("\n")
    truncated = False
    if lines and lines[-1] == "":
        lines.pop()
    elif lines:  # no final newline: the last write may have been cut off
        try:
            json.loads(lines[-1])
        except ValueError:
            lines.pop()
            truncated = True
    if not lines:
        raise TranscriptError(file, "empty transcript (expected a header line)")
    if len(lines) - 1 > MAX_EVENTS:
        raise TranscriptError(file, f"{len(lines) - 1:,} events; the limit is {MAX_EVENTS:,}", MAX_EVENTS + 2)
    if len(lines[0]) > MAX_HEADER_CHARS:
        raise TranscriptError(file, f"header line is {len(lines[0]):,} characters; the limit is {MAX_HEADER_CHARS:,}", 1)
    try:
        header = loads(lines[0])
    except ValueError as e:
        raise TranscriptError(file, f"header is not JSON ({getattr(e, 'msg', e)})", 1) from None
    if not isinstance(header, dict) or header.get("ttx") != FORMAT:
        raise TranscriptError(file, f"not a ttx transcript (expected a header with \"ttx\": \"{FORMAT}\")", 1)
    for key in ("scenario", "runbook"):
        part = header.get(key)
        if not isinstance(part, dict) or not isinstance(part.get("text"), str):
            raise TranscriptError(file, f"header has no {key} (expected {key}.text with the file as played)", 1)
    events = []
    walls = 0
    for n, line in enumerate(lines[1:], start=2):
        if len(line) > MAX_EVENT_CHARS:
            raise TranscriptError(file, f"event line is {len(line):,} characters; the limit is {MAX_EVENT_CHARS:,}", n)
        try:
            rec = loads(line)
        except ValueError as e:
            raise TranscriptError(file, f"not JSON ({getattr(e, 'msg', e)})", n) from None
        if not isinstance(rec, dict):
            raise TranscriptError(file, "expected an event object", n)
        for key, kind in (("seq", int), ("t", int), ("type", str), ("prev", str)):
            if not isinstance(rec.get(key), kind) or isinstance(rec.get(key), bool):
                raise TranscriptError(file, f"event has no valid {key!r}", n)
        _check_fields(file, rec, n)
        walls += isinstance(rec.get("wall"), str)
        events.append(_event_from(rec))
    return Transcript(file, header, events, lines, truncated, walls == len(events))


def read(path: str) -> Transcript:
    try:
        raw = read_regular(path, MAX_TRANSCRIPT_BYTES)
    except FileNotFoundError:
        raise TranscriptError(path, "no such file") from None
    except IsADirectoryError:
        raise TranscriptError(path, "is a directory, expected a .ttx.jsonl transcript") from None
    except NotRegular as e:
        raise TranscriptError(path, str(e)) from None
    except OSError as e:
        raise TranscriptError(path, f"cannot read: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        cut = raw.rfind(b"\n") + 1
        if e.start < cut or raw.endswith(b"\n"):
            raise TranscriptError(path, "not UTF-8 text") from None
        # power cut in the middle of a character of the unfinished last line: parse() drops that line
        text = raw[:cut].decode("utf-8") + raw[cut:].decode("utf-8", "replace")
    return parse(path, text)


def chain_problem(tr: Transcript) -> str | None:
    """The first line where the chain or the numbering fails, named as precisely as the evidence allows.

    Line B carries the hash of the line written before it. When that fails after line A: a B that
    repeats A is an inserted copy; a B whose hash names another line of the file was moved (or, when
    that line is just before A, A was inserted); a hash naming no line means A was changed after it was
    written (seq runs on) or events were deleted (seq jumps)."""
    prev_seq = 0
    for n in range(1, len(tr.lines)):
        e = tr.events[n - 1]
        a, b = n, n + 1  # 1-based line numbers
        prev = loads(tr.lines[n]).get("prev")
        if prev != sha256_text(tr.lines[n - 1]):
            if tr.lines[n] == tr.lines[n - 1]:
                return f"{tr.file}:{b}: this line repeats line {a} (an inserted copy)"
            c = next((i + 1 for i, line in enumerate(tr.lines) if sha256_text(line) == prev), None)
            if c is not None and c == a - 1:
                return f"{tr.file}:{a}: this line was inserted (line {b} was written right after line {c})"
            if c is not None:
                return f"{tr.file}:{b}: this line was moved (it was written right after line {c})"
            if e.seq == prev_seq + 1 and a == 1:
                return f"{tr.file}:1: the header was changed after the exercise (line 2 no longer matches its hash)"
            if e.seq == prev_seq + 1:
                return f"{tr.file}:{a}: this event was changed after it was recorded (line {b} no longer matches its hash)"
            if e.seq > prev_seq + 1:
                gone = f"event {prev_seq + 1} is" if e.seq == prev_seq + 2 else f"events {prev_seq + 1}..{e.seq - 1} are"
                return f"{tr.file}:{b}: {gone} missing before this line (deleted)"
            return f"{tr.file}:{b}: event {e.seq} follows event {prev_seq}: lines were moved or inserted here"
        if e.seq != prev_seq + 1:
            return f"{tr.file}:{b}: event {e.seq} follows event {prev_seq} (events missing, moved or inserted)"
        prev_seq = e.seq
    return None


class TranscriptLock:
    """An exclusive lock on a live transcript, so two processes never write the same exercise."""

    def __init__(self, path: str):
        import fcntl  # POSIX only, and only live exercises lock: the other verbs import no POSIX-only module

        self.path = path
        self.fd = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            raise TranscriptError(path, "is open in another ttx play (it is locked); close that one first") from None

    def release(self) -> None:
        import fcntl

        if self.fd >= 0:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            finally:
                os.close(self.fd)
                self.fd = -1


class Writer:
    """Append-only, flushed and fsynced event log for live exercises."""

    def __init__(self, path: str, header: dict[str, Any] | None = None, resume: Transcript | None = None):
        self.path = path
        if resume is not None:
            self.last_line = resume.lines[-1]
            self.seq = resume.events[-1].seq if resume.events else 0
            with open(path, "r+b") as fh:
                keep = len(("\n".join(resume.lines) + "\n").encode("utf-8"))
                size = fh.seek(0, os.SEEK_END)
                if size > keep:  # drop the torn tail so the chain continues from the last whole event
                    fh.truncate(keep)
                elif size == keep - 1:  # the last event is whole but lost its newline: end the line first
                    fh.write(b"\n")
                fh.flush()
                os.fsync(fh.fileno())
            self.fh = open(path, "a", encoding="utf-8", newline="\n")
        else:
            assert header is not None
            self.fh = open(path, "x", encoding="utf-8", newline="\n")
            self.last_line = dumps(header)
            self.seq = 0
            try:
                self._write([self.last_line])
            except TranscriptWriteError:  # not even the header fits: leave no half-made file behind
                self.fh.close()
                os.unlink(path)
                raise

    def _write(self, lines: list[str]) -> None:
        """Write whole lines or nothing: on failure the file is cut back to where it ended before."""
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        self.fh.flush()  # nothing may sit in the text buffer; bytes go straight to the descriptor
        fd = self.fh.fileno()
        start = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except OSError as e:
            try:  # a torn line must not stay: later events would be chained onto it
                os.ftruncate(fd, start)
                os.lseek(fd, start, os.SEEK_SET)
                os.fsync(fd)
            except OSError:
                pass
            why = e.strerror or str(e)
            raise TranscriptWriteError(
                self.path, f"could not record ({why}): the last entry was NOT saved; everything recorded "
                "before it is safe on disk. Free space or fix the folder and try again, "
                f"or quit and continue later with `ttx play --resume {self.path}`") from e

    def append(self, events: list[Event], wall: str | None = None) -> list[Event]:
        """Number, chain and durably write events; returns them with their seq."""
        out, lines = [], []
        last, seq = self.last_line, self.seq
        for e in events:
            seq += 1
            e = attrs.evolve(e, seq=seq)
            line = dumps(event_record(e, sha256_text(last), wall))
            lines.append(line)
            out.append(e)
            last = line
        self._write(lines)  # state moves on only once the bytes are on disk
        self.last_line, self.seq = last, seq
        return out

    def close(self) -> None:
        self.fh.close()
