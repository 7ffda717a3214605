"""`ttx stress` (SPEC section 12): the sweep, the chance model, Erlang C, the worst night, the outputs."""

from __future__ import annotations

import json
import math
import multiprocessing
import re
from datetime import datetime
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.scorecard import score
from scoring.stress_report import ink, viridis
from simulator.cli import main
from simulator.engine import play
from simulator.exercise import open_pair, verify
from simulator.loading import load_text
from simulator.stress import aggregate, run, sweep
from simulator.stress.erlang import erlang_c, queue
from simulator.stress.model import DEFAULT, Spread, StressModel
from simulator.transcript import read, sha256_text
from simulator.transcript import render as render_transcript

ROOT = Path(__file__).resolve().parent.parent
SC = ROOT / "scenarios"
RANSOM = str(SC / "ransomware-fileserver.yaml")
RUNBOOKS = sorted(str(p) for p in (SC / "runbooks").glob("*.yaml"))


def plan_of(scenario: str, runbook: str, samples: int = 0, model: StressModel = DEFAULT, seed: int = 0) -> run.Plan:
    pair = open_pair(scenario, runbook)
    starts, skipped = sweep.week(pair.scenario.starts, pair.scenario.timezone)
    return run.Plan(pair.scenario, pair.runbook, model, starts, samples, seed, None, skipped)


# --- Erlang C -------------------------------------------------------------------------------


@pytest.mark.parametrize("c, a, published", [
    (3, 2.0, 4 / 9),  # Wolfram Language ErlangC documentation, basic example: ErlangC[3, 2] = 4/9
    (1, 0.5, 0.5),  # M/M/1: a page waits with probability ρ = a (Kleinrock, Queueing Systems I, §3.2)
    (2, 1.0, 1 / 3),  # M/M/2 at ρ = 1/2: P(wait) = 2ρ²/(1+ρ) = 1/3 (same source, §3.5)
    (5, 3.0, 0.2362),  # M/M/5 with one call a minute and 3-minute service (textbook call-centre exercise)
])
def test_erlang_c_matches_published_values(c: int, a: float, published: float) -> None:
    assert erlang_c(c, a) == pytest.approx(published, abs=5e-5)


def test_erlang_c_mean_wait_is_the_average_speed_of_answer() -> None:
    # ASA = T·P(queued)/(M − E) (had2know.org Erlang C page): 2 staff, 1 erlang, 3h incidents -> 1/3·3h/1 = 1h
    q = queue(staff=2, clients=360, incidents_per_client_month=2 / 3, hours=3.0)  # 360·(2/3)/720·3 = 1 erlang
    assert q.load == pytest.approx(1.0)
    assert q.mean_wait_hours == pytest.approx(1.0)


def test_erlang_c_overloaded_and_large_pools() -> None:
    assert erlang_c(2, 2.0) == 1.0 and queue(2, 1000, 2.0, 3.0).overloaded
    assert 0 < erlang_c(300, 290.0) < 1  # no overflow: the recursion never forms 290^300
    assert math.isfinite(queue(2, 40, 2.0, 3.0).mean_wait_hours)


# --- as stated: the sweep reproduces `ttx run` -----------------------------------------------


def moved_text(path: str, local: datetime) -> str:
    text = Path(path).read_text()
    return re.sub(r"(?m)^starts: *\S+", f"starts: {local.isoformat()}", text, count=1)


PAIRS = [(str(SC / s), r) for s in ("ransomware-fileserver.yaml", "bec-wire-fraud.yaml", "lost-laptop-gdpr.yaml",
                                     "sec-8k-material-incident.yaml") for r in RUNBOOKS]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=st.sampled_from(PAIRS), index=st.integers(0, 167))
def test_every_swept_start_equals_ttx_run_with_starts_moved_there(pair: tuple[str, str], index: int) -> None:
    plan = plan_of(*pair)
    start = plan.starts[min(index, len(plan.starts) - 1)]
    # `ttx run` of the scenario file with its `starts:` line rewritten
    sc = load_text("moved.yaml", moved_text(pair[0], start.local), "scenario").value
    events = play(sc, plan.runbook)
    card = score(sc, plan.runbook, events)
    got_events, got_card = run.play_one(plan, run.at(plan, start), None)
    assert got_events == events
    # stress judges every obligation as `ttx run` does (it leaves out only the metrics and findings)
    assert (got_card.results, got_card.categories, got_card.overall) == (card.results, card.categories, card.overall)
    tally = run.play_start(plan, plan.starts.index(start))
    assert (tally.plays, tally.score_cents) == (1, round(card.overall * 100))
    assert tally.stated["score"] == card.overall


def test_the_scenarios_own_start_reproduces_ttx_run(capsys: pytest.CaptureFixture[str]) -> None:
    runbook = str(SC / "runbooks" / "acme-msp.yaml")
    assert main(["run", RANSOM, "--runbook", runbook, "--format", "json"]) == 0
    card = json.loads(capsys.readouterr().out)["scorecard"]
    assert main(["stress", RANSOM, "--runbook", runbook, "--samples", "0", "--starts", "scenario", "--format", "json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["summary"]["as_stated"]["score"] == card["overall"] == 37.64  # SPEC section 11
    assert res["plays"] == 1 and res["summary"]["mean_score"] == 37.64
    assert {o["id"]: o["as_stated"]["status"] for o in res["obligations"]} == {r["id"]: r["status"] for r in card["results"]}
    assert [s["label"] for s in res["starts"]] == ["Sat 02:07"]
    # obligations named as the report names them: stakeholders by name, functions in words
    assert [o["label"] for o in res["obligations"]] == [
        "Acknowledge the alert", "Engage security lead", "Notify Dana (IT manager; client_it_lead)",
        "Keep updating Dana (IT manager; client_it_lead)", "Restore service", "Do isolate-host", "Decide restore-or-negotiate",
        "Notify Insurer claims line (cyber_insurer)"]


def test_a_24x7_runbook_shows_no_hour_of_day_effect_as_stated() -> None:
    # every role round the clock, no chance: the ransomware scenario has no business-day windows,
    # so each start gives the same statuses at the same offsets from the first inject
    text = (SC / "runbooks" / "sentinel-247.yaml").read_text().replace("hours: business", "hours: always")
    pair = open_pair(RANSOM, str(SC / "runbooks" / "sentinel-247.yaml"))
    rb = load_text("247.yaml", text, "runbook").value
    starts, _ = sweep.week(pair.scenario.starts, pair.scenario.timezone)
    plan = run.Plan(pair.scenario, rb, DEFAULT, starts, samples=0)
    seen = set()
    for i in range(len(starts)):
        t = run.play_start(plan, i)
        seen.add(tuple(sorted((k, v["status"], v["done_at"]) for k, v in t.stated["obligations"].items())))
    assert len(seen) == 1
    res = aggregate.result(plan, run.tallies(plan))
    assert len({v for row in res["heat"]["mean_score"] for v in row}) == 1


def test_week_keeps_the_minute_and_skips_the_hour_dst_removes() -> None:
    starts, skipped = sweep.week(datetime(2026, 3, 5, 14, 7), "America/Chicago")  # the week of 8 March 2026
    assert len(starts) == 167 and starts[0].label == "Mon 00:07" and starts[-1].label == "Sun 23:07"
    assert all(s.local.minute == 7 for s in starts)
    assert skipped == ("Sun 08 Mar 02:07 does not exist in America/Chicago (the clocks go forward): skipped",)


# --- chance ---------------------------------------------------------------------------------


def stretched(model: StressModel, k: float) -> StressModel:
    """Every answer k times slower, draw by draw: the median times k at the same σ."""
    s = model.responds
    broken = 0.5 * math.erfc(-math.log(s.median * k) / (s.sigma * math.sqrt(2)))  # Φ(ln(m·k)/σ)
    return attrs.evolve(model, responds=Spread(s.median * k, broken))


def ack_met(plan: run.Plan, samples: int) -> list[bool]:
    out = []
    for start in plan.starts[::12]:
        sc = run.at(plan, start)
        for sample in range(1, samples + 1):
            _, card = run.play_one(plan, sc, run.night(plan, start, sample))
            out.append(next(r for r in card.results if r.id == "edr-alert/acknowledge").status == "met")
    return out


@pytest.mark.parametrize("runbook", ["sentinel-247.yaml", "keel-fractional-cto.yaml"])
def test_p_met_never_rises_with_unreachable_or_slower_answers(runbook: str) -> None:
    # The family: `acknowledge` (SPEC §5.1-2, §7). It is done at the first answer in the first inject's chain
    # of pages and backups; each answer is (opening time + drawn promise), so with the same draws (common
    # random numbers) an unreachable page or a longer factor can only move that first answer later.
    path = str(SC / "runbooks" / runbook)
    previous = None
    for unreachable in (0.0, 0.05, 0.3):
        for k in (1.0, 1.5, 3.0):
            model = stretched(attrs.evolve(DEFAULT, unreachable=unreachable), k)
            met = ack_met(plan_of(RANSOM, path, model=model), samples=8)
            if previous is not None and k > 1.0:
                assert all(b <= a for a, b in zip(previous, met))  # night by night, never met where it was not
            previous = met
        base = ack_met(plan_of(RANSOM, path, model=attrs.evolve(DEFAULT, unreachable=unreachable)), samples=8)
        if unreachable:
            assert sum(base) <= sum(ack_met(plan_of(RANSOM, path, model=attrs.evolve(DEFAULT, unreachable=0.0)), 8))
        previous = None


def test_draws_do_not_depend_on_order_or_process() -> None:
    plan = plan_of(RANSOM, str(SC / "runbooks" / "keel-fractional-cto.yaml"), samples=3)
    a = run.play_start(plan, 5)
    run.play_start(plan, 4)
    b = run.play_start(plan, 5)
    assert attrs.asdict(a) == attrs.asdict(b)


# --- the stress model file -------------------------------------------------------------------


def test_stress_model_file_errors_are_positioned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "m.yaml"
    f.write_text("ttx: stress/v1\nresponds: {median: 0.6, broken: 0.1}\ntakes: {median: 1.0, broken: 0.2}\n"
                 "unreachable: 1.5\ndemand: {hours: 3}\nbusy: yes\n")
    assert main(["validate", str(f)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{f}:3:") and "median of 1" in err[0]
    assert any(line.startswith(f"{f}:4:") and "from 0 to 1" in line for line in err)
    assert any(line.startswith(f"{f}:5:") and "bare number" in line for line in err)
    assert any(line.startswith(f"{f}:6:") and "unknown key 'busy'" in line for line in err)
    f.write_text("ttx: stress/v1\nresponds: {median: 0.6, broken: 0.1}\nunreachable: 0.05\n")
    assert main(["validate", str(f)]) == 0
    assert "stress model" in capsys.readouterr().out


def test_spread_puts_broken_over_the_promise() -> None:
    s = Spread(0.6, 0.1)
    n = 20000
    over = sum(s.factor((i + 0.5) / n) > 1 for i in range(n)) / n
    assert over == pytest.approx(0.1, abs=1e-3)
    assert s.factor(0.5) == pytest.approx(0.6)


def test_o_without_worst_writes_the_report_in_the_format_its_name_says(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`ttx stress S -r R -o week.html`: a buyer wants the page in a file, not a transcript."""
    runbook = str(SC / "runbooks" / "keel-fractional-cto.yaml")
    page, data = tmp_path / "week.html", tmp_path / "week.json"
    assert main(["stress", RANSOM, "-r", runbook, "-n", "1", "-o", str(page)]) == 0
    assert main(["stress", RANSOM, "-r", runbook, "-n", "1", "-o", str(data)]) == 0
    assert capsys.readouterr().out == ""
    assert page.read_text().startswith("<!DOCTYPE html>") and "Keel Partners" in page.read_text()
    assert json.loads(data.read_text())["runbook"]["id"] == "keel-fractional-cto"
    assert main(["stress", RANSOM, "-r", runbook, "-n", "1", "-o", str(page)]) == 1  # never replaced by accident
    assert "already exists; add --force" in capsys.readouterr().err


# --- the worst night ---------------------------------------------------------------------------


def test_worst_night_transcript_scores_verifies_and_catches_an_edited_draw(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "worst.ttx.jsonl"
    runbook = str(SC / "runbooks" / "keel-fractional-cto.yaml")
    assert main(["stress", RANSOM, "-r", runbook, "-n", "2", "--format", "json", "--worst", "-o", str(out)]) == 0
    res = json.loads(capsys.readouterr().out)
    tr = read(str(out))
    head = tr.header["stress"]
    assert head["starts"] == res["worst"]["start"] and head["sample"] == res["worst"]["sample"] >= 1
    assert head["model"]["ttx"] == "stress/v1" and head["draws"]
    assert verify(tr) == []
    assert main(["score", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["scorecard"]["overall"] == res["worst"]["score"]
    assert main(["export", str(out), "--format", "md"]) == 0
    assert "worst" not in capsys.readouterr().err
    # edit one draw: the chain breaks; recompute the chain as a forger would: the seed does not give it
    draw = head["draws"][0]
    if "factor" in draw:
        draw["factor"] = round(draw["factor"] * 0.5, 6)
    else:
        draw.pop("unreachable")
    forged = render_transcript(tr.header, tr.events)
    (tmp_path / "forged.ttx.jsonl").write_text(forged)
    problems = verify(read(str(tmp_path / "forged.ttx.jsonl")))
    assert problems and f"({draw['key']}) is not what seed 0 gives" in problems[0]
    lines = out.read_text().split("\n")
    lines[0] = lines[0].replace(json.dumps(head["draws"][0]["key"]), json.dumps(head["draws"][0]["key"] + "x"), 1)
    (tmp_path / "edited.ttx.jsonl").write_text("\n".join(lines))
    assert "header was changed" in verify(read(str(tmp_path / "edited.ttx.jsonl")))[0]
    assert sha256_text(lines[1])  # the file still reads


# --- outputs -----------------------------------------------------------------------------------


def test_json_is_byte_identical_whatever_jobs(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["stress", RANSOM, "-r", str(SC / "runbooks" / "brightdesk-unlimited.yaml"), "-n", "2", "--format", "json"]
    assert main(args + ["--jobs", "1"]) == 0
    one = capsys.readouterr().out
    assert main(args + ["--jobs", "2"]) == 0  # forked workers where the platform allows
    assert capsys.readouterr().out == one
    # and workers started fresh (macOS, Windows, or a parent running threads), with 3 uneven workers
    monkeypatch.setattr(run, "_context", lambda: multiprocessing.get_context("spawn"))
    assert main(args + ["--jobs", "3"]) == 0
    assert capsys.readouterr().out == one


def test_text_heat_map_is_seven_rows_of_twenty_four_readable_cells(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stress", RANSOM, "-r", str(SC / "runbooks" / "sentinel-247.yaml"), "-n", "0"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if re.match(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)  ", line)]
    assert len(rows) == 14  # two maps: SLA held, mean score
    assert all(len(re.findall(r"[·0-9]+", row[5:])) == 24 for row in rows)
    assert "\x1b" not in out and max(len(line) for line in rows) <= 80
    assert "Weakest hours:" in out and "Stress model: ttx defaults" in out


def test_html_is_self_contained_escaped_and_uses_viridis(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sc = Path(RANSOM).read_text().replace("title: Ransomware on the file server", "title: <script>alert(1)</script>")
    (tmp_path / "s.yaml").write_text(sc)
    assert main(["stress", str(tmp_path / "s.yaml"), "-r", str(SC / "runbooks" / "acme-msp.yaml"), "-n", "0",
                 "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<svg" in page and "<script" not in page.lower()
    cells = re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', page)
    assert cells and set(cells) <= {viridis(i / 1000) for i in range(1001)} | {"#ffffff"}  # viridis, or no start
    assert "http" not in page.replace("http-equiv", "").replace("http://www.w3.org/2000/svg", "")


def test_html_wears_the_reports_page_and_reads_on_a_phone(capsys: pytest.CaptureFixture[str]) -> None:
    """One place for page style: the stress page has the report's head and CSS (with its phone layout), no style of
    its own beyond the heat map's; it stays self-contained; on a phone the week reads top to bottom (24 rows of 7)
    and the obligations become labelled cards."""
    from scoring.markup import CSS, html_head
    from tests.test_report import card_tables

    assert main(["stress", RANSOM, "-r", str(SC / "runbooks" / "acme-msp.yaml"), "-n", "0", "--format", "html"]) == 0
    page = capsys.readouterr().out
    title = "Stress: Ransomware on the file server against Acme Managed Services"
    report = html_head("x")
    assert page.startswith(report[: report.index("<title>")])  # the same doctype, CSP, viewport and referrer policy
    assert f"<title>{title}</title><style>{CSS}" in page and page.count("<style>") == 1
    assert page.rstrip().endswith("</main></body></html>")
    for banned in ("<script", "<link", "<img", "<iframe", "@import", "url("):
        assert banned not in page.lower()
    # each heat map twice: 7 rows x 24 hours on a screen and on paper, 24 rows x 7 days on a phone
    svgs = re.findall(r"<svg [^>]*aria-label=\"([^\"]+)\"[^>]*viewBox=\"0 0 (\d+) (\d+)\"|<svg [^>]*viewBox=\"0 0 (\d+) (\d+)\"[^>]*"
                      r"aria-label=\"([^\"]+)\"", page)
    sizes = [(int(a or d), int(b or e)) for _, a, b, d, e, _ in svgs]
    assert sizes == [(864, 208), (356, 552)] * 2  # wide fits the page, tall fits a 390-px phone
    assert page.count('<div class="wide-only"><svg') == 2 and page.count('<div class="phone"><svg') == 2
    assert ".phone{display:none}" in CSS and ".wide-only{display:none}" in CSS  # CSS picks one, no script
    # the colour scale is drawn beside each map, from its low end to its high end
    assert '<span class="scale"><svg' in page and ">0%</text>" in page and ">100%</text>" in page
    # cells say "<1%" rather than "0%" when the promise held on a few nights: the same words as the text output
    obligations = card_tables(page)["cards"]
    assert obligations["head"][:3] == ["obligation", "category", "met"]
    assert obligations["rows"][0][:3] == [("", "Acknowledge the alert"), ("category", "sla"), ("met", "0%")]


def test_every_heat_map_value_is_legible_on_its_cell(capsys: pytest.CaptureFixture[str]) -> None:
    """The number in each cell contrasts with its colour by at least WCAG's 4.5:1 for small text, across the scale."""
    def lum(hex_: str) -> float:
        cs = [int(hex_[k:k + 2], 16) / 255 for k in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in cs)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    assert main(["stress", RANSOM, "-r", str(SC / "runbooks" / "sentinel-247.yaml"), "-n", "0", "--format", "html"]) == 0
    page = capsys.readouterr().out
    pairs = re.findall(r'fill="(#[0-9a-f]{6})"><title>[^<]*</title></rect><text [^>]*fill="(#[0-9a-f]{6})"', page)
    assert len(pairs) == 2 * 2 * 168  # two maps, each drawn wide and tall, a cell per start
    pairs += [(viridis(i / 100), ink(viridis(i / 100))) for i in range(101)]  # and every shade the scale has
    for cell, text in pairs:
        hi, lo = sorted((lum(cell), lum(text)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (cell, text)


def test_json_follows_the_published_schema(capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    schema = json.loads((ROOT / "docs" / "stress.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert main(["stress", RANSOM, "-r", str(SC / "runbooks" / "acme-msp.yaml"), "-n", "1", "--format", "json"]) == 0
    jsonschema.Draft202012Validator(schema).validate(json.loads(capsys.readouterr().out))


def test_compare_stress_ranks_on_the_week_beside_as_stated(capsys: pytest.CaptureFixture[str]) -> None:
    runbooks = [str(SC / "runbooks" / n) for n in ("acme-msp.yaml", "sentinel-247.yaml")]
    assert main(["compare", "--stress", "-s", RANSOM, "-r", *runbooks, "--samples", "0", "--format", "json"]) == 0
    k = json.loads(capsys.readouterr().out)
    assert [c["runbook"] for c in k["candidates"]] == ["sentinel-247", "acme-msp"]
    acme = k["candidates"][1]
    assert acme["as_stated"] == 37.64 and acme["rank"] == 2  # SPEC section 11, beside the week
    assert main(["stress", RANSOM, "-r", runbooks[0], "--samples", "0", "--format", "json"]) == 0
    assert acme["week_mean"] == json.loads(capsys.readouterr().out)["summary"]["mean_score"]
    assert main(["compare", "--stress", "-s", RANSOM, "-r", *runbooks, "--samples", "0"]) == 0
    text = capsys.readouterr().out
    assert "Ranked on the week" in text and "Sentinel 24x7 MDR (sentinel-247)" in text and "Stress model" in text


def pooled_plan(staff: int, clients: int, samples: int = 1) -> run.Plan:
    """Sentinel with its SOC analyst (the security lead) shared with other clients."""
    from simulator.model import Pool

    pair = open_pair(RANSOM, str(SC / "runbooks" / "sentinel-247.yaml"))
    roles = dict(pair.runbook.roles)
    roles["soc_analyst"] = attrs.evolve(roles["soc_analyst"], pool=Pool(staff, clients))
    rb = attrs.evolve(pair.runbook, roles=roles)
    model = attrs.evolve(DEFAULT, unreachable=0.0)  # only the pool's wait
    starts, _ = sweep.week(pair.scenario.starts, pair.scenario.timezone)
    return run.Plan(pair.scenario, rb, model, starts, samples)


def test_a_pooled_role_waits_as_erlang_c_says() -> None:
    # 2 staff for 360 clients at 2 incidents per client-month of 3h: a = 360·2/720·3 = 3 > 2: overloaded;
    # 540 clients at 2/3 per month is out of reach of the default demand, so use 120 clients: a = 1 erlang,
    # P(wait) = C(2, 1) = 1/3 and a waiting page waits Exp(rate (2 − 1)/3h): 3h on average
    plan = pooled_plan(2, 120)
    q = plan.queues()["soc_analyst"]
    assert q.load == pytest.approx(1.0) and q.p_wait == pytest.approx(1 / 3)
    waits = []
    for sample in range(1, 3001):
        night = run.night(plan, plan.starts[0], sample, plan.queues())
        assert night is not None
        night.page("soc_analyst", plan.runbook.roles["soc_analyst"].responds)
        waits.append(night.draws[0].get("wait", 0))
    waiting = [w for w in waits if w]
    assert len(waiting) / len(waits) == pytest.approx(1 / 3, abs=0.03)
    assert sum(waiting) / len(waiting) / 3600 == pytest.approx(3.0, rel=0.1)


def test_an_overloaded_pool_never_answers_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    plan = pooled_plan(2, 360)  # a = 3 erlangs on 2 staff
    start = plan.starts[0]
    events, _ = run.play_one(plan, run.at(plan, start), run.night(plan, start, 1))
    page = next(e for e in events if e.type == "page" and e.data["role"] == "soc_analyst")
    assert page.data["answers_at"] is None and "overloaded" in page.data["why"]
    assert not any(e.type == "answer" and e.data["role"] == "soc_analyst" for e in events)
    assert any(e.type == "page" and e.data["role"] == "soc_lead" and e.data["backs"] == "soc_analyst" for e in events)
    rows = aggregate.pool_rows(plan)
    assert rows[0]["overloaded"] and "never answered" in rows[0]["text"]


def test_progress_draws_a_bar_on_a_terminal_and_nothing_when_piped() -> None:
    import io

    from simulator.stress.cli import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        p = Progress(16800, stream)
        p(8400)
        p(16800)
        p.close()
    assert "] 16,800/16,800 plays, 0:00 left" in tty.getvalue() and "[" + "#" * 30 + "]" in tty.getvalue()
    assert pipe.getvalue() == ""


def test_tui_week_view_from_the_results_screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from simulator.tui import week
    from simulator.tui.app import make_app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(week, "SAMPLES", 1)
    app = make_app(scenario=RANSOM, runbook=str(SC / "runbooks" / "acme-msp.yaml"), output=str(tmp_path / "ex.ttx.jsonl"),
                   wall=lambda: 0.0, stamp=lambda: "2026-11-22T10:00:00.000Z")

    def body() -> str:
        return str(app.screen.query_one("#week-body").render())

    async def drive() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("E", "y", "escape")  # end at once, no hotwash: the results screen
            await pilot.pause()
            assert type(app.screen).__name__ == "ResultsScreen"
            await pilot.press("w")
            await pilot.pause()
            assert type(app.screen).__name__ == "WeekScreen"
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "Mean overall score, by weekday" in body() and "168 plays" in body()
            await pilot.press("s")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "168 starts × 1 sampled nights" in body()
            await pilot.press("escape")
            await pilot.pause()
            assert type(app.screen).__name__ == "ResultsScreen"

    asyncio.run(drive())


def test_a_rare_success_is_not_printed_as_never_and_times_read_as_words() -> None:
    """4 good nights in 840 read "<1%": "0%" would tell a board the promise never held."""
    from scoring.stress_report import _when, pct

    assert _when("2026-03-14T02:07:00") == "Sat 14 Mar 2026 02:07"  # the as-stated night, not an ISO stamp
    assert [pct(0.0), pct(4 / 840), pct(0.2), pct(836 / 840), pct(1.0), pct(None)] == ["0%", "<1%", "20%", ">99%", "100%", "—"]


def test_weakest_hours_give_each_cause_once_with_the_hours_it_explains(capsys: pytest.CaptureFixture[str]) -> None:
    """The fractional CTO works Mon-Fri 07:00-22:00, so every start from Friday 22:07 to Sunday 19:07 fails the same way:
    the reader gets that cause once, after that run of hours, in the text, the Markdown and the HTML alike; the JSON
    names, for each weakest hour, every start whose cause reads the same."""
    args = ["stress", RANSOM, "-r", str(SC / "runbooks" / "keel-fractional-cto.yaml"), "-n", "0"]
    pages = {}
    for fmt in ("text", "md", "html", "json"):
        assert main(args + ["--format", fmt]) == 0
        pages[fmt] = capsys.readouterr().out
    text = pages["text"]
    weakest = text[text.index("Weakest hours:"):text.index("Obligations over the week")].splitlines()
    assert weakest[1] == "  Fri 22:07–Sun 19:07: every SLA met on 0% of nights, mean score 30.7"
    assert len([line for line in weakest if line.startswith("  ") and not line.startswith("    ")]) == 1
    for fmt in ("text", "md", "html"):
        part = pages[fmt][pages[fmt].index("eakest hours"):pages[fmt].index("bligations over the week")].replace("\\_", "_")
        assert part.count("works cto_phone hours (mon-fri 07:00-22:00") == 1
        assert part.count("Fri 22:07–Sun 19:07") == 1 and "As stated at Fri 22:07: Fractional CTO (fractional_cto) works cto_phone" in part
    result = json.loads(pages["json"])
    same = result["weakest"][0]["same_cause"]
    assert len(same) == 46 and same[0] == "2026-03-13T22:07:00" and same[-1] == "2026-03-15T19:07:00"
    assert all(w["same_cause"] == same for w in result["weakest"])


def test_weakest_hour_groups_keep_worst_first_and_name_each_run_of_hours_once() -> None:
    from scoring.stress_report import weak_groups

    def start(iso: str, label: str, held: float, score: float) -> dict:
        return {"start": iso, "label": label, "sla_held": held, "mean_score": score}

    starts = [start("2026-03-14T23:07:00", "Sat 23:07", 0.1, 25.0), start("2026-03-15T00:07:00", "Sun 00:07", 0.3, 30.0),
              start("2026-03-15T01:07:00", "Sun 01:07", 0.3, 31.0), start("2026-03-15T03:07:00", "Sun 03:07", 0.0, 20.0),
              start("2026-03-16T02:07:00", "Mon 02:07", 0.2, 26.0)]
    cto = [x["start"] for x in starts[:4]]

    def weak(i: int, who: str, same: list[str]) -> dict:
        x = starts[i]
        return x | {"causes": [f"engage met in {x['sla_held']:.0%} of nights. As stated: {who} paged {x['label'][:3]} 02:52"],
                    "same_cause": same}

    r = {"starts": starts, "weakest": [weak(3, "cto", cto), weak(0, "cto", cto), weak(4, "soc", [starts[4]["start"]]),
                                       weak(1, "cto", cto)]}
    groups = weak_groups(r)
    assert [(g["hours"], g["sla_held"], g["mean_score"]) for g in groups] == [
        ("Sat 23:07–Sun 01:07 and 03:07", "0%–30%", "20.0–31.0"), ("Mon 02:07", "20%", "26.0")]
    assert groups[0]["causes"] == ["engage met in 0% of nights. As stated at Sun 03:07: cto paged Sun 02:52"]
    assert groups[1]["causes"] == ["engage met in 20% of nights. As stated: soc paged Mon 02:52"]
