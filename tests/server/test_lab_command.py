"""``stat-widgets lab`` as a person runs it from a terminal, with a stand-in ``jupyter`` on the
PATH (JupyterLab itself is driven by the browser tests): the demo server's line first, the
orders kept in ``~/.stat_widgets/demo.db``, and Ctrl-C stopping JupyterLab cleanly (SIGTERM,
its own clean stop) and then the server, with a last line saying where the orders stay."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and process groups")

#: Says what it was started with, then waits to be stopped and says by which signal.
FAKE_JUPYTER = """\
import os, signal, sys, time, urllib.request

def stop(number, _frame):
    print("jupyter got", signal.Signals(number).name, flush=True)
    sys.exit(0)

signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
url = os.environ["STAT_API_URL"]
status = urllib.request.urlopen(url + "/conformance").status
print("jupyter args:", sys.argv[1:], flush=True)
own_group = os.getpgid(0) == os.getpid()
print("jupyter stdin is a tty:", sys.stdin.isatty(), "pgid is its own:", own_group)
print("server answers:", status, flush=True)
time.sleep(120)
"""


def _fake_jupyter(directory: Path) -> Path:
    directory.mkdir()
    script = directory / "jupyter"
    script.write_text(f"#!{sys.executable}\n{FAKE_JUPYTER}")
    script.chmod(0o755)
    return directory


def _wait_for(lines: list[str], process: subprocess.Popen[str], text: str) -> None:
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while not any(text in line for line in lines):
        assert time.monotonic() < deadline, lines
        line = process.stdout.readline()
        assert line, f"exited with {process.wait()}: {lines}"
        lines.append(line)


def test_ctrl_c_stops_jupyterlab_then_the_server_and_says_where_the_orders_stay(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    bin_dir = _fake_jupyter(tmp_path / "bin")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "01-order.ipynb").write_text("{}")
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("STAT_WIDGETS_HOME", None)  # the suite's own, set in tests/conftest.py
    process = subprocess.Popen(
        [sys.executable, "-m", "stat_widgets.cli", "lab"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # As a terminal starts it: a process group of its own, Ctrl-C not ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        process_group=0,
    )
    lines: list[str] = []
    try:
        _wait_for(lines, process, "server answers: 200")
        db = home / ".stat_widgets" / "demo.db"
        assert lines[0].startswith("STAT reference server on http://127.0.0.1:")
        assert lines[0].rstrip().endswith(f"(orders in {db})")
        assert db.exists()
        notebook = str(tmp_path / "notebooks" / "01-order.ipynb")
        assert f"jupyter args: ['lab', '{notebook}', '--port=8888', " in "".join(lines)
        assert "'--LabApp.default_url=/lab/tree/01-order.ipynb'" in "".join(lines)
        assert "jupyter stdin is a tty: False pgid is its own: True" in "".join(lines)

        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        rest, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0
    assert rest.splitlines() == [
        "jupyter got SIGTERM",
        f"Stopped the STAT reference server. The demo orders stay in {db} "
        "(delete the file to start afresh).",
    ]
    assert db.exists()  # kept for the next run
    # The README shows these two lines of ours, with /home/you for the home directory.
    shown = [line.replace(f"{home}/", "/home/you/") for line in (lines[0], rest.splitlines()[1])]
    readme_lines = README.read_text(encoding="utf-8").splitlines()
    port = re.compile(r"127\.0\.0\.1:\d+")
    assert any(
        port.sub("PORT", line) == port.sub("PORT", shown[0].rstrip()) for line in readme_lines
    )
    assert any(line.strip() == shown[1] for line in readme_lines)


def test_the_demo_orders_follow_stat_widgets_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's database sits where the drafts do: ``$STAT_WIDGETS_HOME`` moves both."""
    from stat_widgets import cli
    from stat_widgets.widgets.drafts import DraftFile

    monkeypatch.setenv("STAT_WIDGETS_HOME", str(tmp_path / "elsewhere"))
    assert cli._demo_db() == tmp_path / "elsewhere" / "demo.db"
    assert DraftFile("x").directory == tmp_path / "elsewhere" / "drafts"
