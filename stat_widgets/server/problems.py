"""Every error the server sends has one JSON shape (docs/interfaces.md):

``{"code": "ValidationError", "detail": "geometry: ...", "errors": [{"field", "message"}]}``

so that a client can always point at the field at fault. FastAPI's own error bodies (request
validation, 404 for unknown routes, 405) are rewritten into it, and anything unexpected becomes a
JSON 500 rather than a plain-text traceback page.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from stat_widgets.errors import FieldError, ValidationError, field_path

log = logging.getLogger("stat_widgets.server")

_CODES = {401: "Unauthorized", 403: "Unauthorized", 404: "NotFound", 409: "Conflict"}


def code_for(status: int) -> str:
    if status >= 500:
        return "ServerError"
    return _CODES.get(status, "ValidationError")


MAX_ERRORS = 100
MAX_ERROR_BYTES = 64 * 1024
MAX_MESSAGE_CHARS = 2000
_ROOM = 2 * 1024  # for the envelope and the "left out" note


def error_body(errors: Iterable[FieldError], status: int) -> dict:
    """The error body, capped: at most ``MAX_ERRORS`` errors and about ``MAX_ERROR_BYTES`` in
    all (``detail`` repeats the messages, so each counts twice); what is left out is counted in
    a last error. A 2.7 MB body with 400,000 bad values once got a 67 MB reply."""
    shown: list[FieldError] = []
    total = 0
    budget = MAX_ERROR_BYTES - _ROOM
    errors = list(errors) or [FieldError("", "invalid request")]
    for error in errors[:MAX_ERRORS]:
        error = FieldError(error.field[:MAX_MESSAGE_CHARS], error.message[:MAX_MESSAGE_CHARS])
        cost = 2 * len(json.dumps([error.field, error.message], ensure_ascii=False).encode())
        if shown and total + cost > budget:
            break
        shown.append(error)
        total += cost
    left_out = len(errors) - len(shown)
    if left_out:
        shown.append(FieldError("", f"{left_out:,} more errors left out"))
    return {
        "code": code_for(status),
        "detail": "; ".join(str(e) for e in shown),
        "errors": [{"field": e.field, "message": e.message} for e in shown],
    }


class Problem(Exception):
    """Raised anywhere in a request to answer with the error body."""

    def __init__(
        self,
        status: int,
        message: str | Iterable[FieldError],
        *,
        field: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.errors = [FieldError(field, message)] if isinstance(message, str) else list(message)
        self.headers = dict(headers or {})
        super().__init__("; ".join(str(e) for e in self.errors))

    def response(self) -> JSONResponse:
        return JSONResponse(error_body(self.errors, self.status), self.status, self.headers)


async def _problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return exc.response()


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ValidationError)
    return JSONResponse(error_body(exc.errors, 422), 422)


async def _request_validation(_: Request, exc: Exception) -> JSONResponse:
    """FastAPI's parameter/body validation, renamed to our field paths: a bad query, path or
    header parameter is a 400 (the request line is wrong), a bad body a 422."""
    assert isinstance(exc, RequestValidationError)
    errors = []
    status = 422
    for error in exc.errors():
        loc = list(error.get("loc", ()))
        if loc and loc[0] in ("query", "path", "header", "cookie"):
            status = 400
        if loc and loc[0] in ("query", "path", "header", "cookie", "body"):
            loc = loc[1:]
        errors.append(FieldError(field_path(loc), str(error.get("msg", "invalid"))))
    return JSONResponse(error_body(errors, status), status)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404 and exc.detail in (None, "Not Found"):  # routing's own 404
        message = "no such endpoint; see the landing page / for the API's links"
    elif isinstance(exc.detail, str):
        message = exc.detail
    else:
        message = "request refused"
    return JSONResponse(
        error_body([FieldError("", message)], exc.status_code),
        exc.status_code,
        dict(exc.headers or {}),
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    body = error_body([FieldError("", "internal server error")], 500)
    return JSONResponse(body, 500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(ValidationError, _validation)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
