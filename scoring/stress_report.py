"""`ttx stress` results for people: terminal text, Markdown and a self-contained HTML page (SPEC section 12).

Every renderer reads the plain result (the JSON output, `simulator.stress.aggregate`), so the
four formats cannot disagree. Text from the input files is made inert for each medium.
The heat map is readable without colour: each cell is a digit (the decile of nights on which
every SLA held), a dot when it always held; the HTML adds a viridis scale (colour-blind safe).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from simulator.textsafe import json_inert, plain
from simulator.timing import format_span

from .markup import Col, cards_table, h, html_head, md

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# matplotlib's viridis at 0, 0.1, …, 1: perceptually uniform and readable with every common colour-vision deficiency
VIRIDIS = ("#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151",
           "#bddf26", "#fde725")
LEGEND = "· every SLA met on every night; 0-9: met on 0-9x% of nights (9 = 90-99%); blank: no start that hour"


def cell(share: float | None) -> str:
    """One heat-map cell as a character: '·' always held, a digit for the decile, ' ' no start."""
    if share is None:
        return " "
    if share >= 1:
        return "·"
    return str(min(9, int(share * 10)))


def pct(x: float | None) -> str:
    """A share as a whole percentage, never rounded to the two words it is not: 4 nights in 840 is "<1%", not "0%"."""
    if x is None:
        return "—"
    if 0 < x < 0.005:
        return "<1%"
    if 0.995 <= x < 1:
        return ">99%"
    return f"{x:.0%}"


def _span(seconds: int | None) -> str:
    return "—" if seconds is None else "+" + format_span(seconds)


def _score(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


def _when(iso: str) -> str:
    """"2026-03-14T02:07:00" as people read it, "Sat 14 Mar 2026 02:07" (the raw text if it is not a time)."""
    try:
        t = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    month = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()[t.month - 1]  # not strftime: no locale
    return f"{DAYS[t.weekday()]} {t.day:02d} {month} {t.year} {t.hour:02d}:{t.minute:02d}"


def _header_lines(r: dict[str, Any]) -> list[str]:
    sc, rb = r["scenario"], r["runbook"]
    n_starts = len(r["starts"])
    if r["samples"]:
        how = f"{n_starts} starts × {r['samples']} sampled nights (seed {r['seed']})"
    else:
        how = f"{n_starts} starts, each played as stated (--samples 0)"
    where = ("every hour of the scenario's week, at its minute" if r["starts_mode"] == "week"
             else "the scenario's own start")
    s = r["summary"]
    lines = [
        f"{sc['title']} ({sc['id']}, {sc['severity']}) against {rb['provider']} ({rb['id']})",
        f"{r['plays']:,} plays: {how}; starts: {where}, {sc['timezone']}",
        f"Over the week: mean score {_score(s['mean_score'])}; every SLA obligation met on {pct(s['sla_held'])} of nights",
    ]
    if s["as_stated"]:
        held = "every SLA met" if s["as_stated"]["sla_held"] else "not every SLA met"
        lines.append(f"As stated, on the scenario's own night ({_when(sc['starts'])}): score {_score(s['as_stated']['score'])}, {held}")
    return lines


def _model_lines(r: dict[str, Any]) -> list[str]:
    mdl = r["model"]
    src = "ttx defaults (docs/stress.md)" if mdl["source"] == "defaults" else mdl["source"]
    return [
        f"Stress model: {src}",
        f"  responds: median {mdl['responds']['median']:g}× the promise, {mdl['responds']['broken']:.0%} of answers over it",
        f"  takes: median {mdl['takes']['median']:g}× the playbook's time, {mdl['takes']['broken']:.0%} of steps over it",
        f"  unreachable: {mdl['unreachable']:.1%} of pages find their role unreachable",
        f"  demand: {mdl['demand']['incidents_per_client_month']:g} incidents per client per month, "
        f"{mdl['demand']['hours']} each (for pools)",
    ]


def _ob_rows(r: dict[str, Any]) -> list[list[str]]:
    rows = []
    for o in r["obligations"]:
        stated = o["as_stated"]
        st = "—" if not stated else stated["status"] + ("" if stated["done_at"] is None else f" {_span(stated['done_at'])}")
        rows.append([o["label"], o["category"], pct(o["met"]), pct(o["met_or_late"]), _span(o["median_done"]),
                     _span(o["p90_done"]), st])
    return rows


def _span_of(values: list[str]) -> str:
    """"0%" or "0%–12%": the range of already-formatted values, worst first as given."""
    lo, hi = values[0], values[-1]
    return lo if lo == hi else f"{lo}–{hi}"


def _hours(starts: list[dict[str, Any]]) -> str:
    """The starts of a group in week order, consecutive hours as one run: "Sat 05:07, Sun 00:07–01:07 and 07:07"."""
    ordered = sorted(starts, key=lambda w: w["start"])
    runs: list[list[dict[str, Any]]] = []
    for w in ordered:
        prev = runs[-1][-1] if runs else None
        if prev is not None and (datetime.fromisoformat(w["start"]) - datetime.fromisoformat(prev["start"])).total_seconds() == 3600:
            runs[-1].append(w)
        else:
            runs.append([w])
    words, day = [], ""
    for run in runs:
        first, last = run[0]["label"], run[-1]["label"]
        # the day once: "Sun 00:07–01:07 and 07:07", not "Sun 00:07–Sun 01:07 and Sun 07:07"
        text = first if first.split(" ")[0] != day else first.split(" ", 1)[-1]
        day = first.split(" ")[0]
        if len(run) > 1:
            text += "–" + (last.split(" ", 1)[-1] if last.split(" ")[0] == day else last)
            day = last.split(" ")[0]
        words.append(text)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def weak_groups(r: dict[str, Any]) -> list[dict[str, Any]]:
    """The weakest hours with each cause once: a weakest hour comes with every start of the week whose causes read
    the same (`same_cause`), and weakest hours sharing that set are one group, in the order of its worst hour, with
    the shares and scores of all its hours; its causes are worded as at that hour (said so when it has company)."""
    by_key = {x["start"]: x for x in r["starts"]}
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for w in r["weakest"]:  # worst first
        groups.setdefault(tuple(w.get("same_cause") or [w["start"]]), []).append(w)
    out = []
    for keys, members in groups.items():
        worst = members[0]
        hours = [by_key[k] for k in keys] if all(k in by_key for k in keys) else members
        at = f". As stated at {worst['label']}: " if len(hours) > 1 else ". As stated: "
        held = sorted(x["sla_held"] for x in hours if x["sla_held"] is not None)
        scores = sorted(x["mean_score"] for x in hours if x["mean_score"] is not None)
        out.append({"hours": _hours(hours), "sla_held": _span_of([pct(held[0]), pct(held[-1])]) if held else "—",
                    "mean_score": _span_of([_score(scores[0]), _score(scores[-1])]) if scores else "—",
                    "causes": [c.replace(". As stated: ", at, 1) for c in worst["causes"]]})
    return out


def _weak_line(g: dict[str, Any]) -> str:
    return f"every SLA met on {g['sla_held']} of nights, mean score {g['mean_score']}"


OB_HEAD = ["obligation", "category", "met", "met or late", "median done", "90% done by", "as stated"]


def render_text(r: dict[str, Any]) -> str:
    out = [plain(x) for x in _header_lines(r)]
    hours = "     " + "".join(f" {hh:02d}" for hh in range(24))
    out += ["", "Nights on which every SLA obligation was met, by weekday and start hour:", hours]
    for d in range(7):
        out.append(f"{DAYS[d]}  " + "".join(f"{cell(v):>3}" for v in r["heat"]["sla_held"][d]))
    out.append("  " + LEGEND)
    out += ["", "Mean overall score, by weekday and start hour (0-100; 99 also stands for 100):", hours]
    for d in range(7):
        out.append(f"{DAYS[d]}  " + "".join("   " if v is None else f"{min(99, int(v)):>3}" for v in r["heat"]["mean_score"][d]))
    for note in r["skipped"]:
        out.append("  " + plain(note))
    if r["weakest"]:
        out += ["", "Weakest hours:"]
        for g in weak_groups(r):
            out.append(f"  {g['hours']}: {_weak_line(g)}")
            out += [f"    - {plain(c)}" for c in g["causes"]]
    out += ["", "Obligations over the week (share of nights; times from the first inject):"]
    rows = [OB_HEAD] + _ob_rows(r)
    widths = [max(len(plain(row[i])) for row in rows) for i in range(len(OB_HEAD))]
    for row in rows:
        out.append("  " + "  ".join(plain(v).ljust(widths[i]) for i, v in enumerate(row)).rstrip())
    if r["pools"]:
        out += ["", "Shared pools (Erlang C):"] + [f"  {plain(p['text'])}" for p in r["pools"]]
    w = r["worst"]
    out += ["", f"Worst night: {w['label']}" + (f", sampled night {w['sample']}" if w["sample"] else ", as stated")
            + f", score {_score(w['score'])} (write it with --worst -o T.ttx.jsonl)", ""]
    out += _model_lines(r)
    return "\n".join(out) + "\n"


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(row) + " |" for row in rows]


def render_md(r: dict[str, Any]) -> str:
    sc, rb = r["scenario"], r["runbook"]
    out = [f"# Stress: {md(sc['title'])} against {md(rb['provider'])}", ""]
    out += [md(x) + "  " for x in _header_lines(r)[1:]]
    out += ["", "## Nights on which every SLA obligation was met", ""]
    rows = [[DAYS[d]] + [pct(v) if v is not None else "" for v in r["heat"]["sla_held"][d]] for d in range(7)]
    out += _md_table(["start"] + [f"{hh:02d}" for hh in range(24)], rows)
    out += ["", "## Mean overall score by start", ""]
    rows = [[DAYS[d]] + [f"{v:.0f}" if v is not None else "" for v in r["heat"]["mean_score"][d]] for d in range(7)]
    out += _md_table(["start"] + [f"{hh:02d}" for hh in range(24)], rows)
    out += [""] + [f"- {md(n)}" for n in r["skipped"]]
    if r["weakest"]:
        out += ["", "## Weakest hours", ""]
        for g in weak_groups(r):
            out.append(f"- **{md(g['hours'])}**: {_weak_line(g)}")
            out += [f"  - {md(c)}" for c in g["causes"]]
    out += ["", "## Obligations over the week", ""]
    out += _md_table(OB_HEAD, [[md(v) for v in row] for row in _ob_rows(r)])
    if r["pools"]:
        out += ["", "## Shared pools (Erlang C)", ""] + [f"- {md(p['text'])}" for p in r["pools"]]
    w = r["worst"]
    out += ["", "## Worst night", "", f"{md(w['label'])}" + (f", sampled night {w['sample']}" if w["sample"] else ", as stated")
            + f": score {_score(w['score'])}.", "", "## Stress model", ""]
    out += [f"- {md(x.strip())}" for x in _model_lines(r)]
    return "\n".join(out) + "\n"


def viridis(x: float) -> str:
    """The viridis colour for x in [0, 1], interpolated between the 11 stops."""
    x = min(1.0, max(0.0, x)) * 10
    i = min(9, int(x))
    f = x - i
    a, b = VIRIDIS[i], VIRIDIS[i + 1]
    rgb = [round(int(a[k:k + 2], 16) * (1 - f) + int(b[k:k + 2], 16) * f) for k in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


HOURS = tuple(f"{hh:02d}" for hh in range(24))


def ink(fill: str) -> str:
    """Black or white, whichever contrasts more with the cell's colour (WCAG relative luminance): white text on
    viridis's middle teal would fall under 4:1."""
    def lin(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(int(fill[k:k + 2], 16)) for k in (1, 3, 5))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def heat_svg(grid: list[list[float | None]], title: str, scale: float, label: Callable[[float], str],
             by_day: bool = True) -> str:
    """The 7 × 24 heat map, a row per weekday (or, by_day=False, a row per hour: the week top to bottom, as
    it fits a phone). Every cell also carries its value as text and a tooltip: readable without colour."""
    rows, cols = (DAYS, HOURS) if by_day else (HOURS, DAYS)
    cw, ch, left, top = (34, 26, 44, 22) if by_day else (46, 22, 30, 20)
    width, height = left + len(cols) * cw + 4, top + len(rows) * ch + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-label="{h(title)}" font-family="DejaVu Sans, Arial, sans-serif">'
             f"<title>{h(title)}</title>"]
    for c, name in enumerate(cols):
        parts.append(f'<text x="{left + c * cw + cw / 2}" y="{top - 7}" text-anchor="middle" font-size="11">{name}</text>')
    for r, name in enumerate(rows):
        y = top + r * ch
        parts.append(f'<text x="4" y="{y + ch / 2 + 4}" font-size="{12 if by_day else 11}">{name}</text>')
        for c in range(len(cols)):
            d, hh = (r, c) if by_day else (c, r)
            v = grid[d][hh]
            x = left + c * cw
            if v is None:
                parts.append(f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="#ffffff" stroke="#767676" '
                             'stroke-dasharray="2 2"><title>no start</title></rect>')
                continue
            fill, text = viridis(v / scale), label(v)
            parts.append(f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="{fill}">'
                         f'<title>{DAYS[d]} {hh:02d}: {h(text)}</title></rect>'
                         f'<text x="{x + (cw - 2) / 2}" y="{y + ch / 2 + 3}" text-anchor="middle" font-size="10" '
                         f'fill="{ink(fill)}">{h(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def legend_svg(low: str, high: str) -> str:
    """The colour scale as a strip of swatches between its two ends, so the map reads without the prose."""
    sw, left = 16, 4 + 7 * max(len(low), 1)
    width = left + 11 * sw + 6 + 7 * len(high)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="16" viewBox="0 0 {width} 16" '
             f'aria-hidden="true" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">'
             f'<text x="0" y="12" fill="#1b1f24">{h(low)}</text>']
    parts += [f'<rect x="{left + i * sw}" y="1" width="{sw}" height="14" fill="{viridis(i / 10)}"/>' for i in range(11)]
    parts.append(f'<text x="{left + 11 * sw + 4}" y="12" fill="#1b1f24">{h(high)}</text></svg>')
    return "".join(parts)


def _heat_figure(grid: list[list[float | None]], title: str, scale: float, label: Callable[[float], str],
                 ends: tuple[str, str], note: str) -> str:
    """Both shapes of one map: 7 rows × 24 on a screen or paper, 24 rows × 7 on a phone (CSS picks, no script)."""
    return (f'<figure class="heat"><div class="wide-only">{heat_svg(grid, title, scale, label)}</div>'
            f'<div class="phone">{heat_svg(grid, title, scale, label, by_day=False)}</div>'
            f'<figcaption><span class="scale">{legend_svg(*ends)}</span> {h(note)}</figcaption></figure>')


STRESS_CSS = """
figure.heat svg{display:block}
figure.heat .scale svg{display:inline-block;vertical-align:middle;margin-right:.3rem}
"""


def render_html(r: dict[str, Any]) -> str:
    sc, rb = r["scenario"], r["runbook"]
    head = _header_lines(r)
    title = f"Stress: {sc['title']} against {rb['provider']}"
    b = [html_head(title, STRESS_CSS), f'<header><h1>{h(title)}</h1><p class="sub">{h(head[1])}</p></header>']
    b += [f"<p>{h(x)}</p>" for x in head[2:]]
    b.append('<section id="sla"><h2>Nights on which every SLA obligation was met</h2>')
    b.append(_heat_figure(r["heat"]["sla_held"], "Share of nights with every SLA met, by weekday and start hour", 1.0, pct,
                          ("0%", "100%"), "Darker: the promise broke more often. Dashed cells: no start that hour."))
    b.append('</section><section id="score"><h2>Mean overall score by start</h2>')
    b.append(_heat_figure(r["heat"]["mean_score"], "Mean overall score, by weekday and start hour", 100.0,
                          lambda v: f"{v:.0f}", ("0", "100"),
                          "Mean overall score out of 100 over the nights started that hour; darker: lower."))
    b += [f'<p class="muted">{h(n)}</p>' for n in r["skipped"]]
    b.append("</section>")
    if r["weakest"]:
        b.append('<section id="weakest"><h2>Weakest hours</h2><ul>')
        for g in weak_groups(r):
            b.append(f"<li><b>{h(g['hours'])}</b>: {h(_weak_line(g))}<ul>" + "".join(f"<li>{h(c)}</li>" for c in g["causes"]) + "</ul></li>")
        b.append("</ul></section>")
    b.append('<section id="obligations"><h2>Obligations over the week</h2>'
             '<p class="muted">Share of nights; times from the first inject.</p>')
    # on a phone each obligation is a card, named by its first cell, the rest labelled
    b.append(cards_table("", [Col(x, label=i > 0) for i, x in enumerate(OB_HEAD)], [[h(v) for v in row] for row in _ob_rows(r)])
             + "</section>")
    if r["pools"]:
        b.append('<section id="pools"><h2>Shared pools (Erlang C)</h2><ul>'
                 + "".join(f"<li>{h(p['text'])}</li>" for p in r["pools"]) + "</ul></section>")
    w = r["worst"]
    b.append(f'<section id="worst"><h2>Worst night</h2><p>{h(w["label"])}'
             + (f", sampled night {w['sample']}" if w["sample"] else ", as stated")
             + f": score {_score(w['score'])}.</p><p class=\"muted\">For that night's full story: <code>ttx stress ... --worst "
             "-o worst.ttx.jsonl</code>, then <code>ttx export worst.ttx.jsonl --format html</code>.</p></section>")
    b.append('<section id="model"><h2>Stress model</h2><ul>' + "".join(f"<li>{h(x.strip())}</li>" for x in _model_lines(r))
             + "</ul></section>")
    b.append("<footer>Generated by ttx stress. Every time is local to the scenario's time zone. "
             "This file is self-contained and works offline.</footer>")
    b.append("</main></body></html>")
    return "\n".join(b) + "\n"


def render_json(r: dict[str, Any]) -> str:
    return json_inert(json.dumps(r, ensure_ascii=False, indent=2, allow_nan=False)) + "\n"


def render(r: dict[str, Any], fmt: str) -> str:
    return {"text": render_text, "md": render_md, "html": render_html, "json": render_json}[fmt](r)


# --- `ttx compare --stress` ------------------------------------------------------------------


RANK_HEAD = ["rank", "candidate", "week mean", "every SLA met", "as stated", "weakest start"]


def _rank_rows(k: dict[str, Any]) -> list[list[str]]:
    return [[str(c["rank"]), f"{c['provider']} ({c['runbook']})", _score(c["week_mean"]), pct(c["sla_held"]),
             _score(c["as_stated"]), f"{c['weakest']['start']} ({c['weakest']['scenario']}, mean {_score(c['weakest']['mean_score'])})"]
            for c in k["candidates"]]


def _rank_intro(k: dict[str, Any]) -> str:
    how = (f"{k['samples']} sampled nights per start, seed {k['seed']}" if k["samples"]
           else "each start as stated (--samples 0)")
    where = "every hour of each scenario's week" if k["starts_mode"] == "week" else "each scenario's own start"
    return (f"Ranked on the week: mean overall score over {where}, {how}; then the share of nights on which "
            "every SLA obligation was met. 'as stated' is the score on the scenario's own night.")


def render_ranking(k: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return render_json(k)
    rows = _rank_rows(k)
    if fmt == "md":
        out = ["# Candidates ranked on the week", "", md(_rank_intro(k)), ""]
        out += _md_table(RANK_HEAD, [[md(v) for v in row] for row in rows])
        return "\n".join(out) + "\n"
    if fmt == "html":
        title = "Candidates ranked on the week"
        body = [html_head(title), f'<header><h1>{title}</h1><p class="sub">{h(_rank_intro(k))}</p></header>',
                cards_table("", [Col(x) for x in RANK_HEAD], [[h(v) for v in row] for row in rows])]
        if k["model"]:
            body.append('<section id="model"><h2>Stress model</h2><ul>'
                        + "".join(f"<li>{h(x.strip())}</li>" for x in _model_lines({"model": k["model"]})) + "</ul></section>")
        body.append("<footer>Generated by ttx compare --stress. This file is self-contained and works offline.</footer>"
                    "\n</main></body></html>")
        return "\n".join(body) + "\n"
    table = [RANK_HEAD] + [[plain(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(RANK_HEAD))]
    out = [_rank_intro(k), ""] + ["  ".join(v.ljust(widths[i]) for i, v in enumerate(row)).rstrip() for row in table]
    if k["model"]:
        out += [""] + _model_lines({"model": k["model"]})
    return "\n".join(out) + "\n"
