"""The scenario library: scenarios in a folder, runbooks in its `runbooks/`; by default the one shipped
inside the package (the repository's `scenarios/`)."""

from __future__ import annotations

import os
from pathlib import Path

from .filenames import shown
from .loading import load
from .record import record
from .textsafe import plain
from .yamlsrc import LoadError


def shipped(name: str) -> Path:
    """A folder that travels with ttx: `scenarios` (the library) or `docs` (format guide, JSON Schemas).

    An installed wheel has it as package data inside `simulator/` (pyproject.toml maps the repository's
    folder there). A checkout or an editable install reads the repository's own folder: setuptools'
    editable finder cannot import a mapped folder that has no `__init__.py`."""
    from importlib import resources  # here: a scenario given as a path (most starts) never needs it

    inside = resources.files(__package__) / name
    if inside.is_dir():
        return Path(str(inside))
    return Path(__file__).resolve().parent.parent / name


def library_dir(override: str | None = None) -> Path:
    """`--library`, else $TTX_LIBRARY, else the library shipped with ttx."""
    chosen = override or os.environ.get("TTX_LIBRARY")
    return Path(chosen) if chosen else shipped("scenarios")


def empty_reason(directory: str | None, kind: str = "scenario") -> str:
    """Why a library shows no KIND and how to point ttx at another: for `ttx list` and the picker."""
    where = _folder(kind, directory)
    why = "no such folder" if not where.is_dir() else "no *.yaml files there"
    source = ("--library" if directory else "TTX_LIBRARY" if os.environ.get("TTX_LIBRARY") else "the shipped library")
    return (f"no {kind}s in {where} ({why}; from {source}). Point ttx at a library folder (scenarios in it, "
            f"runbooks in its runbooks/) with --library DIR or TTX_LIBRARY=DIR, or give files by path.")


def _folder(kind: str, directory: str | None) -> Path:
    root = library_dir(directory)
    return root if kind == "scenario" else root / "runbooks"


def ids(kind: str, directory: str | None = None) -> list[str]:
    """The library's KIND ids, cheaply (shipped files are named after their id): for tab completion."""
    folder = _folder(kind, directory)
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def resolve(arg: str, kind: str, directory: str | None = None) -> str:
    """A SCENARIO or RUNBOOK argument: a file path as given, else the library entry with that id."""
    if os.path.exists(arg) or os.sep in arg or (os.altsep and os.altsep in arg) or arg.endswith((".yaml", ".yml")):
        return arg  # a path: the loader says plainly if it does not exist
    folder = _folder(kind, directory)
    if (folder / f"{arg}.yaml").is_file():  # shipped files are named after their id
        return str(folder / f"{arg}.yaml")
    for e in entries(directory):
        if e.kind == kind and e.id == arg and not e.error:
            return e.path
    raise LoadError(arg, f"no such file, and no {kind} with id {arg!r} in the library {folder} "
                         "(`ttx list` shows the ids; --library DIR or TTX_LIBRARY=DIR chooses another library)")


@record
class Entry:
    kind: str
    path: str
    id: str
    title: str
    detail: str
    summary: str
    error: str = ""


def entries(directory: str | None = None) -> list[Entry]:
    found: list[Entry] = []
    for kind, folder in ((k, _folder(k, directory)) for k in ("scenario", "runbook")):
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            try:
                v = load(str(path), kind).value
            except LoadError as e:
                found.append(Entry(kind, str(path), path.stem, path.stem, "", "", str(e)))
                continue
            if kind == "scenario":
                detail = f"{v.severity}, starts {v.starts.strftime('%a %Y-%m-%d %H:%M')} {v.timezone}"
                found.append(Entry(kind, str(path), v.id, v.title, detail, v.tests or v.summary))
            else:
                tiers = ", ".join(f"{sev} ack {t.acknowledge}" for sev, t in v.sla.items() if t.acknowledge) or "no SLA"
                found.append(Entry(kind, str(path), v.id, v.provider, f"{v.model}; {tiers}", v.summary))
    return found


def render_list(directory: str | None = None) -> str:
    items = entries(directory)
    lines: list[str] = [f"Library: {library_dir(directory)}",
                        f"Format guide (formats.md) and JSON Schemas: {shipped('docs')}", ""]
    for kind, heading in (("scenario", "Scenarios"), ("runbook", "Runbooks")):
        group = [e for e in items if e.kind == kind]
        lines.append(f"{heading} ({len(group)})")
        if not group:
            lines.append(f"  {empty_reason(directory, kind)}")
        for e in group:
            rel = shown(e.path)
            if e.error:
                lines.append(f"  {plain(rel)}: INVALID: {plain(e.error)}")
                continue
            lines.append(f"  {plain(e.id):<34} {plain(e.title)}")
            lines.append(f"  {'':<34} {plain(e.detail)}  [{plain(rel)}]")
            if e.summary:
                lines.append(f"  {'':<34} {plain(e.summary)}")
        lines.append("")
    return "\n".join(lines)
