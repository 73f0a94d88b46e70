"""The I/O-free half of the client: what to send, when to retry, what an answer means.

The sync and async clients differ only in how they wait (``time.sleep`` or ``asyncio.sleep``)
and how they send; every decision lives here so the two cannot drift apart. Nothing in this
module performs I/O.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

import httpx
import orjson

from stat_widgets._fetch import MAX_RESPONSE_BYTES, BodyError, Budget
from stat_widgets.errors import (
    APIError,
    ConflictError,
    FieldError,
    InvalidResponseError,
    NotFoundError,
    RemoteValidationError,
    ServerError,
    StatError,
    TimeoutError,
    TransportError,
    UnauthorizedError,
    field_path,
)

logger = logging.getLogger("stat_widgets.client")

EXCERPT_CHARS = 200
RETRY_STATUSES = frozenset({502, 503, 504})
JSON_ACCEPT = "application/json, application/geo+json;q=0.9"

T = TypeVar("T")


class Retry(Enum):
    """Which failures a request may be repeated after.

    ``SAFE``: a read (GET), repeatable on connect errors, dropped connections and 502/503/504.
    ``KEYED``: a POST carrying an Idempotency-Key the server honours; a repeat cannot create a
    second order, so it may also be repeated when the response was lost (read error, timeout).
    ``UNSENT``: a POST the server might act on twice; repeated only when the request provably
    never left (the connection could not be opened).
    """

    SAFE = "safe"
    KEYED = "keyed"
    UNSENT = "unsent"


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff: ``tries`` attempts in all, waiting ``base * 2**n`` (capped
    at ``cap`` seconds, with a little jitter so clients do not retry in lockstep)."""

    tries: int = 3
    base: float = 0.2
    cap: float = 2.0

    def delay(self, attempt: int) -> float:
        wait = min(self.cap, self.base * (2 ** (attempt - 1)))
        return wait * (0.8 + 0.4 * random.random())


NO_BODY: Any = object()


@dataclass(frozen=True)
class Call:
    """One HTTP request as the protocol wants it sent; ``url`` is absolute or relative to
    the client's base URL."""

    method: str
    url: str
    json: Any = NO_BODY
    headers: Mapping[str, str] = field(default_factory=dict)
    retry: Retry = Retry.SAFE
    what: str = "response"  # what the answer should be, for error messages

    def describe(self) -> str:
        return f"{self.method} {self.url}"


@dataclass(frozen=True)
class Resolve:
    """Not an API request: fetch a JSON Reference (done by the models layer, off the event
    loop in the async client)."""

    reference: Any  # stat_widgets.models.JSONReference


@dataclass(frozen=True)
class Wait:
    """Not a request: pause ``seconds`` (polling an asynchronous search); the driver answers
    with ``time.monotonic()`` after the pause, so operations can keep a deadline without
    reading a clock themselves."""

    seconds: float


Op = Generator[Call | Resolve | Wait, Any, T]
"""A protocol operation: yields requests, receives ``httpx.Response`` (or a resolved
geometry for :class:`Resolve`, the time for :class:`Wait`), returns the result. Drivers run it
to completion."""


def wait_sync(step: Wait) -> float:
    if step.seconds > 0:
        time.sleep(step.seconds)
    return time.monotonic()


def run_sync(op: Op[T], send: Callable[[Call], Any], resolve: Callable[[Any], Any]) -> T:
    """Drive ``op`` with blocking ``send(call)`` / ``resolve(reference)`` functions.

    Our errors are thrown back into the operation, so it can handle the ones it expects (a
    404 for an optional schema) exactly where it made the request.
    """
    try:
        step = next(op)
        while True:
            try:
                if isinstance(step, Wait):
                    result = wait_sync(step)
                else:
                    result = resolve(step.reference) if isinstance(step, Resolve) else send(step)
            except StatError as exc:
                step = op.throw(exc)
            else:
                step = op.send(result)
    except StopIteration as stop:
        return stop.value
    finally:
        op.close()


class Redactor:
    """Removes secrets from every text the client lets out (messages, logs, excerpts)."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        self._secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def excerpt(text: str) -> str:
    """A short, single-line quote of a body for an error message."""
    text = " ".join(text.split())
    return repr(text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else ""))


def _body_text(response: httpx.Response) -> str:
    try:
        return response.text
    except (UnicodeDecodeError, LookupError):
        return response.content.decode("utf-8", "replace")


class Protocol:
    """Decisions shared by both drivers: bounds, retries, error mapping, JSON reading.

    Every request gets a fresh ``Budget``: a body of at most ``max_response_bytes`` after
    decompression, and ``deadline`` seconds for the whole exchange (connect, send, redirects,
    headers, body), however slowly the server drips its bytes.
    """

    def __init__(
        self,
        retry: RetryPolicy,
        redact: Redactor,
        *,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        deadline: float | None = None,
    ) -> None:
        self.retry = retry
        self.redact = redact
        self.max_response_bytes = max_response_bytes
        self.deadline = deadline

    def budget(self) -> Budget:
        return Budget(self.max_response_bytes, self.deadline)

    # -- retries ------------------------------------------------------------------------------
    def retry_after_error(
        self, call: Call, attempt: int, exc: Exception, budget: Budget | None = None
    ) -> float | None:
        """Seconds to wait before repeating ``call`` after a transport failure, or None.
        A request that ran out of its deadline is not repeated: the deadline is the caller's
        patience, and a server that drips its answer would only drip it again."""
        if attempt >= self.retry.tries or (budget is not None and budget.expired):
            return None
        unsent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
        dropped = isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError)
        lost = dropped or isinstance(exc, httpx.ReadTimeout | httpx.WriteError)
        if unsent or (call.retry is Retry.SAFE and dropped) or (call.retry is Retry.KEYED and lost):
            wait = self.retry.delay(attempt)
            self.log_retry(call, attempt, type(exc).__name__, wait)
            return wait
        return None

    def retry_after_status(self, call: Call, attempt: int, status: int) -> float | None:
        """Seconds to wait before repeating ``call`` after a gateway error, or None.

        A 502/503/504 means the request did not reach (or was not finished by) the
        application, but for an unkeyed POST that cannot be known for sure, so only reads and
        keyed POSTs are repeated.
        """
        if status not in RETRY_STATUSES or attempt >= self.retry.tries:
            return None
        if call.retry is Retry.UNSENT:
            return None
        wait = self.retry.delay(attempt)
        self.log_retry(call, attempt, f"HTTP {status}", wait)
        return wait

    def log_retry(self, call: Call, attempt: int, reason: str, wait: float) -> None:
        logger.debug(
            "%s failed (%s, attempt %d of %d); retrying in %.2fs",
            self.redact(call.describe()),
            reason,
            attempt,
            self.retry.tries,
            wait,
        )

    # -- errors -------------------------------------------------------------------------------
    def transport_error(
        self, call: Call, exc: Exception, budget: Budget | None = None
    ) -> TransportError:
        try:
            url = self.redact(str(exc.request.url))  # type: ignore[attr-defined]
        except (AttributeError, RuntimeError):  # httpx raises RuntimeError for "no request"
            url = self.redact(call.url)
        if isinstance(exc, httpx.TimeoutException) and budget is not None and budget.expired:
            message = (
                f"{call.method} {url}: no complete answer within the {budget.seconds:g} s deadline"
            )
            return TimeoutError(self.redact(message), url=url)
        if isinstance(exc, httpx.TimeoutException):
            kind = {
                httpx.ConnectTimeout: "connecting timed out",
                httpx.ReadTimeout: "the server did not answer in time",
                httpx.WriteTimeout: "sending the request timed out",
                httpx.PoolTimeout: "no free connection in time",
            }.get(type(exc), "timed out")
            return TimeoutError(self.redact(f"{call.method} {url}: {kind}"), url=url)
        detail = str(exc) or type(exc).__name__
        if isinstance(exc, httpx.ConnectError):
            detail = f"could not connect ({detail})"
        elif isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
            detail = f"the connection was dropped ({detail})"
        return TransportError(self.redact(f"{call.method} {url}: {detail}"), url=url)

    def body_error(self, call: Call, exc: BodyError) -> InvalidResponseError:
        """A body past ``max_response_bytes`` or undecodable: named with its URL, not quoted."""
        url = self.redact(exc.url or call.url)
        return InvalidResponseError(self.redact(f"{call.method} {url}: {exc}"), url=url)

    def check(self, call: Call, response: httpx.Response) -> None:
        """Raise the typed error for a non-2xx answer."""
        status = response.status_code
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s -> %d", self.redact(call.describe()), status)
        if 200 <= status < 300:
            return
        url = self.redact(str(response.url))
        prefix = f"{call.method} {url}: HTTP {status}"
        errors, detail = self._error_body(response)
        if status in (400, 422):
            raise RemoteValidationError(
                [FieldError(f.field, self.redact(f.message)) for f in errors]
                or self.redact(detail or f"{prefix} (the server rejected the request)"),
                status_code=status,
                url=url,
            )
        message = self.redact(f"{prefix}: {detail}" if detail else prefix)
        error_type: type[APIError] = {
            401: UnauthorizedError,
            403: UnauthorizedError,
            404: NotFoundError,
            409: ConflictError,
        }.get(status, ServerError if status >= 500 else APIError)
        raise error_type(message, status_code=status, url=url)

    def _error_body(self, response: httpx.Response) -> tuple[list[FieldError], str]:
        """Field errors and a one-line detail from our error body, FastAPI's, or any text."""
        text = _body_text(response)
        try:
            body = json.loads(text)
        except ValueError:
            return [], excerpt(text) if text.strip() else ""
        errors: list[FieldError] = []
        detail = ""
        if isinstance(body, dict):
            raw = body.get("detail")
            if isinstance(body.get("errors"), list):
                for item in body["errors"]:
                    if isinstance(item, dict) and "message" in item:
                        errors.append(
                            FieldError(str(item.get("field") or ""), str(item["message"]))
                        )
            if isinstance(raw, list):  # FastAPI / pydantic: [{"loc": [...], "msg": ...}]
                for item in raw:
                    if isinstance(item, dict) and "msg" in item:
                        errors.append(FieldError(loc_to_field(item.get("loc")), str(item["msg"])))
                detail = "; ".join(str(e) for e in errors)
            elif raw is not None:
                detail = str(raw)
            elif "message" in body:
                detail = str(body["message"])
        if not detail and not errors:
            detail = excerpt(text)
        return errors, detail

    def read_json(self, call: Call, response: httpx.Response) -> Any:
        """The JSON body of a 2xx answer; anything else is not the API."""
        try:
            return orjson.loads(response.content)  # pages of orders: several times faster than json
        except ValueError:
            kind = response.headers.get("content-type", "no content type")
            raise self.invalid(
                call, response, f"expected a JSON {call.what}, got {kind} that is not JSON"
            ) from None

    def invalid(
        self, call: Call, response: httpx.Response, what: str, *, quote: bool = True
    ) -> InvalidResponseError:
        url = self.redact(str(response.url))
        message = f"{call.method} {url}: {what}"
        if quote:
            message += f": {excerpt(_body_text(response))}"
        return InvalidResponseError(self.redact(message), status_code=response.status_code, url=url)


def loc_to_field(loc: Any) -> str:
    """``["body", "geometry", "coordinates", 0, 3]`` → ``geometry.coordinates[0][3]``."""
    if not isinstance(loc, list | tuple):
        return ""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return field_path(parts)
