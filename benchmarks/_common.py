"""What every figure shares: the row it reports, alternating timing rounds, a comm that counts
the bytes widgets send to the front end, and loopback servers in subprocesses.

These machines are shared and noisy, so a figure never reports an absolute time alone: it times
our code and its baseline alternately in the same run and reports the ratio, which is what the
targets are about: the best of each (``best_of``), or the median of ratios taken round by
round (``Paired.ratio``) where one lucky baseline run would otherwise decide the figure.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Row:
    """One printed line: ``value`` is ours, ``baseline`` what users would use instead.

    ``ratio`` is value/baseline unless given (throughput figures give ours/theirs too, so a
    larger ratio is better there; ``target`` says which way). ``passed`` is None for lines that
    are information only.
    """

    name: str
    value: float
    baseline: float
    target: str = "(information)"
    passed: bool | None = None
    unit: str = "s"
    ratio: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.ratio is None:
            self.ratio = self.value / self.baseline if self.baseline else float("inf")

    @property
    def verdict(self) -> str:
        if self.passed is None:
            return "info"
        return "PASS" if self.passed else "FAIL"

    def line(self) -> str:
        return (
            f"{self.name:<34} {_num(self.value):>12} {_num(self.baseline):>12} "
            f"{self.ratio:>7.3f}  {self.target:<14} {self.verdict:<4}  {self.unit}"
            + (f"  # {self.note}" if self.note else "")
        )


HEADER = f"{'# name':<34} {'value':>12} {'baseline':>12} {'ratio':>7}  {'target':<14} verdict"


def _num(x: float) -> str:
    if x == 0 or abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:.3f}"
    return f"{x:.5f}"


@dataclass
class Paired:
    """Per-round times of several callables run back to back, each round in a rotated order.

    ``ratio(i)`` is the median over rounds of run ``i``'s time over run 0's *in the same
    round*: a slow spell on a shared machine lengthens both times of a round and cancels out
    of their ratio, where the best time of each taken separately compares two different
    moments (and a single lucky baseline run decides the figure).
    """

    wall: list[list[float]]  # wall[i][round]
    cpu: list[list[float]]

    def median(self, i: int) -> float:
        return statistics.median(self.wall[i])

    def median_cpu(self, i: int) -> float:
        return statistics.median(self.cpu[i])

    def ratios(self, i: int, *, cpu: bool = False) -> list[float]:
        times = self.cpu if cpu else self.wall
        return [ours / base for ours, base in zip(times[i], times[0], strict=True)]

    def ratio(self, i: int, *, cpu: bool = False) -> float:
        return statistics.median(self.ratios(i, cpu=cpu))

    def spread(self, i: int, *, cpu: bool = False) -> str:
        ratios = self.ratios(i, cpu=cpu)
        return f"{min(ratios):.2f}-{max(ratios):.2f}"


def paired_times(
    repeat: int, runs: Sequence[Callable[[], Any]], *, setup: Callable[[], Any] | None = None
) -> Paired:
    """Run every callable once per round, ``repeat`` rounds, rotating which goes first (so a
    slow spell on the machine does not always hit the same one), and keep every time (wall
    clock, and this process's CPU). ``setup`` runs before each, untimed."""
    wall: list[list[float]] = [[] for _ in runs]
    cpu: list[list[float]] = [[] for _ in runs]
    for round_no in range(repeat):
        for k in range(len(runs)):
            i = (round_no + k) % len(runs)
            if setup is not None:
                setup()
            gc.collect()
            started, started_cpu = time.perf_counter(), time.process_time()
            runs[i]()
            wall[i].append(time.perf_counter() - started)
            cpu[i].append(time.process_time() - started_cpu)
    return Paired(wall, cpu)


def best_of(
    repeat: int, runs: Sequence[Callable[[], Any]], *, setup: Callable[[], Any] | None = None
) -> list[float]:
    """The best wall-clock time of each callable over ``repeat`` rounds (see
    ``paired_times``)."""
    return [min(times) for times in paired_times(repeat, runs, setup=setup).wall]


def print_rows(rows: Sequence[Row]) -> None:
    """A figure's lines under the column header, as each script prints them on its own."""
    print(HEADER)
    for row in rows:
        print(row.line())


# -- bytes to the front end ------------------------------------------------------------------------


class ByteCounter:
    """Totals of what widget comms published: messages, JSON payload bytes, binary buffers;
    ``by_comm`` splits the bytes by comm id (a widget's ``model_id``)."""

    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0
        self.by_comm: dict[str, int] = {}

    def reset(self) -> None:
        self.messages = 0
        self.bytes = 0
        self.by_comm = {}

    def add(self, data: Any, buffers: Sequence[Any] | None, comm_id: str = "") -> None:
        # What ipykernel's session does to the content (json_packer): UTF-8 JSON; binary
        # buffers travel as separate frames. Message headers are not counted.
        encoded = json.dumps(data, default=str, ensure_ascii=False, allow_nan=False)
        size = len(encoded.encode("utf-8", errors="surrogateescape"))
        size += sum(memoryview(buffer).nbytes for buffer in buffers or ())
        self.messages += 1
        self.bytes += size
        self.by_comm[comm_id] = self.by_comm.get(comm_id, 0) + size


@contextlib.contextmanager
def recording_comms() -> Iterator[ByteCounter]:
    """Every widget created inside gets a comm that counts what it would send to the browser.

    ipywidgets 8 opens comms through ``comm.create_comm`` (looked up at call time), which a
    kernel replaces with its own; outside a kernel it makes a ``DummyComm`` that drops messages.
    We replace it the same way with a comm whose ``publish_msg`` (open, update, custom, close
    all go through it) serialises the payload as the kernel would and counts the bytes.
    """
    import comm
    from comm.base_comm import BaseComm

    counter = ByteCounter()

    class RecordingComm(BaseComm):
        def publish_msg(
            self,
            msg_type: str,
            data: dict[str, Any] | None = None,
            metadata: dict[str, Any] | None = None,
            buffers: list[bytes] | None = None,
            **keys: Any,
        ) -> None:
            message = {"data": data or {}, "metadata": metadata or {}, **keys}
            counter.add(message, buffers, self.comm_id)

    original = comm.create_comm
    comm.create_comm = lambda *args, **kwargs: RecordingComm(*args, **kwargs)
    try:
        yield counter
    finally:
        comm.create_comm = original


# -- servers in subprocesses ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerURL(str):
    """A served URL that also knows its server's process, so a figure can read its CPU time."""

    pid: int

    def cpu_seconds(self) -> float | None:
        """User + system CPU time of the server process so far (Linux ``/proc``), else None."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def subprocess_server(
    command: list[str], port: int, *, timeout: float = 60.0
) -> Iterator[ServerURL]:
    """Run ``command`` (which must serve HTTP on 127.0.0.1:``port``) and yield its URL once
    ``GET /`` answers; the process is terminated (then killed) on exit, whatever happens."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # A file, not a pipe: a server logging every request would block on a full pipe.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                err = log.read().decode(errors="replace")
                raise RuntimeError(f"{command[:3]} exited early:\n{err[-2000:]}")
            try:
                if httpx.get(url + "/", timeout=2).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{command[:3]} did not answer on {url}")
            time.sleep(0.1)
        served = ServerURL(url)
        served.pid = process.pid
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
