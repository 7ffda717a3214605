"""`ttx play --serve`: the live exercise in a web browser, through textual-serve.

A served exercise is a remote control for a transcript that may become
contracting evidence, with no password in front of it. So it listens on
127.0.0.1 (this computer only) unless the facilitator asks for another address
with `--host`, says so when it starts, and warns loudly when it is reachable
from the network. It refuses requests whose Host header is not a loopback name,
its own address or name (or, on 0.0.0.0, an address literal), so a web page the
facilitator happens to visit cannot reach it through DNS rebinding, and it
refuses websockets from other origins.

Each browser tab runs its own `ttx play` process, isolated from the folder it
was started in (see child_command). With `-o FILE`, the first tab
starts the exercise and later tabs (or a reload) continue it with `--resume`;
the transcript lock keeps two tabs from writing it at once.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import shlex
import sys
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# A Host header is a name or address and an optional port: nothing else gets near the page.
_HOST_HEADER = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def announce(host: str, port: int) -> list[tuple[str, str]]:
    """What to tell the facilitator before listening: (stream, line) pairs."""
    if is_loopback(host):
        return [("out", f"ttx play: serving on http://{url_host(host)}:{port}/ — this computer only (localhost). "
                        "To let others on your network join, add --host 0.0.0.0.")]
    return [
        ("err", f"WARNING: ttx play is listening on {host}:{port}, reachable from the network, with no password."),
        ("err", "WARNING: anyone who can reach this computer on that port can open the exercise, read the scenario "
                "and runbook, and record actions into the transcript."),
        ("err", "WARNING: use it only on a network you trust, and stop it with Ctrl+C when the exercise is over; "
                "leave out --host to serve this computer only."),
        ("out", f"ttx play: serving on http://{url_host(host)}:{port}/ (all addresses)" if host in ("0.0.0.0", "::")
         else f"ttx play: serving on http://{url_host(host)}:{port}/"),
    ]


def child_argv(args: argparse.Namespace) -> list[str]:
    """The `ttx play` arguments each browser tab's process gets (everything but the serving options)."""
    out: list[str] = []
    if args.scenario:
        out.append(args.scenario)
    for flag, value in (("--runbook", args.runbook), ("-o", args.output), ("--resume", args.resume),
                        ("--library", getattr(args, "library", None))):
        if value:
            out += [flag, value]
    return out


def _check_inputs(args: argparse.Namespace) -> None:
    """Bad files are reported here, in the terminal, rather than as a blank browser tab."""
    from .errors import UserError

    if args.resume and args.scenario:
        raise UserError("ttx play: give either a SCENARIO or --resume T.ttx.jsonl, not both")
    if bool(args.scenario) != bool(args.runbook) and not args.resume:
        raise UserError("ttx play: give a SCENARIO and --runbook RUNBOOK together (or neither, for the library picker)")
    if args.resume:
        from .transcript import read

        read(args.resume)
    elif args.scenario and args.runbook:
        from .exercise import open_pair

        open_pair(args.scenario, args.runbook)


def child_command(argv: list[str]) -> str:
    """The shell command textual-serve runs for each tab: this interpreter, isolated (-I: no current
    folder, no PYTHON* variables, no user site on sys.path), importing ttx from where this process
    found it, so a `simulator/` folder wherever the facilitator happens to be is never run."""
    import os

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    boot = f"import sys; sys.path.insert(0, {root!r}); from simulator.cli import child_main; sys.exit(child_main(sys.argv[1:]))"
    return shlex.join([sys.executable, "-I", "-c", boot, *argv])


def allowed_hosts(host: str, port: int) -> tuple[set[str], bool]:
    """Host headers to accept: (names with the port, whether any IP address literal is accepted).

    DNS rebinding needs a name the attacker controls that resolves here; a literal address, the
    loopback names and this computer's own names cannot be that. Bound to one address, only it."""
    import socket

    names = {f"{name}:{port}" for name in LOOPBACK_NAMES} | {f"{url_host(host)}:{port}"}
    if is_loopback(host):
        return names, False
    if host in ("0.0.0.0", "::"):
        me = socket.gethostname()
        for name in {me, socket.getfqdn(), f"{me}.local", me.split(".")[0] + ".local"}:
            if name:
                names.add(f"{name.lower()}:{port}")
        return names, True
    return names, False


def _is_ip_literal(host_header: str) -> bool:
    name = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
    try:
        ipaddress.ip_address(name.strip("[]"))
        return True
    except ValueError:
        return False


def make_server(host: str, port: int, command: str) -> Any:
    from aiohttp import web
    from textual_serve.server import Server

    allowed, any_address = allowed_hosts(host, port)

    class GuardedServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(guard)
            return app

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            # the page's websocket address follows the address the browser used (validated by guard)
            self.public_url = f"http://{request.host}"
            return await super().handle_index(request)

    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        host_header = request.headers.get("Host", "")
        known = host_header.lower() in allowed or (any_address and _is_ip_literal(host_header)
                                                    and host_header.endswith(f":{port}"))
        if not _HOST_HEADER.match(host_header) or not known:
            return web.Response(status=403, text=f"ttx: refused a request for host {host_header!r} (not this "
                                                 f"computer's address or name); open http://{url_host(host)}:{port}/ "
                                                 "or this computer's address instead\n")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and origin.lower() != f"http://{host_header.lower()}":
            return web.Response(status=403, text="ttx: refused a websocket from another web site\n")
        return await handler(request)

    # our copy of textual-serve's page, without its web font: an air-gapped meeting room must work
    page = os.path.join(os.path.dirname(os.path.abspath(__file__)), "web")
    return GuardedServer(command, host=host, port=port, title="ttx play", templates_path=page)


def serve(args: argparse.Namespace) -> int:
    from .errors import UserError

    try:
        import textual_serve  # noqa: F401
    except ImportError:
        raise UserError("ttx play --serve needs textual-serve: pip install 'ttx-tabletop[serve]'") from None
    host = args.host or DEFAULT_HOST
    port = DEFAULT_PORT if args.port is None else args.port
    if not 0 < port < 65536:
        raise UserError(f"--port {port}: expected a port number from 1 to 65535")
    _check_inputs(args)
    command = child_command(child_argv(args))  # cli.child_main
    server = make_server(host, port, command)
    for stream, line in announce(host, port):
        print(line, file=sys.stderr if stream == "err" else sys.stdout, flush=True)
    try:
        server.serve()
    except OSError as e:  # the port is taken, or the address is not this computer's
        raise UserError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    return 0
