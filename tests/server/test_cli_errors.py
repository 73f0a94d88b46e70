"""``stat-widgets serve`` in child processes, as a user runs it: every mistake is one line
starting with ``error:`` and a non-zero exit (no traceback); the "serving on" line comes only
once the server listens; tokens can come from a file, and may contain ``=``."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from .bodies import order_body

SERVE = [sys.executable, "-m", "stat_widgets.cli", "serve"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fails(*args: str) -> str:
    """The one line a failing ``serve`` prints (stdout and stderr together)."""
    result = subprocess.run([*SERVE, *args], capture_output=True, text=True, timeout=120)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    lines = output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), output
    return lines[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--port", "70000"], "the port must be a number from 0 to 65535, not '70000'"),
        (["--port", "-1"], "the port must be a number from 0 to 65535, not '-1'"),
        (["--db", "/proc/x.db"], "cannot use the database /proc/x.db"),
        (["--token", "secret-without-user"], "expected TOKEN=USER"),
    ],
)
def test_a_bad_argument_is_one_error_line(tmp_path: Path, args: list[str], expected: str) -> None:
    line = _fails(*args, *([] if "--db" in args else ["--db", str(tmp_path / "x.db")]))
    assert expected in line
    assert "secret-without-user" not in line  # a malformed token is not echoed


def test_a_port_in_use_is_one_error_line_and_no_serving_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _fails("--port", str(port), "--db", str(tmp_path / "x.db"))
    assert line == f"error: cannot listen on 127.0.0.1:{port}: the port is in use"
    assert not (tmp_path / "x.db").exists()  # nothing was made before the failure


def test_a_bad_tokens_file_names_the_line(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("# who may order\n\ngood=alice\nsecret-alone\n")
    line = _fails("--tokens-file", str(tokens), "--db", str(tmp_path / "x.db"))
    assert line == f"error: {tokens} line 4: expected TOKEN=USER (the line is not shown)"
    assert "cannot read the tokens file" in _fails("--tokens-file", str(tmp_path / "none"))


def test_serve_with_a_tokens_file_says_where_only_once_it_serves(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("# base64 tokens end in '='\nc2VjcmV0==carol\n\n  dGVzdA= = dave \n")
    port = _free_port()
    process = subprocess.Popen(
        [*SERVE, "--port", str(port), "--db", str(tmp_path / "s.db"), "--tokens-file", str(tokens)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # blocks until the server prints it
        url = f"http://127.0.0.1:{port}"
        assert first == f"STAT reference server on {url} (orders in {tmp_path / 's.db'})\n"
        assert httpx.get(f"{url}/conformance", timeout=5).status_code == 200  # at once
        for token, user in (("c2VjcmV0=", "carol"), ("dGVzdA=", "dave")):
            made = httpx.post(
                f"{url}/order", json=order_body(), headers={"Authorization": f"Bearer {token}"}
            )
            assert made.status_code == 201 and made.json()["user"] == user
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        assert b"c2VjcmV0" not in cmdline  # the process list shows the file, not the tokens
    finally:
        process.terminate()
        process.wait(30)
        if process.stdout:
            process.stdout.close()


@contextmanager
def _serving(tmp_path: Path, *extra: str) -> Iterator[str]:
    """``stat-widgets serve`` with ``extra`` arguments, once it says it serves: its URL."""
    port = _free_port()
    process = subprocess.Popen(
        [*SERVE, "--port", str(port), "--db", str(tmp_path / "s.db"), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("STAT reference server on")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)
        if process.stdout:
            process.stdout.close()


def test_serve_allows_the_ref_hosts_it_is_told(tmp_path: Path) -> None:
    """``--allow-ref-host`` reaches the server: a reference on loopback (the server's own
    landing page, not GeoJSON) is fetched and judged, rather than refused as loopback."""
    with _serving(tmp_path, "--allow-ref-host", "127.0.0.1") as url:
        deadline = time.monotonic() + 20
        body = order_body(geometry={"$ref": f"{url}/conformance"})
        answer = httpx.post(f"{url}/order", json=body, timeout=deadline - time.monotonic())
        assert answer.status_code == 422
        message = " ".join(e["message"] for e in answer.json()["errors"])
        assert "loopback" not in message and "geometry type" in message


def test_serve_answers_the_hosts_and_root_path_it_is_told(tmp_path: Path) -> None:
    """``--allow-host`` and ``--root-path`` reach the app the CLI builds for its own uvicorn:
    a name it was told is answered (with links under the root path), any other gets 421."""
    with _serving(tmp_path, "--allow-host", "stat.internal", "--root-path", "/stat") as url:
        told = httpx.get(f"{url}/", headers={"Host": "stat.internal:8080"}, timeout=10)
        assert told.status_code == 200
        self_link = next(x["href"] for x in told.json()["links"] if x["rel"] == "self")
        assert self_link == "http://stat.internal:8080/stat/"
        other = httpx.get(f"{url}/", headers={"Host": "attacker.example"}, timeout=10)
        assert other.status_code == 421
        assert other.json()["errors"][0]["field"] == "Host"


def test_ctrl_c_stops_serve_without_a_traceback(tmp_path: Path) -> None:
    import signal

    process = subprocess.Popen(
        [*SERVE, "--port", str(_free_port()), "--db", str(tmp_path / "s.db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # as from a terminal (a test runner's children may inherit SIGINT ignored)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None
    while "STAT reference server on" not in process.stdout.readline():
        assert process.poll() is None
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    assert "Traceback" not in output, output
    assert process.returncode == 130
