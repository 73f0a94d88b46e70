"""Small fault-injecting servers on 127.0.0.1 for what a real server cannot do on demand:
answer with HTML or truncated JSON, time out, drop a response, link back to an earlier page.

All run in daemon threads and are context managers that always stop what they started.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict | list = b""
    content_type: str = "application/json"

    def encoded(self, base: str, headers: dict[str, str]) -> bytes:
        if isinstance(self.body, dict | list):
            text = json.dumps(self.body).replace("{base}", base)
            return text.encode()
        if isinstance(self.body, str):
            return (
                self.body.replace("{base}", base)
                .replace("{authorization}", headers.get("authorization", ""))
                .encode()
            )
        return self.body


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Script:
    """``routes`` maps ``"GET /path?query"`` (or ``"GET /path"``) to replies given in turn; the
    last reply repeats. ``{base}`` in a body becomes the server's URL."""

    routes: dict[str, list[Reply]]
    seen: list[Seen] = field(default_factory=list)
    _turn: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_reply(self, method: str, target: str) -> Reply:
        key = f"{method} {target}"
        if key not in self.routes:
            key = f"{method} {urlsplit(target).path}"
        replies = self.routes.get(key)
        if not replies:
            return Reply(404, {"code": "NotFound", "detail": f"no route {key}"})
        with self.lock:
            turn = self._turn.get(key, 0)
            self._turn[key] = turn + 1
        return replies[min(turn, len(replies) - 1)]

    def count(self, method: str, path: str) -> int:
        return sum(1 for s in self.seen if s.method == method and urlsplit(s.path).path == path)


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _read_body(self) -> bytes:
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""


@contextmanager
def scripted_server(routes: dict[str, list[Reply]]) -> Iterator[tuple[str, Script]]:
    script = Script(routes)

    class Handler(_Quiet):
        def _handle(self) -> None:
            body = self._read_body()
            headers = {k.lower(): v for k, v in self.headers.items()}
            script.seen.append(Seen(self.command, self.path, headers, body))
            reply = script.next_reply(self.command, self.path)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            payload = reply.encoded(base, headers)
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _handle

    with _serving(Handler) as url:
        yield url, script


@contextmanager
def _serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers: every request times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.05)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        listener.close()


def refused_url() -> str:
    """A loopback port nobody listens on (bound, then closed)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}"


@dataclass
class ProxyLog:
    forwarded: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)


_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@contextmanager
def dropping_proxy(
    upstream: str, drop: Callable[[str, str, int], bool]
) -> Iterator[tuple[str, ProxyLog]]:
    """Forwards every request to ``upstream``; when ``drop(method, path, n)`` is true (``n``:
    how many requests with that method and path came before), the upstream answer arrives
    (the server acted) but the client's connection is closed without it."""
    target = urlsplit(upstream)
    log = ProxyLog()
    counts: dict[tuple[str, str], int] = {}
    lock = threading.Lock()

    class Handler(_Quiet):
        def _handle(self) -> None:
            body = self._read_body()
            path = urlsplit(self.path).path
            with lock:
                n = counts.get((self.command, path), 0)
                counts[(self.command, path)] = n + 1
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
            headers["Host"] = self.headers.get("Host", "")
            conn.request(self.command, self.path, body=body or None, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            conn.close()
            if drop(self.command, path, n):
                log.dropped.append((self.command, path))
                self.close_connection = True
                return
            log.forwarded.append((self.command, path))
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in _HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _handle

    with _serving(Handler) as url:
        yield url, log
