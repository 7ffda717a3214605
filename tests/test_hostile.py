"""Hostile files and transcripts through the real command (`python -m simulator ...`, as `ttx` runs),
each under the limits a hostile file is allowed: 4 s of CPU and 300 MB of address space, set in the
child before ttx starts (a hang that burns no CPU, like a read that blocks, is caught by the timeout).
docs/security.md promises 2 s; the limit here is twice that because CPU time for the same work varies up to 1.8x
between runs on a busy 2-vCPU CI machine (the size-limit export: 1.2 to 2.1 s there, one CI run killed at 2 s), and
a test that fails on a slower machine guards nothing. A runaway (the work bound let through 10x) still fails it.

Each test names the mechanism it holds to: the engine's work bound, what `verify` may read, what it
claims, how big a transcript may be, and how exports show what a file says.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.hostile_transcripts._generate import edited_first_notify
from tests.hostile_transcripts._generate import header as set_header
from tests.test_verify import rechained  # what a forger does after editing: every `prev` recomputed

SCENARIO = ROOT / "scenarios" / "ransomware-fileserver.yaml"
RUNBOOK = ROOT / "scenarios" / "runbooks" / "acme-msp.yaml"
HOSTILE = ROOT / "tests" / "hostile_transcripts"
CPU_SECONDS, MEMORY = 4, 300 * 1024 * 1024


def ttx(*argv: str, cwd: Path | str = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m simulator ARGV` under RLIMIT_CPU 4 s and RLIMIT_AS 300 MB."""
    setup = (f"import os, resource, sys; resource.setrlimit(resource.RLIMIT_AS, ({MEMORY}, {MEMORY})); "
             f"resource.setrlimit(resource.RLIMIT_CPU, ({CPU_SECONDS}, {CPU_SECONDS})); "
             "os.execv(sys.executable, [sys.executable] + sys.argv[1:])")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("TTX_DEBUG", None)
    p = subprocess.run([sys.executable, "-c", setup, "-m", "simulator", *argv], cwd=cwd, env=env, input=stdin,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode >= 0, f"killed by signal {-p.returncode} (over {CPU_SECONDS} s of CPU or 300 MB): {argv}"
    assert "Traceback" not in p.stderr and "internal error" not in p.stderr, p.stderr[-2000:]
    return p


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def auto(tmp_path_factory) -> tuple[Path, list[str]]:
    d = tmp_path_factory.mktemp("auto")
    path = d / "auto.ttx.jsonl"
    r = subprocess.run([sys.executable, "-m", "simulator", "run", str(SCENARIO), "--runbook", str(RUNBOOK),
                        "-o", str(path)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return path, path.read_text(encoding="utf-8").splitlines()


# --- verify reads only what it should ------------------------------------------------------------

def _with_path(lines: list[str], key: str, path: str) -> list[str]:
    head = json.loads(lines[0])
    head[key]["path"] = path
    return rechained([json.dumps(head, ensure_ascii=False, separators=(",", ":"))] + lines[1:])


@pytest.mark.parametrize("target", ["/proc/self/pagemap", "/proc/kmsg", "/dev/zero", "/dev/stdin", "/etc/shadow",
                                    "/etc/passwd", "fifo", "sparse", "link-to-passwd"])
def test_verify_reads_no_file_a_transcript_points_at_outside_its_folder(auto, tmp_path, target):
    _, lines = auto
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")  # a writer that never comes would block a plain open() forever
    elif target == "sparse":
        with open(tmp_path / "sparse", "wb") as fh:
            fh.truncate(8 * 1024**3)  # 8 GB of nothing, instantly
    elif target == "link-to-passwd":
        os.symlink("/etc/passwd", tmp_path / "link-to-passwd")
    path = write(tmp_path / "t.ttx.jsonl", _with_path(lines, "runbook", target))
    p = ttx("verify", str(path), cwd=tmp_path, stdin="")
    assert p.returncode == 0, p.stderr
    said = next(x for x in p.stdout.splitlines() if x.strip().startswith("runbook:"))
    assert f"runbook: file {target} not compared" in said, said
    why = {"fifo": "not a regular file", "sparse": "is 8,589,934,592 bytes; the limit is 1,048,576",
           "link-to-passwd": "outside the transcript's folder"}.get(target, "outside the transcript's folder")
    assert why in said, said


def test_verify_compares_a_file_in_the_transcripts_folder_and_names_a_change(auto, tmp_path):
    _, lines = auto
    (tmp_path / "rb.yaml").write_bytes(RUNBOOK.read_bytes())
    path = write(tmp_path / "t.ttx.jsonl", _with_path(lines, "runbook", "rb.yaml"))
    p = ttx("verify", str(path), cwd="/")
    assert p.returncode == 0 and "runbook: file rb.yaml is byte for byte the embedded copy" in p.stdout, p.stdout
    (tmp_path / "rb.yaml").write_bytes(RUNBOOK.read_bytes().replace(b"10m", b"11m", 1))
    p = ttx("verify", str(path), cwd="/")
    assert p.returncode == 1
    assert p.stderr.splitlines()[0] == f"{path}:1: runbook file rb.yaml has changed since the exercise (sha256 differs)"


def test_a_lone_surrogate_is_refused_with_its_line_not_a_crash(auto, tmp_path):
    _, lines = auto
    rec = json.loads(lines[3])
    line = json.dumps(rec, separators=(",", ":")).replace('"type":', '"note":"\\ud800x","type":', 1)
    path = write(tmp_path / "t.ttx.jsonl", lines[:3] + [line] + lines[4:])
    for verb in (["verify"], ["score"], ["export", "-f", "html"]):
        p = ttx(*verb, str(path))
        assert p.returncode == 1, (verb, p.stderr)
        assert p.stderr.strip() == f"{path}:4: not JSON (text with an unpaired UTF-16 surrogate: not valid Unicode)"
    head = json.loads(lines[0])
    head["runbook"]["text"] += "\ud800"
    bad_head = json.dumps(head, separators=(",", ":"))  # ensure_ascii: the surrogate as an escape
    path = write(tmp_path / "h.ttx.jsonl", rechained([bad_head] + lines[1:]))
    p = ttx("verify", str(path))
    assert (p.returncode, p.stderr.strip()) == (1, f"{path}:1: header is not JSON (text with an unpaired UTF-16 "
                                                   "surrogate: not valid Unicode)")


def _edited(lines: list[str], **header: str) -> list[str]:
    """An as-stated transcript with the vCTO's first update moved 3h later, the header changed as asked,
    and the chain recomputed: no hash in the file is wrong."""
    return edited_first_notify(set_header(lines, lambda h: h.update(header)))


@pytest.mark.parametrize("header", [{}, {"tool_version": "0.0.1"}, {"mode": "live"}, {"mode": "replay"}])
def test_an_edited_event_with_a_recomputed_chain_fails_whatever_the_header_claims(auto, tmp_path, header):
    _, lines = auto
    tampered = _edited(lines, **header)
    n = next(i for i, x in enumerate(tampered) if json.loads(x).get("type") == "notify") + 1
    path = write(tmp_path / "t.ttx.jsonl", tampered)
    p = ttx("verify", str(path))
    assert p.returncode == 1, p.stdout
    first = p.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{n}: this event is not what the embedded scenario and runbook produce as stated")
    if "tool_version" in header:
        assert "the header says ttx 0.0.1 made it, so replay it with that version" in first
    if "mode" in header:
        assert f"the header says {header['mode']}, but its events carry no wall-clock stamps" in first
    assert "intact as far" not in p.stdout and p.stdout.startswith(f"{path}: NOT verified")


def test_an_edited_embedded_runbook_with_no_path_is_not_passed_off_as_matching_files(auto, tmp_path):
    """The header's runbook edited (the vCTO answering in 1m), its hash recomputed, its path emptied, and
    the chain recomputed: what verify can and cannot say is spelled out, and nothing claims the files match."""
    _, lines = auto
    head = json.loads(lines[0])
    text = head["runbook"]["text"].replace("responds: 45m", "responds: 1m")
    head["runbook"].update(text=text, sha256=hashlib.sha256(text.encode()).hexdigest(), path="")
    path = write(tmp_path / "t.ttx.jsonl", rechained([json.dumps(head, separators=(",", ":"))] + lines[1:]))
    p = ttx("verify", str(path))
    assert "match their hashes" not in p.stdout + p.stderr
    # the events were made with the real runbook: replaying the forged one gives other events
    assert p.returncode == 1 and "this event is not what the embedded scenario and runbook produce" in p.stderr
    # and when the events are rebuilt from the forged runbook too, verify says what it could not check
    forged = tmp_path / "forged-rb.yaml"
    forged.write_text(text, encoding="utf-8")
    made = tmp_path / "made.ttx.jsonl"
    assert ttx("run", str(SCENARIO), "--runbook", str(forged), "-o", str(made)).returncode == 0
    again = made.read_text(encoding="utf-8").splitlines()
    head = json.loads(again[0])
    head["runbook"]["path"] = ""
    path = write(tmp_path / "t2.ttx.jsonl", rechained([json.dumps(head, separators=(",", ":"))] + again[1:]))
    p = ttx("verify", str(path))
    assert p.returncode == 0
    assert ("  runbook: no file path was recorded; only the embedded copy exists, and nothing but the chain "
            "covers it") in p.stdout.splitlines()


# --- transcripts too big to read, and what exports show ------------------------------------------

def test_a_huge_transcript_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.ttx.jsonl"
    with open(big, "wb") as fh:
        fh.truncate(120 * 1024 * 1024)
    for verb in (["verify"], ["score"], ["export", "-f", "html"], ["export", "-f", "md"]):
        p = ttx(*verb, str(big))
        assert (p.returncode, p.stderr.strip()) == (1, f"{big}: is 125,829,120 bytes; the limit is 16,777,216"), verb


def test_the_hostile_transcripts_are_each_refused_or_handled_within_the_limits(tmp_path):
    """Every file in tests/hostile_transcripts/, through every verb that reads a transcript."""
    files = sorted(p for p in HOSTILE.iterdir() if p.name.endswith(".jsonl"))
    assert len(files) >= 8
    tried = 0
    for f in files:
        for verb in (["verify"], ["score"], ["export", "-f", "html"], ["export", "-f", "md"], ["export", "-f", "csv"]):
            out = tmp_path / "out"
            p = ttx(*verb, str(f), *(["-o", str(out)] if verb[0] == "export" else []))
            tried += 1
            assert p.returncode in (0, 1), (f.name, verb, p.stderr)
            if p.returncode == 1:
                assert p.stderr.startswith(f"{f}:"), (f.name, verb, p.stderr)
            if out.exists():
                assert out.stat().st_size < 5 * 1024 * 1024, (f.name, verb, out.stat().st_size)
                out.unlink()
    print(f"\nhostile transcripts: {len(files)} files, {tried} runs, 0 crashes, 0 over the limits")


# --- files whose work would not finish are refused at load, at the part to blame -----------------

def _alias_scenario(n: int, every: str, horizon: str = "90d") -> str:
    """`n` injects that each expect an update every `every`, through one alias: ~50 bytes an inject."""
    head = ["ttx: scenario/v1", "id: many-updates", "title: Many updates", "severity: P1", "starts: 2026-03-14T02:07:00",
            "timezone: America/Chicago", f"horizon: {horizon}", "stakeholders:", "  ceo: {name: CEO, channels: [phone]}",
            "injects:", f"  - {{id: i0, at: 0m, message: m, expects: &ex [{{update: ceo, every: {every}}}]}}"]
    return "\n".join(head + [f"  - {{id: i{i}, at: 0m, message: m, expects: *ex}}" for i in range(1, n)]) + "\n"


def _quiet_runbook(rules: int, every: str) -> str:
    """`rules` update rules by a role that is never paged: they write nothing, minute after minute."""
    head = ["ttx: runbook/v1", "id: many-rules", "provider: P", "model: msp", "sla:",
            "  P1: {acknowledge: 15m, engage: 30m, update: 1h, restore: 4h}", "hours:", "  always: 24x7", "roles:",
            "  noc: {name: N, fills: [first_responder], hours: always, responds: 10m}",
            "  quiet: {name: Q, fills: [communications_lead], hours: always, responds: 10m}", "communication:",
            f"  - &r {{update: ceo, via: phone, by: quiet, every: {every}}}"]
    return "\n".join(head + ["  - *r"] * (rules - 1)) + "\n"


def test_a_scenario_whose_updates_would_not_finish_is_refused_at_load(tmp_path):
    sc = tmp_path / "updates.yaml"
    sc.write_text(_alias_scenario(2000, "1m"), encoding="utf-8")
    assert 90_000 < sc.stat().st_size < 110_000  # the 101 KB file
    for verb in (["validate", str(sc)], ["run", str(sc), "--runbook", str(RUNBOOK)]):
        p = ttx(*verb)
        assert p.returncode == 1 and p.stdout == ""
        assert p.stderr.strip() == (f"{sc}:11:69: injects[0].expects[0].every: an update every 1m over the 90d horizon: "
                                    "129,601 windows to judge, 2,000 times; 259,204,000 in all, over the limit of 50,000 "
                                    "(ttx would not finish: use a longer cadence, fewer rules or a shorter horizon)")


def test_a_runbook_whose_silent_rules_would_not_finish_is_refused_when_paired(tmp_path):
    """19,000 `every: 1m` rules whose author is never paged: no event is ever written, so a cap on events
    never tripped. The runbook alone is valid (its cost depends on the horizon); paired, it is refused."""
    sc = tmp_path / "plain.yaml"
    sc.write_text(_alias_scenario(1, "1h"), encoding="utf-8")
    rb = tmp_path / "rules.yaml"
    rb.write_text(_quiet_runbook(19_000, "1m"), encoding="utf-8")
    p = ttx("validate", str(rb))
    assert p.returncode == 0, p.stderr
    p = ttx("run", str(sc), "--runbook", str(rb))
    assert p.returncode == 1 and p.stdout == ""
    assert p.stderr.strip() == (f"{rb}:13:52: communication[0].every: a message every 1m over the 90d horizon of scenario "
                                "many-updates: 259,202 happenings, 19,000 times; 4,924,840,162 in all, over the limit of "
                                "50,000 (ttx would not finish: use a longer cadence, fewer rules or a shorter horizon)")


def test_a_pair_just_under_the_work_bound_plays_scores_and_exports_within_the_limits(tmp_path):
    """The bound is set so that what it lets through runs in the limits: one rule every 6m over 90 days."""
    sc = tmp_path / "plain.yaml"
    sc.write_text(_alias_scenario(1, "1d"), encoding="utf-8")
    rb = tmp_path / "rule.yaml"
    rb.write_text(_quiet_runbook(1, "6m").replace("by: quiet", "by: noc"), encoding="utf-8")
    out = tmp_path / "t.ttx.jsonl"
    p = ttx("run", str(sc), "--runbook", str(rb), "-o", str(out))
    assert p.returncode == 0, p.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) > 21_000
    for verb in (["verify"], ["export", "-f", "html", "-o", str(tmp_path / "r.html")]):
        p = ttx(*verb, str(out))
        assert p.returncode == 0, (verb, p.stderr)


def test_a_transcript_at_the_size_limit_full_of_bidi_overrides_exports_within_the_limits(tmp_path):
    """The issue's 120 MB of U+202E took 21 s and 1.95 GB in `export -f html`. Now: the file is refused
    over 16 MiB, and one just under it (84 notes of 65,000 overrides) exports in every format within
    the limits (2 s promised; 4 s held here, see the module's docstring) and 300 MB; reports show the first
    2,000 characters of a text and say how many more there are."""
    from tests.hostile_transcripts._generate import _auto, as_live

    path = tmp_path / "bidi.ttx.jsonl"
    path.write_text("\n".join(as_live(_auto(), ["\u202e" * 65_000] * 84)) + "\n", encoding="utf-8")
    assert 15 * 1024 * 1024 < path.stat().st_size < 16 * 1024 * 1024
    for fmt in ("html", "md", "json", "csv"):
        out = tmp_path / f"out.{fmt}"
        p = ttx("export", "-f", fmt, str(path), "-o", str(out))
        assert p.returncode == 0, (fmt, p.stderr)
        if fmt in ("html", "md"):
            text = out.read_text(encoding="utf-8")
            assert out.stat().st_size < 6 * 1024 * 1024, fmt
            assert "(63,006 more characters, kept in the transcript)" in text and "\u202e" not in text
    assert ttx("score", str(path)).returncode == 0


def test_bare_links_in_a_markdown_report_are_not_live(tmp_path):
    """Text from a transcript (a note) or a file must not become a link a reader clicks on GitHub, GitLab or
    a chat tool: the scheme's colon, `www.`'s dot and `@` are escaped; the text reads the same rendered."""
    from markdown_it import MarkdownIt

    out = tmp_path / "r.md"
    p = ttx("export", "-f", "md", str(HOSTILE / "bare-urls-in-notes.ttx.jsonl"), "-o", str(out))
    assert p.returncode == 0, p.stderr
    text = out.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if "evil" in line)
    assert "https\\://evil.example/x?y=1" in row and "www\\.evil.example" in row and "boss\\@evil.example" in row
    html = MarkdownIt("commonmark", {"linkify": True}).enable("linkify").enable("table").render(text)
    assert "<a " not in html
    assert "https://evil.example/x?y=1 and www.evil.example" in html  # what a reader sees is unchanged
