"""Typed errors shared by every layer.

Models and the client raise these; widgets catch them and show ``message`` next to the control
that edits ``field``. A caller never has to catch ``KeyError``, pydantic's or httpx's exceptions.

    StatError
    ├── ValidationError (also a ValueError)
    │   └── RemoteValidationError (also an APIError)
    ├── APIError
    │   ├── NotFoundError
    │   ├── UnauthorizedError
    │   ├── ConflictError
    │   ├── ServerError
    │   ├── InvalidResponseError
    │   └── OpportunitySearchError
    │       └── SearchDeadlineError
    ├── NoOpportunitySearchError
    └── TransportError
        └── TimeoutError
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one field.

    ``field`` is a path into the request as sent on the wire: ``datetime``, ``geometry``,
    ``geometry.coordinates[0][3]``, ``filter.args[0]``; ``""`` when the whole body is at fault.
    """

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


def field_path(parts: Iterable[object]) -> str:
    """``("filter", "args", 0)`` → ``filter.args[0]``: the one spelling of a field path."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class StatError(Exception):
    """Base of every error this package raises on purpose."""


class ValidationError(StatError, ValueError):
    """Input was rejected, locally by the models or remotely by a server (400/422)."""

    def __init__(self, errors: Iterable[FieldError] | str, *, field: str = "") -> None:
        if isinstance(errors, str):
            errors = [FieldError(field, errors)]
        self.errors: list[FieldError] = list(errors)
        if not self.errors:
            self.errors = [FieldError(field, "invalid input")]
        super().__init__("; ".join(str(e) for e in self.errors))

    @property
    def field(self) -> str:
        """The first field at fault, for a widget that can point at only one."""
        return self.errors[0].field

    @property
    def message(self) -> str:
        return self.errors[0].message

    def for_field(self, prefix: str) -> list[FieldError]:
        """The errors about ``prefix`` or anything below it (``geometry`` matches
        ``geometry.coordinates[0]``)."""
        return [
            e
            for e in self.errors
            if e.field == prefix or e.field.startswith((prefix + ".", prefix + "["))
        ]

    def prefixed(self, prefix: str) -> ValidationError:
        """The same errors with ``prefix`` put in front of each field path."""

        def join(field: str) -> str:
            if not field:
                return prefix
            return f"{prefix}{field}" if field.startswith("[") else f"{prefix}.{field}"

        return ValidationError([FieldError(join(e.field), e.message) for e in self.errors])


class APIError(StatError):
    """The server answered, and the answer is an error (or not the API at all)."""

    def __init__(self, message: str, *, status_code: int | None = None, url: str = "") -> None:
        self.status_code = status_code
        self.url = url
        super().__init__(message)


class NotFoundError(APIError):
    """404: the product or order does not exist on this server."""


class UnauthorizedError(APIError):
    """401/403: missing, wrong or insufficient credentials."""


class ConflictError(APIError):
    """409: for example an idempotency key reused with a different body."""


class ServerError(APIError):
    """5xx after the retries allowed were spent."""


class InvalidResponseError(APIError):
    """The server sent something that is not the API (HTML, truncated JSON, a wrong shape, a
    body over the client's ``max_response_bytes``)."""


class RemoteValidationError(ValidationError, APIError):
    """400/422 from the server, with the server's field and message."""

    def __init__(
        self,
        errors: Iterable[FieldError] | str,
        *,
        status_code: int | None = None,
        url: str = "",
    ) -> None:
        ValidationError.__init__(self, errors)
        self.status_code = status_code
        self.url = url


class OpportunitySearchError(APIError):
    """An asynchronous opportunity search ended without results (``failed``, ``cancelled``);
    the message gives the server's reason."""


class SearchDeadlineError(OpportunitySearchError):
    """An asynchronous opportunity search was still running at the client's deadline; ``url``
    is its search record, which can be polled again later."""


class NoOpportunitySearchError(StatError):
    """The server (a STAT draft server) or the product offers no opportunity search: order
    without one, or use a STAPI server."""


class TransportError(StatError):
    """No usable answer: connection refused, timeout, dropped connection."""

    def __init__(self, message: str, *, url: str = "") -> None:
        self.url = url
        super().__init__(message)


class TimeoutError(TransportError):
    """The server did not answer in time: a connect or read timeout, or the total deadline
    of a request (the client's ``deadline``) passed."""


__all__ = [
    "APIError",
    "ConflictError",
    "FieldError",
    "InvalidResponseError",
    "NoOpportunitySearchError",
    "NotFoundError",
    "OpportunitySearchError",
    "RemoteValidationError",
    "SearchDeadlineError",
    "ServerError",
    "StatError",
    "TimeoutError",
    "TransportError",
    "UnauthorizedError",
    "ValidationError",
    "field_path",
]
