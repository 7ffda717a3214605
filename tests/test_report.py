"""The after-action report (SPEC section 9) and the JSON export: golden files for the SPEC section 11
pair, structure and escaping with hostile input, the JSON Schema, and atomic writes.

Regenerate the golden files after an intended change with `TTX_UPDATE_GOLDEN=1 pytest tests/test_report.py`
and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser

import jsonschema
import pytest
import yaml

from scoring.exports import export
from scoring.played import Played
from simulator import __version__
from simulator.cli import main
from simulator.events import Event
from simulator.exercise import open_pair, open_transcript, run_auto
from simulator.transcript import Source, Transcript, make_header, parse, render
from tests.helpers import ROOT, base_runbook, base_scenario

GOLDEN = ROOT / "tests" / "golden"
SPEC_SCENARIO = "scenarios/ransomware-fileserver.yaml"
SPEC_RUNBOOK = "scenarios/runbooks/acme-msp.yaml"
SCHEMA = json.loads((ROOT / "docs" / "scorecard.schema.json").read_text(encoding="utf-8"))

# Text that would do something if any format let it through: HTML/script, a javascript: link,
# Markdown table/emphasis/code/heading/math syntax, a Mermaid directive, statement break and fence close.
HOSTILE = ('<script>alert(1)</script> "><img src=x onerror=alert(2)> [click](javascript:alert(3)) '
           '<a href="javascript:alert(4)">x</a> | `tick` *b* _i_ $x$ %%{init: {}}%% ; A->>B: end\n```\n# not a heading')


# --- building transcripts -----------------------------------------------------------------------


def spec_transcript(monkeypatch: pytest.MonkeyPatch) -> tuple[Played, Transcript]:
    """The SPEC section 11 pair played as stated, with the paths as a user in the repository types them."""
    monkeypatch.chdir(ROOT)
    run = run_auto(open_pair(SPEC_SCENARIO, SPEC_RUNBOOK))
    tr = parse("spec.ttx.jsonl", run.transcript)
    return open_transcript(tr), tr


def hostile_docs() -> tuple[dict, dict]:
    sc = base_scenario(
        title=HOSTILE, summary=HOSTILE,
        stakeholders={"client_it_lead": {"name": HOSTILE, "channels": ["phone", "email"]},
                      "ceo": {"name": "CEO " + HOSTILE, "channels": ["phone"]}},
        curveballs=[{"at": "30m", "channel_down": "email", "for": "2h"}],
        injects=[{"id": "alert", "at": "0m", "source": HOSTILE, "message": HOSTILE, "questions": [HOSTILE],
                  "expects": [{"acknowledge": {"within": "15m"}}, {"notify": "client_it_lead", "within": "30m"},
                              {"update": "ceo", "every": "1h"}]}])
    rb = base_runbook(
        provider=HOSTILE,
        roles={"noc": {"name": HOSTILE, "fills": ["first_responder", "incident_commander"], "hours": "always", "responds": "10m"}},
        communication=[{"notify": ["client_it_lead"], "via": "phone", "by": "noc", "when": "declared", "within": "20m"},
                       {"update": ["ceo"], "via": "email", "by": "noc", "every": "1h"}])
    return sc, rb


def transcript_from(sc: dict, rb: dict, mode: str = "auto", extra: list[Event] | None = None) -> tuple[Played, Transcript]:
    """Play the pair as stated; in live mode the same events plus `extra`, as a facilitator might record them."""
    from simulator.exercise import Pair
    from simulator.loading import load_text

    sc_text, rb_text = yaml.safe_dump(sc, sort_keys=False), yaml.safe_dump(rb, sort_keys=False)
    s = load_text("s.yaml", sc_text, "scenario").value
    r = load_text("r.yaml", rb_text, "runbook").value
    pair = Pair(s, r, Source("scenario", s.id, "s.yaml", sc_text), Source("runbook", r.id, "r.yaml", rb_text))
    events = run_auto(pair).events
    if extra:
        events = sorted(events + extra, key=lambda e: e.t)
    events = [Event(e.t, e.type, e.data, i + 1) for i, e in enumerate(events)]
    created = "2026-03-14T08:00:00Z" if mode == "live" else None
    tr = parse("t.ttx.jsonl", render(make_header(mode, pair.scenario_src, pair.runbook_src, created=created), events))
    return open_transcript(tr), tr


# --- golden files -------------------------------------------------------------------------------


def _golden(name: str, text: str) -> None:
    text = text.replace(__version__, "VERSION")  # a version bump is not a report change
    path = GOLDEN / name
    if os.environ.get("TTX_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with TTX_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file (TTX_UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize("fmt,name", [("md", "spec-example.md"), ("json", "spec-example.json")])
def test_golden_spec_example(monkeypatch, fmt, name):
    played, tr = spec_transcript(monkeypatch)
    _golden(name, export(played, fmt))


def test_spec_example_report_says_what_a_board_needs(monkeypatch):
    played, tr = spec_transcript(monkeypatch)
    text = export(played, "md")
    assert text.splitlines()[2].startswith("**Verdict:** Not ready")
    assert "Overall 37.64/100 (U: unable to be performed); 2 of 8 obligations met on time, 4 late, 2 missed" in text
    sections = re.findall(r"^## (.+)$", text, re.M)
    assert sections == ["Exercise overview", "Scorecard", "Communication", "Strengths", "Areas for improvement",
                        "Improvement plan", "Promised vs delivered", "Questions to put to the candidate before signing",
                        "Timeline"]
    # improvement plan: finding, corrective action, owner (the provider), due
    assert ("| **high**: the only security lead — SOC manager (soc\\_manager), business hours mon-fri 08:00-18:00 — works set hours, for a P1 "
            "| Put a 24x7 role (or an on-call rota) behind the security lead for P1 incidents. | Acme Managed Services "
            "| before signing |") in text
    # promised vs delivered, as stated: the SLA beside what the plan achieves on this night
    assert "| Time to acknowledge | 15m | 35m | broken |" in text
    assert "| Time to restore service | 4h | 5h50m | broken |" in text
    # questions come from the findings, once each, plus the scenario's own
    assert "1. Your security lead works set hours: who answers a P1 at" in text
    assert "- Who has authority to take FS01 offline at 2 a.m.?" in text
    # the sequence diagram: the one delivered phone call, and the undelivered email updates crossed out
    assert "P1->>P2: Sat 03:57 notify by phone" in text
    assert text.count("-xP3:") == 5 and "NOT delivered: ceo takes only phone" in text


def test_live_report_shows_promised_vs_delivered(monkeypatch):
    sc, rb = base_scenario(), base_runbook()
    note = Event(300, "note", {"text": "candidate says the NOC would call at once"})
    played, tr = transcript_from(sc, rb, "live", [note])
    text = export(played, "md")
    assert "| Metric | Promised | As stated | Live | Promise |" in text
    assert "| Time to acknowledge | 15m | 10m | 10m | kept |" in text
    assert "Note: candidate says the NOC would call at once" in text
    assert "| **Recorded** | 2026-03-14T08:00:00Z |" in text


# --- JSON Schema --------------------------------------------------------------------------------


def test_schema_is_valid_and_spec_export_validates(monkeypatch):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    played, tr = spec_transcript(monkeypatch)
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(export(played, "json")))
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(export(Played(played.card), "json")))


def test_every_shipped_pair_and_a_live_one_validate():
    validator = jsonschema.Draft202012Validator(SCHEMA)
    scenarios = sorted((ROOT / "scenarios").glob("*.yaml"))
    runbooks = sorted((ROOT / "scenarios" / "runbooks").glob("*.yaml"))
    assert scenarios and runbooks
    for s in scenarios:
        for r in runbooks:
            run = run_auto(open_pair(str(s), str(r)))
            errors = sorted(validator.iter_errors(json.loads(export(run.played(), "json"))), key=str)
            assert not errors, f"{s.name} x {r.name}: {errors[0]}"
    played, tr = transcript_from(*hostile_docs(), "live", [Event(60, "note", {"text": HOSTILE})])
    validator.validate(json.loads(export(played, "json")))


def test_csv_is_one_row_per_obligation(monkeypatch):
    import csv
    import io

    played, tr = spec_transcript(monkeypatch)
    rows = list(csv.DictReader(io.StringIO(export(played, "csv"))))
    assert [r["id"] for r in rows] == [r.id for r in played.card.results]


# --- hostile input: HTML ------------------------------------------------------------------------


class _Doc(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse_html(text: str) -> _Doc:
    doc = _Doc()
    doc.feed(text)
    doc.close()
    return doc


class _CardTables(HTMLParser):
    """The tables a phone shows as labelled cards (class `cards`): each one's column heads, and per row each
    cell as (the label a phone prints before it, its text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.table: dict | None = None
        self.cell: list | None = None
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "cards" in (a.get("class") or "").split():
            self.table = {"class": a["class"], "head": [], "rows": []}
            self.tables.append(self.table)
        elif self.table is None:
            return
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr" and not self.in_head:
            self.table["rows"].append([])
        elif tag in ("td", "th"):
            self.cell = [a.get("data-label") or "", ""]

    def handle_endtag(self, tag):
        if self.table is None:
            return
        if tag == "thead":
            self.in_head = False
        elif tag in ("td", "th") and self.cell is not None:
            label, text = self.cell[0], " ".join(self.cell[1].split())
            (self.table["head"].append(text) if self.in_head else self.table["rows"][-1].append((label, text)))
            self.cell = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def card_tables(page: str) -> dict[str, dict]:
    """The card tables of a page by class, each cell's label checked against its column head (a phone hides the
    heads, so a label is all a reader has to know what the number is)."""
    doc = _CardTables()
    doc.feed(page)
    doc.close()
    for t in doc.tables:
        for row in t["rows"]:
            assert len(row) == len(t["head"]), (t["class"], row)
            assert all(label in ("", head) for (label, _), head in zip(row, t["head"], strict=True)), (t["class"], row)
    return {t["class"]: t for t in doc.tables}


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "h3", "p", "section",
                "div", "strong", "b", "small", "span", "table", "thead", "tbody", "tr", "th", "td", "code", "br", "a", "ul",
                "ol", "li", "figure", "figcaption", "footer", "svg", "line", "rect", "text", "tspan", "polygon", "path"}


def test_html_escapes_hostile_input_and_has_no_script():
    played, tr = transcript_from(*hostile_docs(), "live", [Event(60, "note", {"text": HOSTILE})])
    out = export(played, "html")
    doc = _parse_html(out)
    tags = {t for t, _ in doc.tags}
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for tag, attrs in doc.tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        for key in ("href", "src", "action", "xlink:href"):
            value = attrs.get(key)
            if value is not None:
                assert key == "href" and re.fullmatch(r"#e\d+", value), (tag, key, value)
    # the strict policy: no script, no network, styles inline only
    metas = [a for t, a in doc.tags if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert metas and metas[0]["content"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    # the hostile text is shown, literally, as text
    text = "".join(doc.text)
    assert "<script>alert(1)</script>" in text and 'onerror=alert(2)>' in text and "[click](javascript:alert(3))" in text
    assert "<script>" not in out and "<img" not in out and 'href="javascript' not in out
    # self-contained: nothing fetched from anywhere
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|data:|javascript:)""", out, re.I)
    assert "@import" not in out and "url(" not in out


def test_html_structure_for_the_spec_example(monkeypatch):
    played, tr = spec_transcript(monkeypatch)
    doc = _parse_html(export(played, "html"))
    ids = [a.get("id") for _, a in doc.tags if a.get("id")]
    for section in ("verdict", "overview", "scorecard", "communication", "strengths", "improvement", "plan", "promised",
                    "questions", "timeline"):
        assert section in ids
    # every evidence link points at a timeline row that exists
    rows = {i for i in ids if i.startswith("e")}
    links = [a["href"][1:] for t, a in doc.tags if t == "a"]
    assert links and set(links) <= rows
    svg = [a for t, a in doc.tags if t == "svg"]
    assert len(svg) == 1 and svg[0]["role"] == "img"
    lines = [a for t, a in doc.tags if t == "line" and a.get("stroke-width") == "2"]
    assert len(lines) == 11  # one arrow per message: 1 phone call + 10 email updates
    assert sum(1 for a in lines if "stroke-dasharray" in a) == 10  # the undelivered ones are dashed
    text = " ".join(doc.text)
    assert "Verdict:" in text and "37.64" in text and "Service levels (SLA)" in text


# --- hostile input: Markdown and Mermaid ----------------------------------------------------------


def test_markdown_escapes_hostile_input():
    played, tr = transcript_from(*hostile_docs(), "live", [Event(60, "note", {"text": HOSTILE})])
    out = export(played, "md")
    # no raw HTML can start (every `<` is backslash-escaped), no link can form (`[`, `]` escaped)
    assert not re.search(r"(?<!\\)<", out)
    assert not re.search(r"(?<!\\)\]\(", out) and "[click]" not in out
    # every line is inside the structure we wrote: no heading, fence or list started by the input
    headings = re.findall(r"^#+ .*$", out, re.M)
    assert all(not h_.startswith("# not") for h_ in headings)
    assert "\n# not a heading" not in out
    fences = [ln for ln in out.splitlines() if ln.startswith("```")]
    assert fences == ["```mermaid", "```"]
    # tables: every row of a table has as many unescaped pipes as its header
    lines = out.splitlines()
    for i, ln in enumerate(lines):
        if ln.startswith("| ") and i + 1 < len(lines) and lines[i + 1].startswith("| ---"):
            width = len(re.findall(r"(?<!\\)\|", ln))
            j = i + 2
            while j < len(lines) and lines[j].startswith("| "):
                assert len(re.findall(r"(?<!\\)\|", lines[j])) == width, lines[j]
                j += 1
    # emphasis, code and math markers from the input are escaped
    assert "\\`tick\\`" in out and "\\*b\\*" in out and "\\_i\\_" in out and "\\$x\\$" in out


def test_mermaid_labels_cannot_break_out():
    played, tr = transcript_from(*hostile_docs())
    out = export(played, "md")
    block = out.split("```mermaid\n", 1)[1].split("\n```", 1)[0].splitlines()
    assert block[0] == "sequenceDiagram"
    participant = re.compile(r"^    participant P\d+ as [A-Za-z0-9 .()_#;]+$")
    message = re.compile(r"^    P\d+(->>|-x)P\d+: [A-Za-z0-9 .,:()/_'#;-]+$")
    for ln in block[1:]:
        assert participant.match(ln) or message.match(ln), ln
    # the escapes are Mermaid entity codes, whole and decodable: `#60;` for `<`, never a bare `#`
    for ln in block[1:]:
        label = ln.split(" as ", 1)[1] if " as " in ln else ln.split(": ", 1)[1]
        assert re.fullmatch(r"(?:[^#;]|#\d+;)*", label), ln
    assert any("#60;script#62;" in ln for ln in block)


# --- atomic writes --------------------------------------------------------------------------------


@pytest.fixture
def transcript_file(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = tmp_path / "t.ttx.jsonl"
    assert main(["run", SPEC_SCENARIO, "--runbook", SPEC_RUNBOOK, "-o", str(path), "--format", "json"]) == 0
    return path


def test_export_writes_a_complete_file(transcript_file, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["export", str(transcript_file), "--format", "html", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left behind


def test_failed_render_leaves_the_previous_report(transcript_file, tmp_path, monkeypatch, capsys):
    out = tmp_path / "report.md"
    out.write_text("the previous good report\n", encoding="utf-8")
    import scoring.report

    def broken(o):
        raise RuntimeError("boom halfway")

    monkeypatch.setattr(scoring.report, "render_md", broken)
    assert main(["export", str(transcript_file), "--format", "md", "-o", str(out)]) == 70
    assert out.read_text(encoding="utf-8") == "the previous good report\n"
    assert "internal error" in capsys.readouterr().err


def test_interrupted_write_leaves_the_previous_report(transcript_file, tmp_path, monkeypatch, capsys):
    """The disk write itself fails after part of the report is written: the old file stays whole."""
    out = tmp_path / "report.html"
    out.write_text("the previous good report\n", encoding="utf-8")
    seen: list[int] = []

    def failing_fsync(fd):
        seen.append(os.fstat(fd).st_size)  # part of the new report is already in the temporary file
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    assert main(["export", str(transcript_file), "--format", "html", "-o", str(out)]) == 1
    assert seen and seen[0] > 1000
    assert out.read_text(encoding="utf-8") == "the previous good report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "t.ttx.jsonl"]  # temporary file removed
    assert "No space left on device" in capsys.readouterr().err


def test_compare_output_is_written_atomically(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "compare.html"
    out.write_text("previous\n", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(5, "I/O error")))
    assert main(["compare", "-s", SPEC_SCENARIO, "-r", SPEC_RUNBOOK, "-f", "html", "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare.html"]


def test_sequence_diagram_with_many_lanes_names_every_party_and_every_channel():
    """Seven lanes (DORA night, Sentinel): names wrap instead of being cut to "Head of compliance (…", and an
    arrow between neighbouring lanes still names its channel in full."""
    run = run_auto(open_pair(str(ROOT / "scenarios" / "dora-major-incident.yaml"),
                             str(ROOT / "scenarios" / "runbooks" / "sentinel-247.yaml")))
    played = open_transcript(parse("dora.ttx.jsonl", run.transcript))
    out = export(played, "html")
    svg = out[out.index("<svg"):out.index("</svg>")]
    shown = re.findall(r"<(?:text|tspan)[^>]*>(?:<title>[^<]*</title>)?([^<]+)<", svg)
    assert {"Managing director", "(ceo)"} <= set(shown) or "Managing director (ceo)" in shown
    assert "Head of compliance" in shown and "update by sms" in shown and "update by statuspage" in shown
    assert not [s for s in shown if s.startswith(("update by", "notify by")) and s.endswith("…")]


def test_on_a_phone_the_tables_a_reader_needs_are_labelled_cards(monkeypatch):
    """At phone width the obligations, promised-vs-delivered, plan and scores tables drop their heads (markup's
    `cards`), so every cell that is not the row's name carries its column's name; read here as a phone shows it."""
    from scoring.markup import CSS

    played, tr = spec_transcript(monkeypatch)
    page = export(played, "html")
    assert "table.cards thead{display:none}" in CSS and 'td[data-label]::before{content:attr(data-label) ": "' in CSS
    tables = card_tables(page)
    assert set(tables) >= {"scores cards", "obligations cards", "plan cards", "promised cards", "timeline cards"}
    promised = tables["promised cards"]["rows"]
    assert promised[0] == [("", "Time to acknowledge"), ("Promised", "15m"), ("As stated", "35m"), ("Promise", "broken")]
    first = tables["obligations cards"]["rows"][0]
    assert first[1:] == [("Due", "Sat 02:22 (+15m)"), ("Done", "Sat 02:42 (+35m)"), ("Result", "late"), ("Credit", "0.00")]
    assert tables["plan cards"]["rows"][0][1][0] == "Corrective action"
    # the timeline's card opens with its number, time, elapsed and kind on one line, then what happened
    assert tables["timeline cards"]["rows"][0][:4] == [("", "1"), ("", "Sat 02:07"), ("", "+0m"), ("", "curveball")]
    assert page.count('<td class="kind inline">') == len(tables["timeline cards"]["rows"])
    # the sequence diagram, too wide for a phone, is there a list that says who told whom (the diagram on screen and paper)
    assert '<figure class="seq"><div class="wide-only"><svg' in page and '<ol class="phone seq">' in page
    assert ".wide-only{display:none}" in CSS and "figure.scroll" not in CSS


def test_one_cards_table_writes_every_labelled_card_and_one_css_rule_names_it():
    """markup.cards_table is the one writer of the cards tables (report, compare, stress, RACI, guide): a cell names its
    column unless it is the row's name or empty (cells come escaped), and the card's name is bold on a phone from the shared CSS alone."""
    from scoring.markup import CSS, Col, Row, cards_table, h
    from scoring.stress_report import STRESS_CSS
    from simulator.raci import RACI_CSS

    page = cards_table("plan", [Col("Finding", label=False), Col("Owner"), Col("Due", "nowrap"), Col("By", th=True)],
                       [[h("Backups <untested>"), "vCTO", "", "x"], Row(["a", "b", "c", "d"], id="e3", cls="mean")])
    tables = card_tables(page)
    assert tables["plan cards"]["head"] == ["Finding", "Owner", "Due", "By"]
    assert tables["plan cards"]["rows"] == [[("", "Backups <untested>"), ("Owner", "vCTO"), ("", ""), ("", "x")],
                                            [("", "a"), ("Owner", "b"), ("Due", "c"), ("", "d")]]
    assert '<td class="nowrap"></td><th>x</th>' in page and '<tr id="e3" class="mean">' in page
    assert " table.cards td:first-child{width:auto;font-weight:600}" in CSS
    assert "font-weight:600" not in STRESS_CSS and "font-weight:600" not in RACI_CSS


def test_on_a_phone_the_communication_is_a_list_of_who_told_whom(monkeypatch):
    """At 390 px the sequence diagram shows a lane or two; the phone gets the same messages as lines that name sender
    and recipient, the channel, and whether it arrived (and why not), in the diagram's order."""
    monkeypatch.chdir(ROOT)
    run = run_auto(open_pair("scenarios/two-incidents-at-once.yaml", SPEC_RUNBOOK))
    page = export(open_transcript(parse("two.ttx.jsonl", run.transcript)), "html")
    phone = page[page.index('<ol class="phone seq">'):]
    items = [re.sub(r"<[^>]+>", "", li).replace("&#x27;", "'") for li in re.findall(r"<li class=\"(?:met|missed)\">(.*?)</li>",
                                                                                    phone[:phone.index("</ol>")])]
    assert items[:3] == ["Mon 10:30 Fractional CTO (vcto) → Dana (IT manager; client_it_lead)notify by phone: delivered",
                         "Mon 10:30 Fractional CTO (vcto) → Dana (IT manager; client_it_lead)update by email: delivered",
                         "Mon 10:30 Fractional CTO (vcto) → CEO (ceo)update by email: not delivered: ceo takes only phone, sms"]
    assert phone.count('<li class="missed">') == len([x for x in items if "not delivered" in x]) > 0


def test_a_live_report_s_timeline_reads_in_the_order_things_happened(tmp_path):
    """AiTM x Ridgeline, run at 80x24: "the CISO calls back at 02:40" was typed before "the engineer revokes the sessions
    at 02:20". The report's timeline reads by the scenario's clock and keeps each line's number (the transcript's)."""
    from simulator.session import Session

    lib = ROOT / "scenarios"
    pair = open_pair(str(lib / "aitm-token-theft.yaml"), str(lib / "runbooks" / "ridgeline-fractional-ciso.yaml"))
    s = Session.start(pair, str(tmp_path / "aitm.ttx.jsonl"), wall=lambda: 0.0, stamp=lambda: "2026-11-22T10:00:00.000Z")
    s.step()
    s.record("acknowledge", when="02:00", by="msp_oncall")
    s.record("page", when="02:00", role="fractional_ciso", answers="02:40")
    s.record("act", when="02:20", task="revoke-sessions", by="msp_oncall")
    s.close()
    from simulator.transcript import read

    played = open_transcript(read(s.path))
    md = export(played, "md")
    rows = re.findall(r"^\| (\d+) \| (Sun \d\d:\d\d) \|", md.split("## Timeline")[1], re.M)
    assert rows == [("1", "Sun 01:15"), ("2", "Sun 01:15"), ("3", "Sun 02:00"), ("4", "Sun 02:00"), ("5", "Sun 02:00"),
                    ("7", "Sun 02:20"), ("6", "Sun 02:40")]
    assert "# is the order each line was recorded in" in md.split("## Timeline")[1]
    html = export(played, "html")
    assert html.index('id="e7"') < html.index('id="e6"')
    # as stated, the engine writes in time order: nothing to explain
    assert "recorded in" not in export(run_auto(pair).played(), "md").split("## Timeline")[1]
