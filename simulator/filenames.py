"""File names: a live transcript's default, the exports written beside a transcript, and a path as it is shown."""

from __future__ import annotations

import os
import re
from datetime import datetime


def default_output(sc_id: str, rb_id: str, now: datetime | None = None) -> str:
    now = now or datetime.now()
    safe = lambda s: re.sub(r"[^A-Za-z0-9._-]+", "-", s)[:60] or "x"  # noqa: E731
    return f"{safe(sc_id)}-{safe(rb_id)}-{now.strftime('%Y%m%d-%H%M%S')}.ttx.jsonl"


SUFFIX = {"json": ".scorecard.json", "csv": ".obligations.csv", "md": ".report.md", "html": ".report.html"}


def export_path(transcript_path: str, fmt: str) -> str:
    base = transcript_path
    for ext in (".ttx.jsonl", ".jsonl"):
        if base.endswith(ext):
            base = base[: -len(ext)]
            break
    return base + SUFFIX[fmt]


def shown(path: str) -> str:
    """A path as the user can type it: relative below the current folder, else absolute (never ../../../tmp/x)."""
    rel = os.path.relpath(path)
    return os.path.abspath(path) if rel.startswith("..") else rel
