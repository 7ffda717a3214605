"""The HTML report rendered for real in headless Chromium: the scorecard is on the page, hostile text
stays text, and nothing is fetched. Skipped (with the reason) only where Chromium is not installed;
`.ci/run` installs Debian's `chromium`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scoring.exports import export
from simulator.events import Event
from tests.test_report import HOSTILE, _parse_html, hostile_docs, spec_transcript, transcript_from

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium); "
                                                          ".ci/run installs it")


def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
           f"--user-data-dir={tmp / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


def test_chromium_shows_the_scorecard(tmp_path, monkeypatch):
    played, tr = spec_transcript(monkeypatch)
    page = tmp_path / "report.html"
    page.write_text(export(played, "html"), encoding="utf-8")
    shot = tmp_path / "shot.png"
    done = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", "--virtual-time-budget=2000",
                     page.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = _chromium(tmp_path, "--dump-dom", "--virtual-time-budget=2000", page.as_uri()).stdout
    # the rendered DOM has the scorecard with its scores and ratings, the verdict and the diagram
    assert '<section id="scorecard">' in dom
    assert "Overall: 37.64 / 100" in dom
    for row in ("Service levels (SLA)", "18.06", "Communication", "26.04", "Response", "100.00"):
        assert row in dom
    assert "Verdict:" in dom and "Not ready" in dom
    assert "<svg" in dom and "Communication sequence diagram" in dom


def test_chromium_keeps_hostile_text_as_text(tmp_path):
    played, tr = transcript_from(*hostile_docs(), "live", [Event(60, "note", {"text": HOSTILE})])
    page = tmp_path / "hostile.html"
    page.write_text(export(played, "html"), encoding="utf-8")
    dom = _chromium(tmp_path, "--dump-dom", "--virtual-time-budget=2000", page.as_uri()).stdout
    assert '<section id="scorecard">' in dom
    # had any of it run or parsed as markup, the live DOM would hold these elements and attributes
    tags = _parse_html(dom).tags
    assert not [t for t, _ in tags if t in ("script", "img", "iframe", "object", "embed")]
    assert not [(t, a) for t, a in tags if any(k.startswith("on") for k in a)]
    assert not [(t, a) for t, a in tags if (a.get("href") or "").strip().lower().startswith("javascript")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # shown, as text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed (apt-get install -y poppler-utils); "
                                                              ".ci/run installs it")
def test_printed_report_uses_page_one(tmp_path, monkeypatch):
    """On paper the scorecard starts on page 1 under the overview instead of leaving the page's lower part blank: the
    scores table may break between rows (its heads repeat on the next page), and no row is split."""
    played, tr = spec_transcript(monkeypatch)
    page = tmp_path / "report.html"
    page.write_text(export(played, "html"), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    done = _chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert pdf.exists(), done.stderr[-2000:]

    def text(n: int) -> str:
        return subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                              text=True, timeout=60).stdout

    first = text(1)
    assert "Exercise overview" in first and "Scorecard" in first and "Overall: 37.64 / 100" in first
    assert "Service levels (SLA)" in first  # the table starts on page 1, its first row whole
    rows = {"Service levels (SLA)": "18.06", "Communication": "26.04", "Response": "100.00"}
    second = text(2)
    for name, score in rows.items():  # each row whole on one page or the other
        assert any(name in line and score in line for line in (first + second).splitlines()), name
