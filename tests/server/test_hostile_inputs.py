"""Issue 11: no input crashes a process. Each hostile input goes to ``OrderRequest.from_input``
in a child process (a SIGSEGV there is a failed test, not a dead pytest) and over HTTP to a
reference server in a child process, which must answer 4xx and keep answering.

The inputs are the ones that did crash: ``cql2.parse_text`` overflowed its stack on 1,800
nested parentheses or 10,000 ``NOT`` (SIGSEGV), and calendar edges escaped as
``OverflowError`` (a 500).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from .bodies import order_body

# name -> (the field that is hostile, its value, the field the refusal must name)
HOSTILE: dict[str, tuple[str, Any]] = {
    "1,800 nested parentheses": ("filter", "(" * 1800 + "eo:cloud_cover < 5" + ")" * 1800),
    "10,000 NOT": ("filter", "NOT " * 10_000 + "eo:cloud_cover < 5"),
    "NOT and parentheses alternating": (
        "filter",
        "NOT (" * 2000 + "eo:cloud_cover < 5" + ")" * 2000,
    ),
    "10,000 unary minus": ("filter", "eo:cloud_cover < " + "- " * 10_000 + "5"),
    "20,000 chained +": ("filter", "eo:cloud_cover < " + "+".join(["1"] * 20_000)),
    "20,000 chained OR": ("filter", " OR ".join(["eo:cloud_cover < 5"] * 20_000)),
    "CQL2 JSON text nested 100,000 deep": (
        "filter",
        '{"op": "not", "args": [' * 100_000 + "true" + "]}" * 100_000,
    ),
    "CQL2 JSON text with 400,000 values": (
        "filter",
        json.dumps({"op": "in", "args": [{"property": "eo:cloud_cover"}, list(range(400_000))]}),
    ),
    "CQL2 JSON arrays nested 50,000 deep": (
        "filter",
        '{"op": "=", "args": [{"property": "eo:cloud_cover"}, '
        + "[" * 50_000
        + "]" * 50_000
        + "]}",
    ),
    "a megabyte of text": ("filter", "eo:cloud_cover < 5 AND " + "x" * 1_000_000),
    "duration past 9999-12-31": ("datetime", "9999-12-31T00:00:00Z/P2D"),
    "offset before 0001-01-01": ("datetime", "0001-01-01T00:00:00+01:00/P1D"),
    "10^20 days": ("datetime", "2026-01-01T00:00:00Z/P99999999999999999999D"),
}

# Runs in the child: one body from stdin through from_input; prints the refused field.
_CHILD = """
import json, sys
from stat_widgets.errors import ValidationError
from stat_widgets.models import OrderRequest
body = json.loads(sys.stdin.read())
try:
    OrderRequest.from_input(body)
except ValidationError as exc:
    print(json.dumps([e.field for e in exc.errors]))
else:
    print("accepted")
"""


def _body(name: str) -> dict[str, Any]:
    """A valid order but for the hostile field (its interval in the future, so that only the
    hostile field can be at fault)."""
    field, value = HOSTILE[name]
    start = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT00:00:00Z")
    return order_body(**{"datetime": f"{start}/P7D", field: value})


def _refused_fields(response_fields: list[str], field: str) -> bool:
    return bool(response_fields) and all(
        f == field or f.startswith((f"{field}.", f"{field}[")) for f in response_fields
    )


@pytest.mark.parametrize("name", HOSTILE, ids=list(HOSTILE))
def test_from_input_in_a_child_process_refuses_by_field(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(_body(name)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"child died ({result.returncode}): {result.stderr[-2000:]}"
    fields = json.loads(result.stdout)
    assert _refused_fields(fields, HOSTILE[name][0]), fields


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.Popen]]:
    """``stat-widgets serve`` in its own process: a crash there cannot take pytest with it."""
    port = _free_port()
    db = Path(tmp_path_factory.mktemp("hostile")) / "orders.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "stat_widgets.cli", "serve", "--port", str(port), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/", timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None, "serve exited"
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        process.wait(30)


@pytest.mark.parametrize("name", HOSTILE, ids=list(HOSTILE))
def test_server_answers_4xx_and_keeps_serving(
    served: tuple[str, subprocess.Popen], name: str
) -> None:
    url, process = served
    response = httpx.post(f"{url}/order", json=_body(name), timeout=60)
    assert 400 <= response.status_code < 500, response.text[:500]
    fields = [e["field"] for e in response.json()["errors"]]
    assert _refused_fields(fields, HOSTILE[name][0]), fields
    assert process.poll() is None, f"the server died ({process.returncode})"
    assert httpx.get(f"{url}/orders", timeout=10).status_code == 200
