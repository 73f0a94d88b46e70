"""Rules for taking in an order that both faces of the server share (the STAT draft's routes in
``app`` and the STAPI backend): the idempotency key a request carries and the canonical form of a
request that decides whether a replay is the same order. In a module of their own so that the
STAPI face, which ``app`` mounts, need not import ``app`` back."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi import Request

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.models import OrderRequest

from .problems import Problem

MAX_IDEMPOTENCY_KEY = 255


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise Problem(
            400,
            f"must be 1 to {MAX_IDEMPOTENCY_KEY} printable characters",
            field="Idempotency-Key",
        )
    return key


def canonical(request: OrderRequest) -> str:
    try:
        wire = request.model_dump(mode="json")
        return json.dumps(wire, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except ValueError as exc:  # NaN or infinity that the models let through
        raise ValidationError([FieldError("", f"not representable as JSON: {exc}")]) from None


def refuse_past(request: OrderRequest, now: datetime) -> None:
    """An interval that has already ended cannot be imaged: refused, as a provider would, with
    the server's clock in the message (which may not be the caller's)."""
    end = request.datetime.end
    if end is not None and end <= now:
        stamp = now.astimezone(UTC).isoformat().replace("+00:00", "Z")
        raise ValidationError(
            [
                FieldError(
                    "datetime",
                    f"the interval ended before the server's current time ({stamp}); "
                    "order a time still to come",
                )
            ]
        )
