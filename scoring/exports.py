"""Scored transcript exports: JSON (scorecard + transcript) and CSV (one row per obligation)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from simulator.textsafe import json_inert, plain
from simulator.transcript import Transcript

from .scorecard import Scorecard, to_dict


def export_json(card: Scorecard, tr: Transcript | None) -> str:
    data: dict[str, Any] = {"ttx": "scorecard/v1", "scorecard": to_dict(card)}
    if tr is not None:
        data["transcript"] = {
            "header": {k: v for k, v in tr.header.items() if k not in ("scenario", "runbook")}
            | {k: {kk: vv for kk, vv in tr.header[k].items() if kk != "text"} for k in ("scenario", "runbook")},
            "events": [{"seq": e.seq, "t": e.t, "type": e.type, **e.data} for e in tr.events],
        }
    return json_inert(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _cell(value: Any) -> str:
    """CSV cells from untrusted text: inert in a terminal, and spreadsheet formulas defused."""
    text = "" if value is None else plain(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def export_csv(card: Scorecard) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "inject", "category", "kind", "target", "weight", "due_s", "done_s", "status", "lateness_s",
                "credit", "windows", "evidence", "reason"])
    for r in card.results:
        w.writerow([_cell(x) for x in (r.id, r.inject, r.category, r.kind, r.target or "", f"{r.weight:g}",
                                      "" if r.due is None else r.due, "" if r.done_at is None else r.done_at,
                                      r.status, r.lateness, f"{r.credit:.4f}", len(r.windows),
                                      " ".join(str(s) for s in r.evidence), r.reason)])
    return buf.getvalue()


def export(card: Scorecard, fmt: str, tr: Transcript | None = None) -> str:
    if fmt == "json":
        return export_json(card, tr)
    if fmt == "csv":
        return export_csv(card)
    if fmt in ("md", "html"):
        from . import report

        return report.render(card, tr, fmt)
    raise ValueError(f"unknown export format {fmt!r}")
