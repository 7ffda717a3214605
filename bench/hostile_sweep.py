"""Every hostile file through every verb that reads it, each in a fresh `python -m simulator` under the
limits a hostile file gets (RLIMIT_CPU 2 s, RLIMIT_AS 300 MB; a 20 s wall timeout catches a read that
blocks without using CPU). Prints the counts: files, runs, crashes (exit 70 or a traceback), hangs,
and processes killed for going over a limit.

    python bench/hostile_sweep.py

The files: tests/bad_inputs/ (validate, run as a scenario, run as a runbook), tests/hostile_transcripts/
(verify, score, export in every format), and the issue's big ones made here: a 100 KB scenario whose
2,000 injects each want an update every minute for 90 days, a runbook of 19,000 silent `every: 1m`
rules, a transcript at the 16 MiB limit full of U+202E, and a 120 MB sparse one.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_transcripts._generate import _auto, as_live  # noqa: E402
from tests.test_hostile import _alias_scenario, _quiet_runbook  # noqa: E402

SC = str(ROOT / "scenarios" / "ransomware-fileserver.yaml")
RB = str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")
LIMITS = ("import os, resource, sys; resource.setrlimit(resource.RLIMIT_AS, (300 << 20, 300 << 20)); "
          "resource.setrlimit(resource.RLIMIT_CPU, (2, 2)); os.execv(sys.executable, [sys.executable] + sys.argv[1:])")


def made(d: Path) -> tuple[list[str], list[str]]:
    (d / "updates-2000x1m-90d.yaml").write_text(_alias_scenario(2000, "1m"), encoding="utf-8")
    (d / "plain-90d.yaml").write_text(_alias_scenario(1, "1h"), encoding="utf-8")
    (d / "rules-19000-silent.yaml").write_text(_quiet_runbook(19_000, "1m"), encoding="utf-8")
    (d / "bidi-16mib.ttx.jsonl").write_text("\n".join(as_live(_auto(), ["\u202e" * 65_000] * 84)) + "\n", encoding="utf-8")
    with open(d / "sparse-120mb.ttx.jsonl", "wb") as fh:
        fh.truncate(120 * 1024 * 1024)
    return sorted(str(p) for p in d.glob("*.yaml")), sorted(str(p) for p in d.glob("*.jsonl"))


def outcome(argv: list[str], cwd: str) -> tuple[list[str], str, str]:
    try:
        p = subprocess.run([sys.executable, "-c", LIMITS, "-m", "simulator", *argv], cwd=cwd, capture_output=True,
                           text=True, timeout=20, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return argv, "hang", ""
    if p.returncode < 0:
        return argv, "over a limit", p.stderr[-300:]
    if p.returncode == 70 or "Traceback" in p.stderr:
        return argv, "crash", p.stderr[-300:]
    return argv, f"exit {p.returncode}", ""


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        extra_yaml, extra_tr = made(Path(tmp))
        yamls = sorted(str(p) for p in (ROOT / "tests" / "bad_inputs").iterdir() if not p.name.startswith("_")) + extra_yaml
        trs = sorted(str(p) for p in (ROOT / "tests" / "hostile_transcripts").glob("*.jsonl")) + extra_tr
        jobs = [argv for y in yamls for argv in (["validate", y], ["run", y, "--runbook", RB], ["run", SC, "--runbook", y])]
        verbs = (["verify"], ["score"], ["export", "-f", "html"], ["export", "-f", "md"], ["export", "-f", "json"],
                 ["export", "-f", "csv"])
        jobs += [[*v, t, *(["-o", "/dev/null"] if v[0] == "export" else [])] for t in trs for v in verbs]
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda a: outcome(a, tmp), jobs))
    counts = Counter(r[1] for r in results)
    print(f"files: {len(yamls)} YAML and {len(trs)} transcripts; runs: {len(results)}; "
          f"crashes: {counts['crash']}; hangs: {counts['hang']}; over a limit: {counts['over a limit']}; "
          f"exit 0: {counts['exit 0']}; exit 1: {counts['exit 1']}")
    bad = [r for r in results if r[1] not in ("exit 0", "exit 1")]
    for argv, what, err in bad:
        print(f"{what}: ttx {' '.join(argv)}\n  {err}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
