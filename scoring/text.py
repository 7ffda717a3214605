"""The scorecard as plain text for a terminal (what `ttx run` and `ttx score` print)."""

from __future__ import annotations

from simulator.textsafe import plain
from simulator.timing import format_span
from simulator.wording import Names, metric_words, reason_line

from .rubric import RATING_WORDS
from .scorecard import Metrics, Scorecard


def _span(seconds: int | None) -> str:
    return "—" if seconds is None else format_span(seconds)


def metric_rows(m: Metrics, who: Names) -> list[tuple[str, str]]:
    """The headline metrics in words, each with its time (the text scorecard and the report list them alike)."""
    rows = [(metric_words("acknowledge", None), _span(m.time_to_acknowledge)), (metric_words("restore", None), _span(m.time_to_resolve))]
    rows += [(metric_words("engage", fn), _span(t)) for fn, t in m.time_to_engage.items()]
    return rows + [(metric_words("update", key, who), format_span(gap)) for key, gap in m.longest_update_gap.items()]


def render(card: Scorecard, who: Names | None = None) -> str:
    """`who`: roles and stakeholders by the files' names (the key alone without them)."""
    who = who or Names()
    clock = card.scenario.clock()
    sc, rb = card.scenario, card.runbook
    lines = [
        f"{plain(sc.title)}  ({plain(sc.id)}, {sc.severity}, starts {clock.label_zone(0)})",
        f"Runbook: {plain(rb.provider)}  ({plain(rb.id)}, {plain(rb.model)}; {card.mode})",
    ]
    note = card.stop_note()
    if note is not None:  # a live exercise ended before its horizon: what that leaves open (SPEC section 7)
        lines.append(f"{note[0]}: {note[1]}")
    nothing = card.nothing_due()
    lines += ["", f"Overall —  [{nothing}: no score]" if nothing else
              f"Overall {card.overall:.2f}  [{card.rating}: {RATING_WORDS[card.rating]}]"]
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
        lines.append(f"  [{r.status:<6}] {plain(reason_line(r.kind, r.target, r.reason, who))}")
    m = card.metrics
    metrics = metric_rows(m, who)
    width = max(len(label) for label, _ in metrics[:-len(m.longest_update_gap) or None])  # a long name pushes only its own row
    lines += ["", "Headline metrics"] + [f"  {plain(label):<{width}}  {value}" for label, value in metrics]
    lines.append(f"  {'Notifications on time':<{width}}  {m.notifications_on_time}/{m.notifications_due}")
    if card.findings:
        lines += ["", f"Findings ({len(card.findings)})"]
        for f in card.findings:
            lines.append(f"  {f.severity.upper():<6} {plain(f.message)}")
            lines.append(f"         ask: {plain(f.question)}")
    return "\n".join(lines) + "\n"
