"""Evidence that holds: a transcript signed with the facilitator's SSH key (`ssh-keygen -Y sign`, namespace
`ttx-transcript`), checked against an allowed-signers file, through the real command.

Each case is what a third party would meet: a good signature, one byte changed where the chain cannot see
it (the last line of a live transcript), another signer, an expired key, no signature, a signature made
for something else; each with its exit code and message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.test_hostile import ttx

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen (openssh-client) is not installed")

SCENARIO = str(ROOT / "scenarios" / "ransomware-fileserver.yaml")
RUNBOOK = str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")


def keygen(d: Path, name: str) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(d / name)], check=True)
    return d / name


def allowed(d: Path, name: str, key: Path, options: str = 'namespaces="ttx-transcript"') -> Path:
    path = d / f"allowed-{name}"
    path.write_text(f"{name}@example.org {options} {key.with_suffix('.pub').read_text()}")
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict[str, Path]:
    """Alice (the facilitator), Mallory (someone else), and a live transcript Alice recorded."""
    from simulator.exercise import open_pair
    from simulator.session import Session

    d = tmp_path_factory.mktemp("signing")
    alice, mallory = keygen(d, "alice"), keygen(d, "mallory")
    live = d / "live.ttx.jsonl"
    s = Session.start(open_pair(SCENARIO, RUNBOOK), str(live), wall=lambda: 0.0, stamp=lambda: "2026-11-22T10:00:00.000Z")
    s.step()
    s.record("acknowledge", by="noc_tier2")
    s.record("note", text="CEO asks what paying would involve")
    s.end()
    s.close()
    return {"d": d, "alice": alice, "mallory": mallory, "live": live, "signers": allowed(d, "alice", alice)}


def fresh(world: dict[str, Path], name: str) -> Path:
    path = world["d"] / name
    shutil.copy(world["live"], path)
    return path


def test_sign_then_verify_names_the_signer(world):
    t = fresh(world, "good.ttx.jsonl")
    p = ttx("sign", str(t), "--key", str(world["alice"]))
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith(f"wrote {t}.sig: {t} signed with {world['alice']}")
    assert Path(f"{t}.sig").read_text().startswith("-----BEGIN SSH SIGNATURE-----")
    p = ttx("verify", str(t), "--signers", str(world["signers"]))
    assert p.returncode == 0, p.stderr
    line = next(x for x in p.stdout.splitlines() if x.strip().startswith("signature:"))
    assert line.startswith("  signature: signed by alice@example.org (ED25519 key SHA256:")
    assert line.endswith(f"allowed by {world['signers']}): the file is byte for byte what that key signed")


def test_one_byte_changed_where_the_chain_cannot_see_is_caught_by_the_signature(world):
    t = fresh(world, "tampered.ttx.jsonl")
    assert ttx("sign", str(t), "--key", str(world["alice"])).returncode == 0
    data = bytearray(t.read_bytes())
    i = data.rindex(b'"reason":"') + len(b'"reason":"')  # the last line: the end event's reason
    data[i] = ord("X") if data[i] != ord("X") else ord("Y")
    t.write_bytes(bytes(data))
    assert ttx("verify", str(t)).returncode == 0  # without a signature check, nothing in the file can tell
    p = ttx("verify", str(t), "--signers", str(world["signers"]))
    assert p.returncode == 1
    assert p.stderr.startswith(f"{t}: the signature does not match this file: it was changed after it was signed")


def test_a_signature_by_someone_else_is_refused(world):
    t = fresh(world, "mallory.ttx.jsonl")
    assert ttx("sign", str(t), "--key", str(world["mallory"])).returncode == 0
    p = ttx("verify", str(t), "--signers", str(world["signers"]))
    assert p.returncode == 1
    assert p.stderr.startswith(f"{t}: signed with ED25519 key SHA256:")
    assert f"which {world['signers']} does not list: the file is intact, but not from anyone that file trusts" in p.stderr


def test_a_key_past_its_valid_before_date_is_refused(world):
    t = fresh(world, "expired.ttx.jsonl")
    assert ttx("sign", str(t), "--key", str(world["alice"])).returncode == 0
    expired = allowed(world["d"], "alice-expired", world["alice"], 'namespaces="ttx-transcript",valid-before="20200101"')
    p = ttx("verify", str(t), "--signers", str(expired))
    assert p.returncode == 1
    assert f"which {expired} does not allow at this time" in p.stderr and "key has expired" in p.stderr


def test_a_missing_signature_is_refused_when_signers_are_given(world):
    t = fresh(world, "unsigned.ttx.jsonl")
    p = ttx("verify", str(t), "--signers", str(world["signers"]))
    assert p.returncode == 1
    assert p.stderr.strip() == (f"{t}: no signature ({t}.sig not found): nothing shows who wrote this file; the "
                                f"facilitator signs with `ttx sign {t} --key KEY`")
    p = ttx("verify", str(t))  # and without --signers, verify says plainly that authorship is not shown
    assert p.returncode == 0
    assert "  signature: none, so nothing shows who wrote this file" in p.stdout


def test_a_signature_made_for_another_purpose_is_not_a_transcript_signature(world):
    t = fresh(world, "other-namespace.ttx.jsonl")
    sig = subprocess.run(["ssh-keygen", "-Y", "sign", "-q", "-f", str(world["alice"]), "-n", "file"],
                         input=t.read_bytes(), capture_output=True, check=True).stdout
    Path(f"{t}.sig").write_bytes(sig)
    p = ttx("verify", str(t), "--signers", str(world["signers"]))
    assert p.returncode == 1 and "not a ttx transcript signature" in p.stderr


def test_a_transcript_that_does_not_verify_is_not_signed(world):
    t = fresh(world, "broken.ttx.jsonl")
    lines = t.read_text(encoding="utf-8").splitlines()
    t.write_text("\n".join(lines[:3] + lines[4:]) + "\n", encoding="utf-8")
    p = ttx("sign", str(t), "--key", str(world["alice"]))
    assert p.returncode == 1 and p.stderr.splitlines()[-1] == f"{t}: not signed, because it does not verify (above)"
    assert not Path(f"{t}.sig").exists()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("with_key", [True, False])
def test_a_live_exercise_is_signed_when_it_ends_or_says_it_is_not(world, tmp_path, with_key):
    """The real `ttx play` in a terminal: quit, and the facilitator is told the transcript is signed (and it
    checks), or that it is not and how to sign it."""
    from tests.test_tui_crash import Pane

    t = tmp_path / "live.ttx.jsonl"
    key = ["--sign-key", str(world["alice"])] if with_key else []
    cmd = " ".join(["env", "-u", "TTX_SIGNING_KEY", sys.executable, "-m", "simulator", "play", SCENARIO, "--runbook",
                    RUNBOOK, "-o", str(t), *key])
    pane = Pane(["sh", "-c", f"{cmd}; echo EXITED; sleep 60"], tmp_path)  # the pane stays to show what was said
    try:
        pane.wait_for("Transcript")
        pane.keys("s")
        pane.wait_for("Inject edr-alert")
        pane.keys("q")
        pane.wait_for("Leave the exercise?")
        pane.keys("q")
        deadline = time.monotonic() + 20
        while "EXITED" not in pane.screen() and time.monotonic() < deadline:
            time.sleep(0.3)
        said = subprocess.run(["tmux", "capture-pane", "-p", "-J", "-t", pane.name],  # -J: wrapped lines joined
                              capture_output=True, text=True).stdout
    finally:
        pane.close()
    assert f"transcript: {t}" in said, said
    if with_key:
        assert f"signed: {t}.sig (with {world['alice']}); check it with: ttx verify {t} --signers FILE" in said
        p = ttx("verify", str(t), "--signers", str(world["signers"]))
        assert p.returncode == 0 and "signature: signed by alice@example.org" in p.stdout
    else:
        assert "not signed: no signing key is set (ttx play --sign-key KEY, or TTX_SIGNING_KEY)" in said, said
        assert not os.path.exists(f"{t}.sig")
