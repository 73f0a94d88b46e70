"""FastAPI dependencies of the STAT face: the server's state, the user a request acts for, and
the listing's parameters (limit, filters, page token), each raising ``Problem`` with the field at
fault. All are ``async``: they only read the request, and a sync dependency would cost a hop to
the thread pool on every request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from stat_widgets.models import OrderStatus

from .paging import BadPageToken, PageToken
from .prefix import forwarded_prefix
from .problems import Problem
from .state import ServerState
from .store import Filters, StoredOrder

ANONYMOUS = "anonymous"
DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
KNOWN_STATUSES = frozenset(s.value for s in OrderStatus)
NO_USERS = (
    "this server runs without users and does not check bearer tokens: every order on it "
    f"belongs to {ANONYMOUS!r}. Send no token, or start the server with users "
    "(stat-widgets serve --token TOKEN=USER)"
)


async def server_state(request: Request) -> ServerState:
    return request.app.state.stat


State = Annotated[ServerState, Depends(server_state)]


def user_of(state: ServerState, request: Request) -> str:
    """The user a request acts for; 401 with ``WWW-Authenticate: Bearer`` when the server has
    users and the token is missing or unknown. Shared with the STAPI face.

    A server without users refuses a bearer token (400) rather than filing the order under
    ``anonymous``: the caller believes they act as someone, and their orders would be shared
    with everyone who reaches the server (docs/decisions.md, Security). Unless a proxy in front
    names its prefix: jupyter-server-proxy passes on the ``Authorization`` it checked itself
    (the Jupyter token), which is the proxy's login, not a user of this server."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if state.tokens is None:
        if scheme.lower() == "bearer" and forwarded_prefix(request.scope) is None:
            raise Problem(400, NO_USERS, field="Authorization")
        return ANONYMOUS
    challenge = {"WWW-Authenticate": "Bearer"}
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "a bearer token is required", field="Authorization", headers=challenge)
    user = state.tokens.get(token.strip())
    if user is None:
        raise Problem(
            401, "the bearer token is not valid", field="Authorization", headers=challenge
        )
    return user


async def current_user(request: Request, state: State) -> str:
    return user_of(state, request)


User = Annotated[str, Depends(current_user)]


async def page_limit(request: Request) -> int:
    raw = request.query_params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    message = f"limit must be a whole number from 1 to {MAX_LIMIT}, got {raw[:40]!r}"
    try:
        limit = int(raw)
    except ValueError:
        raise Problem(400, message, field="limit") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise Problem(400, message, field="limit")
    return limit


Limit = Annotated[int, Depends(page_limit)]


def _list_param(request: Request, name: str) -> tuple[str, ...]:
    values = []
    for raw in request.query_params.getlist(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return tuple(dict.fromkeys(values))


async def order_filters(request: Request) -> Filters:
    statuses = _list_param(request, "status")
    unknown = [s for s in statuses if s not in KNOWN_STATUSES]
    if unknown:
        raise Problem(
            400,
            f"unknown status {unknown[0][:40]!r}; use one of {', '.join(sorted(KNOWN_STATUSES))}",
            field="status",
        )
    return Filters(statuses=statuses, product_ids=_list_param(request, "product_id"))


OrderFilters = Annotated[Filters, Depends(order_filters)]


async def page_token(request: Request, state: State) -> PageToken | None:
    text = request.query_params.get("page")
    if text is None:
        return None
    try:
        return state.pages.decode(text)
    except BadPageToken as exc:
        raise Problem(400, str(exc), field="page") from None


Page = Annotated[PageToken | None, Depends(page_token)]


def owned_order(state: ServerState, order_id: str, user: str) -> StoredOrder:
    """The order ``order_id`` of ``user``; 404 for anyone else's (whether an id exists is not
    disclosed). A plain function rather than a dependency: it reads the database, and the sync
    handlers that call it already run in the thread pool (a sync dependency would add a hop)."""
    stored = state.store.get(order_id, user)
    if stored is None:
        raise Problem(404, f"no order {order_id[:80]!r}", field="id")
    return stored
