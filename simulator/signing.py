"""Signing transcripts with the facilitator's SSH key, the way git signs commits (SPEC section 6 evidence).

A hash chain shows that lines were not changed one by one; it cannot show *who* wrote the file, since
anyone can recompute it. A signature can: `ssh-keygen -Y sign` with the facilitator's key over the
transcript's exact bytes, in a namespace of ttx's own (so a signature made for git, or for any other
file, cannot be passed off as one for a transcript), checked against an allowed-signers file
(`ssh-keygen(1)`, ALLOWED SIGNERS) that the third party keeps. The cryptography is OpenSSH's; this
module only runs it, with arguments as a list and nothing from a file on the command line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from .record import record

NAMESPACE = "ttx-transcript"
KEY_ENV = "TTX_SIGNING_KEY"  # the key `ttx play` signs a live transcript with when the exercise ends
_TIMEOUT = 120  # a passphrase prompt waits for the facilitator; nothing else takes more than a moment


class SigningError(Exception):
    """Signing or checking could not be done (no ssh-keygen, no key, unreadable file): one line to show."""


@record
class Verdict:
    good: bool
    message: str  # what was proven, or why not


def signature_path(transcript: str) -> str:
    return transcript + ".sig"


def _ssh_keygen() -> str:
    found = shutil.which("ssh-keygen")
    if not found:
        raise SigningError("ssh-keygen (OpenSSH) is not installed: install openssh-client to sign or check signatures")
    return found


def _run(args: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run([_ssh_keygen(), *args], input=data, capture_output=True, timeout=_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise SigningError("ssh-keygen did not finish (waiting for a passphrase?)") from None


def _said(p: subprocess.CompletedProcess[bytes]) -> str:
    """ssh-keygen's own last words, on one line."""
    text = (p.stderr or p.stdout).decode("utf-8", "replace")
    return " ".join(text.split())[-300:]


def sign(transcript: str, key: str) -> str:
    """Write TRANSCRIPT.sig: an SSH signature of the transcript's bytes; returns its path."""
    with open(transcript, "rb") as fh:
        data = fh.read()
    if not os.path.exists(os.path.expanduser(key)):
        raise SigningError(f"{key}: no such key file")
    p = _run(["-Y", "sign", "-q", "-f", os.path.expanduser(key), "-n", NAMESPACE], data)  # signs stdin, to stdout
    if p.returncode != 0 or not p.stdout.startswith(b"-----BEGIN SSH SIGNATURE-----"):
        raise SigningError(f"could not sign with {key}: {_said(p)}")
    out = signature_path(transcript)
    tmp = f"{out}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(p.stdout)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out)
    return out


_GOOD = re.compile(r'Good "[^"]*" signature(?: for (?P<who>.+?))? with (?P<key>\S+ key \S+)')


def check(transcript: str, signers: str) -> Verdict:
    """Whether TRANSCRIPT.sig is a signature of exactly these bytes, in ttx's namespace, by a key that
    SIGNERS allows (now: an entry's valid-before/valid-after count)."""
    sig = signature_path(transcript)
    if not os.path.isfile(sig):
        return Verdict(False, f"no signature ({sig} not found): nothing shows who wrote this file; "
                              f"the facilitator signs with `ttx sign {transcript} --key KEY`")
    if not os.path.isfile(signers):
        raise SigningError(f"{signers}: no such allowed-signers file")
    with open(transcript, "rb") as fh:
        data = fh.read()
    alone = _run(["-Y", "check-novalidate", "-n", NAMESPACE, "-s", sig], data)
    if alone.returncode != 0:
        return Verdict(False, f"the signature does not match this file: it was changed after it was signed, or the "
                              f"signature is not a ttx transcript signature (ssh-keygen: {_said(alone)})")
    m = _GOOD.search(alone.stdout.decode("utf-8", "replace") + alone.stderr.decode("utf-8", "replace"))
    key = m["key"] if m else "its key"
    found = _run(["-Y", "find-principals", "-s", sig, "-f", signers], b"")
    principals = found.stdout.decode("utf-8", "replace").split()
    if found.returncode != 0 or not principals:
        why = _said(found)
        if "expired" in why or "not yet valid" in why:
            return Verdict(False, f"signed with {key}, which {signers} does not allow at this time "
                                  f"(ssh-keygen: {why})")
        return Verdict(False, f"signed with {key}, which {signers} does not list: the file is intact, but "
                              "not from anyone that file trusts")
    for who in principals:
        p = _run(["-Y", "verify", "-f", signers, "-I", who, "-n", NAMESPACE, "-s", sig], data)
        if p.returncode == 0:
            return Verdict(True, f"signed by {who} ({key}, allowed by {signers}): the file is byte for byte "
                                 "what that key signed")
    return Verdict(False, f"signed with {key}, but {signers} does not allow it for {NAMESPACE} signatures now "
                          f"(ssh-keygen: {_said(p)})")


def sign_at_end(transcript: str, key: str | None) -> str:
    """What to tell the facilitator about the signature when a live exercise ends (signing it if a key is set)."""
    key = key or os.environ.get(KEY_ENV) or None
    later = f"ttx sign {transcript} --key ~/.ssh/id_ed25519"
    if key is None:
        return (f"not signed: no signing key is set (ttx play --sign-key KEY, or {KEY_ENV}); the transcript shows no "
                f"author until you sign it: {later}")
    try:
        return f"signed: {sign(transcript, key)} (with {key}); check it with: ttx verify {transcript} --signers FILE"
    except (SigningError, OSError) as e:
        return f"NOT signed: {e}; sign it later with: {later}"
