"""Rules for taking in an order that both faces of the server share (the STAT draft's routes in
``routes/orders`` and the STAPI backend): the idempotency key a request carries, the canonical
form of a request that decides whether a replay is the same order, the refusal of ended
intervals, and filing the order in the store. In a module of their own so that the STAPI face,
which ``app`` mounts, need not import ``app`` back."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from fastapi import Request

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.models import OrderRequest

from .problems import Problem
from .store import IdempotencyConflict, StoredOrder

if TYPE_CHECKING:
    from .state import ServerState

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


def file_order(
    state: ServerState,
    request_text: str,
    product_id: str,
    *,
    owner: str,
    key: str | None,
    footprint: str | None = None,
) -> tuple[StoredOrder, bool]:
    """Store an order (``request_text``: its ``canonical`` form) under a new id, or, for a key
    already used for the same request, return that order; the flag says whether one was
    created. A key already used for another request is a 409 naming ``Idempotency-Key``."""
    try:
        return state.store.insert(
            order_id=uuid.uuid4().hex,
            owner=owner,
            product_id=product_id,
            created_ms=state.now_ms(),
            request=request_text,
            idempotency_key=key,
            footprint=footprint,
        )
    except IdempotencyConflict:
        raise Problem(
            409,
            f"the key {key!r} was already used for a different order request; "
            "use a new key for a new request",
            field="Idempotency-Key",
        ) from None
