"""Scored transcript exports: JSON (scorecard + transcript) and CSV (one row per obligation)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from simulator.textsafe import csv_cell, json_inert

from .played import Played
from .scorecard import Scorecard, to_dict


def export_json(played: Played) -> str:
    data: dict[str, Any] = {"ttx": "scorecard/v1", "scorecard": to_dict(played.card)}
    header, events = played.header, played.events
    if header is not None and events is not None:
        data["transcript"] = {
            "header": {k: v for k, v in header.items() if k not in ("scenario", "runbook")}
            | {k: {kk: vv for kk, vv in header[k].items() if kk != "text"} for k in ("scenario", "runbook")},
            "events": [{"seq": e.seq, "t": e.t, "type": e.type, **e.data} for e in events],
        }
    return json_inert(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def export_csv(card: Scorecard) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "inject", "category", "kind", "target", "weight", "due_s", "done_s", "status", "lateness_s",
                "credit", "windows", "evidence", "reason"])
    for r in card.results:
        w.writerow([csv_cell(x) for x in (r.id, r.inject, r.category, r.kind, r.target or "", f"{r.weight:g}",
                                      "" if r.due is None else r.due, "" if r.done_at is None else r.done_at,
                                      r.status, r.lateness, f"{r.credit:.4f}", len(r.windows),
                                      " ".join(str(s) for s in r.evidence), r.reason)])
    return buf.getvalue()


def export(played: Played, fmt: str) -> str:
    if fmt == "json":
        return export_json(played)
    if fmt == "csv":
        return export_csv(played.card)
    if fmt in ("md", "html"):
        from . import report

        return report.render(played, fmt)
    raise ValueError(f"unknown export format {fmt!r}")
