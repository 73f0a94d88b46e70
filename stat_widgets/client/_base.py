"""Construction shared by the sync and async clients: credentials, headers, redaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from ._core import ClientCore
from ._http import JSON_ACCEPT, BearerAuth, Protocol, Redactor, RetryPolicy

DEFAULT_TIMEOUT = 10.0
USER_AGENT = "stat-widgets/0.1 (+httpx)"
_SECRET_HEADER_WORDS = ("auth", "key", "token", "secret", "cookie", "session", "password")


def _is_secret_header(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in _SECRET_HEADER_WORDS)


class ClientBase:
    """State and construction common to ``StatClient`` and ``AsyncStatClient``.

    The token lives only inside an ``httpx.Auth`` object that attaches it to requests for the
    API's own origin; every message, log line and repr goes through the redactor first.
    """

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        dialect: str | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        if token is not None and auth is not None:
            raise ValueError("give either token= (a bearer token) or auth=, not both")
        if token is not None and (not isinstance(token, str) or not token.strip()):
            raise ValueError("token must be a non-empty string")
        headers = dict(headers or {})
        parsed = httpx.URL(str(url))
        secrets = [token, parsed.password, *(v for k, v in headers.items() if _is_secret_header(k))]
        if isinstance(auth, tuple) and len(auth) == 2:
            secrets.append(auth[1])
        redact = Redactor(secrets)
        reference_headers = {k: v for k, v in headers.items() if _is_secret_header(k)}
        if token is not None:
            reference_headers["Authorization"] = f"Bearer {token}"
        self._core = ClientCore(
            str(parsed.copy_with(username=None, password=None)) if parsed.password else str(url),
            Protocol(retry or RetryPolicy(), redact),
            dialect=dialect,
            reference_headers=reference_headers,
        )
        if parsed.password:
            auth = auth or httpx.BasicAuth(parsed.username, parsed.password)
        self._auth: httpx.Auth | tuple[str, str] | None = (
            BearerAuth(token, self._core.base_url) if token is not None else auth
        )
        self._headers = {"Accept": JSON_ACCEPT, "User-Agent": USER_AGENT, **headers}
        self._timeout = timeout
        self._closed = False

    @property
    def url(self) -> str:
        """The API root this client talks to."""
        return str(self._core.base_url)

    @property
    def _reference_timeout(self) -> float:
        if isinstance(self._timeout, int | float):
            return float(self._timeout)
        if isinstance(self._timeout, httpx.Timeout) and self._timeout.read is not None:
            return float(self._timeout.read)
        return DEFAULT_TIMEOUT

    def _httpx_options(self, transport: Any) -> dict[str, Any]:
        return {
            "headers": self._headers,
            "auth": self._auth,
            "timeout": self._timeout,
            "transport": transport,
            "follow_redirects": True,  # httpx drops Authorization on cross-origin redirects
        }

    def __repr__(self) -> str:
        auth = (
            "token=***"
            if isinstance(self._auth, BearerAuth)
            else ("auth=***" if self._auth is not None else "anonymous")
        )
        dialect = self._core.dialect_name or "undetected"
        return f"{type(self).__name__}({self.url!r}, dialect={dialect!r}, {auth})"
