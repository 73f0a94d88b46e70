"""Small fault-injecting servers on 127.0.0.1 for what a real server cannot do on demand:
answer with HTML or truncated JSON, time out, drop a response, link back to an earlier page,
redirect or link elsewhere, set cookies, send a gzip bomb, a huge body, or drip its answer.

All run in daemon threads and are context managers that always stop what they started.
"""

from __future__ import annotations

import http.client
import json
import socket
import struct
import threading
import time
import zlib
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
    headers: dict[str, str] = field(default_factory=dict)  # {base} is replaced here too

    def encoded(self, base: str, headers: dict[str, str]) -> bytes:
        if isinstance(self.body, dict | list):
            text = json.dumps(self.body).replace("{base}", base)
            return text.encode()
        if isinstance(self.body, str):
            text = self.body.replace("{base}", base).replace(
                "{authorization}", headers.get("authorization", "")
            )
            for name, value in headers.items():  # {h:x-api-key}: that header's value
                text = text.replace("{h:" + name + "}", value)
            return text.encode()
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
            for name, value in reply.headers.items():
                self.send_header(name, value.replace("{base}", base))
            self.end_headers()
            try:
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the client stopped reading
                self.close_connection = True

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

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


# -- raw answers: bodies streamed without holding them, answers dripped byte by byte ----------
def _read_head(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


@contextmanager
def raw_server(answer: Callable[[socket.socket], None]) -> Iterator[tuple[str, list[bytes]]]:
    """Each connection: the request head is read (and recorded), then ``answer(conn)`` writes
    whatever it likes; a client that hangs up early ends it quietly."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.05)
    heads: list[bytes] = []
    stop = threading.Event()

    def serve_one(conn: socket.socket) -> None:
        with conn:
            try:
                heads.append(_read_head(conn))
                answer(conn)
            except OSError:
                pass

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            conn.settimeout(30)
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", heads
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def head(status: int = 200, length: int | None = None, **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status} X", "Content-Type: application/json"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def streamed(prefix: bytes, chunk: bytes, count: int) -> Callable[[socket.socket], None]:
    """Answer ``prefix`` then ``chunk`` ``count`` times: a body of any size from one buffer,
    so the server holds nothing (tracemalloc sees only what the client keeps)."""

    def answer(conn: socket.socket) -> None:
        conn.sendall(prefix)
        for _ in range(count):
            conn.sendall(chunk)

    return answer


def dripped(prefix: bytes, drip: bytes, every: float) -> Callable[[socket.socket], None]:
    """Answer ``prefix``, then ``drip`` one byte every ``every`` seconds: never a pause long
    enough for a read timeout, never an end."""

    def answer(conn: socket.socket) -> None:
        conn.sendall(prefix)
        for byte in drip:
            time.sleep(every)
            conn.sendall(bytes([byte]))

    return answer


MiB = 1024 * 1024


def gzip_bomb(mebibytes: int = 512) -> bytes:
    """A valid gzip stream of ``mebibytes`` MiB of zeros in about 1/1000 of that (512 MiB →
    0.53 MB), built from one fully flushed deflate block repeated, so it costs 0.3 s, not 3."""
    zeros = bytes(MiB)
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(zeros, crc)
    trailer = struct.pack("<II", crc, (mebibytes * MiB) & 0xFFFFFFFF)
    return first + block * (mebibytes - 1) + b"\x03\x00" + trailer  # 03 00: empty final block
