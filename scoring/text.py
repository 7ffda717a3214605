"""The scorecard as plain text for a terminal (what `ttx run` and `ttx score` print)."""

from __future__ import annotations

from simulator.textsafe import plain
from simulator.timing import format_span
from simulator.wording import function_words

from .rubric import RATING_WORDS
from .scorecard import Scorecard


def _span(seconds: int | None) -> str:
    return "—" if seconds is None else format_span(seconds)


def render(card: Scorecard) -> str:
    clock = card.scenario.clock()
    sc, rb = card.scenario, card.runbook
    lines = [
        f"{plain(sc.title)}  ({plain(sc.id)}, {sc.severity}, starts {clock.label_zone(0)})",
        f"Runbook: {plain(rb.provider)}  ({plain(rb.id)}, {plain(rb.model)}; {card.mode})",
        "",
        f"Overall {card.overall:.2f}  [{card.rating}: {RATING_WORDS[card.rating]}]",
    ]
    for c in card.categories:
        lines.append(f"  {c.name:<14} {c.score:6.2f}  {c.rating}  (weight {c.weight:g}, {c.obligations} obligation{'s' if c.obligations != 1 else ''})")
    lines += ["", "Obligations"]
    rows = [("obligation", "due", "done", "status", "credit")]
    for r in card.results:
        credit = "—" if not r.scored else f"{r.credit:.4f}".rstrip("0").rstrip(".") if r.credit not in (0, 1) else str(int(r.credit))
        rows.append((plain(r.id), _span(r.due), _span(r.done_at), r.status_summary(), credit))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        lines.append("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    lines += ["", "Why"]
    for r in card.results:
        lines.append(f"  [{r.status:<6}] {plain(r.reason)}")
    m = card.metrics
    lines += ["", "Headline metrics",
              f"  time to acknowledge  {_span(m.time_to_acknowledge)}",
              f"  time to resolve      {_span(m.time_to_resolve)}"]
    for fn, t in m.time_to_engage.items():
        lines.append(f"  time to engage {function_words(fn):<22} {_span(t)}")
    for who, gap in m.longest_update_gap.items():
        lines.append(f"  longest gap between updates to {plain(who)}: {format_span(gap)}")
    lines.append(f"  notifications on time: {m.notifications_on_time}/{m.notifications_due}")
    if card.findings:
        lines += ["", f"Findings ({len(card.findings)})"]
        for f in card.findings:
            lines.append(f"  {f.severity.upper():<6} {plain(f.message)}")
            lines.append(f"         ask: {plain(f.question)}")
    return "\n".join(lines) + "\n"
