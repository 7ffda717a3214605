"""`ttx compare --stress` (SPEC section 12): candidates ranked on the week, beside their as-stated score."""

from __future__ import annotations

from typing import Any

FORMAT = "stress-ranking/v1"


def rank(results: dict[str, list[dict[str, Any]]], labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    """`results`: runbook key -> its stress results, one per scenario (same order for every runbook).

    Mean overall score over the week (the mean over scenarios of each scenario's week mean), then the
    share of nights on which every SLA obligation was met, then the as-stated score; ties by provider and key.
    """
    rows = []
    for key, rs in results.items():
        n = len(rs)
        week = round(sum(r["summary"]["mean_score"] for r in rs) / n, 2)
        held = round(sum(r["summary"]["sla_held"] for r in rs) / n, 4)
        stated = round(sum(r["summary"]["as_stated"]["score"] for r in rs) / n, 2)
        worst = min(rs, key=lambda r: min(s["mean_score"] for s in r["starts"]))
        weakest = min(worst["starts"], key=lambda s: (s["mean_score"], s["start"]))
        rows.append({
            "runbook": key, **labels[key], "week_mean": week, "sla_held": held, "as_stated": stated,
            "weakest": {"scenario": worst["scenario"]["id"], "start": weakest["label"], "mean_score": weakest["mean_score"]},
            "scenarios": [{"id": r["scenario"]["id"], "week_mean": r["summary"]["mean_score"],
                           "sla_held": r["summary"]["sla_held"], "as_stated": r["summary"]["as_stated"]["score"]}
                          for r in rs],
        })
    rows.sort(key=lambda r: (-r["week_mean"], -r["sla_held"], -r["as_stated"], r["provider"], r["runbook"]))
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    first = next(iter(results.values()))[0] if results else None
    return {"ttx": FORMAT, "candidates": rows,
            "model": None if first is None else first["model"],
            "samples": None if first is None else first["samples"],
            "seed": None if first is None else first["seed"],
            "starts_mode": None if first is None else first["starts_mode"]}
