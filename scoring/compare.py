"""`ttx compare`: every runbook on every scenario, as stated, ranked (SPEC section 8).

`simulator.exercise.compare` reads each file once and plays each pair in process
(10 runbooks on 12 scenarios cost 120 plays and no start-up per pair); this module
ranks the cards it hands over. Live transcripts given with `--transcript` are shown
beside the as-stated result for the same scenario and runbook.

Ranking: mean overall score over the scenarios, highest first; ties go to the
better worst-case score, then fewer serious (high) findings, then provider
name, runbook id and path, so the order never depends on argument order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

from simulator import model as m
from simulator.textsafe import plain

from . import rubric as rubric_mod
from .findings import SEVERITY_ORDER, Finding
from .rubric import RATING_WORDS
from .scorecard import Scorecard

TOP_FINDINGS = 5


# Plain named tuples rather than attrs classes: they cost nothing to define at import, and
# `ttx compare` is a short-lived process whose start-up counts.
class Column(NamedTuple):
    key: str  # unique label for the scenario (its id, or id and path when two share an id)
    scenario: m.Scenario
    path: str


class Cell(NamedTuple):
    scenario: str  # Column.key
    card: Scorecard


class TopFinding(NamedTuple):
    finding: Finding  # the first occurrence, in scenario order
    scenarios: tuple[str, ...]  # Column keys where it was raised
    varies: bool = False  # worded differently elsewhere (each scenario names its own people, times, channels)

    @property
    def worded_as(self) -> str | None:
        """The scenario whose words are shown, when the scenarios word it differently (JSON `worded_as`)."""
        return self.scenarios[0] if self.varies else None

    def seen_in(self, of: int) -> str:
        """ "17 of 22 scenarios", and whose words are shown when the scenarios word it differently."""
        text = f"{len(self.scenarios)} of {of} scenario{'s' if of != 1 else ''}"
        return text + (f"; worded as in {self.worded_as}" if self.worded_as else "")


class Candidate(NamedTuple):
    key: str
    runbook: m.Runbook
    path: str
    cells: tuple[Cell, ...]
    mean: float
    worst: float
    rating: str
    categories: dict[str, tuple[float, str]]  # name -> (mean score, HSEEP rating)
    counts: dict[str, int]  # met / late / missed over all obligations
    serious: int  # high findings over all scenarios
    top_findings: tuple[TopFinding, ...]
    rank: int = 0

    def cell(self, column: str) -> Cell | None:
        return next((c for c in self.cells if c.scenario == column), None)


class LiveResult(NamedTuple):
    transcript: str
    scenario: str
    scenario_title: str
    runbook: str
    provider: str
    live: Scorecard
    as_stated: Scorecard


class Comparison(NamedTuple):
    columns: tuple[Column, ...]
    candidates: tuple[Candidate, ...]  # ranked
    live: tuple[LiveResult, ...]
    rubric: m.Rubric


def _keys(ids: list[str], paths: list[str]) -> list[str]:
    dup = {i for i in ids if ids.count(i) > 1}
    return [f"{i} ({p})" if i in dup else i for i, p in zip(ids, paths)]


def _top_findings(cells: list[Cell]) -> tuple[TopFinding, ...]:
    groups: dict[tuple[str, str], list[tuple[str, Finding]]] = {}
    for c in cells:
        for f in c.card.findings:
            groups.setdefault((f.code, f.subject), []).append((c.scenario, f))
    tops = [TopFinding(items[0][1], tuple(dict.fromkeys(s for s, _ in items)),
                       len({(f.message, f.question) for _, f in items}) > 1) for items in groups.values()]
    tops.sort(key=lambda t: (SEVERITY_ORDER.get(t.finding.severity, 9), -len(t.scenarios), t.finding.code, t.finding.subject))
    return tuple(tops[:TOP_FINDINGS])


def _candidate(key: str, runbook: m.Runbook, path: str, cells: list[Cell], rubric: m.Rubric) -> Candidate:
    overall = [c.card.overall for c in cells]
    mean = math.fsum(overall) / len(overall) if overall else 0.0  # fsum: the same mean whatever the order
    cats: dict[str, tuple[float, str]] = {}
    for name in m.CATEGORIES:
        scores = [cat.score for c in cells for cat in c.card.categories if cat.name == name]
        if scores:
            avg = math.fsum(scores) / len(scores)
            cats[name] = (round(avg, 2), rubric_mod.rating(avg, rubric))
    counts = {"met": 0, "late": 0, "missed": 0, "open": 0}
    for c in cells:
        for r in c.card.results:
            if r.owner is None:  # the client's own duties are shown on each scorecard, not counted here
                counts[r.status] = counts.get(r.status, 0) + 1
    serious = sum(1 for c in cells for f in c.card.findings if f.severity == "high")
    return Candidate(key, runbook, path, tuple(cells), round(mean, 2), min(overall, default=0.0),
                     rubric_mod.rating(mean, rubric), cats, counts, serious, _top_findings(cells))


def rank(scenarios: Sequence[tuple[m.Scenario, str]], runbooks: Sequence[tuple[m.Runbook, str, Sequence[Scorecard]]],
         live: Sequence[LiveResult], rules: m.Rubric) -> Comparison:
    """Rank runbooks by their as-stated cards, one card per scenario in the order of `scenarios`."""
    columns = [Column(k, sc, p) for k, (sc, p) in zip(_keys([sc.id for sc, _ in scenarios], [p for _, p in scenarios]), scenarios)]
    candidates = []
    for key, (rb, path, cards) in zip(_keys([rb.id for rb, _, _ in runbooks], [p for _, p, _ in runbooks]), runbooks):
        cells = [Cell(col.key, card) for col, card in zip(columns, cards)]
        candidates.append(_candidate(key, rb, path, cells, rules))
    candidates.sort(key=lambda c: (-c.mean, -c.worst, c.serious, c.runbook.provider.casefold(), c.runbook.id, c.path))
    ranked = tuple(c._replace(rank=i + 1) for i, c in enumerate(candidates))
    return Comparison(tuple(columns), ranked, tuple(live), rules)


# --- rendering -------------------------------------------------------------------------------


def headline(c: Comparison) -> str:
    n = len(c.columns)
    if not c.candidates:
        return "Nothing to compare."
    best = c.candidates[0]
    s = "s" if n != 1 else ""
    text = (f"On {'this scenario' if n == 1 else f'these {n} scenarios'}, played as stated, {best.runbook.provider} ranks first "
            f"with a mean score of {best.mean:.2f}/100 ({best.rating}: {RATING_WORDS[best.rating]}).")
    if best.rating in ("M", "U"):
        text += f" No candidate is ready as written: even the best has major gaps on the scenario{s} tested."
    elif best.serious:
        text += f" It still has {best.serious} serious finding{'s' if best.serious != 1 else ''} to settle before signing."
    return text


def _title(c: Comparison) -> str:
    nr, ns = len(c.candidates), len(c.columns)
    return f"Candidate comparison: {nr} runbook{'s' if nr != 1 else ''} on {ns} scenario{'s' if ns != 1 else ''}"


def _span_counts(cand: Candidate) -> str:
    k = cand.counts
    return f"{k.get('met', 0)}/{k.get('late', 0)}/{k.get('missed', 0)}"


def render_text(c: Comparison) -> str:
    L = [f"Compared {len(c.candidates)} runbook{'s' if len(c.candidates) != 1 else ''} on {len(c.columns)} "
         f"scenario{'s' if len(c.columns) != 1 else ''}, as stated", "", plain(headline(c)), ""]
    rows: list[tuple[str, ...]] = [("rank", "candidate", "mean", "rating", "met/late/missed", "serious findings")]
    for cand in c.candidates:
        rows.append((str(cand.rank), plain(f"{cand.runbook.provider} ({cand.key})"), f"{cand.mean:.2f}", cand.rating,
                     _span_counts(cand), str(cand.serious)))
    L += _text_table(rows)
    L += ["", "Scores by scenario (overall and HSEEP rating; columns are the candidates by rank)"]
    # scenarios down, candidates across: a library has more scenarios than candidates, and lines stay short
    rows = [("scenario",) + tuple(f"#{cand.rank}" for cand in c.candidates)]
    for col in c.columns:
        rows.append((plain(col.key),) + tuple(_cell_text(cand.cell(col.key)) for cand in c.candidates))
    rows.append(("mean",) + tuple(f"{cand.mean:.2f} {cand.rating}" for cand in c.candidates))
    L += _text_table(rows)
    L += ["", "Category scores (mean over scenarios, HSEEP rating)"]
    names = [n for n in m.CATEGORIES if any(n in cand.categories for cand in c.candidates)]
    rows = [("candidate",) + tuple(names)]
    for cand in c.candidates:
        rows.append((plain(cand.key),) + tuple(f"{cand.categories[n][0]:.2f} {cand.categories[n][1]}" if n in cand.categories else "—"
                                              for n in names))
    L += _text_table(rows)
    L += ["", "Top findings"]
    for cand in c.candidates:
        L.append(f"  {cand.rank}. {plain(cand.runbook.provider)} ({plain(cand.key)})")
        if not cand.top_findings:
            L.append("       none")
        for t in cand.top_findings:
            L.append(f"     {t.finding.severity.upper():<6} {plain(t.finding.message)} [{plain(t.seen_in(len(c.columns)))}]")
            L.append(f"            ask: {plain(t.finding.question)}")
    if c.live:
        L += ["", "Live exercises (live score beside the same pair as stated)"]
        rows = [("transcript", "scenario", "runbook", "live", "as stated")]
        for lv in c.live:
            rows.append((plain(lv.transcript), plain(lv.scenario), plain(lv.runbook), f"{lv.live.overall:.2f} {lv.live.rating}",
                         f"{lv.as_stated.overall:.2f} {lv.as_stated.rating}"))
        L += _text_table(rows)
    return "\n".join(L) + "\n"


def _cell_text(cell: Cell | None) -> str:
    return "—" if cell is None else f"{cell.card.overall:.2f} {cell.card.rating}"


def _text_table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip() for r in rows]


def render_md(c: Comparison) -> str:
    from .markup import md  # only the Markdown and HTML formats need the markup
    from .markup import md_table as table
    from .outline import CATEGORY_WORDS

    L = [f"# {_title(c)}", "",
         f"**Verdict:** {md(headline(c))}", "", "## Ranking", ""]
    L += table(["Rank", "Candidate", "Model", "Mean score", "HSEEP rating", "Met / late / missed", "Serious findings"],
               [[str(x.rank), f"**{md(x.runbook.provider)}** ({md(x.key)})", md(x.runbook.model), f"{x.mean:.2f}",
                 f"{x.rating} ({md(RATING_WORDS[x.rating])})", _span_counts(x), str(x.serious)] for x in c.candidates])
    L += ["", "## Scores by scenario", "", "Overall score and HSEEP rating of each runbook on each scenario, played as stated.", ""]
    L += table(["Scenario"] + [f"#{x.rank} {md(x.runbook.provider)}" for x in c.candidates],
               [[f"{md(col.scenario.title)} ({col.scenario.severity})"] + [_cell_text(x.cell(col.key)) for x in c.candidates]
                for col in c.columns]
               + [["**Mean**"] + [f"**{x.mean:.2f} {x.rating}**" for x in c.candidates]])
    names = [n for n in m.CATEGORIES if any(n in cand.categories for cand in c.candidates)]
    L += ["", "## Category scores", "", "Mean over the scenarios; HSEEP ratings: P performed without challenges (90+), "
          "S some challenges (70+), M major challenges (40+), U unable to be performed.", ""]
    L += table(["Candidate"] + [CATEGORY_WORDS.get(n, n) for n in names],
               [[md(x.key)] + [f"{x.categories[n][0]:.2f} {x.categories[n][1]}" if n in x.categories else "—" for n in names]
                for x in c.candidates])
    L += ["", "## Top findings per candidate", ""]
    for x in c.candidates:
        L += [f"### {x.rank}. {md(x.runbook.provider)} ({md(x.key)})", ""]
        if not x.top_findings:
            L += ["No findings.", ""]
            continue
        for t in x.top_findings:
            L.append(f"- **{t.finding.severity}** ({md(t.seen_in(len(c.columns)))}): {md(t.finding.message)}  ")
            L.append(f"  Ask: {md(t.finding.question)}")
        L.append("")
    if c.live:
        L += ["## Live exercises", ""]
        L += table(["Transcript", "Scenario", "Candidate", "Live score", "As stated"],
                   [[md(lv.transcript), md(lv.scenario), md(lv.provider), f"{lv.live.overall:.2f} {lv.live.rating}",
                     f"{lv.as_stated.overall:.2f} {lv.as_stated.rating}"] for lv in c.live])
        L.append("")
    L += ["## Scenarios", ""]
    L += [f"- **{md(col.scenario.title)}** ({md(col.key)}, {col.scenario.severity}): {md(col.scenario.summary)}" for col in c.columns]
    L += ["", "---", "", "_Generated by ttx compare. Ranked by mean overall score; ties go to the better worst case, "
          "then fewer serious findings, then name._"]
    return "\n".join(L) + "\n"


def render_html(c: Comparison) -> str:
    from .markup import Cell, Col, Row, badge, cards_table, h, html_head
    from .outline import CATEGORY_WORDS

    P: list[str] = []
    add = P.append
    best = c.candidates[0].rating if c.candidates else "U"
    title = _title(c)
    add(html_head(title, _EXTRA_CSS))
    add(f'<header><h1>{h(title)}</h1><p class="sub">Every runbook played as stated on every scenario, ranked. Generated by ttx.</p></header>')
    add(f'<section class="verdict {best}" id="verdict"><p><strong>Verdict:</strong> {h(headline(c))}</p></section>')

    add('<section id="ranking"><h2>Ranking</h2>' + cards_table(
        "scores", [Col("Rank", "num"), Col("Candidate", label=False), Col("Model"), Col("Mean score", "num"), Col("HSEEP rating"),
                   Col("Met / late / missed", "num"), Col("Serious findings", "num")],
        [[str(x.rank), f"<strong>{h(x.runbook.provider)}</strong><br><code>{h(x.key)}</code>", h(x.runbook.model), f"{x.mean:.2f}",
          f"{badge(x.rating)} {h(RATING_WORDS[x.rating])}", _span_counts(x), str(x.serious)] for x in c.candidates]) + "</section>")

    # short names (the ranking above gives the full ones) keep eleven columns inside the page; on a phone each
    # scenario is a card of tiles, two abreast, in the rating's colour (CSS below), so nothing scrolls sideways. Each
    # tile names its candidate in text shown on a phone only: a provider's name is the file's, never put in an attribute
    cols = [Col("Scenario", th=True)] + [Col(f"#{x.rank} {_short(x.runbook.provider)}", "num", label=False, title=x.key)
                                         for x in c.candidates]

    def tile(x: Candidate, html_: str, rating: str) -> Cell:
        return Cell(f'<span class="phone who">#{x.rank} {h(_short(x.runbook.provider))}</span> {html_}', f"r{rating}" if rating else "")

    rows: list[Row] = []
    for col in c.columns:
        cells: list[str | Cell] = [f'{h(col.scenario.title)} <span class="muted">{h(col.scenario.severity)}</span>']
        for x in c.candidates:
            cell = x.cell(col.key)
            cells.append(tile(x, "—", "") if cell is None else
                         tile(x, f"{cell.card.overall:.2f} {badge(cell.card.rating)}", cell.card.rating))
        rows.append(Row(cells))
    rows.append(Row(["Mean"] + [tile(x, f"{x.mean:.2f} {badge(x.rating)}", x.rating) for x in c.candidates], cls="mean"))
    add('<section id="matrix"><h2>Scores by scenario</h2><p class="muted">Overall score and HSEEP rating of each runbook on '
        "each scenario, played as stated; candidates in rank order.</p><div class=\"wide\">" + cards_table("matrix", cols, rows)
        + "</div></section>")

    names = [n for n in m.CATEGORIES if any(n in cand.categories for cand in c.candidates)]
    add('<section id="categories"><h2>Category scores</h2><p class="muted">Mean over the scenarios. HSEEP ratings: P performed '
        "without challenges (90+), S some challenges (70+), M major challenges (40+), U unable to be performed.</p>"
        + cards_table("", [Col("Candidate", th=True)] + [Col(CATEGORY_WORDS.get(n, n), "num") for n in names],
                      [[h(x.runbook.provider)] + [f"{x.categories[n][0]:.2f} {badge(x.categories[n][1])}" if n in x.categories else "—"
                                                  for n in names] for x in c.candidates]) + "</section>")

    add('<section id="findings"><h2>Top findings per candidate</h2>')
    for x in c.candidates:
        add(f"<h3>{x.rank}. {h(x.runbook.provider)} <code>{h(x.key)}</code></h3>")
        if not x.top_findings:
            add("<p>No findings.</p>")
            continue
        add(cards_table("findings", [Col("Finding", label=False), Col("Seen in", "nowrap"), Col("Question to put before signing")],
                        [[f'<span class="sev {h(t.finding.severity)}">{h(t.finding.severity)}</span> {h(t.finding.message)}',
                          f"{len(t.scenarios)} of {len(c.columns)}"
                          + (f'<br><span class="reason">worded as in {h(t.worded_as)}</span>' if t.worded_as else ""),
                          h(t.finding.question)] for t in x.top_findings]))
    add("</section>")
    if c.live:
        add('<section id="live"><h2>Live exercises</h2>' + cards_table(
            "", [Col("Transcript", label=False), Col("Scenario"), Col("Candidate"), Col("Live score", "num"), Col("As stated", "num")],
            [[f"<code>{h(lv.transcript)}</code>", h(lv.scenario_title), h(lv.provider), f"{lv.live.overall:.2f} {badge(lv.live.rating)}",
              f"{lv.as_stated.overall:.2f} {badge(lv.as_stated.rating)}"] for lv in c.live]) + "</section>")
    add('<section id="scenarios"><h2>Scenarios</h2><ul>')
    add("".join(f"<li><strong>{h(col.scenario.title)}</strong> <code>{h(col.key)}</code> {h(col.scenario.severity)}: "
                f"{h(col.scenario.summary)}</li>" for col in c.columns))
    add("</ul></section>")
    add("<footer>Generated by ttx compare. Ranked by mean overall score; ties go to the better worst case, then fewer serious "
        "findings, then name. For the full story of one pair, run <code>ttx run SCENARIO --runbook RUNBOOK -o T.ttx.jsonl</code> "
        "and <code>ttx export T.ttx.jsonl --format html</code>.</footer>")
    add("</main></body></html>")
    return "\n".join(P) + "\n"


def _short(provider: str) -> str:
    """A provider's name without its parenthesised gloss: "BrightDesk IT ("unlimited support")" -> "BrightDesk IT"."""
    head = provider.split(" (", 1)[0].strip()
    return head or provider


_EXTRA_CSS = """
main{max-width:76rem}
.wide{overflow-x:auto}
table.matrix th,table.matrix td{font-size:.85rem;padding:.3rem .4rem}
table.matrix thead th{font-size:.78rem;font-weight:600;hyphens:auto;overflow-wrap:break-word}
table.matrix td .badge{display:block;width:fit-content;margin:.15rem 0 0 auto}
table.matrix td.rP{background:#e3f4e7}table.matrix td.rS{background:#eef6dc}
table.matrix td.rM{background:#fff1cc}table.matrix td.rU{background:#fde2df}
table.matrix thead th{vertical-align:bottom}
table.matrix tbody th{font-weight:500;min-width:10rem}
table.matrix tr.mean th,table.matrix tr.mean td{font-weight:700;border-top:2px solid #8d99a8}
@media (max-width:40rem){
 .wide{overflow:visible}
 table.matrix.cards tr{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.3rem;padding:.4rem}
 table.matrix.cards tbody th{grid-column:1/-1;min-width:0;padding:.1rem .2rem;font-weight:600}
 table.matrix.cards td{border-radius:4px;padding:.25rem .45rem}
 table.matrix .who{font-size:.75rem;color:var(--muted);font-weight:600;overflow-wrap:anywhere}
 table.matrix td .badge{display:inline-block;margin:0 0 0 .3rem}
 table.matrix.cards tr.mean{border:2px solid #8d99a8}
 table.matrix.cards tr.mean td{border-top:0}
}
@media print{.wide{overflow:visible}table.matrix{font-size:8pt}#matrix>p{break-after:avoid}}
"""


def to_dict(c: Comparison) -> dict[str, Any]:
    def finding(f: Finding) -> dict[str, Any]:
        return {"code": f.code, "severity": f.severity, "subject": f.subject, "message": f.message,
                "question": f.question, "action": f.action}

    return {
        "ttx": "compare/v1",
        "headline": headline(c),
        "weights": dict(c.rubric.weights),
        "scenarios": [{"key": col.key, "id": col.scenario.id, "title": col.scenario.title, "severity": col.scenario.severity,
                       "path": col.path} for col in c.columns],
        "candidates": [{
            "rank": x.rank, "key": x.key, "id": x.runbook.id, "provider": x.runbook.provider, "model": x.runbook.model,
            "path": x.path, "mean": x.mean, "worst": x.worst, "rating": x.rating,
            "categories": {n: {"score": s, "rating": r} for n, (s, r) in x.categories.items()},
            "obligations": dict(x.counts), "serious_findings": x.serious,
            "scores": {cell.scenario: {"overall": cell.card.overall, "rating": cell.card.rating,
                                       "categories": {cat.name: {"score": cat.score, "rating": cat.rating} for cat in cell.card.categories}}
                       for cell in x.cells},
            "top_findings": [finding(t.finding) | {"scenarios": list(t.scenarios)}
                             | ({"worded_as": t.worded_as} if t.worded_as else {}) for t in x.top_findings],
        } for x in c.candidates],
        "live": [{"transcript": lv.transcript, "scenario": lv.scenario, "runbook": lv.runbook,
                  "live": {"overall": lv.live.overall, "rating": lv.live.rating},
                  "as_stated": {"overall": lv.as_stated.overall, "rating": lv.as_stated.rating}} for lv in c.live],
    }


def render(c: Comparison, fmt: str) -> str:
    if fmt == "text":
        return render_text(c)
    if fmt == "md":
        return render_md(c)
    if fmt == "html":
        return render_html(c)
    if fmt == "json":
        from simulator.textsafe import json_inert  # bidi and zero-width characters as \u escapes

        return json_inert(json.dumps(to_dict(c), indent=2, ensure_ascii=False)) + "\n"
    raise ValueError(f"unknown compare format {fmt!r}")
