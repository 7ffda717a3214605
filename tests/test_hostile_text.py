"""Hostile text is shown literally in every channel (SPEC section 10): the TUI, the text scorecard, the
error messages, and every export (JSON, CSV, Markdown with its Mermaid diagram, HTML) and comparison.

The scenario and runbook in tests/hostile_resources.py carry, in every free-text field, Rich/Textual
markup (`[@click=app.quit]`, `[link=...]`, `[/`), ANSI and OSC escape sequences, HTML and script,
Markdown and Mermaid syntax, right-to-left overrides and zero-width characters. In every channel:
- the visible fragments appear exactly as written (nothing was interpreted or swallowed);
- no character that acts instead of showing (controls, bidi, zero-width) reaches the output raw;
- nothing became a link, a click action, a script, an image or a Mermaid directive.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from simulator.loading import load_text
from simulator.yamlsrc import LoadError
from tests import hostile_resources as H

ROOT = Path(__file__).resolve().parent.parent
# What a reader must be able to see, character for character, in every human-facing channel.
LITERAL = ["[@click=app.quit]QUIT[/]", "[link=https://evil.example/x]rich-link[/link]", "[bold red]FAKE[/]",
           "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "[md-link](javascript:alert(4))",
           "**bold** _it_", "%%{init: {'theme':'dark'}}%%"]
SHOWN_MARKS = ["<U+001B>[31mRED<U+001B>[0m", "invoice<U+202E>txt.exe<U+202C>", "zero<U+200B>width",
               "<U+001B>]8;;https://evil.example", "tag<U+E0041><U+E0042>smuggled", "line<U+2028>sep"]


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path]:
    return H.write_pair(tmp_path_factory.mktemp("hostile"))


def ttx(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=60)


@pytest.fixture(scope="module")
def transcript(pair, tmp_path_factory) -> Path:
    """A live transcript of the hostile pair, with a hostile note typed by the facilitator too."""
    from simulator.exercise import open_pair
    from simulator.session import Session

    path = tmp_path_factory.mktemp("live") / "hostile.ttx.jsonl"
    s = Session.start(open_pair(str(pair[0]), str(pair[1])), str(path), wall=lambda: 0.0, stamp=lambda: "2026-11-22T10:00:00.000Z")
    s.step()
    s.record("acknowledge", by="noc")
    s.record("note", text="NOTE: " + H.PAYLOAD)
    s.record("notify", stakeholder="client_it_lead", via="phone", by="vcto")
    s.step()
    s.record("act", task="isolate-host", by="noc")
    s.end()
    s.close()
    return path


def assert_inert(text: str, where: str) -> None:
    raw = H.DANGEROUS.findall(text.replace("\n", "").replace("\r\n", ""))
    assert not raw, f"{where}: raw {sorted({f'U+{ord(c):04X}' for c in raw})} reached the output"


def assert_literal(text: str, where: str, fragments: list[str] = LITERAL + SHOWN_MARKS) -> None:
    missing = [f for f in fragments if f not in text]
    assert not missing, f"{where}: not shown as written: {missing}"


# --- the text scorecard and the command line -----------------------------------------------------


def test_text_scorecard_and_score_show_hostile_text_literally(pair, transcript):
    run = ttx("run", str(pair[0]), "--runbook", str(pair[1]))
    assert run.returncode == 0, run.stderr
    for field in ("TITLE", "PROVIDER"):
        assert f"{field}: [bold red]FAKE[/]" in run.stdout
    assert_inert(run.stdout, "ttx run")
    assert_literal(run.stdout, "ttx run")
    score = ttx("score", str(transcript))
    assert score.returncode == 0, score.stderr
    assert_inert(score.stdout, "ttx score")
    assert_literal(score.stdout, "ttx score")
    listing = ttx("list", "--library", str(pair[0].parent))
    assert listing.returncode == 0, listing.stderr
    assert_inert(listing.stdout, "ttx list")
    assert_literal(listing.stdout, "ttx list")


def test_error_messages_quoting_hostile_text_stay_inert(tmp_path):
    bad = tmp_path / "bad.yaml"
    doc = H.scenario_doc()
    doc["severity"] = "P9 " + H.PAYLOAD  # invalid, and the message quotes it
    doc["title\x1b]0;key-title\x07[@click=app.quit]"] = "unknown key"
    bad.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    r = ttx("validate", str(bad))
    assert r.returncode == 1
    assert r.stderr.startswith(f"{bad}:") and "Traceback" not in r.stderr
    assert_inert(r.stderr, "ttx validate")


def test_duplicate_keys_are_an_error_not_last_one_wins():
    text = "ttx: scenario/v1\nid: a\ntitle: honest title\ntitle: '[@click=app.quit]'\n"
    with pytest.raises(LoadError) as info:
        load_text("dup.yaml", text, "scenario")
    assert str(info.value).startswith("dup.yaml:4:1: ") and "title" in str(info.value)


def test_the_transcript_file_itself_reads_literally_in_any_viewer(transcript):
    """`cat`, `less` or an editor on the evidence: invisible characters are JSON escapes, and no line
    breaks anywhere but at the end of an event (U+2028 would split it for many tools)."""
    raw = transcript.read_text(encoding="utf-8")
    assert_inert(raw, "the transcript file")
    assert raw.splitlines() == raw.split("\n")[:-1]
    from simulator.transcript import read

    notes = [e.get("text") for e in read(str(transcript)).events if e.type == "note"]
    assert notes == [("NOTE: " + H.PAYLOAD).strip()]  # the data itself is kept exactly


def test_someone_else_s_transcript_is_shown_literally_by_verify_score_and_replay(transcript, tmp_path):
    """A transcript is evidence handed over by someone else: its header's paths and texts are hostile too."""
    lines = transcript.read_text(encoding="utf-8").split("\n")[:-1]
    head = json.loads(lines[0])
    head["scenario"]["path"] = "evil\x1b]0;pwned\x07[@click=app.quit]\u202e.yaml"
    forged = tmp_path / "forged.ttx.jsonl"
    forged.write_text("\n".join([json.dumps(head, ensure_ascii=False)] + lines[1:]) + "\n", encoding="utf-8")
    v = ttx("verify", str(forged))
    assert v.returncode == 1 and "scenario: file evil<U+001B>]0;pwned<U+0007>[@click=app.quit]<U+202E>.yaml not found" in v.stdout
    assert_inert(v.stderr, "ttx verify")
    head["runbook"]["path"] = head["scenario"]["path"]
    head["runbook"]["text"] = "ttx: runbook/v1\nid: x\nprovider: ok\nbogus\x1b]0;t\x07: 1\n"
    forged.write_text("\n".join([json.dumps(head, ensure_ascii=False)] + lines[1:]) + "\n", encoding="utf-8")
    for verb in ("score", "replay"):
        r = ttx(verb, str(forged))
        assert r.returncode == 1 and r.stderr.startswith(f"{forged} (embedded runbook evil<U+001B>"), r.stderr
        assert_inert(r.stderr, f"ttx {verb}")
        assert "Traceback" not in r.stderr


# --- exports ----------------------------------------------------------------------------------------


def walk_strings(data: object):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield k
            yield from walk_strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from walk_strings(v)


def test_json_export_keeps_the_exact_text_with_every_invisible_character_escaped(transcript):
    r = ttx("export", str(transcript), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert_inert(r.stdout, "JSON export")  # \u202e and friends as JSON escapes, not raw
    data = json.loads(r.stdout)
    strings = set(walk_strings(data))
    # a machine format keeps the data exactly: the facilitator's note and the titles round-trip
    assert ("NOTE: " + H.PAYLOAD).strip() in strings  # (the session trims a note's surrounding whitespace)
    assert any(s == H.hostile("TITLE") for s in strings)


def test_csv_export_is_inert_in_a_terminal_and_a_spreadsheet(transcript):
    r = ttx("export", str(transcript), "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert_inert(r.stdout, "CSV export")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert len(rows) > 3
    for row in rows[1:]:
        for cell in row:
            assert cell[:1] not in ("=", "+", "@", "\t", "\r") and not re.match(r"^-[^0-9]", cell), cell
    assert_literal(r.stdout, "CSV export", ["SOC **bold** _it_ [md-link](javascript:alert(4))"])


class Page(HTMLParser):
    """The parts of an HTML page a browser would act on, and its visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def assert_safe_page(markup: str, where: str, csp: bool) -> str:
    page = Page()
    page.feed(markup)
    names = [t for t, _ in page.tags]
    for bad in ("script", "iframe", "object", "embed", "img", "base", "form"):
        assert bad not in names, f"{where}: a <{bad}> element"
    for tag, attrs in page.tags:
        for k, v in attrs:
            assert not k.startswith("on"), f"{where}: <{tag} {k}=...>"
            assert "javascript:" not in (v or "").lower() and "evil.example" not in (v or ""), f"{where}: <{tag} {k}={v!r}>"
    if csp:
        metas = [dict(a) for t, a in page.tags if t == "meta"]
        policy = next((m.get("content") or "" for m in metas if (m.get("http-equiv") or "").lower() == "content-security-policy"), "")
        assert "default-src 'none'" in policy or "script-src 'none'" in policy, f"{where}: no strict CSP ({policy!r})"
    return "".join(page.text)


def test_html_report_runs_nothing_and_shows_everything_as_written(transcript):
    r = ttx("export", str(transcript), "--format", "html")
    assert r.returncode == 0, r.stderr
    assert_inert(r.stdout, "HTML report")
    visible = assert_safe_page(r.stdout, "HTML report", csp=True)
    assert_literal(visible, "HTML report (visible text)")


def mermaid_blocks(md: str) -> list[list[str]]:
    return [block.split("\n") for block in re.findall(r"```mermaid\n(.*?)\n```", md, re.S)]


def assert_safe_mermaid(md: str, where: str) -> None:
    blocks = mermaid_blocks(md)
    assert blocks, f"{where}: no Mermaid diagram"
    for lines in blocks:
        for line in lines:
            bare = re.sub(r"#\d+;", "", line)  # entity codes are how labels carry punctuation safely
            assert "%%" not in bare and not re.match(r"\s*(click|link|links|callback)\b", bare), f"{where}: {line!r}"
            m_part = re.match(r"^\s*participant \w+ as (.*)$", bare)
            m_msg = re.match(r"^\s*\w+(->>|-->>|-x|--x|->|-->|-\)|--\))\w+: (.*)$", bare)
            m_note = re.match(r"^\s*Note (?:over|left of|right of) [\w,]+: (.*)$", bare)
            assert bare.strip() in ("sequenceDiagram", "") or m_part or m_msg or m_note, f"{where}: unexpected line {line!r}"
            label = (m_part or m_msg or m_note).groups()[-1] if (m_part or m_msg or m_note) else ""
            assert not re.search(r"[;<>{}`\"]", label), f"{where}: Mermaid syntax in a label: {line!r}"


def test_markdown_report_renders_nothing_active_and_its_diagram_holds(transcript):
    from markdown_it import MarkdownIt

    r = ttx("export", str(transcript), "--format", "md")
    assert r.returncode == 0, r.stderr
    assert_inert(r.stdout, "Markdown report")
    # rendered as a Markdown viewer would (raw HTML allowed, tables on): nothing active, all text as written
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(r.stdout)
    visible = assert_safe_page(rendered, "Markdown report (rendered)", csp=False)
    assert_literal(visible, "Markdown report (rendered text)", LITERAL[:-1] + SHOWN_MARKS)
    assert_safe_mermaid(r.stdout, "Markdown report")


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
def test_compare_shows_hostile_text_literally(pair, fmt):
    r = ttx("compare", "--scenario", str(pair[0]), "--runbook", str(pair[1]), "--format", fmt)
    assert r.returncode == 0, r.stderr
    assert_inert(r.stdout, f"compare {fmt}")
    if fmt == "json":
        assert H.hostile("PROVIDER") in set(walk_strings(json.loads(r.stdout)))
    elif fmt == "html":
        visible = assert_safe_page(r.stdout, "compare html", csp=True)
        assert "PROVIDER: [bold red]FAKE[/] [/] [@click=app.quit]QUIT[/]" in visible
    elif fmt == "md":
        from markdown_it import MarkdownIt

        visible = assert_safe_page(MarkdownIt("commonmark", {"html": True}).enable("table").render(r.stdout),
                                   "compare md (rendered)", csp=False)
        assert "[@click=app.quit]QUIT[/]" in visible and "<script>alert(1)</script>" in visible
    else:
        assert "[@click=app.quit]QUIT[/]" in r.stdout


# --- the TUI ---------------------------------------------------------------------------------------


def screen(app) -> tuple[str, str, list]:
    """What the terminal would show: the text rows, the raw bytes sent to it, and the styled segments."""
    update = app.screen._compositor.render_full_update()
    segments = [seg for line in update.strips for strip in line for seg in strip]
    rows = ["".join(seg.text for strip in line for seg in strip) for line in update.strips]
    return "\n".join(rows), update.render_segments(app.console), segments


def assert_screen_safe(app, where: str, fragments: list[str]) -> None:
    text, raw, segments = screen(app)
    assert_inert(text, where)
    for seq in ("\x1b]", "\x07", "\x9b", "\u202e", "\u200b"):
        assert seq not in raw, f"{where}: {seq!r} sent to the terminal"
    for seg in segments:
        style = seg.style
        if style is None:
            continue
        assert not (style.link and "evil" in style.link), f"{where}: {seg.text!r} became a link"
        assert "app.quit" not in str(style.meta.get("@click", "")), f"{where}: {seg.text!r} became a click action"
    assert_literal(text, where, fragments)
    assert app.is_running, f"{where}: the app quit"


def test_tui_shows_hostile_text_literally_on_every_screen(pair, transcript, tmp_path):
    from simulator.tui.app import make_app

    frags = ["[@click=app.quit]QUIT[/]", "<script>alert(1)</script>", "<U+001B>[31mRED<U+001B>[0m"]

    async def live() -> None:
        app = make_app(scenario=str(pair[0]), runbook=str(pair[1]), output=str(tmp_path / "t.ttx.jsonl"),
                       wall=lambda: 0.0, stamp=lambda: "2026-11-22T10:00:00.000Z")
        async with app.run_test(size=(240, 70)) as pilot:
            await pilot.press("s")  # the hostile inject arrives
            await pilot.pause()
            app.session.record("note", text="NOTE: " + H.PAYLOAD)
            await pilot.pause()
            assert_screen_safe(app, "exercise screen", frags)
            await pilot.press("n")  # the notify form lists the hostile stakeholder and role names
            await pilot.pause()
            assert_screen_safe(app, "notify form", [])
            await pilot.press("escape")
            await pilot.press("v")
            await pilot.pause()
            assert_screen_safe(app, "scorecard screen", ["[@click=app.quit]QUIT[/]"])

    async def replay() -> None:
        app = make_app(replay=str(transcript))
        async with app.run_test(size=(240, 70)) as pilot:
            await pilot.press("home", "]")  # to the hostile inject, shown in full in the inject panel
            await pilot.pause()
            assert_screen_safe(app, "replay screen", frags)
            await pilot.press("end")
            await pilot.pause()
            assert_screen_safe(app, "replay screen (end)", frags[:2])

    async def picker() -> None:
        app = make_app(library=str(pair[0].parent))
        async with app.run_test(size=(240, 70)) as pilot:
            await pilot.pause()
            assert_screen_safe(app, "library picker", ["[@click=app.quit]QUIT[/]"])

    asyncio.run(live())
    asyncio.run(replay())
    asyncio.run(picker())


def test_tui_error_toasts_show_a_hostile_file_s_text_literally(tmp_path):
    """Opening a broken hostile file from the picker: the error names its unknown key, which is markup.
    The toast must show it as written; a markup parse of it would make a click action or crash the app."""
    from simulator.tui.app import make_app

    bad = tmp_path / "broken.yaml"
    doc = H.scenario_doc()
    doc["[/] [@click=app.quit]x"] = 1
    bad.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")

    async def go() -> None:
        app = make_app(library=str(tmp_path))
        async with app.run_test(size=(200, 50), notifications=True) as pilot:
            await pilot.press("o")
            await pilot.pause()
            await pilot.press(*str(bad), "enter")
            for _ in range(40):
                await pilot.pause(0.05)
                if app.screen.query("Toast"):
                    break
            toasts = [str(getattr(t.render(), "plain", t.render())) for t in app.screen.query("Toast")]
            assert any("unknown key '[/] [@click=app.quit]x'" in " ".join(t.split()) for t in toasts), toasts
            assert_screen_safe(app, "picker error toast", [])

    asyncio.run(go())


# --- the scorer's own sentences: reasons, findings and promises name people from the files ------------------

CEO = "CEO " + H.MARKUP  # the hostile pair's CEO, as the scenario names them


@pytest.fixture(scope="module")
def as_stated(pair, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("stated") / "stated.ttx.jsonl"
    r = ttx("run", str(pair[0]), "--runbook", str(pair[1]), "-o", str(path))
    assert r.returncode == 0, r.stderr
    return path


# What only the scorer writes (not the timeline): a reason, a finding and its question, each naming a hostile name.
SCORER_SAYS = [f"decided Sat 03:02 by {CEO} (ceo); due Sat 14:07",
               f"{CEO} (ceo) is sent email but takes only phone",
               f"How do your updates reach {CEO} (ceo) when they only take phone?",
               f"done Sat 02:32 by {H.hostile('ROLE')[:60]}"]


def test_reasons_and_findings_name_hostile_people_literally_in_text_md_and_html(as_stated):
    score = ttx("score", str(as_stated))
    assert score.returncode == 0, score.stderr
    assert_inert(score.stdout, "ttx score (as stated)")
    assert_literal(score.stdout, "ttx score (as stated)", SCORER_SAYS)
    assert f"  [met   ] Decide restore-or-negotiate: decided Sat 03:02 by {CEO} (ceo)" in score.stdout
    html = ttx("export", str(as_stated), "--format", "html")
    assert html.returncode == 0, html.stderr
    assert_inert(html.stdout, "HTML report (as stated)")
    visible = assert_safe_page(html.stdout, "HTML report (as stated)", csp=True)
    assert_literal(visible, "HTML report (as stated, visible text)", SCORER_SAYS)
    from markdown_it import MarkdownIt

    md = ttx("export", str(as_stated), "--format", "md")
    assert md.returncode == 0, md.stderr
    assert_inert(md.stdout, "Markdown report (as stated)")
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(md.stdout)
    visible = assert_safe_page(rendered, "Markdown report (as stated, rendered)", csp=False)
    assert_literal(visible, "Markdown report (as stated, rendered text)", SCORER_SAYS)


def test_tui_results_show_the_scorer_s_hostile_names_literally(as_stated):
    from simulator.tui.app import make_app

    async def replay() -> None:
        app = make_app(replay=str(as_stated))
        async with app.run_test(size=(240, 70)) as pilot:
            await pilot.press("end", "v")  # the results screen: reasons, findings, promised vs delivered
            await pilot.pause()
            assert_screen_safe(app, "results screen", SCORER_SAYS[1:3])  # the findings, in full

    asyncio.run(replay())


@given(st.text() | st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_plain_takes_its_shortcut_only_where_there_is_nothing_to_mark(text):
    """`plain` returns printable ASCII as it is (a report escapes a hundred thousand texts at the size limit): the
    shortcut must give what marking every character gives, whatever the text, controls and newlines included."""
    from simulator.textsafe import _MARKS, plain

    assert plain(text) == text.replace("\r\n", "\n").translate(_MARKS)
