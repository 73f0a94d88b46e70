"""``GET /order/{order_id}/statuses``: an order's status history, computed from its creation
time, its fate and the server's clock (``lifecycle``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from .. import lifecycle
from ..deps import State, User, owned_order
from ..documents import base, link

router = APIRouter()


@router.get("/order/{order_id}/statuses", summary="An order's status history, newest last")
def get_statuses(order_id: str, request: Request, user: User, state: State) -> JSONResponse:
    stored = owned_order(state, order_id, user)
    href = f"{base(request)}/order/{stored.id}"
    steps = lifecycle.timeline(stored.fate, stored.created_ms, state.now_ms(), stored.window)
    return JSONResponse(
        {
            "statuses": [
                {
                    "timestamp": lifecycle.rfc3339(at),
                    "status": step.status,
                    "reason_code": step.reason_code,
                    "reason_text": step.reason_text,
                    "links": [],
                }
                for at, step in steps
            ],
            "links": [
                link(f"{href}/statuses", "self", "Status history"),
                link(href, "order", "The order"),
            ],
        }
    )
