"""The in-process server and the ``stat-widgets`` command line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from stat_widgets import cli
from stat_widgets.server import EmbeddedServer, run_in_thread, start_server

from .bodies import order_body


def test_embedded_server_lifecycle() -> None:
    server = run_in_thread()
    assert isinstance(server, EmbeddedServer)
    assert server.url.startswith("http://127.0.0.1:") and not server.url.endswith("/")
    assert httpx.get(f"{server.url}/conformance").status_code == 200
    db = server.db_path
    assert db.exists()
    server.stop()
    server.stop()  # idempotent
    assert not server.running
    assert not db.exists()  # a temporary db goes away with the server
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/conformance")


def test_context_manager_and_alias(tmp_path: Path) -> None:
    assert start_server is run_in_thread
    with start_server(db_path=tmp_path / "x.db") as server:
        assert httpx.post(f"{server.url}/order", json=order_body()).status_code == 201
    assert not server.running
    assert (tmp_path / "x.db").exists()  # a db the caller chose is kept


def test_fixed_port_in_use_is_an_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            run_in_thread(port=taken.getsockname()[1])


def _imports_fastapi(code: str) -> bool:
    result = subprocess.run(
        [sys.executable, "-c", f"{code}; import sys; print('fastapi' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip() == "True"


def test_light_imports_do_not_pull_in_fastapi() -> None:
    assert not _imports_fastapi("import stat_widgets, stat_widgets.cli")
    assert not _imports_fastapi("from stat_widgets.server.conformance import STAT_CORE")
    assert not _imports_fastapi("from stat_widgets.server import ManualClock")
    assert _imports_fastapi("from stat_widgets.server import create_app")


def test_token_arguments() -> None:
    args = cli.build_parser().parse_args(
        ["serve", "--port", "9000", "--token", "abc=alice", "--token", "x=y=z", "--token", "a==b"]
    )
    assert args.port == 9000 and args.host == "127.0.0.1"
    # split at the last "=": base64 tokens end in "=", user names have none
    assert dict(args.token) == {"abc": "alice", "x=y": "z", "a=": "b"}
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["serve", "--token", "no-user"])
    with pytest.raises(SystemExit):
        cli.main(["serve", "--bogus"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_command_runs_a_real_server(tmp_path: Path) -> None:
    port = _free_port()
    db = tmp_path / "served.db"
    command = [sys.executable, "-m", "stat_widgets.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--db", str(db), "--token", "t1=carol"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                landing = httpx.get(f"{url}/")
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        assert landing.status_code == 200
        assert httpx.get(f"{url}/orders").status_code == 401
        created = httpx.post(
            f"{url}/order", json=order_body(), headers={"Authorization": "Bearer t1"}
        )
        assert created.json()["user"] == "carol"
    finally:
        process.terminate()
        process.wait(30)
        if process.stdout:
            process.stdout.close()
    assert db.exists()


def test_lab_command_starts_a_server_and_passes_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs everything but JupyterLab itself: the child process is replaced by a probe that
    checks the server answers at STAT_API_URL while "JupyterLab" runs."""
    seen: dict[str, object] = {}

    def fake_run(command: list[str], env: dict[str, str]) -> int:
        seen["command"] = command
        seen["url"] = env["STAT_API_URL"]
        seen["status"] = httpx.get(f"{env['STAT_API_URL']}/conformance").status_code
        return 0

    monkeypatch.setattr(cli, "run_until_stopped", fake_run)
    notebook = tmp_path / "demo.ipynb"
    code = cli.main(
        ["lab", "--db", str(tmp_path / "lab.db"), "--notebook", str(notebook), "--no-browser"]
    )
    assert code == 0
    assert seen["status"] == 200
    command = seen["command"]
    assert isinstance(command, list)
    opens = "--LabApp.default_url=/lab/tree/demo.ipynb"  # the printed URL opens the notebook
    expected = ["lab", str(notebook), "--port=8888", opens, "--no-browser"]
    if os.geteuid() == 0:  # JupyterLab refuses to start as root without it (CI, containers)
        expected.append("--allow-root")
    assert command[1:] == expected
    with pytest.raises(httpx.ConnectError):  # stopped when JupyterLab exits
        httpx.get(f"{seen['url']}/conformance")
    assert "STAT_API_URL" not in os.environ
