"""Writes the hostile transcripts beside this file from an as-stated play of the shipped example.

Run from the repository root: `python tests/hostile_transcripts/_generate.py`. Each file's name says
what it tries; tests/test_hostile.py runs every verb that reads a transcript on each, under 2 s of CPU
and 300 MB, and expects a refusal with a line number or a handled result, never a crash or a hang.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def dumps(rec: object) -> str:
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":"))


def rechain(lines: list[str]) -> list[str]:
    out = [lines[0]]
    for line in lines[1:]:
        rec = json.loads(line)
        rec["prev"] = hashlib.sha256(out[-1].encode("utf-8", "surrogatepass")).hexdigest()
        out.append(dumps(rec) if "\\ud8" not in line else json.dumps(rec, separators=(",", ":")))
    return out


def _auto() -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "t.ttx.jsonl"
        subprocess.run([sys.executable, "-m", "simulator", "run", "scenarios/ransomware-fileserver.yaml", "--runbook",
                        "scenarios/runbooks/acme-msp.yaml", "-o", str(path)], cwd=ROOT, capture_output=True, check=True)
        return path.read_text(encoding="utf-8").splitlines()


def header(lines: list[str], fn) -> list[str]:
    head = json.loads(lines[0])
    fn(head)
    return rechain([dumps(head)] + lines[1:])


def as_live(lines: list[str], notes: list[str]) -> list[str]:
    """Relabelled live, every event wall-stamped, notes added after the first inject."""
    head = json.loads(lines[0])
    head["mode"] = "live"
    head["created"] = "2026-11-22T10:00:00.000Z"
    out = [dumps(head)]
    seq = 0
    for line in lines[1:]:
        rec = json.loads(line)
        seq += 1
        rec["seq"], rec["wall"] = seq, "2026-11-22T10:00:00.000Z"
        out.append(dumps(rec))
        if rec["type"] == "inject" and notes:
            for text in notes:
                seq += 1
                out.append(dumps({"seq": seq, "t": rec["t"], "type": "note", "text": text,
                                  "wall": "2026-11-22T10:00:01.000Z", "prev": ""}))
            notes = []
    return rechain(out)


def edited_first_notify(lines: list[str]) -> list[str]:
    out = [lines[0]]
    done = False
    for line in lines[1:]:
        rec = json.loads(line)
        if not done and rec["type"] == "notify":
            rec["t"] += 3 * 3600
            done = True
        out.append(dumps(rec))
    return rechain(out)


def main() -> None:
    lines = _auto()
    files: dict[str, list[str]] = {}
    files["header-path-proc-pagemap"] = header(lines, lambda h: h["runbook"].update(path="/proc/self/pagemap"))
    files["header-path-proc-kmsg"] = header(lines, lambda h: h["scenario"].update(path="/proc/kmsg"))
    files["header-path-dev-zero"] = header(lines, lambda h: h["runbook"].update(path="/dev/zero"))
    files["header-path-etc-shadow"] = header(lines, lambda h: h["runbook"].update(path="/etc/shadow"))
    files["header-path-with-nul"] = header(lines, lambda h: h["runbook"].update(path="rb\u0000.yaml"))
    files["header-path-not-text"] = header(lines, lambda h: h["runbook"].update(path=["a", {"b": 1}]))
    files["edited-relabelled-old-version"] = edited_first_notify(header(lines, lambda h: h.update(tool_version="0.0.1")))
    files["edited-relabelled-live-no-stamps"] = edited_first_notify(header(lines, lambda h: h.update(mode="live")))

    def forged_runbook(h: dict) -> None:
        text = h["runbook"]["text"].replace("responds: 45m", "responds: 1m")
        h["runbook"].update(text=text, sha256=hashlib.sha256(text.encode()).hexdigest(), path="")

    files["embedded-runbook-edited-no-path"] = header(lines, forged_runbook)
    surrogate = json.loads(lines[3])
    surrogate["note"] = "\ud800x"
    files["lone-surrogate-in-event"] = rechain(lines[:3] + [json.dumps(surrogate, separators=(",", ":"))] + lines[4:])
    files["lone-surrogate-in-header"] = rechain([json.dumps(json.loads(lines[0]) | {"created": "\udfff"},
                                                            separators=(",", ":"))] + lines[1:])
    files["json-nested-100k-deep-in-header"] = [lines[0][:-1] + ',"x":' + "[" * 100_000 + "]" * 100_000 + "}"] + lines[1:]
    files["event-line-over-64k"] = as_live(lines, ["A" * 70_000])
    files["bidi-override-notes"] = as_live(lines, ["\u202e" * 20_000] * 5)
    files["bare-urls-in-notes"] = as_live(lines, ["see https://evil.example/x?y=1 and www.evil.example and "
                                                  "mail me: boss@evil.example <https://evil.example/a> [x](http://e.example)"])
    files["float-and-huge-numbers"] = rechain(lines[:2] + [lines[2].replace('"t":', '"t":1e308,"u":', 1)] + lines[3:])
    for name, out in files.items():
        (HERE / f"{name}.ttx.jsonl").write_text("\n".join(out) + "\n", encoding="utf-8", errors="surrogatepass")
    print(f"wrote {len(files)} hostile transcripts")


if __name__ == "__main__":
    main()
