"""The shipped scenario library (`scenarios/`, runbooks in `scenarios/runbooks/`)."""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from .loading import load
from .textsafe import plain
from .yamlsrc import LoadError


def library_dir(override: str | None = None) -> Path:
    """`--library`, else $TTX_LIBRARY, else the repository's own `scenarios/`."""
    chosen = override or os.environ.get("TTX_LIBRARY")
    return Path(chosen) if chosen else Path(__file__).resolve().parent.parent / "scenarios"


@attrs.frozen
class Entry:
    kind: str
    path: str
    id: str
    title: str
    detail: str
    summary: str
    error: str = ""


def entries(directory: str | None = None) -> list[Entry]:
    root = library_dir(directory)
    found: list[Entry] = []
    for kind, folder in (("scenario", root), ("runbook", root / "runbooks")):
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
    if not items:
        return f"no scenarios found in {library_dir(directory)}\n"
    lines: list[str] = []
    for kind, heading in (("scenario", "Scenarios"), ("runbook", "Runbooks")):
        group = [e for e in items if e.kind == kind]
        lines.append(f"{heading} ({len(group)})")
        for e in group:
            rel = os.path.relpath(e.path)
            if e.error:
                lines.append(f"  {plain(rel)}: INVALID: {plain(e.error)}")
                continue
            lines.append(f"  {plain(e.id):<34} {plain(e.title)}")
            lines.append(f"  {'':<34} {plain(e.detail)}  [{plain(rel)}]")
            if e.summary:
                lines.append(f"  {'':<34} {plain(e.summary)}")
        lines.append("")
    return "\n".join(lines)
