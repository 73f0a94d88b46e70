"""``stat-widgets`` command line: ``serve`` runs the reference server, ``lab`` opens the demo
notebook against an embedded one.

FastAPI and uvicorn are imported only once a command that needs them is chosen, so
``stat-widgets --help`` stays fast and works without the server dependencies.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

DEMO_NOTEBOOK = Path("notebooks") / "01-order.ipynb"


def _token(text: str) -> tuple[str, str]:
    token, sep, user = text.partition("=")
    if not sep or not token or not user:
        raise argparse.ArgumentTypeError(f"expected TOKEN=USER, got {text!r}")
    return token, user


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stat-widgets", description="Satellite tasking widgets for Jupyter (STAT / STAPI)."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the reference STAT server")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
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
        help="accept 'Authorization: Bearer TOKEN' as USER (repeatable); none: no auth",
    )

    lab = commands.add_parser(
        "lab",
        help="open the demo notebook in JupyterLab with an embedded server",
        description="Extra arguments are passed to 'jupyter lab' (e.g. --no-browser).",
    )
    lab.add_argument("--port", type=int, default=8888, help="JupyterLab port (default 8888)")
    lab.add_argument("--db", type=Path, default=None, help="SQLite file for the demo orders")
    lab.add_argument("--notebook", type=Path, default=None, help="notebook to open")
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from stat_widgets.server import SystemClock, create_app

    tokens = dict(args.token) or None
    args.db.parent.mkdir(parents=True, exist_ok=True)
    app = create_app(db_path=args.db, tokens=tokens, clock=SystemClock(), root_path=args.root_path)
    print(f"STAT reference server on http://{args.host}:{args.port} (orders in {args.db})")
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def _demo_db() -> Path:
    """``~/.stat_widgets/demo.db`` when the home directory is writable, else a temp dir."""
    home = Path.home() / ".stat_widgets"
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
    server = run_in_thread(db_path=args.db or _demo_db(), clock=SystemClock())
    print(f"STAT reference server on {server.url} (orders in {server.db_path})")
    env = {**os.environ, "STAT_API_URL": server.url}
    # A child process, not exec: the server thread must live as long as JupyterLab does.
    command = [jupyter, "lab", str(notebook), f"--port={args.port}", *extra]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        # containers, Binder-like images and CI run as root; JupyterLab refuses without this
        command.append("--allow-root")
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 130
    finally:
        server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command != "lab" and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "serve":
        return _serve(args)
    return _lab(args, extra)


if __name__ == "__main__":
    sys.exit(main())
