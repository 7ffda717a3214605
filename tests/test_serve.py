"""`ttx play --serve`: binds to localhost unless asked otherwise, says so, and warns loudly when it does not.

The server runs for real in a child process; where it listens is read from the kernel's socket table
(/proc/net/tcp), not from what it prints.
"""

from __future__ import annotations

import http.client
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install 'ttx-tabletop[serve]'), "
                                            "so ttx play --serve cannot run here")

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = str(ROOT / "scenarios" / "ransomware-fileserver.yaml")
RUNBOOK = str(ROOT / "scenarios" / "runbooks" / "acme-msp.yaml")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listeners(port: int) -> list[str]:
    """Addresses with a listening TCP socket on `port`, from /proc/net/tcp and /proc/net/tcp6."""
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not os.path.exists(table):
            continue
        for row in Path(table).read_text().splitlines()[1:]:
            cols = row.split()
            addr, hex_port = cols[1].split(":")
            if int(hex_port, 16) != port or cols[3] != "0A":  # 0A: LISTEN
                continue
            if width == 8:
                found.append(socket.inet_ntop(socket.AF_INET, bytes.fromhex(addr)[::-1]))
            else:
                raw = b"".join(bytes.fromhex(addr[i:i + 8])[::-1] for i in range(0, 32, 8))
                found.append(socket.inet_ntop(socket.AF_INET6, raw))
    return found


def start(*extra: str) -> tuple[subprocess.Popen[str], int]:
    if not os.path.exists("/proc/net/tcp"):
        pytest.skip("no /proc/net/tcp here to read which address the server is bound to")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "play", SCENARIO, "--runbook", RUNBOOK,
                             "--serve", "--port", str(port), *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while not listeners(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            out, err = stop(proc)
            pytest.fail(f"the server did not start listening: {out}\n{err}")
        time.sleep(0.05)
    return proc, port


def first_line(stream) -> str:
    """One line, read byte by byte so that nothing after it is left in a buffer communicate() cannot see."""
    fd, got = stream.fileno(), b""
    while not got.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], 10)
        assert ready, f"nothing more printed after {got!r}"
        byte = os.read(fd, 1)
        assert byte, f"stream closed after {got!r}"
        got += byte
    return got.decode("utf-8")


def stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


def get(port: int, path: str = "/", host: str | None = None, origin: str | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": host or f"127.0.0.1:{port}"}
    if origin:
        headers["Origin"] = origin
    conn.request("GET", path, headers=headers)
    try:
        r = conn.getresponse()
    except http.client.RemoteDisconnected:  # textual-serve hangs up on a websocket request with no upgrade
        return 0, ""
    body = r.read().decode("utf-8", "replace")
    conn.close()
    return r.status, body


def test_serves_on_localhost_only_by_default_and_says_so():
    proc, port = start()
    try:
        said = first_line(proc.stdout)
        assert said.startswith(f"ttx play: serving on http://127.0.0.1:{port}/ — this computer only (localhost).")
        assert "--host 0.0.0.0" in said
        assert listeners(port) == ["127.0.0.1"]  # not 0.0.0.0, not ::, not the LAN address
        status, page = get(port)
        assert status == 200 and f"ws://127.0.0.1:{port}/ws" in page
        # DNS rebinding: a page from another site that resolves to 127.0.0.1 is refused
        status, body = get(port, host=f"attacker.example:{port}")
        assert status == 403 and "refused" in body
        # a websocket opened by another site's page is refused; the browser's own is let through
        assert get(port, "/ws", origin="http://attacker.example")[0] == 403
        assert get(port, "/ws", origin=f"http://127.0.0.1:{port}")[0] != 403
    finally:
        out, err = stop(proc)
    assert "Traceback" not in err, err
    assert "WARNING" not in err


def test_a_network_address_must_be_asked_for_and_is_warned_about_loudly():
    proc, port = start("--host", "0.0.0.0")
    try:
        warning = first_line(proc.stderr)
        assert warning.startswith(f"WARNING: ttx play is listening on 0.0.0.0:{port}, reachable from the network, with no password.")
        assert listeners(port) == ["0.0.0.0"]
        # reached under its network address or its own name, the page points the browser back at it
        status, page = get(port, host=f"192.0.2.7:{port}")
        assert status == 200 and f"ws://192.0.2.7:{port}/ws" in page
        me = socket.gethostname().lower()
        status, page = get(port, host=f"{me}:{port}")
        assert status == 200 and f"ws://{me}:{port}/ws" in page
        assert get(port, "/ws", host=f"192.0.2.7:{port}", origin="http://attacker.example")[0] == 403
        # DNS rebinding works with any name the attacker owns: a name that is not this computer's is refused
        status, body = get(port, host=f"rebind.attacker.example:{port}")
        assert status == 403 and "not this computer's address or name" in body
    finally:
        out, err = stop(proc)
    assert "anyone who can reach this computer" in warning + err
    assert "Traceback" not in err


def test_bad_files_are_reported_in_the_terminal_before_serving(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("ttx: scenario/v1\nid: [unclosed\n")
    r = subprocess.run([sys.executable, "-m", "simulator", "play", str(bad), "--runbook", RUNBOOK, "--serve",
                        "--port", str(free_port())], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert r.stderr.startswith(f"{bad}:") and "Traceback" not in r.stderr
    assert "serving" not in r.stdout


async def _tab(port: int, until: bytes = b"Acme Managed Services", then: tuple[tuple[str, bytes], ...] = ()) -> bytes:
    """A browser tab: open the websocket, say the window size, read the screen the app draws until it
    shows `until`; then for each (keys, marker): type the keys and read until the marker shows."""
    import asyncio

    import aiohttp

    got = b""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"http://127.0.0.1:{port}/ws?width=140&height=45",
                                      headers={"Origin": f"http://127.0.0.1:{port}"}) as ws:
            await ws.send_json(["resize", {"width": 140, "height": 45}])
            for keys, marker in (("", until), *then):
                if keys:
                    await ws.send_json(["stdin", keys])
                try:
                    while marker not in got:
                        msg = await asyncio.wait_for(ws.receive(), 20)
                        if msg.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                            return got
                        got += msg.data if isinstance(msg.data, bytes) else msg.data.encode()
                except TimeoutError:
                    return got
    return got


def test_a_simulator_folder_in_the_working_directory_is_never_run(tmp_path):
    """Each tab's process is started from the folder `ttx play --serve` was started in. A `simulator/`
    package planted there (a shared folder, a downloaded exercise kit) must not be imported by it."""
    import asyncio

    pytest.importorskip("aiohttp")
    ttx = Path(sys.executable).parent / "ttx"
    if not ttx.exists():
        pytest.skip("the ttx entry point is not installed next to this interpreter")
    marker = tmp_path / "PLANTED-CODE-RAN"
    (tmp_path / "simulator").mkdir()
    for name in ("__init__.py", "serve.py", "__main__.py"):
        (tmp_path / "simulator" / name).write_text(f"open({str(marker)!r}, 'a').write('{name}\\n')\n")
    port = free_port()
    proc = subprocess.Popen([str(ttx), "play", SCENARIO, "--runbook", RUNBOOK, "-o", str(tmp_path / "t.ttx.jsonl"),
                             "--serve", "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    try:
        deadline = time.monotonic() + 20
        while not listeners(port):
            assert proc.poll() is None and time.monotonic() < deadline, stop(proc)
            time.sleep(0.05)
        screen = asyncio.run(_tab(port))
        assert b"Ransomware on the file server" in screen  # the real ttx ran in the tab
    finally:
        _, err = stop(proc)
    assert not marker.exists(), marker.read_text()
    assert "Traceback" not in err


def test_a_browser_tab_plays_the_exercise_and_a_reload_continues_the_same_transcript(tmp_path):
    import asyncio

    pytest.importorskip("aiohttp")
    # each tab's process is started through a shell by textual-serve: the name must arrive as one word
    out = tmp_path / "a b $(touch PWNED); `touch PWNED2` 'q.ttx.jsonl"
    proc, port = start("-o", str(out))

    try:
        first = asyncio.run(_tab(port))
        assert b"Ransomware on the file server" in first and b"Acme Managed Services" in first
        import fcntl

        with open(out, "rb") as fh:  # the tab's process quits (and drops its lock) once its websocket closes
            for _ in range(200):
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(fh, fcntl.LOCK_UN)
                    break
                except OSError:
                    time.sleep(0.05)
        header = out.read_text(encoding="utf-8").splitlines()[0]
        second = asyncio.run(_tab(port))  # a reload: the same exercise, resumed rather than refused
        assert b"Acme Managed Services" in second
    finally:
        _, err = stop(proc)
    assert "Traceback" not in err
    from simulator.exercise import verify
    from simulator.transcript import read

    tr = read(str(out))
    assert tr.lines[0] == header and tr.mode == "live"
    assert sorted(os.listdir(tmp_path)) == [out.name]  # the transcript has exactly that name...
    assert not any((d / n).exists() for d in (ROOT, tmp_path) for n in ("PWNED", "PWNED2"))  # ...and nothing ran
    assert [p for p in verify(tr) if "not found" not in p] == []


def test_host_without_serve_is_refused_rather_than_ignored():
    r = subprocess.run([sys.executable, "-m", "simulator", "play", "--host", "0.0.0.0"], cwd=ROOT,
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert r.stderr.strip() == "--host and --port are for serving in a browser: add --serve"


def test_without_textual_serve_it_says_how_to_get_it():
    code = ("import sys; sys.modules['textual_serve'] = None; from simulator.cli import main; "
            "sys.exit(main(['play', '--serve']))")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert r.stderr.strip() == "ttx play --serve needs textual-serve: pip install 'ttx-tabletop[serve]'"


def test_a_scenario_without_a_runbook_is_refused_before_serving():
    r = subprocess.run([sys.executable, "-m", "simulator", "play", SCENARIO, "--serve", "--port", str(free_port())],
                       cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and "--runbook RUNBOOK together" in r.stderr and "serving" not in r.stdout


def test_the_served_page_loads_nothing_from_another_host():
    """An air-gapped meeting room: no web font, script or style from the internet."""
    proc, port = start()
    try:
        status, page = get(port)
        assert status == 200 and "Roboto Mono" in page
        here = f"127.0.0.1:{port}"
        urls = re.findall(r"(?:https?|wss?):(//[^\s\"'<>)]+)|(?:src|href)=[\"'](//[^\"']+)|url\([\"']?(//[^\"')]+)", page)
        hosts = {u.lstrip("/").split("/")[0] for match in urls for u in match if u}
        assert hosts == {here}, hosts
        for asset in re.findall(r"(?:src|href)=\"http://127\.0\.0\.1:\d+(/static/[^\"]+)\"|url\(\"http://127\.0\.0\.1:\d+(/static/[^\"]+)\"", page):
            path = next(a for a in asset if a)
            assert get(port, path)[0] == 200, path  # the local copies are really served
    finally:
        stop(proc)


def test_a_served_picker_opens_only_the_library_and_the_files_named(tmp_path):
    """Served with `--host 0.0.0.0`, whoever reaches the page must not read the facilitator's files through
    the picker's open-file action (it used to quote the first line of any path in a toast)."""
    import asyncio

    pytest.importorskip("aiohttp")
    secret = tmp_path / "secret.yaml"
    secret.write_text("ttx: scenario/v1\ntitle: TOP-SECRET-LINE\n")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "play", "--serve", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    try:
        deadline = time.monotonic() + 20
        while not listeners(port):
            assert proc.poll() is None and time.monotonic() < deadline, stop(proc)
            time.sleep(0.05)
        screen = asyncio.run(_tab(port, b"library", (("o", b"path"), (str(secret) + "\r", b"named on the command line"))))
    finally:
        _, err = stop(proc)
    assert b"Cannot open" in screen and b"named on the command line" in screen
    assert b"TOP-SECRET-LINE" not in screen
    assert "Traceback" not in err
