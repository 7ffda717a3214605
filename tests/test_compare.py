"""`ttx compare`: exact results for the SPEC section 11 pair, ordering properties across whatever library
is shipped, ties, duplicates, live transcripts, bad files and every output format."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from scoring.compare import render
from simulator.cli import main
from simulator.events import Event
from simulator.exercise import compare, open_pair, run_auto
from tests.helpers import ROOT
from tests.test_report import HOSTILE, _parse_html, hostile_docs, transcript_from

SPEC_SCENARIO = str(ROOT / "scenarios" / "ransomware-fileserver.yaml")
SPEC_RUNBOOK = str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")
SCENARIOS = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
RUNBOOKS = sorted(str(p) for p in (ROOT / "scenarios" / "runbooks").glob("*.yaml"))


@pytest.fixture(scope="module")
def library():
    return compare(SCENARIOS, RUNBOOKS)


def test_spec_pair_exactly():
    c = compare([SPEC_SCENARIO], [SPEC_RUNBOOK])
    (acme,) = c.candidates
    assert (acme.rank, acme.key, acme.mean, acme.rating) == (1, "acme-msp", 37.64, "U")
    assert acme.categories == {"sla": (18.06, "U"), "communication": (26.04, "U"), "response": (100.0, "P")}
    assert acme.counts == {"met": 2, "late": 4, "missed": 2, "open": 0}
    assert acme.serious == 4
    assert {t.finding.code for t in acme.top_findings} == {"business-hours-only", "channel-mismatch", "comm-window-too-long",
                                                           "channel-down"}
    text = render(c, "text")
    assert re.search(r"^  1 +Acme Managed Services \(acme-msp\) +37\.64 +U +2/4/2 +4$", text, re.M)
    assert "ransomware-fileserver" in text and "18.06 U" in text and "100.00 P" in text


def test_every_cell_is_the_single_pair_score(library):
    """compare is the same judgement as `ttx run` on each pair, only batched."""
    by_path = {(col.path, cand.path): cand.cell(col.key) for cand in library.candidates for col in library.columns}
    assert len(by_path) == len(SCENARIOS) * len(RUNBOOKS)
    for (s, r), cell in by_path.items():
        card = run_auto(open_pair(s, r)).card
        assert (cell.card.overall, cell.card.rating, cell.card.results) == (card.overall, card.rating, card.results), (s, r)


def test_ranking_follows_the_mean_and_is_complete(library):
    ranks = [c.rank for c in library.candidates]
    assert ranks == list(range(1, len(RUNBOOKS) + 1))
    means = [c.mean for c in library.candidates]
    assert means == sorted(means, reverse=True)
    for cand in library.candidates:
        overall = [cell.card.overall for cell in cand.cells]
        assert cand.mean == round(math.fsum(overall) / len(overall), 2)  # fsum, as compare does: 22.405 must not become 22.41 by order
        assert len(cand.cells) == len(SCENARIOS)


def test_order_does_not_depend_on_the_arguments(library):
    again = compare(list(reversed(SCENARIOS)), list(reversed(RUNBOOKS)))
    assert [c.key for c in again.candidates] == [c.key for c in library.candidates]
    assert [c.mean for c in again.candidates] == [c.mean for c in library.candidates]


def _first_responders_always_on(rb) -> bool | None:
    """True: every first responder works 24x7; False: every one works set hours; None: mixed or none."""
    cals = [rb.calendar(rb.roles[r]).always for r in rb.fillers("first_responder")]
    if not cals:
        return None
    return True if all(cals) else (False if not any(cals) else None)


def test_round_the_clock_first_response_beats_set_hours_on_nights_nobody_answers(library):
    """Where a runbook whose first responders all work set hours never acknowledges (its people are off
    for the whole exercise), nothing in its plan starts and it scores 0; a runbook with a 24x7 first
    responder acknowledges the same night and scores above it."""
    always = [c for c in library.candidates if _first_responders_always_on(c.runbook) is True]
    office = [c for c in library.candidates if _first_responders_always_on(c.runbook) is False]
    if not always or not office:
        pytest.skip("the shipped library has no 24x7-first-responder vs set-hours-first-responder pair")
    checked = 0
    for col in library.columns:
        for slow in office:
            cell = slow.cell(col.key)
            if cell.card.metrics.time_to_acknowledge is not None:
                continue  # its people were in during the exercise: no claim
            assert cell.card.overall == 0.0
            # missed, or open (due after the horizon, so left out of the score: SPEC section 7)
            assert all(r.status in ("missed", "open") for r in cell.card.results)
            for fast in always:
                other = fast.cell(col.key)
                assert other.card.metrics.time_to_acknowledge is not None, (fast.key, col.key)
                assert other.card.overall > cell.card.overall, (fast.key, slow.key, col.key)
                checked += 1
    assert checked, "expected at least one night where the set-hours first responder never answers"


def test_ties_go_by_provider_name_then_id(tmp_path):
    doc = yaml.safe_load(Path(SPEC_RUNBOOK).read_text(encoding="utf-8"))
    paths = []
    for rid, provider in (("zz-first-by-id", "Zeta Services"), ("aa-second", "Alpha Services"), ("bb", "Alpha Services")):
        p = tmp_path / f"{rid}.yaml"
        p.write_text(yaml.safe_dump(doc | {"id": rid, "provider": provider}, sort_keys=False), encoding="utf-8")
        paths.append(str(p))
    c = compare([SPEC_SCENARIO], paths)
    assert [x.mean for x in c.candidates] == [37.64] * 3
    assert [x.key for x in c.candidates] == ["aa-second", "bb", "zz-first-by-id"]


def test_a_file_given_twice_counts_once(tmp_path):
    c = compare([SPEC_SCENARIO, SPEC_SCENARIO], [SPEC_RUNBOOK, str(Path(SPEC_RUNBOOK).parent / "." / "acme-msp.yaml")])
    assert len(c.columns) == 1 and len(c.candidates) == 1


def test_two_files_with_the_same_id_are_told_apart(tmp_path):
    copy = tmp_path / "acme-msp.yaml"
    shutil.copy(SPEC_RUNBOOK, copy)
    c = compare([SPEC_SCENARIO], [SPEC_RUNBOOK, str(copy)])
    keys = [x.key for x in c.candidates]
    assert len(set(keys)) == 2 and all(k.startswith("acme-msp (") for k in keys)


def test_live_transcripts_sit_beside_the_as_stated_score(tmp_path):
    sc, rb = hostile_docs()
    played, tr = transcript_from(sc, rb, "live", [Event(60, "note", {"text": "n"})])
    path = tmp_path / "live.ttx.jsonl"
    path.write_text("\n".join(tr.lines) + "\n", encoding="utf-8")
    c = compare([SPEC_SCENARIO], [SPEC_RUNBOOK], [str(path)])
    (lv,) = c.live
    assert lv.live.mode == "live" and lv.live.overall == played.card.overall
    assert lv.as_stated.mode == "auto"
    data = json.loads(render(c, "json"))
    schema = json.loads((ROOT / "docs" / "compare.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["live"][0]["live"]["overall"] == played.card.overall
    out = render(c, "html")
    assert "Live exercises" in out and "<script" not in out


def test_bad_files_are_one_clear_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("ttx: runbook/v1\nid: x\nprovider: P\nmodel: msp\nroles: [\n", encoding="utf-8")
    assert main(["compare", "-s", SPEC_SCENARIO, "-r", str(bad)]) == 1
    err = capsys.readouterr().err
    assert re.match(rf"^{re.escape(str(bad))}:\d+:\d+: ", err) and "Traceback" not in err
    assert main(["compare", "-s", str(tmp_path / "missing.yaml"), "-r", SPEC_RUNBOOK]) == 1
    assert "missing.yaml" in capsys.readouterr().err
    assert main(["compare", "-s", SPEC_SCENARIO, "-r", SPEC_RUNBOOK, "-t", str(tmp_path / "none.ttx.jsonl")]) == 1
    assert "none.ttx.jsonl: no such file" in capsys.readouterr().err


def test_formats(library, tmp_path, capsys):
    md = render(library, "md")
    assert md.startswith(f"# Candidate comparison: {len(RUNBOOKS)} runbooks on {len(SCENARIOS)} scenarios")
    for heading in ("## Ranking", "## Scores by scenario", "## Category scores", "## Top findings per candidate"):
        assert heading in md
    data = json.loads(render(library, "json"))
    schema = json.loads((ROOT / "docs" / "compare.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["ttx"] == "compare/v1"
    assert [x["rank"] for x in data["candidates"]] == list(range(1, len(RUNBOOKS) + 1))
    assert [x["id"] for x in data["candidates"]] == [c.runbook.id for c in library.candidates]
    assert all(len(x["scores"]) == len(SCENARIOS) for x in data["candidates"])
    html = render(library, "html")
    tags = _parse_html(html).tags
    assert not [t for t, _ in tags if t in ("script", "img", "iframe")]
    assert html.count("<tr>") >= len(RUNBOOKS)
    # the one command a newcomer runs
    out = tmp_path / "compare.html"
    assert main(["compare", "-s", *SCENARIOS, "-r", *RUNBOOKS, "-f", "html", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == html


def test_a_finding_worded_differently_across_scenarios_says_whose_words_it_shows(library):
    """Across the library Acme's "sent email but takes only phone" names each scenario's own CEO: the line says
    which scenario's words it shows, in every format, rather than passing one CEO's name off for all."""
    acme = next(x for x in library.candidates if x.runbook.id == "acme-msp")
    ceo = next(t for t in acme.top_findings if t.finding.code == "channel-mismatch" and t.finding.subject == "ceo")
    assert ceo.varies and len(ceo.scenarios) > 1
    first = ceo.scenarios[0]
    seen = f"{len(ceo.scenarios)} of {len(SCENARIOS)} scenarios; worded as in {first}"
    assert f"{ceo.finding.message} [{seen}]" in render(library, "text")
    assert f"({seen})" in render(library, "md")
    top = next(t for t in next(x for x in json.loads(render(library, "json"))["candidates"] if x["id"] == "acme-msp")["top_findings"]
               if t["code"] == "channel-mismatch" and t["subject"] == "ceo")
    assert top["worded_as"] == first
    # one wording everywhere: nothing to say
    same = [t for x in library.candidates for t in x.top_findings if not t.varies]
    assert same and all("worded as" not in t.seen_in(len(SCENARIOS)) for t in same)


def test_hostile_provider_is_escaped_in_every_format(tmp_path):
    sc, rb = hostile_docs()
    s, r = tmp_path / "s.yaml", tmp_path / "r.yaml"
    s.write_text(yaml.safe_dump(sc), encoding="utf-8")
    r.write_text(yaml.safe_dump(rb), encoding="utf-8")
    c = compare([str(s)], [str(r)])
    html = render(c, "html")
    tags = _parse_html(html).tags
    assert not [t for t, _ in tags if t in ("script", "img", "iframe")]
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = render(c, "md")
    assert not re.search(r"(?<!\\)<", md) and "\n# not a heading" not in md
    text = render(c, "text")
    assert "\n# not a heading" not in text  # newlines from the files never start a new line
    assert json.loads(render(c, "json"))["candidates"][0]["provider"] == HOSTILE


def test_score_matrix_heads_columns_with_short_names_and_keeps_the_full_one(library):
    """Eleven candidates fit the page: a column says "#10 BrightDesk IT" (its tooltip the id; the ranking above it
    gives the full name)."""
    html = render(library, "html")
    matrix = html[html.index('<section id="matrix">'):html.index('<section id="categories">')]
    heads = re.findall(r'<th title="([^"]*)">(#\d+ [^<]*)</th>', matrix)
    assert len(heads) == len(RUNBOOKS)
    for x, (title, head) in zip(library.candidates, heads):
        assert head.startswith(f"#{x.rank} ") and "(" not in head
        assert title == x.key
    assert any(head.endswith(" BrightDesk IT") and title == "brightdesk-unlimited" for title, head in heads)


def test_html_ranking_reads_as_labelled_cards_on_a_phone():
    """The comparison wears the reports' page (head, CSS); on a phone its ranking and category scores are cards
    whose every value names its column, so a board member reading on a phone knows which number is which."""
    from scoring.markup import CSS, html_head
    from tests.test_report import card_tables

    page = render(compare([SPEC_SCENARIO], [SPEC_RUNBOOK, str(ROOT / "scenarios" / "runbooks" / "sentinel-247.yaml")]), "html")
    head = html_head("x")
    assert page.startswith(head[: head.index("<title>")]) and CSS in page
    tables = card_tables(page)
    ranking = tables["scores cards"]["rows"]
    assert [row[0] for row in ranking] == [("Rank", "1"), ("Rank", "2")]
    assert ranking[1][3:5] == [("Mean score", "37.64"), ("HSEEP rating", "U unable to be performed")]
    categories = tables["cards"]["rows"]
    assert [label for label, _ in categories[1][1:]] == ["Service levels (SLA)", "Communication", "Response"]
    # the matrix too: a card per scenario, each score a tile named by its candidate (no sideways scroll on a phone); the
    # name is text shown on a phone only (a provider's name never goes into an attribute)
    matrix = tables["matrix cards"]["rows"]
    assert matrix == [[("", "Ransomware on the file server P1"), ("", "#1 Sentinel 24x7 MDR 81.60 S"), ("", "#2 Acme Managed Services 37.64 U")],
                      [("", "Mean"), ("", "#1 Sentinel 24x7 MDR 81.60 S"), ("", "#2 Acme Managed Services 37.64 U")]]
    assert page.count('<span class="phone who">#2 Acme Managed Services</span>') == 2
    assert "table.matrix.cards tr{display:grid;grid-template-columns:repeat(2,minmax(0,1fr))" in page
    # and each candidate's top findings: the finding names the card, the rest labelled
    assert tables["findings cards"]["rows"][0][1:] == [("Seen in", "1 of 1"), ("Question to put before signing",
                                                        "Your security lead works set hours: who answers a P1 at 02:07 on a Saturday?")]
