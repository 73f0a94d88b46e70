"""``stat-widgets`` command line: ``serve`` runs the reference server, ``lab`` opens the demo
notebook against an embedded one.

FastAPI and uvicorn are imported only once a command that needs them is chosen, so
``stat-widgets --help`` stays fast and works without the server dependencies.

A mistake the user can fix (a bad argument, a port in use, a database that cannot be opened)
is one line starting with ``error:`` and exit status 2 or 1, never a traceback. ``serve``
binds its socket before anything is printed, and says where it serves only once it does.
"""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

DEMO_NOTEBOOK = Path("notebooks") / "01-order.ipynb"


class UsageError(Exception):
    """A mistake in what the user asked for: reported as ``error: ...``, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as one ``error:`` line (it prints the usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"the port must be a number from 0 to 65535, not {text!r}")
    return port


def _token(text: str) -> tuple[str, str]:
    """``TOKEN=USER``, split at the last ``=``: tokens (base64) may contain ``=``; names do not."""
    token, sep, user = text.rpartition("=")
    token, user = token.strip(), user.strip()  # the server strips the header's token too
    if not sep or not token or not user:
        raise argparse.ArgumentTypeError("expected TOKEN=USER (the token is not shown)")
    return token, user


def read_tokens_file(path: Path) -> list[tuple[str, str]]:
    """``TOKEN=USER`` lines; blank lines and ``#`` comments are skipped. A file keeps tokens
    out of the process list, where ``--token`` shows them to every user of the machine."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the tokens file {path}: {exc}") from None
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            pairs.append(_token(line))
        except argparse.ArgumentTypeError:
            raise UsageError(
                f"{path} line {number}: expected TOKEN=USER (the line is not shown)"
            ) from None
    return pairs


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="stat-widgets", description="Satellite tasking widgets for Jupyter (STAT / STAPI)."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the reference STAT server")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--db", type=Path, default=Path("stat-orders.db"), help="SQLite file for the orders"
    )
    serve.add_argument(
        "--root-path",
        default="",
        metavar="PREFIX",
        help="the path a reverse proxy serves this server under (e.g. /stat); links carry it. "
        "A proxy's X-Forwarded-Prefix header is honoured per request without this",
    )
    serve.add_argument(
        "--token",
        type=_token,
        action="append",
        default=[],
        metavar="TOKEN=USER",
        help="accept 'Authorization: Bearer TOKEN' as USER (repeatable); none: no auth. "
        "Visible in the process list: prefer --tokens-file",
    )
    serve.add_argument(
        "--tokens-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="read TOKEN=USER lines from PATH (blank lines and # comments ignored)",
    )
    serve.add_argument(
        "--allow-ref-host",
        action="append",
        default=[],
        metavar="HOST",
        help="let $ref geometries be fetched from HOST even though it is a loopback, "
        "link-local or private address (repeatable; by default only public hosts)",
    )

    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="HOST",
        help="answer to requests whose Host header names HOST, besides the loopback names and "
        "--host (repeatable; '*' for any): the name a reverse proxy or the network uses",
    )

    lab = commands.add_parser(
        "lab",
        help="open the demo notebook in JupyterLab with an embedded server",
        description="Extra arguments are passed to 'jupyter lab' (e.g. --no-browser).",
    )
    lab.add_argument("--port", type=_port, default=8888, help="JupyterLab port (default 8888)")
    lab.add_argument("--db", type=Path, default=None, help="SQLite file for the demo orders")
    lab.add_argument("--notebook", type=Path, default=None, help="notebook to open")
    return parser


def _listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound now, so a port in use is reported before anything else."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # no wait after a restart
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = "the port is in use" if exc.errno == errno.EADDRINUSE else exc.strerror or exc
        raise UsageError(f"cannot listen on {host}:{port}: {reason}") from None
    sock.set_inheritable(True)
    return sock


def _open_app(args: argparse.Namespace, tokens: dict[str, str] | None) -> Any:
    from stat_widgets.server import SystemClock, create_app

    try:
        args.db.parent.mkdir(parents=True, exist_ok=True)
        return create_app(
            db_path=args.db,
            tokens=tokens,
            clock=SystemClock(),
            allow_ref_hosts=args.allow_ref_host,
            allowed_hosts=[args.host, *args.allow_host],
            root_path=args.root_path,
        )
    except (OSError, sqlite3.Error) as exc:
        raise UsageError(f"cannot use the database {args.db}: {exc}") from None


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from stat_widgets.server.connections import uvicorn_options

    pairs = list(args.token)
    if args.tokens_file is not None:
        pairs += read_tokens_file(args.tokens_file)
    sock = _listen(args.host, args.port)
    try:
        app = _open_app(args, dict(pairs) or None)
    except UsageError:
        sock.close()
        raise
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    line = f"STAT reference server on http://{shown}:{port} (orders in {args.db})"

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:  # listening: only now is the line true
                print(line, flush=True)

    limits = app.state.stat.limits  # head, body and keep-alive deadlines
    server = Server(uvicorn.Config(app, log_level="info", **uvicorn_options(limits)))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl-C: uvicorn shut down, then raised it again
        return 130
    finally:
        sock.close()
    return 0 if server.started else 1


def _demo_db() -> Path:
    """``demo.db`` in ``$STAT_WIDGETS_HOME`` (else ``~/.stat_widgets``, where the forms keep
    their drafts too) when that directory is writable, else in a temp dir."""
    from stat_widgets._home import home_dir

    home = home_dir()
    try:
        home.mkdir(parents=True, exist_ok=True)
        probe = home / ".write-test"
        probe.touch()
        probe.unlink()
        return home / "demo.db"
    except OSError:
        return Path(tempfile.mkdtemp(prefix="stat-widgets-")) / "demo.db"


def _find_notebook(explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    for root in (Path.cwd(), Path(__file__).resolve().parent.parent):
        if (root / DEMO_NOTEBOOK).exists():
            return root / DEMO_NOTEBOOK
    return DEMO_NOTEBOOK


def _lab(args: argparse.Namespace, extra: Sequence[str]) -> int:
    from stat_widgets.server import SystemClock, run_in_thread

    jupyter = shutil.which("jupyter") or str(Path(sys.executable).with_name("jupyter"))
    notebook = _find_notebook(args.notebook)
    db = args.db or _demo_db()
    try:
        server = run_in_thread(db_path=db, clock=SystemClock())
    except (OSError, sqlite3.Error) as exc:
        raise UsageError(f"cannot use the database {db}: {exc}") from None
    print(f"STAT reference server on {server.url} (orders in {server.db_path})", flush=True)
    env = {**os.environ, "STAT_API_URL": server.url}
    # A child process, not exec: the server thread must live as long as JupyterLab does.
    # JupyterLab serves the notebook's folder; the URL it prints (with its token) opens the
    # notebook itself, which is what a person on a server without a browser copies.
    opens = "/lab/tree/" + urllib.parse.quote(notebook.name)
    command = [jupyter, "lab", str(notebook), f"--port={args.port}"]
    command += [f"--LabApp.default_url={opens}", *extra]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        # containers, Binder-like images and CI run as root; JupyterLab refuses without this
        command.append("--allow-root")
    try:
        return run_until_stopped(command, env)
    finally:
        server.stop()
        print(
            f"Stopped the STAT reference server. The demo orders stay in {server.db_path} "
            "(delete the file to start afresh).",
            flush=True,
        )


def run_until_stopped(command: Sequence[str], env: dict[str, str]) -> int:
    """Run ``command`` until it exits; Ctrl-C (SIGINT) or SIGTERM asks it to stop.

    JupyterLab runs in its own process group with no terminal input, so only this process
    receives Ctrl-C, and passes it on as SIGTERM: JupyterLab's own clean stop, which shuts its
    kernels down without the confirmation prompt (on SIGINT without a terminal it would exit
    and leave the kernels to notice on their own). A second Ctrl-C kills it. Letting
    ``subprocess.call`` handle Ctrl-C instead would kill JupyterLab 0.25 s later, mid-prompt.
    """
    posix = os.name == "posix"
    child = subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, process_group=0 if posix else None
    )
    escalation = [signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)]

    def forward(_signum: int, _frame: Any) -> None:
        child.send_signal(escalation.pop(0) if len(escalation) > 1 else escalation[0])

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        return child.wait()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command != "lab" and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "serve":
            return _serve(args)
        return _lab(args, extra)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
